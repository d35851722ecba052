"""Function statements: the unit of functional overlap.

A record's ``features`` are used as they are. Records without features get their summary and
description split into statements: sentences, ``;``-clauses, bullet items, colon-introduced
enumerations and ``and``-lists of verb phrases. Boilerplate (funding, dates, "the project
was implemented") and fragments too short to name a function are dropped. Works on English
and Russian text with plain regular expressions, so it needs no language model.
"""
from __future__ import annotations

import re
from typing import Sequence, Union

from practicebank.matcher.records import ProjectRecord

MAX_STATEMENTS = 30  # a description rarely names more functions; caps the alignment cost
# Whatever the caller (catalog.limits bounds records and plans the same way; matcher/ imports no
# catalog/): at most this many features of a record and characters of text are considered, so the
# engine's cost per record is bounded.
MAX_FEATURES = 100
MAX_TEXT_CHARS = 60_000
MIN_CHARS = 12
MIN_WORDS = 1  # "E-prescriptions" is a function; MIN_CHARS drops the debris

# Sentence ends followed by a new sentence (upper-case or digit), semicolons and line breaks.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"«(]?[A-ZА-ЯЁ0-9])|;\s*|\n+")
_BULLET = re.compile(r"^\s*(?:[-*•·–—]|\d{1,2}[.)]|[a-zа-я][)])\s+", re.IGNORECASE)
_INLINE_BULLET = re.compile(r"\s+(?:[•·]|[-–—](?=\s))\s+")

# "The system provides citizens with ..." / "Система позволяет гражданам ..." carry no function.
_LEAD_IN = re.compile(
    r"^(?:(?:the|this|our)\s+(?:system|platform|service|portal|application|app|solution|project|module)\s+"
    r"(?:will\s+)?(?:provides?|allows?|enables?|supports?|offers?|lets|performs?|includes?|ensures?|"
    r"is used (?:for|to)|is designed (?:for|to)|helps?)"
    r"(?:\s+(?:citizens|users|residents|officials|staff|doctors|teachers|parents|patients|businesses|"
    r"operators|specialists)(?:\s+(?:with|to))?)?\s*(?:the\s+following\s*)?(?:functions?|features?|capabilities)?\s*:?\s*|"
    r"(?:система|платформа|сервис|портал|приложение|решение|проект|модуль)\s+"
    r"(?:обеспечивает|позволяет|предоставляет|поддерживает|включает|осуществляет|предназначена?\s+для|"
    r"предназначен\s+для|используется\s+для|реализует)"
    r"(?:\s+(?:гражданам|пользователям|жителям|сотрудникам|врачам|учителям|родителям|пациентам|специалистам))?"
    r"\s*(?:следующие\s+функции)?\s*:?\s*|"
    r"(?:functions?|features?|capabilities|функции|возможности)\s*(?:include)?\s*:\s*)",
    re.IGNORECASE,
)
_LEAD_TO = re.compile(r"^(?:to|для)\s+", re.IGNORECASE)

# Statements about money, dates and project management rather than what the system does.
_BOILERPLATE = re.compile(
    r"\b(?:fund(?:ed|ing)|budget|financ\w*|million|billion|rub(?:les)?|contract\w*|tender|"
    r"implemented in|launched in|pilot(?:ed)? in|in (?:19|20)\d\d|since (?:19|20)\d\d|"
    r"финансир\w*|бюджет\w*|млн|млрд|руб\w*|контракт\w*|внедрен\w* в|запущен\w* в|"
    r"в (?:19|20)\d\d\s*(?:г|году)|с (?:19|20)\d\d)\b",
    re.IGNORECASE,
)

# Verb-led phrases; used to decide whether "X and Y" lists two functions or one.
_VERB_START = re.compile(
    r"^(?:automat|book|calculat|cancel|check|collect|compar|comput|control|coordinat|creat|"
    r"detect|display|distribut|enrol|enter|estimat|export|file|find|forecast|generat|handl|"
    r"identif|import|inform|integrat|issu|keep|locat|maintain|manag|map|match|measur|monitor|"
    r"notif|optimi[sz]|order|pay|plan|predict|prepar|process|provid|publish|receiv|record|"
    r"regist|remind|report|request|reserv|schedul|search|send|shar|sign|stor|submit|support|"
    r"track|updat|upload|verif|view|visuali[sz]|"
    r"автомат|анализ|ведение|веден|выдач|выдав|выписк|запис|информир|контрол|мониторинг|"
    r"начислен|обработ|оплат|отправ|отслежив|оформлен|оценк|планирован|подач|поиск|"
    r"прогноз|публикац|расчёт|расчет|регистрац|сбор|согласован|уведомлен|управлен|учёт|учет|формирован|хранен)",
    re.IGNORECASE,
)
_AND_SPLIT = re.compile(r",\s*(?:and|и)\s+|\s+(?:and|и)\s+|,\s+", re.IGNORECASE)

StatementSource = Union[ProjectRecord, str, Sequence[str]]


def function_statements(record: StatementSource) -> list[str]:
    """The functions ``record`` performs: its features, else statements split from its text."""
    if isinstance(record, ProjectRecord):
        features = _clean_list(record.features)
        if features:
            return features
        statements = split_statements("\n".join(p for p in (record.summary, record.description) if p))
        return statements or _clean_list([record.title])
    if isinstance(record, str):
        return split_statements(record)
    return _clean_list(record)


def split_statements(text: str) -> list[str]:
    """Split free text into function statements, in order, without duplicates."""
    out: list[str] = []
    for sentence in _sentences((text or "")[:MAX_TEXT_CHARS]):
        for part in _enumeration(sentence):
            part = _tidy(_strip_lead_in(part))
            if _is_function(part):
                out.append(part)
    return _dedupe(out)[:MAX_STATEMENTS]


def _sentences(text: str) -> list[str]:
    text = _INLINE_BULLET.sub("\n", text or "")
    pieces = []
    for piece in _SENTENCE_END.split(text):
        piece = _BULLET.sub("", piece).strip()
        if piece:
            pieces.append(piece)
    return pieces


def _strip_lead_in(sentence: str) -> str:
    sentence = _LEAD_IN.sub("", sentence.strip(), count=1)
    return _LEAD_TO.sub("", sentence, count=1)


def _enumeration(sentence: str) -> list[str]:
    """Split "A, B and C" when every item is a verb phrase or a colon introduced the list."""
    head, colon, tail = sentence.partition(":")
    if colon and tail.strip():
        items = [p for p in _AND_SPLIT.split(tail) if p.strip()]
        return items if len(items) > 1 else [tail]
    sentence = _strip_lead_in(sentence)
    items = [p for p in _AND_SPLIT.split(sentence) if p.strip()]
    # Split only into verb phrases of their own ("book visits and send reminders"); a noun
    # list ("schools and kindergartens") belongs to one function.
    if len(items) > 1 and all(_VERB_START.match(p.strip()) and len(p.split()) >= 2 for p in items):
        return items
    return [sentence]


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" .,;:-–—\t")
    return text[:1].upper() + text[1:] if text else text


def _is_function(text: str) -> bool:
    return (
        len(text) >= MIN_CHARS
        and len(text.split()) >= MIN_WORDS
        and not _BOILERPLATE.search(text)
    )


def _clean_list(items: Sequence[str]) -> list[str]:
    # Features are kept as written (they are shown back as evidence); only blanks go.
    return _dedupe([re.sub(r"\s+", " ", s).strip() for s in items if s and s.strip()])[:MAX_FEATURES]


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.casefold()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out
