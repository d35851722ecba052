"""Shared test data (test modules import this, never each other)."""
from __future__ import annotations

from practicebank.matcher.overlap import Match, OverlapResult
from practicebank.matcher.records import ProjectRecord

R = ProjectRecord

# A small hand-written catalog: HybridRetriever, search and engine tests run on it.
CATALOG = [
    R(id="kg-queue", title="Kindergarten enrolment and queue", region="RU-TA",
      summary="Parents apply online for a place in a municipal kindergarten.",
      features=("online application for a kindergarten place", "queue position tracking",
                "allocation of places to kindergartens"),
      industries=("education",), technologies=("cloud",), status="in_operation", capex=12_000),
    R(id="doctor", title="Doctor appointment booking", region="RU-MOW",
      summary="Patients book an appointment with a polyclinic doctor.",
      features=("online doctor appointment", "electronic medical record access"),
      industries=("healthcare",), technologies=("telemedicine",), status="in_operation"),
    R(id="ru-sad", title="Электронная очередь в детские сады", region="RU-SPE",
      summary="Запись детей в детские сады и учёт очереди.",
      features=("подача заявления в детский сад", "отслеживание места в очереди"),
      industries=("education",), status="in_operation"),
    R(id="bus", title="Public transport tracking", region="RU-NIZ",
      features=("real-time bus positions on a map", "arrival forecasts at stops"),
      industries=("transport",), technologies=("gis_maps", "iot"), status="planned"),
    R(id="school-diary", title="Electronic school diary", region="RU-TA",
      features=("grades and homework online", "messages between teachers and parents"),
      industries=("education",), technologies=("cloud",), status="in_development"),
    R(id="waste", title="Waste collection monitoring", region="RU-SVE",
      features=("fill level sensors in containers", "route planning for garbage trucks"),
      industries=("ecology",), technologies=("iot",), status="in_operation"),
    R(id="grants", title="Agricultural grants portal", region="RU-KDA",
      features=("online application for farm subsidies", "grant decision tracking"),
      industries=("agriculture",), status="in_operation"),
    R(id="museum", title="Virtual museum tours", region="RU-SPE",
      features=("3D tours of museum halls", "online ticket sales"),
      industries=("culture",), technologies=("vr_ar",), status="in_operation"),
    R(id="kg-meals", title="Kindergarten meals payment", region="RU-BA",
      features=("pay for kindergarten meals online", "menu of the day for parents"),
      industries=("education",), status="in_operation"),
    R(id="tele", title="Telemedicine consultations", region="RU-YAR",
      features=("video consultation with a doctor", "remote monitoring of chronic patients"),
      industries=("healthcare",), technologies=("telemedicine",), status="in_operation"),
]


# ----- duplicate families and scaling (tests/test_families.py, tests/test_scaling.py) ----------

FUNCTIONS = [
    "online enrolment of children in kindergartens", "queue position tracking for parents",
    "priority rights of large families", "automatic allocation of vacant places",
    "transfer between kindergartens", "sms alerts about the queue",
    "register of groups and free capacity", "statistical reports for the ministry",
    "verification of birth certificates", "map of kindergartens and catchment areas",
    "electronic diary of pupils", "homework publishing", "lesson timetable",
    "attendance tracking", "messages between teachers and parents", "grade analytics",
    "school meals payment", "library loans of textbooks", "olympiad registration",
    "exam results publication",
]
EXTRAS = ["veterinary inspections of farms", "forest fire monitoring", "museum tickets",
          "parking payments", "bus timetables", "waste collection routes"]


class SetOverlap:
    """overlap(a -> b) = 100 * |features(a) & features(b)| / |features(a)|, with evidence."""

    def __init__(self, encoder):
        self.encoder_ = encoder
        self.calls = 0

    def fit(self, records):
        self.features_ = {r.id: list(r.features) for r in records}
        self.index_ = {r.id: i for i, r in enumerate(records)}
        return self

    def overlap_by_id(self, a: str, b: str) -> float:
        self.calls += 1
        fa, fb = self.features_[a], set(self.features_[b])
        return 100.0 * sum(f in fb for f in fa) / len(fa)

    def result_by_id(self, a: str, b: str) -> OverlapResult:
        fb = set(self.features_[b])
        matched = [Match(f, f, 1.0, 1.0) for f in self.features_[a] if f in fb]
        missing = [f for f in self.features_[a] if f not in fb]
        return OverlapResult(self.overlap_by_id(a, b), matched, missing)


def rec(rid: str, features, region: str, **kw) -> ProjectRecord:
    return ProjectRecord(id=rid, title=rid, features=tuple(features), region=region,
                         industries=("education",), **kw)


# ----- a catalog home and its app (web, federal desk, Russian pages, security tests) -----------

PASSWORD = "correct horse battery"


