"""Checkers for module 08, Capstone project (the worked examples and the planning sums)."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd

from sensorlab.check import register
from sensorlab.check_expect import expect_close, expect_pair, expect_series_close
from sensorlab.check_wording import Wrong
from sensorlab.exercises._data import part

#: Lesson 08.1: the questions that the box or the city data can answer.
ANSWERABLE = {"A", "C", "E"}
#: Lesson 08.3: the school's nearest station, and the two windows compared (hours, KST).
SCHOOL_STATION = "ref-106"
SCHOOL_RUN_HOURS = (7, 8)
MIDDAY_HOURS = (11, 12)
#: Lesson 08.2: the class firmware's pacing (kits/firmware/main.py) and values per line.
REPORT_S, HEARTBEAT_S, PM_VALUES, SHT_VALUES, HB_VALUES = 10, 60, 12, 4, 1


def station_readings(site_id: str = SCHOOL_STATION) -> pd.DataFrame:
    """One station's hourly readings, with ``hour`` and ``weekday`` columns (Seoul time)."""
    r = part("pm25").readings
    one = r[r["site_id"] == site_id].copy()
    one["hour"] = one["timestamp"].dt.hour
    one["weekday"] = one["timestamp"].dt.day_of_week < 5
    return one


def _window(hours):
    one = station_readings()
    return one[one["weekday"] & one["hour"].isin(hours)]


def nearest_box(sites: pd.DataFrame, station_sites: pd.DataFrame) -> str:
    """The box of ``sites`` standing nearest the station (08.4's fixed rule for which box to check)."""
    from sensorlab.kit.classnet import _nearest_site

    one = station_sites.iloc[0]
    return _nearest_site(sites, float(one["lat"]), float(one["lon"]))


@lru_cache(maxsize=1)
def class_box():
    """Lesson 08.4's box: the class network's box nearest its station, and that station.

    Returns ``(log, station)``: the box's raw log (every line with its ``status``) and the
    nearest station's hours (:func:`sensorlab.your_data.nearest_station`), both SensorData.
    """
    from sensorlab.datasets.base import SensorData
    from sensorlab.your_data import class_network_folder, my_data, nearest_station

    from sensorlab.errors import SensorLabError
    from sensorlab.messages import text

    network = my_data(class_network_folder(), resample=None)
    station = nearest_station(network)
    if station is None:  # a student's own log: the checks must not blame their answer for it
        raise SensorLabError(text("m08.box.no_station"))
    box = nearest_box(network.sites, station.sites)
    readings = network.readings[network.readings["site_id"] == box].reset_index(drop=True)
    sites = network.sites[network.sites["site_id"] == box].reset_index(drop=True)
    return SensorData(readings=readings, sites=sites, name=box, meta=network.meta), station


def box_log():
    """The box of lesson 08.4, as the lesson reads it: its raw log (SensorData)."""
    return class_box()[0]


def box_hourly_expected() -> pd.Series:
    box = box_log().readings
    return box[box["status"] == "ok"].set_index("timestamp")["pm25"].resample("1h").mean()


def paired() -> pd.DataFrame:
    """Box and station hourly PM2.5, side by side, hours where both have a value."""
    station = class_box()[1].readings.set_index("timestamp")["pm25"]
    both = pd.DataFrame({"box": box_hourly_expected(), "station": station}).dropna()
    return both


@lru_cache(maxsize=1)
def _paired_with_warmup() -> pd.DataFrame:
    """:func:`paired` as a student gets it who kept every line, warm-up included (a slip to name)."""
    station = class_box()[1].readings.set_index("timestamp")["pm25"]
    every = box_log().readings.set_index("timestamp")["pm25"].resample("1h").mean()
    return pd.DataFrame({"box": every, "station": station}).dropna()


def _reject_warmup(answer: float, right: float, with_warmup: float) -> None:
    """Name the warm-up slip when ``answer`` is what every line gives and that differs from ``right``."""
    if math.isclose(answer, with_warmup, rel_tol=1e-4) and not math.isclose(right, with_warmup, rel_tol=1e-3):
        raise Wrong("m08.paired.warmup")


