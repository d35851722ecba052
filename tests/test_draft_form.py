"""The draft form (issue 13, deliver 6): every record field, ids from Russian titles, errors in
Russian under their fields, checkboxes, region names, confirmations, comments both ways, the counter."""
from __future__ import annotations

from html import unescape

import pytest

from practicebank.catalog import replication, store
from tests.helpers import login, site_curator, workflow_site


@pytest.fixture
def site(tmp_path):
    return workflow_site(tmp_path)


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


FULL = {"title": "Электронная запись в детские сады", "industries": ["education"],
        "technologies": ["cloud"], "features": "запись в очередь\nуведомления", "status": "in_operation",
        "start_year": "2021", "end_year": "2023", "capex": "12 500,5", "opex_per_year": "1200",
        "funding_regional": "10000", "funding_federal": "2500,5", "owner": "Минобразования",
        "vendor": "ООО «Ромашка»", "contact": "Отдел цифровизации, +7 3522 00-00-00", "based_on": "practice",
        "indicators-0-name": "Доля записей онлайн", "indicators-0-unit": "%", "indicators-0-baseline": "10",
        "indicators-0-target": "90", "indicators-0-target_year": "2024", "indicators-0-actual": "75,5"}


def test_a_draft_from_the_form_feeds_the_record_and_the_passport(site):  # noqa: F811
    services, app = site
    ed = login(app, "ed-ta")
    page = text(ed.get("/projects/new?lang=ru"))
    assert 'type="checkbox"' in page and "<select multiple" not in page
    assert "Татарстан" in page and "RU-TA" not in page.split("<main")[1]
    response = ed.post("/projects/new?lang=ru", data=FULL)
    assert response.status_code == 302, text(response)
    slug = response.headers["Location"].rsplit("/", 1)[-1]
    assert slug == "elektronnaya-zapis-v-detskie-sady"  # the id made from the Russian title
    with services.db.read() as s:
        record = store.project_dict(store.get_project(s, slug))
    assert record["cost"] == {"capex": 12500.5, "opex_per_year": 1200.0}
    assert record["funding"] == {"regional": 10000.0, "federal": 2500.5}
    assert record["status"] == "in_operation" and (record["start_year"], record["end_year"]) == (2021, 2023)
    assert record["owner"] == "Минобразования" and record["vendor"] == "ООО «Ромашка»"
    assert record["contact"] == "Отдел цифровизации, +7 3522 00-00-00"  # whom a region asks about reuse
    assert record["based_on"] == ["practice"] and record["technologies"] == ["cloud"]
    assert record["indicators"] == [{"name": "Доля записей онлайн", "unit": "%", "baseline": 10.0, "target": 90.0,
                                     "target_year": 2024, "actual": 75.5}]
    passport = text(ed.get(f"/projects/{slug}?lang=ru"))
    assert "12,5 млн ₽" in passport.replace("\u00a0", " ")  # capex on the passport
    assert "Контакт по вопросам переиспользования" in passport and "Отдел цифровизации" in passport
    assert "Источники финансирования" in passport or "финансирован" in passport.lower()
    # the same title again: a unique id
    again = ed.post("/projects/new?lang=ru", data={"title": FULL["title"], "industries": "education"})
    assert again.headers["Location"].endswith("/elektronnaya-zapis-v-detskie-sady-2")
    # editing shows the stored values back
    form = text(ed.get(f"/projects/{slug}/edit?lang=ru"))
    assert 'value="12500.5"' in form and 'value="Доля записей онлайн"' in form


def test_invalid_values_are_shown_under_their_fields_in_russian(site):  # noqa: F811
    _services, app = site
    ed = login(app, "ed-ta")
    response = ed.post("/projects/new?lang=ru", data={
        "title": "Запись", "industries": "education", "capex": "много", "start_year": "2022",
        "end_year": "2020", "indicators-0-unit": "шт"})
    assert response.status_code == 400
    page = text(response)
    assert "нужно число (указано «много»)" in page  # capex, under its field
    assert "2020" in page and "2022" in page  # end before start
    assert "float_parsing" not in page and "must be" not in page
    assert page.count("обязательное поле: заполните его") == 1  # the indicator row without a name


def test_return_comment_and_request_reason_are_seen_by_the_other_side(site):  # noqa: F811
    services, app = site
    ed, cur, ba = login(app, "ed-ta"), login(app, "cur"), login(app, "ed-ba")
    assert ed.post("/projects/new?lang=ru", data={"id": "kg", "title": "Сады", "industries": "education"}
                   ).status_code == 302
    ed.post("/projects/kg/workflow/submit")
    assert "Ожидают вас: 1" in text(cur.get("/workspace?lang=ru"))  # the curator's counter
    cur.post("/projects/kg/workflow/return", data={"comment": "Добавьте показатели"})
    assert "Добавьте показатели" in text(ed.get("/projects/kg/edit?lang=ru"))
    workspace = text(ed.get("/workspace?lang=ru"))
    assert "Добавьте показатели" in workspace and "Ожидают вас: 1" in workspace
    assert 'title="Ожидают вас">1</span>' in workspace  # the header's counter
    assert "Возвращено куратором с замечаниями: Добавьте показатели" in \
        " ".join(text(ed.get("/projects/kg?lang=ru")).replace("<strong>", "").replace("</strong>", "").split())
    assert "Татарстан" in workspace
    # a reuse request's reason reaches the curator before approving
    assert ba.post("/projects/practice/replicate", data={"comment": "Нужна для наших школ"}).status_code == 302
    page = text(cur.get("/workspace?lang=ru"))
    assert "Нужна для наших школ" in page
    assert 'data-confirm="' in page  # «Отклонить» asks first
    with services.db.read() as s:
        assert replication.requests_for(s, site_curator())[0]["comment"] == "Нужна для наших школ"


def test_destructive_actions_ask_first(site):  # noqa: F811
    _services, app = site
    cur, root = login(app, "cur"), login(app, "root")
    assert 'data-confirm="Перенести запись в архив?' in text(cur.get("/projects/practice?lang=ru"))
    root.post("/admin/users/ed-ta/tokens", data={"name": "ci"})
    page = text(root.get("/admin/users?lang=ru"))
    assert 'data-confirm="Отключить учётную запись ed-ta?' in page
    assert 'data-confirm="Отозвать этот API-токен?' in page
    script = app.test_client().get("/static/js/app.js").get_data(as_text=True)
    assert "data-confirm" in script and "confirm(" in script


def test_every_problem_of_the_form_shows_at_once(site):  # noqa: F811
    _services, app = site
    ed = login(app, "ed-ta")
    page = text(ed.post("/projects/new?lang=ru", data={"title": "Тест", "id": "Привет", "based_on": "Плохой"}))
    assert "Отметьте хотя бы одну." in page  # no industry checked
    assert "(указано «Привет»)" in page and "(указано «Плохой»)" in page  # the record's own checks too
