"""Loading the shipped reference data and catalog into a database."""
from __future__ import annotations

import json

from practicebank.catalog.db import Database
from practicebank.catalog.regions import SEED_DIR, shipped_regions
from practicebank.catalog.store import sync_taxonomy, upsert_regions

PROJECTS_FILE = SEED_DIR / "projects.json"


def init_database(db: Database) -> int:
    """Create or upgrade the schema and load taxonomy and regions; returns the region count."""
    db.upgrade()
    with db.write() as session:
        sync_taxonomy(session)
        return upsert_regions(session, shipped_regions())


def shipped_projects() -> list[dict]:
    data = json.loads(PROJECTS_FILE.read_text(encoding="utf-8"))
    return data["projects"] if isinstance(data, dict) else data