@register("08.1-answerable", hints=("m08.answerable.hint1", "m08.answerable.hint2"))
def answerable(answer):
    """The letters of the questions our data can answer."""
    if isinstance(answer, str):
        answer = list(answer.replace(",", " ").split())
    if not isinstance(answer, (list, set, tuple)):
        raise Wrong("m08.answerable.letters")
    got = {str(a).strip().upper() for a in answer}
    extra = sorted(got - ANSWERABLE)
    if extra:
        raise Wrong(f"m08.answerable.not_{extra[0].lower()}" if extra[0] in "BDF" else "m08.answerable.unknown",
                    letter=extra[0])
    missing = sorted(ANSWERABLE - got)
    if missing:
        raise Wrong("m08.answerable.missing", letter=missing[0])


@register("08.1-question-parts", kind=dict, hints=("m08.question_parts.hint1", "m08.question_parts.hint2"))
def question_parts(answer):
    """A dict naming the quantity, place, time and comparison of a question."""
    from sensorlab.datasets.base import UNITS

    for key in ("quantity", "place", "time", "comparison"):
        value = answer.get(key)
        if not isinstance(value, str) or not value.strip() or value.strip() == "...":
            raise Wrong("m08.question_parts.missing", name=key)
    if answer["quantity"] not in UNITS:
        raise Wrong("m08.question_parts.quantity", got=answer["quantity"], known=", ".join(sorted(UNITS)))


