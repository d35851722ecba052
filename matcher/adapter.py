"""A small domain adapter on top of the frozen MiniLM statement embeddings.

all-MiniLM-L6-v2 gives two wordings of one government IT function ("space imagery to verify
sowing" / "satellite monitoring of crops") a cosine of only 0.3-0.5, about what it gives two
different functions of the same system type. The adapter is one linear map ``W`` (384 x 384)
applied to the embeddings before the cosine:

    similarity(a, b) = cosine(W a, W b)

``W`` starts at the identity and is trained with a supervised contrastive (in-batch negatives)
loss: positives are different wordings of one canonical function, the other statements in the
batch are negatives, and batches are drawn from one industry so the negatives are hard ones
(other functions of the same or a neighbouring system type). A penalty pulls ``W`` back
towards the identity, so texts unlike the training data keep roughly the base model's geometry.
A low-rank residual ``W = I + U V^T`` is available as a stronger regulariser.

The base model is unchanged and its cache keeps raw vectors; only ``FunctionalOverlap``
applies the map. Identical texts keep cosine 1 whatever ``W`` is.

Training data come from the caller (``bench/overlap.py --fit`` builds them from the synthetic
catalog's even-numbered system types and the training clusters of the hand-labelled pairs;
matcher may not import ``catalog``). Training is deterministic for a fixed seed.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

DATA = Path(__file__).parent / "data"
DEFAULT_PATH = DATA / "function_adapter.npy"


class FunctionAdapter:
    """``transform(X)`` = rows of ``X @ W.T``, L2-normalised; identity when ``matrix`` is None."""

    def __init__(self, matrix: np.ndarray | None = None):
        self.matrix = None if matrix is None else np.ascontiguousarray(matrix, dtype=np.float32)
        self._t = None if self.matrix is None else np.ascontiguousarray(self.matrix.T)

    @property
    def is_identity(self) -> bool:
        return self.matrix is None

    def transform(self, embeddings: np.ndarray) -> np.ndarray:
        if self.matrix is None or len(embeddings) == 0:
            return embeddings
        x = np.asarray(embeddings, dtype=np.float32) @ self._t
        return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)

    def digest(self) -> str:
        """Short content hash, recorded with the calibration fitted on top of this adapter."""
        if self.matrix is None:
            return "identity"
        return hashlib.blake2b(self.matrix.astype(np.float16).tobytes(), digest_size=8).hexdigest()

    def save(self, path: Path = DEFAULT_PATH) -> None:
        if self.matrix is None:
            raise ValueError("the identity adapter is not saved; delete the file instead")
        np.save(path, self.matrix.astype(np.float16))

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> "FunctionAdapter":
        return cls(np.load(path, allow_pickle=False).astype(np.float32))

    def __getstate__(self) -> dict:
        return {"matrix": self.matrix}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["matrix"])


def load_default(path: Path = DEFAULT_PATH) -> FunctionAdapter:
    """The shipped adapter; the identity (base model cosine) when the file is missing."""
    return FunctionAdapter.load(path) if Path(path).exists() else FunctionAdapter()


@dataclass
class AdapterConfig:
    rank: int = 0  # 0: full matrix; k > 0: W = I + U V^T with U, V of shape (d, k); -1: diagonal
    steps: int = 400
    lr: float = 2e-3
    weight_decay: float = 1.0  # lambda of ||W - I||_F^2 (full) or ||U||^2 + ||V||^2 (low rank)
    temperature: float = 0.05
    batch_functions: int = 48  # functions per batch, up to 2 wordings each
    seed: int = 0


def train(embeddings: np.ndarray, function: Sequence[int], group: Sequence[int],
          config: AdapterConfig = AdapterConfig(), verbose: bool = False) -> tuple[FunctionAdapter, dict]:
    """Fit ``W`` on statement embeddings with canonical function labels.

    embeddings : (n, d) L2-normalised base-model vectors of training statements.
    function : canonical function label per statement; equal labels = paraphrases (positives).
    group : hard-negative pool per statement (e.g. industry); each batch comes from one group,
        topped up with a few statements of other groups.
    """
    import torch

    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # deterministic, and the machine is shared
    try:
        x_all = torch.tensor(np.asarray(embeddings, dtype=np.float32))
        function = np.asarray(function)
        group = np.asarray(group)
        d = x_all.shape[1]
        by_group: dict[int, dict[int, np.ndarray]] = {}
        for g in np.unique(group):
            fns = np.unique(function[group == g])
            by_group[int(g)] = {int(f): np.flatnonzero(function == f) for f in fns}
        # groups with at least one function worded more than once can supply positives
        groups = [g for g, fns in by_group.items() if any(len(ix) > 1 for ix in fns.values())]
        sizes = np.array([len(by_group[g]) for g in groups], dtype=float)
        eye = torch.eye(d)
        if config.rank < 0:
            s = torch.nn.Parameter(torch.ones(d))
            params = [s]

            def matrix():
                return torch.diag(s)

            def penalty():
                return ((s - 1) ** 2).sum()
        elif config.rank:
            u = torch.nn.Parameter(torch.randn(d, config.rank) * 1e-3)
            v = torch.nn.Parameter(torch.zeros(d, config.rank))
            params = [u, v]

            def matrix():
                return eye + u @ v.T

            def penalty():
                return (u ** 2).sum() + (v ** 2).sum()
        else:
            w = torch.nn.Parameter(eye.clone())
            params = [w]

            def matrix():
                return w

            def penalty():
                return ((w - eye) ** 2).sum()

        opt = torch.optim.Adam(params, lr=config.lr)
        t0 = time.perf_counter()
        losses = []
        for step in range(config.steps):
            g = groups[rng.choice(len(groups), p=sizes / sizes.sum())]
            fns = list(by_group[g])
            take = rng.choice(len(fns), size=min(config.batch_functions, len(fns)), replace=False)
            idx, lab = [], []
            for k in take:
                ix = by_group[g][fns[k]]
                pick = rng.choice(ix, size=min(2, len(ix)), replace=False)
                idx.extend(pick.tolist())
                lab.extend([fns[k]] * len(pick))
            # a few statements of other groups: easy negatives keep the rest of the space in place
            others = np.flatnonzero(group != g)
            extra = rng.choice(others, size=min(len(others), config.batch_functions // 4), replace=False)
            idx.extend(extra.tolist())
            lab.extend(function[extra].tolist())
            idx_t = torch.tensor(idx)
            lab_t = torch.tensor(lab)
            z = x_all[idx_t] @ matrix().T
            z = torch.nn.functional.normalize(z, dim=1)
            logits = z @ z.T / config.temperature
            n = len(idx)
            self_mask = torch.eye(n, dtype=torch.bool)
            logits = logits.masked_fill(self_mask, -1e9)
            pos = (lab_t[:, None] == lab_t[None, :]) & ~self_mask
            has_pos = pos.any(dim=1)
            log_prob = logits - torch.logsumexp(logits, dim=1, keepdim=True)
            loss_anchor = -(log_prob * pos).sum(dim=1)[has_pos] / pos.sum(dim=1)[has_pos]
            loss = loss_anchor.mean() + config.weight_decay * penalty() / d
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
            if verbose and step % 100 == 0:
                print(f"step {step} loss {np.mean(losses[-100:]):.4f}")
        with torch.no_grad():
            final = matrix().numpy().astype(np.float32)
        info = {"config": config.__dict__ | {}, "statements": int(len(function)),
                "functions": int(len(np.unique(function))), "groups": len(groups),
                "train_seconds": round(time.perf_counter() - t0, 2),
                "final_loss": round(float(np.mean(losses[-50:])), 4),
                "distance_from_identity": round(float(np.linalg.norm(final - np.eye(d))), 3)}
        return FunctionAdapter(final), info
    finally:
        torch.set_num_threads(threads)
