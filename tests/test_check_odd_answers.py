"""Answers a student really gives of a kind the exercise cannot use are named in words, never by
Python's name for their type (issue 16): a generator expression or ``d.keys()`` where a list is
asked for, a ``Timedelta`` where seconds are, serial-port ``bytes`` where text is, a numpy
``datetime64`` where a Timestamp is, the complex number ``(-1) ** 0.5`` gives.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from sensorlab import check

ODD_ANSWERS = [
    ("04.5-missed-kinds", lambda: (k for k in ["spike", "stuck"]), "generator"),
    ("04.5-missed-kinds", lambda: {"spike": 1}.keys(), "dict.keys()"),
    ("04.5-missed-kinds", lambda: map(str, [1, 2]), "map"),
    ("04.5-missed-kinds", lambda: zip([1], [2]), "zip"),
    ("04.5-missed-kinds", lambda: pd.array(["spike"], dtype="string"), "pandas string array"),
    ("04.5-missed-kinds", lambda: pd.Categorical(["spike"]), "Categorical"),
    ("02.4-longest-gap", lambda: pd.Timedelta("10min"), "Timedelta"),
    ("02.4-longest-gap", lambda: np.timedelta64(600, "s"), "numpy timedelta64"),
    ("02.4-longest-gap", lambda: datetime.timedelta(minutes=10), "datetime.timedelta"),
    ("00.1-hours-in-week", lambda: complex(168, 0), "complex"),
    ("00.1-hours-in-week", lambda: np.complex128(168), "numpy complex"),
    ("00.1-hours-in-week", lambda: Decimal("168"), "Decimal"),
    ("00.1-hours-in-week", lambda: Fraction(168, 1), "Fraction"),
    ("01.3-same-checksum", lambda: b"$SSL,1,sht40*4A", "bytes"),
    ("02.3-to-kst", lambda: np.datetime64("2024-03-01T09:00"), "numpy datetime64"),
    ("02.3-to-kst", lambda: datetime.datetime(2024, 3, 1, 9), "datetime.datetime"),
    ("02.3-to-kst", lambda: pd.Period("2024-03-01 09:00", freq="h"), "Period"),
    ("04.1-worst-site", lambda: frozenset({"sdot-101-01"}), "frozenset"),
]


@pytest.mark.parametrize("exercise_id, make, _", ODD_ANSWERS, ids=[name for _, _, name in ODD_ANSWERS])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_an_odd_answer_is_told_what_it_is_in_words(exercise_id, make, _, lang):
    answer = make()
    result = check.evaluate(exercise_id, answer)
    said = result.text(lang=lang)
    assert result.status == "wrong", said
    assert "`" not in said and str(result.values["got"]).startswith("check.kind."), said


def _daily_grades_2024() -> pd.Series:
    from sensorlab.exercises.m07 import synthetic_daily
    from sensorlab.forecast import pm25_category

    daily = synthetic_daily()
    return pm25_category(daily[daily.index.year == 2024]["pm25"])


@pytest.mark.parametrize("make, key", [
    (_daily_grades_2024, "m07.grade_counts.grades_not_counts"),  # .value_counts() forgotten
    (lambda: _daily_grades_2024().value_counts().astype("Int64").where(lambda s: s > 100), "check.item_not_finite"),
    (lambda: _daily_grades_2024().value_counts().astype(str), "check.item_wrong_type"),
], ids=["the-grades-themselves", "counts-with-pd.NA", "counts-as-text"])
def test_grade_counts_names_a_column_that_is_not_counts(make, key):
    result = check.evaluate("07.1-grade-counts", make())
    assert (result.status, result.key) == ("wrong", key), result.text(lang="en")
    assert "`" not in result.text(lang="ko")


def test_grade_counts_still_takes_the_right_counts():
    assert check.evaluate("07.1-grade-counts", _daily_grades_2024().value_counts())
