"""The federal desk over a fitted engine: duplicate families and the scaling board as pages use them.

Everything heavy (the families, the board) is computed once per fitted engine, that is once
per index revision (the engine is replaced when a newer index is saved, and remembers its
answers in its memo, ``matcher.memo``); the rows built here from those answers and the
catalog's facts are remembered by ``Services`` beside them. A request only filters, sorts and
pages the remembered rows. Services call these functions; views and the CLI call Services.
"""
from __future__ import annotations

import csv
import io
import json
import math
from typing import Any, Iterable, Mapping, Sequence

from practicebank.errors import NotFound, gettext_noop
from practicebank.matcher.families import Family
from practicebank.matcher.headline import DuplicatesHeadline
from practicebank.matcher.scaling import ScaleCandidate

DUPLICATE_SORTS = ("spend", "size", "overlap")
FAMILY_FILTERS = ("industry", "region", "district")
SCALE_FILTERS = ("industry", "district", "status")
SCALE_STATES = ("approved", "recommended_for_scaling", "federal_standard")
SCALE_ACTIONS = ("recommend", "make_standard")  # the workflow actions the board offers a curator
BUILT_STATUSES = ("in_operation", "in_development", "decommissioned")  # a copy exists (or existed)
ALIGN_MAX = 12  # members shown side by side on a family's page


class UnknownFamily(NotFound):
    """No family with this id at this threshold (a 404)."""

    def __init__(self, family_id: str):
        super().__init__(gettext_noop("no family %(family)r at this threshold"), family=family_id)


# ----------------------------------------------------------------------------- duplicates
def family_rows(doc: Mapping[str, Any], facts: Mapping[str, dict], regions: Mapping[str, dict]) -> list[dict]:
    """One row per family of a ``duplicates`` document, with what the list filters and sorts on.

    ``facts``: id -> the catalog's record (title, industries, region, synthetic) of every public
    member; a member missing from it (withdrawn since the index was built) is left out."""
    rows = []
    for sent in doc.get("families") or []:
        f = Family.from_dict(sent)  # the engine's typed answer: a renamed field fails here
        members = [m for m in f.members if m in facts]
        reference = f.reference
        if reference not in facts or len(members) < 2:
            continue  # the reference or all its copies withdrawn: no family to show
        members = [reference, *[m for m in members if m != reference]]  # the one to adopt first
        member_regions = [facts[m].get("region") for m in members]
        rows.append({
            "id": f.id, "title": facts[reference].get("title") or reference, "reference": reference,
            "reference_doc": sent["reference"], "members": members, "size": len(members),
            "regions": sorted({r for r in member_regions if r}),
            "districts": sorted({d for r in member_regions if (d := (regions.get(r) or {}).get("federal_district"))}),
            "industries": sorted({i for m in members for i in facts[m].get("industries") or []}),
            "overlap": f.overlap, "min_overlap": f.min_overlap,
            "capex_total": f.capex_total, "opex_total": f.opex_total,
            "duplicate_capex": f.duplicate_capex,
            "savings_capex": f.savings["capex_saved"], "copies": len(members) - 1,
            "copies_without_capex": sum(1 for m in members if m != reference
                                        and not (facts[m].get("cost") or {}).get("capex")),
            "synthetic": any(facts[m].get("synthetic") for m in members),
        })
    return rows


_SORT_KEYS = {
    "spend": lambda r: (-r["duplicate_capex"], -r["size"], r["id"]),
    "size": lambda r: (-r["size"], -r["duplicate_capex"], r["id"]),
    "overlap": lambda r: (-(r["overlap"] or 0), -r["size"], r["id"]),
}


def families_page(rows: list[dict], doc: Mapping[str, Any], filters: Mapping[str, Sequence[str]] | None = None,
                  sort: str = "spend", page: int = 1, per_page: int = 20) -> dict[str, Any]:
    """A page of families: filtered (any member in the region / district / industry), sorted."""
    filters = {k: list(v) for k, v in (filters or {}).items() if v}
    keys = {"industry": "industries", "region": "regions", "district": "districts"}
    chosen = [r for r in rows if all(set(values) & set(r[keys[k]]) for k, values in filters.items())]
    chosen = sorted(chosen, key=_SORT_KEYS.get(sort, _SORT_KEYS["spend"]))
    pages = max(1, math.ceil(len(chosen) / per_page))
    page = min(max(1, page), pages)
    return {
        "threshold": doc.get("threshold"), "systems": doc.get("systems"),
        "systems_in_families": doc.get("systems_in_families"),
        "families_total": len(rows), "total": len(chosen), "page": page, "per_page": per_page, "pages": pages,
        "sort": sort, "filters": filters, "families": chosen[(page - 1) * per_page: page * per_page],
        "headline": DuplicatesHeadline.from_dict(doc["headline"]), "savings": doc.get("savings") or {},
        "options": {"industry": sorted({i for r in rows for i in r["industries"]}),
                    "region": sorted({c for r in rows for c in r["regions"]}),
                    "district": sorted({d for r in rows for d in r["districts"]})},
        # the filtered families' totals: what the list shows adds up to these
        "filtered": {"duplicate_capex": round(math.fsum(r["duplicate_capex"] for r in chosen), 1),
                     "savings_capex": round(math.fsum(r["savings_capex"] for r in chosen), 1),
                     "copies": sum(r["copies"] for r in chosen),
                     "copies_without_capex": sum(r["copies_without_capex"] for r in chosen)},
    }


