"""The matching engine as the application uses it: answers remembered per fitted index."""
from __future__ import annotations

import pickle

import pytest

from practicebank.matcher.engine import MatchingEngine
from tests.helpers import CATALOG


@pytest.fixture(scope="module")
def engine(encoder):
    return MatchingEngine(encoder, families=False).fit(CATALOG)


def test_similar_systems_are_remembered_and_each_caller_gets_its_own_copy(engine):
    first = engine.similar("kg-queue", k=3)
    assert first and all(item.id != "kg-queue" for item in first)
    first[0].title = "changed by a caller"
    again = engine.similar("kg-queue", k=3)
    assert again[0].title != "changed by a caller"
    assert [i.id for i in again] == [i.id for i in first]
    assert engine._similar(engine.records_["kg-queue"], 3) == again  # the memory holds the true answer


def test_an_unknown_project_is_a_key_error(engine):
    with pytest.raises(KeyError):
        engine.similar("no-such-project")


def test_a_saved_engine_starts_with_an_empty_memory(engine):
    engine.similar("kg-queue", k=3)
    restored = pickle.loads(pickle.dumps(engine))
    assert "similar_memo_" not in restored.__dict__
    assert [i.id for i in restored.similar("kg-queue", k=3)] == [i.id for i in engine.similar("kg-queue", k=3)]


def test_a_memo_answers_what_is_too_large_to_remember():
    from practicebank.matcher.memo import Memo

    memo = Memo(100, getsizeof=len)
    assert memo.get("big", lambda: "x" * 500) == "x" * 500
    assert len(memo) == 0
    assert memo.get("small", lambda: "y" * 10) == "y" * 10 and len(memo) == 1
