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
# Russian ones in every case and their abbreviations ("Рязанской области", "Курганская обл.",
# "Респ. Татарстан", "г. Москва", "Пермского края").
_NOISE = re.compile(
    r"\b(the|republic|of|region|oblast|krai|territory|autonomous|okrug|city|"
    r"республик[аиеуо]й?|респ|област(ь|и|ью)|обл|кра(й|я|ю|е|ем)|автономн(ый|ая|ого|ой|ому|ом|ым|ую)|"
    r"авт|ао|округ(а|у|е|ом)?|город(а|у|е|ом)?|г|федерального|значения)\b", re.IGNORECASE)


# Spellings people and the source documents use that the standard names do not cover.
ALIASES: dict[str, tuple[str, ...]] = {
    "RU-MOS": ("Moscow region", "Moscow Oblast", "Podmoskovye", "Подмосковье", "Московская обл."),
    "RU-MOW": ("Moscow city", "г. Москва"),
    "RU-SPE": ("St. Petersburg", "St Petersburg", "Saint-Petersburg", "Petersburg", "Петербург", "СПб"),
    "RU-KHM": ("Ugra", "Yugra", "Khanty-Mansiysk Autonomous Okrug", "Khanty-Mansi Autonomous Okrug",
               "KhMAO", "Югра", "ХМАО", "ХМАО-Югра", "Ханты-Мансийский автономный округ"),
    "RU-YAN": ("Yamal", "YaNAO", "ЯНАО"),
    "RU-ALT": ("Altai Territory", "Altai Krai", "Altay Krai"),
    "RU-AL": ("Altai Republic", "Gorno-Altai", "Altay Republic"),
    "RU-SE": ("North Ossetia", "North Ossetia-Alania", "Северная Осетия", "Республика Северная Осетия"),
    "RU-SA": ("Yakutia", "Sakha", "Якутия", "Республика Саха"),
    "RU-KEM": ("Kuzbass", "Kemerovo region", "Кузбасс", "Кемеровская область"),
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
    "RU-NEN": ("NAO", "НАО"),
    "RU-CHU": ("Chukotka", "Чукотка", "ЧАО"),
}


def shipped_regions() -> list[dict]:
    return json.loads(REGIONS_FILE.read_text(encoding="utf-8"))


def _normalise(name: str) -> str:
    name = name.casefold().replace("ё", "е")
    name = re.sub(r"[\s\-–—,.()]+", " ", name)
    return " ".join(_NOISE.sub(" ", name).split())


class RegionNames:
    """Every spelling of the regions, for reading a cell ("Курганская обл.") or finding a region
    named in a title ("Перечень проектов … Рязанской области на 2022–2024 годы").

    Three tables, tried in order: exact spellings (codes, names, aliases), the same with the
    words people add or drop removed, and the Russian names in the other grammatical cases
    ("Республики Татарстан", "г. Москвы", "Ханты-Мансийского автономного округа — Югры"). A loose
    spelling shared by two regions ("Altai") resolves to neither; the case forms only ever fill
    in where the other two tables have nothing, so a form can never shadow a name.
    """

    def __init__(self, regions: Iterable[dict]):
        self.exact: dict[str, str] = {}
        self.loose: dict[str, str] = {}
        self.forms: dict[str, str] = {}
        for r in regions:
            spellings = (r["code"], r["name_en"], r["name_ru"], *ALIASES.get(r["code"], ()))
            for spelling in spellings:
                self.exact[spelling.casefold()] = r["code"]
                _add_unique(self.loose, _normalise(spelling), r["code"])
            for spelling in spellings:
                for form in _case_forms(spelling):
                    _add_unique(self.forms, _normalise(form), r["code"])

    def resolve(self, value: str) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        key = _normalise(value)
        return self.exact.get(value.casefold()) or self.loose.get(key) or self.forms.get(key) or None

    def find_in_text(self, text: str) -> str | None:
        """The one region a text names (the longest spelling wins), else None.

        Only Russian and English names and their case forms count, not bare codes; a text
        naming two different regions names none.
        """
        words = _normalise(text or "").split()
        found: set[str] = set()
        i = 0
        while i < len(words):
            for n in range(min(6, len(words) - i), 0, -1):
                key = " ".join(words[i:i + n])
                code = self.loose.get(key) or self.forms.get(key)
                if code and not key.startswith("ru "):
                    found.add(code)
                    i += n - 1
                    break
            i += 1
        return found.pop() if len(found) == 1 else None


def _add_unique(table: dict[str, str], key: str, code: str) -> None:
    if key and table.setdefault(key, code) != code:
        table[key] = ""


_CASES = ("gent", "datv", "ablt", "loct")


@lru_cache(maxsize=4096)
def _case_forms(spelling: str) -> tuple[str, ...]:
    """A Russian region name in the other cases, word by word ("Рязанская область" ->
    "рязанской области", "рязанской областью"...). Empty for names without Cyrillic."""
    if not re.search("[а-яё]", spelling, re.IGNORECASE):
        return ()
    analyzer = _morph()
    words = re.sub(r"[(),.]", " ", spelling.casefold()).split()
    forms = []
    for case in _CASES:
        inflected = []
        for word in words:
            parse = analyzer.parse(word)[0] if re.search("[а-яё]", word) else None
            form = parse.inflect({case}) if parse is not None and {"NOUN", "ADJF"} & {parse.tag.POS} else None
            inflected.append(form.word if form is not None else word)
        forms.append(" ".join(inflected))
    return tuple(dict.fromkeys(forms))


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def make_resolver(regions: Iterable[dict]) -> Callable[[str], str | None]:
    """A function from a code or an English/Russian name (any case, common abbreviations) to the
    region's code (None if unknown)."""
    return RegionNames(regions).resolve


def find_region_in_text(text: str, regions: Iterable[dict] | None = None) -> str | None:
    """The code of the one region a text (a document title) names, else None."""
    names = _shipped_names() if regions is None else RegionNames(regions)
    return names.find_in_text(text)


@lru_cache(maxsize=1)
def _shipped_names() -> RegionNames:
    return RegionNames(shipped_regions())


@lru_cache(maxsize=1)
def shipped_resolver() -> Callable[[str], str | None]:
    return make_resolver(shipped_regions())
