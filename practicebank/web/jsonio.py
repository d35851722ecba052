"""Strict JSON in and out of the application: the app's ``app.json`` provider.

In (``request.get_json``): what Python's json module accepts beyond JSON is refused with a
``ValueError`` that Flask turns into a 400 (``silent=True`` gives None): ``NaN``/``Infinity``
and numbers that overflow to infinity (``1e999``), lone surrogates (``"\\ud800"``: no UTF-8 exists
for them), and nesting deeper than ``catalog.limits.MAX_JSON_DEPTH`` (``[`` x 100,000 would
otherwise end in a RecursionError, a 500). The depth is checked on the raw text before parsing,
so the parser never recurses that far.

Out (``jsonify``): ``allow_nan=False``, so an answer is always valid JSON; a non-finite number
reaching an answer is a bug that fails loudly (logged, a 500 in the error shape) instead of
emitting ``Infinity`` that no JSON client can read.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any

from flask.json.provider import DefaultJSONProvider

from practicebank.catalog.limits import MAX_JSON_DEPTH
from practicebank.errors import Refusal

_SURROGATE_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class JSONInputError(Refusal, ValueError):
    """The text is JSON Python would read, but not JSON this application accepts (400).

    A ValueError too: the JSON provider's callers (Flask's ``get_json``) expect one."""


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JSONInputError(f"the number {text[:40]} is out of range (not a finite number)")
    return value


def _no_constant(name: str) -> Any:
    raise JSONInputError(f"{name} is not valid JSON: send finite numbers only")


def check_depth(text: str, limit: int = MAX_JSON_DEPTH) -> None:
    """Refuse nesting deeper than ``limit`` without parsing (brackets inside strings do not count)."""
    if text.count("[") + text.count("{") <= limit:
        return
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                raise JSONInputError(f"the JSON is nested more than {limit} levels deep")
        elif char in "]}":
            depth -= 1


def _no_surrogates(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise JSONInputError("a string holds a lone surrogate (such as \\ud800), which is not "
                                     "valid Unicode text") from None
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def loads_strict(text: str | bytes) -> Any:
    """Parse a client's JSON; JSONInputError (a ValueError) for anything this app does not accept."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8")  # UnicodeDecodeError is a ValueError too
    check_depth(text)
    try:
        value = json.loads(text, parse_float=_finite_float, parse_constant=_no_constant)
    except RecursionError:  # deeper than the interpreter allows, whatever the limit says
        raise JSONInputError(f"the JSON is nested more than {MAX_JSON_DEPTH} levels deep") from None
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):
        _no_surrogates(value)  # a surrogate pair is fine; only a lone half fails to encode
    return value


class StrictJSONProvider(DefaultJSONProvider):
    ensure_ascii = False
    sort_keys = False

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads_strict(s)

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        kwargs.setdefault("allow_nan", False)
        return super().dumps(obj, **kwargs)
