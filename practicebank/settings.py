"""Tunable numbers and shared vocabularies: the near-identical threshold, score weights, group
values, cost bands, facet and sort names.

The values live as data in ``practicebank/data/settings.json``, each with why it is what it is
and where it was measured (or "not measured: a policy choice"); this module reads that file once
and offers each setting as a typed module constant (``settings.NEAR_IDENTICAL_THRESHOLD``) or by
name (``settings.value("near_identical_threshold")``). It imports nothing of the project, so any
layer may import it. Treat the dicts as read-only: callers copy before changing a default.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SETTINGS_FILE = Path(__file__).resolve().parent / "data" / "settings.json"


@dataclass(frozen=True)
class Setting:
    """One setting as the data file states it."""

    name: str
    value: Any
    why: str
    source: str
    unit: str = ""


def _load(path: Path = SETTINGS_FILE) -> dict[str, Setting]:
    entries = json.loads(path.read_text(encoding="utf-8"))["settings"]
    table: dict[str, Setting] = {}
    for entry in entries:
        if entry["name"] in table:  # a second entry would silently win
            raise ValueError(f"setting {entry['name']!r} is defined twice in {path}")
        table[entry["name"]] = Setting(**entry)
    return table


SETTINGS: dict[str, Setting] = _load()


def value(name: str) -> Any:
    """The value of a setting; a KeyError names the unknown setting."""
    return SETTINGS[name].value


def describe(name: str) -> Setting:
    """The whole setting: value, why, source and unit."""
    return SETTINGS[name]


def _weights(name: str) -> dict[str, float]:
    """Score weights that must sum to 1 (a score outside 0..1 means a broken data file). The
    retriever's "tags" joins the others only when a query names tags, so it is not summed."""
    weights = {k: float(v) for k, v in value(name).items()}
    if abs(sum(v for k, v in weights.items() if k != "tags") - 1.0) > 1e-9:
        raise ValueError(f"setting {name!r}: weights must sum to 1")
    return weights


def _floats(name: str) -> dict[str, float]:
    return {k: float(v) for k, v in value(name).items()}


def _bands(name: str) -> tuple[tuple[str, float | None, float | None], ...]:
    return tuple((band, low, high) for band, low, high in value(name))


NEAR_IDENTICAL_THRESHOLD: float = float(value("near_identical_threshold"))

RECOMMEND_WEIGHTS: dict[str, float] = _weights("recommend_weights")
RECOMMEND_STATUS_VALUES: dict[str, float] = _floats("recommend_status_values")
RECOMMEND_UNKNOWN_STATUS_VALUE: float = float(value("recommend_unknown_status_value"))
RECOMMEND_REGION_GROUP_VALUES: dict[str, float] = _floats("recommend_region_group_values")
RECOMMEND_UNKNOWN_REGION_GROUP_VALUE: float = float(value("recommend_unknown_region_group_value"))
RECOMMEND_REUSE_SATURATION: int = int(value("recommend_reuse_saturation"))
SAVINGS_ADAPTATION_RATE: float = float(value("savings_adaptation_rate"))

SCALING_WEIGHTS: dict[str, float] = _weights("scaling_weights")
SCALING_REGION_GROUP_VALUES: dict[str, float] = _floats("scaling_region_group_values")
SCALING_UNKNOWN_REGION_GROUP_VALUE: float = float(value("scaling_unknown_region_group_value"))
SCALING_DEMAND_FULL: int = int(value("scaling_demand_full"))
SCALING_OPEX_YEARS: int = int(value("scaling_opex_years"))

RETRIEVAL_WEIGHTS: dict[str, float] = _weights("retrieval_weights")
SEARCH_SEMANTIC_WEIGHT: float = float(value("search_semantic_weight"))
SEARCH_MIN_SIMILARITY: float = float(value("search_min_similarity"))

COST_BANDS: tuple[tuple[str, float | None, float | None], ...] = _bands("cost_bands")
# the band of a record without capex: the one with neither bound
COST_BAND_UNKNOWN: str = next(band for band, low, high in COST_BANDS if low is None and high is None)
FACETS: tuple[str, ...] = tuple(value("facets"))
SORTS: tuple[str, ...] = tuple(value("sorts"))

SYNTHETIC_CATALOG_YEAR: int = int(value("synthetic_catalog_year"))

MIN_FUNCTIONS_FOR_OVERLAP: int = int(value("min_functions_for_overlap"))
FAMILY_MEMBER_FLOOR: float = float(value("family_member_floor"))
SCALING_PROOF_YEARS_FULL: int = int(value("scaling_proof_years_full"))
SCALING_PROOF_REUSE_FULL: int = int(value("scaling_proof_reuse_full"))
SCALING_DEMAND_OVERLAP: float = float(value("scaling_demand_overlap"))
# the range a near-identical threshold may be chosen in (pages, API, CLI); whole numbers kept as
# written, so the OpenAPI bounds and the CLI's help read "50" and "100"
THRESHOLD_MIN: float
THRESHOLD_MAX: float
THRESHOLD_MIN, THRESHOLD_MAX = value("threshold_range")
