"""The shipped list of Russia's federal subjects, and turning any spelling into a code."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

SEED_DIR = Path(__file__).resolve().parent.parent / "seed_data"
REGIONS_FILE = SEED_DIR / "regions.json"

# Words that people add or drop when naming a region ("Tatarstan" vs "Republic of Tatarstan").
_NOISE = re.compile(
    r"\b(the|republic|of|region|oblast|krai|territory|autonomous|okrug|city|республика|область|"
    r"край|автономный|автономная|округ|город|федерального|значения)\b", re.IGNORECASE)


# Spellings people and the source documents use that the standard names do not cover.
ALIASES: dict[str, tuple[str, ...]] = {
    "RU-MOS": ("Moscow region", "Moscow Oblast", "Podmoskovye", "Подмосковье", "Московская обл."),
    "RU-MOW": ("Moscow city", "г. Москва"),
    "RU-SPE": ("St. Petersburg", "St Petersburg", "Saint-Petersburg", "Petersburg", "Петербург", "СПб"),
    "RU-KHM": ("Ugra", "Yugra", "Khanty-Mansiysk Autonomous Okrug", "Khanty-Mansi Autonomous Okrug",
               "KhMAO", "Югра", "ХМАО", "ХМАО-Югра"),
    "RU-YAN": ("Yamal", "YaNAO", "ЯНАО"),
    "RU-ALT": ("Altai Territory", "Altai Krai", "Altay Krai"),
    "RU-AL": ("Altai Republic", "Gorno-Altai", "Altay Republic"),
    "RU-SE": ("North Ossetia", "North Ossetia-Alania", "Северная Осетия"),
    "RU-SA": ("Yakutia", "Sakha", "Якутия"),
    "RU-KEM": ("Kuzbass", "Kemerovo region", "Кузбасс"),
    "RU-CU": ("Chuvashia", "Чувашия"),
    "RU-KB": ("Kabardino-Balkaria", "Кабардино-Балкария"),
    "RU-KC": ("Karachay-Cherkessia", "Карачаево-Черкесия"),
    "RU-UD": ("Udmurtia", "Удмуртия"),
    "RU-CE": ("Chechnya", "Чечня"),
    "RU-BA": ("Bashkiria", "Башкирия"),
    "RU-MO": ("Mordovia", "Мордовия"),
    "RU-TY": ("Tuva", "Tyva", "Тыва", "Тува"),
    "RU-YEV": ("Jewish Autonomous Region", "JAR", "ЕАО"),
    "RU-KL": ("Kalmykia", "Калмыкия"),
    "RU-TA": ("Tatarstan", "Татарстан"),
}


def shipped_regions() -> list[dict]:
    return json.loads(REGIONS_FILE.read_text(encoding="utf-8"))


def _normalise(name: str) -> str:
    name = name.casefold().replace("ё", "е")
    name = re.sub(r"[\s\-–—,.()]+", " ", name)
    return " ".join(_NOISE.sub(" ", name).split())


def make_resolver(regions: Iterable[dict]) -> Callable[[str], str | None]:
    """A function from a code or an English/Russian name to the region's code (None if unknown)."""
    exact: dict[str, str] = {}
    loose: dict[str, str] = {}
    for r in regions:
        for spelling in (r["code"], r["name_en"], r["name_ru"], *ALIASES.get(r["code"], ())):
            exact[spelling.casefold()] = r["code"]
            key = _normalise(spelling)
            # A loose spelling shared by two regions ("Altai") resolves to neither.
            if key and loose.setdefault(key, r["code"]) != r["code"]:
                loose[key] = ""

    def resolve(value: str) -> str | None:
        value = (value or "").strip()
        return exact.get(value.casefold()) or loose.get(_normalise(value)) or None

    return resolve


@lru_cache(maxsize=1)
def shipped_resolver() -> Callable[[str], str | None]:
    return make_resolver(shipped_regions())
