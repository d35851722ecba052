"""The OpenAPI 3.1 document of /api/v1, written by hand so it says what the API promises."""
from __future__ import annotations

from flask import jsonify

from practicebank.catalog import limits as _limits
from practicebank.catalog.limits import MAX_PER_PAGE
from practicebank.catalog.taxonomy import INDUSTRIES, LICENSES, STATUSES, TECHNOLOGIES
from practicebank.matcher.answers import (CheckPlanReport, Comparison, Recommendation, RecommendationItem,
                                          SearchPage, SimilarSystem)
from practicebank.matcher.families import Family
from practicebank.matcher.headline import DuplicatesHeadline
from practicebank.matcher.scaling import ScaleCandidate
from practicebank.web.api.blueprint import api
from practicebank.web.api.engine_routes import MAX_COMPARE
from practicebank.web.auth import public
from practicebank.settings import COST_BANDS, FACETS, NEAR_IDENTICAL_THRESHOLD, SORTS, THRESHOLD_MAX, THRESHOLD_MIN


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _ok(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {code: {"$ref": f"#/components/responses/{name}"} for code, name in (
    ("400", "BadInput"), ("404", "NotFound"), ("413", "TooLarge"), ("503", "IndexNotBuilt"))}

STRING_LIST = {"type": "array", "items": {"type": "string"}}
# The catalog's own limits (catalog/schema.py), so that the document says what a write accepts.
TITLE = {"type": "string", "minLength": 1, "maxLength": _limits.MAX_TITLE_CHARS}
NULLABLE_STRING = {"type": ["string", "null"]}
YEAR = {"type": "integer", "minimum": 1990, "maximum": 2100}
MONEY = {"type": "number", "minimum": 0, "maximum": _limits.MAX_MONEY,
         "description": "thousand rubles; at most 1e9 (one trillion rubles)"}
MEASURE = {"type": "number", "minimum": -_limits.MAX_INDICATOR_ABS, "maximum": _limits.MAX_INDICATOR_ABS}
FEATURES = {"type": "array", "maxItems": _limits.MAX_FEATURES,
            "items": {"type": "string", "minLength": 1, "maxLength": _limits.MAX_FEATURE_CHARS}}

# a reason or an error as a code with parameters: pages say it in their language, the text stays English
CODED = {"type": "object", "properties": {"code": {"type": "string"}, "params": {"type": "object"}}}
SCHEMAS: dict[str, dict] = {
    "Error": {"type": "object", "required": ["ok", "error", "errors", "status"], "properties": {
        "ok": {"const": False}, "error": {"type": "string", "description": "what went wrong and what to change"},
        "errors": {"type": "array", "items": {}}, "status": {"type": "integer"}}},
    "Project": {"type": "object", "required": ["id", "title", "region", "industries"], "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9_.\\-]{1,120}$"}, "title": TITLE,
        "summary": {"type": "string", "maxLength": _limits.MAX_SUMMARY_CHARS},
        "description": {"type": "string", "maxLength": _limits.MAX_DESCRIPTION_CHARS}, "features": FEATURES,
        "region": {"type": "string", "minLength": 1, "description": "ISO 3166-2 code such as RU-TA"},
        "industries": {"type": "array", "minItems": 1, "items": {"enum": list(INDUSTRIES)}},
        "technologies": {"type": "array", "items": {"enum": list(TECHNOLOGIES)}},
        "status": {"enum": list(STATUSES)}, "start_year": YEAR, "end_year": YEAR,
        "cost": {"type": "object", "properties": {"capex": MONEY, "opex_per_year": MONEY},
                 "description": "thousand rubles"},
        "funding": {"type": "object", "description": "thousand rubles by source", "properties": {
            k: MONEY for k in ("regional", "federal", "local", "extrabudgetary")}},
        "indicators": {"type": "array", "maxItems": _limits.MAX_INDICATORS, "items": {
            "type": "object", "required": ["name"], "properties": {
                "name": TITLE, "unit": {"type": "string"}, "baseline": MEASURE,
                "target": MEASURE, "target_year": YEAR, "actual": MEASURE}}},
        "owner": {"type": "string"}, "vendor": {"type": "string"}, "contact": {"type": "string"}, "license": {"enum": list(LICENSES)},
        "based_on": STRING_LIST,
        "sources": {"type": "array", "items": {"type": "object", "properties": {
            "title": {"type": "string"}, "url": {"type": ["string", "null"]}}}},
        "synthetic": {"type": "boolean", "description": "true for generated demo records"},
        "language": {"enum": ["ru", "en"], "description": "the language the record is written in "
                     "(detected from the texts when absent: more than half Cyrillic letters is ru)"},
        "translations": {"type": "object", "description": "the record's texts by language code",
                         "propertyNames": {"enum": ["ru", "en"]}, "additionalProperties": {
                             "type": "object", "required": ["title"], "additionalProperties": False, "properties": {
                                 "title": TITLE, "summary": {"type": "string"}, "description": {"type": "string"},
                                 "features": STRING_LIST, "translated": {
                                     "type": "boolean", "description": "true when not written by the owner"}}}}}},
    "Region": {"type": "object", "properties": {k: {"type": "string"} for k in (
        "code", "name_en", "name_ru", "federal_district", "group")}},
    "Facets": {"type": "object", "description": "facet -> value -> count",
               "properties": {f: {"type": "object", "additionalProperties": {"type": "integer"}} for f in FACETS}},
    "ProjectPage": {"type": "object", "properties": {
        "total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"},
        "results": {"type": "array", "items": {"allOf": [_ref("Project"), {"type": "object", "properties": {
            "score": {"type": "number"}}}]}},
        "facets": _ref("Facets")}},
    "Planned": {"type": "object", "description": "a planned system, or just {\"text\": ...}; null is "
                                                 "the same as leaving a field out", "properties": {
        "title": {"type": ["string", "null"], "maxLength": _limits.MAX_PLAN_TITLE_CHARS},
        "description": {"type": ["string", "null"], "maxLength": _limits.MAX_PLAN_TEXT_CHARS},
        "features": {"anyOf": [{"type": "array", "maxItems": _limits.MAX_PLAN_FEATURES, "items": {
                                   "type": "string", "maxLength": _limits.MAX_FEATURE_CHARS}},
                               {"type": ["string", "null"], "description": "one function a line (or ';')"}]},
        "region": {"type": ["string", "null"], "description": "ISO 3166-2 code or a region's name"},
        "industries": {"anyOf": [{"type": "array", "items": {"enum": list(INDUSTRIES)}}, {"enum": list(INDUSTRIES)},
                                 {"type": "null"}]},
        "budget": {"type": ["number", "null"], "minimum": 0, "maximum": _limits.MAX_MONEY,
                   "description": "thousand rubles"},
        "text": {"type": ["string", "null"], "maxLength": _limits.MAX_PLAN_TEXT_CHARS},
        "k": {"type": "integer", "minimum": 1, "maximum": 50}}},
    # the engine's answers: derived from their classes (matcher.answers), so they cannot drift
    "Match": RecommendationItem.json_schema(),
    "SimilarSystem": SimilarSystem.json_schema(),
    "Recommendation": Recommendation.json_schema(item=_ref("Match")),
    "CheckPlanReport": CheckPlanReport.json_schema(item=_ref("Match")),
    "Comparison": Comparison.json_schema(project=_ref("Project")),
    "SearchPage": SearchPage.json_schema(project=_ref("Project"), facets=_ref("Facets")),
    "Duplicates": {"type": "object", "properties": {
        "threshold": {"type": "number"}, "systems": {"type": "integer"},
        "systems_in_families": {"type": "integer"},
        # the families and the headline: derived from the typed results the engine sends
        # (matcher.families.Family, matcher.headline), so they cannot drift
        "families": {"type": "array", "items": Family.json_schema()},
        "headline": DuplicatesHeadline.json_schema()}},
    "ScaleCandidates": {"type": "object", "properties": {
        "candidates": {"type": "array", "items": ScaleCandidate.json_schema()},  # matcher.scaling's class
        "weights": {"type": "object", "additionalProperties": {"type": "number"}}, "method": {"type": "object"}}},
    "Stats": {"type": "object", "properties": {
        "projects": {"type": "integer"}, "regions": {"type": "integer"}, "synthetic": {"type": "integer"},
        **{k: {"type": "object", "additionalProperties": {"type": "integer"}}
           for k in ("by_industry", "by_region", "by_technology", "by_status")}}},
}

