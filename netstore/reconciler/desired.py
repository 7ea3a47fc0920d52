"""The desired state of one network on this host, from its live definition (pure).

An active network that libvirt gives a bridge (forward mode none, nat, route,
open) gets the bridge, dnsmasq's files and dnsmasq when libvirt would run it,
and with ``ra="radvd"`` radvd when it has an IPv6 address; other forward modes
get nothing, as in libvirt.  Contents and the rules come from
:mod:`netstore.render`; this module only names the files and daemons.
"""

from __future__ import annotations

from typing import Optional

from netstore.model.types import NetworkDef
from netstore.reconciler.bridge import bridge_spec
from netstore.reconciler.daemons import dnsmasq_spec, radvd_spec
from netstore.reconciler.paths import Paths
from netstore.reconciler.plan import Desired
from netstore.render import needs_bridge, needs_dnsmasq, needs_radvd, render_dnsmasq, render_radvd


def desired_network(name: str, live: Optional[NetworkDef], exists: bool, paths: Paths, ra: str,
                    netns: Optional[str] = None) -> Desired:
    """What ``name`` needs here; ``live`` is its live definition (None: not active), ``exists``: not undefined.

    ``netns``: the daemons run in that network namespace (tests; None: this one).
    """
    dnsmasq, radvd = dnsmasq_spec(name, paths, netns), radvd_spec(name, paths, netns)
    if live is None or not needs_bridge(live):
        return Desired(name=name, active=live is not None, exists=exists, paths=paths, dnsmasq=dnsmasq, radvd=radvd)
    files = None
    if needs_dnsmasq(live):
        files = render_dnsmasq(live, state_dir=str(paths.state_dir), pid_file=str(paths.dnsmasq_pid(name)), ra=ra)
    return Desired(
        name=name, active=True, exists=True, paths=paths, bridge=bridge_spec(live),
        dnsmasq=dnsmasq, radvd=radvd, dnsmasq_files=files,
        radvd_conf=render_radvd(live) if needs_radvd(live, ra) else None,
    )
