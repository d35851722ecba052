"""Which language a record is written in, when its owner did not say, and its texts to show in a language."""
from __future__ import annotations

from typing import Iterable, Mapping

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


def localized(record: Mapping | None, lang: str, translations: Mapping[str, tuple] | None = None) -> dict:
    """The texts of ``record`` to show on a page in ``lang`` ("ru" or "en"):
    ``{title, summary, description, features, language, translated}``.

    The record's own texts when it is written in ``lang`` (or has no translation into it);
    otherwise its translation, each field the translation lacks taken from the record.
    ``translated`` is true when the texts are a translation not written by the owner (pages
    mark them «перевод»); ``language`` is the language of what is returned. Engine results
    and brief facts carry no translations: ``translations`` (``catalog.browse.translations_by_id``)
    supplies them by id.
    """
    record = record or {}
    known = (translations or {}).get(record.get("id")) or (None, None)
    own = record.get("language") or known[0] or detect_language(
        record.get("title"), record.get("summary"), record.get("features") or ())
    texts = {"title": record.get("title"), "summary": record.get("summary"),
             "description": record.get("description"), "features": list(record.get("features") or []),
             "language": own, "translated": False}
    other = (record.get("translations") or known[1] or {}).get(lang) if own != lang else None
    if other and other.get("title"):
        texts.update({key: other[key] for key in ("title", "summary", "description") if other.get(key)})
        if other.get("features"):
            texts["features"] = list(other["features"])
        texts.update(language=lang, translated=bool(other.get("translated")))
    return texts
