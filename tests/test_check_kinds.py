"""The kind of an answer is checked once, by ``check.evaluate``, before the checker runs (issue 16).

A checker registered with ``kind=...`` is never called for an answer of another kind (so no slow
expected answer is computed for it), the student hears the same sentence the checker's own
``expect_type`` said before, and ``register`` refuses a kind it cannot check when its module is imported.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import sys

import pandas as pd
import pytest

from sensorlab import check, messages
from sensorlab.check_expect import OneNumber, expect_kind, kind_problem
from sensorlab.check_wording import Wrong

MODULES = [f"sensorlab.exercises.m0{n}" for n in range(9)]


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.delenv(messages.ENV_VAR, raising=False)
    messages.set_language("en")
    yield
    messages.set_language("en")


def _recording(monkeypatch, exercise_id: str) -> list:
    """Replace the real exercise's checker by one that records each call, then runs the real one."""
    ex = check.get_exercise(exercise_id)
    calls = []

    def recorder(answer):
        calls.append(answer)
        return ex.checker(answer)

    monkeypatch.setitem(check._REGISTRY, exercise_id, dataclasses.replace(ex, checker=recorder))
    return calls


@pytest.mark.parametrize("answer, key", [
    ("3", "check.wrong_type_advice"),                # the text "3": remove the quotes
    (12.5, "check.wrong_type_advice"),               # a count has no decimal point
    (pd.Series([True, False]), "m04.one_number"),    # the column of flags: m04's own sentence (add .sum())
    ([1, 2], "check.wrong_type_advice"),
    (float("nan"), "check.empty_answer"),
    (10**400, "check.too_large_answer"),
], ids=["text", "decimal", "column-of-flags", "list", "nan", "10**400"])
def test_a_real_checker_is_not_called_for_an_answer_of_another_kind(monkeypatch, answer, key):
    calls = _recording(monkeypatch, "04.1-too-hot")
    assert check.get_exercise("04.1-too-hot").kind == OneNumber(int, "m04.one_number")
    result = check.evaluate("04.1-too-hot", answer)
    assert (result.status, result.key) == ("wrong", key), result.text(lang="en")
    assert calls == []
    for lang in ("en", "ko"):
        assert "{" not in result.text(lang=lang) and "Traceback" not in result.text(lang=lang)


def test_the_same_checker_is_called_once_for_an_answer_of_its_kind(monkeypatch):
    calls = _recording(monkeypatch, "04.1-too-hot")
    result = check.evaluate("04.1-too-hot", 3)
    assert calls == [3]
    assert result.status == "wrong" and result.key != "check.wrong_type_advice"  # judged on its value


def test_a_registered_kind_is_checked_before_the_checker(monkeypatch):
    calls = []
    monkeypatch.setattr(check, "_REGISTRY", dict(check._REGISTRY))  # the test exercise goes with the test

    @check.register("99.3-kind-first", kind=float)
    def _checker(answer):
        calls.append(answer)
        if answer != 2.5:
            raise Wrong("check.wrong_value", what="it", expected=2.5, got=float(answer))

    said = check.evaluate("99.3-kind-first", "2.5").text(lang="en")
    assert 'should be one number (such as 12 or 12.5), but it is the text "2.5"' in said
    assert check.evaluate("99.3-kind-first", lambda: 2.5).key == "check.wrong_type"  # a function: its kind named
    assert calls == []
    assert check.evaluate("99.3-kind-first", 2.5)
    assert calls == [2.5]


@pytest.mark.parametrize("kind, why", [
    ("float", "is not a type"),
    ((), "is not a type"),
    ((float, "int"), "is not a type"),
    (memoryview, "no check.kind.* words"),  # complex has its words now (test_check_odd_answers)
    (OneNumber(str, "m04.one_number"), "must be int or float"),
    (OneNumber(int, "m04.no_such_key"), "not in the message catalogue"),
])
def test_register_refuses_a_kind_it_cannot_check(kind, why):
    assert why in kind_problem(kind)
    with pytest.raises(ValueError, match=rf"99\.4-bad-kind: kind=.* cannot be checked: .*{why}"):
        check.register("99.4-bad-kind", kind=kind)
    assert "99.4-bad-kind" not in check._REGISTRY


def test_a_module_registering_a_kind_it_cannot_check_fails_to_import(tmp_path, monkeypatch):
    (tmp_path / "bad_kind_checkers.py").write_text(
        "from sensorlab.check import register\n\n"
        "@register('99.5-bad-kind', kind='float')\n"
        "def checker(answer):\n"
        "    pass\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ValueError, match=r"99\.5-bad-kind: kind='float' cannot be checked"):
        importlib.import_module("bad_kind_checkers")
    sys.modules.pop("bad_kind_checkers", None)


@pytest.mark.parametrize("kind", [int, float, str, list, dict, pd.Series, pd.DataFrame, pd.Timestamp,
                                  (set, list, tuple, frozenset), OneNumber(float, "m05.one_value")])
def test_every_kind_the_checkers_use_can_be_checked(kind):
    assert kind_problem(kind) is None


def test_one_number_tells_a_table_its_module_sentence_and_anything_else_as_expect_type_does():
    for answer, key in [(pd.DataFrame({"a": [1]}), "m05.one_value"), (pd.Series([1.0]), "m05.one_value"),
                        ("3", "check.wrong_type_advice"), ([1], "check.wrong_type_advice")]:
        with pytest.raises(Wrong) as wrong:
            expect_kind(answer, OneNumber(int, "m05.one_value"))
        assert wrong.value.key == key
    expect_kind(12.0, OneNumber(int, "m05.one_value"))


def _leading_statement(checker) -> str:
    """The checker's first statement after its docstring and imports."""
    tree = ast.parse(inspect.getsource(checker))
    body = [s for s in tree.body[0].body
            if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
            and not isinstance(s, (ast.Import, ast.ImportFrom))]
    return ast.unparse(body[0])


def test_no_checker_checks_a_plain_kind_itself_first():
    """A checker whose first step is ``expect_type(answer, ...)`` should say it with ``kind=`` instead."""
    for name in MODULES:
        importlib.import_module(name)
    own = {i: ex for i, ex in check._REGISTRY.items() if ex.checker.__module__ in MODULES}
    assert len(own) > 100
    first_look = {i: _leading_statement(ex.checker) for i, ex in own.items()}
    assert [i for i, first in first_look.items() if first.startswith("expect_type(answer")] == []
    assert sum(ex.kind is not None for ex in own.values()) >= 79
