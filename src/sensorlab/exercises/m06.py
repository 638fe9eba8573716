"""Checkers for module 06, Calibrating a cheap sensor (ML 1)."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd

from sensorlab.calibration import (bootstrap_lines, colocated_pairs, epa_correction, fit_calibration,
                                   holdout_predictions, metrics)
from sensorlab.check import register
from sensorlab.check_expect import expect_close, expect_close_or_trap, expect_pair, expect_series_close, expect_type
from sensorlab.check_inputs import call_on_copies
from sensorlab.check_wording import Wrong
from sensorlab.exercises._data import part
from sensorlab.plotting import PM25_GRADES


def city():
    """The co-located sensors and stations of the bundled city with what calibration uses (PM2.5, humidity,
    temperature): every pair the checks compare is there, at a quarter of the whole city's memory."""
    return part("pm25", "humidity", "temperature", kind="colocated")

#: The lessons' split: calibrate on January-August, test on September-December.
CUTOFF = "2024-09-01"
JONGNO = "sdot-101-01"
#: Lesson 06.4 borrows Jongno's line for Gwangjin-gu's sensor, the co-located sensor that reads highest against its
#: station (the module's claims.py checks that it is, and that the borrowed line is worse than no calibration).
GWANGJIN = "sdot-108-01"
#: Sensors the students' own methods are tried on: not Jongno, which the lessons show.
UNSEEN = ("sdot-119-01", "sdot-107-01", "sdot-112-01")
#: The PM2.5 daily mean above which a day is 나쁨 (bad): the upper limit of 보통 in the package's grades.
BAD_ABOVE = float(PM25_GRADES[1][0])
#: Resamples of lesson 06.5's bootstrap.
N_BOOT = 1000


@lru_cache(maxsize=1)
def daily_pairs() -> pd.DataFrame:
    """Daily co-located pairs of the bundled city (lessons 06.1-06.4)."""
    return colocated_pairs(city())


@lru_cache(maxsize=1)
def hourly_jongno() -> pd.DataFrame:
    """Hourly pairs of the Jongno sensor and station (lessons 06.3, 06.5)."""
    return colocated_pairs(city(), freq="1h", sites=[JONGNO])


def _site(site_id=JONGNO):
    pairs = daily_pairs()
    return pairs[pairs["site_id"] == site_id]


@register("06.1-jongno-bias", kind=float, hints=("m06.jongno_bias.hint1", "m06.jongno_bias.hint2"))
def jongno_bias(answer):
    """Mean of (street sensor − station) daily PM2.5 at Jongno."""
    j = _site()
    diff = float((j["pm25_raw"] - j["pm25_ref"]).mean())
    expect_close_or_trap(answer, diff, "m06.what.bias", traps=[(-diff, "m06.jongno_bias.sign"),
                                                               (float(j["pm25_raw"].mean()), "m06.jongno_bias.raw_mean")])


@register("06.1-sensor-ratios", kind=pd.Series, level="university",
          hints=("m06.sensor_ratios.hint1", "m06.sensor_ratios.hint2"))
def sensor_ratios(answer):
    """Median raw/reference ratio of each co-located sensor, indexed by site_id."""
    pairs = daily_pairs()
    expected = (pairs["pm25_raw"] / pairs["pm25_ref"]).groupby(pairs["site_id"]).median()
    if len(answer) == len(pairs):
        raise Wrong("m06.sensor_ratios.not_grouped")
    means = (pairs["pm25_raw"] / pairs["pm25_ref"]).groupby(pairs["site_id"]).mean()
    if len(answer) == len(means) and np.allclose(answer.to_numpy(float), means.to_numpy(float)):
        raise Wrong("m06.sensor_ratios.mean")
    expect_series_close(answer, expected, "m06.what.ratio")


@register("06.2-jongno-test-rmse", kind=float, hints=("m06.test_rmse.hint1", "m06.test_rmse.hint2"))
def jongno_test_rmse(answer):
    """RMSE on Sep-Dec of a straight line fitted to Jongno's Jan-Aug pairs."""
    j = _site()
    test = holdout_predictions(j, ["pm25_raw"], "linear", CUTOFF)
    train = j[j["timestamp"] < pd.Timestamp(CUTOFF, tz="Asia/Seoul")]
    cal = test.attrs["calibration"]
    expect_close_or_trap(answer, float(metrics(test["pm25_ref"], test["predicted"])["rmse"]), "m06.what.rmse",
            traps=[(float(metrics(train["pm25_ref"], cal.predict(train))["rmse"]), "m06.test_rmse.train"),
                   (float(metrics(test["pm25_ref"], test["pm25_raw"])["rmse"]), "m06.test_rmse.raw")])


