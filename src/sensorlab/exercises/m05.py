"""Checkers for module 05, Patterns in the city.

Expected answers come from :mod:`sensorlab.stats` on the same bundled city the lessons load.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from sensorlab import cleaning, stats
from sensorlab.check import register
from sensorlab.check_expect import OneNumber, expect_close, expect_pair, expect_type
from sensorlab.check_inputs import call_on_copies
from sensorlab.check_wording import Wrong
from sensorlab.exercises._data import part

#: What module 05's lessons look at (they load only these; so do the checks, a part at a time).
QUANTITIES = ["pm25", "pm10", "no2", "o3", "temperature", "humidity"]


#: flag_all reads the partner column too (humidity beside a -40 °C reading, temperature 0 with humidity 0)
PARTNER = {"humidity": ["temperature"], "temperature": ["humidity"]}


def _load(kind: str | None, quantities=QUANTITIES):
    from sensorlab.datasets import load_city

    return load_city(list(quantities), kind=kind, truth=False)


@lru_cache(maxsize=1)
def reference() -> pd.DataFrame:
    """The reference stations' readings (lessons 05.1, 05.2 and 05.5 start from them)."""
    return _load("reference").readings


def street_clean(quantity: str) -> pd.DataFrame:
    """Street readings with the flagged values of one quantity set aside (as lessons 05.3, 05.4 do).

    Only ``quantity`` and the column its flags read beside it; not kept: each checker that
    needs it keeps only its small result.
    """
    data = _load("street", [q for q in QUANTITIES if q in {quantity, *PARTNER.get(quantity, ())}])
    return cleaning.mask_flagged(data.readings, cleaning.flag_all(data.readings, [quantity], sites=data.sites))


#: The kinds of module 05's one-number answers, refused before a checker converts them with int() or float().
COUNT, NUMBER = OneNumber(int, "m05.one_value"), OneNumber(float, "m05.one_value")


# NUMBER, not COUNT: a decimal here may be the peak value, told below
@register("05.1-o3-peak", kind=NUMBER, hints=("m05.o3_peak.hint1", "m05.o3_peak.hint2"))
def o3_peak(answer):
    """Hour of day with the highest mean ozone at the reference stations."""
    if not np.isfinite(float(answer)):
        expect_type(answer, int)  # NaN is told what it is
    cycle = stats.diurnal_cycle(reference(), "o3")
    if not hasattr(answer, "__len__") and np.isclose(float(answer), cycle.max(), rtol=1e-3):
        raise Wrong("m05.o3_peak.value_not_hour")
    expect_type(answer, int)  # a decimal that is not the peak value: no hour (kind=NUMBER let it through)
    expect_close(answer, int(cycle.idxmax()), "m05.what.hour", rtol=0)


@register("05.1-weekend-no2", kind=float, hints=("m05.weekend_no2.hint1", "m05.weekend_no2.hint2"))
def weekend_no2(answer):
    """Change of NO2 at weekends, in percent of the weekday level."""
    effect = stats.weekend_effect(reference(), "no2")
    if np.isclose(answer, -effect["change_percent"], rtol=1e-3):
        raise Wrong("m05.weekend_no2.sign")
    if np.isclose(answer, effect["change_percent"] / 100, rtol=1e-3):
        raise Wrong("m05.weekend_no2.fraction")
    expect_close(answer, effect["change_percent"], "m05.what.percent")


@register("05.1-rush-ratio", kind=float, level="university", hints=("m05.rush_ratio.hint1", "m05.rush_ratio.hint2"))
def rush_ratio(answer):
    """Peak-to-trough ratio of the weekday NO2 daily cycle."""
    cycles = stats.diurnal_cycle(reference(), "no2", by="is_weekend")
    weekday = cycles[False]
    both = stats.diurnal_cycle(reference(), "no2")
    if np.isclose(answer, both.max() / both.min(), rtol=1e-4) and not np.isclose(answer, weekday.max() / weekday.min(), rtol=1e-4):
        raise Wrong("m05.rush_ratio.all_days")
    expect_close(answer, weekday.max() / weekday.min(), "m05.what.ratio")


@register("05.2-worst-month", kind=COUNT, hints=("m05.worst_month.hint1", "m05.worst_month.hint2"))
def worst_month(answer):
    """Month with the highest mean PM2.5 at the reference stations."""
    expect_close(answer, int(stats.seasonal_cycle(reference(), "pm25").idxmax()), "m05.what.month", rtol=0)


