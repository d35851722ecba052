"""The common regional system types that the synthetic catalog re-implements region by region.

The types themselves are data: one JSON file per type in ``catalog/data/system_types/``
(their order and the industry owners in ``index.json``) and the region-specific extra
functions in ``catalog/data/extra_functions.json``. This module loads them once, at import.

Each type carries several wordings of every canonical function, in English and in Russian:
regions describe the same function in their own words, and the matcher has to recognise it
by meaning.

Function ids are ``<type code>.<key>`` for canonical functions and ``x.<industry>.<nn>`` for
the region-specific extras; the ground truth of the generator is written in these ids.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
TYPES_DIR = DATA_DIR / "system_types"

# (name, unit, (baseline low, high), (target low, high)); a target below the baseline is a
# reduction target, e.g. a waiting time.
IndicatorTemplate = tuple[str, str, tuple[float, float], tuple[float, float]]


@dataclass(frozen=True)
class SystemType:
    code: str
    industries: tuple[str, ...]
    technologies: tuple[str, ...]
    ministry: str
    capex: tuple[int, int]  # thousand rubles, a regional implementation
    since: int  # first year regions started building it
    popularity: float  # relative chance that a region builds one
    titles: tuple[str, ...]
    summaries: tuple[str, ...]
    indicators: tuple[IndicatorTemplate, ...]
    functions: dict[str, tuple[str, ...]]
    ru_titles: tuple[str, ...] = ()
    ru_summary: str = ""
    ru_functions: dict[str, str] = field(default_factory=dict)  # the first Russian wording of each
    ru_wordings: dict[str, tuple[str, ...]] = field(default_factory=dict)  # every Russian wording
    russian_in_en: bool = False  # some variants come out in Russian in the default "en" catalog

    def function_id(self, key: str) -> str:
        return f"{self.code}.{key}"

    @property
    def has_russian(self) -> bool:
        return bool(self.ru_titles) and set(self.ru_functions) == set(self.functions)


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _system_type(data: dict[str, Any], russian_in_en: bool) -> SystemType:
    functions = data["functions"]
    ru_wordings = {key: tuple(f["ru"]) for key, f in functions.items() if f.get("ru")}
    return SystemType(
        code=data["code"],
        industries=tuple(data["industries"]),
        technologies=tuple(data["technologies"]),
        ministry=data["ministry"],
        capex=tuple(data["capex"]),
        since=data["since"],
        popularity=data["popularity"],
        titles=tuple(data["titles"]),
        summaries=tuple(data["summaries"]),
        indicators=tuple(
            (i["name"], i["unit"], tuple(i["baseline"]), tuple(i["target"])) for i in data["indicators"]
        ),
        functions={key: tuple(f["en"]) for key, f in functions.items()},
        ru_titles=tuple(data.get("ru_titles", ())),
        ru_summary=data.get("ru_summary", ""),
        ru_functions={key: wordings[0] for key, wordings in ru_wordings.items()},
        ru_wordings=ru_wordings,
        russian_in_en=russian_in_en,
    )


_INDEX = _read(TYPES_DIR / "index.json")

SYSTEM_TYPES: tuple[SystemType, ...] = tuple(
    _system_type(_read(TYPES_DIR / f"{code}.json"), code in _INDEX["russian_variants_in_en"])
    for code in _INDEX["order"]
)

TYPES_BY_CODE: dict[str, SystemType] = {t.code: t for t in SYSTEM_TYPES}

# Who runs a system of an industry when no type says so (unique systems).
INDUSTRY_OWNERS: dict[str, str] = dict(_INDEX["industry_owners"])

_EXTRAS: dict[str, list[dict[str, str]]] = _read(DATA_DIR / "extra_functions.json")

# Region-specific functions, one wording each: what a region adds to a common system or
# builds on its own. They are kept apart in meaning from every canonical function.
EXTRA_FUNCTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    industry: tuple((f"x.{industry}.{i:02d}", item["en"]) for i, item in enumerate(pool, start=1))
    for industry, pool in _EXTRAS.items()
}
"""Per industry: (function id, wording) of the region-specific extra functions."""

EXTRA_FUNCTIONS_RU: dict[str, str] = {
    f"x.{industry}.{i:02d}": item["ru"]
    for industry, pool in _EXTRAS.items() for i, item in enumerate(pool, start=1) if item.get("ru")
}
"""Function id -> the Russian wording of a region-specific extra function, where written."""
