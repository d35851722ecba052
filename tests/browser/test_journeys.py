"""What people do in a real browser: search with facets, plan a system, upload a portfolio,
switch the language, read a synthetic passport, use the duplicates map.

Engine-dependent checks run when the fixture could build the matching index; otherwise the
same journeys check that the page says honestly that the index is not built.
"""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

NOT_BUILT = "practicebank index"


def count_in(text: str) -> int:
    """The number in a heading such as "125 projects" / "125 проектов"."""
    match = re.search(r"\d[\d\s\u00a0\u202f]*", text)
    assert match, text
    return int(re.sub(r"\D", "", match.group()))


def assert_not_built(page) -> None:
    banner = page.locator(".banner-warning")
    assert banner.is_visible()
    assert NOT_BUILT in banner.inner_text()


# The catalog and the embedding model are English: the journeys type English text into the Russian UI.
def test_search_facet_filters_in_the_url(page, live_app):
    if live_app.engine_ready:
        page.goto("/search")
        page.fill("#q", "online enrolment in kindergartens")
        page.press("#q", "Enter")
        page.wait_for_url(re.compile(r"[?&]q="))
    else:
        page.goto("/search?q=kindergarten")
        assert_not_built(page)  # a text query needs the index ...
        page.goto("/search")    # ... browsing by facets does not
    total = count_in(page.inner_text("#results-h"))
    assert total > 0

    # The largest industry value smaller than the total, so that the count must change.
    checks = page.locator("fieldset:has(input[name=industry]) .check")
    options = [(checks.nth(i).locator("input").get_attribute("value"),
                int(re.sub(r"\D", "", re.search(r"\(([\d\s\u00a0\u202f]+)\)\s*$", checks.nth(i).inner_text()).group(1))))
               for i in range(checks.count())]
    narrowing = [o for o in options if 0 < o[1] < total]
    assert narrowing, f"no industry facet narrows {total} results: {options}"
    value, expected = max(narrowing, key=lambda o: o[1])
    page.check(f"input[name=industry][value='{value}']")
    page.click("aside.facets button[type=submit]")
    page.wait_for_url(re.compile(rf"[?&]industry={re.escape(value)}(&|$)"))

    filtered = count_in(page.inner_text("#results-h"))
    assert filtered != total
    if not live_app.engine_ready:
        assert filtered == expected  # browsing counts come from the same database query
    assert page.locator(f"input[name=industry][value='{value}']").is_checked()
    assert page.locator("ol.result-list > li.card").count() == min(filtered, 20)


def test_plan_a_system(page, live_app, assert_accessible, screenshots):
    page.goto("/plan")
    page.fill("#title", "Electronic kindergarten enrolment")
    page.fill("#features", "online enrolment in kindergartens\nqueue position tracking\nnotifications to parents")
    page.select_option("#region", "RU-TA")
    page.select_option("#industry", "education")
    page.fill("#budget", "25000")
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".banner-error").count() == 0
    page.screenshot(path=screenshots / "plan-result-ru.png", full_page=True)
    if not live_app.engine_ready:
        assert_not_built(page)
        return
    cards = page.locator("section[aria-labelledby=recs] article.match")
    assert cards.count() >= 1
    overlap = cards.first.locator(".figures dd strong").first.inner_text()
    assert re.fullmatch(r"\d+\s?%", overlap.strip()), overlap  # «81 %» in Russian (non-breaking space)
    assert_accessible(page)


def test_check_a_portfolio_upload(page, live_app, assert_accessible, tmp_path, screenshots):
    draft = tmp_path / "draft.csv"
    draft.write_text(
        "id,title,region,industries,features\n"
        "draft-kg,Kindergarten enrolment,RU-TA,education,"
        "online enrolment in kindergartens;queue position tracking\n"
        "draft-med,Doctor appointments,RU-BA,healthcare,online appointment booking;appointment reminders\n",
        encoding="utf-8")
    page.goto("/check-plan")
    page.set_input_files("#file", str(draft))
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".banner-error").count() == 0, page.locator(".banner-error").inner_text()
    page.screenshot(path=screenshots / "check-plan-result-ru.png", full_page=True)
    if not live_app.engine_ready:
        assert_not_built(page)
        return
    assert page.locator("#report-h").is_visible()
    items = page.locator("section.plan-item")
    assert items.count() == 2
    assert "Kindergarten enrolment" in items.first.inner_text()  # items are named by title and row
    assert page.locator("a[href*='/check-plan/report/'][href$='.csv']").count() == 1
    assert_accessible(page)


