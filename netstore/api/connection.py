"""``netstore.open`` and :class:`Connection`: the network half of libvirt-python's virConnect."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from types import TracebackType

from netstore.api.boundary import ConnectionClosedError, libvirt_call
from netstore.api.network import Network
from netstore.api.uri import open_store
from netstore.audit.changes import EventDiff, event_diffs
from netstore.audit.query import HistoryFilter, has_history, select_history
from netstore.constants import (
    VIR_CONNECT_LIST_NETWORKS_ACTIVE,
    VIR_CONNECT_LIST_NETWORKS_AUTOSTART,
    VIR_CONNECT_LIST_NETWORKS_INACTIVE,
    VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART,
    VIR_CONNECT_LIST_NETWORKS_PERSISTENT,
    VIR_CONNECT_LIST_NETWORKS_TRANSIENT,
)
from netstore.decision import Decide
from netstore.errors import VIR_ERR_INVALID_ARG, VIR_ERR_NO_NETWORK, libvirtError
from netstore.events import Event
from netstore.fleet.assign import with_host
from netstore.fleet.hosts import checked_host_id, configured_host_id
from netstore.lifecycle import decide
from netstore.lifecycle.decide import uuid_of
from netstore.lifecycle.flags import check_flags
from netstore.lifecycle.request import DefinitionRequest, parse_request
from netstore.model.values import parse_uuid
from netstore.state import NetworkState
from netstore.store import EventStore
from netstore.store.verify import VerifyReport

# libvirt's listAllNetworks filter groups: a network passes a group when no flag of the
# group is given or it matches one of the given ones.
_FILTER_GROUPS: tuple[dict[int, Callable[[NetworkState], bool]], ...] = (
    {VIR_CONNECT_LIST_NETWORKS_ACTIVE: lambda s: s.active, VIR_CONNECT_LIST_NETWORKS_INACTIVE: lambda s: not s.active},
    {
        VIR_CONNECT_LIST_NETWORKS_PERSISTENT: lambda s: s.persistent,
        VIR_CONNECT_LIST_NETWORKS_TRANSIENT: lambda s: not s.persistent,
    },
    {
        VIR_CONNECT_LIST_NETWORKS_AUTOSTART: lambda s: s.autostart,
        VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART: lambda s: not s.autostart,
    },
)
_LIST_FLAGS_ALL = sum(flag for group in _FILTER_GROUPS for flag in group)


@libvirt_call("virConnectOpen")
def open(url: str | None = None, *, actor: str | None = None) -> Connection:
    """Open the store at ``url``: a SQLAlchemy URL, or one of libvirt's URIs for the default store.

    The default store is ``$NETSTORE_DB``, else ``sqlite:///netstore.db``; libvirt's
    ``qemu:///system``, ``qemu:///session``, ``network:///system``, ``network:///session``
    and ``test:///default`` name it too, so code written for libvirt opens it unchanged.
    An empty database is migrated first.  ``actor`` is recorded with every change
    made through this connection that names no actor of its own (default: the
    operating-system user running the process).  Raises only :class:`libvirtError`.
    """
    store = open_store(url)
    return Connection(store, store.url, actor if actor is not None else _os_user())


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no $USER/$LOGNAME
        return f"uid:{os.getuid()}"


class Connection:
    """A connection to one netstore database, with libvirt-python's network methods."""

    def __init__(self, store: EventStore, url: str, actor: str | None = None) -> None:
        self._open_store: EventStore | None = store
        self._url = url
        self._actor = actor

    @property
    def store(self) -> EventStore:
        """The event store behind this connection (history, verify: netstore's own tools)."""
        return self._require_open()

    @property
    def actor(self) -> str | None:
        """The actor recorded with changes that name none."""
        return self._actor

    @libvirt_call("virConnectGetURI")
    def getURI(self) -> str:  # noqa: N802 - libvirt-python's names throughout
        """The store's database URL (also when it was opened by one of libvirt's URIs)."""
        self._require_open()
        return self._url

    @libvirt_call("virConnectClose")
    def close(self) -> int:
        """Close the store; closing a closed connection does nothing."""
        if self._open_store is not None:
            self._open_store.close()
            self._open_store = None
        return 0

    def __enter__(self) -> Connection:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @libvirt_call("virNetworkDefineXML")
    def networkDefineXML(  # noqa: N802 - libvirt-python's method name
        self, xml: str, *, actor: str | None = None, reason: str | None = None, idempotency_key: str | None = None,
        host: str | None = None,
    ) -> Network:
        """Define a persistent network (over a running one: its pending config).

        ``host``: the fleet host to serve it (default: ``$NETSTORE_HOST_ID`` for a new or
        unassigned network, else none: every reconciler serves it; an assigned network keeps
        its host unless one is given).
        """
        return self._from_xml(xml, decide.define, actor, reason, idempotency_key, host)

    @libvirt_call("virNetworkCreateXML")
    def networkCreateXML(  # noqa: N802 - libvirt-python's method name
        self, xml: str, *, actor: str | None = None, reason: str | None = None, idempotency_key: str | None = None,
        host: str | None = None,
    ) -> Network:
        """Create and start a network (transient unless already defined); ``host`` as for networkDefineXML."""
        return self._from_xml(xml, decide.create, actor, reason, idempotency_key, host)

    @libvirt_call("virNetworkLookupByName")
    def networkLookupByName(self, name: str) -> Network:  # noqa: N802 - libvirt-python's method name
        state = self._load(name)
        if state is None:
            raise libvirtError(VIR_ERR_NO_NETWORK, f"no network with matching name '{name}'")
        return Network(self, state.name, uuid_of(state))

    @libvirt_call("netstoreNetworkLookupInHistory")
    def networkLookupInHistory(self, name: str) -> Network:  # noqa: N802 - libvirt-style method name
        """Network ``name``; if it has since been removed, a handle on the last network of that name.

        A removed network's handle serves the audit calls (``history``, ``XMLDescAsOf``, ``diff``):
        what it was, and who removed it.  Its other calls raise VIR_ERR_NO_NETWORK, as libvirt's do
        on a network that is gone.
        """
        state = self._load(name)
        if state is not None:
            return Network(self, state.name, uuid_of(state))
        store = self._require_open()
        head = 0 if _never_stored(name) else store.head_version(name)
        before_removal = store.state_at(name, head - 1) if head > 1 else None
        if before_removal is None:
            raise libvirtError(VIR_ERR_NO_NETWORK, f"no network with matching name '{name}'")
        return Network(self, name, uuid_of(before_removal))

    @libvirt_call("virNetworkLookupByUUIDString")
    def networkLookupByUUIDString(self, uuidstr: str) -> Network:  # noqa: N802 - libvirt-python's method name
        uuid = parse_uuid(uuidstr) if isinstance(uuidstr, str) else None
        if uuid is None:
            raise libvirtError(VIR_ERR_INVALID_ARG, "uuidstr in virNetworkLookupByUUIDString must be a valid UUID")
        for state in self._states():
            if uuid_of(state) == uuid:
                return Network(self, state.name, uuid)
        raise libvirtError(VIR_ERR_NO_NETWORK, f"no network with matching uuid '{uuid}'")

    @libvirt_call("virConnectListNetworks")
    def listNetworks(self) -> list[str]:  # noqa: N802 - libvirt-python's method name
        """Names of the active networks."""
        return [state.name for state in self._states() if state.active]

    @libvirt_call("virConnectListDefinedNetworks")
    def listDefinedNetworks(self) -> list[str]:  # noqa: N802 - libvirt-python's method name
        """Names of the inactive (persistent) networks."""
        return [state.name for state in self._states() if not state.active]

    @libvirt_call("virConnectNumOfNetworks")
    def numOfNetworks(self) -> int:  # noqa: N802 - libvirt-python's method name
        return len(self.listNetworks())

    @libvirt_call("virConnectNumOfDefinedNetworks")
    def numOfDefinedNetworks(self) -> int:  # noqa: N802 - libvirt-python's method name
        return len(self.listDefinedNetworks())

    @libvirt_call("virConnectListAllNetworks")
    def listAllNetworks(self, flags: int = 0) -> list[Network]:  # noqa: N802 - libvirt-python's method name
        """Every network, filtered by the VIR_CONNECT_LIST_NETWORKS_* flags."""
        check_flags(flags, _LIST_FLAGS_ALL, "networkConnectListAllNetworks")
        return [Network(self, s.name, uuid_of(s)) for s in self._states() if _selected(s, flags)]

    # -- netstore's own: audit and maintenance (see netstore.audit) ------------------------

    @libvirt_call("netstoreHistory")
    def history(self, name: str, wanted: HistoryFilter | None = None) -> list[Event]:
        """The events of network ``name`` (which may since have been removed), filtered, oldest first."""
        if _never_stored(name) or not has_history(self._require_open(), name):
            raise libvirtError(VIR_ERR_NO_NETWORK, f"no network with matching name '{name}'")
        return select_history(self._require_open(), name, wanted or HistoryFilter())

    @libvirt_call("netstoreHistoryDiffs")
    def history_diffs(self, name: str, events: list[Event]) -> dict[int, EventDiff]:
        """The unified diffs of the live and persistent definitions each of ``events`` made, by version."""
        return event_diffs(self._require_open(), name, events)

    @libvirt_call("netstoreVerify")
    def verify(self) -> VerifyReport:
        """Check the hash chain and that every projection equals a replay of the log."""
        return self._require_open().verify()

    def _require_open(self) -> EventStore:
        if self._open_store is None:
            raise ConnectionClosedError("the connection is closed")
        return self._open_store

    def _append(
        self, name: str, decision: Decide, actor: str | None, reason: str | None, idempotency_key: str | None
    ) -> Event:
        return self.store.append(
            name, decision, actor=actor or self._actor, reason=reason, idempotency_key=idempotency_key
        )

    def _load(self, name: str) -> NetworkState | None:
        if _never_stored(name):
            return None
        state = self.store.load(name)
        return state if state is not None and state.exists else None

    def _states(self) -> list[NetworkState]:
        return sorted((s for s in self.store.list_states() if s.exists), key=lambda s: s.name)

    def _from_xml(
        self,
        xml: str,
        factory: Callable[[DefinitionRequest], Decide],
        actor: str | None,
        reason: str | None,
        idempotency_key: str | None,
        host: str | None,
    ) -> Network:
        """networkDefineXML and networkCreateXML: parse, append the factory's decision (carrying
        the host assignment when it changes one), return the handle."""
        wanted = checked_host_id(host) if host is not None else None
        request = parse_request(xml)
        default = wanted or configured_host_id()
        decision = factory(request) if default is None else with_host(factory(request), default,
                                                                     keep_assigned=wanted is None)
        self._append(request.name, decision, actor, reason, idempotency_key)
        return self._handle_after(request)

    def _handle_after(self, request: DefinitionRequest) -> Network:
        state = self._load(request.name)
        uuid = uuid_of(state) if state is not None else request.parsed.uuid
        return Network(self, request.name, uuid)


def _selected(state: NetworkState, flags: int) -> bool:
    for group in _FILTER_GROUPS:
        wanted = [predicate for flag, predicate in group.items() if flags & flag]
        if wanted and not any(predicate(state) for predicate in wanted):
            return False
    return True


def _never_stored(name: object) -> bool:
    """True for a name with a NUL byte: no network has one (definitions refuse it), and
    PostgreSQL cannot even compare a text holding one, so a lookup must not reach the database."""
    return isinstance(name, str) and "\x00" in name
