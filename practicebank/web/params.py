"""Reading what a request asks: query-string filters, sort and paging, numeric parameters,
JSON bodies (a planned record, a draft portfolio) and uploaded files, for the pages and the API.

Both front ends parse here, so the same input is refused with the same message and status:
``QueryError`` for bad filters, sort or paging, ``ApiError`` for anything else. Every error says
what to change. Flask-WTF forms (the HTML side of the same checks) are in ``web.forms``.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Mapping, Sequence

from werkzeug.datastructures import FileStorage

from practicebank.catalog import limits
from practicebank.catalog.files import FileError, ParseResult, format_of, parse_stream, validate
from practicebank.catalog.limits import MAX_PAGE, MAX_PER_PAGE
from practicebank.catalog.taxonomy import FEDERAL_DISTRICTS, INDUSTRIES, REGION_GROUPS, STATUSES, TECHNOLOGIES
from practicebank.errors import Refusal
from practicebank.settings import COST_BANDS, FACETS, SORTS
from practicebank.web.api.errors import ApiError

Resolver = Callable[[str], "str | None"]
PLANNED_FIELDS = ("title", "description", "features", "region", "industries", "budget", "text")


# -- filters, sort and paging (query strings of /search, /api/v1/projects, /api/v1/search) ----------

class QueryError(Refusal, ValueError):
    """Bad filter, sort or paging input (400); ``errors`` lists each problem for the API."""

    def __init__(self, errors: list[str], details: list[dict] | None = None):
        super().__init__("; ".join(errors))  # English, already formatted: a page renders ``details``
        self.errors = list(errors)
        # each error as {"code", "params"}, for pages in other languages (web/messages.py)
        self.details = details or []


def allowed_values(facet: str, region_codes: Iterable[str]) -> Sequence[str]:
    """The values a facet filter accepts (regions are the catalog's, so the caller gives them)."""
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
    """(page, per_page) from ``?page=&per_page=``, each checked against its bounds."""
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


def parse_sort(args: Mapping, allowed: Sequence[str] = SORTS, default: str = "relevance") -> str:
    """``?sort=``, one of ``allowed`` (the catalog's sorts unless a list says otherwise)."""
    sort = (args.get("sort") or default).strip()
    if sort not in allowed:
        raise QueryError([f"unknown sort {sort!r}; allowed: {', '.join(allowed)}"],
                         [{"code": "unknown_sort", "params": {"sort": sort}}])
    return sort


def listed(args: Mapping, names: Iterable[str]) -> dict[str, list[str]]:
    """The repeated parameters ``names`` (``?region=a&region=b``) that were given, blanks left out."""
    found = {name: [v for v in args.getlist(name) if v] for name in names}
    return {name: values for name, values in found.items() if values}


def id_list(args: Mapping, name: str = "ids") -> list[str]:
    """Comma-separated ids (``?ids=a,b``) in their order, blanks left out."""
    return [i.strip() for i in (args.get(name) or "").split(",") if i.strip()]


def _int(value, default: int) -> int | None:
    if value in (None, ""):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# -- numbers, JSON bodies and uploads ---------------------------------------------------------------

def read_json(request, max_bytes: int | None = limits.MAX_JSON_BODY_BYTES) -> Any:
    """A request's JSON body, strictly (web.jsonio): 413 over ``max_bytes``, 400 with the reason
    for anything that is not JSON (NaN, Infinity, 1e999, lone surrogates, deep nesting)."""
    from flask import current_app

    size = request.content_length
    if max_bytes is not None and size is not None and size > max_bytes:
        raise ApiError(413, f"the body is {size:,} bytes; the limit here is {max_bytes:,}")
    if not request.is_json:
        raise ApiError(400, "the body must be valid JSON sent with Content-Type: application/json")
    raw = request.get_data(cache=True)
    if max_bytes is not None and len(raw) > max_bytes:  # a chunked body has no Content-Length
        raise ApiError(413, f"the body is more than {max_bytes:,} bytes, the limit here")
    try:
        return current_app.json.loads(raw)
    except ValueError as error:  # JSONDecodeError, JSONInputError and UnicodeDecodeError alike
        raise ApiError(400, f"the body is not valid JSON: {_short(str(error))}") from None


def json_object(request) -> dict:
    """A request's JSON body that must be an object (the write API's records and actions)."""
    body = read_json(request)  # strict JSON, at most catalog.limits.MAX_JSON_BODY_BYTES
    if not isinstance(body, dict):
        raise ApiError(400, "send a JSON object")
    return body


def optional_text(body: Mapping, key: str) -> str | None:
    """An optional string field of a JSON body; anything else is a 400, never a crash further on."""
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise ApiError(400, f"{key} must be a string")
    return value


def _short(text: str) -> str:
    return text if len(text) <= 200 else text[:197] + "..."


def number_arg(args: Mapping, name: str, default: float, low: float, high: float, whole: bool = False) -> float:
    """A numeric query parameter from ``low`` to ``high`` (``default`` when not given); 400 otherwise."""
    raw = args.get(name)
    if raw in (None, ""):
        return default
    kind = "a whole number" if whole else "a number"
    coded = {"code": "bad_number", "params": {"name": name, "low": low, "high": high, "whole": whole, "raw": str(raw)}}
    try:
        value = int(raw) if whole else float(raw)
    except (TypeError, ValueError):
        raise ApiError(400, f"{name} must be {kind} from {low:g} to {high:g}, not {raw!r}", **coded) from None
    if not low <= value <= high or value != value:
        raise ApiError(400, f"{name} must be {kind} from {low:g} to {high:g}, not {raw!r}", **coded)
    return value


def _features(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        # A pasted list: one function a line (or separated by ';').
        if len(value) > limits.MAX_PLAN_FEATURES * limits.MAX_FEATURE_CHARS:
            _too_many_features(len(re.findall(r"[\n;]", value)) + 1)
        features = [f.strip(" -•\t") for f in re.split(r"[\n;]", value) if f.strip(" -•\t")]
    elif isinstance(value, list) and all(isinstance(f, str) for f in value):
        if len(value) > limits.MAX_PLAN_FEATURES:
            _too_many_features(len(value))
        features = [f.strip() for f in value if f.strip()]
    else:
        raise ApiError(400, "features must be a list of strings (one function each) or a text with one function a line")
    if len(features) > limits.MAX_PLAN_FEATURES:
        _too_many_features(len(features))
    long = [i for i, f in enumerate(features, 1) if len(f) > limits.MAX_FEATURE_CHARS]
    if long:
        raise ApiError(400, f"function {long[0]} is longer than {limits.MAX_FEATURE_CHARS:,} characters: "
                            "name one function in a phrase or a sentence", code="function_too_long",
                       params={"number": long[0], "most": limits.MAX_FEATURE_CHARS})
    return features


def _too_many_features(count: int) -> None:
    raise ApiError(400, f"a plan may list at most {limits.MAX_PLAN_FEATURES} functions, not {count}: keep the "
                        "ones that matter, or check a whole portfolio with check-plan",
                   code="too_many_functions", params={"most": limits.MAX_PLAN_FEATURES, "count": count})


def _bounded_text(key: str, value: str, most: int, errors: list[str], details: list) -> str:
    if len(value) > most:
        errors.append(f"{key} is {len(value):,} characters; the limit is {most:,}: shorten it "
                      "(the functions, one per item, say more than a long text)")
        details.append({"code": "text_too_long", "params": {"name": key, "length": len(value), "most": most}})
        return ""
    return value


def planned_record(data: Any, resolve_region: Resolver) -> dict:
    """The engine's planned record from a client's JSON: a planned record or {"text": ...}."""
    if not isinstance(data, dict):
        raise ApiError(400, "send a JSON object: a planned record {title, description, features, region, "
                            "industries, budget} or {\"text\": \"...\"}")
    unknown = sorted(set(data) - set(PLANNED_FIELDS) - {"k", "top"})
    if unknown:
        raise ApiError(400, f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(PLANNED_FIELDS)}")
    errors: list[str] = []
    details: list[dict] = []  # code and params of each error, for pages (web/messages.py)
    text = _bounded_text("text", _string(data, "text", errors), limits.MAX_PLAN_TEXT_CHARS, errors, details)
    title = _bounded_text("title", _string(data, "title", errors), limits.MAX_PLAN_TITLE_CHARS, errors, details)
    description = _bounded_text("description", _string(data, "description", errors),
                                limits.MAX_PLAN_TEXT_CHARS, errors, details)
    _refuse_planned(errors, details)  # before the engine's splitting and the rest of the checks
    features = _features(data.get("features"))
    if text and not (title or description):
        title, description = text.splitlines()[0][:200], text
    if not (title or description or features):
        raise ApiError(400, "missing text: give a title, a description, features or {\"text\": \"...\"}",
                       code="missing_text")
    planned = {"title": title, "description": description, "features": features,
               "region": _planned_region(data, resolve_region, errors, details),
               "industries": _planned_industries(data, errors), "budget": _planned_budget(data, errors, details)}
    _refuse_planned(errors, details)
    return planned


def _refuse_planned(errors: list[str], details: list[dict]) -> None:
    """One 400 naming every problem of a planned record, if any."""
    if not errors:
        return
    details = details if len(details) == len(errors) else []  # only when every error has its code
    raise ApiError(400, errors[0] if len(errors) == 1 else "the planned record has errors", errors,
                   code=details[0]["code"] if len(details) == 1 else "planned_record_errors",
                   params=details[0]["params"] if len(details) == 1 else {}, details=details)


def _planned_region(data: dict, resolve_region: Resolver, errors: list[str], details: list[dict]) -> str | None:
    """The region's code, from a code or a name."""
    region = _string(data, "region", errors)
    if not region:
        return None
    code = resolve_region(region)
    if code is None:
        errors.append(f"unknown region {region!r}; give an ISO 3166-2 code such as 'RU-TA' or a region's name")
        details.append({"code": "unknown_region", "params": {"region": region}})
    return code


def _planned_industries(data: dict, errors: list[str]) -> list[str]:
    """Taxonomy codes (one code alone as a string too); the unknown ones are errors."""
    industries = data.get("industries") or []
    industries = [industries] if isinstance(industries, str) else industries
    if not isinstance(industries, list) or not all(isinstance(i, str) for i in industries):
        errors.append("industries must be a list of taxonomy codes")
        return []
    unknown = [i for i in industries if i not in INDUSTRIES]
    if unknown:
        errors.append(f"unknown industry {', '.join(map(repr, unknown))}; allowed: {', '.join(INDUSTRIES)}")
    return [i for i in industries if i in INDUSTRIES]


def _planned_budget(data: dict, errors: list[str], details: list[dict]) -> float | None:
    """Thousand rubles, a finite number from 0 to MAX_MONEY (JSON's true is no number)."""
    budget = data.get("budget")
    if budget in (None, ""):
        return None
    if (isinstance(budget, bool) or not isinstance(budget, (int, float)) or budget != budget
            or not 0 <= budget <= limits.MAX_MONEY):
        errors.append(f"budget must be a number of thousand rubles from 0 to {limits.MAX_MONEY:,.0f} "
                      "(one trillion rubles)")
        details.append({"code": "budget_range", "params": {"most": int(limits.MAX_MONEY)}})
        return None
    return float(budget)


def _string(data: dict, key: str, errors: list[str]) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.append(f"{key} must be a string")
        return ""
    return value.strip()


def parse_upload(upload: FileStorage | None) -> ParseResult:
    if upload is None or not upload.filename:
        raise ApiError(400, "no file: upload a draft portfolio as 'file' (.json, .jsonl, .csv or .xlsx)",
                       code="no_file")
    try:
        result = parse_stream(upload.stream, format_of(upload.filename))
    except FileError as error:
        raise ApiError(400, f"cannot read {upload.filename}: {error.message}", code="file_unreadable",
                       params={"filename": upload.filename, "reason": {"code": error.code, "params": error.params,
                                                                      "message": error.message}}) from None
    check_rows(len(result.projects) + len({e.record for e in result.errors}))
    return result


def parse_json_list(data: Any) -> ParseResult:
    if isinstance(data, dict) and isinstance(data.get("projects"), list):
        data = data["projects"]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ApiError(400, "send a JSON list of planned project records (or {\"projects\": [...]}), "
                            "or upload a file as 'file'")
    if not data:
        raise ApiError(400, "the draft portfolio is empty: give at least one project", code="empty_portfolio")
    check_rows(len(data))
    return ParseResult(format="json", projects=list(enumerate(data, 1)))


def check_rows(count: int) -> None:
    """A draft portfolio of at most MAX_CHECK_PLAN_ROWS projects: each costs a full recommendation."""
    if count > limits.MAX_CHECK_PLAN_ROWS:
        raise ApiError(400, f"the draft portfolio has {count:,} projects; check at most "
                            f"{limits.MAX_CHECK_PLAN_ROWS} at a time (split the file)",
                       code="too_many_portfolio_rows", params={"count": count, "most": limits.MAX_CHECK_PLAN_ROWS})


def valid_records(result: ParseResult, resolve_region: Resolver) -> list[dict]:
    """Records of a draft portfolio in the catalog's format; every invalid one is reported."""
    valid, errors = validate(result, resolve_region)
    if errors:
        raise ApiError(400, f"{len(errors)} problem(s) in the draft portfolio; fix them and upload again",
                       [e.to_dict() for e in errors], code="portfolio_errors",
                       params={"count": len(errors)})
    if not valid:
        raise ApiError(400, "the draft portfolio is empty: give at least one project", code="empty_portfolio")
    return [project.to_record() for _, project in valid]
