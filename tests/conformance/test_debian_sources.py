"""tools/debian_sources.py: deb-src entries derived from the machine's own apt entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.debian_sources import (
    AptEntry,
    codename,
    machine_entries,
    parse_deb822,
    parse_one_line,
    render_deb822,
    source_entries,
)

KEY = "/usr/share/keyrings/debian-archive-keyring.gpg"
DEB822 = f"""Types: deb
# a comment
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main contrib
Signed-By: {KEY}

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
Enabled: no

Types: deb
URIs: https://deb.nodesource.example/node_20.x
Suites: nodistro
Components: main
"""
ONE_LINE = f"""# comment
deb [arch=amd64 signed-by={KEY}] http://mirror.example/debian bookworm main non-free
deb-src http://mirror.example/debian bookworm main
deb https://packages.example/apt cloud-sdk-bookworm main
deb http://mirror.example/debian bookworm-backports contrib
"""


def test_one_line_entries_keep_uri_suite_components_and_key() -> None:
    entries = parse_one_line(ONE_LINE)
    assert entries[0] == AptEntry(("deb",), ("http://mirror.example/debian",), ("bookworm",),
                                  ("main", "non-free"), KEY)
    assert [e.types for e in entries] == [("deb",), ("deb-src",), ("deb",), ("deb",)]


def test_deb822_entries_skip_disabled_paragraphs() -> None:
    entries = parse_deb822(DEB822)
    assert [e.uris[0] for e in entries] == ["http://mirror.example/debian", "https://deb.nodesource.example/node_20.x"]
    assert entries[0].suites == ("bookworm", "bookworm-updates")
    assert entries[0].signed_by == KEY


def test_source_entries_are_the_release_main_entries_as_deb_src() -> None:
    twins = source_entries(parse_deb822(DEB822) + parse_one_line(ONE_LINE), "bookworm")
    assert twins == [
        AptEntry(("deb-src",), ("http://mirror.example/debian",), ("bookworm", "bookworm-updates"), ("main",), KEY),
        AptEntry(("deb-src",), ("http://mirror.example/debian",), ("bookworm",), ("main",), KEY),
    ]


def test_rendered_entries_read_back_the_same() -> None:
    twins = source_entries(parse_deb822(DEB822), "bookworm")
    assert parse_deb822(render_deb822(twins)) == twins


def test_machine_entries_read_list_and_sources_files_only(tmp_path: Path) -> None:
    parts = tmp_path / "sources.list.d"
    parts.mkdir()
    (tmp_path / "sources.list").write_text(ONE_LINE, encoding="utf-8")
    (parts / "debian.sources").write_text(DEB822, encoding="utf-8")
    (parts / "other.list.disabled").write_text("deb http://elsewhere.example/debian bookworm main\n",
                                               encoding="utf-8")
    entries = machine_entries(tmp_path)
    assert len(entries) == 6
    assert all("elsewhere" not in entry.uris[0] for entry in entries)


def test_codename_comes_from_os_release(tmp_path: Path) -> None:
    release = tmp_path / "os-release"
    release.write_text('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_CODENAME=bookworm\n',
                       encoding="utf-8")
    assert codename(release) == "bookworm"
    release.write_text("ID=debian\n", encoding="utf-8")
    with pytest.raises(ValueError, match="VERSION_CODENAME"):
        codename(release)
