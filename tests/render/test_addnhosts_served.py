"""The addn-hosts file as a real dnsmasq reads and serves it (``--test`` ignores it)."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import netstore
from tests.helpers import require
from tests.render.daemons import binary, scratch_dir
from tests.render.dns_probe import free_port, resolve, serve_addnhosts, stop

NETWORK = """<network><name>nsd-dns</name><forward mode='nat'/><bridge name='virbr8'/>
  <dns>
    <host ip='192.168.8.1'><hostname>gateway</hostname><hostname>router</hostname></host>
    <host ip='192.168.8.20'><hostname>files</hostname></host>
    <host ip='2001:db8:8::20'><hostname>files6</hostname></host>
    <host ip='192.168.8.1'><hostname>gw</hostname></host>
  </dns>
  <ip address='192.168.8.1' netmask='255.255.255.0'/>
</network>"""


@pytest.fixture
def served() -> Iterator[tuple[subprocess.Popen[str], int]]:
    require(binary("dnsmasq") is not None, "dnsmasq binary (Debian package dnsmasq-base)")
    addnhosts = netstore.dnsmasq_files(NETWORK).addnhosts
    assert addnhosts is not None
    with scratch_dir() as directory:
        directory.chmod(0o755)  # dnsmasq reads it after dropping to 'nobody'
        path: Path = directory / "nsd-dns.addnhosts"
        path.write_text(addnhosts)
        path.chmod(0o644)
        port = free_port()
        process = serve_addnhosts(path, port)
        try:
            yield process, port
        finally:
            if process.poll() is None:
                stop(process)


def test_names_are_grouped_by_address_with_trailing_tabs() -> None:
    assert netstore.dnsmasq_files(NETWORK).addnhosts == (
        "192.168.8.1\tgateway\trouter\tgw\t\n192.168.8.20\tfiles\t\n2001:db8:8::20\tfiles6\t\n"
    )


def test_dnsmasq_reads_every_name_and_answers(served: tuple[subprocess.Popen[str], int]) -> None:
    process, port = served
    assert resolve("gw", socket.AF_INET, port) == socket.inet_aton("192.168.8.1")
    assert resolve("router", socket.AF_INET, port) == socket.inet_aton("192.168.8.1")
    assert resolve("files", socket.AF_INET, port) == socket.inet_aton("192.168.8.20")
    assert resolve("files6", socket.AF_INET6, port) == socket.inet_pton(socket.AF_INET6, "2001:db8:8::20")
    log = stop(process)
    assert "nsd-dns.addnhosts - 5 names" in log, log
