"""Reading and writing catalog records: the SPEC's JSON objects in, the same objects out."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from practicebank.catalog.models import (Feature, IndicatorRow, Industry, Project, ProjectIndustry, ProjectTechnology,
                            Region, ReuseLink, SourceRow, Technology)
from practicebank.catalog.language import detect_language
from practicebank.catalog.schema import ProjectIn, RegionIn
from practicebank.catalog.taxonomy import INDUSTRIES, TECHNOLOGIES

FUNDING_FIELDS = ("regional", "federal", "local", "extrabudgetary")
PUBLIC_STATES = ("approved", "recommended_for_scaling", "federal_standard")


@dataclass
class UpsertReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.created) + len(self.updated)


def sync_taxonomy(session: Session) -> None:
    for model, vocabulary in ((Industry, INDUSTRIES), (Technology, TECHNOLOGIES)):
        for code, (en, ru) in vocabulary.items():
            row = session.get(model, code)
            if row is None or (row.label_en, row.label_ru) != (en, ru):
                session.merge(model(code=code, label_en=en, label_ru=ru))


def upsert_regions(session: Session, regions: Iterable[RegionIn | dict]) -> int:
    count = 0
    for region in regions:
        data = region.model_dump() if isinstance(region, RegionIn) else RegionIn.model_validate(region).model_dump()
        existing = session.get(Region, data["code"])
        if existing is None or any(getattr(existing, k) != v for k, v in data.items()):
            session.merge(Region(**data))
        count += 1
    return count


def upsert_projects(session: Session, projects: Sequence[ProjectIn], curation_state: str = "approved") -> UpsertReport:
    """Create new records and replace known ones, keeping each id exactly as given."""
    report = UpsertReport()
    ids = [p.id for p in projects]
    existing: dict[str, Project] = {}
    for chunk in _chunks(ids, 500):
        existing.update((p.id, p) for p in session.scalars(select(Project).where(Project.id.in_(chunk))))
    for incoming in projects:
        row = existing.get(incoming.id)
        if row is None:
            row = Project(id=incoming.id, curation_state=curation_state)
            session.add(row)
            report.created.append(incoming.id)
        else:
            report.updated.append(incoming.id)
        _fill(row, incoming)
    return report


def _fill(row: Project, p: ProjectIn) -> None:
    row.title, row.summary, row.description = p.title, p.summary, p.description
    row.region_code, row.status = p.region, p.status
    row.start_year, row.end_year = p.start_year, p.end_year
    row.capex = p.cost.capex if p.cost else None
    row.opex_per_year = p.cost.opex_per_year if p.cost else None
    for source in FUNDING_FIELDS:
        setattr(row, f"funding_{source}", getattr(p.funding, source) if p.funding else None)
    row.owner, row.vendor, row.license, row.synthetic = p.owner, p.vendor, p.license, p.synthetic
    row.contact = p.contact
    row.language = p.language or detect_language(p.title, p.summary, p.features)
    row.translations = {lang: t.model_dump(exclude_defaults=True) for lang, t in p.translations.items()} or None
    row.features = [Feature(position=i, text=t) for i, t in enumerate(p.features)]
    row.industries = [ProjectIndustry(position=i, code=c) for i, c in enumerate(p.industries)]
    row.technologies = [ProjectTechnology(position=i, code=c) for i, c in enumerate(p.technologies)]
    row.indicators = [IndicatorRow(position=i, **ind.model_dump()) for i, ind in enumerate(p.indicators)]
    row.sources = [SourceRow(position=i, **s.model_dump()) for i, s in enumerate(p.sources)]
    row.based_on = [ReuseLink(position=i, based_on_id=b) for i, b in enumerate(p.based_on)]


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def project_dict(row: Project) -> dict:
    """The SPEC's record for a stored project (empty optional fields left out)."""
    record: dict = {
        "id": row.id, "title": row.title, "summary": row.summary, "description": row.description,
        "features": [f.text for f in row.features], "region": row.region_code,
        "industries": [i.code for i in row.industries], "technologies": [t.code for t in row.technologies],
        "status": row.status, "start_year": row.start_year, "end_year": row.end_year,
        "cost": _drop_none({"capex": row.capex, "opex_per_year": row.opex_per_year}),
        "funding": _drop_none({s: getattr(row, f"funding_{s}") for s in FUNDING_FIELDS}),
        "indicators": [_drop_none({"name": i.name, "unit": i.unit, "baseline": i.baseline, "target": i.target,
                                   "target_year": i.target_year, "actual": i.actual}) for i in row.indicators],
        "owner": row.owner, "vendor": row.vendor, "contact": row.contact, "license": row.license,
        "based_on": [b.based_on_id for b in row.based_on],
        "sources": [_drop_none({"title": s.title, "url": s.url}) for s in row.sources],
        "synthetic": bool(row.synthetic),
        "language": row.language or detect_language(row.title, row.summary, [f.text for f in row.features]),
        "translations": _translations(row.translations),
    }
    return {k: v for k, v in record.items() if v is not None and v != {}}


