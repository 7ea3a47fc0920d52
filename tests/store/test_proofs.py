"""The reliability proofs (tests/store/proofs.py) in a small size; tools/reliability.py runs them large."""

from __future__ import annotations

import pytest

from netstore.store import backend
from tests.store import proofs


@pytest.mark.parametrize("networks", [1, 8])
def test_eight_concurrent_writers_lose_nothing_and_a_follower_skips_nothing(url, tmp_path, networks):
    summary = proofs.concurrent_writers(url, tmp_path, writers=8, networks=networks, count=6)
    assert not summary.problems, summary.line()
    assert summary.figures["acknowledged"] == 48 and summary.figures["duplicates"] == 0


def test_sigkilled_writers_leave_every_acknowledged_update_and_a_clean_log(url, tmp_path):
    summary = proofs.killed_writers(url, tmp_path, writers=3, bursts=2, count=400)
    assert not summary.problems, summary.line()
    assert summary.figures["acknowledged"] > 0


def test_a_follower_sees_an_out_of_order_commit_exactly_once(postgres_url):
    """PostgreSQL only: on SQLite the second writer waits for the first (one writer at a time)."""
    summary = proofs.out_of_order_commit(postgres_url)
    assert not summary.problems, summary.line()
    assert summary.figures["held"] < summary.figures["committed_first"]


def test_the_out_of_order_proof_catches_a_follower_reading_past_running_writers(postgres_url):
    """With the xmin watermark switched off, the follower reads the later position first and skips the earlier."""
    object.__setattr__(backend.POSTGRESQL, "followable", "1 = 1")  # a frozen dataclass: set for this test only
    try:
        summary = proofs.out_of_order_commit(postgres_url)
    finally:
        object.__setattr__(backend.POSTGRESQL, "followable", backend.PG_FOLLOWABLE)
    assert summary.figures["skipped"] == 1, summary.line()
