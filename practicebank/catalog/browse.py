"""Read-only catalog queries behind the browsing pages and the API's catalog reads.

The catalog filtered by facets with disjunctive facet counts, regions by code (cached per
catalog revision), a region's portfolio and its reuse links, the brief facts (title, region,
status, synthetic) that decorate engine results, and the records' translations by id.
Every function takes a session and plain arguments and returns plain dicts and lists; only
public records (``store.PUBLIC_STATES``) are ever returned.
"""
from __future__ import annotations

import threading
from typing import Iterable

from cachetools import LRUCache
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from practicebank.catalog import store
from practicebank.catalog.db import current_revision
from practicebank.catalog.models import Project, ProjectIndustry, ProjectTechnology, Region, ReuseLink
from practicebank.settings import COST_BAND_UNKNOWN, COST_BANDS, FACETS

# each of settings.SORTS as ORDER BY; ties by id, so pages never overlap
_ORDER = {
    "relevance": (Project.id,),
    "title": (Project.title, Project.id),
    "newest": (Project.start_year.desc().nulls_last(), Project.id),
    "cost_desc": (Project.capex.desc().nulls_last(), Project.id),
    "cost_asc": (Project.capex.asc().nulls_last(), Project.id),
}


def browse(session: Session, filters: dict[str, list[str]], page: int = 1, per_page: int = 20,
           sort: str = "relevance", limit: int | None = None) -> dict:
    """The catalog filtered by facets, in the shape of ``Services.search`` (without scores).

    ``filters`` are already checked (``web.params.parse_filters``). ``limit`` instead of
    paging returns up to that many records from the first (exports).
    """
    ids = _filtered_ids(filters)
    total = session.scalar(select(func.count()).select_from(Project).where(Project.id.in_(ids))) or 0
    query = select(Project.id).where(Project.id.in_(ids)).order_by(*_ORDER[sort])
    query = query.limit(limit) if limit else query.offset((page - 1) * per_page).limit(per_page)
    results = store.project_dicts_by_ids(session, list(session.scalars(query)))
    return {"total": total, "page": page, "per_page": limit or per_page, "results": results,
            "facets": _facet_counts(session, filters)}


def _condition(facet: str, values: list[str]):
    if facet == "industry":
        return Project.id.in_(select(ProjectIndustry.project_id).where(ProjectIndustry.code.in_(values)))
    if facet == "technology":
        return Project.id.in_(select(ProjectTechnology.project_id).where(ProjectTechnology.code.in_(values)))
    if facet == "region":
        return Project.region_code.in_(values)
    if facet == "federal_district":
        return Project.region_code.in_(select(Region.code).where(Region.federal_district.in_(values)))
    if facet == "region_group":
        return Project.region_code.in_(select(Region.code).where(Region.group.in_(values)))
    if facet == "status":
        return Project.status.in_(values)
    if facet == "cost_band":
        return or_(*(_band_condition(v) for v in values))
    raise ValueError(f"unknown facet {facet!r}; known: {', '.join(FACETS)}")


def _band_condition(band: str):
    for name, low, high in COST_BANDS:
        if name == band:
            if name == COST_BAND_UNKNOWN:
                return Project.capex.is_(None)
            parts = [Project.capex.is_not(None)]
            if low is not None:
                parts.append(Project.capex >= low)
            if high is not None:
                parts.append(Project.capex < high)
            return and_(*parts)
    return Project.id.is_(None)


def _filtered_ids(filters: dict[str, list[str]], skip: str | None = None) -> Select:
    query = select(Project.id).where(Project.curation_state.in_(store.PUBLIC_STATES))  # drafts are not public
    for facet, values in filters.items():
        if facet != skip:
            query = query.where(_condition(facet, values))
    return query


def _facet_counts(session: Session, filters: dict[str, list[str]]) -> dict[str, dict[str, int]]:
    # Disjunctive counts: a facet's values are counted under every *other* filter, so picking
    # one industry still shows what the other industries would give.
    out: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        ids = _filtered_ids(filters, skip=facet)
        if facet == "cost_band":
            out[facet] = _band_counts(session, ids)
            continue
        counts = {str(k): int(n) for k, n in session.execute(_count_query(facet, ids)) if k is not None and n}
        out[facet] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return out


def _count_query(facet: str, ids: Select) -> Select:
    """(value, count) of one facet over the projects ``ids`` selects."""
    if facet == "industry":
        return select(ProjectIndustry.code, func.count()).where(ProjectIndustry.project_id.in_(ids)) \
            .group_by(ProjectIndustry.code)
    if facet == "technology":
        return select(ProjectTechnology.code, func.count()).where(ProjectTechnology.project_id.in_(ids)) \
            .group_by(ProjectTechnology.code)
    if facet == "region":
        return select(Project.region_code, func.count()).where(Project.id.in_(ids)).group_by(Project.region_code)
    if facet in ("federal_district", "region_group"):
        column = getattr(Region, "group" if facet == "region_group" else facet)
        return select(column, func.count()).select_from(Project) \
            .join(Region, Project.region_code == Region.code) \
            .where(Project.id.in_(ids)).group_by(column)
    if facet == "status":
        return select(Project.status, func.count()).where(Project.id.in_(ids), Project.status.is_not(None)) \
            .group_by(Project.status)
    raise ValueError(f"unknown facet {facet!r}; known: {', '.join(FACETS)}")


