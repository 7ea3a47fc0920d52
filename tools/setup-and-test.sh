#!/usr/bin/env bash
# Set up everything the test suite needs on Debian 12 and run it with no skips allowed.
#
#   bash tools/setup-and-test.sh [pytest args...]
#
# Installs the Debian packages (as root, or through sudo), creates .venv with the
# package and its test extras (libvirt-python 9.0.0 builds against libvirt-dev), and
# runs pytest with NETSTORE_REQUIRE_ALL=1, so a missing capability fails instead of
# skipping.  .ci/run calls exactly this.  Set NETSTORE_SKIP_APT=1 to skip apt-get.
#
# The conformance tests read libvirt 9.0.0's own test corpus: tools/fetch_corpus.py
# downloads Debian's libvirt source package (deb-src of the machine's mirrors, through a
# private apt configuration), checks its SHA-256 and extracts the test files into .cache/
# (reused on the next run).  NETSTORE_LIBVIRT_CORPUS=<libvirt-9.0.0/tests> skips that.
set -euo pipefail

cd "$(dirname "$0")/.."

APT_PACKAGES=(
    libvirt-dev pkg-config gcc   # build libvirt-python from source
    libvirt-daemon               # /usr/sbin/libvirtd + the bridge network driver (the session oracle)
    util-linux                   # setpriv: run that libvirtd as nobody when we are root
    dnsmasq-base radvd iproute2  # dnsmasq, radvd and ip(8): the reconciler's daemons and the oracle libvirtd's
    ndisc6 busybox               # rdisc6 and udhcpc: the guest side of the end-to-end tests
    libvirt-clients              # virsh: the oracle of the CLI's output (tests/cli)
    nftables                     # nft: the firewall of nat and route networks
    postgresql                   # initdb/pg_ctl: the store tests start a throwaway cluster
)

if [[ "${NETSTORE_SKIP_APT:-0}" != 1 ]]; then
    if [[ $(id -u) -eq 0 ]]; then SUDO=(); else SUDO=(sudo); fi
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -q
    "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${APT_PACKAGES[@]}"
fi

PYTHON=${PYTHON:-python3}
if [[ -z "${NETSTORE_LIBVIRT_CORPUS:-}" ]]; then
    "$PYTHON" tools/fetch_corpus.py
fi

if [[ ! -x .venv/bin/python ]]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q -e '.[test,conformance,postgresql]'

status=0
NETSTORE_REQUIRE_ALL=1 .venv/bin/python -m pytest "$@" || status=$?
if [[ $status -eq 5 ]]; then
    echo "error: pytest collected no tests" >&2
    status=1
fi
# Second pass on PostgreSQL: every test whose database comes from the db_url/new_db_url
# fixtures runs again, on a throwaway PostgreSQL cluster (tests/conftest.py deselects the rest:
# they open no database, are SQLite's own, or ran on both backends in the first pass already).
if [[ $status -eq 0 && -z "$*" ]]; then
    NETSTORE_TEST_DB=postgresql NETSTORE_REQUIRE_ALL=1 .venv/bin/python -m pytest -q -p no:cacheprovider \
        || status=$?
fi
exit "$status"
