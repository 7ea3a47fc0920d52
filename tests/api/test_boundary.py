"""The library raises nothing but libvirtError, whatever goes wrong (issue 10 item 6)."""

from __future__ import annotations

import importlib.util
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import netstore
from netstore.api import constants as c
from netstore.api.connection import Connection
from netstore.api.network import Network
from netstore.api.uri import LIBVIRT_URIS
from tests.api.missing_database import missing_database
from tests.helpers import require

XML = "<network><name>b</name><forward mode='bridge'/><bridge name='lo'/></network>"
ALLOWED_TO_NEVER_FAIL = {"name", "UUIDString", "UUID", "connect"}


def error_of(call: Callable[[], Any]) -> tuple[int, str]:
    with pytest.raises(netstore.libvirtError) as caught:
        call()
    return caught.value.get_error_code(), caught.value.get_error_message()


@pytest.fixture
def url(db_url: str) -> str:
    return db_url


@pytest.mark.parametrize("uri", sorted(LIBVIRT_URIS))
def test_libvirt_uris_open_the_default_store(uri: str, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETSTORE_DB", url)
    with netstore.open(url) as conn:
        conn.networkDefineXML(XML)
    with netstore.open(uri) as conn:
        assert conn.getURI() == url
        assert conn.listDefinedNetworks() == ["b"]


def test_an_unknown_uri_has_no_driver() -> None:
    assert error_of(lambda: netstore.open("xen:///system")) == (
        c.VIR_ERR_NO_CONNECT,
        "no connection driver available for xen:///system",
    )
    assert error_of(lambda: netstore.open("not a url"))[0] == c.VIR_ERR_NO_CONNECT


@pytest.mark.sqlite_only("a file that is not a SQLite database")
def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_text("this is not sqlite\n")
    code, message = error_of(lambda: netstore.open(f"sqlite:///{path}"))
    assert code == c.VIR_ERR_SYSTEM_ERROR
    assert message == f"cannot open database sqlite:///{path}: database error: file is not a database"
    assert path.read_text() == "this is not sqlite\n"


def test_a_database_that_does_not_exist(db_url: str) -> None:
    missing = missing_database(db_url)
    code, message = error_of(lambda: netstore.open(missing.url))
    assert code == c.VIR_ERR_SYSTEM_ERROR
    assert missing.is_the_message(message), message
    reason = message.removeprefix(f"cannot open database {missing.url}")
    assert not any(driver in reason for driver in ("sqlalchemy", "psycopg", "sqlite3")), reason
    assert not missing.exists()


def test_an_unreachable_postgresql_server(tmp_path: Path) -> None:
    """No server listens on the socket: a clear error naming the URL, its password hidden."""
    require(importlib.util.find_spec("psycopg") is not None, "the psycopg driver is not installed")
    socket_dir = tmp_path / "no-server"
    url = f"postgresql+psycopg://nsx:secret@/netstore?host={socket_dir}"
    code, message = error_of(lambda: netstore.open(url))
    assert code == c.VIR_ERR_SYSTEM_ERROR
    shown = sa.make_url(url).render_as_string(hide_password=True)
    assert message == (f"cannot open database {shown}: database unavailable: connection is bad: connection to server "
                       f"on socket \"{socket_dir}/.s.PGSQL.5432\" failed: No such file or directory")
    assert "secret" not in message


def _public_methods(cls: type) -> list[str]:
    return [n for n, _ in inspect.getmembers(cls, inspect.isfunction) if not n.startswith("_")]


def _calls(conn: Connection, net: Network) -> dict[str, Callable[[], Any]]:
    """One call of every public method, with valid arguments."""
    events = conn.history("b")
    return {
        "getURI": conn.getURI,
        "networkDefineXML": lambda: conn.networkDefineXML(XML),
        "networkCreateXML": lambda: conn.networkCreateXML(XML),
        "networkLookupByName": lambda: conn.networkLookupByName("b"),
        "networkLookupInHistory": lambda: conn.networkLookupInHistory("b"),
        "networkLookupByUUIDString": lambda: conn.networkLookupByUUIDString(net.UUIDString()),
        "listNetworks": conn.listNetworks,
        "listDefinedNetworks": conn.listDefinedNetworks,
        "numOfNetworks": conn.numOfNetworks,
        "numOfDefinedNetworks": conn.numOfDefinedNetworks,
        "listAllNetworks": conn.listAllNetworks,
        "isActive": net.isActive,
        "isPersistent": net.isPersistent,
        "autostart": net.autostart,
        "bridgeName": net.bridgeName,
        "XMLDesc": net.XMLDesc,
        "create": net.create,
        "destroy": net.destroy,
        "undefine": net.undefine,
        "setAutostart": lambda: net.setAutostart(1),
        "update": lambda: net.update(
            c.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, c.VIR_NETWORK_SECTION_PORTGROUP, -1, "<portgroup name='p'/>", 0
        ),
        "history": lambda: conn.history("b"),
        "history_diffs": lambda: conn.history_diffs("b", events),
        "verify": conn.verify,
        "XMLDescAsOf": lambda: net.XMLDescAsOf(1),
        "diff": lambda: net.diff(1, 1),
        "blame": net.blame,
        "rollback": lambda: net.rollback(1, dry_run=True),
        "DHCPLeases": net.DHCPLeases,
        "host": net.host,
        "setHost": lambda: net.setHost("nsf-hv2"),
    }


def test_every_public_method_is_covered_here(url: str) -> None:
    with netstore.open(url) as conn:
        net = conn.networkDefineXML(XML)
        covered = set(_calls(conn, net)) | ALLOWED_TO_NEVER_FAIL | {"close"}
    assert set(_public_methods(Connection)) | set(_public_methods(Network)) <= covered


def test_every_call_on_a_closed_connection(url: str) -> None:
    conn = netstore.open(url)
    net = conn.networkDefineXML(XML)
    calls = _calls(conn, net)
    conn.close()
    for name, call in calls.items():
        code, message = error_of(call)
        assert code == c.VIR_ERR_INVALID_CONN, name
        # libvirt's calls name their C function (virX); netstore's own calls name themselves (netstoreX)
        assert message.startswith(("invalid connection pointer in vir", "invalid connection pointer in netstore")), name
    assert conn.close() == 0


def _spoil(url: str, request: pytest.FixtureRequest) -> None:
    """Makes the database ``url`` unusable: garbage over a SQLite file; a PostgreSQL database dropped."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        Path(str(parsed.database)).write_bytes(b"garbage" * 1000)
    else:
        request.getfixturevalue("postgres_server").drop_database(url)


def test_every_call_on_a_database_that_went_bad(url: str, request: pytest.FixtureRequest) -> None:
    conn = netstore.open(url)
    net = conn.networkDefineXML(XML)
    calls = _calls(conn, net)
    conn.store._db.close()  # break the store under the connection
    _spoil(url, request)
    for name, call in calls.items():
        if name == "getURI":
            continue
        with pytest.raises(netstore.libvirtError):
            call()


@pytest.mark.parametrize(
    "call",
    [
        lambda conn, net: conn.networkLookupByName(None),
        lambda conn, net: conn.networkLookupByName(5),
        lambda conn, net: conn.networkLookupByUUIDString(None),
        lambda conn, net: conn.networkDefineXML(None),
        lambda conn, net: conn.networkCreateXML(b"<network/>"),
        lambda conn, net: conn.listAllNetworks("all"),
        lambda conn, net: net.XMLDesc("inactive"),
        lambda conn, net: net.update("add", 4, -1, "<host/>", 0),
        lambda conn, net: net.update(3, 4, "x", "<host/>", 0),
        lambda conn, net: net.update(3, 4, -1, 5, 0),
        lambda conn, net: net.setAutostart("yes please"),
    ],
)
def test_bad_arguments_raise_libvirt_errors_and_change_nothing(url: str, call: Callable[..., Any]) -> None:
    with netstore.open(url) as conn:
        net = conn.networkDefineXML(XML)
        head = conn.store.head_position()
        with pytest.raises(netstore.libvirtError):
            call(conn, net)
        assert conn.store.head_position() == head


def test_a_closed_connection_fails_as_libvirt_python_does(url: str) -> None:
    require(importlib.util.find_spec("libvirt") is not None, "libvirt-python is not installed")
    import libvirt

    theirs = libvirt.open("test:///default")
    theirs.close()
    ours = netstore.open(url)
    ours.close()
    for name in ("networkLookupByName", "networkDefineXML"):
        with pytest.raises(libvirt.libvirtError) as expected:
            getattr(theirs, name)("default" if name == "networkLookupByName" else XML)
        with pytest.raises(netstore.libvirtError) as got:
            getattr(ours, name)("default" if name == "networkLookupByName" else XML)
        assert (got.value.get_error_code(), got.value.get_error_domain(), got.value.get_error_message()) == (
            expected.value.get_error_code(), expected.value.get_error_domain(), expected.value.get_error_message())
