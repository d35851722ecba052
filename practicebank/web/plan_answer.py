"""The answer to one planned system, as a minister reads it.

* ``headline`` — the one sentence that leads the page («81 % функций вашего плана уже работает
  в Республике Татарстан (система «…», в эксплуатации); оценка экономии ≈ 16,5 млн ₽»), for
  every case: no match, a title-only plan (no overlap), unknown or not-offered savings.
* ``group_results`` — near-identical candidates (same overlap, same savings, the same or
  nearly the same matched functions) become one card with "and 8 more like it".
* ``PlanStore`` — long plans get a short id (``/plan/<id>``): one small JSON file per plan in
  the home directory, bounded in count and size, the id derived from the content.
* ``plan_xlsx`` — the report download: plan, matches, evidence, savings and assumptions.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import threading
from pathlib import Path
from typing import Any, Iterable

from flask_babel import gettext

from practicebank import settings
from practicebank.matcher.answers import Recommendation, RecommendationItem
from practicebank.web import i18n

PLAN_FIELDS = ("title", "description", "features", "region", "industry", "budget")
WEAK_OVERLAP = 30.0  # below this the best match does not "already do" the plan
SHORT_URL_LIMIT = 600  # a plan whose query string is longer than this gets a short id


# -- numbers and words --------------------------------------------------------------------

def _num(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def adaptation_rate(result: Recommendation | None) -> float:
    return _rate(result.query.get("savings_assumptions") if result is not None else None)


def _rate(assumptions: Any) -> float:
    """The adaptation rate of the engine's savings assumptions, or the setting's when not given."""
    rate = assumptions.get("adaptation_rate") if isinstance(assumptions, dict) else None
    return float(rate) if _num(rate) else settings.SAVINGS_ADAPTATION_RATE


def plan_budget(result: Recommendation | None, plan: dict | None = None) -> float | None:
    budget = result.query.get("budget") if result is not None else None
    if not _num(budget) and plan:
        budget = plan.get("budget")
    return float(budget) if _num(budget) else None


def status_text(code: str | None) -> str:
    text = i18n.label("status", code) if code else ""
    return text[:1].lower() + text[1:] if text else gettext("status unknown")


_PREPOSITIONAL_WORDS = {"область": "области", "край": "крае", "округ": "округе", "республика": "республике",
                        "москва": "Москве", "санкт-петербург": "Санкт-Петербурге", "севастополь": "Севастополе",
                        "кузбасс": "Кузбассе", "югра": "Югре"}


def _prepositional_word(word: str) -> str | None:
    low = word.lower()
    if low in _PREPOSITIONAL_WORDS:
        out = _PREPOSITIONAL_WORDS[low]
        return out[:1].upper() + out[1:] if word[:1].isupper() else out
    if low.endswith("ая"):
        return word[:-2] + "ой"
    if low.endswith(("ий", "ый")):
        return word[:-2] + "ом"
    return None


def region_in_ru(name: str) -> str:
    """«в Республике Татарстан», «во Владимирской области», «в Ханты-Мансийском автономном
    округе — Югре»; a name the rules do not know is said without declension («в регионе: …»)."""
    head, sep, tail = name.partition(" — ")
    words = head.split()
    if not words:
        return ""
    if words[0].lower() == "республика":  # «Республика Татарстан»: only the first word declines
        declined = ["Республике", *words[1:]]
    else:
        declined = [_prepositional_word(w) for w in words]
        if any(w is None for w in declined):
            return f"в регионе «{name}»"
    if tail:
        tail_word = _prepositional_word(tail) if " " not in tail else None
        tail = tail_word or tail
    phrase = " ".join(declined) + (sep + tail if sep else "")
    first = phrase[:1].lower()
    vo = first in "вф" and len(phrase) > 1 and phrase[1].lower() not in "аеёиоуыэюя"
    return ("во " if vo else "в ") + phrase


def where(region_code: str | None, regions: dict) -> str:
    """"in the Republic of Tatarstan" / «в Республике Татарстан»."""
    region = regions.get(region_code or "")
    if not region:
        return gettext("in another region")
    if i18n.lang() == "ru":
        return region_in_ru(region["name_ru"])
    name = region["name_en"]
    if re.search(r"\b(Republic|Autonomous)\b", name) and not name.startswith("the "):
        name = "the " + name  # "in the Republic of Tatarstan", "in Kurgan Oblast"
    return gettext("in %(region)s", region=name)


# -- the lead sentence ------------------------------------------------------------------

def savings_reason(r: RecommendationItem, budget: float | None) -> str:
    """Why a result has no savings figure (the sentence and the card say it, never 0)."""
    if r.overlap is None:
        return "no_overlap"
    # a system not in operation saves nothing whatever the budget: say that first
    if r.status != "in_operation" or "not_in_operation" in (r.notes or ()):
        return "not_in_operation"
    if budget is None:
        return "no_budget"
    return "unknown"


def savings_clause(r: RecommendationItem, budget: float | None) -> str:
    savings = r.estimated_savings
    if _num(savings):
        if savings <= 0:
            return gettext("no savings expected: adapting the system costs as much as the functions it covers")
        return gettext("estimated savings ≈ %(savings)s", savings=i18n.money(savings))
    reason = savings_reason(r, budget)
    if reason == "no_budget":
        return gettext("estimated savings: no data (give the plan's budget)")
    if reason == "not_in_operation":
        return gettext("savings are not estimated: the system is not in operation yet")
    if reason == "no_overlap":
        return ""
    return gettext("estimated savings: no data")


def _demo(r: RecommendationItem) -> str:
    """", synthetic demo record" for a generated record: the sentence never passes one off as real."""
    return ", " + gettext("synthetic demo record") if r.synthetic else ""


def headline(result: Recommendation | None, regions: dict, plan: dict | None = None) -> dict:
    """{"kind", "text"}: the sentence that answers the plan, in the page's language."""
    results = result.results if result is not None else []
    if not results:
        return {"kind": "none", "text": gettext(
            "No catalogued system performs these functions. Your system may be new: consider publishing it "
            "for others to reuse.")}
    top = results[0]
    params = {"title": i18n.localized(top)["title"] or top.id, "where": where(top.region, regions),
              "status": status_text(top.status) + _demo(top)}
    overlap = top.overlap
    if overlap is None:
        text = gettext("The closest system by description is «%(title)s» %(where)s (%(status)s).", **params)
        return {"kind": "title_only", "text": text + " " + gettext(
            "List the functions of the system to get an overlap percentage.")}
    params["pct"] = i18n.percent(overlap)
    if overlap < WEAK_OVERLAP:
        return {"kind": "weak", "text": gettext(
            "No catalogued system performs most of your plan: the closest, «%(title)s» %(where)s (%(status)s), "
            "covers %(pct)s of its functions.", **params)}
    if top.status == "in_operation":
        main = gettext("%(pct)s of your plan's functions already work %(where)s (system «%(title)s», %(status)s)",
                       **params)
    else:
        main = gettext("%(pct)s of your plan's functions already exist %(where)s (system «%(title)s», %(status)s)",
                       **params)
    budget = plan_budget(result, plan)
    clause = savings_clause(top, budget)
    text = main + ("; " + clause if clause else "") + "."
    if top.status != "in_operation":
        # The best system is not running yet: name the best one that is, with its savings.
        working = max((r for r in results[1:] if r.status == "in_operation" and _num(r.overlap)
                       and r.overlap >= WEAK_OVERLAP), key=lambda r: r.overlap, default=None)
        if working is not None:
            savings = working.estimated_savings
            text += " " + gettext("In operation: «%(title)s» %(where)s performs %(pct)s of the plan's functions", **{
                "title": i18n.localized(working)["title"] or working.id,
                "where": where(working.region, regions) + (f" ({_demo(working)[2:]})" if _demo(working) else ""),
                "pct": i18n.percent(working.overlap)})
            clause = savings_clause(working, budget) if not _num(savings) or savings > 0 else ""
            text += ("; " + clause if clause else "") + "."
    return {"kind": "match", "text": text}


