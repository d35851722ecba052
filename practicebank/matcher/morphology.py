"""Words as the lexical indexes see them: Russian lemmas, English stems, shared glossary concepts.

«детский сад», «детских садов» and «детские сады» are one phrase once each word is reduced to
its dictionary form (pymorphy3 with its Russian dictionaries); English words are reduced to
their Snowball stems. Abbreviations (ЕПГУ, МФЦ, СМЭВ) stay as written, lower-cased: a
dictionary would read them as inflected words.

The glossary (``data/glossary.json``) names each concept of regional e-government in both
languages (ЕПГУ = Госуслуги = public services portal); a text that mentions any form gets the
concept's token as well, so a Russian query and an English record share a word.
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from whoosh.lang import stemmer_for_language

GLOSSARY_PATH = Path(__file__).parent / "data" / "glossary.json"
_WORD = re.compile(r"[\w][\w\-]*", re.UNICODE)
_CYRILLIC = re.compile("[\u0400-\u04ff]")
CONCEPT_PREFIX = "concept_"


@functools.cache
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


_english_stem = stemmer_for_language("en")


@functools.lru_cache(maxsize=200_000)
def normal_form(word: str) -> str:
    """The dictionary form of a Russian word, the stem of an English one; abbreviations kept."""
    if len(word) > 1 and word.isupper():  # ЕПГУ, MFC: an abbreviation, not an inflected word
        return word.lower()
    lower = word.lower()
    if _CYRILLIC.search(lower):
        return _morph().parse(lower)[0].normal_form.replace("ё", "е")
    return _english_stem(lower)


def lemmas(text: str) -> list[str]:
    """The text's words in normal form, in order."""
    return [normal_form(w) for w in _WORD.findall(text)]


@functools.cache
def _glossary() -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """First lemma of a form -> (lemma sequence of the form, concept token) for every form."""
    data = json.loads(GLOSSARY_PATH.read_text(encoding="utf-8"))
    by_first: dict[str, set] = {}
    for c in data["concepts"]:
        for form in (*c["ru"], *c["en"]):
            words = tuple(lemmas(form))
            if words:
                by_first.setdefault(words[0], set()).add((words, CONCEPT_PREFIX + c["id"]))
    return {w: tuple(sorted(forms)) for w, forms in by_first.items()}


def concepts(words: list[str]) -> list[str]:
    """Glossary concepts mentioned in a lemma sequence (each once, in order of mention)."""
    glossary, found = _glossary(), []
    for i, word in enumerate(words):
        for form, concept in glossary.get(word, ()):
            if concept not in found and tuple(words[i:i + len(form)]) == form:
                found.append(concept)
    return found


def analyze(text: str) -> list[str]:
    """Word 1-2 grams of the lemmas plus glossary concepts: the TF-IDF word analyzer.

    A module-level function so fitted vectorizers pickle with the index."""
    words = lemmas(text)
    grams = words + [f"{a} {b}" for a, b in zip(words, words[1:])]
    return grams + concepts(words)
