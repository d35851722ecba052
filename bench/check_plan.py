"""Checking a ministry's draft portfolio of 60 projects (issue 12: answered in ≤ 3 s).

    python -m bench.check_plan [--size 1000] [--rows 60] [--repeat 3]

Builds a home with ``practicebank seed`` plus ``seed --synthetic N`` and an index (embeddings
cached in ``bench/results/tmp``), writes a 60-row strategy appendix in Russian the way a
ministry does (title and «ПРОЕКТ» above the table, a merged two-level header, the row of column
numbers, industries merged down, «Итого», footnotes), then times, after a warm-up with another
file:

- ``baseline: one recommend per row``: the same 60 planned projects sent one by one through
  ``Services.recommend`` (what a portfolio costs without the portfolio path);
- ``read the file``: ``catalog.portfolio.read_portfolio`` alone;
- ``POST /check-plan (one go)``: the page without JavaScript: read, check, render the report;
- ``POST /check-plan + steps``: the page with JavaScript: read and show the row count, then the
  report in steps of 20 behind the progress bar, then the result page;
- ``POST /api/v1/check-plan?format=xlsx``: the API with the XLSX report.

Each figure is the median of ``--repeat`` runs with fresh texts (the engine remembers nothing
between them: every run's project names carry the run number). Writes
``bench/results/check_plan.json``.
"""
from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import time
from pathlib import Path

from bench.common import RESULTS, appendix_header, bench_app, indexed_home, machine, write_result

CACHE = RESULTS / "tmp"
TARGET_SECONDS = 3.0

# (industry, [(title, functions)]) — the kind of projects regional strategies list
GROUPS = [
    ("Здравоохранение", [
        ("Электронная регистратура", "запись к врачу через портал; электронная очередь; напоминания пациентам"),
        ("Телемедицинские консультации", "1) видеоконсультации врачей 2) хранение протоколов 3) дистанционный мониторинг"),
        ("Единый цифровой контур здравоохранения", "– электронная медицинская карта\n– обмен результатами анализов\n– учёт льготных лекарств"),
        ("Система управления скорой помощью", "приём вызовов; навигация бригад; учёт времени доезда"),
    ]),
    ("Образование", [
        ("Электронный детский сад", "онлайн-запись в детский сад; отслеживание очереди; уведомления родителям"),
        ("Электронный дневник", "оценки и домашние задания; расписание уроков; сообщения учителю"),
        ("Навигатор дополнительного образования", "каталог кружков; запись на занятия; сертификаты дополнительного образования"),
    ]),
    ("Транспорт и логистика", [
        ("Интеллектуальная транспортная система", "адаптивные светофоры; мониторинг транспортного потока; табло прибытия"),
        ("Единая транспортная карта", "оплата проезда картой; пополнение онлайн; льготный проезд"),
    ]),
    ("Городская среда и ЖКХ", [
        ("Платформа обращений граждан по ЖКХ", "приём обращений; контроль сроков ответа; карта проблем"),
        ("Учёт показаний приборов", "передача показаний счётчиков; начисления; оплата услуг ЖКХ"),
    ]),
    ("Государственное управление", [
        ("Региональный портал госуслуг", "подача заявлений онлайн; статус заявления; личный кабинет"),
        ("Электронный документооборот", "регистрация документов; согласование; электронная подпись"),
        ("Ситуационный центр губернатора", "мониторинг показателей; инциденты; отчёты для руководства"),
    ]),
    ("Социальная сфера", [
        ("Социальный навигатор", "подбор мер поддержки; заявление на выплату; уведомления о решении"),
    ]),
]


