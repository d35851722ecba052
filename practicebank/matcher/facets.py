"""Facets of a record (industry, technology, region, ...) as sparse 0/1 matrices.

Filtering and facet counting are sparse matrix-vector products: microseconds at 10k records,
no per-query pass over Python objects.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
from scipy import sparse
from sklearn.preprocessing import MultiLabelBinarizer

from practicebank import settings
from practicebank.matcher.records import ProjectRecord

# The facet names and cost bands (``settings.FACETS``, ``settings.COST_BANDS``) are the web's
# too: URLs and JSON keys. The band without an upper bound takes every capex above the others.
_OPEN_BAND = next(band for band, low, high in settings.COST_BANDS if low is not None and high is None)


def cost_band(capex: float | None) -> str:
    if capex is None:
        return settings.COST_BAND_UNKNOWN
    return next((band for band, _, high in settings.COST_BANDS if high is not None and capex < high), _OPEN_BAND)


def facet_values(record: ProjectRecord) -> dict[str, list[str]]:
    """Every facet's values for one record (lists, empty when unknown)."""
    single = {
        "region": record.region,
        "federal_district": record.extra.get("federal_district"),
        "region_group": record.region_group,
        "status": record.status,
        "cost_band": cost_band(record.capex),
    }
    values = {k: [v] if v else [] for k, v in single.items()}
    values["industry"] = list(record.industries)
    values["technology"] = list(record.technologies)
    return values


Filters = Mapping[str, Sequence[str]]


def check_filters(filters: Filters | None) -> dict[str, list[str]]:
    """Non-empty filters as lists; an unknown facet name is a clear error, not a silent no-op."""
    out = {k: [v] if isinstance(v, str) else list(v) for k, v in (filters or {}).items() if v}
    unknown = set(out) - set(settings.FACETS)
    if unknown:
        raise ValueError(f"unknown facet(s) {sorted(unknown)}; known: {list(settings.FACETS)}")
    return out


class FacetIndex:
    """Per facet a records x values 0/1 matrix; within a facet values are OR-ed, facets AND-ed."""

    def fit(self, records: Sequence[ProjectRecord]) -> "FacetIndex":
        per_record = [facet_values(r) for r in records]
        self.n_ = len(records)
        self.binarizers_: dict[str, MultiLabelBinarizer] = {}
        self.matrices_: dict[str, sparse.csr_matrix] = {}
        for facet in settings.FACETS:
            mlb = MultiLabelBinarizer(sparse_output=True)
            matrix = mlb.fit_transform([v[facet] for v in per_record])
            self.binarizers_[facet] = mlb
            self.matrices_[facet] = sparse.csr_matrix(matrix, shape=(self.n_, len(mlb.classes_)),
                                                      dtype=np.float32)
        return self

    def facet_mask(self, facet: str, values: Sequence[str]) -> np.ndarray:
        classes = list(self.binarizers_[facet].classes_)
        cols = [classes.index(v) for v in values if v in classes]
        if not cols:
            return np.zeros(self.n_, dtype=bool)
        return np.asarray(self.matrices_[facet][:, cols].sum(axis=1)).ravel() > 0

    def mask(self, filters: Filters | None, skip: str | None = None) -> np.ndarray:
        """Rows passing every filter (except the ``skip`` facet's own)."""
        keep = np.ones(self.n_, dtype=bool)
        for facet, values in check_filters(filters).items():
            if facet != skip:
                keep &= self.facet_mask(facet, values)
        return keep

    def counts(self, selected: np.ndarray, filters: Filters | None) -> dict[str, dict[str, int]]:
        """``selected``: rows matching the text query, before filters. Facet counts in standard (disjunctive) faceted navigation: a facet's values are
        counted over the selection filtered by every *other* facet, so choosing one industry
        still shows how many records the other industries would give."""
        filters = check_filters(filters)
        out: dict[str, dict[str, int]] = {}
        for facet in settings.FACETS:
            rows = selected & self.mask(filters, skip=facet)
            counts = self.matrices_[facet].T @ rows.astype(np.float32)
            classes = self.binarizers_[facet].classes_
            out[facet] = {str(c): int(n) for c, n in zip(classes, counts) if n > 0}
        return out