def _band_counts(session: Session, ids: Select) -> dict[str, int]:
    counts = {}
    for name, _, _ in COST_BANDS:
        n = session.scalar(select(func.count()).select_from(Project)
                           .where(Project.id.in_(ids), _band_condition(name))) or 0
        if n:
            counts[name] = n
    return counts


# -- regions and reuse -----------------------------------------------------------------------

def regions_by_code(session: Session) -> dict[str, dict]:
    """code -> region. Nearly every page needs all 85; they are read again only after the
    catalog revision moves (any change to the catalog moves it). Treat the answer as read-only."""
    key = (str(session.get_bind().url), current_revision(session))
    with _CACHE_LOCK:
        cached = _REGIONS.get(key)
    if cached is None:
        cached = {r["code"]: r for r in store.region_dicts(session)}
        with _CACHE_LOCK:
            _REGIONS[key] = cached
    return cached


_REGIONS: LRUCache = LRUCache(maxsize=8)
_TRANSLATIONS: LRUCache = LRUCache(maxsize=4)
_CACHE_LOCK = threading.Lock()


def region_projects(session: Session, code: str) -> list[dict]:
    """The region's public projects by title."""
    rows = session.scalars(select(Project).where(Project.region_code == code,
                                                 Project.curation_state.in_(store.PUBLIC_STATES))
                           .order_by(Project.title))
    return [store.project_dict(p) for p in rows]


def with_catalog_facts(session: Session, results: Iterable[dict]) -> list[dict]:
    """Engine results with the catalog's facts added: title, region and status where missing,
    and the synthetic flag always from the database (a synthetic record says so everywhere)."""
    results = [dict(r) for r in results or []]
    facts = brief(session, [r.get("id") for r in results])
    for result in results:
        fact = facts.get(result.get("id"), {})
        for key in ("title", "region", "status"):
            if result.get(key) is None and fact.get(key) is not None:
                result[key] = fact[key]
        result["synthetic"] = bool(fact.get("synthetic", result.get("synthetic", False)))
    return results


def brief(session: Session, ids: Iterable[str]) -> dict[str, dict]:
    """id -> {id, title, region, status, synthetic} for the public ids that exist."""
    ids = list(dict.fromkeys(i for i in ids if i))
    out: dict[str, dict] = {}
    # chunks: SQLite caps the number of bound parameters of one statement
    for start in range(0, len(ids), 500):
        rows = session.execute(select(Project.id, Project.title, Project.region_code, Project.status,
                                      Project.synthetic).where(Project.id.in_(ids[start:start + 500]),
                                                               Project.curation_state.in_(store.PUBLIC_STATES)))
        for pid, title, region, status, synthetic in rows:
            out[pid] = {"id": pid, "title": title, "region": region, "status": status,
                        "synthetic": bool(synthetic)}
    return out


def reused_by(session: Session, project_id: str) -> list[dict]:
    """Projects that name this one in their ``based_on``."""
    found = brief(session, store.reused_by(session, project_id))
    return sorted(found.values(), key=lambda p: p["title"])


def reused_from_region(session: Session, code: str) -> list[dict]:
    """Links where a project elsewhere was based on one of this region's projects."""
    pairs = _links(session, ReuseLink.based_on_id, code, (ReuseLink.based_on_id, ReuseLink.project_id))
    facts = brief(session, [p for pair in pairs for p in pair])
    return [{"source": facts[b], "reuser": facts[p]} for p, b in pairs
            if p in facts and b in facts and facts[p]["region"] != code]


def region_reuses(session: Session, code: str) -> list[dict]:
    """Links where one of this region's projects was based on a project elsewhere."""
    pairs = _links(session, ReuseLink.project_id, code, (ReuseLink.project_id,))
    facts = brief(session, [p for pair in pairs for p in pair])
    return [{"reuser": facts[p], "source": facts[b]} for p, b in pairs
            if p in facts and b in facts and facts[b]["region"] != code]


def _links(session: Session, side, code: str, order: tuple) -> list[tuple[str, str]]:
    """(project_id, based_on_id) of the reuse links whose ``side`` is a project of region ``code``."""
    rows = session.execute(select(ReuseLink.project_id, ReuseLink.based_on_id)
                           .join(Project, Project.id == side)
                           .where(Project.region_code == code).order_by(*order))
    return [tuple(row) for row in rows]


def region_page(session: Session, code: str) -> dict:
    """A region's portfolio and its reuse links both ways, read in one transaction."""
    return {"portfolio": region_projects(session, code), "reused_from": reused_from_region(session, code),
            "reuses": region_reuses(session, code)}


# -- translations ------------------------------------------------------------------------------

def translations_by_id(session: Session) -> dict[str, tuple]:
    """id -> (language, translations) of every project that has translations, read again only
    after the catalog revision moves. Treat the answer as read-only."""
    key = (str(session.get_bind().url), current_revision(session))
    with _CACHE_LOCK:
        cached = _TRANSLATIONS.get(key)
    if cached is None:
        rows = session.execute(select(Project.id, Project.language, Project.translations))
        cached = {pid: (language, translations) for pid, language, translations in rows if translations}
        with _CACHE_LOCK:
            _TRANSLATIONS[key] = cached
    return cached
