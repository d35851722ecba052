"""The matching engine as the application sees it: every index fitted on one catalog snapshot.

``MatchingEngine(...).fit(records)`` builds retrieval, faceted search, functional overlap,
recommendations and duplicate families over the same plain records; ``matcher.store`` saves
it stamped with the catalog revision it was built from.
"""
from __future__ import annotations

import copy
import hashlib
import json
from typing import Any, Mapping, Sequence

from matcher.encoder import Encoder, UsesEncoder
from matcher.families import FamilyFinder
from matcher.memo import memo_of, without_memos
from matcher.overlap import FunctionalOverlap
from matcher.recommend import Recommender
from matcher.records import ProjectRecord
from matcher.retrieval import HybridRetriever
from matcher.scaling import rank_scale_candidates
from matcher.search import SearchIndex

DEFAULT_THRESHOLD = 85.0
# Passports ask for their similar systems on every view; ~15 KB each, so ~60 MB at most.
SIMILAR_MEMO_SIZE = 4096


def fingerprint(record: ProjectRecord) -> str:
    """A hash of everything in a record that the indexes read: a changed hash means stale."""
    content = [record.title, record.summary, record.description, list(record.features), record.region,
               list(record.industries), list(record.technologies), record.status, record.start_year,
               record.capex, record.opex_per_year, record.region_group, list(record.based_on),
               record.reused_by_count, [dict(i) for i in record.indicators], record.curation_state,
               record.synthetic, dict(record.extra)]
    return hashlib.blake2b(json.dumps(content, sort_keys=True, default=str).encode(), digest_size=12).hexdigest()


class MatchingEngine(UsesEncoder):
    def __init__(self, encoder: Encoder | None = None, threshold: float = DEFAULT_THRESHOLD,
                 families: bool = True):
        self.encoder = encoder
        self.threshold = threshold
        self.families = families

    def fit(self, records: Sequence[ProjectRecord]) -> "MatchingEngine":
        records = list(records)
        encoder = self._encoder()
        self.ids_ = [r.id for r in records]
        self.records_ = {r.id: r for r in records}
        self.fingerprints_ = {r.id: fingerprint(r) for r in records}
        self.overlap_ = FunctionalOverlap(encoder).fit(records)
        self.retriever_ = HybridRetriever(encoder).fit(records)
        self.search_ = SearchIndex(encoder).fit(records)
        self.recommender_ = Recommender(self.retriever_, self.overlap_, self.records_)
        self.finders_: dict[float, FamilyFinder] = {}
        if self.families and len(records) > 1:
            self.finder(self.threshold)
        return self

    def __getstate__(self) -> dict:
        return without_memos(super().__getstate__())

    def __setstate__(self, state: dict) -> None:
        # Components pickle without their encoder; after loading they share the process's one.
        self.__dict__.update(state)

    # -- families ---------------------------------------------------------------------------
    def finder(self, threshold: float | None = None) -> FamilyFinder:
        """Duplicate families at a threshold, computed once per threshold and kept."""
        threshold = float(threshold if threshold is not None else self.threshold)
        if threshold not in self.finders_:
            finder = FamilyFinder(self.overlap_, threshold=threshold)
            self.finders_[threshold] = finder.fit(list(self.records_.values()))
        return self.finders_[threshold]

    def duplicates(self, threshold: float | None = None, evidence: bool = False) -> dict[str, Any]:
        return self.finder(threshold).to_json(evidence=evidence)

    def scale_candidates(self, top: int = 20) -> dict[str, Any]:
        board = rank_scale_candidates(list(self.records_.values()), self.finder(), top=top)
        return board.to_json() if hasattr(board, "to_json") else board

    # -- recommendations ------------------------------------------------------------------
    def recommend(self, planned: ProjectRecord | str, k: int = 10, **options: Any) -> dict[str, Any]:
        return self.recommender_.recommend(planned, k=k, **options).to_dict()

    def check_plan(self, planned: Sequence[ProjectRecord], k: int = 5, threshold: float | None = None) -> dict[str, Any]:
        return self.recommender_.check_plan(planned, k=k, threshold=threshold or self.threshold).to_dict()

    def similar(self, project_id: str, k: int = 10) -> list[dict[str, Any]]:
        """The systems most like a catalog project, with overlap both ways and twin flags.

        Remembered per project: the engine is fixed once fitted, so the answer cannot change."""
        record = self.records_[project_id]  # KeyError for a project the index does not hold
        found = memo_of(self, "similar_memo_", SIMILAR_MEMO_SIZE).get(
            (project_id, k), lambda: self._similar(record, k))
        return copy.deepcopy(found)  # the remembered answer stays whatever callers do with theirs

    def _similar(self, record: ProjectRecord, k: int) -> list[dict[str, Any]]:
        project_id = record.id
        results = self.recommender_.recommend(record, k=k).to_dict()["results"]
        for item in results:
            back = self.overlap_.overlap_by_id(item["id"], project_id)
            item["overlap_back"] = round(back, 1)
            item["near_identical"] = min(item["overlap"], back) >= self.threshold
        return results

    def compare(self, ids: Sequence[str]) -> dict[str, Any]:
        """Two or three projects side by side: the first one's functions aligned to each other's."""
        base, *others = [self.records_[i] for i in ids]
        comparisons = []
        for other in others:
            result = self.overlap_.result_by_id(base.id, other.id)
            comparisons.append({"id": other.id, "overlap": round(result.overlap, 1),
                                "overlap_back": round(self.overlap_.overlap_by_id(other.id, base.id), 1),
                                **result.to_dict()})
        return {"ids": list(ids), "base": base.id, "comparisons": comparisons,
                "alignment": _alignment(base, comparisons)}

    # -- search -----------------------------------------------------------------------------
    def search(self, query: str, filters: Mapping[str, Sequence[str]] | None = None, page: int = 1,
               per_page: int = 20, sort: str = "relevance"):
        return self.search_.search(query, dict(filters or {}), page=page, per_page=per_page, sort=sort)


def _alignment(base: ProjectRecord, comparisons: list[dict[str, Any]]) -> list[list[Any]]:
    """Rows of [base function, matched function in each other project or None, ..., best similarity]."""
    rows = []
    for feature in base.features or []:
        cells, best = [feature], 0.0
        for comparison in comparisons:
            match = next((m for m in comparison["matched_features"] if m[0] == feature), None)
            cells.append(match[1] if match else None)
            best = max(best, match[2] if match else 0.0)
        rows.append([*cells, round(best, 3)])
    return rows
