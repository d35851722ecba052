"""Duplicate families: the both-ways rule, no chaining, reference choice, savings, halves.

Overlaps come from ``SetOverlap`` (exact share of shared feature strings), so each test
states its overlaps exactly; the candidate vectors use the real encoder (session fixture).
"""
from __future__ import annotations

import pytest

from practicebank import settings
from practicebank.matcher.families import FamilyFinder, choose_reference, family_savings, indicator_achieved
from practicebank.matcher.headline import DuplicatesHeadline, HeadlineRow
from practicebank.matcher.savings import SavingsModel
from tests.helpers import EXTRAS, FUNCTIONS, SetOverlap, rec


def find(encoder, records, **kw) -> FamilyFinder:
    kw.setdefault("screen", 0.0)  # tiny catalogs: check every neighbour pair exactly
    return FamilyFinder(SetOverlap(encoder), **kw).fit(records)


def together(finder: FamilyFinder, a: str, b: str) -> bool:
    fa = finder.family_of_.get(a)
    return fa is not None and fa == finder.family_of_.get(b)


def test_both_ways_rule_subset_is_not_a_twin(encoder):
    # A's functions are all in B (100%), but B only 60% in A: not near-identical.
    a = rec("a", FUNCTIONS[:6], "RU-TA")
    b = rec("b", FUNCTIONS[:6] + EXTRAS[:4], "RU-MOW")
    filler = [rec(f"z{i}", [FUNCTIONS[10 + i], EXTRAS[i]], "RU-SPE") for i in range(4)]
    finder = find(encoder, [a, b, *filler])
    assert not together(finder, "a", "b")
    assert finder.families_ == []


def test_near_identical_pair_forms_a_family_with_evidence(encoder):
    a = rec("a", FUNCTIONS[:10], "RU-TA", status="in_operation", start_year=2018, capex=100.0)
    b = rec("b", FUNCTIONS[:10], "RU-MOW", status="planned", capex=80.0)
    finder = find(encoder, [a, b, rec("c", EXTRAS, "RU-SPE")])
    [family] = finder.families_
    assert set(family.members) == {"a", "b"} and family.overlap == 100.0
    assert family.regions == ["RU-MOW", "RU-TA"] and family.capex_total == 180.0
    view = finder.family_json(family.id)
    assert view["pairs"][0]["matched"] and view["pairs"][0]["missing_in_b"] == []


def test_same_region_copies_are_not_a_federal_family(encoder):
    a = rec("a", FUNCTIONS[:10], "RU-TA")
    b = rec("b", FUNCTIONS[:10], "RU-TA")
    assert find(encoder, [a, b, rec("c", EXTRAS, "RU-SPE")]).families_ == []
    assert len(find(encoder, [a, b, rec("c", EXTRAS, "RU-SPE")], cross_region_only=False).families_) == 1


def test_no_chaining_of_unrelated_systems(encoder):
    # B has 20 functions; A and C each share 17 of them (85% both ways with B) plus 3 of
    # their own, but A and C share only 14 of 20 (70%): A~B, B~C, A !~ C.
    b = rec("b", FUNCTIONS, "RU-MOW")
    a = rec("a", FUNCTIONS[:17] + EXTRAS[:3], "RU-TA")
    c = rec("c", FUNCTIONS[3:] + EXTRAS[3:], "RU-SPE")
    finder = find(encoder, [a, b, c])
    assert finder.overlap.overlap_by_id("a", "b") >= 85 and finder.overlap.overlap_by_id("b", "a") >= 85
    assert finder.overlap.overlap_by_id("c", "b") >= 85 and finder.overlap.overlap_by_id("b", "c") >= 85
    assert finder.overlap.overlap_by_id("a", "c") < 85
    assert not together(finder, "a", "c")
    for family in finder.families_:  # every member near-identical to its core
        assert all(p.both >= 85 for p in family.pairs)


def test_half_overlapping_system_is_excluded(encoder):
    twins = [rec(f"t{i}", FUNCTIONS[:10], region) for i, region in enumerate(["RU-TA", "RU-MOW", "RU-SPE"])]
    half = rec("half", FUNCTIONS[:5] + FUNCTIONS[10:15], "RU-KDA")  # ~50% shared functions
    finder = find(encoder, [*twins, half, rec("x", EXTRAS, "RU-NVS")])
    [family] = finder.families_
    assert set(family.members) == {"t0", "t1", "t2"}
    assert "half" not in finder.family_of_


def test_reference_in_operation_with_achieved_indicators_beats_planned():
    achieved = ({"name": "online share", "unit": "%", "baseline": 10, "target": 80, "actual": 90},)
    old = rec("old", FUNCTIONS[:5], "RU-TA", status="in_operation", start_year=2016, indicators=achieved,
              region_group="developing")
    plan = rec("plan", FUNCTIONS[:5], "RU-MOW", status="planned", start_year=2024, region_group="leading",
               reused_by_count=5)
    ref, why = choose_reference([plan, old], {"old": 0, "plan": 5})
    assert ref == "old"
    assert "in operation since 2016" in why and "1/1 indicators achieved" in why and "plan" in why