@register("05.2-episodes", kind=COUNT, hints=("m05.episodes.hint1", "m05.episodes.hint2"))
def bad_episodes(answer):
    """Episodes of city-mean daily PM2.5 above 35 µg/m³ lasting at least 2 days."""
    daily = stats.daily_means(reference(), "pm25")
    expected = len(stats.episodes(daily, 35, min_length=2))
    if not hasattr(answer, "__len__") and int(answer) == len(stats.episodes(daily, 35)) and int(answer) != expected:
        raise Wrong("m05.episodes.single_days")
    expect_close(answer, int(expected), "m05.what.episodes", rtol=0)


@register("05.2-dust-month", kind=COUNT, level="university", hints=("m05.dust_month.hint1", "m05.dust_month.hint2"))
def dust_month(answer):
    """Month with the lowest ratio of mean PM2.5 to mean PM10 (the most coarse dust)."""
    ref = reference()
    ratio = stats.seasonal_cycle(ref, "pm25") / stats.seasonal_cycle(ref, "pm10")
    if not hasattr(answer, "__len__") and int(answer) == ratio.idxmax() and ratio.idxmax() != ratio.idxmin():
        raise Wrong("m05.dust_month.highest")
    expect_close(answer, int(ratio.idxmin()), "m05.what.month", rtol=0)


@register("05.3-warmest-night", kind=str, hints=("m05.warmest_night.hint1", "m05.warmest_night.hint2"))
def warmest_night(answer):
    """District whose reference station is warmest relative to the city between 00 and 05 h."""
    data = part("temperature")
    night = stats.heat_island(data.readings, data.sites, hours=range(0, 6))
    day = stats.heat_island(data.readings, data.sites)
    expected = night["district"].iloc[0]
    if answer == night["district_ko"].iloc[0]:
        return  # the Korean name is as good an answer
    if answer != expected and answer == day["district"].iloc[0]:
        raise Wrong("m05.warmest_night.all_hours")
    if answer != expected:
        raise Wrong("m05.warmest_night.wrong", got=answer)


@register("05.3-street-bias", kind=float, level="university", hints=("m05.street_bias.hint1", "m05.street_bias.hint2"))
def street_bias(answer):
    """Mean street minus mean reference temperature, street flags set aside."""
    data = part("temperature")
    ref_mean = stats.heat_island(data.readings, data.sites)["mean"].mean()
    street_mean = stats.heat_island(street_clean("temperature"), data.sites, kind="street")["mean"].mean()
    raw_mean = stats.heat_island(data.readings, data.sites, kind="street")["mean"].mean()
    if np.isclose(answer, raw_mean - ref_mean, rtol=1e-3) and not np.isclose(answer, street_mean - ref_mean, rtol=1e-3):
        raise Wrong("m05.street_bias.unflagged")
    expect_close(answer, street_mean - ref_mean, "m05.what.difference_c", rtol=1e-3)


@register("05.4-ozone-heat-r", kind=float, hints=("m05.ozone_heat_r.hint1", "m05.ozone_heat_r.hint2"))
def ozone_heat_r(answer):
    """Correlation of hourly O3 and temperature at the reference stations."""
    ref = reference()
    if np.isclose(answer, ref["o3"].corr(ref["temperature"]) ** 2, rtol=1e-3):
        raise Wrong("m05.ozone_heat_r.squared")
    expect_close(answer, ref["o3"].corr(ref["temperature"]), "m05.what.r")


@register("05.4-humid-ratio", kind=float, hints=("m05.humid_ratio.hint1", "m05.humid_ratio.hint2"))
def humid_ratio(answer):
    """Median street/reference PM2.5 ratio when the reference humidity is above 80 %RH."""
    pairs = _pairs()
    expected = pairs.loc[pairs["humidity_reference"] > 80, "ratio"].median()
    dry = pairs.loc[pairs["humidity_reference"] <= 80, "ratio"].median()
    if np.isclose(answer, dry, rtol=1e-3):
        raise Wrong("m05.humid_ratio.dry")
    expect_close(answer, expected, "m05.what.ratio")