def seeded_services(home, records, *, drafts=(), users=(), cls=None):
    """``cls`` (default web.services.Services) over a fresh catalog in ``home``: ``records``
    imported, then ``drafts`` as drafts, then ``users`` ((login, role[, region]), all with PASSWORD)."""
    from practicebank.catalog import accounts
    from practicebank.catalog.importer import import_records
    from practicebank.catalog.seeding import init_database
    from practicebank.web.services import Services

    services = (cls or Services).from_env(home)
    init_database(services.db)
    import_records(services.db, records)
    if drafts:
        import_records(services.db, drafts, curation_state="draft")
    if users:
        with services.db.write() as session:
            for login, role, *region in users:
                accounts.create_user(session, login, PASSWORD, role, *region)
    return services


def web_app(services, **config):
    """The Flask app in testing mode over ``services``, CSRF off; ``config`` adds or overrides."""
    from practicebank.web.app import create_app

    return create_app({"SERVICES": services, "TESTING": True, "SECRET_KEY": "t", "WTF_CSRF_ENABLED": False,
                       **config})


def web_record(pid: str, region: str = "RU-TA") -> dict:
    """A minimal importable record (a dict, as the importer and the API take it)."""
    return {"id": pid, "title": f"System {pid}", "region": region, "industries": ["education"]}


def guarded_catalog(home, *more_users):
    """The security tests' catalog: one public record, one draft, editors for RU-TA ("ed") and
    RU-BA ("ed-ba"), a federal curator ("cur"), and ``more_users``."""
    return seeded_services(home, [web_record("public-one")], drafts=[web_record("hidden-draft")],
                           users=[("ed", "regional_editor", "RU-TA"), ("ed-ba", "regional_editor", "RU-BA"),
                                  ("cur", "federal_curator"), *more_users])


# ----- the curation site (tests/test_workflow.py, tests/test_draft_form.py) --------------------

def site_curator():
    """The curator "cur" of ``workflow_site`` as the catalog's functions take an actor."""
    from practicebank.catalog.accounts import Principal

    return Principal(3, "cur", "federal_curator", None)


def workflow_site(home):
    """(services, app) over one public record "practice" (RU-TA) and the users "ed-ta" and
    "ed-ba" (regional editors of RU-TA and RU-BA), "cur" (federal curator) and "root" (admin)."""
    practice = {"id": "practice", "title": "System practice", "region": "RU-TA", "industries": ["education"],
                "features": ["online enrolment", "queue tracking"]}
    services = seeded_services(home, [practice], users=[
        ("ed-ta", "regional_editor", "RU-TA"), ("ed-ba", "regional_editor", "RU-BA"), ("cur", "federal_curator"),
        ("root", "admin")])
    return services, web_app(services)


def login(app, user: str):
    """A test client signed in as ``user`` (every helper user has PASSWORD)."""
    client = app.test_client()
    assert client.post("/login", data={"login": user, "password": PASSWORD}).status_code == 302
    return client


# ----- a ministry's draft portfolio (tests/test_portfolio.py, the check-plan page and journey) ----------

NBSP = "\u00a0"


def strategy_appendix(rows=None, *, title="Перечень проектов цифровой трансформации Рязанской области "
                                           "на 2022–2024 годы") -> bytes:
    """An «Приложение № 2 к Стратегии…» as a ministry sends it (tests/test_portfolio.py reads it)."""
    import io

    import openpyxl

    from bench.common import appendix_header

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Приложение 2"
    # the header: row 6, with «Финансовое обеспечение» merged over two sub-columns in row 7
    appendix_header(sheet, title, "Приложение № 2 к Стратегии в области цифровой трансформации")
    rows = rows if rows is not None else PROJECTS
    r = 9
    for group, projects in rows:
        first = r
        for project in projects:
            for i, value in enumerate(project):
                if i == 2:
                    continue  # the industry is merged down over the group below
                sheet.cell(r, i + 1, value)
            r += 1
        sheet.cell(first, 3, group)
        if r - first > 1:
            sheet.merge_cells(start_row=first, start_column=3, end_row=r - 1, end_column=3)
    sheet.cell(r, 1, "Итого")
    sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
    sheet.cell(r, 7, 99_999)
    sheet.cell(r + 2, 1, "* ФБ – федеральный бюджет, ОБ – областной бюджет")
    sheet.cell(r + 3, 1, "Примечание: объёмы финансирования подлежат уточнению")
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


PROJECTS = [
    ("Здравоохранение", [
        (1, "Электронная регистратура", None,
         "Основные функции:\n– запись к врачу через портал;\n– учёт вакцинации\n– личный кабинет пациента",
         "2022–2024", "ОБ", f"12{NBSP}500,0", "Министерство здравоохранения Рязанской области", "планируется"),
        (2, "Телемедицинские консультации", None, "1) видеоконсультации 2) хранение протоколов 3) запись к врачу",
         "2023–2024 гг.", "ФБ, ОБ", f"ФБ – 15{NBSP}000,0 / ОБ – 1{NBSP}578,9", "Минздрав", "В РАЗРАБОТКЕ"),
    ]),
    ("Образование", [
        (3, "Электронный детский сад", None, "Онлайн-запись в детский сад; отслеживание очереди; уведомления",
         "2023", "ОБ", "–", "Министерство образования", "Реализуется"),
    ]),
]