# -- grouping near-identical candidates ---------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)


def _tokens(texts: Iterable[str]) -> set[str]:
    return {w for t in texts for w in _WORD.findall(str(t).lower()) if len(w) > 2}


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def _same_figure(a, b, digits: int) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return round(float(a), digits) == round(float(b), digits)


def near_identical(a: RecommendationItem, b: RecommendationItem) -> bool:
    """Two results that tell the minister the same thing: same overlap and savings, the same
    planned functions matched and (nearly) the same functions on the system's side."""
    if not (_same_figure(a.overlap, b.overlap, 0) and _same_figure(a.estimated_savings, b.estimated_savings, 0)):
        return False
    if a.overlap is None:  # title-only: nothing to compare but the names
        return _jaccard(_tokens([a.title or ""]), _tokens([b.title or ""])) >= 0.8
    pa, pb = ({str(p[0]).strip().lower() for p in r.matched_features or [] if p} for r in (a, b))
    if pa != pb:
        return False
    ea, eb = (_tokens(p[1] for p in r.matched_features or [] if len(p) > 1 and p[1]) for r in (a, b))
    return _jaccard(ea, eb) >= 0.6


def group_results(results: list[RecommendationItem]) -> list[dict]:
    """[{"lead": result, "similar": [results]}] in rank order of the leads."""
    groups: list[dict] = []
    for r in results:
        for g in groups:
            if near_identical(g["lead"], r):
                g["similar"].append(r)
                break
        else:
            groups.append({"lead": r, "similar": []})
    return groups