def test_reduction_target_counts_as_achieved_when_below():
    assert indicator_achieved({"baseline": 12, "target": 3, "actual": 2}) is True
    assert indicator_achieved({"baseline": 12, "target": 3, "actual": 5}) is False
    assert indicator_achieved({"baseline": 10, "target": 80}) is None


def test_savings_arithmetic():
    ref = rec("ref", FUNCTIONS[:5], "RU-TA", capex=100.0)
    m1 = rec("m1", FUNCTIONS[:5], "RU-MOW", capex=200.0)
    m2 = rec("m2", FUNCTIONS[:5], "RU-SPE", capex=10.0)
    m3 = rec("m3", FUNCTIONS[:5], "RU-KDA")  # capex unknown
    rate = settings.SAVINGS_ADAPTATION_RATE
    out = family_savings([ref, m1, m2, m3], "ref", {"m1": 90.0, "m2": 10.0, "m3": 90.0}, SavingsModel(rate))
    # m1: 200 * 0.90 - 200 * rate; m2: 10 * 0.10 - 10 * rate < 0 -> 0; m3 unknown
    assert out["per_member"]["m1"] == pytest.approx(200 * 0.9 - 200 * rate)
    assert out["per_member"]["m2"] == 0.0
    assert out["capex_saved"] == pytest.approx(200 * 0.9 - 200 * rate)
    assert out["members_without_capex"] == 1 and out["adaptation_rate"] == rate


def test_headline_and_json_shape(encoder):
    a = rec("a", FUNCTIONS[:10], "RU-TA", status="in_operation", start_year=2018, capex=100.0, opex_per_year=10.0)
    b = rec("b", FUNCTIONS[:10], "RU-MOW", capex=80.0, opex_per_year=8.0)
    c = rec("c", EXTRAS, "RU-SPE", capex=50.0)
    finder = find(encoder, [a, b, c])
    doc = finder.to_json()
    assert {"threshold", "systems", "families", "systems_in_families", "headline"} <= set(doc)
    fam = doc["families"][0]
    assert {"id", "members", "overlap", "regions", "capex_total", "opex_total", "reference", "savings"} <= set(fam)
    assert fam["reference"]["id"] == "a" and fam["duplicate_capex"] == 80.0 and fam["duplicate_opex"] == 8.0
    head = doc["headline"]
    assert head["with_twin"] == 2 and head["share_with_twin"] == pytest.approx(2 / 3, abs=1e-4)
    assert head["by_region"]["RU-MOW"] == {"systems": 1, "with_twin": 1, "copies": 1, "copies_without_capex": 0,
                                           "duplicate_capex": 80.0}
    assert head["by_industry"]["education"]["systems"] == 3
    # one shape: the dict is the typed headline's, the money under the names the pages read
    typed = finder.headline()
    assert DuplicatesHeadline.from_dict(head) == DuplicatesHeadline.from_dict(typed.to_dict())
    assert head["duplicate_capex"] == 80.0 and head["copies"] == 1 and head["copies_without_capex"] == 0
    assert head["savings_capex"] == doc["families"][0]["savings"]["capex_saved"]


def test_headline_counts_copies_without_capex(encoder):
    a = rec("a", FUNCTIONS[:10], "RU-TA", status="in_operation", start_year=2018, capex=100.0)
    b = rec("b", FUNCTIONS[:10], "RU-MOW", capex=80.0)
    c = rec("c", FUNCTIONS[:10], "RU-SPE")  # a copy whose capex nobody recorded
    head = find(encoder, [a, b, c]).headline()
    assert head.copies == 2 and head.copies_without_capex == 1 and not head.capex_known
    assert head.duplicate_capex == 80.0  # a lower bound: c is counted, not priced at 0
    assert head.by_region["RU-SPE"].copies_without_capex == 1


def test_headline_shape_is_strict_and_schema_matches():
    jsonschema_rs = pytest.importorskip("jsonschema_rs")

    row = {"systems": 1, "with_twin": 1, "copies": 1, "copies_without_capex": 0, "duplicate_capex": 5.0}
    doc = DuplicatesHeadline(systems=2, with_twin=2, share_with_twin=1.0, systems_in_families=2, families=1,
                             copies=1, copies_without_capex=0, duplicate_capex=5.0, duplicate_opex_per_year=0.0,
                             savings_capex=3.0, adaptation_rate=0.15,
                             by_region={"RU-TA": HeadlineRow.from_dict(row)}).to_dict()
    assert jsonschema_rs.is_valid(DuplicatesHeadline.json_schema(), doc)
    with pytest.raises(TypeError):
        DuplicatesHeadline.from_dict({**doc, "duplicate_spend": 5.0})  # the old name is refused
    assert not jsonschema_rs.is_valid(DuplicatesHeadline.json_schema(), {**doc, "duplicate_spend": 5.0})
    assert set(DuplicatesHeadline.json_schema()["properties"]) == set(doc)


