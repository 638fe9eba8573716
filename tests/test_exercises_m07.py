"""Module 07 exercise checks: the lesson's answer passes, and the mistakes students really make get advice.

The two "write the method" exercises take a function; it is run on days the student has never
seen and compared with the package's helper (persistence_forecast, time_split_with_gap).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import brier_score_loss

from sensorlab import check, forecast, messages
from sensorlab.exercises import m07

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _wrong(exercise_id, answer, key=None):
    result = check.evaluate(exercise_id, answer)
    assert result.status == "wrong", (exercise_id, result.text())
    if key:
        assert result.key == key, (exercise_id, result.key, result.text())
    return result


@pytest.fixture(scope="module")
def daily():
    return forecast.synthetic_daily()


# --- 07.1: persistence written by the student ------------------------------------------------

def test_my_persistence_accepts_what_students_write():
    right = [lambda d: forecast.pm25_category(d["pm25_20h"].shift(1)),
             lambda d: forecast.persistence_forecast(d["pm25_20h"]),
             lambda d: forecast.pm25_category(d["pm25_20h"], lang="ko").shift(1),      # Korean grades
             lambda d: forecast.pm25_category(d["pm25_20h"]).shift(1).astype(str).replace("nan", np.nan),
             lambda d: list(forecast.pm25_category(d["pm25_20h"].shift(1))),          # a list of grades
             lambda d: pd.cut(d["pm25_20h"].shift(1), [0, 15, 35, 75, np.inf],
                              labels=["good", "moderate", "bad", "very bad"])]
    for answer in right:
        assert check.evaluate("07.1-my-persistence", answer), check.evaluate("07.1-my-persistence", answer).text()


@pytest.mark.parametrize("answer, key", [
    (lambda d: forecast.pm25_category(d["pm25"].shift(1)), "m07.my_persistence.full_day"),
    (lambda d: forecast.pm25_category(d["pm25_20h"]), "m07.my_persistence.same_day"),
    (lambda d: forecast.pm25_category(d["pm25"]), "m07.my_persistence.same_day"),
    (lambda d: forecast.pm25_category(d["pm25_20h"].shift(-1)), "m07.my_persistence.future"),
    (lambda d: forecast.pm25_category(d["pm25_20h"].shift(1)).dropna(), "m07.my_persistence.dropped"),
    (lambda d: d["pm25_20h"].shift(1), "m07.my_persistence.numbers"),
    (lambda d: pd.cut(d["pm25_20h"].shift(1), [0, 15, 35, 75, np.inf], right=False,
                      labels=["good", "moderate", "bad", "very bad"]), "m07.my_persistence.wrong_day"),  # 15 is 좋음
    (lambda d: d[["pm25_20h"]].shift(1), "m07.my_persistence.not_series"),
    (lambda d: forecast.pm25_category(d["pm25_20h"].shift(1)).head(10), "check.wrong_length"),
    (lambda d: forecast.pm25_category(d["pm_25"].shift(1)), "m07.function.raised"),      # a typo
    (forecast.pm25_category(pd.Series([1.0])), "m07.function.not_function"),           # the result, not the function
    (lambda: None, "m07.function.raised"),                                               # forgot the argument
])
def test_my_persistence_names_each_mistake(answer, key):
    result = _wrong("07.1-my-persistence", answer, key)
    assert "Traceback" not in result.text()


def test_my_persistence_is_checked_on_days_the_lesson_never_shows(daily):
    seen = m07.unseen_days()
    assert seen.index.max() < daily.index.min()
    assert {15.0, 35.0, 75.0} <= set(seen["pm25_20h"])      # the grade limits themselves are tested


# --- 07.3: the time split with a gap written by the student -----------------------------------

def _split_right(table, test_start, gap_days):
    start = pd.Timestamp(test_start, tz=table.index.tz)
    return table[table.index < start - pd.Timedelta(days=gap_days)], table[table.index >= start]


def test_my_time_split_accepts_what_students_write():
    right = [_split_right,
             lambda t, s, g: forecast.time_split_with_gap(t, s, gap_days=g),
             lambda t, s, g: (t.loc[: pd.Timestamp(s, tz=t.index.tz) - pd.Timedelta(days=g + 1) + pd.Timedelta(hours=1)],
                              t.loc[pd.Timestamp(s, tz=t.index.tz):]),
             lambda t, s, g: [t[t.index < pd.Timestamp(s, tz="Asia/Seoul") - pd.Timedelta(days=g)],
                              t[t.index >= s]]]
    for answer in right:
        result = check.evaluate("07.3-my-time-split", answer)
        assert result, result.text()


def _no_gap(t, s, g):
    return t[t.index < s], t[t.index >= s]


def _rows_gap(t, s, g):
    before = t[t.index < s]
    return before.iloc[:-g], t[t.index >= s]


def _random(t, s, g):
    from sklearn.model_selection import train_test_split
    return train_test_split(t, test_size=0.3, random_state=0)


@pytest.mark.parametrize("answer, key", [
    (lambda t, s, g: _split_right(t, s, g)[::-1], "m07.my_split.swapped"),
    (_no_gap, "m07.my_split.no_gap"),
    (_rows_gap, "m07.my_split.rows_not_days"),
    (_random, "m07.my_split.overlap"),
    (lambda t, s, g: (t[t.index <= s], t[t.index > s]), "m07.my_split.test_start"),
    (lambda t, s, g: (t[t.index < pd.Timestamp(s, tz=t.index.tz) - pd.Timedelta(days=g)],
                      t[t.index > pd.Timestamp(s, tz=t.index.tz)]), "m07.my_split.test_start"),
    (lambda t, s, g: (t[t.index < pd.Timestamp(s, tz=t.index.tz) - pd.Timedelta(days=g)],
                      t[t.index >= pd.Timestamp(s, tz=t.index.tz) + pd.Timedelta(days=g)]), "m07.my_split.test_start"),
    (lambda t, s, g: (t[t.index < pd.Timestamp(s, tz=t.index.tz) - pd.Timedelta(days=g + 3)],
                      t[t.index >= s]), "m07.my_split.train_rows"),
    (lambda t, s, g: (t[t.index < pd.Timestamp(s) - pd.Timedelta(days=g)], t[t.index >= s]),
     "m07.function.raised"),                                                         # naive date vs Seoul time
    (lambda t, s, g: t[t.index < s], "m07.my_split.not_pair"),
    (lambda t, s, g: (t.index[t.index < s], t.index[t.index >= s]), "m07.my_split.not_frames"),  # two indexes: said what they are
    ("train, test", "m07.function.not_function"),
])
def test_my_time_split_names_each_mistake(answer, key):
    result = _wrong("07.3-my-time-split", answer, key)
    assert "Traceback" not in result.text()


def test_the_naive_date_mistake_tells_what_went_wrong_in_both_languages():
    bad = lambda t, s, g: (t[t.index < pd.Timestamp(s) - pd.Timedelta(days=g)], t[t.index >= s])  # noqa: E731
    result = check.evaluate("07.3-my-time-split", bad)
    assert "TypeError" in result.text("en") and "TypeError" in result.text("ko")
    assert "처음 보는 표" in result.text("ko")


# --- the lessons' numbers exercises (helper era) ----------------------------------------------

def test_module_07_exercises(daily):
    year = daily[daily.index.year == 2024]
    assert check.evaluate("07.1-grade-counts", forecast.pm25_category(year["pm25"]).value_counts())
    _wrong("07.1-grade-counts", forecast.pm25_category(daily["pm25"]).value_counts(), "m07.grade_counts.all_years")

    grades = forecast.pm25_category(daily["pm25"])
    in_2024 = daily.index.year == 2024
    acc = forecast.evaluate_classifier(grades[in_2024], forecast.persistence_forecast(daily["pm25_20h"])[in_2024])
    assert check.evaluate("07.1-persistence-accuracy", acc["accuracy"])
    _wrong("07.1-persistence-accuracy", acc["accuracy"] * 100, "m07.persistence.percent")
    leaky = forecast.evaluate_classifier(grades[in_2024], forecast.persistence_forecast(daily["pm25"])[in_2024])
    _wrong("07.1-persistence-accuracy", leaky["accuracy"], "m07.persistence.full_day")

    table = forecast.make_features(daily).dropna()
    assert check.evaluate("07.2-lag1-corr", table["pm25_lag1_20h"].corr(table["target"]))
    _wrong("07.2-lag1-corr", table["pm25_lag7"].corr(table["target"]), "m07.lag1_corr.lag7")
    _wrong("07.2-lag1-corr", daily["pm25"].shift(1).reindex(table.index).corr(table["target"]), "m07.lag1_corr.full_day")
    windy = table["wind_speed_lag1_20h"] > table["wind_speed_lag1_20h"].median()
    effect = table.loc[windy, "target"].mean() - table.loc[~windy, "target"].mean()
    assert check.evaluate("07.2-wind-effect", effect)
    _wrong("07.2-wind-effect", -effect, "m07.wind_effect.sign")

    _, train, test, predicted = m07.model_forecast()
    assert train.index.max() == pd.Timestamp("2023-12-24", tz="Asia/Seoul")   # the 7-day gap
    result = forecast.evaluate_classifier(test["category"], predicted,
                                          baseline=forecast.persistence_forecast(daily["pm25_20h"]).reindex(test.index))
    cm = result["confusion"]
    assert check.evaluate("07.3-bad-as-moderate", int(cm.loc["bad", "moderate"]))
    _wrong("07.3-bad-as-moderate", int(cm.loc["bad", "moderate"]) + 1)
    skill = (result["accuracy"] - result["baseline_accuracy"]) / (1 - result["baseline_accuracy"])
    assert check.evaluate("07.3-skill-by-hand", skill)
    _wrong("07.3-skill-by-hand", result["accuracy"] - result["baseline_accuracy"], "m07.skill.difference")

    leaks = {"pm25_lag1_fullday", "pm10_today", "humidity_today", "pm25_tomorrow"}
    assert check.evaluate("07.4-leaky-features", leaks)
    assert check.evaluate("07.4-leaky-features", sorted(leaks))
    _wrong("07.4-leaky-features", {"pm10_today", "humidity_today", "pm25_tomorrow"}, "m07.leaky.full_day")
    _wrong("07.4-leaky-features", {"pm25_lag1_fullday", "pm10_today", "humidity_today"}, "m07.leaky.missed")
    _wrong("07.4-leaky-features", leaks | {"month"}, "m07.leaky.safe")
    _wrong("07.4-leaky-features", leaks | {"pm25_lag1_20h"}, "m07.leaky.safe")
    _wrong("07.4-leaky-features", {"pm10_today", "rain"}, "m07.leaky.unknown")
    _wrong("07.4-leaky-features", "pm10_today")


def test_fold_skills_and_brier_skill():
    scores = m07.fold_scores()
    assert check.evaluate("07.5-fold-skills", scores["skill"].tolist())
    _wrong("07.5-fold-skills", scores["skill"].tolist()[:3], "check.wrong_length")
    _wrong("07.5-fold-skills", (scores["skill"] + 0.01).tolist(), "check.wrong_value_at")

    p, happened, climate = m07.bad_day_probabilities()
    model, clim = brier_score_loss(happened, p), brier_score_loss(happened, climate)
    assert check.evaluate("07.5-brier-skill", 1 - model / clim)
    for answer, key in [(model, "m07.brier.score_not_skill"), (clim, "m07.brier.score_not_skill"),
                        (clim / model - 1, "m07.brier.inverted"), (model / clim, "m07.brier.ratio"),
                        (1 - brier_score_loss(happened, (p >= 0.5).astype(float)) / clim, "m07.brier.labels"),
                        (1 - brier_score_loss(happened, 1 - p) / clim, "m07.brier.flipped"),
                        (1 - model / clim + 0.05, "check.wrong_value"), ("0.2", "check.wrong_type_advice")]:
        _wrong("07.5-brier-skill", answer, key)
    # A constant climatology (the whole training period's share) is a weaker baseline: a different number.
    _, train, test = m07.lesson_split()
    flat = np.full(len(happened), (train["target"] > 35).mean())
    _wrong("07.5-brier-skill", 1 - model / brier_score_loss(happened, flat))


def test_module_07_checks_in_a_korean_notebook(daily):
    """With messages.set_language("ko") the grades are 좋음 … 매우나쁨: the checks accept them."""
    before = messages.get_language()
    messages.set_language("ko")
    try:
        counts = forecast.pm25_category(daily[daily.index.year == 2024]["pm25"]).value_counts()
        assert "보통" in counts.index and check.evaluate("07.1-grade-counts", counts)
        assert check.evaluate("07.1-my-persistence", lambda d: forecast.pm25_category(d["pm25_20h"].shift(1)))
        _, _, test, predicted = m07.model_forecast()
        cm = forecast.evaluate_classifier(test["category"], predicted)["confusion"]
        assert check.evaluate("07.3-bad-as-moderate", int(cm.loc["나쁨", "보통"]))
        if cm.loc["보통", "나쁨"] != cm.loc["나쁨", "보통"]:
            _wrong("07.3-bad-as-moderate", int(cm.loc["보통", "나쁨"]), "m07.bad_as_moderate.transposed")
        wrong = check.evaluate("07.3-my-time-split", _no_gap)
        assert "5일" in wrong.text("ko")
    finally:
        messages.set_language(before)


def test_the_exercise_cells_as_given_are_told_they_are_not_answered_yet():
    def my_persistence(daily):
        return ...

    def my_split(table, test_start, gap_days):
        return ...

    for exercise_id, answer in (("07.1-my-persistence", my_persistence), ("07.3-my-time-split", my_split)):
        result = check.evaluate(exercise_id, answer)
        assert not result and result.key == "check.unanswered", result.text()
