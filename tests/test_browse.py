"""Browsing the catalog without an index: the request's filters, sort and paging read by
``web.params``, the SQL of ``catalog.browse`` reached through ``Services`` (no Flask involved)."""
from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from practicebank.catalog import browse
from practicebank.settings import COST_BANDS, FACETS, SORTS
from practicebank.web import params
from tests.helpers import seeded_services, web_record


def _record(pid: str, region: str, **fields) -> dict:
    return {**web_record(pid, region), **fields}


@pytest.fixture
def services(tmp_path):
    records = [
        _record("a-cheap", "RU-TA", status="in_operation", cost={"capex": 5_000}, start_year=2019),
        _record("b-mid", "RU-TA", industries=["healthcare"], cost={"capex": 50_000}, start_year=2022),
        _record("c-copy", "RU-BA", status="in_operation", based_on=["a-cheap"]),
    ]
    return seeded_services(tmp_path, records, drafts=[_record("d-draft", "RU-TA")])


def test_the_filtered_catalog_holds_only_public_records_and_counts_the_other_facets(services):
    page = services.browse({"region": ["RU-TA"]})
    assert page["total"] == 2 and [r["id"] for r in page["results"]] == ["a-cheap", "b-mid"]
    # a facet is counted under the other filters only: every region still shows its count
    assert page["facets"]["region"] == {"RU-TA": 2, "RU-BA": 1}
    assert page["facets"]["industry"] == {"education": 1, "healthcare": 1}
    assert page["facets"]["cost_band"] == {"under_10m": 1, "10m_100m": 1}
    assert set(page["facets"]) == set(FACETS)


def test_cost_bands_sorts_and_paging(services):
    assert [r["id"] for r in services.browse({"cost_band": ["unknown"]})["results"]] == ["c-copy"]
    assert [r["id"] for r in services.browse(sort="newest")["results"]] == ["b-mid", "a-cheap", "c-copy"]
    assert [r["id"] for r in services.browse(sort="cost_desc")["results"]] == ["b-mid", "a-cheap", "c-copy"]
    second = services.browse(page=2, per_page=2, sort="title")
    assert second["total"] == 3 and [r["id"] for r in second["results"]] == ["c-copy"]
    assert len(services.browse(limit=2)["results"]) == 2  # exports: the first ones, no paging
    assert {band for band, _, _ in COST_BANDS} >= {"unknown"} and set(SORTS) == set(browse._ORDER)


def test_region_page_brief_facts_and_reuse_links(services):
    regions = services.regions_by_code()
    assert regions["RU-TA"]["code"] == "RU-TA" and services.regions_by_code() is regions  # cached
    page = services.region_page("RU-TA")
    assert [p["id"] for p in page["portfolio"]] == ["a-cheap", "b-mid"]  # not the draft
    assert [(link["source"]["id"], link["reuser"]["id"]) for link in page["reused_from"]] == [("a-cheap", "c-copy")]
    assert services.region_page("RU-BA")["reuses"][0]["source"]["id"] == "a-cheap"
    assert set(services.brief(["a-cheap", "d-draft", "nope"])) == {"a-cheap"}
    assert [p["id"] for p in services.reused_by("a-cheap")] == ["c-copy"]


def test_filters_sort_and_paging_are_read_from_the_query_string():
    args = MultiDict([("industry", "education,healthcare"), ("industry", "education"), ("region", "RU-TA"),
                      ("page", "2"), ("per_page", "5"), ("sort", "title")])
    assert params.parse_filters(args, ["RU-TA"]) == {"industry": ["education", "healthcare"], "region": ["RU-TA"]}
    assert params.parse_paging(args) == (2, 5) and params.parse_sort(args) == "title"
    assert params.parse_paging({}) == (1, 20) and params.parse_sort({}) == "relevance"


def test_bad_filters_sort_and_paging_are_refused_with_every_problem():
    with pytest.raises(params.QueryError) as refused:
        params.parse_filters(MultiDict([("region", "RU-XX"), ("status", "flying")]), ["RU-TA"])
    assert [d["params"]["facet"] for d in refused.value.details] == ["region", "status"]
    assert len(refused.value.errors) == 2 and "allowed: RU-TA" in refused.value.errors[0]
    with pytest.raises(params.QueryError) as refused:
        params.parse_paging({"page": "0", "per_page": "many"})
    assert [d["params"]["name"] for d in refused.value.details] == ["page", "per_page"]
    with pytest.raises(params.QueryError):
        params.parse_sort({"sort": "colour"})
