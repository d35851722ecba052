"""Tunable numbers and vocabularies have one home (practicebank/data/settings.json): each with a
reason and an origin, read by every layer instead of being written again in code."""
from __future__ import annotations

import ast
import json
import math
import re
from pathlib import Path

import pytest

from practicebank import settings
from practicebank.matcher.facets import cost_band, facet_values
from practicebank.matcher.records import ProjectRecord
from practicebank.web import params

ROOT = Path(__file__).resolve().parents[1] / "practicebank"
THRESHOLD = settings.NEAR_IDENTICAL_THRESHOLD
# A Jinja expression ({{ ... }} or {% ... %}) holding the threshold as a number.
TEMPLATE_LITERAL = re.compile(r"\{[{%][^}]*?(?<![\w.#])" + f"{THRESHOLD:g}" + r"(?:\.0)?(?![\w%])[^}]*?[}%]\}")


def test_every_setting_says_why_and_where_its_value_comes_from():
    for name, setting in settings.SETTINGS.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name), name
        assert len(setting.why.split()) >= 8, f"{name}: say why in a sentence"
        assert setting.source.strip(), f"{name}: say where it was measured, or 'not measured: a policy choice'"
        assert "not measured" in setting.source or re.search(r"bench|results|tests/", setting.source), \
            f"{name}: a source names a bench, a results file or a test, or says it was not measured"


def test_a_setting_defined_twice_is_refused(tmp_path):
    entry = {"name": "x", "value": 1, "why": "w", "source": "s"}
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"settings": [entry, entry]}), encoding="utf-8")
    with pytest.raises(ValueError, match="defined twice"):
        settings._load(path)


def test_typed_constants_are_the_file_values():
    assert settings.NEAR_IDENTICAL_THRESHOLD == settings.value("near_identical_threshold") == 85.0
    assert settings.RECOMMEND_WEIGHTS == settings.value("recommend_weights")
    assert settings.SCALING_WEIGHTS == settings.value("scaling_weights")
    assert settings.SAVINGS_ADAPTATION_RATE == pytest.approx(0.15)
    assert settings.describe("cost_bands").unit.startswith("capex in thousand rubles")
    with pytest.raises(KeyError):
        settings.value("no_such_setting")


def test_the_engine_reads_its_floors_and_saturations_from_settings():
    import inspect

    from practicebank.matcher import recommend, scaling
    from practicebank.matcher.families.finder import FamilyFinder

    assert recommend.MIN_FUNCTIONS_FOR_OVERLAP == settings.value("min_functions_for_overlap") == 2
    floor = inspect.signature(FamilyFinder).parameters["member_floor"].default
    assert floor == settings.value("family_member_floor") == 75.0
    demand = inspect.signature(scaling.rank_scale_candidates).parameters["demand_overlap"].default
    assert demand == settings.value("scaling_demand_overlap") == 50.0
    assert (settings.SCALING_PROOF_YEARS_FULL, settings.SCALING_PROOF_REUSE_FULL) == (5, 3)
    assert (settings.THRESHOLD_MIN, settings.THRESHOLD_MAX) == (50, 100)


def test_score_weights_sum_to_one():
    for weights in (settings.RECOMMEND_WEIGHTS, settings.SCALING_WEIGHTS):
        assert math.fsum(weights.values()) == pytest.approx(1.0)
    # the retriever's tags term joins only when a query names tags
    assert math.fsum(v for k, v in settings.RETRIEVAL_WEIGHTS.items() if k != "tags") == pytest.approx(1.0)


def test_the_two_region_group_scales_are_two_settings_on_purpose():
    recommend, scaling = settings.RECOMMEND_REGION_GROUP_VALUES, settings.SCALING_REGION_GROUP_VALUES
    assert recommend.keys() == scaling.keys()
    assert recommend["needs_support"] == pytest.approx(0.3) and scaling["needs_support"] == 0.0
    assert "scaling_region_group_values" in settings.describe("recommend_region_group_values").why
    assert "recommend_region_group_values" in settings.describe("scaling_region_group_values").why


def _threshold_literals(path: Path) -> list[int]:
    """Lines where a number equal to the threshold is written in code (strings and comments aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and type(node.value) in (int, float) and node.value == THRESHOLD]


def test_no_module_repeats_the_threshold():
    found = [f"{path.relative_to(ROOT.parent)}:{line}" for path in sorted(ROOT.rglob("*.py"))
             for line in _threshold_literals(path)]
    assert not found, "read practicebank.settings.NEAR_IDENTICAL_THRESHOLD instead:\n" + "\n".join(found)


def test_no_template_repeats_the_threshold():
    found = [f"{path.relative_to(ROOT.parent)}: {m.group(0)}" for path in sorted((ROOT / "web" / "templates").rglob("*.html"))
             for m in TEMPLATE_LITERAL.finditer(path.read_text(encoding="utf-8"))]
    assert not found, "templates read the global near_identical_threshold:\n" + "\n".join(found)


def test_the_literal_check_sees_a_default(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('def f(threshold: float = 85.0, label="85"):\n    return g(x, 85)  # 85 in a comment\n')
    assert _threshold_literals(module) == [1, 2]
    assert TEMPLATE_LITERAL.search("{{ url_for('x', t=t if t != 85 else None) }}")
    assert not TEMPLATE_LITERAL.search("<p>85 regions</p> {{ _('at least %(t)s', t=pct(near_identical_threshold)) }}")


def test_facet_names_are_one_vocabulary_for_matcher_and_web():
    record = ProjectRecord.from_dict({"id": "a", "title": "A", "region": "RU-TA", "industries": ["education"]})
    assert tuple(sorted(facet_values(record))) == tuple(sorted(settings.FACETS))
    for facet in settings.FACETS:
        assert params.allowed_values(facet, ["RU-TA"]) is not None  # the web parses every facet the matcher has


@pytest.mark.parametrize("capex", [0.0, 9_999.9, 10_000, 99_999, 100_000, 999_999, 1_000_000, 5e9, None])
def test_cost_bands_cut_where_the_setting_says(capex):
    band = cost_band(capex)
    if capex is None:
        assert band == settings.COST_BAND_UNKNOWN
        return
    (low, high), = [(lo, hi) for name, lo, hi in settings.COST_BANDS if name == band]
    assert (low is None or capex >= low) and (high is None or capex < high)
