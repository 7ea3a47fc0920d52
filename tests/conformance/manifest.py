"""Reading the libvirt conformance corpus manifests (see tests.helpers.corpus_path)."""

from __future__ import annotations

import json

from tests.helpers import corpus_path


def load_manifest(name: str) -> list[dict]:
    """The cases of manifest ``name``; none when the corpus is absent (``corpus_dir`` then skips)."""
    manifest = corpus_path() / name
    if not manifest.is_file():
        return []
    return json.loads(manifest.read_text(encoding="utf-8"))
