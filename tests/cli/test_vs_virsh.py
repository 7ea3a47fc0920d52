"""net-info, net-uuid, net-name and net-edit print what virsh 9.0.0 prints (test:///default)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.support import Netstore, editor_script, failed, ok, virsh

UUID = "0c2d5e4f-1a2b-4c3d-8e9f-a0b1c2d3e4f5"
NAT = (f"<network><name>nsxnat</name><uuid>{UUID}</uuid><forward mode='nat'/><bridge name='nsxbr0'/>"
       "<mac address='52:54:00:0a:0b:0c'/><ip address='10.9.0.1' prefix='24'/></network>")
NO_BRIDGE = (f"<network><name>nsxdirect</name><uuid>{UUID}</uuid>"
             "<forward mode='bridge'><interface dev='eth0'/></forward></network>")


@pytest.fixture
def ns(db_url: str, tmp_path: Path) -> Netstore:
    return Netstore(db_url, tmp_path)


def _after_define(stdout: str, path: str) -> str:
    name_line = stdout.split("\n\n", 1)
    assert name_line[0].endswith(f"defined from {path}"), stdout
    return name_line[1]


@pytest.mark.parametrize("xml", [NAT, NO_BRIDGE], ids=["bridge", "no-bridge"])
@pytest.mark.parametrize("command", [("net-info", "{name}"), ("net-info", UUID), ("net-uuid", "{name}"),
                                     ("net-name", UUID)])
def test_inspection_commands_print_what_virsh_prints(ns: Netstore, xml: str, command: tuple[str, str]) -> None:
    path = ns.file("net.xml", xml)
    name = "nsxnat" if xml is NAT else "nsxdirect"
    args = (command[0], command[1].format(name=name))
    expected, errors = virsh(f"net-define {path}", " ".join(args))
    assert errors == ""
    ok(ns("net-define", path))
    assert ok(ns(*args)) == _after_define(expected, path)


@pytest.mark.parametrize("args", [("net-info", "nope"), ("net-uuid", "nope"), ("net-name", "nope"),
                                  ("net-name", "11111111-2222-4333-8444-555555555555"),
                                  ("net-uuid", UUID)])
def test_lookup_failures_read_as_virsh_says_them(ns: Netstore, args: tuple[str, str]) -> None:
    path = ns.file("net.xml", NAT)
    _, expected = virsh(f"net-define {path}", " ".join(args))
    ok(ns("net-define", path))
    assert failed(ns(*args)) == expected


@pytest.mark.parametrize(
    ("body", "changed"),
    [("true", False), ("sed -i \"s|<forward|<domain name='x.example'/><forward|\" \"$1\"", True)],
    ids=["unchanged", "changed"],
)
def test_net_edit_says_what_virsh_says(ns: Netstore, tmp_path: Path, body: str, changed: bool) -> None:
    path = ns.file("net.xml", NAT)
    env = {"EDITOR": editor_script(tmp_path, "nsxedit.sh", body), "VISUAL": None}
    expected, errors = virsh(f"net-define {path}", "net-edit nsxnat", "net-dumpxml nsxnat", env=env)
    assert errors == ""
    edit_said, dumped = _after_define(expected, path).split("\n\n", 1)
    ok(ns("net-define", path))
    history = ok(ns("history", "nsxnat", "--json"))
    assert ok(ns("net-edit", "nsxnat", env=env)) == edit_said + "\n\n"
    assert ok(ns("net-dumpxml", "nsxnat", "--inactive")) == dumped
    assert (ok(ns("history", "nsxnat", "--json")) != history) is changed
