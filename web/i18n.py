"""Languages: Russian and English, chosen by ``?lang=``, then the session, then the browser.

Also the template helpers that depend on the language: vocabulary labels, region names and
numbers formatted the local way.
"""
from __future__ import annotations

from flask import Flask, request, session
from flask_babel import Babel, format_decimal, get_locale, gettext

from catalog import taxonomy

LANGUAGES = ("ru", "en")
VOCABULARIES = {
    "industry": taxonomy.INDUSTRIES, "technology": taxonomy.TECHNOLOGIES, "status": taxonomy.STATUSES,
    "license": taxonomy.LICENSES, "funding": taxonomy.FUNDING_SOURCES, "region_group": taxonomy.REGION_GROUPS,
    "federal_district": taxonomy.FEDERAL_DISTRICTS, "curation_state": taxonomy.CURATION_STATES,
}


def select_locale() -> str:
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        session["lang"] = chosen  # remembered for the next pages
        return chosen
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    return request.accept_languages.best_match(LANGUAGES) or "en"


def lang() -> str:
    return str(get_locale() or "en")


def label(vocabulary: str, code: str | None) -> str:
    if code is None:
        return ""
    if vocabulary == "cost_band":
        return cost_band_label(code)
    return taxonomy.label(VOCABULARIES[vocabulary], code, lang())


def cost_band_label(code: str) -> str:
    return {
        "under_10m": gettext("under 10 M ₽"), "10m_100m": gettext("10–100 M ₽"),
        "100m_1b": gettext("100 M – 1 bn ₽"), "over_1b": gettext("over 1 bn ₽"),
        "unknown": gettext("cost unknown"),
    }.get(code, code)


def term_label(name: str) -> str:
    """The name of a score term (recommendation and scaling explanations) in the page's language."""
    return {
        "retrieval": gettext("text similarity"), "overlap": gettext("functional overlap"),
        "status": gettext("status"), "region_group": gettext("region group"), "reuse": gettext("reuse"),
        "demand": gettext("demand"), "proof": gettext("proof"), "cost": gettext("cost to adopt"),
    }.get(name, name.replace("_", " "))


def region_name(region: dict | None, code: str | None = None) -> str:
    if not region:
        return code or ""
    return region["name_ru"] if lang() == "ru" else region["name_en"]


def money(thousands: float | None) -> str:
    """Thousand rubles (the catalog's unit) shown as million rubles."""
    if not _is_number(thousands):  # None, or a field the record leaves out
        return "—"
    return gettext("%(value)s M ₽", value=format_decimal(thousands / 1000, format="#,##0.0"))


def number(value: float | None, digits: int = 0) -> str:
    if not _is_number(value):
        return "—"
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    Babel(app, locale_selector=select_locale)
    app.jinja_env.globals.update(label=label, region_name=region_name, term_label=term_label, money=money, number=number,
                                 current_lang=lang, LANGUAGES=LANGUAGES)
