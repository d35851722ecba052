"""The synthetic catalog: deterministic, valid SPEC records, and a ground truth that means what it says."""
from __future__ import annotations

import json
import re
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest

from practicebank.catalog.schema import ProjectIn
from practicebank.catalog.synthetic import (
    feature_pairs,
    generate,
    near_identical_pairs,
    true_families,
    true_overlap,
    write,
)
from practicebank.catalog.system_types import EXTRA_FUNCTIONS, EXTRA_FUNCTIONS_RU, SYSTEM_TYPES
from practicebank.catalog.taxonomy import INDUSTRIES, TECHNOLOGIES

REGIONS_FILE = Path(__file__).resolve().parents[1] / "practicebank" / "seed_data" / "regions.json"
INLINE_REGIONS = [
    {"code": "RU-TA", "name_en": "Republic of Tatarstan", "name_ru": "Республика Татарстан", "federal_district": "volga", "group": "leading"},
    {"code": "RU-MOW", "name_en": "Moscow", "name_ru": "Москва", "federal_district": "central", "group": "leading"},
    {"code": "RU-NVS", "name_en": "Novosibirsk Oblast", "name_ru": "Новосибирская область", "federal_district": "siberian", "group": "developing"},
    {"code": "RU-TY", "name_en": "Tyva Republic", "name_ru": "Республика Тыва", "federal_district": "siberian", "group": "needs_support"},
]


@pytest.fixture(scope="module")
def regions() -> list[dict]:
    if REGIONS_FILE.exists():
        return json.loads(REGIONS_FILE.read_text(encoding="utf-8"))
    return INLINE_REGIONS


@pytest.fixture(scope="module")
def catalog(regions):
    return generate(1000, seed=42, regions=regions)


def _by_kind(catalog, kind: str) -> list[dict]:
    return [t for t in catalog.truth if t["kind"] == kind]


def test_same_inputs_give_identical_output(regions):
    first, second = generate(300, seed=5, regions=regions), generate(300, seed=5, regions=list(reversed(regions)))
    assert first.records == second.records and first.truth == second.truth
    assert generate(300, seed=6, regions=regions).records != first.records


def test_the_catalog_is_dated_to_the_year_given(regions):
    default = generate(300, seed=5, regions=regions)
    assert generate(300, seed=5, regions=regions, year=2025).records == default.records  # the fixed default
    later = generate(300, seed=5, regions=regions, year=2031)
    assert max(r["start_year"] for r in default.records) == 2025
    assert max(r["start_year"] for r in later.records) <= 2031 and later.records != default.records


def test_n_records_with_unique_ids_all_synthetic(catalog, regions):
    assert len(catalog.records) == len(catalog.truth) == 1000
    ids = [r["id"] for r in catalog.records]
    assert len(set(ids)) == 1000 and ids[0] == "syn-00001"
    assert [t["id"] for t in catalog.truth] == ids
    assert all(r["synthetic"] is True for r in catalog.records)
    assert {r["region"] for r in catalog.records} <= {r["code"] for r in regions}


def test_every_record_is_a_valid_project(catalog):
    for record in catalog.records:
        ProjectIn.model_validate(record)
        assert len(record["features"]) == len(catalog.truth[int(record["id"][4:]) - 1]["feature_functions"])


def test_mix_of_kinds(catalog):
    kinds = Counter(t["kind"] for t in catalog.truth)
    assert 0.74 <= kinds["variant"] / 1000 <= 0.82
    assert 0.08 <= kinds["half"] / 1000 <= 0.13 and 0.08 <= kinds["unique"] / 1000 <= 0.13


def test_a_region_implements_a_type_at_most_once_while_pairs_last(catalog):
    pairs = Counter((r["region"], t["type"]) for r, t in zip(catalog.records, catalog.truth) if t["kind"] == "variant")
    assert max(pairs.values()) == 1


def test_more_records_than_pairs_become_municipal_systems():
    small = generate(200, seed=1, regions=INLINE_REGIONS)
    assert any("municipality No." in r["owner"] for r in small.records)


def test_variants_of_a_type_overlap_highly(catalog):
    variants = [t for t in _by_kind(catalog, "variant") if t["type"] == "kindergarten_queue"]
    overlaps = [true_overlap(a, b) for a, b in combinations(variants, 2)]
    assert sum(overlaps) / len(overlaps) >= 75


