"""Read-only catalog queries the web pages need and the Services facade does not (yet) offer.

Everything here reads the database only: browsing with facet filters, a region's portfolio,
reuse links, and the brief facts (title, region, synthetic) that enrich engine results.
"""
from __future__ import annotations

import threading
from typing import Iterable, Mapping, Sequence

from cachetools import LRUCache

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from practicebank.catalog import store
from practicebank.catalog.limits import MAX_PAGE
from practicebank.catalog.db import current_revision
from practicebank.catalog.models import Project, ProjectIndustry, ProjectTechnology, Region, ReuseLink
from practicebank.catalog.taxonomy import FEDERAL_DISTRICTS, INDUSTRIES, REGION_GROUPS, STATUSES, TECHNOLOGIES

# URL names of the facets, in the order the search page shows them.
FACETS: tuple[str, ...] = ("industry", "technology", "region", "federal_district", "region_group",
                           "status", "cost_band")
# capex bands in thousand rubles, the same cut points as matcher.facets (kept here so that
# browsing the catalog does not import the numeric stack).
COST_BANDS: tuple[tuple[str, float | None, float | None], ...] = (
    ("under_10m", None, 10_000), ("10m_100m", 10_000, 100_000),
    ("100m_1b", 100_000, 1_000_000), ("over_1b", 1_000_000, None), ("unknown", None, None),
)
SORTS: tuple[str, ...] = ("relevance", "title", "newest", "cost_desc", "cost_asc")
MAX_PER_PAGE = 100


class QueryError(ValueError):
    """Bad filter, sort or paging input; ``errors`` lists each problem for the API."""

    def __init__(self, errors: list[str], details: list[dict] | None = None):
        self.errors = errors
        # each error as {"code", "params"}, for pages in other languages (web/messages.py)
        self.details = details or []
        super().__init__("; ".join(errors))


def allowed_values(facet: str, region_codes: Iterable[str]) -> Sequence[str]:
    return {
        "industry": list(INDUSTRIES), "technology": list(TECHNOLOGIES), "region": list(region_codes),
        "federal_district": list(FEDERAL_DISTRICTS), "region_group": list(REGION_GROUPS),
        "status": list(STATUSES), "cost_band": [band for band, _, _ in COST_BANDS],
    }[facet]


def parse_filters(args: Mapping, region_codes: Iterable[str]) -> dict[str, list[str]]:
    """Facet filters from query parameters: repeated (``?industry=a&industry=b``) or comma-separated."""
    codes = list(region_codes)
    filters: dict[str, list[str]] = {}
    errors: list[str] = []
    details: list[dict] = []
    for facet in FACETS:
        raw = args.getlist(facet) if hasattr(args, "getlist") else _as_list(args.get(facet))
        values = [v.strip() for item in raw for v in str(item).split(",") if v.strip()]
        if not values:
            continue
        allowed = allowed_values(facet, codes)
        unknown = [v for v in values if v not in allowed]
        if unknown:
            errors.append(f"unknown {facet} {', '.join(map(repr, unknown))}; allowed: {', '.join(allowed)}")
            details.append({"code": "unknown_filter_value", "params": {"facet": facet, "values": unknown}})
        filters[facet] = list(dict.fromkeys(v for v in values if v in allowed))
    if errors:
        raise QueryError(errors, details)
    return {k: v for k, v in filters.items() if v}


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def parse_paging(args: Mapping, default_per_page: int = 20) -> tuple[int, int]:
    errors, details = [], []
    page = _int(args.get("page"), 1)
    per_page = _int(args.get("per_page"), default_per_page)
    if page is None or not 1 <= page <= MAX_PAGE:  # a huge page overflowed the database's OFFSET: a 500
        errors.append(f"page must be a whole number from 1 to {MAX_PAGE:,}")
        details.append({"code": "bad_number", "params": {"name": "page", "low": 1, "high": MAX_PAGE, "whole": True}})
    if per_page is None or not 1 <= per_page <= MAX_PER_PAGE:
        errors.append(f"per_page must be a whole number from 1 to {MAX_PER_PAGE}")
        details.append({"code": "bad_number", "params": {"name": "per_page", "low": 1, "high": MAX_PER_PAGE,
                                                         "whole": True}})
    if errors:
        raise QueryError(errors, details)
    return page, per_page


def parse_sort(args: Mapping) -> str:
    sort = (args.get("sort") or "relevance").strip()
    if sort not in SORTS:
        raise QueryError([f"unknown sort {sort!r}; allowed: {', '.join(SORTS)}"],
                         [{"code": "unknown_sort", "params": {"sort": sort}}])
    return sort


def _int(value, default: int) -> int | None:
    if value in (None, ""):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# -- browsing ------------------------------------------------------------------------------

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
    raise QueryError([f"unknown facet {facet!r}; known: {', '.join(FACETS)}"])


def _band_condition(band: str):
    for name, low, high in COST_BANDS:
        if name == band:
            if name == "unknown":
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
        if facet == "industry":
            query = select(ProjectIndustry.code, func.count()).where(ProjectIndustry.project_id.in_(ids)) \
                .group_by(ProjectIndustry.code)
        elif facet == "technology":
            query = select(ProjectTechnology.code, func.count()).where(ProjectTechnology.project_id.in_(ids)) \
                .group_by(ProjectTechnology.code)
        elif facet == "region":
            query = select(Project.region_code, func.count()).where(Project.id.in_(ids)).group_by(Project.region_code)
        elif facet in ("federal_district", "region_group"):
            column = getattr(Region, "group" if facet == "region_group" else facet)
            query = select(column, func.count()).select_from(Project) \
                .join(Region, Project.region_code == Region.code) \
                .where(Project.id.in_(ids)).group_by(column)
        elif facet == "status":
            query = select(Project.status, func.count()).where(Project.id.in_(ids), Project.status.is_not(None)) \
                .group_by(Project.status)
        else:
            out[facet] = _band_counts(session, ids)
            continue
        counts = {str(k): int(n) for k, n in session.execute(query) if k is not None and n}
        out[facet] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return out


