"""A phone (390×844, Russian): the header folds behind a menu button, charts fit the screen,
the region tile map says it scrolls sideways and every tile opens by keyboard.

Screenshots land in tests/screenshots/ (git-ignored) as phone-*.png.
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(new_page):
    page = new_page("ru-RU", width=PHONE["width"])
    page.set_viewport_size(PHONE)
    return page


def test_header_folds_behind_a_menu_button(phone, live_app, screenshots, assert_accessible):
    phone.goto("/")
    header = phone.locator(".site-header").bounding_box()
    assert header["height"] <= 80, f"the header takes {header['height']}px of 844"
    toggle = phone.get_by_role("button", name="Меню")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not phone.get_by_role("link", name="Тиражирование").is_visible()
    phone.screenshot(path=screenshots / "phone-home.png")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert phone.get_by_role("link", name="Тиражирование").is_visible()
    phone.screenshot(path=screenshots / "phone-menu-open.png")
    assert_accessible(phone)
    phone.keyboard.press("Tab")
    phone.keyboard.press("Escape")  # closes and gives the focus back to the button
    assert toggle.get_attribute("aria-expanded") == "false"
    assert phone.evaluate("document.activeElement.classList.contains('menu-toggle')")
    phone.get_by_role("button", name="Меню").click()
    phone.get_by_role("link", name="Регионы").click()
    phone.wait_for_url("**/regions")


def test_menu_is_inline_on_a_desktop(page):
    page.goto("/")
    assert not page.locator(".menu-toggle").is_visible()
    assert page.get_by_role("link", name="Тиражирование").is_visible()


def test_home_chart_fits_the_phone(phone, screenshots):
    phone.goto("/")
    chart = phone.locator("figure.chart").first
    chart.scroll_into_view_if_needed()
    chart.screenshot(path=screenshots / "phone-home-chart.png")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # every value is inside the screen, whole (the largest bar's «26» never shows as «2»)
    overflowing = phone.evaluate("""() => [...document.querySelectorAll('figure.chart .hbar-value')]
        .filter(v => { const r = v.getBoundingClientRect(); return r.right > window.innerWidth || v.scrollWidth > v.clientWidth + 1; })
        .map(v => v.textContent)""")
    assert overflowing == []


def test_tile_map_has_a_hint_and_opens_by_keyboard(phone, live_app, screenshots):
    phone.goto("/duplicates")
    if phone.locator("figure.tilemap").count() == 0:
        pytest.skip(f"no map without the engine: {live_app.engine_note}")
    hint = phone.locator(".scroll-hint")
    assert hint.is_visible() and "прокрутите" in hint.inner_text()
    box = phone.locator(".tilemap-scroll")
    assert phone.evaluate("b => b.scrollWidth > b.clientWidth", box.element_handle())
    phone.locator("#map-h").scroll_into_view_if_needed()
    phone.screenshot(path=screenshots / "phone-duplicates-map.png")
    tile = phone.locator("figure.tilemap svg a[href$='/regions/RU-TA']")
    tile.focus()
    assert phone.evaluate("document.activeElement.getAttribute('href')").endswith("/regions/RU-TA")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/regions/RU-TA")