def test_language_switch(new_page):
    page = new_page("ru-RU")
    page.goto("/")
    assert page.get_attribute("html", "lang") == "ru"
    russian = page.inner_text("h1")
    assert re.search("[А-Яа-я]", russian), russian
    assert page.locator("nav.lang a[hreflang=ru]").get_attribute("aria-current") == "true"

    page.click("nav.lang a[hreflang=en]")
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.get_attribute("html", "lang") == "en"
    english = page.inner_text("h1")
    assert english != russian and not re.search("[А-Яа-я]", english), english

    page.click("nav[aria-label] >> text=Search")  # the choice is remembered on the next page
    page.wait_for_url(re.compile(r"/search"))
    assert page.get_attribute("html", "lang") == "en"
    page.click("nav.lang a[hreflang=ru]")
    page.wait_for_url(re.compile(r"lang=ru"))
    assert page.get_attribute("html", "lang") == "ru"
    assert re.search("[А-Яа-я]", page.inner_text("h1"))

    english_browser = new_page("en-GB")
    english_browser.goto("/")
    assert english_browser.get_attribute("html", "lang") == "en"


def test_synthetic_passport_is_marked(page, live_app):
    page.goto(f"/projects/{live_app.synthetic_id}")
    badge = page.locator("h1 .badge-synthetic")
    assert badge.is_visible()
    assert re.search("[А-Яа-я]", badge.inner_text())  # translated in Russian mode
    assert badge.get_attribute("title")               # and says why on hover
    page.goto(f"/projects/{live_app.real_id}")
    assert page.locator("h1 .badge-synthetic").count() == 0


def test_duplicates_map_links_to_regions(page, live_app):
    page.goto("/duplicates")
    if not live_app.engine_ready:
        assert_not_built(page)
        assert page.locator("figure.tilemap").count() == 0
        return
    cells = page.locator("figure.tilemap svg a")
    assert cells.count() >= 85
    assert page.locator("figure.tilemap rect.cell").first.is_visible()
    page.locator("figure.tilemap a[href$='/regions/RU-TA']").click()
    page.wait_for_url(re.compile(r"/regions/RU-TA$"))
    assert "Татарстан" in page.inner_text("h1")



def _million_rubles(text: str) -> float:
    """«12,5 млн ₽» -> 12.5 (the Russian page's decimal comma and thin-space thousands)."""
    match = re.search(r"\d[\d\s\u00a0\u202f]*(?:,\d+)?", text)
    assert match, text
    return float(re.sub(r"[\s\u00a0\u202f]", "", match.group()).replace(",", "."))


@pytest.mark.parametrize("path", ["/", "/duplicates"])
def test_the_headline_shows_spend_on_copies(page, live_app, path):
    """The headline once read a field the engine never sent, so the spend on copies was never
    shown while every test passed (issue 15). Here the figure on the page is the engine's."""
    page.goto(path)
    if not live_app.engine_ready:
        assert_not_built(page)
        return
    headline = live_app.services.headline()
    assert headline.copies > 0, "the browser catalog must hold at least one family with a copy"
    figure = page.locator('[data-figure="duplicate_capex"]').first
    assert figure.is_visible()
    text = figure.inner_text()
    if headline.duplicate_capex > 0:
        assert "млн ₽" in text
        assert _million_rubles(text) == pytest.approx(headline.duplicate_capex / 1000, abs=0.051)
    else:  # copies without a recorded cost: the page says so rather than «0»
        assert "нет данных" in text
