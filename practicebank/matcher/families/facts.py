"""Facts of one practice the families and the scaling board rest on: indicators achieved,
years in operation, times reused. Plain functions of ``ProjectRecord``s."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any, Iterable, Mapping

from practicebank.matcher.records import ProjectRecord


def indicator_achieved(indicator: Mapping[str, Any]) -> bool | None:
    """True/False when the indicator has an actual value and a target; None when unknown.

    A target below the baseline is a reduction target (waiting time): achieved when actual <= target.
    """
    actual, target = indicator.get("actual"), indicator.get("target")
    if actual is None or target is None:
        return None
    baseline = indicator.get("baseline")
    if baseline is not None and target < baseline:
        return actual <= target
    return actual >= target


def indicators_achieved(record: ProjectRecord) -> tuple[int, int]:
    """(achieved, measured): indicators with an actual value, and how many met the target."""
    verdicts = [indicator_achieved(i) for i in record.indicators]
    measured = [v for v in verdicts if v is not None]
    return sum(measured), len(measured)


def current_year() -> int:
    """This year, read when asked (not at import: a server runs across New Year)."""
    return date.today().year


def years_in_operation(record: ProjectRecord, year: int | None = None) -> int:
    """Whole years since the system went into operation (0 unless in operation); ``year``
    defaults to this year."""
    if record.status != "in_operation" or record.start_year is None:
        return 0
    return max(0, (current_year() if year is None else year) - record.start_year)


def reuse_counts(records: Iterable[ProjectRecord]) -> dict[str, int]:
    """Times each record was reused: its own counter, or the catalog's ``based_on`` links."""
    records = list(records)
    linked: dict[str, int] = defaultdict(int)
    for r in records:
        for source in set(r.based_on):
            linked[source] += 1
    return {r.id: max(r.reused_by_count, linked.get(r.id, 0)) for r in records}
