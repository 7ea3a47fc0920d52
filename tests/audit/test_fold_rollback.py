"""The one fold applies a rollback event: whole definitions restored; live only while active."""

from __future__ import annotations

import pytest

from netstore.errors import HistoryError
from netstore.events import Change, EventType
from netstore.model.codec import to_dict
from netstore.model.parse_network import parse_network_xml
from netstore.projector.fold import apply_change
from netstore.state import NetworkState, Scope, ScopeDelta

XML = "<network><name>f</name><uuid>3e3fce45-4f53-4fa7-bb32-11f34168b82e</uuid><bridge name='nsaf0'/></network>"


def _rollback(*scopes: str) -> Change:
    defn = to_dict(parse_network_xml(XML))
    effects = tuple({"scope": scope, "definition": defn, "to_version": 1} for scope in scopes)
    return Change(EventType.ROLLBACK, "f", affects_live="live" in scopes, affects_config="config" in scopes,
                  effects=effects)


def test_restores_the_definitions_it_carries():
    state = NetworkState("f", version=4, live=parse_network_xml(XML.replace("nsaf0", "nsaf1")))
    deltas = apply_change(state, _rollback("live", "config"))
    assert deltas == [ScopeDelta(Scope.LIVE), ScopeDelta(Scope.CONFIG)]
    assert state.live.bridge.name == "nsaf0" and state.config.bridge.name == "nsaf0" and state.version == 5


def test_a_live_definition_for_a_network_that_is_not_running_is_a_broken_history():
    with pytest.raises(HistoryError):
        apply_change(NetworkState("f", version=2, config=parse_network_xml(XML)), _rollback("live"))