def family_members(row: Mapping[str, Any]) -> list[str]:
    """The members shown side by side: the reference first, then up to ``ALIGN_MAX`` - 1 copies."""
    return [row["reference"], *[m for m in row["members"] if m != row["reference"]][: ALIGN_MAX - 1]]


def family_detail(row: Mapping[str, Any], comparison: Mapping[str, Any]) -> dict[str, Any]:
    """A family's page: its row, and ``compare``'s alignment of the members to the reference."""
    shown = family_members(row)
    overlaps = {c["id"]: {"to_reference": c.get("overlap_back"), "from_reference": c.get("overlap"),
                          "matched": len(c.get("matched_features") or [])}
                for c in comparison.get("comparisons") or []}
    return {**row, "shown": shown, "alignment": comparison.get("alignment") or [], "overlaps": overlaps,
            "hidden": len(row["members"]) - len(shown)}


# ----------------------------------------------------------------------------- the scaling board
def scale_rows(doc: Mapping[str, Any], facts: Mapping[str, dict], regions: Mapping[str, dict]) -> list[dict]:
    """Every candidate of a ``scale-candidates`` document as a row, with industries, district and
    the regions that built a copy or plan one (``facts``: id -> catalog record)."""
    rows = []
    for rank, c in enumerate(doc.get("candidates") or [], 1):
        candidate = ScaleCandidate.from_dict(c)  # the engine's typed answer: a renamed field fails here
        fact = facts.get(candidate.record.id, {})
        built, planned = [], []
        systems = candidate.demand_systems or {r: [] for r in candidate.demand_regions}
        for region, ids in systems.items():
            if ids and not any(i in facts for i in ids):
                continue  # every system of that region withdrawn since the board was ranked
            statuses = {(facts.get(i) or {}).get("status") for i in ids}
            (built if statuses & set(BUILT_STATUSES) else planned).append(region)
        region = candidate.record.region or fact.get("region")
        rows.append({**c, "rank": rank, "built_regions": built, "planned_regions": planned,
                     "demand_regions": sorted(built + planned), "demand": len(built) + len(planned), "industries": list(fact.get("industries") or []),
                     "district": (regions.get(region) or {}).get("federal_district"),
                     "synthetic": bool(fact.get("synthetic", candidate.record.synthetic))})
    return rows


def board_page(rows: list[dict], region_codes: Iterable[str], filters: Mapping[str, Sequence[str]] | None = None,
               with_no_demand: bool = False, states: Mapping[str, str] | None = None,
               page: int = 1, per_page: int = 20, weights: Mapping[str, float] | None = None) -> dict[str, Any]:
    """The board filtered by industry, district and curation state (``states``: the current
    state of each practice from the database, which a curator's mark changes before the next
    index). Practices nobody else needs are left out unless ``with_no_demand``: a practice
    with no demand is not one to scale yet."""
    states = states or {}
    filters = {k: list(v) for k, v in (filters or {}).items() if v}
    all_regions = sorted(region_codes)
    out, no_demand = [], 0
    for r in rows:
        # with the database's states, a practice it no longer holds is gone (a restore, say)
        state = states.get(r["id"]) if states else r.get("curation_state")
        if states and state not in SCALE_STATES:  # withdrawn since the index was built: never served
            continue
        if "industry" in filters and not set(filters["industry"]) & set(r["industries"]):
            continue
        if "district" in filters and r["district"] not in filters["district"]:
            continue
        if "status" in filters and state not in filters["status"]:
            continue
        if not r["demand"]:  # counted under the same filters, so the page can say how many it hides
            no_demand += 1
            if not with_no_demand:
                continue
        out.append((r, state))
    pages = max(1, math.ceil(len(out) / per_page))
    page = min(max(1, page), pages)
    shown = []
    for r, state in out[(page - 1) * per_page: page * per_page]:  # copies: the cached rows stay as they are
        taken = set(r.get("demand_regions") or []) | {r.get("region")}
        shown.append({**r, "curation_state": state, "neither_regions": [c for c in all_regions if c not in taken]})
    return {"candidates": shown, "total": len(out), "page": page, "pages": pages, "per_page": per_page,
            "filters": filters, "with_no_demand": with_no_demand, "no_demand": no_demand,
            "considered": len(rows), "weights": dict(weights or {}),
            "options": {"industry": sorted({i for r in rows for i in r["industries"]}),
                        "district": sorted({r["district"] for r in rows if r["district"]}),
                        "status": list(SCALE_STATES)}}


# ----------------------------------------------------------------------------- export
def table_bytes(fmt: str, header: Sequence[str], rows: Iterable[Sequence[Any]], ru: bool = False) -> bytes:
    """A table as CSV (Russian: «;» and decimal commas, with a BOM for Excel), XLSX or JSON."""
    from practicebank.catalog.files.cells import neutralise

    rows = [[neutralise(v) if isinstance(v, str) else v for v in row] for row in rows]
    if fmt == "json":
        return json.dumps([dict(zip(header, row)) for row in rows], ensure_ascii=False, indent=1).encode()
    if fmt == "xlsx":
        import openpyxl
        from openpyxl.styles import Font

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([", ".join(v) if isinstance(v, list) else v for v in row])
        sheet.freeze_panes = "A2"
        stream = io.BytesIO()
        book.save(stream)
        return stream.getvalue()
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";" if ru else ",", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv(v, ru) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _csv(value: Any, ru: bool) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, bool):
        return ("да" if value else "нет") if ru else ("true" if value else "false")
    if isinstance(value, float) and ru:
        return str(round(value, 4)).replace(".", ",")
    return value
