"""A deterministic synthetic catalog: the situation the audit described, with its ground truth.

Around a thousand regional systems, most of them re-implementations of a few dozen common
system types (``catalog.system_types``), each region wording its variant differently and
adding a few functions of its own. The generator also records which type and which functions
every record implements, so benchmarks can score the matcher against the truth.

Mix of records:
- ``variant`` (~78%): a region's implementation of a type (at most one per region and type,
  until the regions run out and municipalities build their own): a random 80-100% of the
  type's canonical functions, each in a randomly chosen wording, plus 0-3 extras.
- ``half`` (~11%): ~40-60% of one type's canonical functions plus functions of a second
  type; never near-identical to the first type's variants.
- ``unique`` (~11%): functions from the region-specific pools only.

Languages (``language``):
- ``en`` (the default, and the catalog of earlier releases: same seed, same records): English,
  except that a quarter of the variants of the ten types marked ``russian_variants_in_en``
  come out in Russian (~8% of the records), in their first Russian wording and without extras.
- ``ru``: every record in Russian, each function in a randomly chosen Russian wording.
- ``mixed``: each record in English or Russian, chosen per record (about half each).
In ``ru`` and ``mixed`` the records carry their ``language``; the truth always does.

Same ``n``, ``seed``, ``regions`` and ``language`` give the same output: one
``random.Random(seed)`` drives everything and nothing iterates over a set.
"""
from __future__ import annotations

import bisect
import itertools
import json
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from practicebank import settings
from practicebank.catalog.system_types import (
    EXTRA_FUNCTIONS,
    EXTRA_FUNCTIONS_RU,
    INDUSTRY_OWNERS,
    SYSTEM_TYPES,
    TYPES_BY_CODE,
    SystemType,
)
from practicebank.catalog.taxonomy import INDUSTRIES, TECHNOLOGIES

HALF_SHARE = 0.11
UNIQUE_SHARE = 0.11
LANGUAGES = ("en", "ru", "mixed")
# In the "en" catalog only the types marked russian_in_en come out in Russian; a quarter of
# their variants gives roughly 8% Russian records overall.
RUSSIAN_VARIANT_SHARE = 0.25
MIXED_RUSSIAN_SHARE = 0.5
BASED_ON_SHARE = 0.25

# Leading regions build more systems and earlier; those needing support fewer and later,
# with more federal money.
GROUP_WEIGHT = {"leading": 1.0, "developing": 0.55, "needs_support": 0.3}
GROUP_LAG = {"leading": (0, 3), "developing": (1, 9), "needs_support": (3, 11)}
GROUP_COST = {"leading": (1.0, 1.4), "developing": (0.8, 1.1), "needs_support": (0.6, 0.9)}
FUNDING_MIX = {  # regional, federal, local, extrabudgetary
    "leading": (0.70, 0.12, 0.06, 0.12),
    "developing": (0.50, 0.35, 0.07, 0.08),
    "needs_support": (0.22, 0.68, 0.05, 0.05),
}
LICENSES = (("government_owned", 0.45), ("proprietary", 0.33), ("open_source", 0.12), ("unknown", 0.10))

