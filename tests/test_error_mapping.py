"""One error mapping: a domain refusal raised anywhere under a view carries its status, and the
one handler answers it in the API's JSON error shape under /api/ and as a page in the page's
language elsewhere, with the same status; the CLI has the same status, text and shape."""
from __future__ import annotations

from html import unescape

import pytest
from flask import Blueprint

from practicebank.catalog import workflow
from practicebank.catalog.files import RecordError
from practicebank.catalog.importer import ImportRejected
from practicebank.errors import IndexNotBuilt, NotFound, Refusal, UnknownIds, gettext_noop
from practicebank.web.auth import public
from tests.helpers import PASSWORD, guarded_catalog, web_app

# what each route raises: a workflow refusal with parameters, the index missing, ids unknown
RAISED = {
    "transition": lambda: workflow.InvalidTransition(gettext_noop("cannot %(action)s a record that is %(state)s"),
                                                     action="approve", state="draft"),
    "index": lambda: IndexNotBuilt(),
    "ids": lambda: UnknownIds(["nope", "gone"]),
}


@pytest.fixture
def app(tmp_path):
    app = web_app(guarded_catalog(tmp_path))
    raising = Blueprint("raising", __name__)

    @raising.get("/api/v1/raise/<kind>")
    @raising.get("/raise/<kind>")
    @public
    def raise_it(kind: str):
        raise RAISED[kind]()

    app.register_blueprint(raising)
    return app


def _api(app, kind: str):
    response = app.test_client().get(f"/api/v1/raise/{kind}")
    return response.status_code, response.get_json()


def _page(app, kind: str, lang: str = "ru"):
    response = app.test_client().get(f"/raise/{kind}?lang={lang}")
    return response.status_code, unescape(response.get_data(as_text=True))


def test_a_domain_refusal_is_the_json_shape_under_the_api_and_a_russian_page_elsewhere(app):
    status, body = _api(app, "transition")
    assert status == 409
    assert body == {"ok": False, "error": "cannot approve a record that is draft", "errors": [], "status": 409}
    status, page = _page(app, "transition")
    assert status == 409
    assert "Действие «Одобрить» недоступно для записи в состоянии «Черновик»" in page
    assert "cannot approve" not in page


def test_index_not_built_is_503_both_ways(app):
    status, body = _api(app, "index")
    assert status == 503 and body["status"] == 503 and body["ok"] is False
    assert "practicebank index" in body["error"]
    status, page = _page(app, "index")
    assert status == 503 and "Результаты подбора пока недоступны: каталог индексируется." in page
    assert "practicebank index" not in page  # a reader is never told how to build it


def test_unknown_ids_are_404_with_the_ids_as_items(app):
    status, body = _api(app, "ids")
    assert status == 404 and body["errors"] == ["nope", "gone"] and "nope, gone" in body["error"]
    status, page = _page(app, "ids")
    assert status == 404 and "Такой страницы или записи нет." in page


def test_a_hidden_record_propagates_as_404_from_real_views(app):
    other = app.test_client()
    other.post("/login", data={"login": "ed-ba", "password": PASSWORD})
    response = other.get("/api/v1/projects/hidden-draft/history")
    assert response.status_code == 404
    assert response.get_json() == {"ok": False, "status": 404, "errors": [],
                                   "error": "hidden-draft: no such record, or not one you may see"}
    assert other.get("/projects/hidden-draft/edit").status_code == 404
    assert other.get("/api/v1/projects/hidden-draft").get_json()["status"] == 404


def test_domain_errors_carry_their_status():
    assert isinstance(workflow.NotFound("x"), NotFound) and workflow.NotFound("x").status == 404
    assert workflow.Forbidden(gettext_noop("no")).status == 403
    assert workflow.InvalidTransition(gettext_noop("no")).status == 409
    assert workflow.RecordInvalid(["title: missing"]).to_dict()["errors"] == ["title: missing"]
    from practicebank.catalog.backup import BackupError, CatalogNotEmpty
    from practicebank.catalog.files import FileError
    from practicebank.catalog.portfolio import PortfolioError
    from practicebank.matcher.store import StoreError
    from practicebank.web.desk import UnknownFamily

    assert isinstance(FileError("bad"), ValueError) and FileError("bad").status == 400
    assert (BackupError("x").status, CatalogNotEmpty("x").status) == (400, 409)
    assert PortfolioError("too_big", "larger than %(limit)s MB", limit=20).to_dict()["error"] == "larger than 20 MB"
    assert isinstance(StoreError("corrupt"), IndexNotBuilt) and StoreError("corrupt").status == 503
    assert UnknownFamily("f9").status == 404


def test_a_record_error_is_serialised_one_way_everywhere():
    error = RecordError(2, "title", "field required", "row", "missing", {})
    rejected = ImportRejected([error])
    assert isinstance(rejected, Refusal) and str(rejected) == "1 invalid record"
    item = rejected.to_dict()["errors"][0]
    assert item == error.to_dict()
    assert item == {"record": 2, "field": "title", "message": "field required", "unit": "row", "code": "missing",
                    "params": {}, "text": "row 2, title: field required"}
