"""Checkers for module 07, Forecasting air quality (ML 2).

The forecast is issued at 21:00 the evening before (``forecast.ISSUED_AT``), so day *t−1* enters
only through its ``*_20h`` columns (its mean up to 20:00). Two exercises ask students to write
the method themselves (persistence, a time split with a gap); those answers are functions, run
here on small tables the student has never seen and compared with the package's helpers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sensorlab.check import register
from sensorlab.check_expect import (expect_close, expect_close_or_trap, expect_exact_name, expect_number_item,
                                    expect_numbers, expect_type)
from sensorlab.check_inputs import call_on_copies
from sensorlab.check_slips import rounded_to
from sensorlab.check_wording import Wrong, given_kind, kind_of
from sensorlab.forecast import (CATEGORIES, CATEGORIES_KO, climatology_forecast, evaluate_classifier,
                                exceedance_climatology, make_features, on_columns, persistence_forecast, pm25_category,
                                skill_score, synthetic_daily, time_split_with_gap)
from sensorlab.validation import time_series_folds

#: The lessons' split: learn from 2021-2023 up to a week before the test, test on 2024.
TEST_START = "2024-01-01"
GAP_DAYS = 7
#: Candidate columns of lesson 07.4; the leaky ones are not known at 21:00 the evening before.
CANDIDATES = ["pm25_lag1_20h", "pm25_lag1_fullday", "pm10_today", "temperature_lag1_20h", "humidity_today", "month",
              "pm25_mean3", "pm25_tomorrow", "day_of_week"]
LEAKY = {"pm25_lag1_fullday", "pm10_today", "humidity_today", "pm25_tomorrow"}
#: The event of the probability forecast (07.5): a 나쁨-or-worse day, above the 보통 limit.
BAD_OR_WORSE = 35.0


def features_of(table: pd.DataFrame) -> list[str]:
    """The feature columns of a :func:`make_features` table (everything but the answers)."""
    return [c for c in table.columns if c not in ("target", "category")]


def logistic(**options):
    """The lessons' model: standardised features, then a logistic regression."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, **options))


def fit_lesson_model(rows: pd.DataFrame):
    """The lessons' model fitted on ``rows`` (the fit function 07.4 gives ``validation.random_vs_time``)."""
    columns = [c for c in features_of(rows) if c not in ("timestamp", "day_number")]
    return on_columns(columns, logistic()).fit(rows, rows["category"].astype(str))


def fit_date_memory(rows: pd.DataFrame):
    """07.4's memoriser: knows only each day's number and copies the grade of the nearest training day."""
    from sklearn.neighbors import KNeighborsClassifier

    return on_columns(["day_number"], KNeighborsClassifier(n_neighbors=1)).fit(rows, rows["category"].astype(str))


def lesson_split():
    """The daily table and the lessons' train and test sets (07.3 on)."""
    daily = synthetic_daily()
    train, test = time_split_with_gap(make_features(daily).dropna(), TEST_START, gap_days=GAP_DAYS)
    return daily, train, test


def model_forecast():
    """The lessons' model fitted on the training years, and its grades for the test year."""
    daily, train, test = lesson_split()
    model = logistic().fit(train[features_of(train)], train["category"].astype(str))
    return daily, train, test, model.predict(test[features_of(test)])


def fold_scores(n_splits: int = 4) -> pd.DataFrame:
    """Accuracy, macro-F1 and skill of the model and of persistence in each time-series fold (07.5)."""
    daily = synthetic_daily()
    table = make_features(daily).dropna()
    persistence = persistence_forecast(daily["pm25_20h"])
    rows = []
    for train_rows, test_rows in time_series_folds(table.index, n_splits=n_splits, gap_days=GAP_DAYS):
        train, test = table.iloc[train_rows], table.iloc[test_rows]
        model = logistic().fit(train[features_of(train)], train["category"].astype(str))
        r = evaluate_classifier(test["category"], model.predict(test[features_of(test)]),
                                baseline=persistence.reindex(test.index))
        rows.append({"test from": test.index[0].date(), "accuracy": r["accuracy"], "persistence": r["baseline_accuracy"],
                     "skill": r["skill"], "macro_f1": r["macro_f1"], "persistence_macro_f1": r["baseline_macro_f1"]})
    return pd.DataFrame(rows)