VENDORS = (
    "Severnoye Siyaniye Soft", "Volga Digital Systems", "Ural InfoTech", "Baikal Software Lab",
    "Amur Integration Group", "Kama Data Solutions", "Taiga Cloud Services", "Neva Systems",
    "Altai Code Works", "Yenisei Information Technologies", "Don GovTech", "Oka Smart Solutions",
    "Kuban Software Factory", "Sayan Analytics", "Pechora IT Consulting", "Irtysh Platform",
    "Ladoga Engineering Software", "Elbrus Digital", "Zhiguli Systems Integration", "Tobol Soft",
    "Vyatka Computing", "Onega Data", "Sakhalin Networks", "Kolyma Automation",
)
HALF_TITLES = (
    "{title} and related services", "Integrated platform: {title}", "{title} (combined solution)",
    "Extended {title}",
)
HALF_TITLES_RU = (
    "{title} и смежные сервисы", "Интегрированная платформа: {title}", "{title} (комплексное решение)",
    "Расширенная версия системы: {title}",
)
UNIQUE_TITLES = (
    "{region}: {feature}", "{feature} ({region})", "{region} {industry} pilot: {feature}",
    "Regional {industry} project of {region}: {feature}",
)
UNIQUE_SUMMARIES = (
    "Regional {industry} project covering {a} and {b}.",
    "A system of its own in {region}: {a}, {b} and related functions.",
)
UNIQUE_TITLES_RU = (
    "{region}: {feature}", "{feature} ({region})", "Пилотный проект ({region}, {industry}): {feature}",
    "Региональный проект в сфере «{industry}»: {feature} ({region})",
)
UNIQUE_SUMMARIES_RU = (
    "Региональный проект в сфере «{industry}»: {a}; {b}.",
    "Собственная разработка ({region}): {a}, {b} и связанные функции.",
)
DESCRIPTIONS = (
    "{summary} The system is operated by {owner} and went into work in {year}.",
    "{summary} Started in {year}, it is run by {owner}; the software was supplied by {vendor}.",
    "{summary} {owner} launched the project in {year} together with {vendor}.",
)
DESCRIPTIONS_RU = (
    "{summary} Проект реализуется с {year} года, поставщик — {vendor}.",
    "{summary} Система введена в работу в {year} году.",
)
UNIQUE_INDICATORS = (
    ("Registered users", "thousand", (1, 20), (30, 150)),
    ("Share of the process handled digitally", "%", (10, 40), (80, 100)),
)


@dataclass
class SyntheticCatalog:
    records: list[dict[str, Any]]
    truth: list[dict[str, Any]]
    seed: int
    types: tuple[SystemType, ...] = field(default=SYSTEM_TYPES, repr=False)

    def truth_by_id(self) -> dict[str, dict[str, Any]]:
        return {t["id"]: t for t in self.truth}


@dataclass
class _Slot:
    kind: str
    region: dict[str, Any]
    type: SystemType | None = None
    municipality: int = 0  # 0: the region's own system; k: the k-th municipal one
    second: SystemType | None = None  # the other type a half system borrows from
    industry: str = ""  # of a unique system


# ---------------------------------------------------------------- planning


def _weighted_order(rng: random.Random, items: list[Any], weights: list[float]) -> list[Any]:
    """Items in random order where heavier items tend to come first (Efraimidis-Spirakis)."""
    keys = [rng.random() ** (1.0 / w) for w in weights]
    order = sorted(range(len(items)), key=lambda i: -keys[i])
    return [items[i] for i in order]


def _variant_slots(rng: random.Random, regions: list[dict], types: tuple[SystemType, ...], count: int) -> list[_Slot]:
    """(region, type) pairs, each at most once per round; rounds after the first are municipal."""
    pairs = [(r, t) for r in regions for t in types]
    weights = [GROUP_WEIGHT.get(r.get("group", ""), 0.55) * t.popularity for r, t in pairs]
    slots: list[_Slot] = []
    for municipality in itertools.count():
        if len(slots) >= count:
            break
        for region, type_ in _weighted_order(rng, pairs, weights)[: count - len(slots)]:
            slots.append(_Slot("variant", region, type_, municipality))
    return slots


def _plan(rng: random.Random, n: int, regions: list[dict], types: tuple[SystemType, ...]) -> list[_Slot]:
    n_half = round(n * HALF_SHARE)
    n_unique = round(n * UNIQUE_SHARE)
    slots = _variant_slots(rng, regions, types, n - n_half - n_unique)
    popularity = [t.popularity for t in types]
    for _ in range(n_half):
        first = rng.choices(types, weights=popularity)[0]
        slots.append(_Slot("half", rng.choice(regions), first, second=_second_type(rng, first, types)))
    industries = sorted(EXTRA_FUNCTIONS)
    for _ in range(n_unique):
        slots.append(_Slot("unique", rng.choice(regions), industry=rng.choice(industries)))
    rng.shuffle(slots)
    return slots


