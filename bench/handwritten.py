"""The hand-written bilingual set (``bench/data/handwritten``) as ground truth.

Readers only: labelled pairs, paraphrase clusters and planned-vs-existing systems by split
("fit" or "test") and language. ``bench/calibrate.py`` fits the pair calibration on the fit
split; ``bench/matching.py`` reports retrieval and overlap on the test split, by language.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from practicebank.matcher.similarity import is_cyrillic
from practicebank.matcher.training import ListPair, Statement, clusters_from_pairs, contradictions

ROOT = Path(__file__).resolve().parents[1]
HANDWRITTEN = ROOT / "bench" / "data" / "handwritten"
SETTINGS = ("en/en", "ru/ru", "en/ru", "ru/en")


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def language(text: str) -> str:
    return "ru" if is_cyrillic(text) else "en"


@dataclass
class Plan:
    id: str
    split: str
    target: str | None
    title: dict  # language -> title
    functions: list[dict]  # {"en", "ru", "matches"}

    def true_overlap(self) -> float:
        return 100.0 * sum(f.get("matches") is not None for f in self.functions) / len(self.functions)


def systems() -> list[dict]:
    return read_jsonl(HANDWRITTEN / "systems.jsonl")


def plans() -> list[Plan]:
    return [Plan(p["id"], p["split"], p.get("target"), {"en": p["title_en"], "ru": p["title_ru"]},
                 p["functions"]) for p in read_jsonl(HANDWRITTEN / "plans.jsonl")]


def labelled_pairs(split: str) -> list[dict]:
    """Every labelled pair of ``split`` as ``{"a", "b", "same", "domain"}``.

    Besides the pair file: a system's function written in English and in Russian is one
    function; so is a planned function with the target function it matches.
    """
    out = [{"a": p["a"], "b": p["b"], "same": bool(p["label"]), "domain": (p.get("domains") or ["?"])[0]}
           for p in read_jsonl(HANDWRITTEN / "function_pairs.jsonl") if p["split"] == split]
    by_id = {s["id"]: s for s in systems()}
    for s in by_id.values():
        if s["split"] == split:
            out += [{"a": f["en"], "b": f["ru"], "same": True, "domain": s["domain"]} for f in s["functions"]]
    for plan in plans():
        target = by_id.get(plan.target or "")
        if plan.split != split or target is None:
            continue
        fids = {f["fid"]: f for f in target["functions"]}
        for f in plan.functions:
            out.append({"a": f["en"], "b": f["ru"], "same": True, "domain": target["domain"]})
            if f.get("matches") in fids:
                out.append({"a": f["en"], "b": fids[f["matches"]]["en"], "same": True, "domain": target["domain"]})
    return out


def clusters(split: str) -> dict[str, Statement]:
    pairs = labelled_pairs(split)
    found = clusters_from_pairs(pairs, language)
    bad = contradictions(pairs, found)
    if bad:
        raise ValueError(f"labelled pairs contradict each other: {bad[:3]}")
    return found


def plan_list_pairs(split: str, weight: float = 1.0) -> list[ListPair]:
    """Each planned system against its target, in every language setting; a planned function
    that the target does not perform gets an id of its own."""
    by_id = {s["id"]: s for s in systems()}
    out = []
    for setting in SETTINGS:
        plan_lang, system_lang = setting.split("/")
        for plan in plans():
            target = by_id.get(plan.target or "")
            if plan.split == split and target is not None:
                out.append(ListPair([f[plan_lang] for f in plan.functions], [f[system_lang] for f in target["functions"]],
                                    [f.get("matches") or f"{plan.id}-{i}" for i, f in enumerate(plan.functions)],
                                    [f["fid"] for f in target["functions"]], setting, weight))
    return out


def unrelated_list_pairs(split: str, per_plan: int = 2, weight: float = 1.0) -> list[ListPair]:
    """Planned systems against systems of another domain group: nothing there is the same
    function (true overlap 0), as for the unrelated candidates retrieval also proposes."""
    by_id = {s["id"]: s for s in systems()}
    out = []
    for setting in SETTINGS:
        plan_lang, system_lang = setting.split("/")
        for plan in plans():
            domain = by_id[plan.target]["domain"] if plan.target in by_id else None
            others = [s for s in systems() if s["split"] == split and s["domain"] != domain]
            if plan.split != split or not others:
                continue
            for k in range(per_plan):  # deterministic: a plan's k-th other system by position
                other = others[(hash_index(plan.id) + k * 7) % len(others)]
                out.append(ListPair([f[plan_lang] for f in plan.functions], [f[system_lang] for f in other["functions"]],
                                    [f"{plan.id}-{i}" for i in range(len(plan.functions))],
                                    [f["fid"] for f in other["functions"]], setting, weight))
    return out


def hash_index(text: str) -> int:
    return sum(ord(c) * (i + 1) for i, c in enumerate(text))