def bad_day_probabilities(class_weight=None):
    """P(나쁨 or worse) for each test day from a logistic regression, the events, and climatology's P."""
    _, train, test = lesson_split()
    event = (train["target"] > BAD_OR_WORSE).astype(int)
    model = logistic(class_weight=class_weight).fit(train[features_of(train)], event)
    p = model.predict_proba(test[features_of(test)])[:, 1]
    happened = (test["target"] > BAD_OR_WORSE).astype(int).to_numpy()
    climate = exceedance_climatology(train["target"], test.index, above=BAD_OR_WORSE).to_numpy()
    return p, happened, climate


def brier_skill() -> dict:
    """Brier scores of the model and of climatology on 2024, and the model's Brier skill."""
    from sklearn.metrics import brier_score_loss

    p, happened, climate = bad_day_probabilities()
    model, clim = brier_score_loss(happened, p), brier_score_loss(happened, climate)
    return {"model": float(model), "climatology": float(clim), "skill": float(1 - model / clim),
            "labels": float(brier_score_loss(happened, (p >= 0.5).astype(float))),
            "flipped": float(brier_score_loss(happened, 1 - p))}


def _grade_codes(values) -> np.ndarray:
    """Grades in English or Korean as 0-3 (NaN for a missing grade), so either language passes."""
    lookup = {**{g: i for i, g in enumerate(CATEGORIES)}, **{g: i for i, g in enumerate(CATEGORIES_KO)}}
    return np.array([lookup.get(v, np.nan) if isinstance(v, str) else np.nan for v in values], dtype=float)


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return len(a) == len(b) and bool(np.array_equal(a, b, equal_nan=True))