def _second_type(rng: random.Random, first: SystemType, types: tuple[SystemType, ...]) -> SystemType:
    # A combined system usually joins two systems of one industry.
    others = [t for t in types if t.code != first.code]
    near = [t for t in others if set(t.industries) & set(first.industries)]
    return rng.choice(near if near and rng.random() < 0.7 else others)


# ---------------------------------------------------------------- functions


def _wording(rng: random.Random, type_: SystemType, key: str, language: str) -> str:
    """One wording of a canonical function; ``legacy``: the first Russian one, as the "en" catalog has it."""
    if language == "en":
        return rng.choice(type_.functions[key])
    return type_.ru_functions[key] if language == "legacy" else rng.choice(type_.ru_wordings[key])


def _extras(rng: random.Random, pool: tuple[tuple[str, str], ...], k: int, language: str) -> list[tuple[str, str]]:
    chosen = rng.sample(pool, k)
    return chosen if language == "en" else [(fid, EXTRA_FUNCTIONS_RU[fid]) for fid, _ in chosen]


def _variant_functions(rng: random.Random, type_: SystemType, language: str) -> list[tuple[str, str]]:
    keys = list(type_.functions)
    size = rng.randint(math.ceil(0.8 * len(keys)), len(keys))
    chosen = [(type_.function_id(k), _wording(rng, type_, k, language)) for k in rng.sample(keys, size)]
    if language != "legacy":  # the "en" catalog's Russian variants have no extras
        chosen += _extras(rng, EXTRA_FUNCTIONS[type_.industries[0]], rng.randint(0, 3), language)
    rng.shuffle(chosen)
    return chosen


def _half_functions(rng: random.Random, first: SystemType, second: SystemType, language: str) -> list[tuple[str, str]]:
    keys = list(first.functions)
    shared = max(2, round(rng.uniform(0.4, 0.6) * len(keys)))
    other_keys = list(second.functions)
    rest = min(len(keys) - shared + rng.randint(0, 1), len(other_keys))
    chosen = [(first.function_id(k), _wording(rng, first, k, language)) for k in rng.sample(keys, shared)]
    chosen += [(second.function_id(k), _wording(rng, second, k, language)) for k in rng.sample(other_keys, rest)]
    rng.shuffle(chosen)
    return chosen


def _unique_functions(rng: random.Random, industry: str, language: str) -> list[tuple[str, str]]:
    chosen = _extras(rng, EXTRA_FUNCTIONS[industry], rng.randint(5, 8), language)
    # A borrowed function or two from another field keeps unique systems apart from each other.
    other = rng.choice([i for i in sorted(EXTRA_FUNCTIONS) if i != industry])
    chosen += _extras(rng, EXTRA_FUNCTIONS[other], rng.randint(1, 2), language)
    rng.shuffle(chosen)
    return chosen


# ---------------------------------------------------------------- record attributes


def _start_year(rng: random.Random, slot: _Slot, year: int) -> int:
    if slot.kind != "variant":
        return rng.randint(2015, year)
    low, high = GROUP_LAG.get(slot.region.get("group", ""), (1, 6))
    start = slot.type.since + rng.randint(low, high) + (rng.randint(1, 4) if slot.municipality else 0)
    return min(max(start, 2015), year)


def _status_and_end(rng: random.Random, start: int, year: int) -> tuple[str, int]:
    age = year - start
    if age >= 3:
        status = rng.choices(("in_operation", "decommissioned"), weights=(0.93, 0.07 if age >= 6 else 0.0))[0]
    elif age >= 1:
        status = rng.choices(("in_operation", "in_development"), weights=(0.6, 0.4))[0]
    else:
        status = rng.choice(("planned", "in_development"))
    if status == "decommissioned":
        return status, start + rng.randint(5, age)
    return status, start + rng.randint(1, 3)


