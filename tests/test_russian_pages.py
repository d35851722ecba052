"""Every word on a Russian page is Russian.

Walks every public page in Russian on a small Russian catalog (so that record content never
counts) with the engine replaced by answers in the engine's own shapes (reasons and scaling
terms as codes with parameters, made by matcher's own functions), extracts the visible text
(tags, scripts, styles and <code> stripped; aria-label, title, alt and placeholder kept) and
fails on any Latin word outside a short allow-list of proper names, codes and units.
"""
from __future__ import annotations

import io
import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from practicebank.matcher.answers import (CheckPlanItem, CheckPlanReport, CheckPlanSummary, Comparison, Recommendation,
                                          RecommendationItem, SearchPage, SimilarSystem)
from practicebank.matcher.families import Family, PairOverlap, family_savings, reference_choice
from practicebank.matcher.headline import build_headline
from practicebank.matcher.records import ProjectRecord
from practicebank.matcher.savings import SavingsModel
from practicebank.matcher.scaling import ScaleCandidate, cost_term, demand_term, group_term, proof_term
from tests.helpers import PASSWORD, seeded_services, web_app
from practicebank.web.services import Services

RECORDS = [
    {"id": "ta-detsad", "title": "Электронный детский сад", "region": "RU-TA", "industries": ["education"],
     "summary": "Запись в детские сады через интернет.",
     "features": ["запись в детский сад через интернет", "отслеживание места в очереди"], "status": "in_operation",
     "start_year": 2016, "cost": {"capex": 25000, "opex_per_year": 3000}, "funding": {"regional": 20000, "federal": 5000},
     "indicators": [{"name": "Доля заявлений через интернет", "unit": "%", "baseline": 10, "target": 90, "actual": 85}],
     "sources": [{"title": "Отчёт министерства", "url": "https://example.org/report"}], "license": "government_owned",
     "owner": "Министерство образования"},
    {"id": "ba-detsad", "title": "Очередь в детские сады", "region": "RU-BA", "industries": ["education"],
     "features": ["запись в детский сад через интернет", "отслеживание места в очереди", "уведомления родителям"],
     "status": "in_operation", "start_year": 2019, "cost": {"capex": 30000}, "based_on": ["ta-detsad"]},
    {"id": "mos-poliklinika", "title": "Запись к врачу", "region": "RU-MOS", "industries": ["healthcare"],
     "features": ["запись к врачу через интернет"], "status": "planned", "cost": {"capex": 500}},
    {"id": "spe-svetofory", "title": "Умные светофоры", "region": "RU-SPE", "industries": ["transport"],
     "technologies": ["iot", "ai"], "status": "in_development", "cost": {"capex": 2_000_000}},
]


def _record(d: dict) -> ProjectRecord:
    return ProjectRecord(id=d["id"], title=d["title"], region=d["region"], status=d.get("status"),
                         industries=tuple(d.get("industries") or ()), features=tuple(d.get("features") or ()),
                         start_year=d.get("start_year"), capex=(d.get("cost") or {}).get("capex"),
                         region_group="leading" if d["region"] in ("RU-TA", "RU-MOS") else "developing",
                         indicators=tuple(d.get("indicators") or ()))


def _match(d: dict, overlap: float) -> RecommendationItem:
    explanation = {t: {"value": 0.8, "weight": w, "contribution": round(0.8 * w, 4)}
                   for t, w in {"retrieval": 0.35, "overlap": 0.45, "status": 0.12, "region_group": 0.04,
                                "reuse": 0.04}.items()}
    return RecommendationItem(id=d["id"], title=d["title"], region=d["region"], score=0.81, overlap=overlap,
                              matched_features=[["запись через интернет", d["features"][0], 0.93]],
                              missing_features=["оплата"], estimated_savings=12000.0, status=d.get("status"),
                              region_group="leading", retrieval_score=0.7, explanation=explanation)


