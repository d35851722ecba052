"""Checking what clients send (JSON bodies, uploads, numeric parameters) before the engine sees it.

Shared by the API and the HTML forms, so both reject the same input with the same message.
Every error says what to change.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from werkzeug.datastructures import FileStorage

from catalog.files import FileError, ParseResult, format_of, parse_stream, validate
from catalog.taxonomy import INDUSTRIES
from web.api.errors import ApiError

Resolver = Callable[[str], "str | None"]
PLANNED_FIELDS = ("title", "description", "features", "region", "industries", "budget", "text")


def number_arg(args: Mapping, name: str, default: float, low: float, high: float, whole: bool = False) -> float:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    kind = "a whole number" if whole else "a number"
    try:
        value = int(raw) if whole else float(raw)
    except (TypeError, ValueError):
        raise ApiError(400, f"{name} must be {kind} from {low:g} to {high:g}, not {raw!r}") from None
    if not low <= value <= high or value != value:
        raise ApiError(400, f"{name} must be {kind} from {low:g} to {high:g}, not {raw!r}")
    return value


def _features(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        # A pasted list: one function a line (or separated by ';').
        return [f.strip(" -•\t") for f in re.split(r"[\n;]", value) if f.strip(" -•\t")]
    if isinstance(value, list) and all(isinstance(f, str) for f in value):
        return [f.strip() for f in value if f.strip()]
    raise ApiError(400, "features must be a list of strings (one function each) or a text with one function a line")


def planned_record(data: Any, resolve_region: Resolver) -> dict:
    """The engine's planned record from a client's JSON: a planned record or {"text": ...}."""
    if not isinstance(data, dict):
        raise ApiError(400, "send a JSON object: a planned record {title, description, features, region, "
                            "industries, budget} or {\"text\": \"...\"}")
    unknown = sorted(set(data) - set(PLANNED_FIELDS) - {"k", "top"})
    if unknown:
        raise ApiError(400, f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(PLANNED_FIELDS)}")
    errors: list[str] = []
    text = _string(data, "text", errors)
    title = _string(data, "title", errors)
    description = _string(data, "description", errors)
    features = _features(data.get("features"))
    if text and not (title or description):
        title, description = text.splitlines()[0][:200], text
    if not (title or description or features):
        raise ApiError(400, "missing text: give a title, a description, features or {\"text\": \"...\"}")
    planned: dict[str, Any] = {"title": title, "description": description, "features": features,
                               "region": None, "industries": [], "budget": None}
    region = _string(data, "region", errors)
    if region:
        planned["region"] = resolve_region(region)
        if planned["region"] is None:
            errors.append(f"unknown region {region!r}; give an ISO 3166-2 code such as 'RU-TA' or a region's name")
    industries = data.get("industries") or []
    industries = [industries] if isinstance(industries, str) else industries
    if not isinstance(industries, list) or not all(isinstance(i, str) for i in industries):
        errors.append("industries must be a list of taxonomy codes")
    else:
        unknown_codes = [i for i in industries if i not in INDUSTRIES]
        if unknown_codes:
            errors.append(f"unknown industry {', '.join(map(repr, unknown_codes))}; allowed: {', '.join(INDUSTRIES)}")
        planned["industries"] = [i for i in industries if i in INDUSTRIES]
    budget = data.get("budget")
    if budget not in (None, ""):
        if isinstance(budget, bool) or not isinstance(budget, (int, float)) or budget < 0 or budget != budget:
            errors.append("budget must be a number of thousand rubles, 0 or more")
        else:
            planned["budget"] = float(budget)
    if errors:
        raise ApiError(400, errors[0] if len(errors) == 1 else "the planned record has errors", errors)
    return planned


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
        raise ApiError(400, "no file: upload a draft portfolio as 'file' (.json, .jsonl, .csv or .xlsx)")
    try:
        return parse_stream(upload.stream, format_of(upload.filename))
    except FileError as error:
        raise ApiError(400, f"cannot read {upload.filename}: {error.message}") from None


def parse_json_list(data: Any) -> ParseResult:
    if isinstance(data, dict) and isinstance(data.get("projects"), list):
        data = data["projects"]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ApiError(400, "send a JSON list of planned project records (or {\"projects\": [...]}), "
                            "or upload a file as 'file'")
    if not data:
        raise ApiError(400, "the draft portfolio is empty: give at least one project")
    return ParseResult(format="json", projects=list(enumerate(data, 1)))


def valid_records(result: ParseResult, resolve_region: Resolver) -> list[dict]:
    """Records of a draft portfolio in the catalog's format; every invalid one is reported."""
    valid, errors = validate(result, resolve_region)
    if errors:
        raise ApiError(400, f"{len(errors)} problem(s) in the draft portfolio; fix them and upload again",
                       [{**e.to_dict(), "text": str(e)} for e in errors])
    if not valid:
        raise ApiError(400, "the draft portfolio is empty: give at least one project")
    return [project.to_record() for _, project in valid]