def _translations(stored: dict | None) -> dict:
    """A fresh copy of the stored translations (callers may change the record they get)."""
    return {lang: {**t, "features": list(t["features"])} if "features" in t else dict(t)
            for lang, t in (stored or {}).items()}


def _drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


def get_project(session: Session, project_id: str) -> Project | None:
    return session.get(Project, project_id)


def project_dicts_by_ids(session: Session, ids: Sequence[str]) -> list[dict]:
    """``project_dict`` of each project in ``ids`` (their order, unknown ids left out), read
    with one plain query per table: a results page needs no ORM objects, and building 20 of
    them with their six child collections cost a search page more than its search."""
    ids = list(dict.fromkeys(ids))
    found: dict[str, dict] = {}
    for chunk in _chunks(ids, 500):
        found.update(_dicts_for(session, list(chunk)))
    return [found[i] for i in ids if i in found]


def _dicts_for(session: Session, ids: list[str]) -> dict[str, dict]:
    p = Project.__table__.c
    rows = session.execute(select(Project.__table__).where(p.id.in_(ids))).mappings().all()
    children = {name: _children(session, model, columns, ids) for name, (model, columns) in _CHILDREN.items()}
    out = {}
    for row in rows:
        pid = row["id"]
        record = {
            "id": pid, "title": row["title"], "summary": row["summary"], "description": row["description"],
            "features": [c[0] for c in children["features"].get(pid, [])], "region": row["region_code"],
            "industries": [c[0] for c in children["industries"].get(pid, [])],
            "technologies": [c[0] for c in children["technologies"].get(pid, [])],
            "status": row["status"], "start_year": row["start_year"], "end_year": row["end_year"],
            "cost": _drop_none({"capex": row["capex"], "opex_per_year": row["opex_per_year"]}),
            "funding": _drop_none({s: row[f"funding_{s}"] for s in FUNDING_FIELDS}),
            "indicators": [_drop_none(dict(zip(INDICATOR_FIELDS, c))) for c in children["indicators"].get(pid, [])],
            "owner": row["owner"], "vendor": row["vendor"], "contact": row["contact"], "license": row["license"],
            "based_on": [c[0] for c in children["based_on"].get(pid, [])],
            "sources": [_drop_none({"title": c[0], "url": c[1]}) for c in children["sources"].get(pid, [])],
            "synthetic": bool(row["synthetic"]),
        }
        record["language"] = row["language"] or detect_language(row["title"], row["summary"], record["features"])
        record["translations"] = _translations(row["translations"])
        out[pid] = {k: v for k, v in record.items() if v is not None and v != {}}
    return out


INDICATOR_FIELDS = ("name", "unit", "baseline", "target", "target_year", "actual")
_CHILDREN = {
    "features": (Feature, ("text",)), "industries": (ProjectIndustry, ("code",)),
    "technologies": (ProjectTechnology, ("code",)), "indicators": (IndicatorRow, INDICATOR_FIELDS),
    "sources": (SourceRow, ("title", "url")), "based_on": (ReuseLink, ("based_on_id",)),
}


