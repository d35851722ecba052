"""Full-text BM25F (whoosh) over title, summary, description and features, with facet fields.

Russian and English share one field: each token is stemmed by its script's Snowball stemmer
(Cyrillic -> Russian, otherwise English). That halves the index against ``*_en``/``*_ru``
twin fields and does not count an English word twice.
"""
from __future__ import annotations

import functools
import re
import uuid
from pathlib import Path
from typing import Iterable, Sequence

from whoosh import query as Q
from whoosh import scoring
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.lang import stemmer_for_language, stopwords_for_language

from practicebank import settings
from practicebank.matcher.facets import Filters, check_filters, facet_values
from practicebank.matcher.records import ProjectRecord

TEXT_FIELDS = ("title", "summary", "description", "features")
DEFAULT_FIELD_BOOSTS = {"title": 2.0, "summary": 1.5, "description": 1.0, "features": 1.5}
MULTI_VALUED = ("industry", "technology")
_CYRILLIC = re.compile("[\u0400-\u04ff]")


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    lang = "ru" if _CYRILLIC.search(word) else "en"
    return stemmer_for_language(lang)(word)


class ScriptStemFilter(Filter):
    """Stems each token with the Snowball stemmer of its script (Russian or English)."""

    def __call__(self, tokens):
        for t in tokens:
            if not t.stopped:
                t.text = stem(t.text)
            yield t


def analyzer():
    stoplist = frozenset(stopwords_for_language("en")) | frozenset(stopwords_for_language("ru"))
    return RegexTokenizer() | LowercaseFilter() | StopFilter(stoplist=stoplist, minsize=2) \
        | ScriptStemFilter()


def schema() -> Schema:
    fields = {"id": ID(stored=True, unique=True)}
    fields.update({f: TEXT(analyzer=analyzer(), phrase=False) for f in TEXT_FIELDS})
    fields.update({f: KEYWORD(stored=True, commas=True, scorable=False) if f in MULTI_VALUED
                   else ID(stored=True) for f in settings.FACETS})
    return Schema(**fields)


def document(record: ProjectRecord) -> dict[str, str]:
    doc = {"id": record.id, **{f: record.field_text(f) for f in TEXT_FIELDS}}
    for facet, values in facet_values(record).items():
        if values:
            doc[facet] = ",".join(values)
    return {k: v for k, v in doc.items() if v}


class MemoryStorage(RamStorage):
    """Whoosh's in-memory storage, whose writers' temporary files get a folder of their own.

    ``RamStorage`` puts them in ``<tmp>/MAIN.tmp`` whatever the process: two processes writing
    an index at once (server workers, ``practicebank index`` beside a test run) deleted each
    other's files (FileNotFoundError)."""

    def temp_storage(self, name=None):
        return super().temp_storage(f"practicebank-{uuid.uuid4().hex}-{name or 'tmp'}")


def filter_query(filters: Filters | None) -> Q.Query | None:
    parts = [Q.Or([Q.Term(facet, v) for v in values])
             for facet, values in check_filters(filters).items()]
    return Q.And(parts) if parts else None


class BM25Index:
    """Whoosh BM25F index of records. ``path=None``: in memory (RamStorage), else FileStorage.

    Rows are whoosh document numbers: the index is written in one commit, in record order.
    Long query texts (a whole record) are cut to their ``max_query_terms`` rarest terms: whoosh
    cost grows with the number of terms, and common terms add little to BM25.
    """

    def __init__(self, path: str | Path | None = None, field_boosts: dict[str, float] | None = None,
                 max_query_terms: int = 48, K1: float = 1.2, B: float = 0.75):
        self.path = path
        self.field_boosts = field_boosts
        self.max_query_terms = max_query_terms
        self.K1 = K1
        self.B = B

    def fit(self, records: Sequence[ProjectRecord]) -> "BM25Index":
        storage = self._new_storage()
        self.index_ = storage.create_index(schema())
        writer = self.index_.writer(limitmb=256)
        for record in records:
            writer.add_document(**document(record))
        writer.commit(optimize=True)
        self.ids_ = [r.id for r in records]
        return self

    def _new_storage(self):
        if self.path is None:
            return MemoryStorage()
        Path(self.path).mkdir(parents=True, exist_ok=True)
        return FileStorage(str(self.path))

    def _weighting(self):
        return scoring.BM25F(B=self.B, K1=self.K1)

    def _terms(self, searcher, text: str) -> list[str]:
        terms = {t.text for t in analyzer()(text)}
        if len(terms) <= self.max_query_terms:
            return sorted(terms)
        df = {t: sum(searcher.doc_frequency(f, t) for f in TEXT_FIELDS) for t in terms}
        found = sorted((t for t in terms if df[t] > 0), key=lambda t: (df[t], t))
        return found[: self.max_query_terms]

    def _query(self, searcher, text: str) -> Q.Query | None:
        boosts = self.field_boosts or DEFAULT_FIELD_BOOSTS
        terms = self._terms(searcher, text)
        if not terms:
            return None
        return Q.Or([Q.Term(f, t, boost=boosts.get(f, 1.0)) for t in terms for f in TEXT_FIELDS])

    def search(self, text: str, limit: int | None = 100, filters: Filters | None = None,
               exclude_ids: Iterable[str] = ()) -> list[tuple[int, float]]:
        """(row, BM25 score) of the records matching any query term, best first;
        ``limit=None`` returns every match."""
        excluded = [Q.Term("id", i) for i in exclude_ids]
        with self.index_.searcher(weighting=self._weighting()) as searcher:
            query = self._query(searcher, text)
            if query is None:
                return []
            hits = searcher.search(query, limit=limit, filter=filter_query(filters),
                                   mask=Q.Or(excluded) if excluded else None)
            return [(hit.docnum, float(hit.score)) for hit in hits]

    # Pickling (matcher.store): carry the index files, reopen in memory.
    def __getstate__(self) -> dict:
        state = {k: v for k, v in self.__dict__.items() if k != "index_"}
        if hasattr(self, "index_"):
            storage = self.index_.storage
            state["files_"] = {name: storage.open_file(name).read() for name in storage.list()}
        return state

    def __setstate__(self, state: dict) -> None:
        files = state.pop("files_", None)
        self.__dict__.update(state)
        if files is not None:
            storage = MemoryStorage()
            for name, data in files.items():
                with storage.create_file(name) as f:
                    f.write(data)
            self.index_ = storage.open_index()