# ----- speed paths: the same numbers as the plain ones -------------------------------------------
RUSSIAN = ["Запись на приём к врачу", "Электронные рецепты", "Онлайн-запись к терапевту через портал",
           "Выписка рецептов в электронном виде"]


def _engine_catalog(encoder):
    from practicebank.matcher.overlap import FunctionalOverlap

    lists = [FUNCTIONS[:10], FUNCTIONS[:9] + EXTRAS[:1], FUNCTIONS[5:15], EXTRAS, FUNCTIONS[:1],
             RUSSIAN + FUNCTIONS[:3], RUSSIAN[:2], FUNCTIONS[::2] + EXTRAS[::2]]
    records = [rec(f"r{i}", feats, "RU-TA") for i, feats in enumerate(lists)]
    return records, FunctionalOverlap(encoder=encoder).fit(records)


def test_overlap_pair_by_id_is_overlap_by_id_both_ways(encoder):
    records, overlap = _engine_catalog(encoder)
    for a in records:
        for b in records:
            ab, ba = overlap.overlap_by_id(a.id, b.id), overlap.overlap_by_id(b.id, a.id)
            # Same arithmetic, but BLAS rounds float32 differently by matrix shape and CPU: a
            # thousandth of a percentage point is far below any decision (thresholds are whole points).
            assert overlap.overlap_pair_by_id(a.id, b.id) == pytest.approx((ab, ba), abs=1e-3)
            screened_ab, screened_ba = overlap.overlap_pair_by_id(a.id, b.id, 85.0)
            assert screened_ab == pytest.approx(ab, abs=1e-3)
            if abs(ab - 85.0) > 1e-3:  # the screen is a decision: exact away from the edge
                assert (screened_ba is None) == (ab < 85.0)
                assert screened_ba is None or screened_ba == pytest.approx(ba, abs=1e-3)


def test_soft_coverage_of_row_is_soft_coverage(encoder):
    import numpy as np

    from practicebank.matcher.families import record_vectors, soft_coverage, soft_coverage_of_row

    records, _ = _engine_catalog(encoder)
    flat, offsets, _ = record_vectors(records, encoder)
    right = np.array([1, 2, 3, 4, 5, 6, 7, 0, 3])
    for row in range(len(records)):
        for batch in (4096, 4):
            plain = soft_coverage(flat, offsets, np.full(len(right), row), right, batch=batch)
            fast = soft_coverage_of_row(flat, offsets, row, right, batch=batch)
            assert all(np.allclose(p, f, rtol=0, atol=1e-6) for p, f in zip(plain, fast))


def test_engine_and_plain_overlaps_find_the_same_families(encoder):
    records, overlap = _engine_catalog(encoder)
    records = [rec(r.id, r.features, region) for r, region in zip(records, ["RU-TA", "RU-MOW"] * 4)]

    class OneWay:  # the engine without its both-ways shortcut
        def __init__(self, inner):
            self.inner, self.encoder_, self.index_ = inner, inner.encoder_, inner.index_

        def overlap_by_id(self, a, b):
            return self.inner.overlap_by_id(a, b)

        def result_by_id(self, a, b):
            return self.inner.result_by_id(a, b)

    fast = FamilyFinder(overlap, screen=0.0).fit(records)
    plain = FamilyFinder(OneWay(overlap), screen=0.0).fit(records)
    # Decisions (who is in which family, the reference) exactly; figures within float noise.
    assert_same_up_to_float_noise(fast.to_json(evidence=True), plain.to_json(evidence=True))
    assert fast.pairs_.keys() == plain.pairs_.keys()
    for key, pair in fast.pairs_.items():
        other = plain.pairs_[key]
        assert (pair.ab, pair.ba) == pytest.approx((other.ab, other.ba), abs=1e-3)


def assert_same_up_to_float_noise(left, right, tol=1e-6):
    """Equal structures where floats may differ in the last bits (BLAS rounds by CPU and shape)."""
    if isinstance(left, float) or isinstance(right, float):
        assert left == pytest.approx(right, abs=tol)
    elif isinstance(left, dict):
        assert left.keys() == right.keys()
        for key in left:
            assert_same_up_to_float_noise(left[key], right[key], tol)
    elif isinstance(left, (list, tuple)):
        assert len(left) == len(right)
        for a, b in zip(left, right):
            assert_same_up_to_float_noise(a, b, tol)
    else:
        assert left == right