@register("06.2-pooled-rmse", kind=float, level="university", hints=("m06.pooled_rmse.hint1",))
def pooled_rmse(answer):
    """Test RMSE of one line fitted on all 25 sensors' Jan-Aug pairs, over all their Sep-Dec days."""
    test = holdout_predictions(daily_pairs(), ["pm25_raw"], "linear", CUTOFF)
    own = holdout_predictions(_site(), ["pm25_raw"], "linear", CUTOFF)
    expect_close_or_trap(answer, float(metrics(test["pm25_ref"], test["predicted"])["rmse"]), "m06.what.rmse",
            traps=[(float(metrics(own["pm25_ref"], own["predicted"])["rmse"]), "m06.pooled_rmse.jongno")])


@register("06.3-epa-daily", kind=pd.Series, hints=("m06.epa_daily.hint1", "m06.epa_daily.hint2"))
def epa_daily(answer):
    """The EPA correction of Jongno's daily raw PM2.5 with its own humidity."""
    j = _site()
    expected = epa_correction(j["pm25_raw"], j["humidity"])
    swapped = epa_correction(j["humidity"], j["pm25_raw"])
    if len(answer) == len(swapped) and np.allclose(answer.to_numpy(float), swapped.to_numpy(float), equal_nan=True):
        raise Wrong("m06.epa_daily.swapped")
    expect_series_close(answer, expected, "m06.what.corrected")


@register("06.3-ratio-by-humidity", kind=pd.Series, hints=("m06.ratio_rh.hint1", "m06.ratio_rh.hint2"))
def ratio_by_humidity(answer):
    """Median hourly raw/reference ratio at Jongno in humidity bins of 10 %RH (pd.cut)."""
    h = hourly_jongno()
    bins = pd.cut(h["humidity"], [0, 40, 50, 60, 70, 80, 90, 100])
    expected = (h["pm25_raw"] / h["pm25_ref"]).groupby(bins, observed=True).median()
    if len(answer) != len(expected):
        raise Wrong("m06.ratio_rh.bins", expected=len(expected), got=len(answer))
    got, want = answer.to_numpy(float), expected.to_numpy(float)
    if not np.allclose(got, want, rtol=1e-3, equal_nan=True):
        means = (h["pm25_raw"] / h["pm25_ref"]).groupby(bins, observed=True).mean().to_numpy(float)
        if np.allclose(got, means, rtol=1e-3, equal_nan=True):
            raise Wrong("m06.ratio_rh.mean")
        i = int(np.argmax(~np.isclose(got, want, rtol=1e-3, equal_nan=True)))
        raise Wrong("check.wrong_value_at", what="m06.what.ratio", label=str(expected.index[i]),
                    expected=float(want[i]), got=float(got[i]))


@register("06.3-rh-coefficient", kind=float, level="university", hints=("m06.rh_coefficient.hint1",))
def rh_coefficient(answer):
    """Humidity coefficient of a line fitted to Jongno's hourly Jan-Aug pairs on raw PM2.5 and humidity."""
    h = hourly_jongno()
    train = h[h["timestamp"] < pd.Timestamp(CUTOFF, tz="Asia/Seoul")]
    cal = fit_calibration(train, ["pm25_raw", "humidity"])
    expect_close_or_trap(answer, cal.coefficients["humidity"], "m06.what.coefficient",
            traps=[(cal.coefficients["pm25_raw"], "m06.rh_coefficient.raw")])


@register("06.4-borrowed-line", kind=float, hints=("m06.borrowed.hint1", "m06.borrowed.hint2"))
def borrowed_line(answer):
    """RMSE on Gwangjin's Sep-Dec days of the line fitted on Jongno's Jan-Aug days."""
    jongno = _site()
    cal = fit_calibration(jongno[jongno["timestamp"] < pd.Timestamp(CUTOFF, tz="Asia/Seoul")], ["pm25_raw"])
    other = _site(GWANGJIN)
    test = other[other["timestamp"] >= pd.Timestamp(CUTOFF, tz="Asia/Seoul")]
    own = holdout_predictions(other, ["pm25_raw"], "linear", CUTOFF)
    expect_close_or_trap(answer, float(metrics(test["pm25_ref"], cal.predict(test))["rmse"]), "m06.what.rmse",
            traps=[(float(metrics(own["pm25_ref"], own["predicted"])["rmse"]), "m06.borrowed.own_line")])


