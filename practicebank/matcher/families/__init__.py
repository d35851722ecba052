"""Families of near-identical systems across regions, their cost and the practice to adopt.

Two systems are near-identical when the functional overlap (``matcher.overlap``) is at least
``threshold`` BOTH ways. Checking every pair is quadratic, so the finder works in three steps,
one module each, with the facts and the answers beside them:

- ``facts``: what a practice has proven (indicators achieved, years in operation, reuse);
- ``geometry``: record vectors (the mean of their statement vectors), the exact kNN graph and
  soft coverage, the embedding-only stand-in for overlap;
- ``candidates``: steps 1 and 2, the neighbours of each record and the cheap screen that keeps
  hopeless pairs from the exact overlap;
- ``finder``: step 3, ``FamilyFinder``, families grown around cores (not connected components),
  so every member is near-identical to the core and unrelated systems never share a family;
- ``reference``: the member to adopt (and why) and what adopting it would have saved;
- ``results`` and ``report``: the typed ``Family`` and the ``duplicates`` document.
"""
from __future__ import annotations

from practicebank.matcher.families.candidates import SCREEN_FALLBACK, SCREEN_MARGIN, SCREEN_SAMPLE
from practicebank.matcher.families.facts import (current_year, indicator_achieved, indicators_achieved,
                                                 reuse_counts, years_in_operation)
from practicebank.matcher.families.finder import FamilyFinder
from practicebank.matcher.families.geometry import knn, record_vectors, soft_coverage, soft_coverage_of_row
from practicebank.matcher.families.reference import (CRITERIA, CRITERIA_CODES, GROUP_RANK, REASON_TEXT,
                                                     choose_reference, describe_reasons,
                                                     family_savings, reason, reason_english, reference_choice,
                                                     reference_key)
from practicebank.matcher.families.results import Family, PairOverlap

__all__ = [
    "CRITERIA", "CRITERIA_CODES", "Family", "FamilyFinder", "GROUP_RANK", "PairOverlap", "REASON_TEXT",
    "SCREEN_FALLBACK", "SCREEN_MARGIN", "SCREEN_SAMPLE", "choose_reference", "current_year",
    "describe_reasons", "family_savings", "indicator_achieved", "indicators_achieved", "knn", "reason",
    "reason_english", "record_vectors", "reference_choice", "reference_key", "reuse_counts", "soft_coverage",
    "soft_coverage_of_row", "years_in_operation",
]