# The write API's bodies: the region defaults to the editor's own (on PUT: the record's), and on PUT
# the id comes from the path.
SCHEMAS["ProjectDraft"] = {**SCHEMAS["Project"], "required": ["id", "title", "industries"],
                           "description": "region defaults to the editor's region"}
SCHEMAS["ProjectEdit"] = {**SCHEMAS["Project"], "required": ["title", "industries"],
                          "description": "the id is the path's; region defaults to the record's"}


def _query(name: str, description: str, schema: dict, required: bool = False, explode: bool = False) -> dict:
    param = {"name": name, "in": "query", "required": required, "description": description, "schema": schema}
    if explode:
        param.update(style="form", explode=True)
    return param


FILTER_PARAMS = [
    _query(f, f"filter by {f}; repeat or separate values by commas", {"type": "array", "items": {"type": "string"}},
           explode=True) for f in FACETS
] + [
    _query("page", "page number from 1", {"type": "integer", "minimum": 1, "default": 1}),
    _query("per_page", f"results a page, 1 to {MAX_PER_PAGE}",
           {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20}),
    _query("sort", "order of results", {"enum": list(SORTS), "default": "relevance"}),
]
ID_PARAM = {"name": "project_id", "in": "path", "required": True, "schema": {"type": "string"}}
JSON = "application/json"


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Practice Bank API", "version": "1",
                 "description": "Regional digital-transformation projects and the systems a region can reuse. "
                                "Money is in thousand rubles; overlap in percent. Errors always have the "
                                "Error shape. Cost bands: " + ", ".join(b for b, _, _ in COST_BANDS) + "."},
        "servers": [{"url": "/api/v1"}],
        "paths": _with_write_paths(_paths()),
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                       "schemas": SCHEMAS, "responses": {
            "BadInput": _ok(_ref("Error"), "bad input: the message says what to change"),
            "NotFound": _ok(_ref("Error"), "no such project"),
            "TooLarge": _ok(_ref("Error"), "the upload is larger than 20 MB"),
            "IndexNotBuilt": _ok(_ref("Error"), "the index is not built yet: run `practicebank index`")}},
    }