def _band_counts(session: Session, ids: Select) -> dict[str, int]:
    counts = {}
    for name, _, _ in COST_BANDS:
        n = session.scalar(select(func.count()).select_from(Project)
                           .where(Project.id.in_(ids), _band_condition(name))) or 0
        if n:
            counts[name] = n
    return counts


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

    ``limit`` instead of paging returns up to that many records from the first (exports).
    """
    ids = _filtered_ids(filters)
    total = session.scalar(select(func.count()).select_from(Project).where(Project.id.in_(ids))) or 0
    query = select(Project.id).where(Project.id.in_(ids)).order_by(*_ORDER[sort])
    query = query.limit(limit) if limit else query.offset((page - 1) * per_page).limit(per_page)
    results = store.project_dicts_by_ids(session, list(session.scalars(query)))
    return {"total": total, "page": page, "per_page": limit or per_page, "results": results,
            "facets": _facet_counts(session, filters)}


# -- regions and reuse -----------------------------------------------------------------------

def regions_by_code(session: Session) -> dict[str, dict]:
    """code -> region. Nearly every page needs all 85; they are read again only after the
    catalog revision moves (any change to the catalog moves it). Treat the answer as read-only."""
    key = (str(session.get_bind().url), current_revision(session))
    with _REGIONS_LOCK:
        cached = _REGIONS.get(key)
    if cached is None:
        cached = {r["code"]: r for r in store.region_dicts(session)}
        with _REGIONS_LOCK:
            _REGIONS[key] = cached
    return cached


_REGIONS: LRUCache = LRUCache(maxsize=8)
_REGIONS_LOCK = threading.Lock()


def region_projects(session: Session, code: str) -> list[dict]:
    rows = session.scalars(select(Project).where(Project.region_code == code,
                                                 Project.curation_state.in_(store.PUBLIC_STATES)).order_by(Project.title))
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
    """id -> {id, title, region, status, synthetic} for the ids that exist."""
    ids = list(dict.fromkeys(i for i in ids if i))
    out: dict[str, dict] = {}
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
    rows = session.execute(
        select(ReuseLink.project_id, ReuseLink.based_on_id)
        .join(Project, Project.id == ReuseLink.based_on_id)
        .where(Project.region_code == code).order_by(ReuseLink.based_on_id, ReuseLink.project_id))
    pairs = list(rows)
    facts = brief(session, [p for pair in pairs for p in pair])
    return [{"source": facts[b], "reuser": facts[p]} for p, b in pairs
            if p in facts and b in facts and facts[p]["region"] != code]


def region_reuses(session: Session, code: str) -> list[dict]:
    """Links where one of this region's projects was based on a project elsewhere."""
    rows = session.execute(
        select(ReuseLink.project_id, ReuseLink.based_on_id)
        .join(Project, Project.id == ReuseLink.project_id)
        .where(Project.region_code == code).order_by(ReuseLink.project_id))
    pairs = list(rows)
    facts = brief(session, [p for pair in pairs for p in pair])
    return [{"reuser": facts[p], "source": facts[b]} for p, b in pairs
            if p in facts and b in facts and facts[b]["region"] != code]


# -- the record in the page's language -------------------------------------------------------

def localized(record: Mapping | None, lang: str, translations: Mapping[str, tuple] | None = None) -> dict:
    """The texts of ``record`` to show on a page in ``lang`` ("ru" or "en"):
    ``{title, summary, description, features, language, translated}``.

    The record's own texts when it is written in ``lang`` (or has no translation into it);
    otherwise its translation, each field the translation lacks taken from the record.
    ``translated`` is true when the texts are a translation not written by the owner (pages
    mark them «перевод»); ``language`` is the language of what is returned. Engine results
    and ``brief`` facts carry no translations: ``translations`` (``translations_by_id``)
    supplies them by id.
    """
    from practicebank.catalog.language import detect_language

    record = record or {}
    known = (translations or {}).get(record.get("id")) or (None, None)
    own = record.get("language") or known[0] or detect_language(
        record.get("title"), record.get("summary"), record.get("features") or ())
    texts = {"title": record.get("title"), "summary": record.get("summary"),
             "description": record.get("description"), "features": list(record.get("features") or []),
             "language": own, "translated": False}
    other = (record.get("translations") or known[1] or {}).get(lang) if own != lang else None
    if other and other.get("title"):
        texts.update({key: other[key] for key in ("title", "summary", "description") if other.get(key)})
        if other.get("features"):
            texts["features"] = list(other["features"])
        texts.update(language=lang, translated=bool(other.get("translated")))
    return texts


def translations_by_id(session: Session) -> dict[str, tuple]:
    """id -> (language, translations) of every project that has translations, read again only
    after the catalog revision moves. Treat the answer as read-only."""
    key = (str(session.get_bind().url), current_revision(session))
    with _REGIONS_LOCK:
        cached = _TRANSLATIONS.get(key)
    if cached is None:
        rows = session.execute(select(Project.id, Project.language, Project.translations))
        cached = {pid: (language, translations) for pid, language, translations in rows if translations}
        with _REGIONS_LOCK:
            _TRANSLATIONS[key] = cached
    return cached


_TRANSLATIONS: LRUCache = LRUCache(maxsize=4)