def _cost(rng: random.Random, capex_range: tuple[int, int], group: str, municipal: bool) -> dict[str, float]:
    low, high = capex_range
    scale_low, scale_high = GROUP_COST.get(group, (0.8, 1.1))
    capex = math.exp(rng.uniform(math.log(low), math.log(high))) * rng.uniform(scale_low, scale_high)
    if municipal:
        capex *= rng.uniform(0.15, 0.4)  # a municipality builds a smaller copy
    capex = round(capex, -1)
    return {"capex": capex, "opex_per_year": round(capex * rng.uniform(0.10, 0.25), -1)}


def _funding(rng: random.Random, capex: float, group: str, municipal: bool) -> dict[str, float]:
    mix = list(FUNDING_MIX.get(group, FUNDING_MIX["developing"]))
    if municipal:
        mix[2] += 0.4  # municipal systems are paid mostly from local budgets
    shares = [m * rng.uniform(0.6, 1.4) for m in mix]
    total = capex * rng.uniform(0.95, 1.05) / sum(shares)
    return {source: round(s * total, 1) for source, s in zip(("regional", "federal", "local", "extrabudgetary"), shares)}


def _indicators(rng: random.Random, templates: tuple, start: int, status: str) -> list[dict[str, Any]]:
    chosen = templates if rng.random() < 0.7 else rng.sample(templates, 1)
    result = []
    for name, unit, (b_low, b_high), (t_low, t_high) in chosen:
        baseline = round(rng.uniform(b_low, b_high), 1)
        target = round(rng.uniform(t_low, t_high), 1)
        indicator = {"name": name, "unit": unit, "baseline": baseline, "target": target,
                     "target_year": min(start + rng.randint(2, 4), 2030)}
        if status == "in_operation":
            indicator["actual"] = round(baseline + (target - baseline) * rng.uniform(0.5, 1.1), 1)
        result.append(indicator)
    return result


def _technologies(rng: random.Random, typical: tuple[str, ...]) -> list[str]:
    return [typical[0]] + [t for t in typical[1:] if rng.random() < 0.5]


def _owner(ministry: str, slot: _Slot) -> str:
    owner = f"{ministry} of {slot.region['name_en']}"
    return f"{owner}, municipality No. {slot.municipality}" if slot.municipality else owner


# ---------------------------------------------------------------- records


def _texts(rng: random.Random, slot: _Slot, functions: list[tuple[str, str]], language: str) -> tuple[str, str, list[str]]:
    """Title, summary and industries of a slot."""
    russian = language != "en"
    region = slot.region["name_ru"] if russian else slot.region["name_en"]
    if slot.kind == "unique":
        industry = INDUSTRIES[slot.industry][1] if russian else INDUSTRIES[slot.industry][0].lower()
        # Name the system after what it mainly does, not after a borrowed function.
        own = [text for fid, text in functions if fid.startswith(f"x.{slot.industry}.")]
        a, b = own[0], own[1]
        titles, summaries = (UNIQUE_TITLES_RU, UNIQUE_SUMMARIES_RU) if russian else (UNIQUE_TITLES, UNIQUE_SUMMARIES)
        title = rng.choice(titles).format(region=region, industry=industry, feature=a)
        summary = rng.choice(summaries).format(region=region, industry=industry, a=a, b=b)
        return title, summary, [slot.industry]
    type_ = slot.type
    if language == "legacy":
        return rng.choice(type_.ru_titles).format(region=region), type_.ru_summary, list(type_.industries)
    if russian:
        title, summary = rng.choice(type_.ru_titles).format(region=region), type_.ru_summary
    else:
        title = rng.choice(type_.titles).format(region=region)
        summary = rng.choice(type_.summaries).format(region=region)
    industries = list(type_.industries)
    if slot.kind == "half":
        title = rng.choice(HALF_TITLES_RU if russian else HALF_TITLES).format(title=title)
        industries += [i for i in slot.second.industries if i not in industries]
    return title, summary, industries


def _can_be_russian(slot: _Slot) -> bool:
    """Whether every text the slot may draw has a Russian wording (a caller's own types may lack them)."""
    if not all(t.has_russian for t in (slot.type, slot.second) if t is not None):
        return False
    pools = {"variant": list(slot.type.industries[:1]) if slot.type else [], "half": [], "unique": sorted(EXTRA_FUNCTIONS)}
    return all(fid in EXTRA_FUNCTIONS_RU for industry in pools[slot.kind] for fid, _ in EXTRA_FUNCTIONS[industry])


