"""Encoding of single spreadsheet cells: lists, numbers and formula-looking text."""
from __future__ import annotations

import re

LIST_SEPARATOR = ";"

# Spreadsheet programs run text starting with = + - @ tab or CR as a formula (CSV/formula
# injection): such text gets a guard quote on export. Text already starting with quotes before
# such a character gets one more, so that stripping one quote on import gives it back unchanged.
_NEEDS_GUARD = re.compile(r"^'*[=+\-@\t\r]")
_HAS_GUARD = re.compile(r"^'+[=+\-@\t\r]")


def neutralise(text: str) -> str:
    """Prefix formula-looking text with ``'`` so spreadsheets show it instead of running it."""
    return "'" + text if _NEEDS_GUARD.match(text) else text


def unneutralise(text: str) -> str:
    """Undo ``neutralise``: drop one ``'`` in front of a formula character."""
    return text[1:] if _HAS_GUARD.match(text) else text


def join_list(items: list[str]) -> str:
    """``a; b`` with ``;`` inside an item written as ``\\;`` and a backslash as ``\\\\``."""
    return "; ".join(item.replace("\\", "\\\\").replace(LIST_SEPARATOR, "\\;") for item in items)


def split_list(text: str) -> list[str]:
    """Inverse of ``join_list``; items are stripped and empty ones dropped.

    A backslash escapes only ``;`` and another backslash, so a typed ``C:\\temp`` stays as it is.
    """
    items, current, i = [], [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in "\\;":
            current.append(text[i + 1])
            i += 2
            continue
        if char == LIST_SEPARATOR:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


_SPACES = re.compile(r"[\s\u00a0\u202f']")  # thousands separators people type or paste
_INTEGER = re.compile(r"^[+-]?\d+$")


def parse_number(text: str) -> int | float | None:
    """``1500`` -> 1500, ``1234.5`` and ``1 234,5`` -> 1234.5; None when it is no number.

    A lone comma is a decimal comma (the Russian convention); where both ``.`` and ``,``
    appear the last one is the decimal mark and the other groups thousands.
    """
    s = _SPACES.sub("", text)
    if "," in s and "." in s:
        grouping = "," if s.rfind(".") > s.rfind(",") else "."
        s = s.replace(grouping, "").replace(",", ".")
    elif s.count(",") == 1:
        s = s.replace(",", ".")
    elif s.count(",") > 1:
        s = s.replace(",", "")
    if _INTEGER.match(s):
        return int(s) if len(s) < 400 else None  # a 400-digit "amount" is a typo, not money
    try:
        return float(s)
    except ValueError:
        return None


# XLSX text cannot hold most control characters, and XML parsing turns "\r\n" into "\n".
# Office's own escape keeps them: a character as _xHHHH_, a literal "_x" as _x005F_x.
_OOXML_LITERAL = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_OOXML_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_OOXML_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def ooxml_escape(text: str) -> str:
    text = _OOXML_LITERAL.sub("_x005F_", text)
    return _OOXML_CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def ooxml_unescape(text: str) -> str:
    return _OOXML_ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text
