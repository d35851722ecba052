"""The record format of the SPEC as pydantic models: what import, the API and forms accept.

Validation needs to know the regions (a region may be given by code or by name), so it
runs with a context: ``ProjectIn.model_validate(data, context={"regions": resolver})``
where ``resolver`` maps any accepted spelling to a code (see ``catalog.regions``).
"""
from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator

from catalog.taxonomy import FEDERAL_DISTRICTS, INDUSTRIES, LICENSES, REGION_GROUPS, STATUSES, TECHNOLOGIES

ID_PATTERN = re.compile(r"^[a-z0-9_.\-]{1,120}$")

ProjectId = Annotated[str, StringConstraints(pattern=ID_PATTERN.pattern)]
Status = Literal["planned", "in_development", "in_operation", "decommissioned"]
License = Literal["open_source", "government_owned", "proprietary", "unknown"]
Money = Annotated[float, Field(ge=0, allow_inf_nan=False)]

assert set(Status.__args__) == set(STATUSES) and set(License.__args__) == set(LICENSES)


class _Strict(BaseModel):
    # Unknown fields are an error: a misspelt column must not vanish silently on import.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Cost(_Strict):
    capex: Money | None = None
    opex_per_year: Money | None = None


class Funding(_Strict):
    regional: Money | None = None
    federal: Money | None = None
    local: Money | None = None
    extrabudgetary: Money | None = None

    def total(self) -> float:
        return sum(v for v in (self.regional, self.federal, self.local, self.extrabudgetary) if v)


class Indicator(_Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    unit: str | None = None
    baseline: float | None = None
    target: float | None = None
    target_year: int | None = Field(default=None, ge=1990, le=2100)
    actual: float | None = None


class Source(_Strict):
    title: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    url: str | None = None


def _check_codes(values: list[str], vocabulary: dict[str, tuple[str, str]], what: str) -> list[str]:
    unknown = [v for v in values if v not in vocabulary]
    if unknown:
        raise ValueError(
            f"unknown {what} {', '.join(repr(v) for v in unknown)}; allowed: {', '.join(vocabulary)}"
        )
    return list(dict.fromkeys(values))  # keep order, drop repeats


class ProjectIn(_Strict):
    id: ProjectId
    title: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    summary: str | None = None
    description: str | None = None
    features: list[Annotated[str, StringConstraints(min_length=1, max_length=1000)]] = Field(default_factory=list)
    region: Annotated[str, StringConstraints(min_length=1)]
    industries: list[str] = Field(min_length=1)
    technologies: list[str] = Field(default_factory=list)
    status: Status | None = None
    start_year: int | None = Field(default=None, ge=1990, le=2100)
    end_year: int | None = Field(default=None, ge=1990, le=2100)
    cost: Cost | None = None
    funding: Funding | None = None
    indicators: list[Indicator] = Field(default_factory=list)
    owner: str | None = None
    vendor: str | None = None
    license: License | None = None
    based_on: list[ProjectId] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    synthetic: bool = False

    @field_validator("industries")
    @classmethod
    def _industries_known(cls, v: list[str]) -> list[str]:
        return _check_codes(v, INDUSTRIES, "industry")

    @field_validator("technologies")
    @classmethod
    def _technologies_known(cls, v: list[str]) -> list[str]:
        return _check_codes(v, TECHNOLOGIES, "technology")

    @field_validator("region")
    @classmethod
    def _region_known(cls, v: str, info: ValidationInfo) -> str:
        resolver = (info.context or {}).get("regions")
        if resolver is None:
            return v
        code = resolver(v)
        if code is None:
            raise ValueError(
                f"unknown region {v!r}; give an ISO 3166-2 code such as 'RU-TA' or the region's "
                "name in English or Russian (practicebank regions lists them)"
            )
        return code

    @field_validator("end_year")
    @classmethod
    def _end_after_start(cls, v: int | None, info: ValidationInfo) -> int | None:
        start = info.data.get("start_year")
        if v is not None and start is not None and v < start:
            raise ValueError(f"end_year {v} is before start_year {start}")
        return v

    def to_record(self) -> dict[str, Any]:
        """The SPEC's JSON object, without empty optional fields."""
        return self.model_dump(exclude_none=True)


class RegionIn(_Strict):
    code: Annotated[str, StringConstraints(pattern=r"^RU-[A-Z0-9]{2,4}$")]
    name_en: Annotated[str, StringConstraints(min_length=1)]
    name_ru: Annotated[str, StringConstraints(min_length=1)]
    federal_district: str
    group: str

    @field_validator("federal_district")
    @classmethod
    def _district_known(cls, v: str) -> str:
        return _check_codes([v], FEDERAL_DISTRICTS, "federal district")[0]

    @field_validator("group")
    @classmethod
    def _group_known(cls, v: str) -> str:
        return _check_codes([v], REGION_GROUPS, "region group")[0]
