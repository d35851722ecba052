"""Fitted indexes on disk: one directory per index, a JSON manifest and a joblib payload.

Writes are atomic: the new directory is built beside the old one and swapped in by rename,
so a reader sees the old index or the new one, never half of one. The payload is a pickle:
load only directories this application wrote (``PRACTICEBANK_HOME``).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any, Iterable

import joblib

from practicebank.errors import IndexNotBuilt
from practicebank.matcher.encoder import MODEL_NAME

MANIFEST = "manifest.json"
PAYLOAD = "index.joblib"
FORMAT = 6  # bump whenever a pickled index class changes shape or module
# 6: the search index's facet names are the web's (industry, technology: settings.FACETS);
#    matcher.families became a package (FamilyFinder, Family moved; Family.synthetic)
# 5: the practicebank namespace
# 4: multilingual encoder (512-d), lemma TF-IDF, families' reference reasons as codes


class StoreError(IndexNotBuilt, RuntimeError):
    """A stored index exists but cannot be used (corrupt, other format or model): a 503 until rebuilt."""


def ids_hash(ids: Iterable[str]) -> str:
    """Fingerprint of the indexed ids, in order."""
    return hashlib.blake2b("\n".join(ids).encode("utf-8"), digest_size=16).hexdigest()


def save(index: Any, directory: str | Path, catalog_revision: int, extra: dict | None = None) -> dict:
    """Write a fitted index (anything with ``ids_``) and its manifest (with ``extra`` keys);
    returns the manifest."""
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    manifest = {
        "format": FORMAT, "type": type(index).__qualname__,
        "catalog_revision": int(catalog_revision), "records": len(index.ids_),
        "ids_hash": ids_hash(index.ids_),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "model": MODEL_NAME,
        **(extra or {}),
    }
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        joblib.dump(index, tmp / PAYLOAD)
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _swap_in(tmp, directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def _swap_in(tmp: Path, directory: Path) -> None:
    old = directory.with_name(f".{directory.name}.old-{uuid.uuid4().hex[:8]}")
    if directory.exists():
        os.rename(directory, old)
    os.rename(tmp, directory)
    shutil.rmtree(old, ignore_errors=True)


def read_manifest(directory: str | Path) -> dict | None:
    """The manifest, or None where no index was saved."""
    path = Path(directory) / MANIFEST
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"unreadable index manifest {path}: {exc}") from exc


def load(directory: str | Path, expected_type: type | None = None) -> Any | None:
    """The stored index, or None where none was saved; StoreError where one cannot be used."""
    manifest = read_manifest(directory)
    if manifest is None:
        return None
    if manifest.get("format") != FORMAT or manifest.get("model") != MODEL_NAME:
        raise StoreError(f"index in {directory} was built by format {manifest.get('format')} / "
                         f"model {manifest.get('model')}; rebuild it (practicebank index)")
    try:
        index = joblib.load(Path(directory) / PAYLOAD)
    except Exception as exc:  # noqa: BLE001 - any unpickling failure means "rebuild"
        raise StoreError(f"corrupt index in {directory}: {exc}; rebuild it (practicebank index)") from exc
    if expected_type is not None and not isinstance(index, expected_type):
        raise StoreError(f"index in {directory} is a {type(index).__name__}, "
                         f"not a {expected_type.__name__}")
    return index


def is_stale(directory: str | Path, catalog_revision: int, ids: Iterable[str] | None = None) -> bool:
    """True when the stored index is missing, unusable, built for another catalog revision,
    by another model, or (given ``ids``) over other records."""
    try:
        manifest = read_manifest(directory)
    except StoreError:
        return True
    if manifest is None or manifest.get("format") != FORMAT or manifest.get("model") != MODEL_NAME:
        return True
    if manifest.get("catalog_revision") != int(catalog_revision):
        return True
    return ids is not None and manifest.get("ids_hash") != ids_hash(ids)
