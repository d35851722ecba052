"""The audit log: every change to the catalog, the workflow and the accounts, with who did it.

Write paths call :func:`record` inside their own transaction, so an entry exists exactly when
the change does. Who acts comes from :func:`acting_as` (the web app sets it per request, the
CLI per command); without one the actor is "system".
"""
from __future__ import annotations

import contextvars
import json
from contextlib import contextmanager
from datetime import datetime
from typing import IO, Any, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from practicebank.catalog.models import AuditEntry

_actor: contextvars.ContextVar[str] = contextvars.ContextVar("practicebank_actor", default="system")


def current_actor() -> str:
    return _actor.get()


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def set_actor(actor: str) -> contextvars.Token:
    return _actor.set(actor)


def reset_actor(token: contextvars.Token) -> None:
    _actor.reset(token)


def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    return json.loads(json.dumps(value, ensure_ascii=False, default=_default))


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def diff(before: Any, after: Any) -> tuple[Any, Any]:
    """Of two objects, only the fields that differ (a field absent on one side is left out there);
    anything else is kept whole. An edit of one field of a large record stores that field only."""
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return before, after
    missing = object()
    changed = [k for k in {**before, **after} if before.get(k, missing) != after.get(k, missing)]
    return ({k: before[k] for k in changed if k in before}, {k: after[k] for k in changed if k in after})


def record(session: Session, action: str, entity_type: str, entity_id: str | None,
           before: Any = None, after: Any = None, actor: str | None = None) -> AuditEntry:
    """One entry; when both sides are objects, only the fields that changed are stored (``diff``)."""
    before, after = diff(_jsonable(before), _jsonable(after))
    entry = AuditEntry(actor=actor or current_actor(), action=action, entity_type=entity_type,
                       entity_id=None if entity_id is None else str(entity_id),
                       before=before, after=after)
    session.add(entry)
    return entry


def entry_dict(entry: AuditEntry) -> dict:
    return {"id": entry.id, "at": entry.at.isoformat() if entry.at else None, "actor": entry.actor,
            "action": entry.action, "entity_type": entry.entity_type, "entity_id": entry.entity_id,
            "before": entry.before, "after": entry.after}


def entries(session: Session, limit: int | None = None, entity_type: str | None = None,
            entity_id: str | None = None, newest_first: bool = False) -> list[dict]:
    query = select(AuditEntry)
    if entity_type:
        query = query.where(AuditEntry.entity_type == entity_type)
    if entity_id:
        query = query.where(AuditEntry.entity_id == entity_id)
    query = query.order_by(AuditEntry.id.desc() if newest_first else AuditEntry.id)
    if limit:
        query = query.limit(limit)
    return [entry_dict(e) for e in session.scalars(query)]


def iter_jsonl(session: Session, batch: int = 500) -> Iterator[str]:
    """The whole log as JSON Lines, oldest first, one line at a time: a batch of rows is read at a
    time (by id, so memory stays flat however long the log and whatever the database)."""
    last = 0
    while True:
        rows = list(session.scalars(select(AuditEntry).where(AuditEntry.id > last)
                                    .order_by(AuditEntry.id).limit(batch)))
        if not rows:
            return
        for entry in rows:
            yield json.dumps(entry_dict(entry), ensure_ascii=False) + "\n"
        last = rows[-1].id
        session.expunge_all()  # the rows written are not kept by the session


def export_jsonl(session: Session, out: IO[str]) -> int:
    """Write the whole log as JSON Lines, oldest first; returns the number of entries."""
    count = 0
    for line in iter_jsonl(session):
        out.write(line)
        count += 1
    return count
