"""One cell of a ministry spreadsheet as a value: functions, amounts, periods, statuses,
industries and technologies, each in the forms strategy appendices write them.

Each parser returns the value, or raises ``BadValue`` naming what is wrong (a code with
parameters and an English template; pages show it in their language).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from practicebank.catalog import taxonomy
from practicebank.catalog.files.cells import parse_number
from practicebank.catalog.portfolio.vocabulary import (FUNDING_WORDS, INDUSTRY_STEMS, NOTHING, STATUS_STEMS, TECHNOLOGY_STEMS,
                                          normalise)


class BadValue(ValueError):
    def __init__(self, code: str, template: str, **params: Any):
        super().__init__(template % params)
        self.code, self.template, self.params = code, template, params


def text_of(cell: Any) -> str:
    """A cell as a person reads it: 2021 not 2021.0, dates as dd.mm.yyyy, spaces tidied."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "да" if cell else "нет"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        cell = cell.date()
    if isinstance(cell, dt.date):
        return cell.strftime("%d.%m.%Y")
    return str(cell).replace("\u00a0", " ").replace("\u202f", " ").replace("\r\n", "\n").replace("\r", "\n").strip()


def is_nothing(text: str) -> bool:
    return normalise(text) in NOTHING or not re.search(r"\w", text)


# --- functions ---------------------------------------------------------------------------

# "1) запись 2) учёт", "а) …", "1. Запись 2. Учёт": an enumeration inside a line starts an item.
_INLINE_ENUMERATION = re.compile(r"(?:(?<=\s)|^)(?:\d{1,2}|[а-яa-z])\)\s+|(?:(?<=\s)|^)\d{1,2}\.\s+(?=[А-ЯЁA-Z])")
_BULLET = re.compile(r"^\s*(?:[-–—•·▪●○*]+|\d{1,2}[.)]|[а-яa-z]\))\s*")
_INTRO = re.compile(r"^[^:]{0,60}:\s*(?=[-–—•·▪●○*]|\d{1,2}\)|$)")  # "Основные функции: – запись…"


def split_functions(text: str) -> list[str]:
    """The functions a cell lists, one per item: separated by ``;``, line breaks, ``–`` or
    ``•`` bullets or an enumeration ``1) 2)``. Intro words ending in a colon are dropped."""
    text = text_of(text)
    text = _INTRO.sub("", text)
    text = _INLINE_ENUMERATION.sub("\n", text)
    text = re.sub(r"(?<=[;:.])\s+[-–—•·▪●]\s+", "\n", text)  # "…; – учёт", "…: – запись"
    items = []
    for part in re.split(r"[;\n]+", text):
        part = _BULLET.sub("", part).strip().rstrip(".;,").strip()
        if part and not part.endswith(":") and re.search(r"\w", part):
            items.append(part)
    return list(dict.fromkeys(items))


# --- money ---------------------------------------------------------------------------------

_AMOUNT = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d{1,3}(?:,\d{3})+\.\d+|\d+(?:[.,]\d+)?")
_YEAR_LABEL = re.compile(r"(?<!\d)(?:19|20)\d\d\s*(?:г\.|год|гг\.)?\s*(?:[-–—:]|\s(?=\d))")
_FUNDING_WORDS = sorted(((normalise(w), code) for code, words in FUNDING_WORDS.items() for w in words),
                        key=lambda pair: -len(pair[0]))


def parse_amount(cell: Any, multiplier: float = 1.0) -> tuple[float | None, dict[str, float]]:
    """``(total, by source)`` in thousand rubles; ``(None, {})`` for an empty or «–» cell.

    ``12 500,0`` -> 12500.0; ``ФБ – 15 000,0 / ОБ – 1 578,9`` -> (16578.9, {federal, regional}).
    """
    if isinstance(cell, bool):
        raise BadValue("not_an_amount", "%(value)r is not an amount; write thousand rubles such as 12 500,0",
                       value=text_of(cell))
    if isinstance(cell, (int, float)):
        if cell != cell or cell in (float("inf"), float("-inf")) or cell < 0:
            raise BadValue("not_an_amount", "%(value)r is not an amount; write thousand rubles such as 12 500,0",
                           value=text_of(cell))
        return round(float(cell) * multiplier, 3), {}
    text = text_of(cell)
    if is_nothing(text):
        return None, {}
    parts: dict[str, float] = {}
    total = 0.0
    found = False
    for segment in re.split(r"[/;\n+]| и ", text):
        if not segment.strip():
            continue
        segment = _YEAR_LABEL.sub(" ", segment)  # «2024 г. – 1 000,0; 2025 г. – 2 000,0»: amounts by year
        numbers = _AMOUNT.findall(segment)
        if not numbers:
            if is_nothing(segment) or _source_in(segment):
                continue
            raise BadValue("not_an_amount", "%(value)r is not an amount; write thousand rubles such as 12 500,0 "
                           "(or «–» when there is none)", value=text)
        if len(numbers) > 1:
            raise BadValue("not_an_amount", "%(value)r is not an amount; write thousand rubles such as 12 500,0 "
                           "(or «–» when there is none)", value=text)
        value = float(parse_number(numbers[0]))
        unit = normalise(segment)
        # a unit written in the cell wins over the column's
        value *= 1e6 if "млрд" in unit else 1e3 if "млн" in unit else 1.0 if "тыс" in unit else multiplier
        source = _source_in(segment)
        if source:
            parts[source] = round(parts.get(source, 0.0) + value, 3)
        total += value
        found = True
    if not found:
        return None, {}
    return round(total, 3), parts


