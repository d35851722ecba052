"""Validation and upload errors in the page's language.

catalog/ and the API's input checks keep stable English text (the CLI and the JSON API show
it) and, next to it, what went wrong as a code with parameters: ``RecordError.code/params``
(pydantic's error type and context, or an ``InvalidValue``'s code), ``FileError.code/params``
and ``ApiError.code/params/details``. A page in English shows the English text as it is; a
page in Russian renders the code with a lazy gettext template, names the field by its label
and the record by its row. An error without a known code is shown in English rather than
half translated.

Refusals (``practicebank.errors.Refusal``: workflow, replication, accounts) carry an English
template with named parameters instead of a code: ``refusal_text`` translates the template and
shows the parameters that are codes (a state, an action, a role) by their labels.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from flask import Flask
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext


def _f(label: str):
    """A field's label (context "field": the same word elsewhere may translate differently)."""
    return lazy_pgettext("field", label)


from practicebank.catalog import replication, roles, taxonomy, workflow
from practicebank.web import i18n

# ---------------------------------------------------------------- where: record, field
UNITS = {"record": _l("record %(n)s"), "line": _l("line %(n)s"), "row": _l("row %(n)s")}
FIELDS = {
    "id": _f("identifier"), "title": _f("title"), "summary": _f("summary"), "description": _f("description"),
    "features": _f("functions"), "region": _f("region"), "industries": _f("industries"),
    "technologies": _f("technologies"), "status": _f("status"), "start_year": _f("start year"),
    "end_year": _f("end year"), "cost": _f("cost"), "capex": _f("capital cost"),
    "opex_per_year": _f("operating cost a year"), "funding": _f("funding"), "regional": _f("regional budget"),
    "federal": _f("federal budget"), "local": _f("local budget"), "extrabudgetary": _f("extra-budgetary funds"),
    "indicators": _f("indicators"), "name": _f("name"), "unit": _f("unit"), "baseline": _f("baseline"),
    "target": _f("target"), "target_year": _f("target year"), "actual": _f("actual value"),
    "owner": _f("operator"), "vendor": _f("supplier"), "license": _f("licence"), "based_on": _f("based on"),
    "sources": _f("sources"), "url": _f("link"), "synthetic": _f("demo record mark"),
    "language": _f("language"), "translations": _f("translations"), "translated": _f("translation mark"),
    "contact": _f("contact"), "budget": _f("budget"), "text": _f("text"),
}

# ---------------------------------------------------------------- what: one record's field
RECORD = {
    "missing": _l("required: fill it in"),
    "string_too_short": _l("empty: fill it in"),
    "string_too_long": _l("too long: at most %(max_length)s characters"),
    "too_short": _l("give at least %(min_length)s value(s)"),
    "too_long": _l("too many values: at most %(max_length)s"),
    "literal_error": _l("«%(input)s» is not an allowed value; allowed: %(expected)s"),
    "enum": _l("«%(input)s» is not an allowed value; allowed: %(expected)s"),
    "extra_forbidden": _l("unknown field «%(name)s»"),
    "string_pattern_mismatch": _l("must be 1-120 characters of latin letters a-z, digits and «-», «_», «.» (got «%(input)s»)"),
    "int_parsing": _l("must be a whole number (got «%(input)s»)"),
    "int_type": _l("must be a whole number (got «%(input)s»)"),
    "int_from_float": _l("must be a whole number (got «%(input)s»)"),
    "float_parsing": _l("must be a number (got «%(input)s»)"),
    "float_type": _l("must be a number (got «%(input)s»)"),
    "finite_number": _l("must be a finite number"),
    "greater_than_equal": _l("must be at least %(ge)s"),
    "greater_than": _l("must be more than %(gt)s"),
    "less_than_equal": _l("must be at most %(le)s"),
    "less_than": _l("must be less than %(lt)s"),
    "string_type": _l("must be text"),
    "list_type": _l("must be a list"),
    "bool_parsing": _l("must be yes or no (true or false)"),
    "bool_type": _l("must be yes or no (true or false)"),
    "dict_type": _l("must be an object"),
    "model_type": _l("must be an object"),
    "model_attributes_type": _l("must be an object"),
    "duplicate_id": _l("the identifier «%(id)s» is repeated: records %(records)s"),
    "unknown_code": _l("unknown value %(values)s; allowed: %(allowed)s"),
    "unknown_region": _l("unknown region «%(region)s»: give the region's name (for example, "
                         "Kurgan region) or its code such as RU-KGN; the Regions page lists them"),
    "end_before_start": _l("the end year %(end)s is before the start year %(start)s"),
    "nul_character": _l("contains a NUL character (%(char)s) at position %(position)s: remove it"),
    "direction_character": _l("contains a text-direction control character (%(char)s) at position %(position)s: "
                              "remove it"),
    "lone_surrogate": _l("contains an invalid character (%(char)s) at position %(position)s: remove it"),
    "invisible_text": _l("has no visible characters: only spaces or zero-width characters"),
    "record_too_large": _l("the record is too large: %(size)s characters, the limit is %(limit)s; shorten its "
                           "texts or lists"),
}

