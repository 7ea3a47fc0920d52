"""The corpus and the cases generated from libvirt's test programs agree with each other."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conformance.manifest import conf_cases, roundtrip_cases, update_cases
from tests.helpers import CORPUS_CACHE, CORPUS_ENV, REPO_ROOT, corpus_path

DATA_DIRS = ("networkxml2xmlin", "networkxml2xmlout", "networkxml2xmlupdatein",
             "networkxml2xmlupdateout", "networkxml2confdata")
PATH_KEYS = ("in", "out", "base", "update", "xml", "conf", "hostsfile")


def _named_files() -> set[str]:
    cases = roundtrip_cases() + update_cases() + conf_cases()
    return {case[key] for case in cases for key in PATH_KEYS if case.get(key)}


def test_conf_cases_are_the_conf_files(corpus_dir: Path) -> None:
    cases = conf_cases()
    conf_files = sorted(path.stem for path in (corpus_dir / "networkxml2confdata").glob("*.conf"))
    assert len(cases) == 27
    assert sorted(case["name"] for case in cases) == conf_files
    assert sum(case["hostsfile"] is not None for case in cases) == 14


def test_every_named_file_exists(corpus_dir: Path) -> None:
    missing = sorted(name for name in _named_files() if not (corpus_dir / name).is_file())
    assert missing == []


def test_every_corpus_file_is_named_by_a_case(corpus_dir: Path) -> None:
    present = {str(path.relative_to(corpus_dir)) for folder in DATA_DIRS
               for path in (corpus_dir / folder).iterdir()}
    assert len(present) == 46 + 42 + 22 + 18 + 68
    assert present - _named_files() == set()


def test_update_cases_use_parent_index_zero(corpus_dir: Path) -> None:
    declared = {case["name"]: case["parent_index_declared"] for case in update_cases()}
    assert {case["parent_index"] for case in update_cases()} == {0}
    assert declared["append-dhcp-range"] == 1
    assert declared["insert-host"] == -12435


def test_the_default_corpus_is_the_cache_inside_the_project(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CORPUS_ENV, raising=False)
    assert corpus_path() == CORPUS_CACHE
    assert CORPUS_CACHE.is_relative_to(REPO_ROOT)


def test_the_environment_overrides_the_corpus(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CORPUS_ENV, str(tmp_path))
    assert corpus_path() == tmp_path
    assert roundtrip_cases() == []
