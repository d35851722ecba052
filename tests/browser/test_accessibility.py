"""axe-core on the main pages (no serious or critical violations), with screenshots.

The screenshots land in tests/screenshots/ (git-ignored): Russian, as a Russian-speaking
browser sees the site by default, and English, plus the narrow (phone) layout of a few pages.
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

MAIN_PAGES = {
    "home": "/",
    "search": "/search",
    "passport": "/projects/{real_id}",
    "passport-synthetic": "/projects/{synthetic_id}",
    "plan": "/plan",
    "check-plan": "/check-plan",
    "duplicates": "/duplicates",
    "scale": "/scale",
    "region": "/regions/RU-TA",
}
NARROW = ("home", "search", "passport-synthetic", "duplicates")

# Chart labels (SVG text) that run into their own bar: the label column is too narrow for them.
OVERLAPPING_LABELS = """() => [...document.querySelectorAll("svg g > text.chart-label")].filter(text => {
  const bar = text.parentNode.querySelector("rect");
  const box = text.getBBox();
  return bar && box.x + box.width > bar.x.baseVal.value - 2;
}).map(text => text.textContent)"""


def _url(live_app, name: str) -> str:
    return MAIN_PAGES[name].format(real_id=live_app.real_id, synthetic_id=live_app.synthetic_id)


@pytest.mark.parametrize("name", list(MAIN_PAGES))
def test_page_has_no_serious_accessibility_violations(name, page, live_app, assert_accessible, screenshots):
    response = page.goto(_url(live_app, name))
    assert response.status == 200
    assert page.get_attribute("html", "lang") == "ru"
    page.screenshot(path=screenshots / f"{name}-ru.png", full_page=True)
    # Nothing wider than the window: no sideways scrolling on a desktop screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate(OVERLAPPING_LABELS) == []
    assert_accessible(page)


def test_english_and_narrow_screenshots(new_page, live_app, assert_accessible, screenshots):
    english = new_page("en-GB")
    for name in MAIN_PAGES:
        english.goto(_url(live_app, name))
        assert english.get_attribute("html", "lang") == "en"
        english.screenshot(path=screenshots / f"{name}-en.png", full_page=True)
        assert english.evaluate(OVERLAPPING_LABELS) == [], name
    phone = new_page("ru-RU", width=390)
    for name in NARROW:
        phone.goto(_url(live_app, name))
        phone.screenshot(path=screenshots / f"{name}-ru-narrow.png", full_page=True)
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name}: {overflow}px wider than a 390px screen"
        assert_accessible(phone)  # e.g. charts that scroll sideways must take the keyboard focus
