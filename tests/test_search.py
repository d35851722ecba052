"""Faceted search on the small catalog of test_retrieval."""
from __future__ import annotations

import pytest

from practicebank.matcher.search import SearchIndex
from tests.helpers import CATALOG


@pytest.fixture(scope="module")
def index(encoder):
    return SearchIndex(encoder=encoder).fit(CATALOG)


def test_full_text_ranks_the_matching_record_first(index):
    result = index.search("kindergarten queue")
    assert result.hits[0][0] == "kg-queue"
    assert all(0.0 <= score <= 1.0 for _, score in result.hits)


def test_russian_words_match_inflected_forms(index):
    assert index.search("детский сад").hits[0][0] == "ru-sad"  # stemmed: "детские сады"


def test_empty_query_lists_everything_with_facets(index):
    result = index.search("", per_page=100)
    assert result.total == len(CATALOG)
    assert result.facets["industry"]["education"] == 4
    assert result.facets["status"] == {"in_operation": 8, "planned": 1, "in_development": 1}


def test_filters_and_disjunctive_facet_counts(index):
    result = index.search("", {"industry": ["education"], "region": ["RU-TA"]})
    assert {h for h, _ in result.hits} == {"kg-queue", "school-diary"}
    assert result.total == 2
    # a facet's own filter is ignored for its counts; the other filters apply
    assert result.facets["industry"] == {"education": 2}  # RU-TA has only education
    assert result.facets["region"] == {"RU-TA": 2, "RU-SPE": 1, "RU-BA": 1}


def test_filters_exclude(index):
    result = index.search("doctor", {"industry": ["education"]})
    assert "doctor" not in [h for h, _ in result.hits]


def test_paging_and_sorting(index):
    by_title = index.search("", sort="title", per_page=3, page=2)
    all_titles = sorted(r.title.casefold() for r in CATALOG)
    titles = {r.id: r.title.casefold() for r in CATALOG}
    assert [titles[h] for h, _ in by_title.hits] == all_titles[3:6]
    by_cost = index.search("", sort="cost_asc", per_page=100)
    assert by_cost.hits[0][0] == "kg-queue"  # the only one with a cost; unknown costs last
    with pytest.raises(ValueError):
        index.search("", sort="colour")


def test_a_repeated_query_is_answered_from_memory_and_the_same(index):
    first = index.search("kindergarten queue", {"industry": ["education"]})
    matched, scores = index._match("kindergarten  queue")  # spacing does not make a new query
    assert not matched.flags.writeable and not scores.flags.writeable  # nobody can spoil the memory
    assert index.search("kindergarten queue", {"industry": ["education"]}) == first


def test_a_pickled_index_leaves_its_memory_behind(index):
    import pickle

    index.search("school diary")
    assert "match_memo_" in index.__dict__
    restored = pickle.loads(pickle.dumps(index))
    assert "match_memo_" not in restored.__dict__
    assert restored.search("school diary").hits == index.search("school diary").hits


def test_a_large_catalog_matches_by_meaning_through_the_graph(encoder, monkeypatch):
    monkeypatch.setenv("PRACTICEBANK_ANN_THRESHOLD", "5")  # this small catalog counts as large
    large = SearchIndex(encoder=encoder).fit(CATALOG)
    assert large.dense_.uses_ann
    result = large.search("kindergarten queue")
    assert result.hits[0][0] == "kg-queue"
    assert large.search("place for my child in preschool").hits[0][0] in {"kg-queue", "ru-sad"}
