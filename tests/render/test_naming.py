"""File names as libvirt builds them: raw for .conf, XML-escaped for hosts files and pid files."""

from __future__ import annotations

import netstore
from netstore.render import naming
from tests.render.corpus import network_xml, read

QUOTED = 'default"with"quotes"'


def test_plain_names() -> None:
    names = (
        naming.conf_file("default"),
        naming.hostsfile_file("default"),
        naming.addnhosts_file("default"),
        naming.radvd_conf_file("default"),
        naming.pid_file("default"),
        naming.radvd_pid_file("default"),
    )
    assert names == (
        "default.conf",
        "default.hostsfile",
        "default.addnhosts",
        "default-radvd.conf",
        "default.pid",
        "default-radvd.pid",
    )


def test_quotes_are_escaped_only_where_libvirt_escapes_them() -> None:
    escaped = "default&quot;with&quot;quotes&quot;"
    assert naming.conf_file(QUOTED) == f"{QUOTED}.conf"
    assert naming.radvd_conf_file(QUOTED) == f"{QUOTED}-radvd.conf"
    assert naming.hostsfile_file(QUOTED) == f"{escaped}.hostsfile"
    assert naming.addnhosts_file(QUOTED) == f"{escaped}.addnhosts"
    assert naming.pid_file(QUOTED) == f"{escaped}.pid"
    assert naming.radvd_pid_file(QUOTED) == f"{escaped}-radvd.pid"


def test_every_xml_special_character_and_dropped_control_characters() -> None:
    assert naming.escape_name("a<b>c&d'e\"f") == "a&lt;b&gt;c&amp;d&apos;e&quot;f"
    assert naming.escape_name("a\x01b\tc\rd\ne") == "ab\tc\rd\ne"


def test_paths_join_like_libvirt() -> None:
    assert naming.in_dir("/var/lib/libvirt/dnsmasq", "n.conf") == "/var/lib/libvirt/dnsmasq/n.conf"
    assert naming.default_pid_path(QUOTED) == "/run/libvirt/network/default&quot;with&quot;quotes&quot;.pid"


def test_the_conf_uses_the_same_names_as_the_corpus_case() -> None:
    conf = read("nat-network-name-with-quotes", "conf")
    assert conf is not None
    escaped = naming.hostsfile_file(QUOTED)
    assert f"dhcp-hostsfile={naming.DNSMASQ_STATE_DIR}/{escaped}\n" in conf
    assert f"##    virsh net-edit {QUOTED}\n" in conf


def test_state_dir_and_pid_file_land_in_the_conf() -> None:
    pid = naming.default_pid_path("default")
    conf = netstore.dnsmasq_files(network_xml("nat-network"), state_dir="/srv/dnsmasq", pid_file=pid).conf
    lines = conf.splitlines()
    assert lines.index(f"pid-file={pid}") == lines.index("except-interface=lo") - 1
    assert "dhcp-hostsfile=/srv/dnsmasq/default.hostsfile" in lines
    assert "addn-hosts=/srv/dnsmasq/default.addnhosts" in lines
