"""Fetch libvirt 9.0.0's test corpus from Debian's source package into a git-ignored cache.

    python3 tools/fetch_corpus.py [--cache DIR]

Downloads the ``libvirt`` source package of the machine's Debian release with
``apt-get source --download-only`` through a private apt configuration (its own
sources, lists and cache directories under the cache: the machine's apt setup is
not touched; the ``deb-src`` entries are derived from the machine's own ``deb``
entries), checks the SHA-256 of ``libvirt_9.0.0.orig.tar.xz`` against the value
recorded below, and extracts only what the conformance tests read into
``<cache>/libvirt-9.0.0/tests``.  A complete earlier extraction is reused; a
downloaded tarball with the right checksum is reused.  Exit status 1 with a
message saying what to do when the download or the checksum fails.
"""

from __future__ import annotations

import argparse
import hashlib
import posixpath
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools import debian_sources

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CACHE = REPO_ROOT / ".cache"
SOURCE_PACKAGE = "libvirt"
UPSTREAM_VERSION = "9.0.0"
TARBALL = f"libvirt_{UPSTREAM_VERSION}.orig.tar.xz"
TARBALL_SHA256 = "deca5cff1b7baac297bca9663907c61f71a47183371dc7ac019c107806d5435a"
TREE = f"libvirt-{UPSTREAM_VERSION}"
WANTED_DIRS = ("networkxml2xmlin", "networkxml2xmlout", "networkxml2xmlupdatein",
               "networkxml2xmlupdateout", "networkxml2confdata", "networkxml2firewalldata")
WANTED_FILES = ("networkxml2xmltest.c", "networkxml2xmlupdatetest.c", "networkxml2conftest.c")
STAMP = ".complete"
OVERRIDE_HINT = ("or point NETSTORE_LIBVIRT_CORPUS at the tests/ directory of an extracted "
                 f"{TREE} source tree")


class FetchError(Exception):
    """The corpus could not be obtained; the message says what to do."""


def corpus_dir(cache: Path) -> Path:
    """Where the extracted corpus lives (libvirt's own ``tests/`` layout)."""
    return cache / TREE / "tests"


def wanted(member_name: str) -> str | None:
    """The path below ``tests/`` of a tarball member the tests read, else None."""
    prefix = f"{TREE}/tests/"
    if not member_name.startswith(prefix):
        return None
    relative = member_name[len(prefix):]
    parts = relative.split("/")
    if ".." in parts or "" in parts:
        return None
    if (len(parts) == 2 and parts[0] in WANTED_DIRS) or (len(parts) == 1 and parts[0] in WANTED_FILES):
        return relative
    return None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(tarball: Path) -> None:
    """Raise FetchError (and delete the file) unless ``tarball`` has the recorded SHA-256."""
    actual = sha256_of(tarball)
    if actual != TARBALL_SHA256:
        tarball.unlink()
        raise FetchError(f"{tarball.name} has SHA-256 {actual}, expected {TARBALL_SHA256}: the mirror "
                         "served a different file (deleted). Check the machine's apt mirror and run "
                         f"again, {OVERRIDE_HINT}.")


def _resolve(member: tarfile.TarInfo, members: dict[str, tarfile.TarInfo]) -> tarfile.TarInfo | None:
    """The regular file ``member`` is or links to (libvirt links some test files), else None."""
    for _ in range(8):
        if member.isfile():
            return member
        if not member.issym():
            return None
        target = posixpath.normpath(posixpath.join(posixpath.dirname(member.name), member.linkname))
        if target not in members:
            return None
        member = members[target]
    return None


def extract(tarball: Path, cache: Path) -> Path:
    """Extract the wanted members (links as plain copies) beside the final place, then move them in."""
    final = cache / TREE
    staging = Path(tempfile.mkdtemp(prefix=f".{TREE}-", dir=cache))
    staging.chmod(0o755)
    with tarfile.open(tarball, "r:xz") as archive:
        members = {member.name: member for member in archive.getmembers()}
        resolved = {relative: _resolve(member, members) for name, member in members.items()
                    if (relative := wanted(name)) is not None}
        plan = [(relative, source) for relative, source in resolved.items() if source is not None]
        if len(plan) < len(resolved):
            shutil.rmtree(staging)
            missing = ", ".join(relative for relative, source in resolved.items() if source is None)
            raise FetchError(f"{tarball.name} holds no regular file for {missing}; {OVERRIDE_HINT}.")
        for relative, source in sorted(plan, key=lambda item: item[1].offset_data):
            target = staging / "tests" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            stream = archive.extractfile(source)
            assert stream is not None
            target.write_bytes(stream.read())
    (staging / STAMP).write_text(f"{_stamp_head()}{len(plan)} files\n", encoding="utf-8")
    shutil.rmtree(final, ignore_errors=True)
    staging.rename(final)
    return corpus_dir(cache)


