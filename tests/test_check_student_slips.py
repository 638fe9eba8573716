"""Slips a Korean student really makes, tried against the checks in Korean: each is told what it is
in Korean words (no English type names such as `function`, no table called a list, no count in
scientific notation)."""

from __future__ import annotations

import importlib
import re

import pandas as pd
import pytest

from sensorlab import check, messages

for _module in ("m03", "m04", "m05"):
    importlib.import_module(f"sensorlab.exercises.{_module}")


@pytest.fixture(autouse=True)
def korean():
    """Korean on top of the root conftest's fixture, which clears SENSORLAB_LANG and restores the language after."""
    messages.set_language("ko")


def _told(exercise: str, answer) -> str:
    result = check.evaluate(exercise, answer)
    assert result.status == "wrong", result.text(lang="en")
    return result.text(lang="ko")


def my_answer():
    return 12


def test_a_function_where_a_value_is_wanted_is_called_a_function_in_korean():
    """`bad_hours = count_hours` (the function, not its result) is named 함수, not `function`."""
    for exercise in ("03.1-bad-hours", "03.2-daily-mean", "03.5-noisiest-district", "04.1-too-hot"):
        shown = _told(exercise, my_answer)
        assert "`function`" not in shown and "함수" in shown, shown
    assert "function" in check.evaluate("03.1-bad-hours", my_answer).text(lang="en")


def test_a_groupby_without_its_mean_is_named_in_korean():
    """`df.groupby("district")["pm25"]` without `.mean()` is a common slip; no pandas class name leaks."""
    grouped = pd.DataFrame({"district": ["Mapo-gu"], "pm25": [19.8]}).groupby("district")["pm25"]
    shown = _told("03.2-mean-by-district", grouped)
    assert not re.search(r"`[A-Za-z]+`", shown), shown


@pytest.mark.parametrize("exercise", ["03.1-bad-hours", "04.1-too-hot", "05.2-episodes"])
@pytest.mark.parametrize("answer", [[19.8, 20.1], (3, 4), {"a": 1}])
def test_a_list_where_a_count_is_wanted_is_not_called_a_table(exercise, answer):
    """A list is told it is a list (or a dictionary), not "a table of rows" or "a table or a column"."""
    shown = _told(exercise, answer)
    assert "표" not in shown and ("리스트" in shown or "딕셔너리" in shown), shown


def test_a_wrong_count_shows_the_count_as_a_whole_number():
    """A count of tens of thousands is shown 24530, never 2.453e+04."""
    for lang in ("ko", "en"):
        shown = check.evaluate("03.1-bad-hours", 20).text(lang=lang)
        assert "e+" not in shown, shown


def prints_instead(days):
    """The classic slip: print the forecast instead of returning it."""
    print(days["pm25_20h"].shift(1))


@pytest.mark.parametrize("exercise", ["07.1-my-persistence", "07.3-my-time-split"])
@pytest.mark.parametrize("answer", [19.8, "마포", [1, 2], {"a": 1}, prints_instead])
def test_forecasting_functions_name_what_they_got_in_korean(exercise, answer):
    """A value where a function is asked, or a function that prints, is told in Korean words:
    no Python type names (float, str, NoneType) in the Korean message."""
    importlib.import_module("sensorlab.exercises.m07")
    shown = _told(exercise, answer)
    assert not re.search(r"(?<![A-Za-z])(float|str|int|list|dict|tuple|NoneType|function)(?![A-Za-z])", shown), shown
