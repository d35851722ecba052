"""The similarity of two function statements and the features of an aligned pair.

Two statements are compared by the cosine of their encoder vectors and by the cosine of their
character 3-5-gram counts (shared word stems; zero across scripts, so a Russian-English pair
rests on the encoder alone). ``pair_features`` describes one aligned pair of a comparison for
the calibrator (``matcher/calibration.py``), which maps it to the probability that both
statements name the same function; the overlap engine (``matcher/overlap.py``) and the
calibration's fitting (``matcher/training.py``) read the same features from here.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

# Pair script codes (``pair_scripts``).
LATIN, CYRILLIC, CROSS = 0, 1, 2

# Stateless (hashing) so compare() and fit() never disagree and nothing needs refitting;
# char_wb 3-5 grams cover Russian stems without a stemmer.
CHAR_VECTORIZER = HashingVectorizer(
    analyzer="char_wb", ngram_range=(3, 5), n_features=2**20, alternate_sign=False, norm="l2",
)

# The logistic calibrator's features of an aligned pair, in column order (``pair_features``).
FEATURES = ("similarity", "char", "row_margin", "col_margin", "cyrillic", "cross_language",
            "cross_x_similarity", "context", "mutual_best", "mean_similarity")


@dataclass
class StatementBlock:
    """One side's statements with everything the similarity needs, computed once."""

    statements: list[str]
    embeddings: np.ndarray  # (n, d), L2-normalised
    char_vocab: np.ndarray  # sorted hashed n-gram columns present in this block
    char_dense: np.ndarray  # (n, len(char_vocab)) L2-normalised n-gram counts
    cyrillic: np.ndarray  # (n,) bool

    def __len__(self) -> int:
        return len(self.statements)


def statement_blocks(encoder, lists, remember: bool = True) -> list[StatementBlock]:
    """Blocks for many statement lists from one batched encode and one vectoriser call."""
    flat = [s for statements in lists for s in statements]
    emb = encoder.encode(flat, remember=remember)
    # HashingVectorizer fails on an empty batch; an empty (0, n) matrix is the right answer.
    chars = CHAR_VECTORIZER.transform(flat).tocsr() if flat else sp.csr_matrix((0, CHAR_VECTORIZER.n_features))
    cyr = np.array([is_cyrillic(s) for s in flat], dtype=bool)
    bounds = np.cumsum([0, *map(len, lists)])
    return [
        StatementBlock(list(st), emb[s:e], *dense_chars(chars[s:e]), cyr[s:e])
        for st, s, e in zip(lists, bounds[:-1], bounds[1:])
    ]


def dense_chars(chars: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """A block's sparse n-gram rows as (local vocabulary, dense matrix over it).

    scipy's sparse product of two tiny blocks costs ~130 us of conversions; intersecting the
    two local vocabularies and one small dense product costs a few microseconds.
    """
    vocab = np.unique(chars.indices)
    dense = np.zeros((chars.shape[0], len(vocab)), dtype=np.float32)
    rows = np.repeat(np.arange(chars.shape[0]), np.diff(chars.indptr))
    dense[rows, np.searchsorted(vocab, chars.indices)] = chars.data
    return vocab, dense


def char_cosine(a: StatementBlock, b: StatementBlock) -> np.ndarray:
    _, ia, ib = np.intersect1d(a.char_vocab, b.char_vocab, assume_unique=True, return_indices=True)
    return a.char_dense[:, ia] @ b.char_dense[:, ib].T


def pair_scripts(a_cyrillic: np.ndarray, b_cyrillic: np.ndarray) -> np.ndarray:
    """(len a, len b) codes: 0 both Latin, 1 both Cyrillic, 2 across scripts."""
    a, b = a_cyrillic[:, None], b_cyrillic[None, :]
    return np.where(a != b, CROSS, np.where(a, CYRILLIC, LATIN)).astype(np.int8)


def is_cyrillic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum("а" <= c.lower() <= "я" or c in "ёЁ" for c in letters) / len(letters) > 0.3


def raw_matrices(a: StatementBlock, b: StatementBlock) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(encoder cosine, char n-gram cosine, script of each pair) for all statement pairs."""
    return a.embeddings @ b.embeddings.T, char_cosine(a, b), pair_scripts(a.cyrillic, b.cyrillic)


def blend(cos: np.ndarray, char: np.ndarray, script: np.ndarray, char_weight: float) -> np.ndarray:
    """The similarity of statement pairs: cosine blended with the n-gram cosine within a script."""
    if char_weight == 0.0:
        return cos
    w = np.where(script == CROSS, 0.0, char_weight)
    return (1.0 - w) * cos + w * char


def pair_features(sim: np.ndarray, char: np.ndarray, script: np.ndarray,
                  rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Feature rows (``FEATURES``) of the aligned pairs (rows[k], cols[k]) of one comparison.

    An unrivalled match is surer than one of several equally good ones (the margins over the
    best competitor in its row and column: two functions that share only a template, «Система
    учёта …», sit close to many others); cosines of one function across scripts run lower
    (the script codes and their interaction); and two systems of the same kind match on most
    functions, which makes their middling pairs likelier true matches, while an unrelated
    system's best pairs are chance (the context: the mean similarity of the aligned pairs and
    of all pairs, and whether the pair is each side's best match)."""
    s = sim[rows, cols]
    masked = sim.copy()
    masked[rows, cols] = -np.inf
    row_other = _finite_or_zero(masked.max(axis=1))[rows] if sim.shape[1] > 1 else np.zeros_like(s)
    col_other = _finite_or_zero(masked.max(axis=0))[cols] if sim.shape[0] > 1 else np.zeros_like(s)
    code = script[rows, cols]
    cross = (code == CROSS).astype(float)
    x = np.empty((len(s), len(FEATURES)))  # filled in place: it runs once per aligned pair list
    x[:, 0], x[:, 1], x[:, 2], x[:, 3] = s, char[rows, cols], s - row_other, s - col_other
    x[:, 4], x[:, 5], x[:, 6], x[:, 7] = (code == CYRILLIC), cross, cross * s, s.mean()
    x[:, 8] = (sim.argmax(axis=1)[rows] == cols) & (sim.argmax(axis=0)[cols] == rows)
    x[:, 9] = sim.mean()
    return x


def _finite_or_zero(values: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(values), values, 0.0)