@lru_cache(maxsize=1)
def _pairs() -> pd.DataFrame:
    """Lesson 05.4's pairs: cleaned co-located street PM2.5 beside the reference's.

    The network-fault check compares every street sensor, so PM2.5 is flagged on all of them,
    as in the lesson (PM2.5's labels read no other column); only the co-located sensors' labels
    are kept. The pairs are then made from the co-located sensors and their stations alone, so
    the street table and the pairing never take memory at the same time (lesson 05.4 runs this
    check beside its own tables, under the per-student limit).
    """
    from sensorlab.datasets import load_city
    from sensorlab.memory import give_back

    street = _load("street", ["pm25"])
    colocated = street.sites.loc[street.sites["colocated_with"].notna(), ["site_id", "colocated_with"]]
    keep = street.readings["site_id"].isin(colocated["site_id"]).to_numpy()
    flags = cleaning.flag_all(street.readings, ["pm25"], sites=street.sites)
    flagged = flags["fault_pm25"].ne("none").to_numpy()[keep]
    flagged_pm25 = street.readings["pm25"].to_numpy()[keep]
    del street, flags, keep
    give_back()
    ids = [*colocated["site_id"], *colocated["colocated_with"]]
    data = load_city(["pm25", "humidity"], sites=ids, truth=False)  # one set of site categories
    is_street = data.readings["site_id"].isin(colocated["site_id"]).to_numpy()
    # same rows in the same (timestamp, site) order as the flagged table: the labels line up
    if not np.array_equal(data.readings["pm25"].to_numpy()[is_street], flagged_pm25, equal_nan=True):
        raise RuntimeError("05.4: the co-located street sensors' rows differ between two loads of the city")
    bad = np.zeros(len(data.readings), dtype=bool)
    bad[is_street] = flagged
    readings = data.readings.copy(deep=False)
    readings.loc[bad, "pm25"] = np.nan
    pairs = stats.pair_colocated(readings, data.sites, ["pm25", "humidity"])
    pairs["ratio"] = pairs["pm25_street"] / pairs["pm25_reference"]
    return pairs


@register("05.4-partial", kind=float, level="university", hints=("m05.partial.hint1", "m05.partial.hint2"))
def partial(answer):
    """Correlation of O3 and temperature within one hour of the day (15 h), all reference stations."""
    ref = stats.add_time_features(reference())
    at15 = ref[ref["hour"] == 15]
    expect_close(answer, at15["o3"].corr(at15["temperature"]), "m05.what.r")


@lru_cache(maxsize=1)
def _city_daily() -> pd.Series:
    return stats.daily_means(reference(), "pm25")


def _interval(answer):
    if isinstance(answer, stats.ConfidenceInterval):
        return answer.low, answer.high
    return expect_pair(answer, "m05.ci.not_interval")  # ("19.8", "23.1") and 10**400 told what they are


@register("05.5-ci-mean", hints=("m05.ci_mean.hint1", "m05.ci_mean.hint2"))
def ci_mean(answer):
    """95 % bootstrap interval of the mean daily PM2.5 (seed 0, 2000 resamples)."""
    low, high = _interval(answer)
    expected = stats.bootstrap_ci(_city_daily(), seed=0)
    hourly = stats.bootstrap_ci(reference().groupby("timestamp")["pm25"].mean(), seed=0)
    if np.isclose(low, hourly.low, rtol=1e-3) and np.isclose(high, hourly.high, rtol=1e-3):
        raise Wrong("m05.ci_mean.hourly")
    expect_close(low, expected.low, "m05.what.low")
    expect_close(high, expected.high, "m05.what.high")


@register("05.5-weekend-diff", level="university", hints=("m05.weekend_diff.hint1", "m05.weekend_diff.hint2"))
def weekend_diff(answer):
    """95 % bootstrap interval of weekday minus weekend mean daily NO2 (seed 0)."""
    low, high = _interval(answer)
    daily = stats.daily_means(reference(), "no2")
    weekend = pd.DatetimeIndex(daily.index).day_of_week >= 5
    expected = stats.bootstrap_ci((daily[~weekend], daily[weekend]), lambda a, b: np.mean(a) - np.mean(b), seed=0)
    if high < 0 and np.isclose(-high, expected.low, rtol=1e-3):
        raise Wrong("m05.weekend_diff.order")
    expect_close(low, expected.low, "m05.what.low")
    expect_close(high, expected.high, "m05.what.high")


# --- students write the method: the daily cycle (05.1.a) and the block bootstrap (05.5.c) ---------

def _expect_function(answer) -> None:
    """Wrong unless the student gave a function (told before the data it is checked on are computed)."""
    if not callable(answer):
        raise Wrong("m05.my_method.not_function")


