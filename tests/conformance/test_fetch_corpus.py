"""tools/fetch_corpus.py: member selection, extraction into the cache, checksum, errors.

The download itself (apt-get against the mirrors) runs in tools/setup-and-test.sh;
these tests use small tarballs built on the spot.
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from tests.helpers import CORPUS_CACHE
from tools import fetch_corpus as fc

TESTS = f"{fc.TREE}/tests"


def _tarball(path: Path, files: dict[str, bytes], links: dict[str, str]) -> Path:
    with tarfile.open(path, "w:xz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name, target in links.items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            archive.addfile(info)
    return path


def test_wanted_keeps_the_data_folders_and_test_programs() -> None:
    assert fc.wanted(f"{TESTS}/networkxml2confdata/nat-network.conf") == "networkxml2confdata/nat-network.conf"
    assert fc.wanted(f"{TESTS}/networkxml2xmlupdatetest.c") == "networkxml2xmlupdatetest.c"
    assert fc.wanted(f"{TESTS}/networkxml2xmlin") is None
    assert fc.wanted(f"{TESTS}/domainschemadata/a.xml") is None
    assert fc.wanted(f"{TESTS}/networkxml2xmlin/sub/a.xml") is None
    assert fc.wanted(f"{TESTS}/networkxml2xmlin/../../evil") is None
    assert fc.wanted("libvirt-9.0.1/tests/networkxml2xmltest.c") is None


def test_extract_copies_wanted_files_and_resolves_links(tmp_path: Path) -> None:
    tarball = _tarball(tmp_path / "t.tar.xz",
                       {f"{TESTS}/networkxml2confdata/a.xml": b"<network/>\n",
                        f"{TESTS}/networkxml2xmltest.c": b"int main;\n",
                        f"{TESTS}/qemuxml2argvdata/x.xml": b"no\n",
                        f"{fc.TREE}/README": b"no\n"},
                       {f"{TESTS}/networkxml2xmlin/a.xml": "../networkxml2confdata/a.xml"})
    cache = tmp_path / "cache"
    cache.mkdir()
    corpus = fc.extract(tarball, cache)
    assert corpus == fc.corpus_dir(cache)
    files = sorted(str(p.relative_to(corpus)) for p in corpus.rglob("*") if p.is_file())
    assert files == ["networkxml2confdata/a.xml", "networkxml2xmlin/a.xml", "networkxml2xmltest.c"]
    assert not (corpus / "networkxml2xmlin" / "a.xml").is_symlink()
    assert (corpus / "networkxml2xmlin" / "a.xml").read_bytes() == b"<network/>\n"
    assert fc.is_complete(cache)
    assert [p.name for p in cache.iterdir()] == [fc.TREE]


def test_extract_refuses_a_dangling_link_and_leaves_nothing(tmp_path: Path) -> None:
    tarball = _tarball(tmp_path / "t.tar.xz", {}, {f"{TESTS}/networkxml2xmlin/a.xml": "../missing.xml"})
    cache = tmp_path / "cache"
    cache.mkdir()
    with pytest.raises(fc.FetchError, match="no regular file for networkxml2xmlin/a.xml"):
        fc.extract(tarball, cache)
    assert list(cache.iterdir()) == []
    assert not fc.is_complete(cache)


def test_a_complete_cache_is_reused_without_downloading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tarball = _tarball(tmp_path / "t.tar.xz", {f"{TESTS}/networkxml2xmltest.c": b"x\n"}, {})
    fc.extract(tarball, tmp_path)

    def no_download(cache: Path) -> Path:
        raise AssertionError("a complete cache must not be downloaded again")

    monkeypatch.setattr(fc, "download", no_download)
    assert fc.fetch(tmp_path) == fc.corpus_dir(tmp_path)


def test_a_wrong_checksum_is_refused_and_the_file_deleted(tmp_path: Path) -> None:
    tarball = tmp_path / fc.TARBALL
    tarball.write_bytes(b"not libvirt")
    with pytest.raises(fc.FetchError) as raised:
        fc.verify(tarball)
    assert fc.TARBALL_SHA256 in str(raised.value)
    assert "NETSTORE_LIBVIRT_CORPUS" in str(raised.value)
    assert not tarball.exists()


def test_a_failed_apt_command_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(fc.FetchError) as raised:
        fc._run_apt(["sh", "-c", "echo 'E: mirror unreachable' >&2; exit 100"], tmp_path, "apt-get update")
    message = str(raised.value)
    assert message.startswith("apt-get update failed (exit 100):\nE: mirror unreachable")
    assert "sources.list" in message and "NETSTORE_LIBVIRT_CORPUS" in message


def test_the_source_version_is_one_packaging_upstream_9_0_0() -> None:
    showsrc = ("Package: libvirt\nVersion: 1:10.0.0-1\nBinary: libvirt0\n\n"
               "Package: libvirt\nVersion: 9.0.0-4+deb12u2\n\nPackage: libvirt\nVersion: 9.0.0-4\n")
    assert fc.upstream_match(showsrc) == "9.0.0-4+deb12u2"
    with pytest.raises(fc.FetchError, match=r"no libvirt 9.0.0 source package \(found: 1:10.0.0-1\)"):
        fc.upstream_match("Package: libvirt\nVersion: 1:10.0.0-1\n")


def test_the_private_apt_setup_leaves_the_machine_config_alone(tmp_path: Path) -> None:
    options = fc._apt_options(tmp_path)
    settings = dict(option.split("=", 1) for option in options[1::2])
    assert options[0::2] == ["-o"] * len(settings)
    assert set(settings) >= {"Dir::Etc::SourceList", "Dir::Etc::SourceParts", "Dir::State::Lists", "Dir::Cache"}
    assert all(value == "/dev/null" or Path(value).is_relative_to(tmp_path) for value in settings.values())


def test_the_tool_fills_the_directory_the_tests_read() -> None:
    assert fc.corpus_dir(fc.DEFAULT_CACHE) == CORPUS_CACHE
