"""Calling the matching engine from a request, and telling apart "not built yet" from a bug.

The engine methods of ``Services`` may be missing (not wired yet) or raise
``NotImplementedError`` (index not built): both are a normal state that pages and the API show
as "run `practicebank index`". Any other exception is a real error and propagates.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable

from flask import current_app

from practicebank.errors import IndexNotBuilt
from practicebank.web import queries

log = logging.getLogger(__name__)


class EngineUnavailable(Exception):
    """The matching engine cannot answer: no index (or the method is not wired yet)."""


class NotInIndex(EngineUnavailable):
    """Records that are in the catalog but not in the index: drafts (only public records are
    indexed) or records added since the index was built. Services raise KeyError for them."""

    def __init__(self, ids: list[str]):
        self.ids = ids
        super().__init__(f"not in the index: {', '.join(ids)}")

    @property
    def message(self) -> str:
        return (f"{', '.join(map(repr, self.ids))} not in the index: drafts are indexed once approved, "
                "and the index follows the catalog within seconds")


def services():
    return current_app.extensions["practicebank"]


def call(name: str, *args: Any, **kwargs: Any) -> Any:
    method = getattr(services(), name, None)
    if method is None:
        raise EngineUnavailable(name)
    try:
        return method(*args, **kwargs)
    except IndexNotBuilt as error:
        raise EngineUnavailable(str(error) or name) from None


def index_status() -> dict | None:
    """{"catalog_revision", "index_revision", "stale"} or None when unknown (no index yet)."""
    try:
        status = call("index_status")
    except EngineUnavailable:
        return None
    return status if isinstance(status, dict) else None


def enrich(results: Iterable[dict]) -> list[dict]:
    """Add the catalog's facts (synthetic above all) to engine results, which may lack them.

    A synthetic record must say so everywhere; taking the flag from the database rather than
    trusting each engine result to carry it keeps that true in every view.
    """
    with services().db.read() as session:
        return queries.with_catalog_facts(session, results)


# -- the engine operations, with catalog facts added to every result ------------------------

def search(query: str, filters: dict[str, list[str]], page: int, per_page: int, sort: str) -> dict:
    data = dict(call("search", query, filters, page, per_page, sort))
    data["results"] = enrich(data.get("results"))
    data["facets"] = _facet_names(data.get("facets") or {})
    return data


def _facet_names(facets: dict) -> dict:
    # The matcher names two facets in the plural; the URL and pages use the singular.
    renamed = {"industries": "industry", "technologies": "technology"}
    return {renamed.get(k, k): v for k, v in facets.items()}


def recommend(planned: dict, k: int = 10) -> dict:
    data = dict(call("recommend", planned, k=k))
    data["results"] = enrich(data.get("results"))
    return data


def check_plan(records: list[dict], k: int = 5) -> dict:
    data = dict(call("check_plan", records, k=k))
    items = data.get("items", [])
    # one query for the whole portfolio, not one per project
    flat = enrich([result for item in items for result in item.get("results") or []])
    out, start = [], 0
    for item in items:
        count = len(item.get("results") or [])
        out.append({**item, "results": flat[start:start + count]})
        start += count
    data["items"] = out
    return data


def similar(project_id: str, k: int = 10) -> list[dict]:
    try:
        found = call("similar", project_id, k=k)
    except KeyError as error:
        if error.args != (project_id,):
            raise
        raise NotInIndex([project_id]) from None
    return enrich(found)


def similar_to_record(record: dict, k: int = 10) -> list[dict]:
    """The most similar public systems of a record the index does not hold (a draft)."""
    return enrich(call("similar_to_record", record, k=k))


def similar_or_on_demand(project: dict, k: int = 10) -> list[dict]:
    """A record's similar systems: remembered by the index when it holds the record, computed
    on demand for a draft (or a record approved a moment ago, before the index follows)."""
    try:
        return similar(project["id"], k)
    except NotInIndex:
        return similar_to_record(project, k)


def compare(ids: list[str]) -> dict:
    try:
        data = dict(call("compare", ids))
    except KeyError as error:
        unknown = str(error.args[0]).split(", ") if error.args else []
        if not unknown or not set(unknown) <= set(ids):
            raise
        raise NotInIndex(unknown) from None
    if "projects" in data:
        data["projects"] = enrich(data["projects"])
    return data


def duplicates(threshold: float = 85) -> dict:
    data = dict(call("duplicates", threshold=threshold))
    families = data.get("families") or []
    with services().db.read() as session:
        facts = queries.brief(session, [m for f in families for m in f.get("members", [])])
    data["families"] = [{**f, "synthetic": any(facts.get(m, {}).get("synthetic") for m in f.get("members", []))}
                        for f in families]
    data["member_facts"] = facts
    return data


def scale_candidates(top: int = 20) -> dict:
    data = dict(call("scale_candidates", top=top))
    data["candidates"] = enrich(data.get("candidates"))
    return data
