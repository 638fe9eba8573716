"""Checkers for module 06, Calibrating a cheap sensor (ML 1)."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd

from sensorlab.calibration import colocated_pairs, epa_correction, fit_calibration, holdout_predictions, metrics
from sensorlab.check import Wrong, expect_close, expect_series_close, expect_type, register
from sensorlab.exercises._data import part


def city():
    """The bundled city with what calibration uses (PM2.5, humidity, temperature), like module 06's lessons."""
    return part("pm25", "humidity", "temperature")

#: The lessons' split: calibrate on January-August, test on September-December.
CUTOFF = "2024-09-01"
JONGNO, YEONGDEUNGPO = "sdot-101-01", "sdot-119-01"


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


def _number(answer, expected, what, traps=(), rtol=1e-3):
    """Check a number, first naming a recognised mistake (``traps``: (value, message key))."""
    expect_type(answer, float)
    if math.isclose(float(answer), expected, rel_tol=rtol, abs_tol=1e-9):
        return
    for value, key in traps:
        if math.isclose(float(answer), value, rel_tol=rtol, abs_tol=1e-9):
            raise Wrong(key)
    expect_close(answer, expected, what, rtol=rtol)


@register("06.1-jongno-bias", hints=("m06.jongno_bias.hint1", "m06.jongno_bias.hint2"))
def jongno_bias(answer):
    """Mean of (street sensor − station) daily PM2.5 at Jongno."""
    j = _site()
    diff = float((j["pm25_raw"] - j["pm25_ref"]).mean())
    _number(answer, diff, "m06.what.bias", traps=[(-diff, "m06.jongno_bias.sign"),
                                                  (float(j["pm25_raw"].mean()), "m06.jongno_bias.raw_mean")])


@register("06.1-sensor-ratios", level="university", hints=("m06.sensor_ratios.hint1", "m06.sensor_ratios.hint2"))
def sensor_ratios(answer):
    """Median raw/reference ratio of each co-located sensor, indexed by site_id."""
    pairs = daily_pairs()
    expected = (pairs["pm25_raw"] / pairs["pm25_ref"]).groupby(pairs["site_id"]).median()
    expect_type(answer, pd.Series)
    if len(answer) == len(pairs):
        raise Wrong("m06.sensor_ratios.not_grouped")
    means = (pairs["pm25_raw"] / pairs["pm25_ref"]).groupby(pairs["site_id"]).mean()
    if len(answer) == len(means) and np.allclose(answer.to_numpy(float), means.to_numpy(float)):
        raise Wrong("m06.sensor_ratios.mean")
    expect_series_close(answer, expected, "m06.what.ratio")


@register("06.2-jongno-test-rmse", hints=("m06.test_rmse.hint1", "m06.test_rmse.hint2"))
def jongno_test_rmse(answer):
    """RMSE on Sep-Dec of a straight line fitted to Jongno's Jan-Aug pairs."""
    j = _site()
    test = holdout_predictions(j, ["pm25_raw"], "linear", CUTOFF)
    train = j[j["timestamp"] < pd.Timestamp(CUTOFF, tz="Asia/Seoul")]
    cal = test.attrs["calibration"]
    _number(answer, float(metrics(test["pm25_ref"], test["predicted"])["rmse"]), "m06.what.rmse",
            traps=[(float(metrics(train["pm25_ref"], cal.predict(train))["rmse"]), "m06.test_rmse.train"),
                   (float(metrics(test["pm25_ref"], test["pm25_raw"])["rmse"]), "m06.test_rmse.raw")])


@register("06.2-pooled-rmse", level="university", hints=("m06.pooled_rmse.hint1",))
def pooled_rmse(answer):
    """Test RMSE of one line fitted on all 25 sensors' Jan-Aug pairs, over all their Sep-Dec days."""
    test = holdout_predictions(daily_pairs(), ["pm25_raw"], "linear", CUTOFF)
    own = holdout_predictions(_site(), ["pm25_raw"], "linear", CUTOFF)
    _number(answer, float(metrics(test["pm25_ref"], test["predicted"])["rmse"]), "m06.what.rmse",
            traps=[(float(metrics(own["pm25_ref"], own["predicted"])["rmse"]), "m06.pooled_rmse.jongno")])


