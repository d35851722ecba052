"""HybridRetriever and matcher.store on a small hand-written catalog."""
from __future__ import annotations

import numpy as np
import pytest

from practicebank.matcher import store
from practicebank.matcher.retrieval import Candidate, HybridRetriever
from tests.helpers import CATALOG


@pytest.fixture(scope="module")
def retriever(encoder):
    return HybridRetriever(encoder=encoder).fit(CATALOG)


def ids(candidates: list[Candidate]) -> list[str]:
    return [c.id for c in candidates]


def test_kindergarten_query_finds_the_kindergarten_system(retriever):
    found = retriever.query("a system where parents queue for a place in a kindergarten",
                            features=["apply online for a kindergarten place", "see my queue position"])
    assert found[0].id == "kg-queue"


def test_russian_query_finds_the_russian_record(retriever):
    found = retriever.query("Очередь в детский сад: запись детей в детские сады")
    assert found[0].id == "ru-sad"


def test_scores_in_unit_interval_and_sorted(retriever):
    found = retriever.query("doctor appointment", k=10)
    scores = [c.score for c in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert all(0.0 <= v <= 1.0 for c in found for v in c.components.values())
    assert found[0].id == "doctor"


def test_exclude_ids_and_query_record_leave_records_out(retriever):
    assert "doctor" not in ids(retriever.query("doctor appointment", exclude_ids=["doctor"]))
    similar = retriever.query_record(CATALOG[0], k=5)
    assert "kg-queue" not in ids(similar)
    assert len(similar) == 5


def test_filters_exclude_other_facet_values(retriever):
    found = retriever.query("kindergarten", filters={"region": ["RU-TA"]})
    assert set(ids(found)) <= {"kg-queue", "school-diary"}
    with pytest.raises(ValueError):
        retriever.query("kindergarten", filters={"colour": ["red"]})


def test_tags_reward_agreement(retriever):
    plain = ids(retriever.query("online portal", k=10))
    tagged = retriever.query("online portal", technologies=["telemedicine"], k=10)
    by_id = {c.id: c for c in tagged}
    assert by_id["tele"].components["tags"] == 1.0
    assert by_id["museum"].components["tags"] == 0.0
    assert ids(tagged).index("tele") <= plain.index("tele")


def test_store_round_trip_and_staleness(retriever, tmp_path):
    target = tmp_path / "retriever"
    assert store.load(target) is None
    assert store.is_stale(target, 1)
    manifest = store.save(retriever, target, catalog_revision=3)
    assert manifest["records"] == len(CATALOG)
    assert store.read_manifest(target)["catalog_revision"] == 3
    loaded = store.load(target, expected_type=HybridRetriever)
    assert ids(loaded.query("doctor appointment", k=3)) == ids(retriever.query("doctor appointment", k=3))
    assert not store.is_stale(target, 3, ids=[r.id for r in CATALOG])
    assert store.is_stale(target, 4)
    assert store.is_stale(target, 3, ids=["other"])
    store.save(retriever, target, catalog_revision=4)  # replaces atomically
    assert not store.is_stale(target, 4)
    assert [p.name for p in tmp_path.iterdir()] == ["retriever"]


def test_store_rejects_corrupt_payload(retriever, tmp_path):
    store.save(retriever, tmp_path / "r", catalog_revision=1)
    (tmp_path / "r" / store.PAYLOAD).write_bytes(b"not a pickle")
    with pytest.raises(store.StoreError):
        store.load(tmp_path / "r")


def test_a_long_query_scores_its_heaviest_character_ngrams_only():
    from practicebank.matcher.lexical import TfidfIndex

    full = TfidfIndex("char_wb", (3, 5)).fit(CATALOG)
    pruned = TfidfIndex("char_wb", (3, 5), max_query_terms=40).fit(CATALOG)
    for record in CATALOG:
        assert pruned.scores(record.text).argmax() == full.scores(record.text).argmax() == CATALOG.index(record)
    short = "детский сад"  # fewer n-grams than the limit: scored exactly as before
    assert np.allclose(TfidfIndex("char_wb", (3, 5), max_query_terms=400).fit(CATALOG).scores(short),
                       full.scores(short))


def test_a_large_catalog_takes_candidates_from_the_dense_graph_and_scores_them_fully(encoder, monkeypatch):
    monkeypatch.setenv("PRACTICEBANK_ANN_THRESHOLD", "5")  # this small catalog counts as large
    large = HybridRetriever(encoder).fit(CATALOG)
    assert large.dense_.uses_ann and not large.lexical_candidates_
    found = large.query("a system where parents queue for a place in a kindergarten",
                        features=["apply online for a kindergarten place", "see my queue position"])
    assert found[0].id == "kg-queue"
    assert large.query("Очередь в детский сад: запись детей в детские сады")[0].id == "ru-sad"


def test_row_and_column_layouts_score_alike():
    from practicebank.matcher.lexical import TfidfIndex

    by_columns = TfidfIndex("char_wb", (3, 5), max_query_terms=40).fit(CATALOG)
    by_rows = TfidfIndex("char_wb", (3, 5), max_query_terms=40, by_rows=True).fit(CATALOG)
    rows = np.array([0, 3, 5])
    for record in CATALOG:
        assert np.allclose(by_rows.scores_at(record.text, rows), by_columns.scores(record.text)[rows], atol=1e-6)
        assert np.allclose(by_rows.scores(record.text), by_columns.scores(record.text), atol=1e-6)


def test_a_large_catalog_never_proposes_the_record_itself(encoder, monkeypatch):
    monkeypatch.setenv("PRACTICEBANK_ANN_THRESHOLD", "5")
    large = HybridRetriever(encoder).fit(CATALOG)
    for record in CATALOG:
        assert record.id not in ids(large.query_record(record, k=20))