@register("06.4-site-out-rmse", kind=float, level="university", hints=("m06.site_out.hint1",))
def site_out_rmse(answer):
    """Mean leave-one-site-out RMSE of a pooled line on raw PM2.5 and humidity."""
    from sensorlab.validation import compare_splits

    table = compare_splits(daily_pairs(), lambda tr: fit_calibration(tr, ["pm25_raw", "humidity"]),
                           lambda te, p: metrics(te["pm25_ref"], p)["rmse"])
    expect_close_or_trap(answer, float(table.loc["leave one site out", "score"]), "m06.what.rmse",
            traps=[(float(table.loc["random rows", "score"]), "m06.site_out.random")])


@register("06.5-forest-hourly", kind=float, level="university", hints=("m06.forest_hourly.hint1",))
def forest_hourly(answer):
    """Sep-Dec RMSE of a random forest on Jongno's hourly raw PM2.5, humidity and temperature."""
    test = holdout_predictions(hourly_jongno(), ["pm25_raw", "humidity", "temperature"], "forest", CUTOFF)
    expect_close_or_trap(answer, float(metrics(test["pm25_ref"], test["predicted"])["rmse"]), "m06.what.rmse", rtol=1e-2)


def _call(function, *args):
    """A student's function called on checker data; ``Wrong`` when it is not one or returns nothing."""
    if not callable(function):
        raise Wrong("m06.not_function")
    try:
        got = call_on_copies(function, *args)
    except Wrong:
        raise  # it changed the table it was given
    except Exception as err:  # noqa: BLE001 - the student's code failing is feedback, not a crash
        raise Wrong("m06.raised", problem=type(err).__name__) from None
    if got is ...:
        raise Wrong("m06.fill_in")
    if got is None:
        raise Wrong("m06.returns_nothing")
    return got


def _unfiltered_day(data, site: str, day, value: float) -> bool:
    """Whether ``value`` is the day's mean with the faulty readings (-999, 0, bursts) kept in."""
    r = data.readings
    one = r.loc[(r["site_id"] == site) & (r["timestamp"].dt.normalize() == day), "pm25"]
    return bool(len(one)) and math.isclose(float(one.mean()), value, rel_tol=1e-3, abs_tol=0.05)


@register("06.1-my-pairs", hints=("m06.my_pairs.hint1", "m06.my_pairs.hint2", "m06.my_pairs.hint3"))
def my_pairs(answer):
    """A function (readings, sites, sensor_id) -> daily pm25_raw and pm25_ref of the sensor and its station.

    Tried on sensors the lesson does not show, against :func:`colocated_pairs`. Days the helper
    leaves out for too few readings may be kept; every day the helper keeps must be there, right.
    """
    data = city()
    for sensor in UNSEEN:
        got = _call(answer, data.readings, data.sites, sensor)  # on copies: a function may change its input
        expect_type(got, pd.DataFrame)
        if "timestamp" in got.columns:
            got = got.set_index("timestamp")
        missing = [c for c in ("pm25_raw", "pm25_ref") if c not in got.columns]
        if missing:
            raise Wrong("check.missing_column", column=missing[0])
        want = colocated_pairs(data, sites=[sensor]).set_index("timestamp")
        if got[["pm25_raw", "pm25_ref"]].isna().any().any():
            raise Wrong("m06.my_pairs.nan", sensor=sensor)
        try:
            got = got.reindex(want.index)
        except (TypeError, ValueError) as err:  # an index of strings or without a time zone
            raise Wrong("m06.my_pairs.index") from err
        absent = got["pm25_raw"].isna()
        if absent.mean() > 0.02:
            raise Wrong("m06.my_pairs.days_missing", sensor=sensor, missing=int(absent.sum()), total=len(want))
        raw, ref = got["pm25_raw"].to_numpy(float), got["pm25_ref"].to_numpy(float)
        if np.allclose(raw, want["pm25_ref"], rtol=1e-3, equal_nan=True):
            raise Wrong("m06.my_pairs.swapped")
        for column, values in (("pm25_ref", ref), ("pm25_raw", raw)):
            bad = ~np.isclose(values, want[column].to_numpy(float), rtol=1e-3, atol=0.05) & ~absent.to_numpy()
            if bad.any():
                i = int(np.argmax(bad))
                site = sensor if column == "pm25_raw" else str(want["reference_id"].iloc[i])
                key = "m06.my_pairs.faults" if _unfiltered_day(data, site, want.index[i], values[i]) \
                    else "m06.my_pairs.wrong_day"
                raise Wrong(key, sensor=sensor, day=f"{want.index[i]:%Y-%m-%d}", column=column,
                            expected=float(want[column].iloc[i]), got=float(values[i]))


