"""The engine's explanations in the page's language.

matcher/ knows no language: a duplicate family's reference choice comes with ``reasons`` and
every scaling term with a ``code`` and ``params`` (next to stable English text for the CLI
and the API). Here each code maps to a lazy gettext template; parameters that are codes
themselves (a status, a region group, a criterion) are shown by their labels and numbers the
local way. Results computed before the codes existed have only the English text: they are
shown as they are.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from practicebank.web import i18n

# ---------------------------------------------------------------- duplicate family: the reference
REASONS = {
    "in_operation_since": _l("in operation since %(year)s"),
    "in_operation": _l("in operation"),
    "status": _l("status: %(status)s"),
    "indicators_achieved": _l("indicators achieved: %(achieved)s of %(measured)s"),
    "no_measured_indicators": _l("no measured indicators"),
    "reused": _l("reused by other regions: %(count)s"),
    "region_group": _l("region group: %(group)s"),
    "ahead_of": _l("ahead of «%(name)s» on %(criterion)s"),
    "tied_with": _l("as good as «%(name)s» on every criterion: either can serve as the reference"),
}
CRITERIA = {
    "in_operation": _l("being in operation"),
    "indicators_achieved": _l("the share of indicators achieved"),
    "reuse": _l("reuse by other regions"),
    "years_in_operation": _l("years in operation"),
    "leading_region": _l("the region group"),
}

# ---------------------------------------------------------------- scaling board: the terms
TERMS = {
    "demand_regions": _l("other regions that built or plan a similar system: %(regions)s "
                         "(with a near-identical copy: %(family_regions)s); the term is full at %(full)s"),
    "proof_facts": _l("status: %(status)s; indicators achieved: %(achieved)s of %(measured)s; "
                      "years in operation: %(years)s; reused by other regions: %(reuse)s"),
    "cost_unknown": _l("cost unknown: neutral value %(value)s"),
    "cost_vs_median": _l("capital cost + %(opex_years)s years of operating cost = %(cost)s against the "
                         "candidates' median %(median)s (0.5 at the median)"),
    "source_region_group": _l("region group of the source: %(group)s"),
}
UNKNOWN = lazy_pgettext("value", "unknown")


def _status(code: Any) -> str:
    return str(UNKNOWN) if code in (None, "", "unknown") else i18n.label("status", code)


def _group(code: Any) -> str:
    return str(UNKNOWN) if code in (None, "", "unknown") else i18n.label("region_group", code)


def _count(value: Any) -> str:
    return i18n.number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def _shown(params: Mapping[str, Any], names: Mapping[str, str] | None) -> dict[str, Any]:
    """Parameters as a page shows them: labels for codes, local numbers, titles for ids."""
    shown: dict[str, Any] = {}
    for key, value in params.items():
        if key == "status":
            shown[key] = _status(value)
        elif key == "group":
            shown[key] = _group(value)
        elif key == "criterion":
            message = CRITERIA.get(value)
            shown[key] = str(message) if message else value
        elif key == "id":
            shown["name"] = (names or {}).get(value) or value
        elif key in ("cost", "median"):
            shown[key] = i18n.money(value)
        elif key == "value":
            shown[key] = i18n.number(value, 1)
        elif key == "year" and isinstance(value, int):
            shown[key] = str(value)  # a year, never "2 016"
        else:
            shown[key] = _count(value)
    return shown


def _render(table: Mapping[str, Any], item: Any, names: Mapping[str, str] | None = None) -> str | None:
    if not isinstance(item, Mapping):
        return None
    message = table.get(item.get("code"))
    if message is None:
        return None
    try:
        return str(message) % _shown(item.get("params") or {}, names)
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
        return None


def reason_text(item: Any, names: Mapping[str, str] | None = None) -> str | None:
    """One reason of a reference choice, or None when its code is unknown."""
    return _render(REASONS, item, names)


def reference_why(reference: Mapping[str, Any] | None, names: Mapping[str, str] | None = None) -> str:
    """Why a family's reference is the one to adopt, in the page's language.

    ``names`` maps member ids to titles, so a tie names the other system, not its id. Without
    codes (an engine saved before they existed) the English ``why`` is shown as it is.
    """
    if not reference:
        return ""
    reasons = reference.get("reasons") or []
    texts = [reason_text(r, names) for r in reasons]
    if reasons and all(texts):
        return "; ".join(texts)  # type: ignore[arg-type]
    why = reference.get("why") or ""
    return why if isinstance(why, str) else "; ".join(map(str, why))


def term_text(term: Any) -> str:
    """A scaling term's sentence in the page's language (its English text when it has no code)."""
    text = _render(TERMS, term)
    if text is not None:
        return text
    return str(term.get("explanation") or "") if isinstance(term, Mapping) else ""


def _member_names(facts: Mapping[str, Any] | None) -> dict[str, str]:
    names = {}
    for pid, fact in (facts or {}).items():
        title = fact.get("title") if isinstance(fact, Mapping) else getattr(fact, "title", None)
        if isinstance(fact, Mapping) and title:
            title = i18n.localized({**fact, "id": fact.get("id", pid)})["title"] or title  # the page's language
        if title:
            names[pid] = title
    return names


def init_app(app: Flask) -> None:
    helpers: dict[str, Callable] = {"reference_why": reference_why, "term_text": term_text,
                                    "member_names": _member_names}
    app.jinja_env.globals.update(helpers)
