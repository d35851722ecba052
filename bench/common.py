"""Shared helpers of the benchmarks: bench data as ProjectRecords, ranking metrics, output."""
from __future__ import annotations

import json
import math
import os
import platform
import time
from pathlib import Path
from typing import Iterable, Sequence

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from practicebank.matcher.records import ProjectRecord  # noqa: E402

BENCH_DATA = Path(os.environ.get("PRACTICEBANK_BENCH_DATA",
                                 Path(__file__).resolve().parents[2] / "shared" / "bench-data"))
RESULTS = Path(__file__).resolve().parent / "results"
DATASETS = ("dpg", "publiccode")


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def to_record(raw: dict) -> ProjectRecord:
    """Bench ``text`` is title, description, then (publiccode) the features joined by '; '.
    Features become the record's function list; the rest stays as the description."""
    title, _, rest = raw["text"].partition("\n")
    features = tuple(f for f in raw.get("features") or () if f and f.strip())
    joined = "; ".join(features)
    if features and rest.rstrip().endswith(joined):
        rest = rest.rstrip()[: -len(joined)].rstrip()
    return ProjectRecord(id=raw["id"], title=title, description=rest, features=features)


def raw_records(name: str) -> list[dict]:
    return read_jsonl(BENCH_DATA / name / f"{name}_records.jsonl")


def load_dataset(name: str) -> tuple[list[ProjectRecord], list[dict]]:
    """Records and queries (``query_record`` -> ``relevant`` ids) of one bench set."""
    records = [to_record(r) for r in raw_records(name)]
    return records, read_jsonl(BENCH_DATA / name / f"{name}_queries.jsonl")


def ranking_metrics(ranked: Sequence[Sequence[str]], relevant: Sequence[Iterable[str]]) -> dict:
    """recall@1/5/10 (share of the relevant ids found), MRR and binary nDCG@10, averaged."""
    sums = {"recall@1": 0.0, "recall@5": 0.0, "recall@10": 0.0, "mrr": 0.0, "ndcg@10": 0.0}
    for ids, rel in zip(ranked, relevant):
        rel = set(rel)
        for k in (1, 5, 10):
            sums[f"recall@{k}"] += len(rel & set(ids[:k])) / len(rel)
        first = next((i for i, x in enumerate(ids) if x in rel), None)
        sums["mrr"] += 0.0 if first is None else 1.0 / (first + 1)
        dcg = sum(1.0 / math.log2(i + 2) for i, x in enumerate(ids[:10]) if x in rel)
        ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(rel), 10)))
        sums["ndcg@10"] += dcg / ideal
    n = max(len(ranked), 1)
    return {k: round(v / n, 4) for k, v in sums.items()}


def machine() -> dict:
    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "processor": platform.processor() or platform.machine(),
            "date": time.strftime("%Y-%m-%d")}


def write_result(name: str, payload: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **payload}, indent=2, ensure_ascii=False) + "\n")
    return path


def synthetic_catalog(n: int, seed: int = 7, language: str = "en") -> tuple[list[ProjectRecord], list[dict]]:
    """``n`` records of catalog.synthetic over the shipped regions, with their truth rows,
    written in ``language`` ("en", "ru" or "mixed"). (bench/ may use catalog/; matcher/ may not.)"""
    from dataclasses import replace

    from practicebank.catalog.regions import shipped_regions
    from practicebank.catalog.synthetic import generate

    regions = shipped_regions()
    by_code = {r["code"]: r for r in regions}
    catalog = generate(n, seed, regions, language=language)
    records = []
    for raw in catalog.records:
        region = by_code.get(raw["region"], {})
        rec = ProjectRecord.from_dict(raw, region_group=region.get("group"))
        records.append(replace(rec, extra={"federal_district": region.get("federal_district")}))
    return records, catalog.truth


def synthetic_queries(truth: list[dict], limit: int = 150, seed: int = 3) -> list[dict]:
    """Variant records as queries; relevant: the other variants of the same system type."""
    import random

    by_type: dict[str, list[str]] = {}
    for t in truth:
        if t["kind"] == "variant":
            by_type.setdefault(t["type"], []).append(t["id"])
    queries = [{"query_record": i, "relevant": [j for j in ids if j != i]}
               for ids in by_type.values() for i in ids if len(ids) > 1]
    random.Random(seed).shuffle(queries)
    return queries[:limit]


def indexed_home(home: Path, size: int, *, shipped: bool = False) -> Path:
    """A fresh home at ``home`` (cached benches live under ``RESULTS / "tmp"``): the shipped catalog
    if ``shipped``, ``size`` synthetic projects, and an index whose embeddings are cached beside it."""
    import shutil

    from practicebank.web.services import Services

    if home.exists():
        shutil.rmtree(home)
    services = Services.from_env(home)
    services.ensure_database()
    if shipped:
        services.seed_shipped()
    if size:
        services.seed_synthetic(size, seed=7)
    cached = home.parent / "embeddings.npz"
    services.index_dir.mkdir(parents=True, exist_ok=True)
    if cached.exists():
        shutil.copy(cached, services.embedding_cache)
    started = time.perf_counter()
    services.build_index()
    print(f"indexed {len(services.records()) if shipped else size} projects in {time.perf_counter() - started:.1f} s")
    shutil.copy(services.embedding_cache, cached)
    return home


def bench_app(home: Path, **config):
    """``Services`` over ``home`` and the Flask app in testing mode over it (CSRF off)."""
    from practicebank.web.app import create_app
    from practicebank.web.services import Services

    services = Services.from_env(home)
    return services, create_app({"SERVICES": services, "TESTING": True, "WTF_CSRF_ENABLED": False, **config})


def appendix_header(sheet, title: str, caption: str = "Приложение № 2 к Стратегии цифровой трансформации") -> None:
    """The top of a strategy appendix as a ministry writes it: ``caption`` and «ПРОЕКТ» above,
    ``title`` merged over the table, a two-level header (row 6, «Финансовое обеспечение» merged
    over two sub-columns in row 7) and the row of column numbers «1 2 3 …» (row 8)."""
    sheet["H1"] = caption
    sheet["H2"] = "ПРОЕКТ"
    sheet["A4"] = title
    sheet.merge_cells("A4:I4")
    for column, name in zip("ABCDE", ("№ п/п", "Наименование проекта", "Отрасль", "Описание / основные функции",
                                       "Срок реализации")):
        sheet[f"{column}6"] = name
        sheet.merge_cells(f"{column}6:{column}7")
    sheet["F6"] = "Финансовое обеспечение"
    sheet.merge_cells("F6:G6")
    sheet["F7"], sheet["G7"] = "Источник", "Объём, тыс. руб."
    for column, name in zip("HI", ("Ответственный исполнитель", "Статус")):
        sheet[f"{column}6"] = name
        sheet.merge_cells(f"{column}6:{column}7")
    for i in range(9):
        sheet.cell(8, i + 1, i + 1)