def _run_students(answer, *args, **kw):
    """Call the student's function; a clear Wrong instead of a traceback."""
    _expect_function(answer)
    try:
        got = call_on_copies(answer, *args, **kw)
    except Wrong:
        raise  # it changed the table it was given
    except Exception as err:  # noqa: BLE001 - the student's code, shown as the error's name only
        raise Wrong("m05.my_method.raised", problem=type(err).__name__) from None
    if got is None:
        raise Wrong("m05.my_method.returns_nothing")
    return got


@register("05.1-my-daily-cycle", hints=("m05.my_daily_cycle.hint1", "m05.my_daily_cycle.hint2"))
def my_daily_cycle(answer):
    """The student's hour-of-day mean equals stats.diurnal_cycle on quantities the lesson never averages."""
    ref = reference()
    for quantity in ("pm10", "humidity"):
        got = _run_students(answer, ref[["timestamp", "site_id", quantity]], quantity)
        want = stats.diurnal_cycle(ref, quantity)
        if isinstance(got, pd.DataFrame) and got.shape[1] == 1:
            raise Wrong("m05.my_daily_cycle.frame")
        expect_type(got, pd.Series)
        if len(got) == 7:
            raise Wrong("m05.my_daily_cycle.weekday")
        if len(got) != 24:
            raise Wrong("m05.my_daily_cycle.length", got=len(got))
        hours = pd.to_numeric(pd.Series(got.index), errors="coerce")  # labels such as "07:00" are no hour numbers
        if not np.array_equal(hours.to_numpy(dtype=float), np.arange(24)):
            raise Wrong("m05.my_daily_cycle.index")
        values = got.to_numpy(dtype=float)
        if np.allclose(values, stats.diurnal_cycle(ref, quantity, stat="median").to_numpy(), rtol=1e-6):
            raise Wrong("m05.my_daily_cycle.median")
        utc = ref[quantity].groupby(ref["timestamp"].dt.tz_convert("UTC").dt.hour).mean()
        if np.allclose(values, utc.to_numpy(), rtol=1e-6):
            raise Wrong("m05.my_daily_cycle.utc")
        if quantity != "pm10" and np.allclose(values, stats.diurnal_cycle(ref, "pm10").to_numpy(), rtol=1e-6):
            raise Wrong("m05.my_daily_cycle.fixed_quantity")
        if not np.allclose(values, want.to_numpy(), rtol=1e-5):
            hour = int(np.argmax(~np.isclose(values, want.to_numpy(), rtol=1e-5)))
            raise Wrong("m05.my_daily_cycle.wrong", quantity=quantity, hour=hour,
                        expected=float(want.iloc[hour]), got=float(values[hour]))


#: The held-out check of 05.5.c: daily ozone (the lesson bootstraps NO2 and PM2.5), two settings.
BLOCK_SETTINGS = ({"block": 7, "n": 300, "seed": 3}, {"block": 10, "n": 200, "seed": 5})


@register("05.5-my-block-ci", level="university", hints=("m05.my_block_ci.hint1", "m05.my_block_ci.hint2",
                                                          "m05.my_block_ci.hint3"))
def my_block_ci(answer):
    """The student's block bootstrap equals stats.block_bootstrap_ci on daily ozone (another sampling is accepted
    when its interval lies within a fifth of the interval's width of the package's)."""
    _expect_function(answer)
    daily = stats.daily_means(reference(), "o3")
    for kw in BLOCK_SETTINGS:
        got = _run_students(answer, daily, stats.weekday_minus_weekend, **kw)
        low, high = _interval(got)
        want = stats.block_bootstrap_ci(daily, **kw)
        width = want.high - want.low
        if np.isclose(low, want.low, rtol=1e-9) and np.isclose(high, want.high, rtol=1e-9):
            continue
        if low > high:
            raise Wrong("m05.my_block_ci.order")
        for block, key in ((1, "m05.my_block_ci.days"), (7, "m05.my_block_ci.fixed_block")):
            other = stats.block_bootstrap_ci(daily, block=block, n=kw["n"], seed=kw["seed"])
            if block != kw["block"] and np.isclose(low, other.low, rtol=1e-6) and np.isclose(high, other.high, rtol=1e-6):
                raise Wrong(key)
        if abs(low - want.low) <= width / 5 and abs(high - want.high) <= width / 5:
            continue  # another correct way to draw the blocks: the same interval up to resampling noise
        raise Wrong("m05.my_block_ci.wrong", block=kw["block"], n=kw["n"], seed=kw["seed"],
                    low=want.low, high=want.high, got_low=low, got_high=high)