def unseen_days(n: int = 30, seed: int = 70) -> pd.DataFrame:
    """A small daily table the student has never seen: full-day means and means up to 20:00 that
    differ, with days exactly on the grade limits (15, 35, 75) up to 20:00."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2019-03-01", periods=n, freq="D", tz="Asia/Seoul")
    known = rng.gamma(2.5, 12, n).round(1)
    known[[3, 8, 13]] = [15.0, 35.0, 75.0]
    full = known + np.where(np.arange(n) % 2, 9.0, -9.0)   # hours 21-23 move every day's mean by 9
    return pd.DataFrame({"pm25": full, "pm25_20h": known}, index=days)


def _call(function, *args):
    if not callable(function):
        raise Wrong("m07.function.not_function", got=given_kind(function))
    try:
        result = call_on_copies(function, *args)
    except Wrong:
        raise  # it changed the table it was given
    except Exception as err:  # noqa: BLE001 - the student's function failing is feedback, not a crash
        raise Wrong("m07.function.raised", problem=f"{type(err).__name__}: {str(err)[:120]}") from None
    if result is ...:
        raise Wrong("check.unanswered")   # the exercise cell's `return ...`, not yet written
    return result


@register("07.1-grade-counts", kind=pd.Series, hints=("m07.grade_counts.hint1", "m07.grade_counts.hint2"))
def grade_counts(answer):
    """How many days of 2024 fell in each grade (a Series indexed by grade)."""
    daily = synthetic_daily()
    year = daily[daily.index.year == 2024]
    expected = pm25_category(year["pm25"]).value_counts()
    if answer.astype(object).isin(CATEGORIES + CATEGORIES_KO).any():  # each day's grade: .value_counts() forgotten
        raise Wrong("m07.grade_counts.grades_not_counts")
    # a count that is text, empty (pd.NA) or a list is named with its grade, not a failed check
    got = {str(k): int(n) for k, v in answer.items() if (n := expect_number_item(v, str(k), whole=True))}
    want = {str(k): int(v) for k, v in expected.items() if v}
    if sum(got.values()) == len(daily.dropna(subset=["pm25"])):
        raise Wrong("m07.grade_counts.all_years")
    if got != want:
        grade = next((g for g in want if got.get(g) != want[g]), next(iter(got), "?"))
        raise Wrong("m07.grade_counts.wrong", grade=grade, expected=want.get(grade, 0), got=got.get(grade, 0))


@register("07.1-my-persistence", hints=("m07.my_persistence.hint1", "m07.my_persistence.hint2"))
def my_persistence(answer):
    """The student's persistence forecast, a function of the daily table, run on unseen days."""
    days = unseen_days()
    expected = _grade_codes(persistence_forecast(days["pm25_20h"]).astype(object))
    got = _call(answer, days)
    if got is None:
        raise Wrong("m07.returns_nothing")
    if isinstance(got, pd.DataFrame) or not hasattr(got, "__len__") or isinstance(got, str):
        raise Wrong("m07.my_persistence.not_series", got=given_kind(got))
    values = list(got.astype(object)) if isinstance(got, pd.Series) else list(got)
    if len(values) == len(days) - 1:
        raise Wrong("m07.my_persistence.dropped")
    if len(values) != len(days):
        raise Wrong("check.wrong_length", expected=len(days), got=len(values))
    codes = _grade_codes(values)
    if np.isnan(codes[1:]).all() and pd.to_numeric(pd.Series(values), errors="coerce").notna().any():
        raise Wrong("m07.my_persistence.numbers")
    if _same(codes, expected):
        return
    traps = [(days["pm25"].shift(1), "m07.my_persistence.full_day"),
             (days["pm25_20h"], "m07.my_persistence.same_day"),
             (days["pm25"], "m07.my_persistence.same_day"),
             (days["pm25_20h"].shift(-1), "m07.my_persistence.future"),
             (days["pm25"].shift(-1), "m07.my_persistence.future")]
    for series, key in traps:
        if _same(codes, _grade_codes(pm25_category(series).astype(object))):
            raise Wrong(key)
    first = int(np.flatnonzero(~((codes == expected) | (np.isnan(codes) & np.isnan(expected))))[0])
    raise Wrong("m07.my_persistence.wrong_day", day=days.index[first].strftime("%Y-%m-%d"),
                value=float(days["pm25_20h"].iloc[first - 1]) if first else float("nan"))


@register("07.1-persistence-accuracy", hints=("m07.persistence.hint1", "m07.persistence.hint2"))
def persistence_accuracy(answer):
    """Share of 2024 days on which the grade of the day before (up to 20:00) was the day's grade."""
    if not isinstance(answer, (int, float)):  # a Python number is first compared with the percentage below
        expect_type(answer, float)
    daily = synthetic_daily()
    year = daily.index.year == 2024
    obs = pm25_category(daily["pm25"])[year]
    acc = evaluate_classifier(obs, persistence_forecast(daily["pm25_20h"])[year])["accuracy"]
    leaky = evaluate_classifier(obs, persistence_forecast(daily["pm25"])[year])["accuracy"]
    if math.isclose(float(answer) if isinstance(answer, (int, float)) else -1, acc * 100, rel_tol=1e-3):
        raise Wrong("m07.persistence.percent")
    expect_type(answer, float)  # NaN, inf: a Python number skipped the kind check above
    expect_close_or_trap(answer, acc, "m07.what.accuracy", traps=[(leaky, "m07.persistence.full_day")])


@register("07.2-lag1-corr", kind=float, hints=("m07.lag1_corr.hint1",))
def lag1_corr(answer):
    """Correlation between the day before's PM2.5 up to 20:00 and the day's, over the feature table."""
    daily = synthetic_daily()
    table = make_features(daily).dropna()
    expected = float(table["pm25_lag1_20h"].corr(table["target"]))
    full_day = float(daily["pm25"].shift(1).reindex(table.index).corr(table["target"]))
    expect_close_or_trap(answer, expected, "m07.what.correlation",
            traps=[(float(table["pm25_lag7"].corr(table["target"])), "m07.lag1_corr.lag7"),
                   (full_day, "m07.lag1_corr.full_day")])