@register("06.3-epa-daily", hints=("m06.epa_daily.hint1", "m06.epa_daily.hint2"))
def epa_daily(answer):
    """The EPA correction of Jongno's daily raw PM2.5 with its own humidity."""
    j = _site()
    expected = epa_correction(j["pm25_raw"], j["humidity"])
    expect_type(answer, pd.Series)
    swapped = epa_correction(j["humidity"], j["pm25_raw"])
    if len(answer) == len(swapped) and np.allclose(answer.to_numpy(float), swapped.to_numpy(float), equal_nan=True):
        raise Wrong("m06.epa_daily.swapped")
    expect_series_close(answer, expected, "m06.what.corrected")


@register("06.3-ratio-by-humidity", hints=("m06.ratio_rh.hint1", "m06.ratio_rh.hint2"))
def ratio_by_humidity(answer):
    """Median hourly raw/reference ratio at Jongno in humidity bins of 10 %RH (pd.cut)."""
    h = hourly_jongno()
    bins = pd.cut(h["humidity"], [0, 40, 50, 60, 70, 80, 90, 100])
    expected = (h["pm25_raw"] / h["pm25_ref"]).groupby(bins, observed=True).median()
    expect_type(answer, pd.Series)
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


@register("06.3-rh-coefficient", level="university", hints=("m06.rh_coefficient.hint1",))
def rh_coefficient(answer):
    """Humidity coefficient of a line fitted to Jongno's hourly Jan-Aug pairs on raw PM2.5 and humidity."""
    h = hourly_jongno()
    train = h[h["timestamp"] < pd.Timestamp(CUTOFF, tz="Asia/Seoul")]
    cal = fit_calibration(train, ["pm25_raw", "humidity"])
    _number(answer, cal.coefficients["humidity"], "m06.what.coefficient",
            traps=[(cal.coefficients["pm25_raw"], "m06.rh_coefficient.raw")])


@register("06.4-borrowed-line", hints=("m06.borrowed.hint1", "m06.borrowed.hint2"))
def borrowed_line(answer):
    """RMSE on Yeongdeungpo's Sep-Dec days of the line fitted on Jongno's Jan-Aug days."""
    jongno = _site()
    cal = fit_calibration(jongno[jongno["timestamp"] < pd.Timestamp(CUTOFF, tz="Asia/Seoul")], ["pm25_raw"])
    other = _site(YEONGDEUNGPO)
    test = other[other["timestamp"] >= pd.Timestamp(CUTOFF, tz="Asia/Seoul")]
    own = holdout_predictions(other, ["pm25_raw"], "linear", CUTOFF)
    _number(answer, float(metrics(test["pm25_ref"], cal.predict(test))["rmse"]), "m06.what.rmse",
            traps=[(float(metrics(own["pm25_ref"], own["predicted"])["rmse"]), "m06.borrowed.own_line")])


@register("06.4-site-out-rmse", level="university", hints=("m06.site_out.hint1",))
def site_out_rmse(answer):
    """Mean leave-one-site-out RMSE of a pooled line on raw PM2.5 and humidity."""
    from sensorlab.validation import compare_splits

    table = compare_splits(daily_pairs(), lambda tr: fit_calibration(tr, ["pm25_raw", "humidity"]),
                           lambda te, p: metrics(te["pm25_ref"], p)["rmse"])
    _number(answer, float(table.loc["leave one site out", "score"]), "m06.what.rmse",
            traps=[(float(table.loc["random rows", "score"]), "m06.site_out.random")])


@register("06.5-forest-hourly", level="university", hints=("m06.forest_hourly.hint1",))
def forest_hourly(answer):
    """Sep-Dec RMSE of a random forest on Jongno's hourly raw PM2.5, humidity and temperature."""
    test = holdout_predictions(hourly_jongno(), ["pm25_raw", "humidity", "temperature"], "forest", CUTOFF)
    _number(answer, float(metrics(test["pm25_ref"], test["predicted"])["rmse"]), "m06.what.rmse", rtol=1e-2)
