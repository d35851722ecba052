"""The matching engine as the application sees it: every index fitted on one catalog snapshot.

``MatchingEngine(...).fit(records)`` builds retrieval, faceted search, functional overlap,
recommendations and duplicate families over the same plain records; ``matcher.store`` saves
it stamped with the catalog revision it was built from.
"""
from __future__ import annotations

import copy
import hashlib
import json
import logging
from typing import Any, Collection, Mapping, Sequence

import numpy as np

from practicebank import settings
from practicebank.matcher.answers import CheckPlanReport, ComparedSystem, Comparison, Recommendation, SimilarSystem
from practicebank.matcher.bm25 import BM25Index
from practicebank.matcher.encoder import Encoder, UsesEncoder
from practicebank.matcher.families import FamilyFinder, current_year
from practicebank.matcher.memo import memo_of, without_memos
from practicebank.matcher.overlap import FunctionalOverlap
from practicebank.matcher.recommend import Recommender
from practicebank.matcher.records import ProjectRecord
from practicebank.matcher.retrieval import HybridRetriever
from practicebank.matcher.scaling import rank_scale_candidates
from practicebank.matcher.search import SearchIndex  # noqa: F401 (also the type of ``search_``)

log = logging.getLogger(__name__)

# Passports ask for their similar systems on every view; ~15 KB each, so ~60 MB at most.
SIMILAR_MEMO_SIZE = 4096


def fingerprint(record: ProjectRecord) -> str:
    """A hash of everything in a record that the indexes read: a changed hash means stale."""
    content = [record.title, record.summary, record.description, list(record.features), record.region,
               list(record.industries), list(record.technologies), record.status, record.start_year,
               record.capex, record.opex_per_year, record.region_group, list(record.based_on),
               record.reused_by_count, [dict(i) for i in record.indicators], record.curation_state,
               record.synthetic, dict(record.extra), record.language, dict(record.translations)]
    return hashlib.blake2b(json.dumps(content, sort_keys=True, default=str).encode(), digest_size=12).hexdigest()


