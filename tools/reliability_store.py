"""The reliability suite, store half: the proofs of tests/store/proofs.py at full size.

    python tools/reliability.py store [--backend sqlite|postgresql|both] [--count N] [--bursts N]

On each backend (PostgreSQL: a throwaway cluster in a temporary ``nss-pg-*``
folder, or ``$NETSTORE_TEST_PG_URL``), on a fresh database each:

* 8 writer processes against one network, then against 8 networks, with a
  follower polling ``read_all`` meanwhile: no acknowledged update lost, every
  network's versions 1..N, the follower saw every position exactly once;
* writers SIGKILLed at random moments of their bursts: every acknowledged
  update stored as acknowledged, verify clean (chains, projections = replay);
* PostgreSQL only: an append holding an earlier position open while a later one
  commits; a follower polling meanwhile sees every event exactly once.

Each proof prints one line of figures; the last line sums them up.  Exit 1 if
any proof found a problem.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.store import proofs
from tests.store.postgres import PostgresServer


@contextmanager
def databases(backend: str) -> Iterator[Callable[[Path], str]]:
    """A factory of fresh databases of ``backend`` (given a scratch folder)."""
    if backend == "sqlite":
        yield lambda folder: f"sqlite:///{folder / 'netstore.db'}"
        return
    server = PostgresServer.from_environment(prefix="nss-pg-")
    if server.admin_url is None:
        raise SystemExit(server.unavailable)
    try:
        yield lambda _folder: server.new_database()
    finally:
        server.stop()


def run_store(backend: str, count: int, bursts: int) -> list[proofs.Summary]:
    summaries = []
    with databases(backend) as new_url:
        runs: list[Callable[[str, Path], proofs.Summary]] = [
            lambda url, folder: proofs.concurrent_writers(url, folder, writers=8, networks=1, count=count),
            lambda url, folder: proofs.concurrent_writers(url, folder, writers=8, networks=8, count=count),
            lambda url, folder: proofs.killed_writers(url, folder, writers=4, bursts=bursts, count=10 * count),
        ]
        if backend == "postgresql":
            runs.append(lambda url, _folder: proofs.out_of_order_commit(url))
        for proof in runs:
            with tempfile.TemporaryDirectory(prefix="nss-rel-") as scratch:
                summary = proof(new_url(Path(scratch)), Path(scratch))
            summary.name = f"[{backend}] {summary.name}"
            print(summary.line(), flush=True)
            summaries.append(summary)
    return summaries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("part", choices=["store"], help="which half of the suite (the fleet half is separate)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--count", type=int, default=100, help="updates per writer in the concurrent proofs")
    parser.add_argument("--bursts", type=int, default=5, help="SIGKILLed bursts")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    summaries = [summary for backend in backends for summary in run_store(backend, args.count, args.bursts)]
    failed = [summary for summary in summaries if summary.problems]
    figures = {key: sum(int(s.figures.get(key, 0)) for s in summaries)
               for key in ("acknowledged", "lost", "duplicates", "skipped", "killed")}
    print(f"summary: {len(summaries)} proofs, {len(failed)} failed; "
          + ", ".join(f"{key} {value}" for key, value in figures.items()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
