"""Daemon file names as libvirt 9.0.0 builds them (research: daemon-config.md §1).

The ``.conf`` and radvd ``.conf`` names use the network name as it is; the
hosts files and pid files go through ``virBufferEscapeString``, so a quote in
the name becomes ``&quot;`` there.  All functions are pure: they return names
and paths, they touch no file.
"""

from __future__ import annotations

import re

DNSMASQ_STATE_DIR = "/var/lib/libvirt/dnsmasq"
PID_DIR = "/run/libvirt/network"

_ESCAPES = {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;"}
_DROPPED = frozenset(chr(c) for c in range(0x20)) - {"\t", "\n", "\r"}
_SPECIAL = re.compile("[" + re.escape("".join(sorted(_ESCAPES.keys() | _DROPPED))) + "]")


def escape_name(name: str) -> str:
    """``virBufferEscapeString``: XML-escape, drop control characters other than tab, LF, CR."""
    if _SPECIAL.search(name) is None:
        return name
    return "".join(_ESCAPES.get(c, c) for c in name if c not in _DROPPED)


def conf_file(name: str) -> str:
    """dnsmasq's main configuration: ``NAME.conf`` (raw name)."""
    return f"{name}.conf"


def hostsfile_file(name: str) -> str:
    """dnsmasq's DHCP hosts file: ``NAME.hostsfile`` (escaped name)."""
    return f"{escape_name(name)}.hostsfile"


def addnhosts_file(name: str) -> str:
    """dnsmasq's additional hosts file: ``NAME.addnhosts`` (escaped name)."""
    return f"{escape_name(name)}.addnhosts"


def pid_file(name: str) -> str:
    """dnsmasq's pid file: ``NAME.pid`` (escaped name, ``virPidFileBuildPath``)."""
    return f"{escape_name(name)}.pid"


def radvd_conf_file(name: str) -> str:
    """radvd's configuration: ``NAME-radvd.conf`` (raw name)."""
    return f"{name}-radvd.conf"


def radvd_pid_file(name: str) -> str:
    """radvd's pid file as libvirt writes it: ``NAME-radvd.pid`` (escaped name)."""
    return pid_file(f"{name}-radvd")


def in_dir(directory: str, filename: str) -> str:
    """``directory/filename``, the way libvirt joins them (``"%s/%s"``)."""
    return f"{directory}/{filename}"


def default_pid_path(name: str) -> str:
    """The dnsmasq pid file path of a privileged libvirtd: ``/run/libvirt/network/NAME.pid``."""
    return in_dir(PID_DIR, pid_file(name))