# ---------------------------------------------------------------- the file as a whole
FILE = {
    "unknown_column": _l("unknown column «%(column)s» in the header row"),
    "column_twice": _l("the column «%(column)s» appears twice in the header row"),
    "file_too_big": _l("the file is too big: the limit is %(limit_mb)s MB"),
    "too_many_rows": _l("the file has too many rows: the limit is %(limit)s"),
    "not_utf8": _l("the file is not in UTF-8: save it as «CSV UTF-8» (in Excel) or upload it as XLSX"),
    "not_xlsx": _l("this is not an XLSX file: save the sheet as an Excel workbook (.xlsx)"),
    "invalid_json": _l("the JSON is malformed at line %(line)s, column %(column)s"),
    "malformed_csv": _l("the CSV is malformed near row %(row)s"),
    "unknown_format": _l("cannot tell the file's format from its name: upload .json, .jsonl, .csv or .xlsx"),
}

# ---------------------------------------------------------------- the API's input checks
API = {
    "missing_text": _l("missing text: give a title, a description or the functions of the planned system"),
    "unknown_region": RECORD["unknown_region"],
    "no_file": _l("no file: choose a draft portfolio (.json, .jsonl, .csv or .xlsx)"),
    "file_unreadable": _l("cannot read %(filename)s: %(reason)s"),
    "portfolio_errors": _l("problems in the draft portfolio: %(count)s; fix them and upload again"),
    "empty_portfolio": _l("the draft portfolio is empty: give at least one project"),
    "planned_record_errors": _l("the planned system has errors"),
    "compare_ids": _l("choose from 2 to %(high)s projects to compare"),
    "bad_number": _l("«%(name)s» must be a number from %(low)s to %(high)s"),
    "bad_whole_number": _l("«%(name)s» must be a whole number from %(low)s to %(high)s"),
    "unknown_filter_value": _l("unknown value %(values)s in the filter «%(facet)s»"),
    "unknown_sort": _l("unknown sort order «%(sort)s»"),
    "too_many_functions": _l("a plan may list at most %(most)s functions, not %(count)s: keep the ones that matter, "
                             "or check a whole portfolio"),
    "function_too_long": _l("function %(number)s is longer than %(most)s characters: one phrase or sentence a line"),
    "text_too_long": _l("«%(name)s» is %(length)s characters; the limit is %(most)s"),
    "budget_range": _l("the budget must be a number of thousand rubles from 0 to %(most)s"),
    "too_many_portfolio_rows": _l("the draft portfolio has %(count)s projects; check at most %(most)s at a time "
                                  "(split the file)"),
}
# the names of query parameters as a page says them
PARAMETERS = {"threshold": _l("threshold"), "top": _l("how many"), "page": _l("page"), "per_page": _l("results a page"),
              "k": _l("how many"), "industry": _f("industries"), "technology": _f("technologies"), "region": _f("region"),
              "federal_district": _l("federal district"), "region_group": _l("region group"), "status": _f("status"),
              "cost_band": _l("cost band")}


