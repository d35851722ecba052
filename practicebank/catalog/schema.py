"""The record format of the SPEC as pydantic models: what import, the API and forms accept.

Validation needs to know the regions (a region may be given by code or by name), so it
runs with a context: ``ProjectIn.model_validate(data, context={"regions": resolver})``
where ``resolver`` maps any accepted spelling to a code (see ``catalog.regions``).
"""
from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator, model_validator

from practicebank.catalog import limits as L
from practicebank.errors import InvalidValue
from practicebank.catalog.taxonomy import FEDERAL_DISTRICTS, INDUSTRIES, LICENSES, REGION_GROUPS, STATUSES, TECHNOLOGIES

ID_PATTERN = re.compile(r"^[a-z0-9_.\-]{1,120}$")

ProjectId = Annotated[str, StringConstraints(pattern=ID_PATTERN.pattern)]
Status = Literal["planned", "in_development", "in_operation", "decommissioned"]
License = Literal["open_source", "government_owned", "proprietary", "unknown"]
Language = Literal["ru", "en"]
Title = Annotated[str, StringConstraints(min_length=1, max_length=L.MAX_TITLE_CHARS)]
FeatureText = Annotated[str, StringConstraints(min_length=1, max_length=L.MAX_FEATURE_CHARS)]
Summary = Annotated[str, StringConstraints(max_length=L.MAX_SUMMARY_CHARS)]
Description = Annotated[str, StringConstraints(max_length=L.MAX_DESCRIPTION_CHARS)]
ShortText = Annotated[str, StringConstraints(max_length=L.MAX_SHORT_TEXT_CHARS)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=L.MAX_SHORT_TEXT_CHARS)]
Url = Annotated[str, StringConstraints(max_length=L.MAX_URL_CHARS)]
# Every number is finite (no NaN/Infinity: they are not JSON) and bounded (catalog.limits says why).
Money = Annotated[float, Field(ge=0, le=L.MAX_MONEY, allow_inf_nan=False)]
Measure = Annotated[float, Field(ge=-L.MAX_INDICATOR_ABS, le=L.MAX_INDICATOR_ABS, allow_inf_nan=False)]

# Characters a text may not hold: NUL (PostgreSQL refuses it), the bidirectional overrides and
# isolates that make text display in another order than it is stored ("Trojan Source"), and
# lone surrogates (not encodable: no valid UTF-8 exists for them).
_FORBIDDEN = re.compile("[\x00\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# Invisible characters: a text made of nothing else (and spaces) shows as blank.
_INVISIBLE = re.compile("[\s\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u034f\u180e]+")


def check_text(value: str) -> str:
    """``value`` if it is printable text; a ValueError that names the character otherwise."""
    bad = _FORBIDDEN.search(value)
    if bad:
        char = bad.group()
        code, what = (("nul_character", "a NUL character") if char == "\x00" else
                      ("direction_character", "a text-direction control character") if char < "\ud800" else
                      ("lone_surrogate", "an invalid character (a lone surrogate)"))
        raise InvalidValue(code, f"contains {what} (%(char)s) at position %(position)s; remove it",
                           char=f"U+{ord(char):04X}", position=bad.start() + 1)
    if value and not _INVISIBLE.sub("", value):
        raise InvalidValue("invisible_text", "has no visible characters (only spaces or zero-width characters)")
    return value

assert set(Status.__args__) == set(STATUSES) and set(License.__args__) == set(LICENSES)


class _Strict(BaseModel):
    # Unknown fields are an error: a misspelt column must not vanish silently on import.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _printable(cls, value: Any) -> Any:
        if isinstance(value, str):
            check_text(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    check_text(item)
        return value


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
    name: Name
    unit: ShortText | None = None
    baseline: Measure | None = None
    target: Measure | None = None
    target_year: int | None = Field(default=None, ge=1990, le=2100)
    actual: Measure | None = None


class Translation(_Strict):
    """The record's texts in another language; ``translated`` when not written by the owner."""

    title: Title
    summary: Summary | None = None
    description: Description | None = None
    features: list[FeatureText] = Field(default_factory=list, max_length=L.MAX_FEATURES)
    translated: bool = False


class Source(_Strict):
    title: Name
    url: Url | None = None


def _check_codes(values: list[str], vocabulary: dict[str, tuple[str, str]], what: str) -> list[str]:
    unknown = [v for v in values if v not in vocabulary]
    if unknown:
        raise InvalidValue(
            "unknown_code", "unknown %(what)s %(values)s; allowed: %(allowed)s", what=what,
            values=", ".join(repr(v) for v in unknown), allowed=", ".join(vocabulary), unknown=unknown,
        )
    return list(dict.fromkeys(values))  # keep order, drop repeats


class ProjectIn(_Strict):
    id: ProjectId
    title: Title
    summary: Summary | None = None
    description: Description | None = None
    features: list[FeatureText] = Field(default_factory=list, max_length=L.MAX_FEATURES)
    region: Annotated[str, StringConstraints(min_length=1, max_length=L.MAX_SHORT_TEXT_CHARS)]
    industries: list[str] = Field(min_length=1)
    technologies: list[str] = Field(default_factory=list)
    status: Status | None = None
    start_year: int | None = Field(default=None, ge=1990, le=2100)
    end_year: int | None = Field(default=None, ge=1990, le=2100)
    cost: Cost | None = None
    funding: Funding | None = None
    indicators: list[Indicator] = Field(default_factory=list, max_length=L.MAX_INDICATORS)
    owner: ShortText | None = None
    vendor: ShortText | None = None
    contact: ShortText | None = None  # whom a region asks about reuse
    license: License | None = None
    based_on: list[ProjectId] = Field(default_factory=list, max_length=L.MAX_BASED_ON)
    sources: list[Source] = Field(default_factory=list, max_length=L.MAX_SOURCES)
    synthetic: bool = False
    language: Language | None = None  # detected from the texts when absent (catalog.language)
    translations: dict[Language, Translation] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _bounded_size(cls, data: Any) -> Any:
        if isinstance(data, dict):
            size = len(json.dumps(data, ensure_ascii=False, default=str))
            if size > L.MAX_RECORD_CHARS:
                raise InvalidValue("record_too_large", "the record is %(size)s characters of JSON; the limit is "
                                   "%(limit)s: shorten its texts or lists", size=f"{size:,}",
                                   limit=f"{L.MAX_RECORD_CHARS:,}")
        return data

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
            raise InvalidValue(
                "unknown_region", "unknown region %(region)r; give an ISO 3166-2 code such as 'RU-TA' or the "
                "region's name in English or Russian (practicebank regions lists them)", region=v,
            )
        return code

    @field_validator("end_year")
    @classmethod
    def _end_after_start(cls, v: int | None, info: ValidationInfo) -> int | None:
        start = info.data.get("start_year")
        if v is not None and start is not None and v < start:
            raise InvalidValue("end_before_start", "end_year %(end)s is before start_year %(start)s", end=v, start=start)
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