class MatchingEngine(UsesEncoder):
    def __init__(self, encoder: Encoder | None = None, threshold: float = settings.NEAR_IDENTICAL_THRESHOLD,
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

    # -- following the catalog ------------------------------------------------------------
    def update(self, changed: Sequence[ProjectRecord] = (), removed: Sequence[str] = ()) -> "MatchingEngine":
        """A new engine over this one's records with ``changed`` records added or replaced and
        ``removed`` ids dropped; this engine is left as it was (it may go on serving until the
        new one is swapped in).

        Only what changed is embedded: the overlap keeps every unchanged record's statement
        block and builds blocks for the changed ones; the dense vectors come from the
        encoder's content cache (unchanged texts cost a lookup); the TF-IDF rows and BM25
        documents of the changed records are replaced (``_updated_retriever``,
        ``_updated_search``: refitted in full past ``TFIDF_DRIFT``); the facets are refitted.
        Families and the scaling board are computed again on the next request, and no
        remembered answer of this engine is carried over. ~0.9 s at 1,500 records."""
        changed = [r for r in changed if r.id not in set(removed)]
        fresh = {r.id: r for r in changed}
        gone = set(removed)
        order = [i for i in self.ids_ if i not in gone]
        order += [i for i in fresh if i not in self.records_]
        records = [fresh[i] if i in fresh else self.records_[i] for i in order]
        new = _fresh_copy(self)
        new.ids_ = order
        new.records_ = {r.id: r for r in records}
        new.fingerprints_ = {i: (fingerprint(fresh[i]) if i in fresh else self.fingerprints_[i]) for i in order}
        new.overlap_ = self._updated_overlap(records, set(fresh))
        new.retriever_ = self._updated_retriever(records, set(fresh))
        new.search_ = self._updated_search(records, set(fresh))
        new.recommender_ = _fresh_copy(self.recommender_)
        new.recommender_.retriever, new.recommender_.overlap = new.retriever_, new.overlap_
        new.recommender_.records = new.records_
        new.finders_ = {}
        return new

    def changes_against(self, records: Sequence[ProjectRecord]) -> tuple[list[ProjectRecord], list[str]]:
        """(records new or changed since this engine was fitted, ids no longer in ``records``)."""
        current = {r.id: r for r in records}
        changed = [r for r in records if self.fingerprints_.get(r.id) != fingerprint(r)]
        return changed, [i for i in self.ids_ if i not in current]

    def _updated_retriever(self, records: Sequence[ProjectRecord], changed: set[str]) -> HybridRetriever:
        """The retriever refitted on ``records``, except its TF-IDF indexes while few records
        changed: the fitted vocabulary and idf are kept, the changed records' rows transformed
        and the unchanged ones' reused (the vectorizers refit in full once more than
        ``TFIDF_DRIFT`` of the catalog changed since their last full fit, and at every
        ``practicebank index``)."""
        old = self.retriever_
        drift = getattr(old, "tfidf_drift_", 0) + len(changed)
        reuse = (drift <= TFIDF_DRIFT * max(len(records), 1) and getattr(old, "tfidf_word_", None) is not None
                 and getattr(old, "tfidf_char_", None) is not None)
        if not reuse:
            retriever = _fresh_copy(old).fit(records)
            retriever.tfidf_drift_ = 0
            return retriever
        # the TF-IDF matrices by rows: unchanged rows as they were, changed ones anew; the rest
        # (dense from the encoder's cache, facets, tags) is fitted as usual. Crossing the ANN
        # threshold changes the matrices' layout: the retriever then fits them anew.
        tfidf = tuple(_tfidf_rows(index, old.row_, records, changed) for index in (old.tfidf_word_, old.tfidf_char_))
        retriever = _fresh_copy(old).fit(records, tfidf=tfidf)
        retriever.tfidf_drift_ = drift if retriever.tfidf_word_ is tfidf[0] else 0
        return retriever

    def _updated_search(self, records: Sequence[ProjectRecord], changed: set[str]) -> SearchIndex:
        """The full-text index refitted on ``records``, except its BM25 (whoosh) index while few
        records changed: the changed records' documents are deleted and their new versions added
        in a new segment (a refit writes every document again: ~85 % of an update's time), whoosh
        document numbers mapped to rows. Refitted in full past ``TFIDF_DRIFT`` of the catalog or
        ``MAX_SEGMENTS`` updates."""
        old = self.search_
        bm25 = getattr(old, "bm25_", None)
        drift = getattr(bm25, "drift_", 0) + len(changed)
        updated = None
        if bm25 is not None and drift <= TFIDF_DRIFT * max(len(records), 1) \
                and getattr(bm25, "segments_", 1) < MAX_SEGMENTS:
            try:
                updated = _updated_bm25(bm25, records, changed | (set(bm25.ids_) - {r.id for r in records}))
            except Exception:  # noqa: BLE001 - whoosh could not add to the copy: refit instead
                log.warning("updating the BM25 index failed; refitting it", exc_info=True)
                updated = None
        index = _fresh_copy(old)
        if updated is None:
            index.fit(records)
            return index
        updated.drift_ = drift
        return index.fit(records, bm25=updated)

    def _updated_overlap(self, records: Sequence[ProjectRecord], changed: set[str]) -> FunctionalOverlap:
        from practicebank.matcher.functions import function_statements

        old = self.overlap_
        overlap = _fresh_copy(old)
        todo = [r for r in records if r.id in changed or r.id not in old.index_]
        built = dict(zip((r.id for r in todo), overlap._blocks([function_statements(r) for r in todo])))
        overlap.ids_ = [r.id for r in records]
        overlap.index_ = {rid: i for i, rid in enumerate(overlap.ids_)}
        overlap.blocks_ = [built[r.id] if r.id in built else old.blocks_[old.index_[r.id]] for r in records]
        overlap.has_cyrillic_ = np.array([bool(b.cyrillic.any()) for b in overlap.blocks_])
        return overlap

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
        """The families and the headline; without evidence computed once per fitted index (the
        index is fixed once fitted) and handed out as a shallow copy."""
        finder = self.finder(threshold)
        if evidence:
            return finder.to_json(evidence=True)
        found = memo_of(self, "desk_memo_", 64).get(("duplicates", finder.threshold), finder.to_json)
        return dict(found)

    def scale_board(self, year: int | None = None):
        """Every candidate of the scaling board, ranked: computed once per fitted index and year.
        ``year``: the year practices' years in operation count to; this year when not given (read
        now: a server runs across New Year)."""
        year = current_year() if year is None else year
        return memo_of(self, "desk_memo_", 64).get(
            ("scale_board", year),
            lambda: rank_scale_candidates(list(self.records_.values()), self.finder(), top=None, year=year))

    def scale_candidates(self, top: int | None = 20, year: int | None = None) -> dict[str, Any]:
        """The board's document; ``top=None``: every candidate, remembered once per fitted index."""
        year = current_year() if year is None else year
        board = self.scale_board(year)
        if top is not None:
            return type(board)(board.candidates[:top], board.weights, board.notes).to_json()
        return dict(memo_of(self, "desk_memo_", 64).get(("scale_json", year), board.to_json))

    # -- recommendations ------------------------------------------------------------------
    def recommend(self, planned: ProjectRecord | str, k: int = 10, **options: Any) -> Recommendation:
        return self.recommender_.recommend(planned, k=k, **options)

    def check_plan(self, planned: Sequence[ProjectRecord], k: int = 5, threshold: float | None = None,
                   exclude_ids: Sequence[str] = ()) -> CheckPlanReport:
        return self.recommender_.check_plan(planned, k=k, threshold=threshold or self.threshold,
                                            exclude_ids=exclude_ids)

    def similar(self, project_id: str, k: int = 10) -> list[SimilarSystem]:
        """The systems most like a catalog project, with overlap both ways and twin flags.

        Remembered per project: the engine is fixed once fitted, so the answer cannot change."""
        record = self.records_[project_id]  # KeyError for a project the index does not hold
        found = memo_of(self, "similar_memo_", SIMILAR_MEMO_SIZE).get(
            (project_id, k), lambda: self._similar(record, k))
        return copy.deepcopy(found)  # the remembered answer stays whatever callers do with theirs

    def _similar(self, record: ProjectRecord, k: int) -> list[SimilarSystem]:
        return [SimilarSystem.of(item, self.overlap_.overlap_by_id(item.id, record.id), self.threshold)
                for item in self.recommender_.recommend(record, k=k).results]

    def similar_to(self, record: ProjectRecord, k: int = 10) -> list[SimilarSystem]:
        """``similar`` for a record the index does not hold (a draft, or a record approved a
        moment ago): computed on demand, its own id left out, with overlap both ways."""
        found = [r for r in self.recommender_.recommend(record, k=k + 1).results if r.id != record.id][:k]
        return [SimilarSystem.of(item, self._overlap_back(item.id, record), self.threshold) for item in found]

    def _overlap_back(self, other_id: str, record: ProjectRecord) -> float:
        other = self.records_[other_id]
        return self.overlap_.compare_to_records(other, [record], remember=False, a_id=other.id)[0].overlap

    def compare(self, ids: Sequence[str]) -> Comparison:
        """Two or three projects side by side: the first one's functions aligned to each other's."""
        base, *others = [self.records_[i] for i in ids]
        comparisons = []
        for other in others:
            result = self.overlap_.result_by_id(base.id, other.id).to_dict()
            comparisons.append(ComparedSystem(
                id=other.id, overlap=result["overlap"],
                overlap_back=round(self.overlap_.overlap_by_id(other.id, base.id), 1),
                matched_features=result["matched_features"], missing_features=result["missing_features"]))
        return Comparison(ids=list(ids), base=base.id, comparisons=comparisons,
                          alignment=_alignment(base, comparisons))

    # -- search -----------------------------------------------------------------------------
    def search(self, query: str, filters: Mapping[str, Sequence[str]] | None = None, page: int = 1,
               per_page: int = 20, sort: str = "relevance"):
        return self.search_.search(query, dict(filters or {}), page=page, per_page=per_page, sort=sort)

    def search_without(self, exclude: Collection[str], query: str, filters: Mapping[str, Sequence[str]] | None = None,
                       page: int = 1, per_page: int = 20, sort: str = "relevance"):
        """``search`` as if the ``exclude`` records were not in the index (records withdrawn since
        it was fitted): they are neither hits nor counted in the total and the facets."""
        from practicebank.matcher.search import MAX_PER_PAGE, SearchResult

        index = self.search_
        if sort not in settings.SORTS:
            raise ValueError(f"sort must be one of {settings.SORTS}, not {sort!r}")
        filters = dict(filters or {})
        matched, scores = index._match(query or "")
        keep = np.ones(len(index.ids_), dtype=bool)
        exclude = set(exclude)
        keep[[row for row, rid in enumerate(index.ids_) if rid in exclude]] = False
        matched = matched & keep
        rows = np.flatnonzero(matched & index.facets_.mask(filters))
        rows = rows[index._order(rows, scores, sort)]
        per_page = max(1, min(per_page, MAX_PER_PAGE))
        page_rows = rows[(max(page, 1) - 1) * per_page:][:per_page]
        return SearchResult(total=len(rows), hits=[(index.ids_[r], round(float(scores[r]), 4)) for r in page_rows],
                            facets=index.facets_.counts(matched, filters))


# Share of the catalog that may change before the retriever's TF-IDF vocabulary is refitted.
TFIDF_DRIFT = 0.05
MAX_SEGMENTS = 32


class _RowMappedBM25(BM25Index):
    """A BM25 index updated in place of a refit: whoosh documents of deleted or changed records
    are deleted and new versions added in later segments; ``row_of_doc_`` maps whoosh document
    numbers to the rows of ``ids_``."""

    def search(self, text, limit=100, filters=None, exclude_ids=()):
        rows = self.row_of_doc_
        return [(int(rows[d]), score) for d, score in super().search(text, limit, filters, exclude_ids)
                if rows[d] >= 0]


def _row_mapped_bm25_class():
    return _RowMappedBM25


def _updated_bm25(old: Any, records: Sequence[ProjectRecord], stale: set[str]) -> Any:
    """A copy of a fitted ``BM25Index`` over ``records`` with the ``stale`` ids' documents
    deleted and the changed or new records added; None where whoosh did not keep document
    numbers as expected (the caller refits)."""
    from whoosh.filedb.filestore import RamStorage

    from practicebank.matcher.bm25 import MemoryStorage, document

    storage = getattr(old.index_, "storage", None)
    if not isinstance(storage, RamStorage):
        return None
    doc_ids: list[str | None] = list(getattr(old, "doc_ids_", old.ids_))
    known = {i for i in doc_ids if i is not None}
    todo = [r for r in records if r.id in stale or r.id not in known]
    copied = MemoryStorage()
    copied.files = dict(storage.files)  # whoosh files are immutable bytes: the old index is untouched
    new = _row_mapped_bm25_class().__new__(_row_mapped_bm25_class())
    new.__dict__ = without_memos({k: v for k, v in old.__dict__.items() if k != "index_"})
    new.index_ = copied.open_index()
    if new.index_.doc_count_all() != len(doc_ids):
        return None
    writer = new.index_.writer()
    for rid in stale & known:
        writer.delete_by_term("id", rid)
    for record in todo:
        writer.add_document(**document(record))
    writer.commit(merge=False)
    doc_ids = [None if i in stale else i for i in doc_ids] + [r.id for r in todo]
    if new.index_.doc_count_all() != len(doc_ids):
        return None
    row = {r.id: k for k, r in enumerate(records)}
    new.doc_ids_ = doc_ids
    new.row_of_doc_ = np.array([row[i] if i is not None else -1 for i in doc_ids], dtype=np.int64)
    new.ids_ = [r.id for r in records]
    new.segments_ = getattr(old, "segments_", 1) + 1
    return new


def _tfidf_rows(index: Any, old_rows: Mapping[str, int], records: Sequence[ProjectRecord], changed: set[str]) -> Any:
    """A copy of a fitted ``TfidfIndex`` over ``records``: the rows of unchanged records taken
    from its matrix, the others transformed with its fitted vectorizer."""
    from scipy import sparse

    new = _fresh_copy(index)
    if index.vectorizer_ is None:
        return new.fit(records)
    todo = [r for r in records if r.id in changed or r.id not in old_rows]
    matrix = index.matrix_.tocsr()
    if todo:
        fresh = index.vectorizer_.transform([r.text for r in todo]).astype(matrix.dtype).tocsr()
        matrix = sparse.vstack([matrix, fresh], format="csr")
    place = {r.id: index.matrix_.shape[0] + j for j, r in enumerate(todo)}
    rows = np.array([place[r.id] if r.id in place else old_rows[r.id] for r in records], dtype=np.int64)
    matrix = matrix[rows]
    new.matrix_ = matrix.tocsr() if index.by_rows else matrix.tocsc()
    return new


def _fresh_copy(obj: Any) -> Any:
    """A shallow copy of a fitted component without its remembered answers (a memo shared
    with the original would serve the old catalog's answers)."""
    new = copy.copy(obj)
    new.__dict__ = without_memos(dict(obj.__dict__))
    return new


def _alignment(base: ProjectRecord, comparisons: list[ComparedSystem]) -> list[list[Any]]:
    """Rows of [base function, matched function in each other project or None, ..., best similarity]."""
    rows = []
    for feature in base.features or []:
        cells, best = [feature], 0.0
        for comparison in comparisons:
            match = next((m for m in comparison.matched_features if m[0] == feature), None)
            cells.append(match[1] if match else None)
            best = max(best, match[2] if match else 0.0)
        rows.append([*cells, round(best, 3)])
    return rows
