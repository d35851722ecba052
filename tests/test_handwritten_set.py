"""Validator for the hand-written development / held-out set in bench/data/handwritten/.

Checks the schema, ids, labels, the fit/test split by domain group, the counts the issue asks
for, and that the set shares no wording with the synthetic generator or the paraphrase set.
"""
from __future__ import annotations

import ast
import json
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "handwritten"
SPLITS = {"fit", "test"}
KINDS = {"paraphrase", "translation", "hard_negative", "negative"}
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def _load(name: str) -> list[dict]:
    path = DATA / name
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:  # pragma: no cover - reported by the test
                    raise AssertionError(f"{name}:{n}: not JSON: {exc}") from exc
    return rows


@pytest.fixture(scope="module")
def systems() -> list[dict]:
    return _load("systems.jsonl")


@pytest.fixture(scope="module")
def plans() -> list[dict]:
    return _load("plans.jsonl")


@pytest.fixture(scope="module")
def pairs() -> list[dict]:
    return _load("function_pairs.jsonl")


def _lang(text: str) -> str:
    return "ru" if CYRILLIC.search(text) else "en"


def _nonempty(s) -> bool:
    return isinstance(s, str) and s.strip() == s and len(s) >= 3


def test_systems_schema(systems):
    assert len(systems) >= 35
    ids = [s["id"] for s in systems]
    assert len(ids) == len(set(ids)), "system ids are not unique"
    fids = [f["fid"] for s in systems for f in s["functions"]]
    assert len(fids) == len(set(fids)), "function ids are not unique"
    for s in systems:
        assert set(s) >= {"id", "domain", "split", "title_en", "title_ru", "functions"}, s["id"]
        assert s["split"] in SPLITS
        assert _nonempty(s["title_en"]) and _lang(s["title_en"]) == "en", s["id"]
        assert _nonempty(s["title_ru"]) and _lang(s["title_ru"]) == "ru", s["id"]
        assert 5 <= len(s["functions"]) <= 12, s["id"]
        for f in s["functions"]:
            assert set(f) == {"fid", "en", "ru"}, s["id"]
            assert _nonempty(f["en"]) and _lang(f["en"]) == "en", f["fid"]
            assert _nonempty(f["ru"]) and _lang(f["ru"]) == "ru", f["fid"]


def test_plans_schema_and_matches(systems, plans):
    by_id = {s["id"]: s for s in systems}
    ids = [p["id"] for p in plans]
    assert len(ids) == len(set(ids)), "plan ids are not unique"
    assert not set(ids) & set(by_id), "a plan id collides with a system id"
    for p in plans:
        assert set(p) >= {"id", "split", "target", "title_en", "title_ru", "functions"}, p["id"]
        assert p["split"] in SPLITS
        assert _lang(p["title_en"]) == "en" and _lang(p["title_ru"]) == "ru", p["id"]
        assert 3 <= len(p["functions"]) <= 10, p["id"]
        matches = []
        for f in p["functions"]:
            assert set(f) >= {"en", "ru", "matches"}, p["id"]
            assert _nonempty(f["en"]) and _lang(f["en"]) == "en", p["id"]
            assert _nonempty(f["ru"]) and _lang(f["ru"]) == "ru", p["id"]
            if f["matches"] is not None:
                matches.append(f["matches"])
        if p["target"] is None:
            assert not matches, f"{p['id']}: a plan without a target has matches"
            continue
        target = by_id[p["target"]]
        assert p["split"] == target["split"], p["id"]
        assert p.get("domain", target["domain"]) == target["domain"], p["id"]
        target_fids = {f["fid"] for f in target["functions"]}
        for m in matches:
            assert m in target_fids, f"{p['id']}: {m} is not a function of {p['target']}"
        assert len(matches) == len(set(matches)), f"{p['id']}: matches are not one to one"
        if "true_overlap" in p:
            assert p["true_overlap"] == pytest.approx(100 * len(matches) / len(p["functions"]), abs=0.06)
        # a plan function is a paraphrase, not a copy, of the target's function
        fmap = {f["fid"]: f for f in target["functions"]}
        for f in p["functions"]:
            if f["matches"]:
                t = fmap[f["matches"]]
                assert f["en"].lower() != t["en"].lower() and f["ru"].lower() != t["ru"].lower(), p["id"]


def test_plan_counts_and_overlap_spread(plans):
    with_target = [p for p in plans if p["target"] is not None]
    assert len(with_target) >= 20
    assert len([p for p in plans if p["target"] is None]) >= 3
    overlaps = [sum(f["matches"] is not None for f in p["functions"]) / len(p["functions"])
                for p in with_target]
    assert any(o == 1.0 for o in overlaps)
    assert any(0.6 <= o < 1.0 for o in overlaps)
    assert any(0.2 <= o <= 0.5 for o in overlaps)
    for split in SPLITS:
        assert any(p["split"] == split for p in with_target), split