def test_half_systems_overlap_about_half_and_are_never_near_identical(catalog):
    variants = _by_kind(catalog, "variant")
    for half in _by_kind(catalog, "half"):
        same_type = [v for v in variants if v["type"] == half["type"]]
        for variant in same_type:
            assert min(true_overlap(half, variant), true_overlap(variant, half)) < 85
        if same_type:
            mean = sum(true_overlap(half, v) for v in same_type) / len(same_type)
            assert 25 <= mean <= 65


def test_true_overlap_counts_shared_function_ids():
    a = {"feature_functions": ["t.a", "t.b", "t.c", "t.d"]}
    b = {"feature_functions": ["t.a", "t.b", "t.c", "x.edu.01"]}
    assert true_overlap(a, b) == 75.0 and true_overlap(a, a) == 100.0


def test_families_follow_the_core_rule(catalog):
    families = true_families(catalog.truth, threshold=85)
    truth = catalog.truth_by_id()
    assert families and all(len(f["members"]) >= 2 and f["overlap"] >= 85 for f in families)
    for family in families:
        assert {truth[m]["type"] for m in family["members"]} == {family["type"]}
        assert {truth[m]["kind"] for m in family["members"]} == {"variant"}


def test_near_identical_pairs_are_both_ways_above_threshold(regions):
    small = generate(300, seed=3, regions=regions)
    truth = small.truth_by_id()
    pairs = near_identical_pairs(small.truth)
    assert pairs
    for a, b in pairs:
        assert true_overlap(truth[a], truth[b]) >= 85 and true_overlap(truth[b], truth[a]) >= 85
    brute_force = [
        (a["id"], b["id"]) for a, b in combinations(small.truth, 2)
        if min(true_overlap(a, b), true_overlap(b, a)) >= 85
    ]
    assert pairs == sorted(brute_force)


def test_every_function_has_four_distinct_wordings_and_types_span_the_taxonomy():
    assert len(SYSTEM_TYPES) >= 30
    for type_ in SYSTEM_TYPES:
        assert 8 <= len(type_.functions) <= 14
        assert set(type_.industries) <= set(INDUSTRIES) and set(type_.technologies) <= set(TECHNOLOGIES)
        for wordings in type_.functions.values():
            assert len(set(wordings)) >= 4
    assert set(EXTRA_FUNCTIONS) == set(INDUSTRIES)
    assert all(len(pool) >= 15 for pool in EXTRA_FUNCTIONS.values())


def test_extra_functions_never_repeat_a_canonical_wording():
    canonical = {w for t in SYSTEM_TYPES for ws in t.functions.values() for w in ws}
    assert not canonical & {text for pool in EXTRA_FUNCTIONS.values() for _, text in pool}


def test_feature_pairs_are_balanced_and_labelled(catalog):
    pairs = feature_pairs(catalog, 200, seed=9)
    assert len(pairs) == 200 and sum(same for _, _, same in pairs) == 100
    assert all(a != b for a, b, _ in pairs)
    assert pairs == feature_pairs(catalog, 200, seed=9)


def test_write_produces_importable_projects_and_truth(catalog, tmp_path):
    projects_path, truth_path = write(catalog, tmp_path)
    projects = json.loads(projects_path.read_text(encoding="utf-8"))
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    assert projects == catalog.records
    assert truth["records"] == catalog.truth and truth["families"] == true_families(catalog.truth)
    assert "kindergarten_queue.apply" in truth["functions"]


# ---------------------------------------------------------------- Russian and mixed catalogs

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
LATIN = re.compile("[a-z]", re.IGNORECASE)


def _is_russian(text: str) -> bool:
    """Cyrillic, with at most a few Latin letters (QR, BIM, e-mail)."""
    return len(CYRILLIC.findall(text)) > 3 * len(LATIN.findall(text))


def test_every_function_has_three_distinct_russian_wordings():
    seen: dict[str, str] = {}
    for type_ in SYSTEM_TYPES:
        assert type_.has_russian and len(type_.ru_titles) >= 2 and _is_russian(type_.ru_summary)
        assert all("{region}" in title and _is_russian(title.format(region="")) for title in type_.ru_titles)
        assert set(type_.ru_wordings) == set(type_.functions)
        for key, wordings in type_.ru_wordings.items():
            assert len({w.casefold() for w in wordings}) == len(wordings) >= 3, (type_.code, key)
            assert all(_is_russian(w) for w in wordings), (type_.code, key)
            assert type_.ru_functions[key] == wordings[0]
            for w in wordings:  # a wording names one function only
                assert seen.setdefault(w.casefold(), type_.function_id(key)) == type_.function_id(key)
    extras = [fid for pool in EXTRA_FUNCTIONS.values() for fid, _ in pool]
    assert set(EXTRA_FUNCTIONS_RU) == set(extras) and all(_is_russian(w) for w in EXTRA_FUNCTIONS_RU.values())
    assert not {w.casefold() for w in EXTRA_FUNCTIONS_RU.values()} & set(seen)


