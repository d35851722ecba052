"""Which language a record is written in, when its owner did not say."""
from __future__ import annotations

from typing import Iterable

LANGUAGES: tuple[str, ...] = ("ru", "en")


def detect_language(title: str | None, summary: str | None = None, features: Iterable[str] = ()) -> str:
    """``"ru"`` when more than half of the letters of the title, summary and features are
    Cyrillic, else ``"en"`` (also for text without letters)."""
    letters = cyrillic = 0
    for text in (title or "", summary or "", *features):
        for char in text:
            if char.isalpha():
                letters += 1
                if "\u0400" <= char <= "\u04ff":
                    cyrillic += 1
    return "ru" if letters and cyrillic / letters > 0.5 else "en"