@register("07.2-wind-effect", kind=float, level="university", hints=("m07.wind_effect.hint1", "m07.wind_effect.hint2"))
def wind_effect(answer):
    """Mean PM2.5 after windy evenings minus after calm ones (split at the median of the evening's wind)."""
    table = make_features(synthetic_daily()).dropna()
    windy = table["wind_speed_lag1_20h"] > table["wind_speed_lag1_20h"].median()
    expected = float(table.loc[windy, "target"].mean() - table.loc[~windy, "target"].mean())
    expect_close_or_trap(answer, expected, "m07.what.difference", traps=[(-expected, "m07.wind_effect.sign")])


def _frames(got):
    if not (isinstance(got, tuple | list) and len(got) == 2):
        if got is None:
            raise Wrong("m07.returns_nothing")
        raise Wrong("m07.my_split.not_pair", got=given_kind(got))
    if not all(isinstance(g, pd.DataFrame) for g in got):  # a pair of something else, often two columns
        raise Wrong("m07.my_split.not_frames", got=kind_of(next(g for g in got if not isinstance(g, pd.DataFrame))))
    if not all(isinstance(g.index, pd.DatetimeIndex) for g in got):  # reset_index() leaves row numbers
        raise Wrong("m07.my_split.index")
    return got


@register("07.3-my-time-split", hints=("m07.my_split.hint1", "m07.my_split.hint2", "m07.my_split.hint3"))
def my_time_split(answer):
    """The student's time split with a gap, a function (table, test_start, gap_days) run on unseen days."""
    days = pd.date_range("2019-05-01", periods=60, freq="D", tz="Asia/Seoul")
    table = pd.DataFrame({"x": np.arange(60.0), "target": np.arange(60.0) * 2}, index=days)
    table = table.drop(index=days[[36, 38]])             # two missing days inside the gap: a row count is not a date
    start, gap = "2019-06-10", 5
    train, test = time_split_with_gap(table, start, gap_days=gap)
    got_train, got_test = _frames(_call(answer, table, start, gap))
    if got_train.index.equals(test.index) and got_test.index.equals(train.index):
        raise Wrong("m07.my_split.swapped")
    if len(got_train) and len(got_test) and got_train.index.max() >= got_test.index.min():
        raise Wrong("m07.my_split.overlap")
    if not got_test.index.equals(test.index):
        if len(got_test) and got_test.index.min() > test.index.min():
            raise Wrong("m07.my_split.test_start", first=test.index.min().strftime("%Y-%m-%d"))
        raise Wrong("m07.my_split.test_rows", expected=len(test), got=len(got_test))
    if got_train.index.equals(train.index):
        return
    last_before = table.index[table.index < test.index.min()]
    if got_train.index.equals(last_before):
        raise Wrong("m07.my_split.no_gap", gap=gap)
    if got_train.index.equals(last_before[:-gap]):
        raise Wrong("m07.my_split.rows_not_days", gap=gap)
    raise Wrong("m07.my_split.train_rows", last=train.index.max().strftime("%Y-%m-%d"),
                got=got_train.index.max().strftime("%Y-%m-%d") if len(got_train) else "-")


@register("07.3-bad-as-moderate", kind=int, hints=("m07.bad_as_moderate.hint1",))
def bad_as_moderate(answer):
    """Number of 2024 days observed 'bad' that the model forecast as 'moderate'."""
    _, _, test, predicted = model_forecast()
    cm = evaluate_classifier(test["category"], predicted)["confusion"]
    # By position, not label: the grades are English or Korean (보통, 나쁨) with the notebook's language.
    moderate, bad = 1, 2
    right, transposed = int(cm.iat[bad, moderate]), int(cm.iat[moderate, bad])
    if int(answer) == transposed and transposed != right:
        raise Wrong("m07.bad_as_moderate.transposed")
    expect_close(answer, right, "m07.what.days", rtol=0)