def _children(session: Session, model, columns: Sequence[str], ids: list[str]) -> dict[str, list[tuple]]:
    table = model.__table__.c
    query = (select(table.project_id, *(table[c] for c in columns)).where(table.project_id.in_(ids))
             .order_by(table.project_id, table.position))
    grouped: dict[str, list[tuple]] = {}
    for project_id, *values in session.execute(query):
        grouped.setdefault(project_id, []).append(tuple(values))
    return grouped


def all_projects(session: Session, public_only: bool = False) -> list[Project]:
    query = select(Project).order_by(Project.id)
    if public_only:
        query = query.where(Project.curation_state.in_(PUBLIC_STATES))
    return list(session.scalars(query))


def project_dicts(session: Session, public_only: bool = False) -> list[dict]:
    return [project_dict(p) for p in all_projects(session, public_only)]


def region_dicts(session: Session) -> list[dict]:
    rows = session.scalars(select(Region).order_by(Region.code))
    return [{"code": r.code, "name_en": r.name_en, "name_ru": r.name_ru,
             "federal_district": r.federal_district, "group": r.group} for r in rows]


def reused_by(session: Session, project_id: str) -> list[str]:
    return list(session.scalars(select(ReuseLink.project_id).where(ReuseLink.based_on_id == project_id)
                                .order_by(ReuseLink.project_id)))


def reuse_counts(session: Session) -> dict[str, int]:
    """Times each record was reused, counting only public reuse: a ``based_on`` link of a public
    record, or of any record whose replication request reached ``in_operation`` (a curator-tracked
    adoption). A draft's ``based_on`` is a plan, not a reuse: it never counts (issue 13)."""
    from practicebank.catalog.models import ReplicationRequest

    reuser = select(Project.id).where(Project.id == ReuseLink.project_id)
    public = reuser.where(Project.curation_state.in_(PUBLIC_STATES)).exists()
    tracked = select(ReplicationRequest.id).where(
        ReplicationRequest.adopting_project_id == ReuseLink.project_id,
        ReplicationRequest.practice_id == ReuseLink.based_on_id,
        ReplicationRequest.status == "in_operation").exists()
    rows = session.execute(select(ReuseLink.based_on_id, func.count()).where(public | tracked)
                           .group_by(ReuseLink.based_on_id))
    return {based_on: count for based_on, count in rows}


def stats(session: Session, public_only: bool = True) -> dict:
    """Counts for `practicebank stats` in the SPEC's shape: public records only (approved and
    marked for scaling; never drafts, submissions under review or archived records) unless
    ``public_only=False``."""
    visible = Project.curation_state.in_(PUBLIC_STATES) if public_only else Project.id.is_not(None)
    public_ids = select(Project.id).where(visible)
    by_region = Counter(dict(session.execute(
        select(Project.region_code, func.count()).where(visible).group_by(Project.region_code)).all()))
    by_status = Counter({(k or "unknown"): v for k, v in session.execute(
        select(Project.status, func.count()).where(visible).group_by(Project.status)).all()})
    by_industry = dict(session.execute(
        select(ProjectIndustry.code, func.count()).where(ProjectIndustry.project_id.in_(public_ids))
        .group_by(ProjectIndustry.code)).all())
    by_technology = dict(session.execute(
        select(ProjectTechnology.code, func.count()).where(ProjectTechnology.project_id.in_(public_ids))
        .group_by(ProjectTechnology.code)).all())
    return {
        "projects": session.scalar(select(func.count()).select_from(Project).where(visible)) or 0,
        "synthetic": session.scalar(select(func.count()).select_from(Project).where(visible, Project.synthetic)) or 0,
        "regions": session.scalar(select(func.count()).select_from(Region)) or 0,
        "regions_with_projects": len(by_region),
        "by_industry": dict(sorted(by_industry.items(), key=lambda kv: -kv[1])),
        "by_region": dict(by_region.most_common()),
        "by_technology": dict(sorted(by_technology.items(), key=lambda kv: -kv[1])),
        "by_status": dict(by_status.most_common()),
    }