def _record_language(rng: random.Random, slot: _Slot, language: str) -> str:
    """"en", "ru" or "legacy" (Russian as the "en" catalog has always written it)."""
    if language == "en":
        legacy = slot.kind == "variant" and slot.type.russian_in_en and rng.random() < RUSSIAN_VARIANT_SHARE
        return "legacy" if legacy else "en"
    russian = language == "ru" or rng.random() < MIXED_RUSSIAN_SHARE
    return "ru" if russian and _can_be_russian(slot) else "en"


def _record(rng: random.Random, record_id: str, slot: _Slot, language: str, year: int) -> tuple[dict[str, Any], dict[str, Any]]:
    record_language = _record_language(rng, slot, language)
    russian = record_language != "en"
    if slot.kind == "variant":
        functions = _variant_functions(rng, slot.type, record_language)
    elif slot.kind == "half":
        functions = _half_functions(rng, slot.type, slot.second, record_language)
    else:
        functions = _unique_functions(rng, slot.industry, record_language)
    title, summary, industries = _texts(rng, slot, functions, record_language)
    group = slot.region.get("group", "developing")
    start = _start_year(rng, slot, year)
    status, end = _status_and_end(rng, start, year)
    cost = _cost(rng, slot.type.capex if slot.type else (3_000, 60_000), group, slot.municipality > 0)
    ministry = slot.type.ministry if slot.type else INDUSTRY_OWNERS[slot.industry]
    owner = _owner(ministry, slot)
    license_ = rng.choices([l for l, _ in LICENSES], weights=[w for _, w in LICENSES])[0]
    vendor = f"Regional IT Centre of {slot.region['name_en']}" if license_ == "government_owned" and rng.random() < 0.3 else rng.choice(VENDORS)
    technologies = _technologies(rng, slot.type.technologies) if slot.type else rng.sample(sorted(TECHNOLOGIES), rng.randint(1, 2))
    description = rng.choice(DESCRIPTIONS_RU if russian else DESCRIPTIONS).format(summary=summary, owner=owner, year=start, vendor=vendor)
    record = {
        "id": record_id, "title": title, "summary": summary, "description": description,
        "features": [text for _, text in functions],
        "region": slot.region["code"], "industries": industries, "technologies": technologies,
        "status": status, "start_year": start, "end_year": end,
        "cost": cost, "funding": _funding(rng, cost["capex"], group, slot.municipality > 0),
        "indicators": _indicators(rng, slot.type.indicators if slot.type else UNIQUE_INDICATORS, start, status),
        "owner": owner, "vendor": vendor, "license": license_,
        "based_on": [], "sources": [], "synthetic": True,
    }
    if language != "en":  # the "en" catalog stays as it always was; the store detects its languages
        record["language"] = "ru" if russian else "en"
    truth = {"id": record_id, "type": slot.type.code if slot.type else None, "kind": slot.kind,
             "language": "ru" if russian else "en",
             "feature_functions": [fid for fid, _ in functions]}
    return record, truth


def _link_reuse(rng: random.Random, records: list[dict], slots: list[_Slot]) -> None:
    """Some variants reuse an earlier variant of their type from a leading region."""
    sources: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for record, slot in zip(records, slots):
        if slot.kind == "variant" and slot.region.get("group") == "leading" and not slot.municipality:
            sources[slot.type.code].append((record["start_year"], record["id"]))
    for donors in sources.values():
        donors.sort()
    for record, slot in zip(records, slots):
        if slot.kind != "variant" or (slot.region.get("group") == "leading" and not slot.municipality):
            continue
        donors = sources.get(slot.type.code, [])
        earlier = donors[: bisect.bisect_left(donors, (record["start_year"], ""))]
        if earlier and rng.random() < BASED_ON_SHARE:
            record["based_on"] = [rng.choice(earlier)[1]]


