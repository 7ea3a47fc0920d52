"""libvirt 9.0.0's networkxml2confdata cases, found by globbing the expected ``.conf`` files."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from tests.helpers import corpus_path

CONF_DIR = corpus_path() / "networkxml2confdata"
CONF_COUNT = 27
HOSTSFILE_COUNT = 14
BOGUS_OPTION_CASE = "dnsmasq-options"  # libvirt's own test passes the non-option 'foo=bar'


def case_names() -> list[str]:
    """Every case with an expected ``.conf`` (empty when the corpus is absent)."""
    return sorted(path.stem for path in CONF_DIR.glob("*.conf"))


def hostsfile_case_names() -> list[str]:
    return sorted(path.stem for path in CONF_DIR.glob("*.hostsfile"))


def read(case: str, suffix: str) -> Optional[str]:
    path = CONF_DIR / f"{case}.{suffix}"
    return path.read_text() if path.exists() else None


def network_xml(case: str) -> str:
    return (CONF_DIR / f"{case}.xml").read_text()


def corpus_present() -> bool:
    return Path(CONF_DIR).is_dir()