# -- the plan in the URL, and short ids for long plans --------------------------------------

def canonical(plan: dict) -> dict:
    """The plan's non-empty fields as strings, in a fixed order (the URL and the store key)."""
    out = {}
    for key in PLAN_FIELDS:
        value = plan.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")  # a textarea's line breaks
        if key == "budget" and _num(value):
            value = f"{value:g}" if float(value) != int(value) else str(int(value))
        out[key] = str(value).strip()
    return {k: v for k, v in out.items() if v}


def readable_url(url: str) -> str:
    """The link as a person reads it: Cyrillic shown as letters («/plan?title=Запись+в+сады»),
    while line breaks, «&», «=» and other reserved characters stay percent-encoded."""
    def decode(match: re.Match) -> str:
        raw = match.group(0)
        try:
            text = bytes.fromhex(raw.replace("%", "")).decode("utf-8")
        except UnicodeDecodeError:
            return raw
        return "".join(ch if ord(ch) > 127 and ch.isprintable() else
                       "".join(f"%{b:02X}" for b in ch.encode("utf-8")) for ch in text)

    return re.sub(r"(?:%[0-9A-Fa-f]{2})+", decode, url)


class PlanStore:
    """Shared plans: ``<home>/plans/<id>.json``; at most ``limit`` files (oldest go first), each
    at most ``max_bytes``. The id is a hash of the plan, so the same plan keeps its link."""

    def __init__(self, directory: Path, limit: int = 5000, max_bytes: int = 64 * 1024):
        self.directory, self.limit, self.max_bytes = Path(directory), limit, max_bytes
        self._lock = threading.Lock()

    @staticmethod
    def plan_id(plan: dict) -> str:
        digest = hashlib.sha256(json.dumps(canonical(plan), ensure_ascii=False, sort_keys=True).encode()).hexdigest()
        return digest[:12]

    def put(self, plan: dict) -> str | None:
        body = json.dumps(canonical(plan), ensure_ascii=False).encode("utf-8")
        if len(body) > self.max_bytes:
            return None
        pid = self.plan_id(plan)
        path = self.directory / f"{pid}.json"
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            if path.exists():
                os.utime(path)  # recently shared: keep it
                return pid
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(body)
            os.replace(tmp, path)
            self._trim()
        return pid

    def get(self, pid: str) -> dict | None:
        if not re.fullmatch(r"[0-9a-f]{12}", pid or ""):
            return None
        try:
            data = json.loads((self.directory / f"{pid}.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return {k: str(v) for k, v in data.items() if k in PLAN_FIELDS} if isinstance(data, dict) else None

    def _trim(self) -> None:
        files = sorted(self.directory.glob("*.json"), key=lambda p: p.stat().st_mtime)
        for old in files[:max(0, len(files) - self.limit)]:
            old.unlink(missing_ok=True)


# -- the report download ----------------------------------------------------------------------

def assumption_lines(result: Recommendation | None) -> list[str]:
    return _assumption_lines(adaptation_rate(result))


def _assumption_lines(adaptation: float) -> list[str]:
    rate = i18n.percent(adaptation * 100)
    return [
        gettext("Estimated savings = budget × overlap − budget × %(rate)s for adaptation, never below zero.", rate=rate),
        gettext("The development cost is assumed to be spread evenly over the plan's functions."),
        gettext("%(rate)s of the budget stands for deployment, integration and training when reusing.", rate=rate),
        gettext("Savings are offered only against systems in operation."),
        gettext("Without a budget there is no estimate: the page says “no data”, never zero."),
        gettext("Overlap is the share of the plan's functions the system performs (functions matched one to one "
                "by meaning); a plan with fewer than two functions gets no overlap."),
    ]


def savings_notes(assumptions: Any = None) -> dict:
    """For any card with a savings figure: the formula in one line and the assumptions, in the
    page's language (the engine's own assumptions are English and keyed for machines)."""
    adaptation = _rate(assumptions)
    rate = i18n.percent(adaptation * 100)
    return {"formula": gettext("Savings = budget × overlap − %(rate)s of the budget for adaptation; only against "
                               "systems in operation.", rate=rate),
            "lines": _assumption_lines(adaptation)}


def plan_xlsx(plan: dict, result: Recommendation | None, regions: dict, link: str,
              passports: dict[str, str] | None = None) -> bytes:
    """The report; ``passports``: id -> the link to each system's passport."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    wb = Workbook()
    ws = wb.active
    ws.title = gettext("The plan")[:31]
    region = regions.get(plan.get("region") or "")
    rows = [
        (gettext("What are you planning to build?"), plan.get("title") or ""),
        (gettext("Description"), plan.get("description") or ""),
        (gettext("Functions, one per line"), plan.get("features") or ""),
        (gettext("Region"), i18n.region_name(region, plan.get("region")) if plan.get("region") else ""),
        (gettext("Industry"), i18n.label("industry", plan.get("industry")) if plan.get("industry") else ""),
        (gettext("Budget, thousand rubles"), float(plan["budget"]) if _num_text(plan.get("budget")) else i18n.no_data()),
        (gettext("The answer"), headline(result, regions, plan)["text"]),
        (gettext("Link to this plan"), link),
    ]
    for row in rows:
        ws.append(row)
        ws.cell(ws.max_row, 1).font = bold
        ws.cell(ws.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 34, 100

    budget = plan_budget(result, plan)
    ms = wb.create_sheet(gettext("Systems to reuse")[:31])
    ms.append([gettext("Place in the ranking"), gettext("Existing system"), gettext("Region"), gettext("Status"),
               gettext("Overlap, %"), gettext("Relevance (rank)"), gettext("Estimated savings, thousand rubles"),
               gettext("Why no savings figure"), gettext("Matched functions"), gettext("Missing functions"),
               gettext("Link to the passport")])
    evidence = wb.create_sheet(gettext("Evidence of overlap")[:31])
    evidence.append([gettext("Existing system"), gettext("Function asked for"), gettext("Function of this system"),
                     gettext("Similarity, %")])
    for rank, r in enumerate(result.results if result is not None else [], 1):
        savings = r.estimated_savings
        title = i18n.localized(r)["title"] or r.id  # in the page's language
        ms.append([rank, title, i18n.region_name(regions.get(r.region or ""), r.region),
                   i18n.label("status", r.status) if r.status else "",
                   round(r.overlap, 1) if _num(r.overlap) else i18n.no_data(),
                   round(r.score, 3) if _num(r.score) else "",
                   round(savings, 1) if _num(savings) else i18n.no_data(),
                   "" if _num(savings) else savings_clause(r, budget),
                   len(r.matched_features or []), len(r.missing_features or []),
                   (passports or {}).get(r.id, "")])
        for pair in r.matched_features or []:
            sim = pair[2] if len(pair) > 2 and _num(pair[2]) else None
            evidence.append([title, pair[0], pair[1],
                             round(sim * 100 if sim <= 1 else sim, 1) if sim is not None else ""])
        for missing in r.missing_features or []:
            evidence.append([title, missing, gettext("— not covered by this system"), ""])
    for sheet in (ms, evidence):
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
    for col, width in zip("ABCDEFGHIJK", (6, 40, 26, 18, 12, 14, 18, 40, 12, 12, 40)):
        ms.column_dimensions[col].width = width
    for col, width in zip("ABCD", (40, 50, 50, 14)):
        evidence.column_dimensions[col].width = width

    sa = wb.create_sheet(gettext("Savings assumptions")[:31])
    for line in assumption_lines(result):
        sa.append([line])
    sa.column_dimensions["A"].width = 120
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _num_text(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True