@register("07.3-skill-by-hand", kind=float, hints=("m07.skill.hint1", "m07.skill.hint2"))
def skill_by_hand(answer):
    """Accuracy skill of the model over persistence, from the two accuracies."""
    daily, _, test, predicted = model_forecast()
    base = persistence_forecast(daily["pm25_20h"]).reindex(test.index)
    r = evaluate_classifier(test["category"], predicted, baseline=base)
    expect_close_or_trap(answer, r["skill"], "m07.what.skill",
            traps=[(r["accuracy"] - r["baseline_accuracy"], "m07.skill.difference")])


@register("07.3-climatology-skill", kind=float, level="university", hints=("m07.clim_skill.hint1",))
def climatology_skill(answer):
    """Accuracy skill of the model over climatology (training years' most common grade per month)."""
    _, train, test, predicted = model_forecast()
    clim = climatology_forecast(train["target"], test.index)
    r = evaluate_classifier(test["category"], predicted, baseline=clim.to_numpy())
    expect_close_or_trap(answer, r["skill"], "m07.what.skill")


@register("07.4-leaky-features", kind=(set, list, tuple, frozenset), hints=("m07.leaky.hint1", "m07.leaky.hint2"))
def leaky_features(answer):
    """The set of candidate columns a forecaster would not know at 21:00 the evening before."""
    unknown = [x for x in answer if not (isinstance(x, str) and x in CANDIDATES)]  # 3, None, a list: named, not sorted
    if unknown:
        expect_exact_name(unknown[0], CANDIDATES)  # "pm25_lag1_fullday " with a space, "PM25_lag1_fullday"
        raise Wrong("m07.leaky.unknown", name=str(unknown[0]))
    got = set(answer)
    missed, wrongly = LEAKY - got, got - LEAKY
    if "pm25_lag1_fullday" in missed:
        raise Wrong("m07.leaky.full_day")
    if missed:
        raise Wrong("m07.leaky.missed", name=sorted(missed)[0])
    if wrongly:
        raise Wrong("m07.leaky.safe", name=sorted(wrongly)[0])


@register("07.5-fold-skills", level="university", hints=("m07.fold_skills.hint1",))
def fold_skills(answer):
    """Skill over persistence in each of 4 expanding time-series folds (a 7-day gap before each test block)."""
    got = expect_numbers(answer)  # a text "0.092", None or NaN in the list is named, never compared as nan
    expected = fold_scores()["skill"].tolist()
    if len(got) != len(expected):
        raise Wrong("check.wrong_length", expected=len(expected), got=len(got))
    for i, (g, e) in enumerate(zip(got, expected), 1):
        if not math.isclose(g, e, rel_tol=1e-3, abs_tol=1e-9):
            digits = rounded_to(got, expected)
            raise Wrong("check.wrong_value_at" if digits is None else "check.rounded_at", what="m07.what.skill",
                        label=f"fold {i}", expected=e, got=g, **({} if digits is None else {"digits": digits}))


@register("07.5-brier-skill", kind=float, level="university", hints=("m07.brier.hint1", "m07.brier.hint2"))
def brier_skill_check(answer):
    """Brier skill of P(나쁨 or worse) over the monthly climatology on 2024."""
    b = brier_skill()
    expect_close_or_trap(answer, b["skill"], "m07.what.brier_skill",
            traps=[(b["model"], "m07.brier.score_not_skill"), (b["climatology"], "m07.brier.score_not_skill"),
                   (b["climatology"] / b["model"] - 1, "m07.brier.inverted"),
                   (b["model"] / b["climatology"], "m07.brier.ratio"),
                   (1 - b["labels"] / b["climatology"], "m07.brier.labels"),
                   (1 - b["flipped"] / b["climatology"], "m07.brier.flipped")])


__all__ = ["CANDIDATES", "LEAKY", "skill_score"]
