"""Helpers for typed answers' dict shapes: an exact key check for ``from_dict`` and a closed
JSON schema object for ``json_schema`` (``additionalProperties: false``), as in
``matcher/headline.py``: a renamed or invented field fails loudly instead of travelling."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

NUMBER = {"type": "number"}
INTEGER = {"type": "integer"}
STRING = {"type": "string"}
BOOLEAN = {"type": "boolean"}
STRINGS = {"type": "array", "items": STRING}
CODED = {"type": "object", "properties": {"code": STRING, "params": {"type": "object"}},
         "required": ["code", "params"], "additionalProperties": False}


def exact_keys(name: str, data: Mapping[str, Any], required: Iterable[str], optional: Iterable[str] = ()) -> None:
    """A ``TypeError`` naming the unknown or missing keys of ``data`` for the answer ``name``."""
    required = set(required)
    unknown = set(data) - required - set(optional)
    missing = required - set(data)
    if unknown or missing:
        raise TypeError(f"{name}: unknown field(s) {sorted(unknown)}, missing field(s) {sorted(missing)}")


def closed(properties: Mapping[str, Any], optional: Iterable[str] = (), **extra: Any) -> dict[str, Any]:
    """A JSON schema object with exactly these properties (all required but ``optional``)."""
    optional = set(optional)
    return {"type": "object", "properties": dict(properties),
            "required": [k for k in properties if k not in optional], "additionalProperties": False, **extra}


def tuple_of(*items: Mapping[str, Any]) -> dict[str, Any]:
    """A fixed-length array whose items are of these types, in any order (``prefixItems`` would
    say the order, but OpenAPI tools converting to older drafts read it wrongly)."""
    types = sorted({t for item in items for t in ([item["type"]] if isinstance(item["type"], str) else item["type"])})
    return {"type": "array", "minItems": len(items), "maxItems": len(items),
            "items": {"type": types[0] if len(types) == 1 else types}}


def nullable(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` or null."""
    return {"anyOf": [dict(schema), {"type": "null"}]}
