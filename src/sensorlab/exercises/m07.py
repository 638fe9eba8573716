"""Checkers for module 07, Forecasting air quality (ML 2)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sensorlab.check import Wrong, expect_close, expect_type, register
from sensorlab.forecast import (climatology_forecast, evaluate_classifier, make_features, persistence_forecast,
                                pm25_category, skill_score, synthetic_daily)
from sensorlab.validation import time_series_folds

#: The lessons' split: learn from 2021-2023, test on 2024.
TEST_START = "2024-01-01"
#: Candidate columns of lesson 07.4; the leaky ones are known only on day t itself or later.
CANDIDATES = ["pm25_lag1", "pm10_today", "temperature_lag1", "humidity_today", "month", "pm25_mean3",
              "pm25_tomorrow", "day_of_week"]
LEAKY = {"pm10_today", "humidity_today", "pm25_tomorrow"}


def _split():
    daily = synthetic_daily()
    table = make_features(daily).dropna()
    start = pd.Timestamp(TEST_START, tz=table.index.tz)
    return daily, table[table.index < start], table[table.index >= start]


def _model_forecast():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    daily, train, test = _split()
    features = [c for c in train.columns if c not in ("target", "category")]
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    model.fit(train[features], train["category"].astype(str))
    return daily, train, test, model.predict(test[features])


def _number(answer, expected, what, traps=(), rtol=1e-3):
    expect_type(answer, float)
    if math.isclose(float(answer), expected, rel_tol=rtol, abs_tol=1e-9):
        return
    for value, key in traps:
        if math.isclose(float(answer), value, rel_tol=rtol, abs_tol=1e-9):
            raise Wrong(key)
    expect_close(answer, expected, what, rtol=rtol)


@register("07.1-grade-counts", hints=("m07.grade_counts.hint1", "m07.grade_counts.hint2"))
def grade_counts(answer):
    """How many days of 2024 fell in each grade (a Series indexed by grade)."""
    daily = synthetic_daily()
    year = daily[daily.index.year == 2024]
    expected = pm25_category(year["pm25"]).value_counts()
    expect_type(answer, pd.Series)
    got = {str(k): int(v) for k, v in answer.items() if v}
    want = {str(k): int(v) for k, v in expected.items() if v}
    if sum(got.values()) == len(daily.dropna(subset=["pm25"])):
        raise Wrong("m07.grade_counts.all_years")
    if got != want:
        grade = next((g for g in want if got.get(g) != want[g]), next(iter(got), "?"))
        raise Wrong("m07.grade_counts.wrong", grade=grade, expected=want.get(grade, 0), got=got.get(grade, 0))


@register("07.1-persistence-accuracy", hints=("m07.persistence.hint1", "m07.persistence.hint2"))
def persistence_accuracy(answer):
    """Share of 2024 days on which yesterday's grade was today's."""
    daily = synthetic_daily()
    fc = persistence_forecast(daily["pm25"])
    year = daily.index.year == 2024
    obs = pm25_category(daily["pm25"])[year]
    acc = evaluate_classifier(obs, fc[year])["accuracy"]
    if math.isclose(float(answer) if isinstance(answer, (int, float)) else -1, acc * 100, rel_tol=1e-3):
        raise Wrong("m07.persistence.percent")
    _number(answer, acc, "m07.what.accuracy")


@register("07.2-lag1-corr", hints=("m07.lag1_corr.hint1",))
def lag1_corr(answer):
    """Correlation between yesterday's PM2.5 and today's, over the feature table."""
    table = make_features(synthetic_daily()).dropna()
    expected = float(table["pm25_lag1"].corr(table["target"]))
    _number(answer, expected, "m07.what.correlation",
            traps=[(float(table["pm25_lag7"].corr(table["target"])), "m07.lag1_corr.lag7")])


@register("07.2-wind-effect", level="university", hints=("m07.wind_effect.hint1", "m07.wind_effect.hint2"))
def wind_effect(answer):
    """Mean PM2.5 after windy days minus after calm days (split at the median of yesterday's wind)."""
    table = make_features(synthetic_daily()).dropna()
    windy = table["wind_speed_lag1"] > table["wind_speed_lag1"].median()
    expected = float(table.loc[windy, "target"].mean() - table.loc[~windy, "target"].mean())
    _number(answer, expected, "m07.what.difference", traps=[(-expected, "m07.wind_effect.sign")])


@register("07.3-bad-as-moderate", hints=("m07.bad_as_moderate.hint1",))
def bad_as_moderate(answer):
    """Number of 2024 days observed 'bad' that the model forecast as 'moderate'."""
    _, _, test, predicted = _model_forecast()
    cm = evaluate_classifier(test["category"], predicted)["confusion"]
    # By position, not label: the grades are English or Korean (보통, 나쁨) with the notebook's language.
    moderate, bad = 1, 2
    right, transposed = int(cm.iat[bad, moderate]), int(cm.iat[moderate, bad])
    expect_type(answer, int)
    if int(answer) == transposed and transposed != right:
        raise Wrong("m07.bad_as_moderate.transposed")
    expect_close(answer, right, "m07.what.days", rtol=0)


@register("07.3-skill-by-hand", hints=("m07.skill.hint1", "m07.skill.hint2"))
def skill_by_hand(answer):
    """Accuracy skill of the model over persistence, from the two accuracies."""
    daily, _, test, predicted = _model_forecast()
    base = persistence_forecast(daily["pm25"]).reindex(test.index)
    r = evaluate_classifier(test["category"], predicted, baseline=base)
    _number(answer, r["skill"], "m07.what.skill",
            traps=[(r["accuracy"] - r["baseline_accuracy"], "m07.skill.difference")])


@register("07.3-climatology-skill", level="university", hints=("m07.clim_skill.hint1",))
def climatology_skill(answer):
    """Accuracy skill of the model over climatology (training years' most common grade per month)."""
    _, train, test, predicted = _model_forecast()
    clim = climatology_forecast(train["target"], test.index)
    r = evaluate_classifier(test["category"], predicted, baseline=clim.to_numpy())
    _number(answer, r["skill"], "m07.what.skill")


@register("07.4-leaky-features", hints=("m07.leaky.hint1", "m07.leaky.hint2"))
def leaky_features(answer):
    """The set of candidate columns a forecaster would not know on the evening before."""
    expect_type(answer, (set, list, tuple, frozenset))
    got = set(answer)
    unknown = got - set(CANDIDATES)
    if unknown:
        raise Wrong("m07.leaky.unknown", name=sorted(unknown)[0])
    missed, wrongly = LEAKY - got, got - LEAKY
    if missed:
        raise Wrong("m07.leaky.missed", name=sorted(missed)[0])
    if wrongly:
        raise Wrong("m07.leaky.safe", name=sorted(wrongly)[0])


@register("07.5-fold-skills", level="university", hints=("m07.fold_skills.hint1",))
def fold_skills(answer):
    """Skill over persistence in each of 4 expanding time-series folds."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    daily = synthetic_daily()
    table = make_features(daily).dropna()
    features = [c for c in table.columns if c not in ("target", "category")]
    persistence = persistence_forecast(daily["pm25"])
    expected = []
    for train_rows, test_rows in time_series_folds(table.index, n_splits=4):
        train, test = table.iloc[train_rows], table.iloc[test_rows]
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        model.fit(train[features], train["category"].astype(str))
        expected.append(evaluate_classifier(test["category"], model.predict(test[features]),
                                            baseline=persistence.reindex(test.index))["skill"])
    expect_type(answer, (list, tuple, np.ndarray, pd.Series))
    if len(answer) != len(expected):
        raise Wrong("check.wrong_length", expected=len(expected), got=len(answer))
    for i, (g, e) in enumerate(zip(answer, expected), 1):
        if not math.isclose(float(g), e, rel_tol=1e-3, abs_tol=1e-9):
            raise Wrong("check.wrong_value_at", what="m07.what.skill", label=f"fold {i}", expected=e, got=float(g))


__all__ = ["CANDIDATES", "LEAKY", "skill_score"]