def generate(
    n: int, seed: int, regions: list[dict], types: tuple[SystemType, ...] = SYSTEM_TYPES, language: str = "en",
    year: int = settings.SYNTHETIC_CATALOG_YEAR,
) -> SyntheticCatalog:
    """``n`` synthetic projects over ``regions`` ({code, name_en, name_ru, group, ...}) in ``language``
    ("en", "ru" or "mixed", see the module's opening comment), as of ``year``: start years, statuses
    and ages are drawn up to it (a fixed default, so that a seed gives the same catalog every year)."""
    if n < 0:
        raise ValueError("n must not be negative")
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    if not regions:
        raise ValueError("at least one region is needed")
    rng = random.Random(seed)
    regions = sorted(regions, key=lambda r: r["code"])  # the caller's order must not matter
    slots = _plan(rng, n, regions, types)
    width = max(5, len(str(n)))
    pairs = [_record(rng, f"syn-{i:0{width}d}", slot, language, year) for i, slot in enumerate(slots, start=1)]
    records = [record for record, _ in pairs]
    _link_reuse(rng, records, slots)
    return SyntheticCatalog(records=records, truth=[truth for _, truth in pairs], seed=seed, types=types)


# ---------------------------------------------------------------- ground truth


def true_overlap(truth_a: dict[str, Any], truth_b: dict[str, Any]) -> float:
    """100 x the share of A's functions that B also performs, by function id."""
    functions_a = truth_a["feature_functions"]
    if not functions_a:
        return 0.0
    functions_b = set(truth_b["feature_functions"])
    return 100.0 * sum(f in functions_b for f in functions_a) / len(functions_a)


def _core_overlaps(truth: dict[str, Any], core: set[str]) -> tuple[float, float]:
    functions = truth["feature_functions"]
    common = len(set(functions) & core)
    return 100.0 * common / len(functions), 100.0 * common / len(core)


def true_families(
    truth: list[dict[str, Any]], threshold: float = settings.NEAR_IDENTICAL_THRESHOLD,
    types: tuple[SystemType, ...] = SYSTEM_TYPES,
) -> list[dict[str, Any]]:
    """Families of near-identical systems, by the rule below.

    Rule: a type's family core is the full set of its canonical functions. A record belongs
    to the family when it is near-identical to the core both ways (its own functions are at
    least ``threshold``% canonical, and it performs at least ``threshold``% of the canonical
    functions). Families of fewer than two records are dropped. Only records of the type can
    qualify: canonical ids are never shared between types, and a half system has at most
    ~60% of the core. Two members are not guaranteed to be ``threshold`` both ways with each
    other (see ``near_identical_pairs`` for the exact pairs). ``overlap`` is the lowest of the
    members' both-way overlaps with the core.
    """
    by_code = {t.code: t for t in types}
    members: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for item in truth:
        type_ = by_code.get(item["type"] or "")
        if type_ is None or not item["feature_functions"]:
            continue
        core = {type_.function_id(k) for k in type_.functions}
        worst = min(_core_overlaps(item, core))
        if worst >= threshold:
            members[type_.code].append((item["id"], worst))
    families = [
        {"id": f"family-{code}", "type": code, "members": sorted(i for i, _ in found),
         "overlap": round(min(o for _, o in found), 1)}
        for code, found in members.items() if len(found) >= 2
    ]
    return sorted(families, key=lambda f: (-len(f["members"]), f["type"]))