@register("08.2-lines-per-day", kind=int, hints=("m08.lines_per_day.hint1", "m08.lines_per_day.hint2"))
def lines_per_day(answer):
    """KIT1 lines one box sends in a day: a PM and a T/RH line per report, a heartbeat a minute."""
    day = 24 * 3600
    reports = day // REPORT_S
    if answer == reports * 2:
        raise Wrong("m08.lines_per_day.heartbeat")
    expect_close(answer, reports * 2 + day // HEARTBEAT_S, "m08.what.lines", rtol=0)


@register("08.2-rows-per-day", kind=int, hints=("m08.rows_per_day.hint1", "m08.rows_per_day.hint2"))
def rows_per_day(answer):
    """Rows of the long log per day: one per value (12 per PM line, 4 per T/RH line, 1 per heartbeat)."""
    day = 24 * 3600
    reports, beats = day // REPORT_S, day // HEARTBEAT_S
    expected = reports * (PM_VALUES + SHT_VALUES) + beats * HB_VALUES
    if answer == reports * 2 + beats:
        raise Wrong("m08.rows_per_day.lines")
    expect_close(answer, expected, "m08.what.rows", rtol=0)


def _daily_difference():
    r = part("pm25").readings
    both = r[r["site_id"].isin(["ref-101", "ref-106"])].pivot(index="timestamp", columns="site_id", values="pm25")
    daily = both.resample("D").mean()
    return (daily["ref-101"] - daily["ref-106"]).dropna()


@register("08.2-days-needed", kind=int, level="university", hints=("m08.days_needed.hint1", "m08.days_needed.hint2"))
def days_needed(answer):
    """Days of paired daily means to detect 2 µg/m³: n = ((1.96 + 0.84) × sd / 2)², rounded up."""
    sd = float(_daily_difference().std())
    expected = math.ceil(((1.96 + 0.84) * sd / 2) ** 2)
    if answer == math.ceil((1.96 * sd / 2) ** 2):
        raise Wrong("m08.days_needed.power")
    expect_close(answer, expected, "m08.what.days", rtol=0.02)


@register("08.3-school-run", kind=float, hints=("m08.school_run.hint1", "m08.school_run.hint2"))
def school_run(answer):
    """Mean PM2.5 on weekday mornings 07:00-08:59 KST at the school's station."""
    all_days = station_readings()
    if math.isclose(answer, all_days[all_days["hour"].isin(SCHOOL_RUN_HOURS)]["pm25"].mean(), rel_tol=1e-4):
        raise Wrong("m08.school_run.weekends")
    expect_close(answer, _window(SCHOOL_RUN_HOURS)["pm25"].mean(), "m08.what.school_run", rtol=1e-3)


@register("08.3-midday", kind=float, hints=("m08.midday.hint1",))
def midday(answer):
    """Mean PM2.5 on weekdays 11:00-12:59 KST at the school's station."""
    expect_close(answer, _window(MIDDAY_HOURS)["pm25"].mean(), "m08.what.midday", rtol=1e-3)


def daily_difference_school_run() -> pd.Series:
    """Per weekday: the morning mean minus the midday mean (independent-ish daily values)."""
    one = station_readings()
    one = one[one["weekday"]]
    day = one["timestamp"].dt.date
    morning = one[one["hour"].isin(SCHOOL_RUN_HOURS)].groupby(day)["pm25"].mean()
    noon = one[one["hour"].isin(MIDDAY_HOURS)].groupby(day)["pm25"].mean()
    return (morning - noon).dropna()


@register("08.3-difference-ci", level="university", hints=("m08.difference_ci.hint1", "m08.difference_ci.hint2"))
def difference_ci(answer):
    """A bootstrap 95 % interval (stats.bootstrap_ci, seed 0) of the daily morning-minus-midday difference."""
    from sensorlab.stats import bootstrap_ci

    if not isinstance(answer, tuple) or len(answer) < 3:
        raise Wrong("m08.difference_ci.shape")
    est, low, high = (float(x) for x in answer[:3])
    expected = bootstrap_ci(daily_difference_school_run().to_numpy(), seed=0)
    if high - low < 0.3 * (expected.high - expected.low):
        raise Wrong("m08.difference_ci.hourly")
    expect_close(est, expected.estimate, "m08.what.estimate", rtol=1e-3)
    expect_close(low, expected.low, "m08.what.low", rtol=0.05, atol=0.1)
    expect_close(high, expected.high, "m08.what.high", rtol=0.05, atol=0.1)


@register("08.4-box-hourly", kind=pd.Series, hints=("m08.box_hourly.hint1", "m08.box_hourly.hint2"))
def box_hourly(answer):
    """The box's hourly mean PM2.5 from readings with status ok."""
    expected = box_hourly_expected()
    with_warmup = box_log().readings.set_index("timestamp")["pm25"].resample("1h").mean()
    if len(answer) == len(expected) and np.allclose(answer.to_numpy(float), with_warmup.to_numpy(float), equal_nan=True) \
            and not np.allclose(with_warmup.to_numpy(float), expected.to_numpy(float), equal_nan=True):
        raise Wrong("m08.box_hourly.warmup")
    if isinstance(answer.index, pd.DatetimeIndex) and len(answer) > 1 \
            and (answer.index[1:] - answer.index[:-1]).min() >= pd.Timedelta("1D"):
        raise Wrong("m08.box_hourly.daily")
    expect_series_close(answer.rename(None), expected.rename(None), "m08.what.box")


@register("08.4-bias", kind=float, hints=("m08.bias.hint1", "m08.bias.hint2"))
def bias(answer):
    """Mean of box minus station over the hours both measured."""
    both = paired()
    expected = float((both["box"] - both["station"]).mean())
    if math.isclose(answer, -expected, rel_tol=1e-3):
        raise Wrong("m08.bias.sign")
    every = _paired_with_warmup()
    _reject_warmup(answer, expected, float((every["box"] - every["station"]).mean()))
    expect_close(answer, expected, "m08.what.bias", rtol=1e-2, atol=0.05)


@register("08.4-correlation", kind=float, hints=("m08.correlation.hint1",))
def correlation(answer):
    """Pearson correlation of box and station hourly PM2.5."""
    both = paired()
    expected = float(both["box"].corr(both["station"]))
    every = _paired_with_warmup()
    _reject_warmup(answer, expected, float(every["box"].corr(every["station"])))
    expect_close(answer, expected, "m08.what.r", rtol=1e-3)


@register("08.4-fit", level="university", hints=("m08.fit.hint1", "m08.fit.hint2"))
def fit(answer):
    """(slope, intercept) of station = slope × box + intercept, least squares (inverse calibration,
    the curriculum's direction: predict what we want to know, the station, from what we have, the box)."""
    got_slope, got_intercept = expect_pair(answer, "m08.fit.shape")
    both = paired()
    slope, intercept = np.polyfit(both["box"], both["station"], 1)
    classical_slope = np.polyfit(both["station"], both["box"], 1)[0]
    if math.isclose(got_slope, intercept, rel_tol=1e-3) and math.isclose(got_intercept, slope, rel_tol=1e-3):
        raise Wrong("m08.fit.order")
    if math.isclose(got_slope, classical_slope, rel_tol=1e-3):
        raise Wrong("m08.fit.swapped")
    if math.isclose(got_slope, 1 / classical_slope, rel_tol=1e-3):
        raise Wrong("m08.fit.inverted")
    every = _paired_with_warmup()
    _reject_warmup(got_slope, slope, float(np.polyfit(every["box"], every["station"], 1)[0]))
    expect_close(got_slope, slope, "m08.what.slope", rtol=1e-3)
    expect_close(got_intercept, intercept, "m08.what.intercept", rtol=1e-3, atol=1e-3)