def _source_in(text: str) -> str | None:
    words = f" {normalise(text)} "
    for word, code in _FUNDING_WORDS:
        if f" {word} " in words:
            return code
    return None


def parse_sources(cell: Any) -> list[str]:
    """Funding source codes a cell names («ФБ, ОБ», «Областной бюджет»), in order."""
    text = text_of(cell)
    found = []
    for part in re.split(r"[,;/\n]| и ", text):
        code = _source_in(part)
        if code and code not in found:
            found.append(code)
    return found


# --- years -----------------------------------------------------------------------------------

_YEAR = re.compile(r"(?<!\d)(19[9]\d|20\d\d|2100)(?!\d)")
_SHORT_RANGE = re.compile(r"(?<!\d)(20\d\d)\s*[-–—]\s*(\d\d)(?!\d)")  # «2022–24»


def parse_period(cell: Any) -> tuple[int | None, int | None]:
    """``(start_year, end_year)``: «2022–2024», «2023–2024 гг.», «2023 г.», «с 2022 по 2024 год»."""
    if isinstance(cell, (dt.date, dt.datetime)):
        return cell.year, cell.year
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and float(cell).is_integer() \
            and 1990 <= int(cell) <= 2100:
        return int(cell), int(cell)
    text = text_of(cell)
    if is_nothing(text):
        return None, None
    short = _SHORT_RANGE.search(text)
    if short:
        start = int(short.group(1))
        return start, int(short.group(1)[:2] + short.group(2))
    years = [int(y) for y in _YEAR.findall(text)]
    if not years:
        raise BadValue("not_a_period", "%(value)r is not a period; write years such as 2023–2025 or 2024",
                       value=text)
    return min(years), max(years)


def parse_year(cell: Any) -> int | None:
    start, _ = parse_period(cell)
    return start


# --- vocabularies ------------------------------------------------------------------------------

def _matches_stem(words: list[str], stem: str) -> bool:
    """Does a stem («государственн управлен», «ии») start consecutive words of the text?

    Stems of three letters or fewer must be whole words («ии», «гис», «ar»)."""
    parts = stem.split()
    for i in range(len(words) - len(parts) + 1):
        if all((w == p) if len(p) <= 3 else w.startswith(p) for w, p in zip(words[i:], parts)):
            return True
    return False


def _vocabulary_code(text: str, vocabulary: dict[str, tuple[str, str]],
                     stems: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    key = normalise(text)
    for code, (en, ru) in vocabulary.items():
        if key in (normalise(code), normalise(en), normalise(ru)):
            return code
    words = key.split()
    for code, code_stems in stems:
        if any(_matches_stem(words, normalise(s)) for s in code_stems):
            return code
    return None


_NUMBERING = re.compile(r"^\s*(?:раздел|section|глава)?\s*(?:\d{1,2}(?:\.\d{1,2})*|[IVXLC]{1,5})[.)]?\s+", re.IGNORECASE)


def parse_industries(cell: Any) -> list[str]:
    """Industry codes from codes or labels in either language, or the words strategies use
    («Здравоохранение», «Цифровое здравоохранение», «ЖКХ», «education»); several by ``;`` or ``,``."""
    text = text_of(cell)
    codes, unknown = [], []
    for part in re.split(r"[;,\n]", text):
        part = _NUMBERING.sub("", part).strip()
        if not part:
            continue
        code = _vocabulary_code(part, taxonomy.INDUSTRIES, INDUSTRY_STEMS)
        (codes if code else unknown).append(code or part)
    if unknown:
        raise BadValue("unknown_industry", "unknown industry %(value)r; write one of: %(allowed)s",
                       value=", ".join(unknown), allowed="; ".join(en for en, _ in taxonomy.INDUSTRIES.values()))
    return list(dict.fromkeys(codes))


def industry_of_heading(text: str) -> str | None:
    """The industry a group row names («Здравоохранение», «2. Образование»), else None."""
    part = _NUMBERING.sub("", text_of(text)).strip()
    if not part or len(part) > 80:
        return None
    return _vocabulary_code(part, taxonomy.INDUSTRIES, INDUSTRY_STEMS)


def parse_technologies(cell: Any) -> tuple[list[str], list[str]]:
    """``(codes, unrecognised parts)`` of a technologies cell."""
    codes, unknown = [], []
    for part in re.split(r"[;,\n/]", text_of(cell)):
        part = part.strip()
        if not part or is_nothing(part):
            continue
        code = _vocabulary_code(part, taxonomy.TECHNOLOGIES, TECHNOLOGY_STEMS)
        (codes if code else unknown).append(code or part)
    return list(dict.fromkeys(codes)), unknown


def parse_status(cell: Any) -> str | None:
    """A status code from «планируется», «В разработке», «РЕАЛИЗУЕТСЯ», «in operation»…"""
    text = text_of(cell)
    if is_nothing(text):
        return None
    code = _vocabulary_code(text, taxonomy.STATUSES, STATUS_STEMS)
    if code is None:
        raise BadValue("unknown_status", "unknown status %(value)r; write one of: %(allowed)s", value=text,
                       allowed="; ".join(en for en, _ in taxonomy.STATUSES.values()))
    return code