def appendix(rows: int, run: int) -> bytes:
    """A strategy appendix of ``rows`` projects; ``run`` makes every title and function new."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    appendix_header(sheet, "Перечень проектов цифровой трансформации Рязанской области на 2024–2026 годы")
    flat = [(industry, title, functions) for industry, projects in GROUPS for title, functions in projects]
    r, n = 9, 0
    while n < rows:
        industry, title, functions = flat[n % len(flat)]
        stage = n // len(flat) + 1
        sheet.cell(r, 1, n + 1)
        sheet.cell(r, 2, f"{title} (этап {stage}, вариант {run})")
        sheet.cell(r, 3, industry)
        sheet.cell(r, 4, re.sub(r"([;\n])", rf" ({run}.{n})\1", functions, count=1))
        sheet.cell(r, 5, "2024–2026")
        sheet.cell(r, 6, "ОБ" if n % 3 else "ФБ, ОБ")
        sheet.cell(r, 7, "–" if n % 7 == 6 else f"{(n + 1) * 1250:,.1f}".replace(",", "\u00a0").replace(".", ","))
        sheet.cell(r, 8, "Министерство цифрового развития")
        sheet.cell(r, 9, ("планируется", "в разработке", "реализуется")[n % 3])
        r, n = r + 1, n + 1
    sheet.cell(r, 1, "Итого")
    sheet.cell(r + 2, 1, "* ФБ – федеральный бюджет, ОБ – областной бюджет")
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def build_home(size: int) -> Path:
    return indexed_home(CACHE / f"check-plan-{size}", size, shipped=True)


def timed(function) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all threads of the process): on a shared, loaded machine the
    CPU time says what the work costs, the wall time what a user waited."""
    started, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="synthetic projects beside the shipped catalog")
    parser.add_argument("--rows", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    home = build_home(args.size)

    from practicebank.catalog.portfolio import read_portfolio
    from practicebank.catalog.regions import find_region_in_text, shipped_resolver

    services, app = bench_app(home, RATELIMIT_ENABLED=False)
    client = app.test_client()

    def post_page(data: bytes, progress: bool):
        response = client.post("/check-plan?lang=ru", data={"file": (io.BytesIO(data), "prilozhenie.xlsx"),
                                                             "progress": "1" if progress else ""},
                               content_type="multipart/form-data")
        assert response.status_code == 200, response.get_data(as_text=True)[:2000]
        return response.get_data(as_text=True)

    def one_go(data: bytes) -> None:
        html = post_page(data, False)
        assert html.count('class="plan-item"') == args.rows, "every project in the report"

    def with_steps(data: bytes) -> None:
        html = post_page(data, True)
        step = re.search(r'data-step="([^"]+)"', html).group(1)
        while True:
            state = client.post(step).get_json()
            if state["complete"]:
                break
        assert client.get(state["url"]).get_data(as_text=True).count('class="plan-item"') == args.rows

    def api_xlsx(data: bytes) -> None:
        response = client.post("/api/v1/check-plan?format=xlsx&lang=ru",
                               data={"file": (io.BytesIO(data), "prilozhenie.xlsx")}, content_type="multipart/form-data")
        assert response.status_code == 200, response.data[:500]

    def read(data: bytes):
        return read_portfolio(data, "xlsx", resolve_region=shipped_resolver(), find_region=find_region_in_text)

    def baseline(data: bytes) -> None:
        for record in read(data).records:
            services.recommend({**record, "budget": None}, k=5)

    one_go(appendix(args.rows, 0))  # warm-up: model, index, templates
    cases = {"baseline: one recommend per row": baseline, "read the file": read,
             "POST /check-plan (one go)": one_go, "POST /check-plan + steps": with_steps,
             "POST /api/v1/check-plan?format=xlsx": api_xlsx}
    results = {}
    run = 1
    for name, case in cases.items():
        samples, cpu = [], []
        for _ in range(args.repeat):
            data = appendix(args.rows, run)
            run += 1
            wall, used = timed(lambda: case(data))
            samples.append(wall)
            cpu.append(used)
        results[name] = {"median_s": round(statistics.median(samples), 3), "runs_s": [round(s, 3) for s in samples],
                         "cpu_median_s": round(statistics.median(cpu), 3)}
        print(f"{name:40s} median {results[name]['median_s']:7.3f} s  cpu {results[name]['cpu_median_s']:7.3f} s  "
              f"runs {results[name]['runs_s']}")
    page = results["POST /check-plan (one go)"]["median_s"]
    base = results["baseline: one recommend per row"]["median_s"]
    write_result("check_plan", {
        "rows": args.rows, "catalog_size": len(services.records()), "repeat": args.repeat,
        "target_seconds": TARGET_SECONDS, "meets_target": page <= TARGET_SECONDS,
        "speedup_over_baseline": round(base / page, 2) if page else None,
        "load_average": os.getloadavg(), "machine": machine(), "results": results,
    })


if __name__ == "__main__":
    main()
