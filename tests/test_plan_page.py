"""/plan as a minister reads it: the answer first, grouped near-identical systems, the plan in
the URL (short ids for long plans), the report downloads, and numbers that never mislead.

The engine is replaced by answers built from the real result classes (``RecommendationItem``);
the title-only and no-savings cases set ``overlap``/``estimated_savings`` to None as the engine
does for them.
"""
from __future__ import annotations

import io
import re
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from practicebank.matcher.recommend import Recommendation, RecommendationItem
from tests.fakes import FakeServices, home, make_app  # noqa: F401  (fixture)
from practicebank.web import plan_answer

BUDGET = 25000.0


def item(pid: str, title: str, region: str, overlap: float | None = 81.0, status: str = "in_operation",
         savings: float | None = "auto", matched=None, missing=("payments",), score: float = 0.84,
         synthetic: bool = False) -> RecommendationItem:
    matched = matched if matched is not None else [
        ["online enrolment", "online enrolment in kindergartens", 0.93],
        ["queue tracking", "queue position tracking", 0.9]]
    if savings == "auto":
        savings = round(BUDGET * (overlap / 100 - 0.15), 1) if overlap is not None and status == "in_operation" else None
    # overlap None: the engine's rule for a plan with fewer than two functions
    rec = RecommendationItem(id=pid, title=title, region=region, score=score, overlap=overlap,
                             matched_features=[list(m) for m in matched], missing_features=list(missing),
                             estimated_savings=savings, status=status, region_group="leading",
                             retrieval_score=0.7, explanation={})
    rec.add_facts({"id": pid, "synthetic": synthetic})  # as Services hands it out
    return rec


def answer(results: list[RecommendationItem], budget: float | None = BUDGET) -> Recommendation:
    query = {"text": "plan", "features": [], "region": None, "industries": [], "budget": budget, "k": 10,
             "savings_assumptions": {"formula": "max(0, budget * overlap / 100 - budget * adaptation_rate)",
                                     "adaptation_rate": 0.15, "unit": "thousand RUB"}}
    return Recommendation(query, results)


TWINS = [item(f"kg-{i}", f"Electronic kindergarten {i}", "RU-TA" if i == 0 else "RU-BA") for i in range(9)]
OTHER = item("ta-gis", "Urban GIS", "RU-TA", overlap=40.0, matched=[["maps", "maps of the city", 0.8]])


class PlanFake(FakeServices):
    """``answer_for`` decides the engine's answer from the planned record."""

    def recommend(self, planned, k=10, exclude_region=False):
        title = planned.get("title", "") if isinstance(planned, dict) else planned
        budget = planned.get("budget") if isinstance(planned, dict) else None
        if "nothing" in title:
            return answer([], budget)
        if "title only" in title:
            return answer([item("kg-0", "Electronic kindergarten", "RU-TA", overlap=None, savings=None)], budget)
        if "planned system" in title:
            return answer([item("kg-p", "Kindergarten portal", "RU-VLA", status="planned"),
                           item("kg-w", "Kindergarten queue", "RU-PER", overlap=60.0)], budget)
        if budget is None:
            return answer([item("kg-0", "Electronic kindergarten", "RU-TA", savings=None)], None)
        return answer(TWINS + [OTHER], budget)

    def headline(self, threshold=85.0):
        from practicebank.matcher.headline import DuplicatesHeadline

        # The figures: 467 systems in families, 540 with a twin, of 1 500.
        return DuplicatesHeadline(systems=1500, with_twin=540, share_with_twin=0.36, systems_in_families=467,
                                  families=120, copies=347, copies_without_capex=0, duplicate_capex=0.0,
                                  duplicate_opex_per_year=0.0, savings_capex=0.0, adaptation_rate=0.15)


@pytest.fixture
def client(home):  # noqa: F811
    return make_app(home, PlanFake).test_client()