def _with_write_paths(paths: dict) -> dict:
    """Add the token-only write API (web.views.workflow) to the read API's paths."""
    from practicebank.web.views.workflow import openapi_paths

    for path, operations in openapi_paths().items():
        paths.setdefault(path, {}).update(operations)
    return paths


def _op(summary: str, response: dict, params: list | None = None, body: dict | None = None,
        errors: tuple[str, ...] = ("400",)) -> dict:
    op: dict = {"summary": summary, "responses": {"200": response, **{c: ERRORS[c] for c in errors}}}
    if params:
        op["parameters"] = params
    if body:
        op["requestBody"] = body
    return op


def _paths() -> dict:
    page = _ok(_ref("ProjectPage"))
    upload = {"required": True, "content": {
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "file": {"type": "string", "contentMediaType": "application/octet-stream",
                     "description": ".json, .jsonl, .csv or .xlsx"}}}},
        JSON: {"schema": {"type": "array", "items": _ref("Project")}}}}
    return {
        "/projects": {"get": _op("Catalog projects filtered by facets, paginated", page, FILTER_PARAMS)},
        "/projects/{project_id}": {"get": _op("One project (the SPEC record)", _ok(_ref("Project")), [ID_PARAM],
                                              errors=("404",))},
        "/projects/{project_id}/similar": {"get": _op(
            "The most similar systems, with overlap both ways", _ok({
                "type": "object", "required": ["id", "results"], "additionalProperties": False, "properties": {
                    "id": {"type": "string"}, "results": {"type": "array", "items": _ref("SimilarSystem")}}}),
            [ID_PARAM, _query("k", "how many", {"type": "integer", "minimum": 1, "maximum": 50})],
            errors=("400", "404", "503"))},
        "/search": {"get": _op("Full-text and semantic search with facets", _ok(_ref("SearchPage")),
                               [_query("q", "search text (not blank)", {"type": "string", "minLength": 1, "pattern": "\\S"},
                                       required=True), *FILTER_PARAMS],
                               errors=("400", "503"))},
        "/recommend": {"post": _op("Reusable systems for a planned one", _ok(_ref("Recommendation")),
                                   [_query("k", "how many results, 1 to 50", {"type": "integer", "minimum": 1, "maximum": 50})],
                                   {"required": True, "content": {JSON: {"schema": _ref("Planned")}}},
                                   errors=("400", "503"))},
        "/check-plan": {"post": _op("Recommendations for every project of a draft portfolio",
                                    {**_ok(_ref("CheckPlanReport")), "content": {
                                        JSON: {"schema": _ref("CheckPlanReport")},
                                        "text/csv": {"schema": {"type": "string"}},
                                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                                            "schema": {"type": "string", "format": "binary"}}}},
                                    [_query("k", "results per item, 1 to 20", {"type": "integer", "minimum": 1, "maximum": 20}),
                                     _query("format", "json, csv or xlsx", {"enum": ["json", "csv", "xlsx"]}),
                                     _query("lang", "language of a csv/xlsx report: en (codes, ',' and '.') or ru "
                                            "(Russian headers, region names, ';' and decimal commas)", {"enum": ["en", "ru"]}),
                                     _query("region", "an uploaded table's region for the rows without one (else read "
                                            "from the file's title)", {"type": "string"})],
                                    upload, errors=("400", "413", "503"))},
        "/compare": {
            "get": _op("Two to five projects side by side, functions aligned", _ok(_ref("Comparison")),
                       [_query("ids", "comma-separated project ids", {"type": "string"}, required=True)],
                       errors=("400", "404", "503")),
            "post": _op("Same, ids in the body", _ok(_ref("Comparison")), None, {"required": True, "content": {
                JSON: {"schema": {"type": "object", "required": ["ids"], "properties": {"ids": {
                    **STRING_LIST, "minItems": 2, "maxItems": MAX_COMPARE, "uniqueItems": True}}}}}},
                errors=("400", "404", "503"))},
        "/duplicates": {"get": _op("Families of near-identical systems", _ok(_ref("Duplicates")),
                                   [_query("threshold", f"overlap both ways, {THRESHOLD_MIN} to {THRESHOLD_MAX}",
                                           {"type": "number", "minimum": THRESHOLD_MIN, "maximum": THRESHOLD_MAX,
                                            "default": NEAR_IDENTICAL_THRESHOLD})],
                                   errors=("400", "503"))},
        "/scale-candidates": {"get": _op("Practices to scale, with explained scores", _ok(_ref("ScaleCandidates")),
                                         [_query("top", "how many, 1 to 100", {"type": "integer", "minimum": 1, "maximum": 100})],
                                         errors=("400", "503"))},
        "/regions": {"get": _op("Every federal subject", _ok({"type": "array", "items": _ref("Region")}), errors=())},
        "/taxonomy": {"get": _op("Controlled vocabularies with English and Russian labels",
                                 _ok({"type": "object"}), errors=())},
        "/stats": {"get": _op("Catalog counts", _ok(_ref("Stats")), errors=())},
        "/openapi.json": {"get": _op("This document", _ok({"type": "object"}), errors=())},
    }


@api.get("/openapi.json")
@public
def openapi_json():
    return jsonify(document())
