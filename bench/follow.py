"""How long from a curator's approve to the record being found by search and recommend,
without `practicebank index` (issue 13: indexes follow the catalog by themselves).

    python bench/follow.py --shipped                 # the shipped catalog
    python bench/follow.py --synthetic 1500          # a synthetic catalog of 1,500 systems
    python bench/follow.py --synthetic 1500 --home H # reuse a home already seeded and indexed

For each of ``--rounds`` rounds: an editor's draft is submitted, a curator approves it, and the
clock starts at the commit; a serving ``Services`` (background mode, checking the revision every
``--interval`` seconds, as ``practicebank serve`` does) is asked to search for the draft's title
every 50 ms until it is found; then recommend is asked. Then the record is archived and the time
until search stops finding it is measured (the read-time filter: expected ~0).
Prints one JSON document (written to ``--out`` too).
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shipped", action="store_true")
    parser.add_argument("--synthetic", type=int, default=0)
    parser.add_argument("--home", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    from practicebank.catalog import accounts, workflow
    from practicebank.catalog.accounts import Principal
    from practicebank.catalog.seeding import init_database
    from practicebank.web.services import Services

    home = args.home or Path(tempfile.mkdtemp(prefix="pb-follow-"))
    services = Services.from_env(home)
    init_database(services.db)
    started = time.perf_counter()
    if services.stats()["projects"] == 0:
        services.seed_synthetic(args.synthetic, 7) if args.synthetic else services.seed_shipped()
    if not services.index_status()["built"] or services.index_status()["stale"]:
        services.build_index()
    setup = time.perf_counter() - started
    services.refresh_mode, services.refresh_seconds = "background", args.interval
    engine = services.engine()
    records = len(engine.ids_)
    region = next(iter(engine.records_.values())).region
    editor = Principal(900, "bench-editor", "regional_editor", region)
    curator = Principal(901, "bench-curator", "federal_curator", None)
    with services.db.write() as session:
        for login, role, reg in (("bench-editor", "regional_editor", region), ("bench-curator", "federal_curator", None)):
            if accounts.get_user(session, login) is None:
                accounts.create_user(session, login, "bench password 123", role, reg)

    rounds = []
    for n in range(args.rounds):
        word = f"zorblax{int(time.time() * 1000) % 10_000_000}x{n}"
        pid = f"bench-follow-{word}"
        record = {"id": pid, "title": f"Kindergarten {word} enrolment", "region": region,
                  "industries": ["education"], "status": "in_operation", "start_year": 2020,
                  "features": [f"online {word} application", "queue position tracking"]}
        with services.db.write() as session:
            workflow.save_draft(session, editor, record, create=True)
            workflow.transition(session, editor, pid, "submit")
        services.search(word)  # a reader's request: the submit is noticed, nothing to show yet
        services.wait_for_refresh()
        with services.db.write() as session:
            workflow.transition(session, curator, pid, "approve")
        t0 = time.perf_counter()
        while not any(r["id"] == pid for r in services.search(word).results):
            time.sleep(0.05)
        found = time.perf_counter() - t0
        recommended = any(r.id == pid for r in services.recommend(
            {"title": record["title"], "features": record["features"], "industries": ["education"]}, k=10).results)
        refresh = dict(services.last_refresh or {})
        services.wait_for_refresh()
        with services.db.write() as session:
            workflow.transition(session, curator, pid, "archive")
        t1 = time.perf_counter()
        while any(r["id"] == pid for r in services.search(word).results):
            time.sleep(0.01)
        withdrawn = time.perf_counter() - t1
        services.wait_for_refresh()
        rounds.append({"approve_to_search_s": round(found, 2), "in_recommend": recommended,
                       "archive_to_gone_s": round(withdrawn, 3), "refresh": refresh,
                       "after_archive_refresh": dict(services.last_refresh or {})})
    result = {"records": records, "interval_s": args.interval, "setup_s": round(setup, 1),
              "approve_to_search_p50_s": statistics.median(r["approve_to_search_s"] for r in rounds),
              "approve_to_search_max_s": max(r["approve_to_search_s"] for r in rounds),
              "rounds": rounds}
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