def is_complete(cache: Path) -> bool:
    """True when an earlier run extracted this very tarball completely, with today's selection."""
    stamp = cache / TREE / STAMP
    return stamp.is_file() and stamp.read_text(encoding="utf-8").startswith(_stamp_head())


def _stamp_head() -> str:
    """What a complete extract's stamp starts with: the tarball's checksum and what was selected."""
    return f"{TARBALL_SHA256}\n{' '.join(WANTED_DIRS + WANTED_FILES)}\n"


def _apt_options(apt_dir: Path) -> list[str]:
    settings = {
        "Dir::Etc::SourceList": "/dev/null",
        "Dir::Etc::SourceParts": apt_dir / "sources.list.d",
        "Dir::Etc::Preferences": "/dev/null",
        "Dir::Etc::PreferencesParts": apt_dir / "preferences.d",
        "Dir::State::Lists": apt_dir / "lists",
        "Dir::Cache": apt_dir / "cache",
    }
    return [arg for key, value in settings.items() for arg in ("-o", f"{key}={value}")]


def _run_apt(args: list[str], cwd: Path, what: str) -> str:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise FetchError(f"{what} failed (exit {result.returncode}):\n{result.stderr.strip()}\n"
                         "Check the network and the machine's apt mirrors (/etc/apt/sources.list*), "
                         f"then run again, {OVERRIDE_HINT}.")
    return result.stdout


def private_apt(cache: Path) -> list[str]:
    """Set up the private apt directories (deb-src of the machine's mirrors); its options."""
    apt_dir = cache / "apt"
    for sub in ("sources.list.d", "preferences.d", "lists/partial", "cache/archives/partial"):
        (apt_dir / sub).mkdir(parents=True, exist_ok=True)
    try:
        release = debian_sources.codename()
        entries = debian_sources.source_entries(debian_sources.machine_entries(), release)
    except (OSError, ValueError) as exc:
        raise FetchError(f"cannot read this machine's release or apt sources ({exc}); {OVERRIDE_HINT}.") from exc
    if not entries:
        raise FetchError(f"no Debian '{release}' entry with the main component in /etc/apt/sources.list*: "
                         f"add the Debian mirror to apt's sources, {OVERRIDE_HINT}.")
    (apt_dir / "sources.list.d" / "debian-src.sources").write_text(
        debian_sources.render_deb822(entries), encoding="utf-8")
    return _apt_options(apt_dir)


def source_version(options: list[str], downloads: Path) -> str:
    """The Debian version of the source package built from upstream 9.0.0 (e.g. 9.0.0-4+deb12u2)."""
    listing = _run_apt(["apt-cache", *options, "showsrc", SOURCE_PACKAGE], downloads, "apt-cache showsrc")
    return upstream_match(listing)


def upstream_match(showsrc: str) -> str:
    """The first version in ``apt-cache showsrc`` output packaging upstream 9.0.0 (any Debian revision)."""
    versions = [line.split(":", 1)[1].strip() for line in showsrc.splitlines() if line.startswith("Version:")]
    matching = [v for v in versions if v.split(":")[-1].startswith(f"{UPSTREAM_VERSION}-")]
    if not matching:
        raise FetchError(f"the mirrors list no {SOURCE_PACKAGE} {UPSTREAM_VERSION} source package "
                         f"(found: {', '.join(versions) or 'none'}); {OVERRIDE_HINT}.")
    return matching[0]


def download(cache: Path) -> Path:
    """Download the source package with apt; the path of the verified orig tarball."""
    downloads = cache / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    tarball = downloads / TARBALL
    if tarball.is_file() and sha256_of(tarball) == TARBALL_SHA256:
        return tarball
    options = private_apt(cache)
    _run_apt(["apt-get", "-q", "--error-on=any", *options, "update"], downloads, "apt-get update (private deb-src lists)")
    version = source_version(options, downloads)
    _run_apt(["apt-get", "-q", *options, "source", "--download-only", f"{SOURCE_PACKAGE}={version}"],
             downloads, f"apt-get source --download-only {SOURCE_PACKAGE}={version}")
    if not tarball.is_file():
        raise FetchError(f"apt-get source did not leave {tarball}; {OVERRIDE_HINT}.")
    verify(tarball)
    return tarball


def fetch(cache: Path) -> Path:
    """The extracted corpus directory, fetched and extracted unless already complete."""
    cache.mkdir(parents=True, exist_ok=True)
    if is_complete(cache):
        return corpus_dir(cache)
    return extract(download(cache), cache)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                        help="cache directory (default: .cache in the repository)")
    args = parser.parse_args(argv)
    try:
        path = fetch(args.cache.resolve())
    except FetchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"libvirt {UPSTREAM_VERSION} corpus: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
