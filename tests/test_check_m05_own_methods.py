"""05.1.a and 05.5.c: the student's own daily cycle and block bootstrap, checked on unseen quantities.

Each right way a student would write the method passes; each wrong way a student would really
type gets a message that names what is wrong.
"""

import numpy as np
import pandas as pd
import pytest
from _exercise_verdicts import assert_passes as _ok
from _exercise_verdicts import assert_told as _wrong

from sensorlab import stats
from sensorlab.exercises import m05  # noqa: F401 - registers the exercises


def cycle_groupby(readings, quantity):
    return readings.groupby(readings["timestamp"].dt.hour)[quantity].mean()


def cycle_column(readings, quantity):
    frame = readings.assign(hour=readings["timestamp"].dt.hour)
    return frame.groupby("hour")[quantity].mean()


def cycle_pivot(readings, quantity):
    frame = readings.assign(hour=readings["timestamp"].dt.hour)
    return frame.pivot_table(index="hour", values=quantity, aggfunc="mean")[quantity]


@pytest.mark.parametrize("answer", [cycle_groupby, cycle_column, cycle_pivot, lambda r, q: stats.diurnal_cycle(r, q)],
                         ids=["groupby", "hour-column", "pivot-table", "helper"])
def test_right_daily_cycles_pass(answer):
    _ok("05.1-my-daily-cycle", answer)


@pytest.mark.parametrize("answer, key", [
    ("hour", "m05.my_method.not_function"),
    (lambda r, q: None, "m05.my_method.returns_nothing"),
    (lambda r: cycle_groupby(r, "pm10"), "m05.my_method.raised"),
    (lambda r, q: r.groupby(r["timestamp"].dt.hour)[[q]].mean(), "m05.my_daily_cycle.frame"),
    (lambda r, q: float(r[q].mean()), "check.wrong_type"),
    (lambda r, q: r.groupby(r["timestamp"].dt.day_of_week)[q].mean(), "m05.my_daily_cycle.weekday"),
    (lambda r, q: r.groupby("timestamp")[q].mean(), "m05.my_daily_cycle.length"),
    (lambda r, q: cycle_groupby(r, q).reset_index(drop=True).set_axis(range(1, 25)), "m05.my_daily_cycle.index"),
    (lambda r, q: r.groupby(r["timestamp"].dt.hour)[q].median(), "m05.my_daily_cycle.median"),
    (lambda r, q: r.groupby(r["timestamp"].dt.tz_convert("UTC").dt.hour)[q].mean(), "m05.my_daily_cycle.utc"),
    (lambda r, q: r.groupby(r["timestamp"].dt.hour)[q].sum(), "m05.my_daily_cycle.wrong"),
    (lambda r, q: r.groupby(r["timestamp"].dt.hour)[q].max(), "m05.my_daily_cycle.wrong"),
    (lambda r, q: cycle_groupby(r.assign(**{q: r[q] * 0 + 1}), q), "m05.my_daily_cycle.wrong"),
], ids=["text", "none", "one-argument", "frame", "one-number", "weekday", "every-timestamp", "hours-1-24",
        "median", "utc", "sum", "max", "constant"])
def test_wrong_daily_cycles_are_told_what_is_wrong(answer, key):
    _wrong("05.1-my-daily-cycle", answer, key)


def test_a_cycle_that_always_averages_pm10_is_told_to_use_its_quantity():
    ref = m05.reference()
    _wrong("05.1-my-daily-cycle", lambda r, q: stats.diurnal_cycle(ref, "pm10"), "m05.my_daily_cycle.fixed_quantity")


def block_ci_loop(daily, statistic, block=7, n=2000, seed=0):
    rng = np.random.default_rng(seed)
    blocks = [np.arange(s, min(s + block, len(daily))) for s in range(0, len(daily), block)]
    values = []
    for _ in range(n):
        picks = rng.integers(0, len(blocks), len(blocks))
        values.append(statistic(daily.iloc[np.concatenate([blocks[k] for k in picks])]))
    low, high = np.percentile(values, [2.5, 97.5])
    return low, high


def block_ci_concat(daily, statistic, block=7, n=2000, seed=0):
    rng = np.random.default_rng(seed)
    pieces = [daily.iloc[s:s + block] for s in range(0, len(daily), block)]
    values = [statistic(pd.concat([pieces[k] for k in rng.choice(len(pieces), len(pieces))])) for _ in range(n)]
    return tuple(np.percentile(values, [2.5, 97.5]))


@pytest.mark.parametrize("answer", [block_ci_loop, block_ci_concat,
                                    lambda d, f, block=7, n=2000, seed=0: stats.block_bootstrap_ci(d, f, block, n, seed)],
                         ids=["as-described", "rng-choice-and-concat", "helper"])
def test_right_block_bootstraps_pass(answer):
    _ok("05.5-my-block-ci", answer)


def _days(daily, statistic, block=7, n=2000, seed=0):
    return block_ci_loop(daily, statistic, 1, n, seed)


@pytest.mark.parametrize("answer, key", [
    (0.5, "m05.my_method.not_function"),
    (lambda d, f, block=7, n=2000, seed=0: None, "m05.my_method.returns_nothing"),
    (lambda d, f: block_ci_loop(d, f), "m05.my_method.raised"),
    (lambda d, f, block=7, n=2000, seed=0: block_ci_loop(d, f, block, n, seed)[::-1], "m05.my_block_ci.order"),
    (_days, "m05.my_block_ci.days"),
    (lambda d, f, block=7, n=2000, seed=0: block_ci_loop(d, f, 7, n, seed), "m05.my_block_ci.fixed_block"),
    (lambda d, f, block=7, n=2000, seed=0: (f(d) - 1e-4, f(d) + 1e-4), "m05.my_block_ci.wrong"),
    (lambda d, f, block=7, n=2000, seed=0: tuple(np.percentile(d, [2.5, 97.5])), "m05.my_block_ci.wrong"),
    (lambda d, f, block=7, n=2000, seed=0: block_ci_loop(d, f, block, n, seed)[0], "m05.ci.not_interval"),
    (lambda d, f, block=7, n=2000, seed=0: tuple(np.percentile([f(d)] * 3, [2.5, 97.5])), "m05.my_block_ci.wrong"),
], ids=["number", "returns-none", "no-settings", "reversed", "single-days", "fixed-block", "made-up",
        "percentiles-of-data", "only-low", "no-resampling"])
def test_wrong_block_bootstraps_are_told_what_is_wrong(answer, key):
    _wrong("05.5-my-block-ci", answer, key)
