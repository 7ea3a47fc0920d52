"""DHCP leases from dnsmasq's lease file: parsing, filters, the library call and virsh's table.

The oracle test gives libvirt's bridge driver (a session libvirtd) the same
leases in its own lease store and compares ``DHCPLeases`` and
``virsh net-dhcp-leases`` with netstore's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import netstore
from netstore.cli.main import cli
from netstore.errors import libvirtError
from netstore.reconciler.errors import ReconcileError
from netstore.reconciler.leases import VIR_IP_ADDR_TYPE_IPV4, VIR_IP_ADDR_TYPE_IPV6, read_leases
from tests.helpers import require
from tests.oracle.session import SessionDaemon

NOW = 1_800_000_000
LATER = NOW + 3600
BRIDGE = "nskbrl"
NETWORK_XML = (
    f"<network><name>nskl</name><bridge name='{BRIDGE}'/>"
    "<ip address='192.168.150.1' netmask='255.255.255.0'/><ip family='ipv6' address='fd00::1' prefix='64'/>"
    "</network>"
)
# (dnsmasq lease-file line, the lease as libvirt's leases helper records it), with {t} = expiry
LEASES: list[tuple[str, dict[str, Any] | None]] = [
    ("{t} 52:54:00:00:00:02 192.168.150.11 vm2 01:52:54:00:00:00:02",
     {"ip-address": "192.168.150.11", "mac-address": "52:54:00:00:00:02", "hostname": "vm2",
      "client-id": "01:52:54:00:00:00:02"}),
    ("{t} 52:54:00:00:00:01 192.168.150.10 * *", {"ip-address": "192.168.150.10", "mac-address": "52:54:00:00:00:01"}),
    ("100 52:54:00:00:00:03 192.168.150.12 * *",
     {"ip-address": "192.168.150.12", "mac-address": "52:54:00:00:00:03", "expiry-time": 100}),
    ("0 52:54:00:00:00:0a 192.168.150.13 * *",
     {"ip-address": "192.168.150.13", "mac-address": "52:54:00:00:00:0a", "expiry-time": 0}),
    ("duid 00:01:00:01:2c:aa:bb:cc:52:54:00:ff:ff:ff", None),
    ("{t} 12345 fd00::10 vm1 00:03:00:01:52:54:00:00:00:01",
     {"ip-address": "fd00::10", "mac-address": "52:54:00:00:00:01", "iaid": "12345", "hostname": "vm1",
      "client-id": "00:03:00:01:52:54:00:00:00:01"}),
]  # fmt: skip


def lease_file(path: Path, expiry: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line.format(t=expiry) + "\n" for line, _ in LEASES))
    return path


def test_v4_and_v6_lines_as_libvirt_python_dicts(tmp_path: Path) -> None:
    leases = read_leases(lease_file(tmp_path / "n.leases", LATER), iface="br0", prefixes={0: 24, 1: 64}, now=NOW)
    assert leases == [
        {"iface": "br0", "expirytime": LATER, "type": VIR_IP_ADDR_TYPE_IPV4, "mac": "52:54:00:00:00:02",
         "ipaddr": "192.168.150.11", "prefix": 24, "hostname": "vm2", "clientid": "01:52:54:00:00:00:02",
         "iaid": None},
        {"iface": "br0", "expirytime": LATER, "type": VIR_IP_ADDR_TYPE_IPV4, "mac": "52:54:00:00:00:01",
         "ipaddr": "192.168.150.10", "prefix": 24, "hostname": None, "clientid": None, "iaid": None},
        {"iface": "br0", "expirytime": 0, "type": VIR_IP_ADDR_TYPE_IPV4, "mac": "52:54:00:00:00:0a",
         "ipaddr": "192.168.150.13", "prefix": 24, "hostname": None, "clientid": None, "iaid": None},
        {"iface": "br0", "expirytime": LATER, "type": VIR_IP_ADDR_TYPE_IPV6, "mac": "52:54:00:00:00:01",
         "ipaddr": "fd00::10", "prefix": 64, "hostname": "vm1", "clientid": "00:03:00:01:52:54:00:00:00:01",
         "iaid": "12345"},
    ]  # fmt: skip


def test_mac_filter_compares_addresses_not_spellings(tmp_path: Path) -> None:
    path = lease_file(tmp_path / "n.leases", LATER)
    found = read_leases(path, mac="52:54:0:0:0:1", iface="br0", now=NOW)
    assert [lease["ipaddr"] for lease in found] == ["192.168.150.10", "fd00::10"]
    assert [lease["ipaddr"] for lease in read_leases(path, mac="52:54:00:00:00:0A", iface="b", now=NOW)] == [
        "192.168.150.13"
    ]
    assert read_leases(path, mac="52:54:00:00:00:99", iface="br0", now=NOW) == []
    with pytest.raises(ReconcileError, match="invalid MAC address: 52:54"):
        read_leases(path, mac="52:54", iface="br0", now=NOW)


def test_expired_leases_are_left_out_and_zero_is_infinite(tmp_path: Path) -> None:
    path = lease_file(tmp_path / "n.leases", LATER)
    assert [lease["expirytime"] for lease in read_leases(path, iface="b", now=LATER + 1)] == [0]


def test_leases_without_a_known_mac_are_left_out(tmp_path: Path) -> None:
    path = tmp_path / "n.leases"
    path.write_text(
        f"{LATER} 06-00:11:22:33:44:55 10.0.0.5 * *\n"  # not Ethernet hardware
        f"{LATER} 777 fd00::20 * 00:02:00:00:ab:11:00:01\n"  # DUID-EN carries no MAC
        f"{LATER} T778 fd00::21 h 00:01:00:01:2c:aa:bb:cc:52:54:00:00:00:21\n"  # DUID-LLT, temporary address
        "garbage line\n\n"
    )
    leases = read_leases(path, iface="b", now=NOW)
    assert [(lease["ipaddr"], lease["mac"], lease["iaid"]) for lease in leases] == [
        ("fd00::21", "52:54:00:00:00:21", "778")
    ]


def test_no_lease_file_means_no_leases(tmp_path: Path) -> None:
    assert read_leases(tmp_path / "absent.leases", iface="b") == []


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def store(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The URL of a database with network nskl defined, and $NETSTORE_STATE_DIR pointing into tmp_path."""
    monkeypatch.setenv("NETSTORE_STATE_DIR", str(tmp_path / "state"))
    with netstore.open(db_url) as conn:
        conn.networkDefineXML(NETWORK_XML)
    return db_url


