"""04.3.a and 04.3.c: the student's own spike and stuck-run detectors, checked on unseen sensors.

Each right way a student would write the method passes; each wrong way a student would really
type gets a message that names what is wrong.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from _exercise_verdicts import assert_passes as _ok
from _exercise_verdicts import assert_told as _wrong
from numpy.lib.stride_tricks import sliding_window_view

from sensorlab.exercises import m04  # noqa: F401 - registers the exercises


def spikes_rolling(series, window=5, n_mad=8, min_scale=1.0):
    med = series.rolling(window, center=True, min_periods=1).median()
    mad = series.rolling(window, center=True, min_periods=1).apply(
        lambda w: np.nanmedian(np.abs(w - np.nanmedian(w))), raw=True)
    return (series - med).abs() > n_mad * np.maximum(1.4826 * mad, min_scale)


def spikes_numpy(series, window=5, n_mad=8, min_scale=1.0):
    half = window // 2
    values = series.to_numpy(float)
    windows = sliding_window_view(np.r_[np.full(half, np.nan), values, np.full(half, np.nan)], window)
    with warnings.catch_warnings():  # an all-gap window has no median: NaN, never flagged
        warnings.simplefilter("ignore", RuntimeWarning)
        med = np.nanmedian(windows, axis=1)
        mad = np.nanmedian(np.abs(windows - med[:, None]), axis=1)
    with np.errstate(invalid="ignore"):
        return pd.Series(np.abs(values - med) > n_mad * np.maximum(1.4826 * mad, min_scale), index=series.index)


def spikes_loop(series, window=5, n_mad=8, min_scale=1.0):
    flags = []
    half = window // 2
    for i in range(len(series)):
        w = series.iloc[max(0, i - half):i + half + 1].dropna()
        if w.empty or np.isnan(series.iloc[i]):
            flags.append(False)
            continue
        med = w.median()
        spread = max(1.4826 * (w - med).abs().median(), min_scale)
        flags.append(bool(abs(series.iloc[i] - med) > n_mad * spread))
    return pd.Series(flags, index=series.index)


@pytest.mark.parametrize("answer", [spikes_rolling, spikes_numpy], ids=["rolling-apply", "sliding-window"])
def test_right_spike_detectors_pass(answer):
    _ok("04.3-my-spikes", answer)


def test_a_plain_loop_over_the_readings_also_passes_on_the_small_series():
    tiny = m04.TINY
    assert spikes_loop(tiny, n_mad=4).equals(spikes_rolling(tiny, n_mad=4))


def _trailing(series, window=5, n_mad=8, min_scale=1.0):
    roll = series.rolling(window, min_periods=1)
    med = roll.median()
    mad = roll.apply(lambda w: np.nanmedian(np.abs(w - np.nanmedian(w))), raw=True)
    return (series - med).abs() > n_mad * np.maximum(1.4826 * mad, min_scale)


def _unscaled(series, window=5, n_mad=8, min_scale=1.0):
    roll = series.rolling(window, center=True, min_periods=1)
    med = roll.median()
    mad = roll.apply(lambda w: np.nanmedian(np.abs(w - np.nanmedian(w))), raw=True)
    return (series - med).abs() > n_mad * np.maximum(mad, min_scale)


def _rolled_distance(series, window=5, n_mad=8, min_scale=1.0):
    med = series.rolling(window, center=True, min_periods=1).median()
    mad = (series - med).abs().rolling(window, center=True, min_periods=1).median()
    return (series - med).abs() > n_mad * np.maximum(1.4826 * mad, min_scale)


def _mean_sd(series, window=5, n_mad=8, min_scale=1.0):
    roll = series.rolling(window, center=True, min_periods=1)
    return (series - roll.mean()).abs() > n_mad * np.maximum(roll.std(), min_scale)


def _only_up(series, window=5, n_mad=8, min_scale=1.0):
    med = series.rolling(window, center=True, min_periods=1).median()
    mad = series.rolling(window, center=True, min_periods=1).apply(
        lambda w: np.nanmedian(np.abs(w - np.nanmedian(w))), raw=True)
    return (series - med) > n_mad * np.maximum(1.4826 * mad, min_scale)


def _fixed_settings(series, window=5, n_mad=8, min_scale=1.0):
    return spikes_rolling(series)


@pytest.mark.parametrize("answer, key", [
    (42, "m04.my_method.not_function"),
    ("spikes", "m04.my_method.not_function"),
    (lambda s, **kw: None, "m04.my_method.returns_nothing"),
    (lambda s, **kw: int(spikes_rolling(s, **kw).sum()), "m04.my_method.one_number"),
    (lambda s, **kw: spikes_rolling(s, **kw)[spikes_rolling(s, **kw)], "m04.my_method.length"),
    (lambda s, **kw: spikes_rolling(s, **kw).astype(int), "m04.my_method.not_bool"),
    (lambda s, **kw: spikes_rolling(s, **kw).reset_index(drop=True), "m04.my_method.index"),
    (lambda s, **kw: s.rolling(5).median() > 1 / 0, "m04.my_method.raised"),
    (lambda s: spikes_rolling(s), "m04.my_method.raised"),
    (_trailing, "m04.my_spikes.trailing"),
    (_unscaled, "m04.my_spikes.unscaled"),
    (_rolled_distance, "m04.my_spikes.rolled_distance"),
    (_mean_sd, "m04.my_spikes.mean_sd"),
    (_only_up, "m04.my_spikes.only_up"),
    (_fixed_settings, "m04.my_spikes.ignores_settings"),
    (lambda s, **kw: s > 100, "m04.my_method.differs"),
], ids=["number", "text", "none", "count", "only-flagged-rows", "ints", "reset-index", "raises",
        "no-settings", "trailing", "unscaled", "rolled-distance", "mean-sd", "only-up", "fixed-settings",
        "threshold"])
def test_wrong_spike_detectors_are_told_what_is_wrong(answer, key):
    _wrong("04.3-my-spikes", answer, key)


def stuck_groupby(series, min_run=6):
    run = (series != series.shift()).cumsum()
    return (series.groupby(run).transform("size") >= min_run) & series.notna()


def stuck_numpy(series, min_run=6):
    values = series.to_numpy(float)
    new = np.r_[True, values[1:] != values[:-1]]
    run = np.cumsum(new)
    return pd.Series((np.bincount(run)[run] >= min_run) & ~np.isnan(values), index=series.index)


@pytest.mark.parametrize("answer", [stuck_groupby, stuck_numpy], ids=["groupby", "numpy"])
def test_right_stuck_detectors_pass(answer):
    _ok("04.3-my-stuck", answer)


def _repeats_only(series, min_run=6):
    return stuck_groupby(series, min_run) & (series == series.shift())


@pytest.mark.parametrize("answer, key", [
    (6, "m04.my_method.not_function"),
    (lambda s, min_run=6: None, "m04.my_method.returns_nothing"),
    (lambda s, min_run=6: int(stuck_groupby(s, min_run).sum()), "m04.my_method.one_number"),
    (lambda s, min_run=6: stuck_groupby(s, min_run).to_numpy()[1:], "m04.my_method.length"),
    (lambda s, min_run=6: stuck_groupby(s, min_run).astype(float), "m04.my_method.not_bool"),
    (_repeats_only, "m04.my_stuck.repeats_only"),
    (lambda s, min_run=6: (s.groupby((s != s.shift()).cumsum()).transform("size") > min_run) & s.notna(),
     "m04.my_stuck.longer_than"),
    (lambda s, min_run=6: stuck_groupby(s, 6), "m04.my_stuck.ignores_min_run"),
    (lambda s, min_run=6: s.round(-1).groupby((s.round(-1) != s.round(-1).shift()).cumsum()).transform("size")
     >= min_run, "m04.my_method.differs"),
    (lambda s, min_run=6: s == s.shift(), "m04.my_method.differs"),
], ids=["number", "none", "count", "short", "floats", "repeats-only", "longer-than", "fixed-run",
        "rounded-first", "any-repeat"])
def test_wrong_stuck_detectors_are_told_what_is_wrong(answer, key):
    _wrong("04.3-my-stuck", answer, key)


def test_clean_ranking_accepts_spearman_and_names_the_other_columns_and_pearson():
    table = m04.district_rankings()
    spearman = table.corr(method="spearman")
    _ok("04.5-clean-ranking", float(spearman.loc["cleaned sensors", "stations"]))
    _ok("04.5-clean-ranking", round(float(spearman.loc["stations", "cleaned sensors"]), 3))
    _wrong("04.5-clean-ranking", float(table.corr().loc["cleaned sensors", "stations"]), "m04.clean_ranking.pearson")
    _wrong("04.5-clean-ranking", float(spearman.loc["true air at the sensors", "stations"]), "m04.clean_ranking.truth")
    _wrong("04.5-clean-ranking", spearman["stations"], "m04.one_number")
    _wrong("04.5-clean-ranking", "0.48", "check.wrong_type_advice")
    _wrong("04.5-clean-ranking", 1.0, "check.wrong_value")
    if not np.isclose(spearman.loc["raw sensors", "stations"], spearman.loc["cleaned sensors", "stations"], atol=1e-3):
        _wrong("04.5-clean-ranking", float(spearman.loc["raw sensors", "stations"]), "m04.clean_ranking.raw")
