"""The reliability suite: faults and concurrency, each part ending with one summary line of figures.

    python tools/reliability.py store [--backend sqlite|postgresql|both] [--count N] [--bursts N]
    python tools/reliability.py fleet [--updates N]          (as root: network namespaces, dnsmasq)

``store`` (tools/reliability_store.py): concurrent writers with a follower, SIGKILLed writers,
a forced out-of-order commit, on both backends.  ``fleet`` (tools/reliability_fleet.py):
PostgreSQL restarted mid-burst under two reconcilers, 8 writers as 2 hosts, the hostile-input
corpus.  Exits 1 when a part finds a problem.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> int:
    part = sys.argv[1] if len(sys.argv) > 1 else ""
    if part == "store":
        import reliability_store

        return reliability_store.main()
    if part == "fleet":
        import reliability_fleet

        return reliability_fleet.main()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
