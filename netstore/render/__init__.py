"""Daemon files as a pure function of a live definition: dnsmasq and radvd (no I/O).

libvirt 9.0.0's ``networkDnsmasqConfContents`` and the hosts files of ``virdnsmasq.c``,
byte for byte, and the radvd configuration of libvirt's radvd-era template.
The XML entry points parse with the model; the reconciler calls
:func:`render_dnsmasq` and :func:`render_radvd` on the projection's live
definitions directly.  Like libvirt, rendering escapes nothing: keeping
injected lines out of these files is define's and update's job
(:mod:`netstore.model.safety`), not the renderer's, so that the output stays
byte-identical to libvirt's for any definition libvirt accepts.
"""

from __future__ import annotations

from typing import Optional, Union

from netstore.model import parse_network_xml
from netstore.render.changes import DaemonAction, dnsmasq_action, hosts_summary, radvd_action
from netstore.render.dnsmasq import RA_DNSMASQ, RA_MODES, RA_RADVD, DnsmasqFiles, render_dnsmasq
from netstore.render.naming import DNSMASQ_STATE_DIR
from netstore.render.predicates import needs_bridge, needs_dnsmasq, needs_radvd
from netstore.render.radvd import render_radvd

__all__ = [
    "RA_DNSMASQ",
    "RA_MODES",
    "RA_RADVD",
    "DaemonAction",
    "DnsmasqFiles",
    "dnsmasq_action",
    "dnsmasq_files",
    "hosts_summary",
    "needs_bridge",
    "needs_dnsmasq",
    "needs_radvd",
    "radvd_action",
    "radvd_conf",
    "render_dnsmasq",
    "render_radvd",
]


def dnsmasq_files(
    xml: Union[str, bytes],
    *,
    state_dir: str = DNSMASQ_STATE_DIR,
    pid_file: Optional[str] = None,
    ra: str = RA_DNSMASQ,
) -> DnsmasqFiles:
    """dnsmasq's ``.conf``, hosts file and addn-hosts file for a ``<network>`` document."""
    return render_dnsmasq(parse_network_xml(xml), state_dir=state_dir, pid_file=pid_file, ra=ra)


def radvd_conf(xml: Union[str, bytes]) -> Optional[str]:
    """radvd's configuration for a ``<network>`` document; None without an IPv6 ``<ip>``."""
    return render_radvd(parse_network_xml(xml))
