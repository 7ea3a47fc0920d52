"""The machine's Debian apt entries, turned into ``deb-src`` entries for a private apt setup.

Reads the one-line (``*.list``) and deb822 (``*.sources``) files under ``/etc/apt``,
keeps the enabled ``deb`` entries of this release (suites named after the codename:
``bookworm``, ``bookworm-updates``, ``bookworm-security``) that carry the ``main``
component, and writes them back as ``deb-src`` paragraphs with the same mirror and key.
No mirror host is chosen here: the machine's own configuration decides.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

APT_ETC = Path("/etc/apt")
OS_RELEASE = Path("/etc/os-release")


@dataclass(frozen=True)
class AptEntry:
    """One repository entry: a type (``deb``/``deb-src``), mirror URIs, suites, components, key."""

    types: tuple[str, ...]
    uris: tuple[str, ...]
    suites: tuple[str, ...]
    components: tuple[str, ...]
    signed_by: str | None = None


def codename(os_release: Path = OS_RELEASE) -> str:
    """The release codename (``VERSION_CODENAME`` of os-release), e.g. ``bookworm``."""
    for line in os_release.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "VERSION_CODENAME" and value.strip().strip('"'):
            return value.strip().strip('"')
    raise ValueError(f"{os_release} names no VERSION_CODENAME")


def parse_one_line(text: str) -> list[AptEntry]:
    """The entries of a one-line-style ``sources.list`` text."""
    entries = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        options: dict[str, str] = {}
        match = re.match(r"(\S+)\s+\[([^\]]*)\]\s+(.*)", line)
        if match:
            kind, option_text, rest = match.groups()
            options = dict(item.partition("=")[::2] for item in option_text.split())
            words = [kind, *shlex.split(rest)]
        else:
            words = shlex.split(line)
        if len(words) < 3:
            continue
        entries.append(AptEntry((words[0],), (words[1],), (words[2],), tuple(words[3:]),
                                options.get("signed-by")))
    return entries


def _deb822_paragraphs(text: str) -> list[dict[str, str]]:
    """Fields of each deb822 paragraph (continuation lines kept, comments dropped)."""
    paragraphs: list[dict[str, str]] = []
    fields: dict[str, str] = {}
    key = ""
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if fields:
                paragraphs.append(fields)
            fields, key = {}, ""
        elif line[0] in " \t" and key:
            fields[key] += "\n" + line
        else:
            key, _, value = line.partition(":")
            key = key.strip().lower()
            fields[key] = value.strip()
    if fields:
        paragraphs.append(fields)
    return paragraphs


def parse_deb822(text: str) -> list[AptEntry]:
    """The enabled entries of a deb822-style ``.sources`` text."""
    entries = []
    for fields in _deb822_paragraphs(text):
        if fields.get("enabled", "yes").lower() == "no":
            continue
        entries.append(AptEntry(tuple(fields.get("types", "").split()), tuple(fields.get("uris", "").split()),
                                tuple(fields.get("suites", "").split()),
                                tuple(fields.get("components", "").split()), fields.get("signed-by")))
    return entries


def machine_entries(apt_etc: Path = APT_ETC) -> list[AptEntry]:
    """Every enabled entry of ``sources.list`` and ``sources.list.d/*.{list,sources}``."""
    entries = []
    main_list = apt_etc / "sources.list"
    if main_list.is_file():
        entries += parse_one_line(main_list.read_text(encoding="utf-8"))
    parts = apt_etc / "sources.list.d"
    for path in sorted(parts.glob("*.list")) if parts.is_dir() else []:
        entries += parse_one_line(path.read_text(encoding="utf-8"))
    for path in sorted(parts.glob("*.sources")) if parts.is_dir() else []:
        entries += parse_deb822(path.read_text(encoding="utf-8"))
    return entries


def source_entries(entries: list[AptEntry], release: str) -> list[AptEntry]:
    """``deb-src`` twins of the ``deb`` entries of ``release`` that carry ``main`` (main only)."""
    twins = []
    for entry in entries:
        suites = tuple(s for s in entry.suites if s == release or s.startswith(release + "-"))
        if "deb" in entry.types and suites and "main" in entry.components:
            twins.append(AptEntry(("deb-src",), entry.uris, suites, ("main",), entry.signed_by))
    return twins


def render_deb822(entries: list[AptEntry]) -> str:
    """``entries`` as the text of a deb822 ``.sources`` file."""
    paragraphs = []
    for entry in entries:
        lines = [f"Types: {' '.join(entry.types)}", f"URIs: {' '.join(entry.uris)}",
                 f"Suites: {' '.join(entry.suites)}", f"Components: {' '.join(entry.components)}"]
        if entry.signed_by:
            lines.append(f"Signed-By: {entry.signed_by}")
        paragraphs.append("\n".join(lines) + "\n")
    return "\n".join(paragraphs)