@register("06.2-my-fit", hints=("m06.my_fit.hint1", "m06.my_fit.hint2"))
def my_fit(answer):
    """A function (sensor, station) -> (slope, intercept) of station = slope × sensor + intercept.

    Tried on the training days of sensors the lesson does not show, against :func:`fit_calibration`.
    """
    pairs = daily_pairs()
    for sensor in UNSEEN:
        rows = pairs[(pairs["site_id"] == sensor) & (pairs["timestamp"] < pd.Timestamp(CUTOFF, tz="Asia/Seoul"))]
        x, y = rows["pm25_raw"].astype(float), rows["pm25_ref"].astype(float)
        got = _call(answer, x, y)
        slope, intercept = expect_pair(got, "m06.my_fit.shape")
        coef = fit_calibration(rows, ["pm25_raw"]).coefficients
        want_slope, want_intercept = coef["pm25_raw"], coef["intercept"]
        classical = np.polyfit(y, x, 1)
        if math.isclose(slope, want_intercept, rel_tol=1e-3) and math.isclose(intercept, want_slope, rel_tol=1e-3):
            raise Wrong("m06.my_fit.order")
        if math.isclose(slope, classical[0], rel_tol=1e-3):
            raise Wrong("m06.my_fit.classical", sensor=sensor)
        if math.isclose(slope, 1 / classical[0], rel_tol=1e-3):
            raise Wrong("m06.my_fit.inverted", sensor=sensor)
        if math.isclose(slope, float(y.mean() / x.mean()), rel_tol=1e-3):
            raise Wrong("m06.my_fit.ratio")
        expect_close(slope, want_slope, "m06.what.slope", rtol=1e-3)
        expect_close(intercept, want_intercept, "m06.what.intercept", rtol=1e-3, atol=1e-3)


@lru_cache(maxsize=1)
def bad_day_interval() -> tuple[float, float, float]:
    """95 % bootstrap interval (and the count of one line) of Jongno's calibrated 나쁨 days, Sep-Dec."""
    j = _site()
    cutoff = pd.Timestamp(CUTOFF, tz="Asia/Seoul")
    train, test = j[j["timestamp"] < cutoff], j[j["timestamp"] >= cutoff]
    lines = bootstrap_lines(train, n_boot=N_BOOT, seed=0)
    raw = test["pm25_raw"].to_numpy(float)
    counts = ((lines["slope"].to_numpy()[:, None] * raw + lines["intercept"].to_numpy()[:, None]) > BAD_ABOVE).sum(axis=1)
    low, high = np.percentile(counts, [2.5, 97.5])
    one = fit_calibration(train, ["pm25_raw"]).predict(test)
    return float(low), float(high), float((one > BAD_ABOVE).sum())


@register("06.5-bad-day-interval", level="university", hints=("m06.bad_days.hint1", "m06.bad_days.hint2"))
def bad_day_interval_check(answer):
    """(low, high): the 95 % bootstrap interval of Jongno's calibrated 나쁨 days in Sep-Dec.

    A student's own resampling (another seed, another count of resamples) moves each end by
    about a day, so one day either way is right.
    """
    if isinstance(answer, (int, float, np.integer, np.floating)):
        raise Wrong("m06.bad_days.one_number", one=bad_day_interval()[2])
    got_low, got_high = sorted(expect_pair(answer, "m06.bad_days.shape"))  # told before the bootstrap runs
    low, high, _ = bad_day_interval()
    if 0 < got_high <= 1 and high > 1:
        raise Wrong("m06.bad_days.share")
    test = _site()[lambda f: f["timestamp"] >= pd.Timestamp(CUTOFF, tz="Asia/Seoul")]
    if math.isclose(got_low, got_high) and math.isclose(got_low, float((test["pm25_ref"] > BAD_ABOVE).sum())):
        raise Wrong("m06.bad_days.station")
    if abs(got_low - low) > 1 or abs(got_high - high) > 1:
        raise Wrong("m06.bad_days.wrong", low=low, high=high, got_low=got_low, got_high=got_high)
