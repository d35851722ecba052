"""Answers remembered per fitted index.

A fitted index never changes (a new catalog revision means a new index), so what it
answered once it answers again: a passport's similar systems, a popular search. The memo
lives on the fitted object and is dropped from its pickle, so a reloaded index starts empty
and can never serve answers from an older catalog.
"""
from __future__ import annotations

import threading
from typing import Any, Callable, Hashable

from cachetools import LRUCache

_CREATE = threading.Lock()


class Memo:
    """A bounded, thread-safe LRU of computed answers. Computing happens outside the lock:
    two threads asking for the same new key may both compute it, and both get a right answer."""

    def __init__(self, maxsize: int, getsizeof: Callable[[Any], int] | None = None):
        """``maxsize`` counts entries, or whatever ``getsizeof`` measures (bytes, say)."""
        self._cache: LRUCache = LRUCache(maxsize=maxsize, getsizeof=getsizeof)
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self._lock:
            found = self._cache.get(key, _MISSING)
        if found is not _MISSING:
            return found
        value = compute()
        with self._lock:
            try:
                self._cache[key] = value
            except ValueError:  # larger than the whole memo: answer without remembering
                pass
        return value

    def __len__(self) -> int:
        return len(self._cache)


_MISSING = object()


def memo_of(owner: Any, name: str, maxsize: int, getsizeof: Callable[[Any], int] | None = None) -> Memo:
    """``owner``'s memo called ``name``, created on first use (also after unpickling)."""
    memo = owner.__dict__.get(name)
    if memo is None:
        with _CREATE:
            memo = owner.__dict__.setdefault(name, Memo(maxsize, getsizeof))
    return memo


def without_memos(state: dict) -> dict:
    """A pickle state with the memos left out."""
    return {k: v for k, v in state.items() if not isinstance(v, Memo)}
