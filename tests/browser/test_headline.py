"""The duplicates headline in a real browser: the spend on copies is on the page, in Russian.

The headline once read a field the engine never sent, so "spent on copies" was never shown
while every test passed (issue 15). Here a small catalog of one system built three times, each
with a recorded capex, runs behind its own live server, and the figure on the page is compared
with the engine's headline.
"""
from __future__ import annotations

import re
import threading

import pytest

pytestmark = pytest.mark.browser

FEATURES = ["Электронная запись ребёнка в детский сад", "Очередь в детские сады района",
            "Уведомление родителей о месте в саду", "Обмен данными с ЕПГУ",
            "Отчётность для министерства образования"]
# capex in thousand rubles (the catalog's unit): one system, built three times
BUILT = (("RU-TA", 12_000.0), ("RU-BA", 15_000.0), ("RU-KGN", 9_000.0))


def _record(region: str, capex: float) -> dict:
    return {"id": f"kindergarten-{region.lower()}", "title": "Запись в детские сады", "region": region,
            "industries": ["education"], "status": "in_operation", "features": FEATURES,
            "cost": {"capex": capex}, "language": "ru"}


@pytest.fixture(scope="module")
def twins_app(browser_requirements, tmp_path_factory):
    from werkzeug.serving import make_server

    from practicebank.web.app import create_app
    from tests.helpers import seeded_services

    services = seeded_services(tmp_path_factory.mktemp("twins-home"), [_record(r, c) for r, c in BUILT])
    services.build_index()
    app = create_app({"SERVICES": services, "SECRET_KEY": "browser-tests"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="twins-app", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", services
    server.shutdown()
    thread.join(timeout=5)
    services.db.dispose()


def _million_rubles(text: str) -> float:
    """«24,0 млн ₽» -> 24.0 (the Russian page's decimal comma and thin-space thousands)."""
    match = re.search(r"\d[\d\s\u00a0\u202f]*(?:,\d+)?", text)
    assert match, text
    return float(re.sub(r"[\s\u00a0\u202f]", "", match.group()).replace(",", "."))


@pytest.mark.parametrize("path", ["/", "/duplicates"])
def test_spend_on_copies_is_on_the_page(browser, twins_app, screenshots, path):
    url, services = twins_app
    headline = services.headline()
    assert headline.families == 1 and headline.copies == 2  # the reference is not a copy
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(url + path)
        figure = page.locator('[data-figure="duplicate_capex"]').first
        assert figure.is_visible()
        text = figure.inner_text()
        assert "млн ₽" in text, text
        assert _million_rubles(text) == pytest.approx(headline.duplicate_capex / 1000, abs=0.051)
        # the two copies' capex: whichever system is the reference, its own cost is not counted
        total = sum(c for _, c in BUILT)
        assert any(headline.duplicate_capex == pytest.approx(total - c) for _, c in BUILT)
        name = "home" if path == "/" else path.strip("/")
        page.screenshot(path=str(screenshots / f"headline-{name}-ru.png"), full_page=True)
    finally:
        context.close()