def _family(a: ProjectRecord, b: ProjectRecord, reuse: dict) -> Family:
    ref, why, reasons = reference_choice([a, b], reuse)
    other = b if ref == a.id else a
    pairs = [PairOverlap(a.id, b.id, 92.0, 90.0)]
    return Family(id=f"family-{a.id}", core=a.id, members=[a.id, b.id], regions=sorted({a.region, b.region}),
                  overlap=91.0, min_overlap=90.0, capex_total=(a.capex or 0) + (b.capex or 0), opex_total=0.0,
                  reference=ref, reference_why=why, duplicate_capex=other.capex or 0.0, duplicate_opex=0.0,
                  savings=family_savings([a, b], ref, {a.id: 91.0, b.id: 91.0}, SavingsModel()), pairs=pairs,
                  reference_reasons=reasons)


ASSUMPTIONS = {"adaptation_rate": 0.15, "formula": "max(0, budget * overlap / 100 - budget * adaptation_rate)"}


class RussianServices(Services):
    """The engine's answers, in its shapes, over the Russian catalog."""

    def index_status(self):
        return {"catalog_revision": 2, "index_revision": 2, "stale": False}

    def search(self, query, filters=None, page=1, per_page=20, sort="relevance"):
        results = [{**r, "score": 0.5} for r in RECORDS if query.lower() in (r["title"] + " ".join(r.get("features", []))).lower()]
        return SearchPage(query=query, filters=dict(filters or {}), total=len(results), page=page, per_page=per_page,
                          sort=sort, results=results[:per_page],
                          facets={"industry": {"education": len(results)}, "status": {"in_operation": len(results)}})

    def recommend(self, planned, k=10, exclude_region=False):
        return Recommendation({**(planned if isinstance(planned, dict) else {"text": planned}),
                               "savings_assumptions": ASSUMPTIONS},
                              [_match(RECORDS[0], 81.0), _match(RECORDS[1], 78.0)])

    def check_plan(self, records, k=5):
        items = [CheckPlanItem(r["id"], r["title"], 1000.0, Recommendation({}, [_match(RECORDS[0], 81.0)]))
                 for r in records]
        return CheckPlanReport(items, CheckPlanSummary(
            planned_items=len(items), planned_cost=1000.0 * len(items), items_without_budget=0,
            potential_savings=660.0 * len(items), items_with_match=len(items), match_min_overlap=50.0,
            threshold=85.0, savings_assumptions=ASSUMPTIONS))

    def similar(self, project_id, k=10):
        return [SimilarSystem.of(_match(RECORDS[1], 95.0), 88.0, 85.0)]

    def compare(self, ids):
        return Comparison(ids=list(ids), base=ids[0], comparisons=[], projects=[{"id": i} for i in ids],
                          alignment=[[RECORDS[0]["features"][0], RECORDS[1]["features"][0], 0.99],
                                     [RECORDS[0]["features"][1], None, 0.0]])

    def duplicates(self, threshold=85):
        """Families built as the engine builds them (Family.to_dict, build_headline)."""
        records = [_record(r) for r in RECORDS]
        family = _family(records[0], records[1], {"ta-detsad": 1})
        # a full tie: two members with the same facts, so the reference is said as a tie
        twin = replace(records[1], id="spe-svetofory", region="RU-SPE")
        tied = _family(records[1], twin, {})
        families = [family, tied]
        twins = {m: set(f.members) - {m} for f in families for m in f.members}
        return {"threshold": threshold, "systems": len(records), "systems_in_families": 4,
                "families": [f.to_dict() for f in families],
                "headline": build_headline([*records, twin], families, twins, 0.15).to_dict()}

    def scale_candidates(self, top=20):
        """Practices as the engine ranks them (ScaleCandidate.to_dict)."""
        practice, clinic = _record(RECORDS[0]), replace(_record(RECORDS[2]), status="in_operation", capex=None)
        terms = {"demand": demand_term(["RU-BA"], 1, 0.4), "proof": proof_term(practice, 1, 0.35, 2026),
                 "cost": cost_term(practice, 40000.0, 0.15), "region_group": group_term(practice, 0.1)}
        unknown = {"demand": demand_term([], 0, 0.4), "proof": proof_term(clinic, 0, 0.35, 2026),
                   "cost": cost_term(clinic, None, 0.15), "region_group": group_term(clinic, 0.1)}
        candidates = [ScaleCandidate(practice, terms, ["RU-BA"], "family-ta-detsad", False),
                      ScaleCandidate(clinic, unknown, [], None, False)]
        return {"candidates": [c.to_dict() for c in candidates],
                "weights": {"demand": 0.4, "proof": 0.35, "cost": 0.15, "region_group": 0.1}}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    services = seeded_services(tmp_path_factory.mktemp("ru-home"), RECORDS,
                              users=[("redaktor", "regional_editor", "RU-TA")], cls=RussianServices)
    return web_app(services)


