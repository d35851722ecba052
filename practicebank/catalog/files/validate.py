"""Schema validation of parsed records, with pydantic's errors turned into RecordErrors."""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable, TypeVar

from pydantic import BaseModel, ValidationError

from practicebank.catalog.files.model import RecordError
from practicebank.catalog.limits import MAX_MONEY
from practicebank.catalog.schema import ProjectIn, RegionIn

RegionResolver = Callable[[str], "str | None"]
Model = TypeVar("Model", bound=BaseModel)

_ID_RULE = "must be 1-120 characters of a-z, 0-9, '-', '_' and '.'"


def validate_projects(
    rows: list[tuple[int, dict[str, Any]]],
    region_resolver: RegionResolver | None,
    *,
    unit: str = "record",
) -> tuple[list[tuple[int, ProjectIn]], list[RecordError]]:
    """Valid projects and the errors of the others; a record appears in exactly one list
    unless it only fails the duplicate-id check, which fails every copy."""
    context = {"regions": region_resolver}
    valid: list[tuple[int, ProjectIn]] = []
    errors: list[RecordError] = _duplicate_ids(rows, unit)
    duplicated = {e.record for e in errors}
    for number, data in rows:
        model, problems = _validate(ProjectIn, data, number, unit, context)
        errors.extend(problems)
        if model is not None and number not in duplicated:
            valid.append((number, model))
    errors.sort(key=lambda e: e.record)
    return valid, errors


def validate_regions(regions: list[dict[str, Any]]) -> tuple[list[RegionIn], list[RecordError]]:
    """Valid regions and the errors of the others (numbered from 1 in file order)."""
    valid: list[RegionIn] = []
    errors: list[RecordError] = []
    for number, data in enumerate(regions, start=1):
        model, problems = _validate(RegionIn, data, number, "region", None)
        errors.extend(problems)
        if model is not None:
            valid.append(model)
    return valid, errors


def _validate(cls: type[Model], data: Any, number: int, unit: str, context: dict[str, Any] | None) -> tuple[Model | None, list[RecordError]]:
    try:
        return cls.model_validate(data, context=context), []
    except ValidationError as error:
        allowed = ", ".join(cls.model_fields)
        return None, [_record_error(number, unit, item, allowed) for item in error.errors()]


def _duplicate_ids(rows: list[tuple[int, dict[str, Any]]], unit: str) -> list[RecordError]:
    numbers_by_id: dict[str, list[int]] = defaultdict(list)
    for number, data in rows:
        if isinstance(data.get("id"), str) and data["id"].strip():
            numbers_by_id[data["id"].strip()].append(number)
    return [
        RecordError(number, "id", f"duplicate id {pid!r}: it appears in {unit}s {_and(numbers)}", unit,
                    "duplicate_id", {"id": pid, "records": numbers})
        for pid, numbers in numbers_by_id.items() if len(numbers) > 1
        for number in numbers
    ]


def _and(numbers: list[int]) -> str:
    words = [str(n) for n in numbers]
    return ", ".join(words[:-1]) + " and " + words[-1]


# --- pydantic error -> clean message ---------------------------------------------------

def _record_error(number: int, unit: str, item: dict[str, Any], allowed_fields: str) -> RecordError:
    code, params = _code(item)
    return RecordError(number, _path(item["loc"]) or None, _message(item, allowed_fields), unit, code, params)


def _code(item: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(code, params) of a pydantic error: its type and context, or our validator's own code."""
    error = (item.get("ctx") or {}).get("error")
    if item["type"] == "value_error" and isinstance(getattr(error, "code", None), str):
        return error.code, {k: v for k, v in error.params.items() if _plain(v)}
    params = {k: v for k, v in (item.get("ctx") or {}).items() if _plain(v)}
    value = item.get("input")
    if _plain(value) and not isinstance(value, (list, tuple)):
        params["input"] = value if not isinstance(value, str) or len(value) <= 80 else value[:77] + "..."
    if item["loc"]:
        params["name"] = str(item["loc"][-1])  # an unknown field's own name, say
    return item["type"], params


def _plain(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))


def _path(loc: tuple[Any, ...]) -> str:
    """("indicators", 0, "name") -> "indicators[0].name"."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _message(item: dict[str, Any], allowed_fields: str) -> str:
    kind, loc = item["type"], item["loc"]
    if kind == "missing":
        return "field required"
    if kind == "value_error":
        return str(item["ctx"]["error"])  # our validators' own words, e.g. the allowed codes
    if kind == "extra_forbidden":
        allowed = allowed_fields if len(loc) == 1 else _nested_fields(loc)
        return f"unknown field; allowed: {allowed}"
    if kind == "less_than_equal" and loc and loc[0] in ("cost", "funding"):
        return (f"at most {MAX_MONEY:,.0f} thousand rubles (one trillion rubles) an amount; "
                f"money is in thousand rubles (got {_show(item['input'])})")
    if kind == "string_pattern_mismatch" and loc and loc[0] in ("id", "based_on"):
        return f"{_ID_RULE} (got {_show(item['input'])})"
    message = item["msg"][0].lower() + item["msg"][1:]
    return f"{message} (got {_show(item['input'])})"


def _nested_fields(loc: tuple[Any, ...]) -> str:
    # Walk the model along the path to name the fields allowed at that level.
    model: Any = ProjectIn
    for part in loc[:-1]:
        if isinstance(part, int) or part not in model.model_fields:
            continue  # a list index, or a key of a dict field (a translation's language)
        annotation = model.model_fields[part].annotation
        model = next((a for a in _flatten(annotation) if isinstance(a, type) and issubclass(a, BaseModel)), None)
        if model is None:
            return "none"
    return ", ".join(model.model_fields)


def _flatten(annotation: Any) -> list[Any]:
    args = getattr(annotation, "__args__", None)
    return [annotation] if not args else [a for arg in args for a in _flatten(arg)]


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