def run_cli(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", url, *args])


def test_library_reads_the_lease_file_of_an_inactive_network_too(store: str, tmp_path: Path) -> None:
    lease_file(tmp_path / "state" / "nskl.leases", int(time.time()) + 3600)
    with netstore.open(store) as conn:
        net = conn.networkLookupByName("nskl")
        assert [lease["ipaddr"] for lease in net.DHCPLeases()] == [
            "192.168.150.11", "192.168.150.10", "192.168.150.13", "fd00::10"
        ]  # fmt: skip
        assert {lease["iface"] for lease in net.DHCPLeases("52:54:00:00:00:01")} == {BRIDGE}


def test_library_errors_as_libvirt_words_them(store: str) -> None:
    with netstore.open(store) as conn:
        net = conn.networkLookupByName("nskl")
        with pytest.raises(libvirtError) as bad_mac:
            net.DHCPLeases("zz")
        assert (bad_mac.value.get_error_code(), bad_mac.value.get_error_message()) == (44, "invalid MAC address: zz")
        with pytest.raises(libvirtError) as bad_flags:
            net.DHCPLeases(None, 1)
        assert bad_flags.value.get_error_message() == "unsupported flags (0x1) in function networkGetDHCPLeases"
        assert net.DHCPLeases() == []  # no lease file yet


def test_cli_prints_virshs_table_sorted_by_mac(store: str, tmp_path: Path, utc: None) -> None:
    lease_file(tmp_path / "state" / "nskl.leases", 2_000_000_000)
    result = run_cli(store, "net-dhcp-leases", "nskl")
    assert result.exit_code == 0, result.output
    assert result.output == (
        " Expiry Time           MAC address         Protocol   IP address          Hostname   Client ID or DUID\n"
        "--------------------------------------------------------------------------------------------------------------------\n"
        " 2033-05-18 03:33:20   52:54:00:00:00:01   ipv4       192.168.150.10/24   -          -\n"
        " 2033-05-18 03:33:20   52:54:00:00:00:01   ipv6       fd00::10/64         vm1        00:03:00:01:52:54:00:00:00:01\n"
        " 2033-05-18 03:33:20   52:54:00:00:00:02   ipv4       192.168.150.11/24   vm2        01:52:54:00:00:00:02\n"
        " 1970-01-01 00:00:00   52:54:00:00:00:0a   ipv4       192.168.150.13/24   -          -\n"
        "\n"
    )  # fmt: skip
    as_json = json.loads(run_cli(store, "net-dhcp-leases", "nskl", "--mac", "52:54:00:00:00:02", "--json").output)
    assert [(lease["ipaddr"], lease["prefix"]) for lease in as_json] == [("192.168.150.11", 24)]


def test_cli_errors(store: str) -> None:
    bad_mac = run_cli(store, "net-dhcp-leases", "nskl", "--mac", "zz")
    assert bad_mac.exit_code == 1
    assert bad_mac.output == "error: Failed to get leases info for nskl\nerror: invalid MAC address: zz\n"
    missing = run_cli(store, "net-dhcp-leases", "nope")
    assert missing.exit_code == 1 and "Network not found: no network with matching name 'nope'" in missing.output


def test_same_leases_as_libvirts_bridge_driver(store: str, tmp_path: Path, utc: None) -> None:
    ok, why = SessionDaemon.available()
    require(ok, why)
    require(shutil.which("virsh") is not None, "virsh is missing (apt-get install libvirt-clients)")
    expiry = int(time.time()) + 3600
    lease_file(tmp_path / "state" / "nskl.leases", expiry)
    with SessionDaemon() as daemon:
        conn = daemon.connect()
        try:
            theirs = conn.networkDefineXML(NETWORK_XML)
            _write_status(daemon, expiry)
            with netstore.open(store) as ours_conn:
                ours = ours_conn.networkLookupByName("nskl")
                for mac in (None, "52:54:0:0:0:1", "52:54:00:00:00:0A", "52:54:00:00:00:99"):
                    assert ours.DHCPLeases(mac) == theirs.DHCPLeases(mac), mac
            virsh = subprocess.run(
                ["virsh", "-c", daemon.uri, "net-dhcp-leases", "nskl"],
                capture_output=True, text=True, check=True, env={**os.environ, "TZ": "UTC"},
            )  # fmt: skip
            assert run_cli(store, "net-dhcp-leases", "nskl").output == virsh.stdout
        finally:
            conn.close()


def _write_status(daemon: SessionDaemon, expiry: int) -> None:
    """libvirt's lease store for the bridge, as its leases helper writes it."""
    assert daemon.base is not None
    status_dir = daemon.base / "run" / "libvirt" / "dnsmasq" / "lib"
    status_dir.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, Any]] = [{"expiry-time": expiry, **entry} for _, entry in LEASES if entry is not None]
    (status_dir / f"{BRIDGE}.status").write_text(json.dumps(entries))
