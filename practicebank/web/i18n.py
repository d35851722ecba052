"""Languages: Russian and English, chosen by ``?lang=``, then the session, then the browser.

Also the template helpers that depend on the language: vocabulary labels, region names and
numbers formatted the local way.
"""
from __future__ import annotations

import math

from functools import lru_cache
from typing import Mapping

from babel.numbers import NumberPattern, parse_pattern
from flask import Flask, g, request, session
from flask_babel import Babel, get_locale, get_translations, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError

from practicebank.catalog import taxonomy

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
    try:
        return g.pb_lang
    except AttributeError:
        g.pb_lang = str(get_locale() or "en")
        return g.pb_lang


def _translations():
    # flask_babel finds the catalog through several context layers on every call; a passport
    # with ten result cards translates ~200 strings. The locale is fixed for a request.
    try:
        return g.pb_translations
    except AttributeError:
        g.pb_translations = get_translations()
        return g.pb_translations


def label(vocabulary: str, code: str | None) -> str:
    if code is None:
        return ""
    if vocabulary == "cost_band":
        return cost_band_label(code)
    return taxonomy.label(VOCABULARIES[vocabulary], code, lang())


# Lazy: a label is translated when shown, so a page with ten result cards translates the one
# it needs per call rather than the whole table.
COST_BAND_MESSAGES = {"under_10m": _l("under 10 M ₽"), "10m_100m": _l("10–100 M ₽"),
                      "100m_1b": _l("100 M – 1 bn ₽"), "over_1b": _l("over 1 bn ₽"),
                      "unknown": _l("cost unknown")}
TERM_MESSAGES = {"retrieval": _l("text similarity"), "overlap": _l("functional overlap"), "status": _l("status"),
                 "region_group": _l("region group"), "reuse": _l("reuse"), "demand": _l("demand"),
                 "proof": _l("proof"), "cost": _l("cost to adopt")}


def cost_band_label(code: str) -> str:
    message = COST_BAND_MESSAGES.get(code)
    return str(message) if message else code


def term_label(name: str) -> str:
    """The name of a score term (recommendation and scaling explanations) in the page's language."""
    message = TERM_MESSAGES.get(name)
    return str(message) if message else name.replace("_", " ")


def region_name(region: dict | None, code: str | None = None) -> str:
    if not region:
        return code or ""
    return region["name_ru"] if lang() == "ru" else region["name_en"]


def no_data() -> str:
    """What an unknown figure shows: «нет данных» / "no data", never 0 and never a bare dash."""
    return gettext("no data")


def money(thousands: float | None) -> str:
    """Thousand rubles (the catalog's unit) shown as million rubles; unknown says «нет данных»."""
    if not _is_number(thousands):  # None, or a field the record leaves out
        return no_data()
    return gettext("%(value)s M ₽", value=_format(thousands / 1000, "#,##0.0"))


def cost(thousands: float | None) -> str:
    """A cost or a sum of costs: 0 there means "nobody recorded one" (sums count unknown as 0),
    so it says «нет данных» rather than «0,0 млн ₽»."""
    if not _is_number(thousands) or thousands == 0:
        return no_data()
    return money(thousands)


def number(value: float | None, digits: int = 0) -> str:
    """A number the local way (one decimal separator per language: «0,84» in Russian)."""
    if not _is_number(value):
        return no_data()
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return _format(value, pattern)


def decimal(value: float | None, digits: int = 2) -> str:
    """A fixed number of decimals the local way (scores: «0,84», "0.84")."""
    if not _is_number(value):
        return no_data()
    return _format(value, "#,##0." + "0" * digits if digits else "#,##0")


def percent(value: float | None) -> str:
    """A percentage given in 0..100: «81 %» (non-breaking space) in Russian, "81%" in English."""
    if not _is_number(value):
        return no_data()
    text = _format(round(value), "#,##0")
    return f"{text}\u00a0%" if lang() == "ru" else f"{text}%"


def ratio(part: float | None, whole: float | None) -> str:
    """«467 / 1 500 (31 %)»: the percentage computed from the very two numbers shown."""
    if not _is_number(part) or not _is_number(whole) or whole <= 0:
        return no_data()
    return f"{number(part)} / {number(whole)} ({percent(100.0 * part / whole)})"


@lru_cache(maxsize=32)
def _pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


def _format(value: float, pattern: str) -> str:
    # flask_babel.format_decimal parses the pattern on every call; a passport formats hundreds.
    try:
        return _pattern(pattern).apply(value, get_locale())
    except ArithmeticError:  # beyond decimal's 28 digits (1e30 stored before money was bounded)
        return f"{value:.3g}"


def _is_number(value) -> bool:
    # NaN and infinity are no figure to show: "no data"
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def localized(record) -> dict:
    """The record's title, summary, description and features in the page's language, with
    ``translated`` when they are a translation (templates mark it «перевод»); see
    ``catalog.language.localized``. Engine results carry no translations: they are looked up by id
    (one read per request, cached per catalog revision)."""
    from practicebank.catalog.language import localized as texts_in

    record = record or {}
    if not isinstance(record, Mapping):  # a typed engine answer (matcher.answers): an id and a title
        record = {"id": record.id, "title": record.title}
    page = lang()
    needs_lookup = "translations" not in record and record.get("language") != page and record.get("id")
    return texts_in(record, page, _translations_by_id() if needs_lookup else None)


def _translations_by_id() -> dict:
    try:
        return g.pb_record_translations
    except AttributeError:
        from flask import current_app

        try:  # the Services itself: web.views imports this module (a cycle otherwise)
            g.pb_record_translations = current_app.extensions["practicebank"].translations_by_id()
        except (SQLAlchemyError, KeyError):  # the page still renders, in the records' own language
            g.pb_record_translations = {}
        return g.pb_record_translations


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    Babel(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(label=label, region_name=region_name, term_label=term_label, money=money, number=number, cost=cost, decimal=decimal, no_data=no_data, ratio=ratio,
                                 current_lang=lang, LANGUAGES=LANGUAGES)
    app.jinja_env.globals.update(localized=localized)