def test_english_is_the_default_and_unchanged(regions):
    default = generate(200, seed=8, regions=regions)
    english = generate(200, seed=8, regions=regions, language="en")
    assert default.records == english.records and default.truth == english.truth
    assert all("language" not in r for r in default.records)
    languages = Counter(t["language"] for t in default.truth)
    assert languages["en"] > 0.8 * 200  # only a few variants of the older Russian types come out in Russian
    for record, truth in zip(default.records, default.truth):
        assert all(_is_russian(f) == (truth["language"] == "ru") for f in record["features"])


def test_russian_catalog_has_cyrillic_texts(regions):
    catalog = generate(300, seed=4, regions=regions, language="ru")
    assert Counter(t["kind"] for t in catalog.truth).keys() == {"variant", "half", "unique"}
    for record, truth in zip(catalog.records, catalog.truth):
        ProjectIn.model_validate(record)
        assert record["language"] == truth["language"] == "ru"
        assert _is_russian(record["title"]) and _is_russian(record["summary"])
        assert record["features"] and all(_is_russian(f) for f in record["features"])
        assert len(record["features"]) == len(truth["feature_functions"])
    # Regions word the same function differently in Russian too.
    wordings = Counter(f for r in catalog.records for f in r["features"])
    assert len(wordings) > 500


def test_mixed_catalog_chooses_a_language_per_record(regions):
    catalog = generate(400, seed=12, regions=regions, language="mixed")
    languages = Counter(t["language"] for t in catalog.truth)
    assert 0.4 <= languages["ru"] / 400 <= 0.6
    for kind in ("variant", "half", "unique"):
        assert {t["language"] for t in catalog.truth if t["kind"] == kind} == {"ru", "en"}
    for record, truth in zip(catalog.records, catalog.truth):
        ProjectIn.model_validate(record)
        assert record["language"] == truth["language"]
        assert all(_is_russian(f) == (truth["language"] == "ru") for f in record["features"])


@pytest.mark.parametrize("language", ["ru", "mixed"])
def test_same_seed_same_catalog_in_every_language(regions, language):
    first = generate(200, seed=5, regions=regions, language=language)
    second = generate(200, seed=5, regions=list(reversed(regions)), language=language)
    assert first.records == second.records and first.truth == second.truth
    assert generate(200, seed=6, regions=regions, language=language).records != first.records


def test_russian_records_keep_the_truth_of_their_english_counterparts(regions):
    # Same seed, same plan: the kinds and types do not depend on the language.
    english, russian = (generate(300, seed=2, regions=regions, language=lang) for lang in ("en", "ru"))
    assert [(t["kind"], t["type"]) for t in english.truth] == [(t["kind"], t["type"]) for t in russian.truth]

    def mean_variant_overlap(truth):
        variants = [t for t in truth if t["kind"] == "variant"]
        overlaps = [true_overlap(a, b) for a, b in combinations(variants, 2) if a["type"] == b["type"]]
        return sum(overlaps) / len(overlaps)

    assert abs(mean_variant_overlap(russian.truth) - mean_variant_overlap(english.truth)) < 5


def test_unknown_language_is_refused(regions):
    with pytest.raises(ValueError):
        generate(10, seed=1, regions=regions, language="fr")


def test_write_carries_languages_and_russian_wordings(regions, tmp_path):
    catalog = generate(100, seed=3, regions=regions, language="mixed")
    _, truth_path = write(catalog, tmp_path)
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    assert {t["language"] for t in truth["records"]} == {"ru", "en"}
    assert "подача заявления на зачисление ребёнка в детский сад онлайн" in truth["functions_ru"]["kindergarten_queue.apply"]
    assert set(truth["extra_functions_ru"]) == set(truth["extra_functions"])


def test_seed_command_offers_the_languages():
    from click.testing import CliRunner

    from practicebank.cli import main

    result = CliRunner().invoke(main, ["seed", "--help"])
    assert result.exit_code == 0 and "--language [en|ru|mixed]" in result.output
