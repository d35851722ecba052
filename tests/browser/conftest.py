"""Real-browser fixtures: the real application on a loopback port, and Debian's chromium.

The suite needs ``/usr/bin/chromium`` (Debian's package; Playwright's own browser download is
never used) and the ``playwright`` and ``axe-playwright-python`` packages. Without them the
tests are skipped with the reason, unless the environment variable ``CI`` is set: in CI a
missing browser is a failure, not a skip.

The server runs the application exactly as in production (CSRF on, real ``Services``) on a
temporary ``PRACTICEBANK_HOME`` holding the shipped catalog plus 40 synthetic records. When
``Services`` can build the matching index the fixture builds it and the engine assertions
run; otherwise the tests check that the pages honestly say the index is not built.
"""
from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from practicebank.errors import IndexNotBuilt

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
SYNTHETIC_COUNT, SYNTHETIC_SEED = 40, 3
# Services methods that build the matching index, in order of preference (none takes arguments).
INDEX_BUILDERS = ("build_index", "build_indexes", "rebuild_index", "reindex")


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@dataclass
class LiveApp:
    url: str
    services: object
    engine_ready: bool
    engine_note: str            # why the engine is (not) available, for skip messages
    synthetic_id: str           # a synthetic record
    real_id: str                # a shipped, real record

    def __call__(self, path: str) -> str:
        return self.url + path


def _build_index(services, embeddings: Path | None) -> str:
    """Build the index if Services can; returns a note on what happened.

    ``embeddings`` (in pytest's cache directory) keeps the text embeddings between runs: the
    catalog is the same every time, and embedding it is most of the fixture's time.
    """
    target = getattr(services, "embedding_cache", None)
    if embeddings is not None and target is not None and embeddings.exists():
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(embeddings, target)
    for name in INDEX_BUILDERS:
        builder = getattr(services, name, None)
        if callable(builder):
            try:
                builder()
            except IndexNotBuilt as error:
                return f"Services.{name}() is not implemented yet ({error})"
            if embeddings is not None and target is not None and Path(target).exists():
                shutil.copyfile(target, embeddings)
            return f"index built with Services.{name}()"
    return "Services has no index builder (" + "/".join(INDEX_BUILDERS) + ")"


def _engine_answers(services) -> bool:
    search = getattr(services, "search", None)
    if not callable(search):
        return False
    try:
        search("kindergarten", {}, 1, 5, "relevance")
    except IndexNotBuilt:
        return False
    return True


@pytest.fixture(scope="session")
def browser_requirements() -> None:
    """Skip (or in CI fail) before any expensive setup when the browser cannot run."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    for module in ("playwright.sync_api", "axe_playwright_python.sync_playwright"):
        try:
            __import__(module)
        except ImportError:
            _unavailable(f"{module.split('.')[0]} is not installed (pip install -e '.[dev]')")


@pytest.fixture(scope="session")
def live_app(browser_requirements, tmp_path_factory, pytestconfig) -> LiveApp:
    from werkzeug.serving import make_server

    from practicebank.catalog.importer import import_records
    from practicebank.catalog.seeding import init_database, shipped_projects
    from practicebank.catalog.synthetic import generate
    from practicebank.web.app import create_app
    from practicebank.web.services import Services

    home = tmp_path_factory.mktemp("browser-home")
    services = Services.from_env(home)
    init_database(services.db)
    shipped = shipped_projects()
    synthetic = generate(SYNTHETIC_COUNT, SYNTHETIC_SEED, services.regions()).records
    outcome = import_records(services.db, shipped + synthetic)
    assert not getattr(outcome, "errors", None), outcome

    cache = getattr(pytestconfig, "cache", None)  # absent with -p no:cacheprovider
    note = _build_index(services, cache.mkdir("browser-embeddings") / "embeddings.npz" if cache else None)
    ready = _engine_answers(services)
    if not ready:
        note += "; the engine does not answer (index not built or engine not wired)"

    app = create_app({"SERVICES": services, "SECRET_KEY": "browser-tests", "PRACTICEBANK_HOME": str(home)})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-app", daemon=True)
    thread.start()
    try:
        yield LiveApp(f"http://127.0.0.1:{server.server_port}", services, ready, note,
                      synthetic_id=synthetic[0]["id"], real_id=shipped[0]["id"])
    finally:
        server.shutdown()
        thread.join(timeout=5)
        services.db.dispose()


@pytest.fixture(scope="session")
def browser(browser_requirements):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_app) -> Callable:
    """A factory for pages in fresh contexts (no cookies, so no remembered language)."""
    contexts = []

    def make(locale: str = "ru-RU", width: int = 1280):
        context = browser.new_context(locale=locale, viewport={"width": width, "height": 900},
                                      base_url=live_app.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A page in a Russian-speaking browser (Accept-Language: ru-RU)."""
    return new_page("ru-RU")


@pytest.fixture(scope="session")
def axe(browser_requirements):
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


SERIOUS = ("serious", "critical")


def serious_violations(axe, page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line per offending node."""
    results = axe.run(page)
    problems = []
    for violation in results.response["violations"]:
        if violation.get("impact") in SERIOUS:
            for node in violation["nodes"]:
                problems.append(f"{page.url}: [{violation['impact']}] {violation['id']}: {violation['help']} "
                                f"at {node['target']} — {node.get('failureSummary', '').splitlines()[-1:]}")
    return problems


@pytest.fixture(scope="session")
def assert_accessible(axe) -> Callable:
    def check(page) -> None:
        problems = serious_violations(axe, page)
        assert not problems, "\n".join(problems)

    return check


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