def _coded_text(detail: Mapping[str, Any]) -> str | None:
    """An API or query error given as {"code", "params"}, in the page's language (None: no template)."""
    code, params = detail.get("code"), dict(detail.get("params") or {})
    if code == "bad_number" and params.get("whole"):
        code = "bad_whole_number"
    if code not in API:
        return None
    for key in ("name", "facet"):
        if key in params and params[key] in PARAMETERS:
            params[key] = str(PARAMETERS[params[key]])
    for key in ("low", "high"):
        if isinstance(params.get(key), (int, float)):
            params[key] = i18n.number(params[key], 2)
    if isinstance(params.get("values"), (list, tuple)):
        params["values"] = ", ".join(f"«{v}»" for v in params["values"])
    return _fill(API[code], params)


def query_error_items(error: Any) -> list[str]:
    """A ``QueryError``'s problems for the page (English when the page is, or a code is unknown)."""
    items = list(getattr(error, "errors", None) or [])
    details = list(getattr(error, "details", None) or [])
    if not _ru() or len(details) != len(items):
        return items
    return [_coded_text(d) or item for d, item in zip(details, items)]


def _ru() -> bool:
    return i18n.lang() == "ru"


def field_label(path: str | None) -> str:
    """``indicators[0].name`` -> «indicators № 1, name» in the page's language."""
    if not path:
        return ""
    parts = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        if index:
            parts[-1] = f"{parts[-1]} № {int(index) + 1}" if parts else f"№ {int(index) + 1}"
        else:
            label = FIELDS.get(name)
            parts.append(str(label) if label else name)
    return ", ".join(parts)


def _vocabulary_labels(codes: Any, vocabulary: Mapping[str, tuple[str, str]]) -> str:
    """Each allowed value by its label with the code a file must hold: «Образование и наука («education»)»."""
    items = codes if isinstance(codes, (list, tuple)) else [c.strip(" '\"") for c in str(codes).split(",")]
    return ", ".join(f"{taxonomy.label(vocabulary, c, i18n.lang())} («{c}»)" if c in vocabulary else c for c in items)


_VOCABULARY_OF_FIELD = {"industries": taxonomy.INDUSTRIES, "technologies": taxonomy.TECHNOLOGIES,
                        "status": taxonomy.STATUSES, "license": taxonomy.LICENSES,
                        "federal_district": taxonomy.FEDERAL_DISTRICTS, "group": taxonomy.REGION_GROUPS}


def _record_params(code: str, params: Mapping[str, Any], path: str | None) -> dict[str, Any]:
    shown = dict(params)
    top = (path or "").split(".")[0].split("[")[0]
    vocabulary = _VOCABULARY_OF_FIELD.get(top) or _VOCABULARY_OF_FIELD.get((path or "").split(".")[-1])
    if code == "unknown_code":
        shown["values"] = ", ".join(f"«{v}»" for v in (params.get("unknown") or [params.get("values", "")]))
        if vocabulary is not None:
            shown["allowed"] = _vocabulary_labels(list(vocabulary), vocabulary)
    if code in ("literal_error", "enum") and vocabulary is not None:
        shown["expected"] = _vocabulary_labels(list(vocabulary), vocabulary)
    if code == "duplicate_id":
        shown["records"] = ", ".join(str(n) for n in params.get("records") or [])
    for key in ("ge", "gt", "le", "lt", "max_length", "min_length", "limit"):
        value = shown.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            shown[key] = i18n.number(value, 2)
    return shown


def _fill(message: Any, params: Mapping[str, Any]) -> str | None:
    try:
        return str(message) % dict(params)
    except (KeyError, TypeError, ValueError):
        return None


def record_error_text(error: Any) -> str:
    """One record's error (a ``RecordError`` or its ``to_dict()``) for the page."""
    get = error.get if isinstance(error, Mapping) else lambda k, d=None: getattr(error, k, d)
    english = get("text") or (str(error) if not isinstance(error, Mapping) else get("message") or "")
    code = get("code")
    if not _ru() or not code or code not in RECORD:
        return english
    path = get("field")
    what = _fill(RECORD[code], _record_params(code, get("params") or {}, path))
    if what is None:
        return english
    where = _fill(UNITS.get(get("unit") or "record", UNITS["record"]), {"n": get("record")})
    label = field_label(path) if code != "extra_forbidden" else ""  # the unknown field is named in the message
    return f"{where}, {label}: {what}" if label else f"{where}: {what}"