def test_pairs_schema_and_languages_by_kind(pairs):
    assert len(pairs) >= 450
    seen = set()
    for r in pairs:
        assert set(r) >= {"a", "b", "lang_a", "lang_b", "label", "kind", "split"}, r
        assert r["split"] in SPLITS and r["kind"] in KINDS and r["label"] in (0, 1), r
        assert _nonempty(r["a"]) and _nonempty(r["b"]) and r["a"] != r["b"], r
        assert r["lang_a"] == _lang(r["a"]) and r["lang_b"] == _lang(r["b"]), r
        if r["kind"] == "paraphrase":
            assert r["label"] == 1 and r["lang_a"] == r["lang_b"], r
        elif r["kind"] == "translation":
            assert r["label"] == 1 and r["lang_a"] != r["lang_b"], r
        else:
            assert r["label"] == 0, r
        key = frozenset((r["a"], r["b"]))
        assert key not in seen, f"duplicate pair {r['a']!r} / {r['b']!r}"
        seen.add(key)


def test_pairs_mix(pairs):
    n = len(pairs)
    langs = Counter("cross" if r["lang_a"] != r["lang_b"] else r["lang_a"] for r in pairs)
    for key in ("ru", "en", "cross"):
        assert langs[key] / n >= 0.25, langs
    directions = Counter((r["lang_a"], r["lang_b"]) for r in pairs)
    assert directions[("ru", "en")] >= 50 and directions[("en", "ru")] >= 50, directions
    pos = sum(r["label"] for r in pairs) / n
    assert 0.35 <= pos <= 0.55, pos
    kinds = Counter(r["kind"] for r in pairs)
    assert kinds["hard_negative"] >= 100, kinds
    for split in SPLITS:
        sub = [r for r in pairs if r["split"] == split]
        assert len(sub) >= 150, split
        sub_langs = Counter("cross" if r["lang_a"] != r["lang_b"] else r["lang_a"] for r in sub)
        for key in ("ru", "en", "cross"):
            assert sub_langs[key] >= 30, (split, sub_langs)
        assert {r["kind"] for r in sub} == KINDS, split


def test_split_by_domain_group(systems, plans, pairs):
    split_of: dict[str, set[str]] = {}
    for s in systems:
        split_of.setdefault(s["domain"], set()).add(s["split"])
    for p in plans:
        if "domain" in p:
            split_of.setdefault(p["domain"], set()).add(p["split"])
    for r in pairs:
        for d in r.get("domains", []):
            split_of.setdefault(d, set()).add(r["split"])
    mixed = {d: s for d, s in split_of.items() if len(s) > 1}
    assert not mixed, f"domain groups in both splits: {mixed}"
    groups = Counter(next(iter(s)) for s in split_of.values())
    assert groups["fit"] >= 5 and groups["test"] >= 5, groups
    share_fit = sum(s["split"] == "fit" for s in systems) / len(systems)
    assert 0.5 <= share_fit <= 0.7, share_fit
    for r in pairs:
        assert r.get("domains"), r


def _texts(rows_systems, rows_plans, rows_pairs, split):
    out = set()
    for s in rows_systems:
        if s["split"] == split:
            out |= {s["title_en"], s["title_ru"]}
            out |= {f[k] for f in s["functions"] for k in ("en", "ru")}
    for p in rows_plans:
        if p["split"] == split:
            out |= {p["title_en"], p["title_ru"]}
            out |= {f[k] for f in p["functions"] for k in ("en", "ru")}
    for r in rows_pairs:
        if r["split"] == split:
            out |= {r["a"], r["b"]}
    return {t.lower() for t in out}


def test_no_wording_shared_between_fit_and_test(systems, plans, pairs):
    shared = _texts(systems, plans, pairs, "fit") & _texts(systems, plans, pairs, "test")
    assert not shared, sorted(shared)[:10]


def test_independent_of_synthetic_generator(systems, plans, pairs):
    theirs: set[str] = set()
    for rel in ("catalog/system_types.py", "catalog/synthetic.py"):
        path = ROOT / rel
        if not path.exists():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                theirs |= {part.strip().lower() for part in node.value.split("|") if len(part.strip()) > 8}
    para = ROOT / "bench" / "paraphrase_set.jsonl"
    if para.exists():
        for line in para.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                theirs |= {s.strip().lower() for k in ("planned", "existing") for s in d.get(k, [])}
    ours = _texts(systems, plans, pairs, "fit") | _texts(systems, plans, pairs, "test")
    copied = ours & theirs
    assert not copied, sorted(copied)[:10]
