"""Outcomes of a call on either side (libvirt or netstore) and how to compare them."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Optional

from hypothesis import HealthCheck, Phase, settings

import netstore

# A differential test uses one oracle connection for all its examples.
ORACLE_SETTINGS = dict(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                              HealthCheck.data_too_large, HealthCheck.filter_too_much])


def oracle_settings(max_examples: int, **kwargs: Any) -> settings:
    """Settings for a test that drives an oracle.  A failure is reported unshrunk (each
    failure prints its whole history; shrinking through a daemon takes many minutes);
    ``NETSTORE_SHRINK=1`` turns shrinking back on."""
    if os.environ.get("NETSTORE_SHRINK") != "1":
        kwargs.setdefault("phases", [Phase.explicit, Phase.reuse, Phase.generate])
    return settings(max_examples=max_examples, **ORACLE_SETTINGS, **kwargs)


@dataclass(frozen=True)
class Outcome:
    """A call's result: ``value`` on success, else libvirt's error triple."""

    ok: bool
    value: Any = None
    code: Optional[int] = None
    domain: Optional[int] = None
    message: Optional[str] = None

    def error(self) -> tuple[Optional[int], Optional[int], Optional[str]]:
        return self.code, self.domain, self.message

    def __str__(self) -> str:
        if self.ok:
            return f"ok: {self.value!r}"
        return f"error code={self.code} domain={self.domain}: {self.message!r}"


def libvirt_outcome(libvirt: Any, call: Callable[[], Any]) -> Outcome:
    try:
        return Outcome(True, call())
    except libvirt.libvirtError as exc:
        return Outcome(False, None, exc.get_error_code(), exc.get_error_domain(), exc.get_error_message())


def netstore_outcome(call: Callable[[], Any]) -> Outcome:
    try:
        return Outcome(True, call())
    except netstore.libvirtError as exc:
        return Outcome(False, None, exc.get_error_code(), exc.get_error_domain(), exc.get_error_message())


def assert_same(expected: Outcome, got: Outcome, context: str, *, compare_values: bool = True) -> None:
    """libvirt's outcome (``expected``) and netstore's (``got``) must agree exactly."""
    assert expected.ok == got.ok, f"{context}\nlibvirt: {expected}\nnetstore: {got}"
    if not expected.ok:
        assert expected.error() == got.error(), f"{context}\nlibvirt: {expected}\nnetstore: {got}"
    elif compare_values:
        assert expected.value == got.value, (
            f"{context}\n--- libvirt ---\n{expected.value}\n--- netstore ---\n{got.value}")