def file_error_text(code: str | None, params: Mapping[str, Any] | None, english: str) -> str:
    """A file-level error (``FileError``'s code and params) for the page."""
    if not _ru() or code not in FILE:
        return english
    shown = dict(params or {})
    if isinstance(shown.get("limit"), int):
        shown["limit"] = i18n.number(shown["limit"])
    return _fill(FILE[code], shown) or english


def api_error_text(error: Any) -> str:
    """The headline of an ``ApiError`` for the page."""
    english = getattr(error, "error", None) or str(error)
    code = getattr(error, "code", None)
    if not _ru() or code not in API:
        return english
    params = dict(getattr(error, "params", None) or {})
    if code == "file_unreadable":
        reason = params.get("reason") or {}
        params["reason"] = file_error_text(reason.get("code"), reason.get("params"), reason.get("message", ""))
        if not _ru() or reason.get("code") not in FILE:
            return english
    if code == "portfolio_errors":
        params["count"] = i18n.number(params.get("count"))
        return _fill(API[code], params) or english
    if code == "file_unreadable":
        return _fill(API[code], params) or english
    return _coded_text({"code": code, "params": params}) or english


def api_error_items(error: Any) -> list[str]:
    """Each item of an ``ApiError``'s ``errors`` for the page (record errors, or plain messages)."""
    details = list(getattr(error, "details", None) or [])
    out = []
    for i, item in enumerate(getattr(error, "errors", None) or []):
        if isinstance(item, Mapping):
            out.append(record_error_text(item))
            continue
        detail = details[i] if i < len(details) else None
        if _ru() and isinstance(detail, Mapping) and detail.get("code") in API:
            out.append(_coded_text(detail) or str(item))
        else:
            out.append(str(item))
    return out


def page_errors(error: Any) -> list[str]:
    """What a form shows for a refused ``ApiError``: its items, or its headline when it has none."""
    return api_error_items(error) or [api_error_text(error)]


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(field_label=field_label)


def record_error_message(error: Any) -> str:
    """What is wrong with one field of a record (a ``RecordError``), without saying which record
    or field: a form shows it under the field itself (English on an English page)."""
    get = error.get if isinstance(error, Mapping) else lambda k, d=None: getattr(error, k, d)
    english = get("message") or str(error)
    code = get("code")
    if not _ru() or not code or code not in RECORD:
        return english
    return _fill(RECORD[code], _record_params(code, get("params") or {}, get("field"))) or english


# ------------------------------------------------------ refusals (a template with parameters)
def _pick(labels: Mapping[str, tuple[str, str]], code: object) -> object:
    pair = labels.get(code) if isinstance(code, str) else None
    if pair is None:
        return code
    return pair[1] if _ru() else pair[0]


# parameter name -> how to show its value: catalog/ names the parameters after what they hold
# (a curation state, an action, a role), and a page shows those by their labels
_REFUSAL_LABELS = {
    "state": lambda code: i18n.label("curation_state", code),
    "action": lambda code: _pick(workflow.ACTION_LABELS, code),
    "request_action": lambda code: _pick(replication.ACTION_LABELS, code),
    "status": lambda code: _pick(replication.STATUS_LABELS, code),
    "role": lambda code: _pick(roles.LABELS, code),
}


def refusal_text(error: Exception) -> str:
    """A ``Refusal``'s message for a page: its template translated, codes shown by their labels.

    An error without a template, or one whose template has no translation yet, is shown as
    ``str(error)``: all English rather than English words around Russian labels. The JSON API
    and the CLI keep ``str(error)``: stable English.
    """
    template = getattr(error, "template", None)
    if not isinstance(template, str):
        return str(error)
    translated = gettext(template)  # no variables: gettext returns the text unformatted
    if translated == template:
        return str(error)
    params = getattr(error, "params", None) or {}
    if not params:
        return translated
    shown = {name: _REFUSAL_LABELS[name](value) if name in _REFUSAL_LABELS else value
             for name, value in params.items()}
    try:
        return translated % shown
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder: English, never a 500
        return str(error)