def plan_url(title="Электронная запись в детские сады", features="подача заявления\nочередь", budget="25000",
             region="RU-KGN", lang="ru") -> str:
    q = f"/plan?title={quote(title)}&features={quote(features)}&region={quote(region)}&lang={lang}"
    return q + (f"&budget={budget}" if budget else "")


def text(html: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", html.replace("&#34;", '"').replace("&#39;", "'"))


def test_the_answer_comes_first_in_one_sentence(client):
    response = client.get(plan_url())
    assert response.status_code == 200
    html = text(response.get_data(as_text=True))
    sentence = ("81\u00a0% функций вашего плана уже работает в Республике Татарстан (система «Electronic kindergarten 0», "
                "в эксплуатации); оценка экономии ≈ 16,5 млн ₽.")
    assert sentence in html
    assert html.index(sentence) < html.index("<form")  # results above the form
    assert html.index("Системы, которые можно переиспользовать") < html.index("<form")
    assert '<details id="edit-plan" class="plan-form">' in html  # folded, not open
    assert "Изменить план" in html
    # the formula beside the headline savings figure
    assert "= бюджет 25,0 млн ₽ × (совпадение 81\u00a0% − 15\u00a0% на адаптацию)" in html


def test_near_identical_candidates_are_one_card(client):
    html = text(client.get(plan_url()).get_data(as_text=True))
    assert html.count('<article class="card match plan-card">') == 2  # nine twins + one other system
    assert "и ещё 8 похожих систем" in html
    assert html.count("Electronic kindergarten 8") == 1  # listed under the first card, not a card of its own


def test_grouping_rules():
    a, b = item("a", "A", "RU-TA"), item("b", "B", "RU-BA")
    assert plan_answer.near_identical(a, b)
    assert not plan_answer.near_identical(a, item("c", "C", "RU-BA", overlap=80.0))
    assert not plan_answer.near_identical(a, item("d", "D", "RU-BA", matched=[["online enrolment", "x y z", 0.9]]))
    assert not plan_answer.near_identical(a, item("e", "E", "RU-BA", savings=None))


def test_title_only_plan_gets_no_percentage(client):
    html = text(client.get(plan_url(title="Электронная запись title only", features="")).get_data(as_text=True))
    assert "Перечислите функции системы, чтобы получить процент совпадения." in html
    assert "Ближайшая по описанию система — «Electronic kindergarten» в Республике Татарстан" in html
    assert "0,0 млн" not in html and not re.search(r"(?<![\d,])0\u00a0%", html)  # no «0 %» for «unknown»


@pytest.mark.parametrize("title, budget, expected", [
    ("Электронная запись", None, "оценка экономии: нет данных (укажите бюджет плана)"),
    ("planned system", "25000", "экономия не оценивается: система ещё не в эксплуатации"),
    ("nothing like it", "25000", "Ни одна система каталога не выполняет этих функций"),
])
def test_unknown_savings_and_no_match_are_said(client, title, budget, expected):
    html = text(client.get(plan_url(title=title, budget=budget)).get_data(as_text=True))
    assert expected in html
    assert "0,0 млн ₽" not in html


def test_planned_system_is_said_to_exist_not_to_work(client):
    html = text(client.get(plan_url(title="planned system")).get_data(as_text=True))
    assert "81\u00a0% функций вашего плана уже есть во Владимирской области (система «Kindergarten portal», планируется)" in html
    # and the best system that does run, with its savings
    assert ("В эксплуатации: «Kindergarten queue» в Пермском крае выполняет 60\u00a0% функций плана; "
            "оценка экономии ≈ 11,2 млн ₽.") in html


def test_a_synthetic_record_is_never_passed_off_as_real(home):  # noqa: F811
    r = item("syn", "Clinic appointments (demo)", "RU-TA", synthetic=True)
    with make_app(home, PlanFake).test_request_context("/?lang=ru"):
        sentence = plan_answer.headline(Recommendation({"budget": BUDGET}, [r]), {})["text"]
    assert "в эксплуатации, синтетическая демо-запись)" in sentence


def test_english_page_reads_in_english(client):
    html = text(client.get(plan_url(lang="en")).get_data(as_text=True))
    assert ("81% of your plan's functions already work in the Republic of Tatarstan (system «Electronic kindergarten 0», "
            "in operation); estimated savings ≈ 16.5 M ₽.") in html
    assert "and 8 more like them" in html and "Relevance (rank)" in html


def test_score_and_savings_are_named_differently(client):
    html = client.get(plan_url()).get_data(as_text=True)
    assert "Релевантность (ранг)" in html and "Оценка экономии" in html and "0,84" in html
    assert ">Оценка<" not in html and "0.84" not in html


def test_form_posts_to_the_plans_own_address(client):
    response = client.post("/plan", data={"title": "Запись в сады", "features": "a\nb", "budget": "100"})
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/plan?") and "title=" in location and "budget=100" in location
    assert client.get(location).status_code == 200


def test_long_plan_gets_a_short_id(client):
    features = "\n".join(f"функция номер {i}: приём и обработка заявлений" for i in range(40))
    response = client.post("/plan", data={"title": "Большая система", "features": features})
    location = response.headers["Location"]
    assert re.fullmatch(r"/plan/[0-9a-f]{12}", location), location
    html = text(client.get(location + "?lang=ru").get_data(as_text=True))
    assert "функций вашего плана" in html and "функция номер 39" in html
    assert f'href="{location}/report.xlsx"' in html
    assert client.get("/plan/000000000000").status_code == 404
    assert client.get("/plan/not-an-id").status_code == 404


def test_plan_store_is_bounded(tmp_path):
    store = plan_answer.PlanStore(tmp_path, limit=3, max_bytes=200)
    ids = [store.put({"title": f"plan {i}", "features": "a\nb"}) for i in range(5)]
    assert len(list(tmp_path.glob("*.json"))) == 3
    assert store.get(ids[-1]) == {"title": "plan 4", "features": "a\nb"}
    assert store.put({"title": "x" * 500}) is None  # too big to keep
    assert store.put({"title": "plan 4", "features": "a\nb"}) == ids[-1]  # same plan, same link


def test_report_xlsx(client):
    html = client.get(plan_url()).get_data(as_text=True)
    link = re.search(r'href="(/plan/report\.xlsx[^"]*)"', html).group(1).replace("&amp;", "&")
    response = client.get(link)
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.data))
    assert wb.sheetnames == ["План", "Системы для переиспользования", "Доказательства совпадения",
                             "Допущения оценки экономии"]
    plan = {row[0]: row[1] for row in wb["План"].iter_rows(values_only=True)}
    assert plan["Бюджет, тыс. руб."] == 25000 and "функций вашего плана" in plan["Ответ"]
    matches = list(wb["Системы для переиспользования"].iter_rows(values_only=True))
    assert matches[0][:2] == ("Место в списке", "Существующая система") and len(matches) == 11
    assert matches[1][4] == 81 and matches[1][6] == 16500
    evidence = list(wb["Доказательства совпадения"].iter_rows(values_only=True))
    assert ("Electronic kindergarten 0", "payments", "— не покрывается этой системой", "") in evidence or \
        any(r[1] == "payments" for r in evidence)
    assumptions = [r[0] for r in wb["Допущения оценки экономии"].iter_rows(values_only=True)]
    assert any("15\u00a0%" in a for a in assumptions)