# ------------------------------------------------------------------ the visible text
SKIPPED = {"script", "style", "code", "pre", "kbd", "samp"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")


class VisibleText(HTMLParser):
    """The words a reader sees or hears; <code> and elements marked lang="en" are left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is it skipped?
        self.parts: list[str] = []

    def _skipping(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skip = tag in SKIPPED or (attrs.get("lang") not in (None, "ru") and tag != "html")
        if not skip and not self._skipping():
            self.parts.extend(attrs[a] for a in ATTRIBUTES if attrs.get(a))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.parts.append(attrs["value"])
        if tag not in VOID:
            self.stack.append(skip)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self._skipping():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


# Proper names, codes and units a Russian page may show in Latin letters.
ALLOWED = {
    "practice", "bank",  # the product's name
    "json", "jsonl", "csv", "xlsx", "api", "openapi", "http", "https", "url", "iso", "pdf", "html", "utf",
    "get", "post", "v1",  # HTTP methods and API version on the API page
    "id", "ids", "q",  # query parameters named on the API page
    "excel", "it", "tab", "enter",  # key names
    "lines",  # "JSON Lines", a format's name
}
CODE = re.compile(r"^[A-Z0-9]{1,5}$")  # RU, TA, MOW, ISO codes, units such as M


def english_words(text: str, names: set[str] = frozenset()) -> list[str]:
    text = re.sub(r"«[^«»]*»", " ", text)  # a quoted value: what the user typed, or a name
    words = re.findall(r"[A-Za-z][A-Za-z0-9_]*(?:[-.][A-Za-z0-9_]+)*", text)
    bad = []
    for word in words:
        if word.lower() in ALLOWED or word in names or CODE.match(word) or "_" in word or "." in word or "/" in word:
            continue  # a name, a code (RU-TA, in_operation, cost.capex) or a unit
        if all(CODE.match(p) for p in word.split("-")):
            continue  # RU-TA
        bad.append(word)
    return bad


PAGES = ["/", "/search?q=детск", "/projects/ta-detsad", "/plan",
         "/plan?title=Запись+в+детские+сады&features=запись+через+интернет%0Aочередь",
         "/check-plan", "/compare?ids=ta-detsad,ba-detsad", "/duplicates", "/duplicates?metric=share",
         "/regions", "/regions/RU-TA", "/scale", "/scale?no_demand=1", "/login", "/api/docs"]


def _english_on(client, url: str, expected_status: int = 200, names: set[str] = frozenset(), **kwargs) -> list[str]:
    method = kwargs.pop("method", "get")
    response = getattr(client, method)(url, headers={"Accept-Language": "ru-RU,ru;q=0.9"}, **kwargs)
    assert response.status_code == expected_status, (url, response.status_code)
    html = response.get_data(as_text=True)
    assert '<html lang="ru">' in html
    return english_words(visible_text(html), names)


def test_the_text_extractor_skips_code_and_keeps_labels():
    html = ('<p>Привет <code>practicebank index</code> <a aria-label="Hello">мир</a></p>'
            '<script>var x = "nope";</script><a lang="en">English</a><br><span>ok</span>')
    assert english_words(visible_text(html)) == ["Hello", "ok"]


@pytest.mark.parametrize("url", PAGES)
def test_every_public_page_is_russian(app, url):
    assert _english_on(app.test_client(), url) == []


def test_not_found_page_is_russian(app):
    assert _english_on(app.test_client(), "/no-such-page", 404) == []
    assert _english_on(app.test_client(), "/projects/no-such-id", 404) == []


def test_forbidden_page_is_russian(app):
    client = app.test_client()
    assert client.post("/login", data={"login": "redaktor", "password": PASSWORD}).status_code == 302
    assert _english_on(client, "/admin/users", 403, names={"redaktor"}) == []  # the login is a name


def test_reference_tie_is_said_as_a_tie(app):
    html = app.test_client().get("/duplicates?lang=ru").get_data(as_text=True)
    assert "by id" not in html and "first by" not in html
    assert "по всем критериям" in html  # the tie, in Russian
    assert "в эксплуатации с 2016 года" in html


def test_scaling_terms_are_russian(app):
    text = visible_text(app.test_client().get("/scale?lang=ru&no_demand=1").get_data(as_text=True))
    assert "стоимость неизвестна" in text and "region(s)" not in text and "neutral" not in text


def test_plan_errors_are_russian(app):
    client = app.test_client()
    words = _english_on(client, "/plan", 400, method="post", data={"title": "", "description": "", "features": ""})
    assert words == []
    response = client.post("/plan", data={"title": "Детские сады", "region": "Атлантида"},
                           headers={"Accept-Language": "ru"})
    assert english_words(visible_text(response.get_data(as_text=True))) == []


@pytest.mark.parametrize("body, expected", [
    ('[{"id": "x", "region": "RU-TA", "industries": ["education"]}]', "запись 1, название: обязательное поле"),
    ('[{"id": "Детсад!", "title": "Детский сад", "region": "Атлантида", "industries": ["детство"], '
     '"status": "скоро", "start_year": 2024, "end_year": 2020, "cost": {"capex": -1}, "colour": "red"}]',
     "неизвестный регион «Атлантида»"),
    ('[{"id": "a", "title": "Сад", "region": "RU-TA", "industries": ["education"]}, '
     '{"id": "a", "title": "Сад", "region": "RU-TA", "industries": ["education"]}]', "повторяется"),
    ('{"projects": 5', "ошибка в записи JSON"),
])
def test_upload_errors_are_russian(app, body, expected):
    client = app.test_client()
    upload = (io.BytesIO(body.encode("utf-8")), "portfolio.json")
    response = client.post("/check-plan", data={"file": upload}, content_type="multipart/form-data",
                           headers={"Accept-Language": "ru"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    banner = re.search(r'<div class="banner banner-error" role="alert">.*?</div>', html, re.S)
    assert banner, html
    text = visible_text(banner.group())  # the page around it is the check-plan page's own test's business
    assert expected in text, text
    assert english_words(text) == [], text


@pytest.mark.parametrize("url, status, expected", [
    ("/duplicates?threshold=abc", 400, "«порог»: нужно число от 50 до 100"),
    ("/search?industry=zzz", 400, "неизвестное значение «zzz» в фильтре"),
    ("/search?page=-1", 400, "нужно целое число"),
    ("/search?sort=bad", 400, "неизвестный порядок сортировки"),
    ("/compare?ids=ta-detsad", 400, "выберите для сравнения от 2 до"),
])
def test_bad_parameters_are_refused_in_russian(app, url, status, expected):
    response = app.test_client().get(url, headers={"Accept-Language": "ru"})
    assert response.status_code == status
    text = visible_text(response.get_data(as_text=True))
    assert expected in text, text
    assert english_words(text) == [], text
