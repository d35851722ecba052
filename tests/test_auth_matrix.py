"""The authorisation matrix: role × own/other region × record state × action, every cell asserted.

The expectations here are written independently of catalog/workflow.py (from the issue's
words), then checked against its policy (``can``) for every cell, and through the web
endpoints (pages, JSON API, workflow actions) for the cells a browser can reach.
Also: every Flask view carries an explicit permission decision.
"""
from __future__ import annotations

import itertools

import pytest
from sqlalchemy import update

from practicebank.catalog import accounts, workflow
from practicebank.catalog.accounts import ANONYMOUS_PRINCIPAL, Principal
from practicebank.catalog.importer import import_records
from practicebank.catalog.models import Project
from practicebank.catalog.seeding import init_database
from practicebank.web.app import create_app
from practicebank.web.auth import RATE_LIMITS, permission_of, rate_limit_of
from practicebank.web.services import Services

ROLES = ("anonymous", "regional_editor", "federal_curator", "admin")
STATES = ("draft", "submitted", "returned", "approved", "recommended_for_scaling", "federal_standard", "archived")
ACTIONS = ("view", "edit", "submit", "approve", "return", "recommend", "make_standard", "archive")
PUBLIC = {"approved", "recommended_for_scaling", "federal_standard"}
OWN, OTHER = "RU-TA", "RU-BA"
PASSWORD = "correct horse battery"


def expected(role: str, own: bool, state: str, action: str) -> bool:
    """The issue's rules, spelled out cell by cell."""
    editor_own = role == "regional_editor" and own
    curator = role == "federal_curator"
    if action == "view":
        return state in PUBLIC or role in ("federal_curator", "admin") or editor_own
    if action in ("edit", "submit"):
        return editor_own and state in ("draft", "returned")
    if action in ("approve", "return"):
        return curator and state == "submitted"
    if action == "recommend":
        return curator and state == "approved"
    if action == "make_standard":
        return curator and state == "recommended_for_scaling"
    if action == "archive":
        return curator and state != "archived"
    raise AssertionError(action)


def principal(role: str) -> Principal:
    if role == "anonymous":
        return ANONYMOUS_PRINCIPAL
    return Principal(1, role, role, OWN if role == "regional_editor" else None)


CELLS = list(itertools.product(ROLES, (True, False), STATES, ACTIONS))
CREATE_CELLS = list(itertools.product(ROLES, (True, False)))


def test_matrix_size():
    # 4 roles x 2 regions x 7 states x 8 actions, plus "create" per role x region
    assert len(CELLS) == 448 and len(CREATE_CELLS) == 8
    assert set(workflow.RECORD_ACTIONS) == set(ACTIONS) and set(workflow.STATES) == set(STATES)
    print(f"authorisation matrix: {len(CELLS) + len(CREATE_CELLS)} policy cells")


@pytest.mark.parametrize("role,own,state,action", CELLS)
def test_policy_cell(role, own, state, action):
    region = OWN if own else OTHER
    assert workflow.can(principal(role), action, state, region) is expected(role, own, state, action)


@pytest.mark.parametrize("role,own", CREATE_CELLS)
def test_policy_create_cell(role, own):
    assert workflow.can_create(principal(role), OWN if own else OTHER) is (role == "regional_editor" and own)


def test_disabled_user_may_do_nothing():
    ghost = Principal(9, "ghost", "federal_curator", None, active=False)
    assert not any(workflow.can(ghost, a, s, OWN) for s in STATES for a in ACTIONS if a != "view" or s not in PUBLIC)


