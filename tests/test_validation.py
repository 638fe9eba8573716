"""Splits that respect time and place, and the random split that leaks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sensorlab.validation import (compare_splits, leave_one_site_out, random_folds, random_vs_time, time_series_folds,
                                  time_split)

TZ = "Asia/Seoul"


def _frame(days=10, sites=("a", "b", "c")):
    times = pd.date_range("2024-01-01", periods=days, freq="D", tz=TZ)
    return pd.DataFrame({"timestamp": np.repeat(times, len(sites)), "site_id": list(sites) * days,
                         "x": np.arange(days * len(sites), dtype=float)})


def test_time_split_strict_before_and_from_cutoff():
    frame = _frame()
    train, test = time_split(frame, "2024-01-08")
    assert train["timestamp"].max() < pd.Timestamp("2024-01-08", tz=TZ) <= test["timestamp"].min()
    assert len(train) == 21 and len(test) == 9
    with pytest.raises(ValueError, match="empty test"):
        time_split(frame, "2030-01-01")
    with pytest.raises(ValueError, match="timestamps"):
        time_split(frame, "2024-01-02", time_col="x")


def test_leave_one_site_out_each_site_once_and_never_in_its_own_training():
    frame = _frame()
    folds = leave_one_site_out(frame["site_id"])
    assert len(folds) == 3
    for train, test in folds:
        held = set(frame["site_id"].iloc[test])
        assert len(held) == 1 and held.isdisjoint(frame["site_id"].iloc[train])
    assert sorted(np.concatenate([t for _, t in folds]).tolist()) == list(range(len(frame)))


def test_time_series_folds_keep_days_whole_and_past_before_future():
    frame = _frame(days=12)
    folds = time_series_folds(frame["timestamp"], n_splits=3, gap_days=1)
    assert len(folds) == 3
    for train, test in folds:
        train_days = set(frame["timestamp"].iloc[train].dt.date)
        test_days = set(frame["timestamp"].iloc[test].dt.date)
        assert max(train_days) < min(test_days)
        assert (min(test_days) - max(train_days)).days == 2       # one gap day between
        assert len(test) % 3 == 0                                   # all 3 sites of each day
    # expanding window: each training set contains the previous one
    assert all(set(a[0]) < set(b[0]) for a, b in zip(folds, folds[1:]))


def test_random_folds_cover_every_row_once():
    folds = random_folds(20, n_splits=4, seed=1)
    assert sorted(np.concatenate([t for _, t in folds]).tolist()) == list(range(20))


def test_compare_splits_shows_the_random_split_flatters_a_memorising_model():
    """A model that memorises the site's and the day's neighbours looks good only on random rows."""
    rng = np.random.default_rng(3)
    days, sites = 120, ["a", "b", "c", "d"]
    frame = _frame(days, sites)
    walk = np.cumsum(rng.normal(0, 4, days)) + 40             # slow city-wide pollution wander
    offset = {"a": -15.0, "b": 0.0, "c": 12.0, "d": 30.0}       # each site its own level
    frame["day"] = np.repeat(np.arange(days, dtype=float), len(sites))
    frame["site_code"] = frame["site_id"].map({s: i * 1000.0 for i, s in enumerate(sites)})
    frame["pm25"] = np.repeat(walk, len(sites)) + frame["site_id"].map(offset)

    from sklearn.neighbors import KNeighborsRegressor

    class Memory:
        def __init__(self, train):
            self.m = KNeighborsRegressor(2).fit(train[["day", "site_code"]], train["pm25"])

        def predict(self, f):
            return self.m.predict(f[["day", "site_code"]])

    mae = lambda test, pred: float(np.mean(np.abs(test["pm25"] - pred)))  # noqa: E731
    table = compare_splits(frame, Memory, mae, n_splits=4)
    assert table.index.tolist() == ["random rows", "time series", "leave one site out"]
    assert table.loc["random rows", "score"] * 2 < table.loc["time series", "score"]
    assert table.loc["random rows", "score"] * 2 < table.loc["leave one site out", "score"]
    assert table["folds"].tolist() == [4, 4, 4]


def test_random_vs_time_scores_the_same_later_rows_and_exposes_drift():
    """A drifting sensor: the random split trains on the later days' neighbours and looks better."""
    days = pd.date_range("2024-01-01", periods=240, freq="D", tz=TZ)
    ref = np.random.default_rng(5).gamma(4, 6, 240)
    frame = pd.DataFrame({"timestamp": days, "ref": ref, "raw": ref * np.linspace(1.2, 0.6, 240)})
    seen = []

    class Line:
        def __init__(self, train):
            self.slope = float(np.polyfit(train["raw"], train["ref"], 1)[0])
            self.intercept = float(np.polyfit(train["raw"], train["ref"], 1)[1])

        def predict(self, f):
            return self.slope * f["raw"] + self.intercept

    def mae(test, pred):
        seen.append(test["timestamp"].min())
        return float(np.mean(np.abs(test["ref"] - pred)))

    s = random_vs_time(frame, Line, mae, "2024-07-01", repeats=2)
    assert s.index.tolist() == ["time split", "random rows"]
    assert all(t >= pd.Timestamp("2024-07-01", tz=TZ) for t in seen)   # only later rows are scored
    assert s["random rows"] < 0.85 * s["time split"]
    # Without drift, neither split has anything to leak: the two scores agree closely.
    steady = frame.assign(raw=frame["ref"] * 1.5)
    s2 = random_vs_time(steady, Line, mae, "2024-07-01", repeats=2)
    assert s2["time split"] == pytest.approx(s2["random rows"], abs=1e-6)