def near_identical_pairs(truth: list[dict[str, Any]],
                         threshold: float = settings.NEAR_IDENTICAL_THRESHOLD) -> list[tuple[str, str]]:
    """Every pair of records near-identical both ways by function ids, as sorted id pairs.

    Exact, through a sparse record-by-function product; memory grows with the number of
    pairs that share a function, so it suits catalogs up to a few tens of thousands.
    """
    columns: dict[str, int] = {}
    rows, cols = [], []
    for row, item in enumerate(truth):
        for function in dict.fromkeys(item["feature_functions"]):
            rows.append(row)
            cols.append(columns.setdefault(function, len(columns)))
    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(truth), len(columns)))
    sizes = np.array([len(item["feature_functions"]) or 1 for item in truth], dtype=np.float64)
    common = sparse.triu(matrix @ matrix.T, k=1).tocoo()
    # Same arithmetic as true_overlap, so both agree at the threshold exactly.
    both_ways = (100.0 * common.data / sizes[common.row] >= threshold) & (100.0 * common.data / sizes[common.col] >= threshold)
    pairs = (tuple(sorted((truth[i]["id"], truth[j]["id"]))) for i, j in zip(common.row[both_ways], common.col[both_ways]))
    return sorted(pairs)


def feature_pairs(catalog: SyntheticCatalog, n: int, seed: int) -> list[tuple[str, str, bool]]:
    """Labelled feature pairs for calibrating a similarity threshold; half positive.

    Positives: two different English wordings of one canonical function. Hard negatives:
    two functions of the same type, or a canonical function against another type's or an
    extra function of the same industry.
    """
    rng = random.Random(seed)
    types = list(catalog.types)
    pairs = [_positive_pair(rng, types) for _ in range(n - n // 2)]
    pairs += [_negative_pair(rng, types) for _ in range(n // 2)]
    rng.shuffle(pairs)
    return pairs


def _positive_pair(rng: random.Random, types: list[SystemType]) -> tuple[str, str, bool]:
    type_ = rng.choice(types)
    a, b = rng.sample(type_.functions[rng.choice(list(type_.functions))], 2)
    return a, b, True


def _negative_pair(rng: random.Random, types: list[SystemType]) -> tuple[str, str, bool]:
    type_ = rng.choice(types)
    key_a, key_b = rng.sample(list(type_.functions), 2)
    text_a = rng.choice(type_.functions[key_a])
    roll = rng.random()
    if roll < 0.5:
        return text_a, rng.choice(type_.functions[key_b]), False
    industry = type_.industries[0]
    neighbours = [t for t in types if t.code != type_.code and industry in t.industries]
    if roll < 0.75 and neighbours:
        other = rng.choice(neighbours)
        return text_a, rng.choice(other.functions[rng.choice(list(other.functions))]), False
    return text_a, rng.choice(EXTRA_FUNCTIONS[industry])[1], False


# ---------------------------------------------------------------- files


def write(catalog: SyntheticCatalog, out_dir: str | Path,
          threshold: float = settings.NEAR_IDENTICAL_THRESHOLD) -> tuple[Path, Path]:
    """Write ``projects.json`` (a SPEC list of projects) and ``truth.json``; returns both paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    projects_path, truth_path = out / "projects.json", out / "truth.json"
    used = sorted({t["type"] for t in catalog.truth if t["type"]})
    by_code = {t.code: t for t in catalog.types}
    truth_doc = {
        "seed": catalog.seed,
        "n": len(catalog.records),
        "threshold": threshold,
        "family_rule": true_families.__doc__.split("Rule: ", 1)[1].split("``overlap``")[0].strip(),
        "records": catalog.truth,
        "families": true_families(catalog.truth, threshold, catalog.types),
        "functions": {
            by_code[code].function_id(k): list(paraphrases)
            for code in used for k, paraphrases in by_code[code].functions.items()
        },
        "extra_functions": {fid: text for pool in EXTRA_FUNCTIONS.values() for fid, text in pool},
        "functions_ru": {
            by_code[code].function_id(k): list(wordings)
            for code in used for k, wordings in by_code[code].ru_wordings.items()
        },
        "extra_functions_ru": dict(EXTRA_FUNCTIONS_RU),
    }
    _dump(catalog.records, projects_path)
    _dump(truth_doc, truth_path)
    return projects_path, truth_path


def _dump(data: Any, path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
        handle.write("\n")


__all__ = [
    "SyntheticCatalog", "generate", "true_overlap", "true_families", "near_identical_pairs",
    "feature_pairs", "write", "TYPES_BY_CODE",
]