# ------------------------------------------------------------------------------ through the web
def record(pid: str, region: str) -> dict:
    return {"id": pid, "title": f"Record {pid}", "region": region, "industries": ["education"],
            "features": ["online enrolment"]}


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    home = tmp_path_factory.mktemp("matrix-home")
    services = Services.from_env(home)
    init_database(services.db)
    import_records(services.db, [record("own-rec", OWN), record("other-rec", OTHER)])
    with services.db.write() as s:
        accounts.create_user(s, "regional_editor", PASSWORD, "regional_editor", OWN)
        accounts.create_user(s, "federal_curator", PASSWORD, "federal_curator")
        accounts.create_user(s, "admin", PASSWORD, "admin")
    app = create_app({"SERVICES": services, "TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "t"})
    clients = {}
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            response = client.post("/login", data={"login": role, "password": PASSWORD})
            assert response.status_code == 302, response.data[:300]
        clients[role] = client
    return services, clients


def set_state(services, pid: str, state: str) -> None:
    with services.db.write() as s:
        s.execute(update(Project).where(Project.id == pid).values(curation_state=state))


def get_state(services, pid: str) -> str:
    with services.db.read() as s:
        return s.get(Project, pid).curation_state


WEB_VIEW_CELLS = list(itertools.product(ROLES, (True, False), STATES))
TRANSITIONS = ("submit", "approve", "return", "recommend", "make_standard", "archive")
WEB_TRANSITION_CELLS = list(itertools.product(ROLES, (True, False), STATES, TRANSITIONS))


@pytest.mark.parametrize("role,own,state", WEB_VIEW_CELLS)
def test_web_view_cell(web, role, own, state):
    services, clients = web
    pid = "own-rec" if own else "other-rec"
    set_state(services, pid, state)
    allowed = expected(role, own, state, "view")
    page = clients[role].get(f"/projects/{pid}")
    api = clients[role].get(f"/api/v1/projects/{pid}")
    history = clients[role].get(f"/api/v1/projects/{pid}/history")
    for response in (page, api, history):
        assert response.status_code == (200 if allowed else 404), (role, own, state, response.status_code)
    edit = clients[role].get(f"/projects/{pid}/edit")
    if expected(role, own, state, "edit"):
        assert edit.status_code == 200
    elif role == "anonymous":
        assert edit.status_code == 302 and "/login" in edit.headers["Location"]
    else:
        assert edit.status_code in (403, 404)
        if not allowed:
            assert edit.status_code == 404  # hidden records are never 403


@pytest.mark.parametrize("role,own,state,action", WEB_TRANSITION_CELLS)
def test_web_transition_cell(web, role, own, state, action):
    services, clients = web
    pid = "own-rec" if own else "other-rec"
    set_state(services, pid, state)
    response = clients[role].post(f"/projects/{pid}/workflow/{action}", data={"comment": "needs indicators"})
    after = get_state(services, pid)
    if expected(role, own, state, action):
        assert response.status_code == 302 and after != state, (role, own, state, action)
    else:
        assert after == state, (role, own, state, action)
        if role == "anonymous":
            assert response.status_code == 302 and "/login" in response.headers["Location"]
        elif not expected(role, own, state, "view"):
            assert response.status_code == 404
        else:
            assert response.status_code in (302, 403)  # 302: shown as "not possible now" on the passport


def test_web_matrix_size():
    total = len(WEB_VIEW_CELLS) + len(WEB_TRANSITION_CELLS)
    assert total == 56 + 336
    print(f"authorisation matrix through the web: {total} cells ({len(WEB_VIEW_CELLS)} x 4 reads, "
          f"{len(WEB_TRANSITION_CELLS)} transitions)")


# --------------------------------------------------------------------- every view decides
# Pages and read APIs anyone may use (what they show is still filtered by each record's state).
PUBLIC_VIEWS = {
    "static", "account.login", "account.logout",
    "home.index", "search.index", "search.export", "projects.passport", "planning.plan", "planning.shared_plan",
    "planning.plan_report", "planning.check_plan", "planning.check_plan_result", "planning.check_plan_step",
    "planning.check_plan_download", "planning.check_plan_template", "compare.index", "duplicates.index",
    "duplicates.family", "duplicates.family_export", "regions.index", "regions.region", "scale.index",
    "scale.export", "docs.api_docs",
    "api.projects", "api.project", "api.regions", "api.vocabularies", "api.stats", "api.search",
    "api.recommend", "api.check_plan", "api.compare", "api.similar", "api.duplicates",
    "api.scale_candidates", "api.openapi_json", "workflow_api.api_history",
}
# Every path that runs the matching engine, whole portfolios, sign-in attempts and the token writes
# count per client address (tests/test_hardening_limits.py and test_security.py hit the limits).
RATE_LIMITED_VIEWS = {
    **dict.fromkeys(("api.recommend", "api.compare", "compare.index", "api.similar", "api.search", "search.index",
                     "search.export", "planning.plan", "planning.shared_plan", "planning.plan_report",
                     "planning.check_plan_step", "planning.check_plan_result"), "engine"),
    "api.check_plan": "check_plan", "planning.check_plan": "check_plan", "account.login": "login",
    **dict.fromkeys(("workflow_api.api_create", "workflow_api.api_edit", "workflow_api.api_transition",
                     "workflow_api.api_request_replication", "workflow_api.api_advance_replication"), "write"),
}

def test_every_view_has_an_explicit_permission_decision(web):
    services, clients = web
    app = clients["anonymous"].application
    undecided = sorted(r.endpoint for r in app.url_map.iter_rules() if permission_of(app, r.endpoint) is None)
    assert undecided == [], f"views without a permission decision: {undecided}"
    # the decisions sit on the views: which are open to everyone is pinned here, so a view made
    # public by mistake (or a public one lost in a rename) fails loudly
    public = {endpoint for endpoint in app.view_functions if permission_of(app, endpoint) == "public"}
    assert public == PUBLIC_VIEWS, (sorted(public - PUBLIC_VIEWS), sorted(PUBLIC_VIEWS - public))
    # non-public views are wrapped by the decorators, never in the allow-list
    for endpoint in app.view_functions:
        if endpoint.startswith(("account.", "workflow.", "workflow_api.")) and endpoint not in (
                "account.login", "account.logout", "workflow_api.api_history"):
            assert permission_of(app, endpoint).startswith(("login:", "token:")), endpoint


def test_rate_limits_are_declared_on_the_views(web):
    services, clients = web
    app = clients["anonymous"].application
    limited = {endpoint: rate_limit_of(app, endpoint) for endpoint in app.view_functions
               if rate_limit_of(app, endpoint) is not None}
    assert limited == RATE_LIMITED_VIEWS
    assert set(limited.values()) == set(RATE_LIMITS)  # every named limit is used


def test_undecided_view_is_refused(web, caplog):
    from flask import Flask

    services, _ = web
    app = create_app({"SERVICES": services, "TESTING": True, "SECRET_KEY": "t"})

    @app.get("/forgotten")
    def forgotten():
        return "secret"

    assert isinstance(app, Flask)
    with caplog.at_level("ERROR", logger="practicebank.security"):
        assert app.test_client().get("/forgotten").status_code == 404
    assert "no permission decision" in caplog.text
