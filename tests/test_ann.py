"""The approximate dense index: used above the threshold, recall@10 >= 0.99 against exact."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("hnswlib")

from practicebank.matcher.dense import DenseIndex  # noqa: E402
from practicebank.matcher.encoder import DIMENSION as DIM  # noqa: E402  (the vectors the dense index holds)

N = 3000


def _index(vectors: np.ndarray) -> DenseIndex:
    index = DenseIndex()
    index.ids_ = [f"p{i}" for i in range(len(vectors))]
    index.vectors_ = vectors
    index._refresh_ann()
    return index


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    centers = rng.standard_normal((60, DIM)).astype(np.float32)
    labels = rng.integers(0, 60, N + 100)
    vectors = centers[labels] + 0.6 * rng.standard_normal((N + 100, DIM)).astype(np.float32) / np.sqrt(DIM) * 8
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors[:N].astype(np.float32), vectors[N:].astype(np.float32)


def test_threshold_switches_to_ann_with_high_recall(data, monkeypatch):
    vectors, queries = data
    monkeypatch.setenv("PRACTICEBANK_ANN_THRESHOLD", str(N + 1))
    exact = _index(vectors)
    assert not exact.uses_ann
    monkeypatch.setenv("PRACTICEBANK_ANN_THRESHOLD", str(N))
    approx = _index(vectors)
    assert approx.uses_ann
    hits = 0
    for q in queries:
        truth, truth_scores = exact.top(q, 10)
        rows, scores = approx.top(q, 10)
        hits += len(set(rows.tolist()) & set(truth.tolist()))
        assert np.allclose(scores, vectors[rows] @ q, atol=1e-5)  # exact cosines of what it returns
        assert list(scores) == sorted(scores, reverse=True)
    assert hits / (10 * len(queries)) >= 0.99


def test_filtered_top_respects_the_filter_and_falls_back_when_few_pass(data, monkeypatch):
    vectors, queries = data
    monkeypatch.setenv("PRACTICEBANK_ANN_THRESHOLD", "100")
    approx = _index(vectors)
    allowed = np.zeros(N, dtype=bool)
    allowed[::3] = True
    rows, _ = approx.top(queries[0], 10, allowed)
    assert len(rows) == 10 and allowed[rows].all()
    rare = np.zeros(N, dtype=bool)
    rare[[5, 17, 2999]] = True  # too few for the graph: exact over the allowed rows
    rows, _ = approx.top(queries[0], 10, rare)
    assert sorted(rows.tolist()) == [5, 17, 2999]


def test_ann_survives_pickling_and_updates(data, monkeypatch, encoder):
    import pickle

    from practicebank.matcher.records import ProjectRecord

    vectors, queries = data
    monkeypatch.setenv("PRACTICEBANK_ANN_THRESHOLD", "100")
    approx = pickle.loads(pickle.dumps(_index(vectors[:500])))
    assert approx.uses_ann
    before = approx.top(queries[0], 5)[0]
    approx.encoder = encoder
    approx.add([ProjectRecord.from_dict({"id": "new", "title": "school meals", "region": "RU-TA",
                                         "industries": ["education"]})])
    assert approx.uses_ann and len(approx.ids_) == 501 and approx.ann_.size_ == 501
    approx.remove(["new"])
    assert list(approx.top(queries[0], 5)[0]) == list(before)


def test_a_wide_query_returns_k_rows_and_leaves_the_graph_as_configured(data, monkeypatch):
    from practicebank.matcher.ann import HnswIndex

    vectors, queries = data
    graph = HnswIndex().fit(vectors)
    wide = graph.query(queries[0], graph.ef * 3)
    assert len(wide) == graph.ef * 3 and len(set(wide.tolist())) == len(wide)
    assert graph.index_.ef == graph.ef  # a later narrow query still searches at the configured ef