def test_report_xlsx_unknown_savings_say_no_data(client):
    wb = load_workbook(io.BytesIO(client.get(plan_url(title="Электронная запись", budget=None)
                                             .replace("/plan?", "/plan/report.xlsx?")).data))
    row = list(wb["Системы для переиспользования"].iter_rows(values_only=True))[1]
    assert row[6] == "нет данных" and "укажите бюджет" in row[7]


def test_printable_report_has_no_navigation_and_no_form(client):
    response = client.get(plan_url().replace("/plan?", "/plan/report.html?"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<nav" not in html and "<form" not in html
    assert "функций вашего плана" in html and "Как получены цифры" in html
    assert '<details class="evidence-box" open>' in html
    css = client.get("/static/css/plan.css").get_data(as_text=True)
    assert "@media print" in css and ".site-header" in css and ".plan-form" in css


def test_plan_page_links_its_print_stylesheet(client):
    html = client.get(plan_url()).get_data(as_text=True)
    assert "css/plan.css" in html and "report.html?" in html


@pytest.mark.parametrize("name, expected", [
    ("Республика Татарстан", "в Республике Татарстан"), ("Курганская область", "в Курганской области"),
    ("Владимирская область", "во Владимирской области"), ("Пермский край", "в Пермском крае"),
    ("Москва", "в Москве"), ("Ханты-Мансийский автономный округ — Югра", "в Ханты-Мансийском автономном округе — Югре"),
    ("Чувашская Республика", "в Чувашской Республике"), ("Еврейская автономная область", "в Еврейской автономной области"),
    ("Кемеровская область — Кузбасс", "в Кемеровской области — Кузбассе"), ("Санкт-Петербург", "в Санкт-Петербурге"),
])
def test_region_in_russian(name, expected):
    assert plan_answer.region_in_ru(name) == expected


def test_every_region_name_declines(home):  # noqa: F811
    from practicebank.catalog.regions import shipped_regions

    unknown = [r["name_ru"] for r in shipped_regions() if plan_answer.region_in_ru(r["name_ru"]).startswith("в регионе")]
    assert not unknown


def test_numbers_never_mislead(home):  # noqa: F811
    from practicebank.web import i18n

    app = make_app(home, PlanFake)
    for lang, no_data, dec, pct in (("ru", "нет данных", "0,84", "81\u00a0%"), ("en", "no data", "0.84", "81%")):
        with app.test_request_context(f"/?lang={lang}"):
            assert i18n.money(None) == no_data and i18n.cost(0) == no_data and i18n.cost(None) == no_data
            assert i18n.number(None) == no_data
            assert i18n.decimal(0.84, 2) == dec and i18n.percent(81.2) == pct
    with app.test_request_context("/?lang=ru"):
        assert i18n.money(16500) == "16,5 млн ₽" and i18n.money(0) == "0,0 млн ₽"  # a computed zero stays zero
        assert i18n.ratio(467, 1500) == "467 / 1\u00a0500 (31\u00a0%)"


def test_home_percentage_is_computed_from_the_numbers_shown(client):
    html = client.get("/?lang=ru").get_data(as_text=True)
    assert "540 / 1\u00a0500 (36\u00a0%)" in html  # systems with a twin
    assert "467 / 1\u00a0500 (31\u00a0%)" in html  # systems in families
    assert "467 / 1\u00a0500 (36" not in html
    assert "0,0 млн ₽" not in html  # copies without a recorded cost: «нет данных», not a zero sum


def test_every_savings_figure_carries_its_formula_in_the_pages_language(client):
    html = text(client.get("/projects/ta-kindergarten?lang=ru").get_data(as_text=True))  # match cards
    assert "Экономия = бюджет × совпадение − 15\u00a0% бюджета на адаптацию" in html
    assert "reuse share" not in html and "reuse_share" not in html


def test_scaling_score_is_not_called_an_estimate(client):
    html = client.get("/scale?lang=ru").get_data(as_text=True)
    assert "балл тиражирования" in html and "оценка <strong>" not in html


def test_without_index_the_plan_says_so_and_the_report_is_not_a_false_no(home):  # noqa: F811
    from tests.fakes import NoIndexServices

    client = make_app(home, NoIndexServices).test_client()
    html = client.get(plan_url()).get_data(as_text=True)
    assert 'class="banner' in html and "Ни одна система" not in html and "answer-sentence" not in html
    assert '<details id="edit-plan" class="plan-form" open>' in html  # the plan stays in the form
    assert client.get(plan_url().replace("/plan?", "/plan/report.xlsx?")).status_code == 503
