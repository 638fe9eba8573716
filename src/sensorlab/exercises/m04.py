"""Checkers for module 04, Cleaning sensor data.

Every expected answer is computed here, with the package's own functions, from the same bundled
city the lessons load; the plausible wrong answers a student might give get their own advice.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import numpy as np
import pandas as pd

from sensorlab import cleaning
from sensorlab.check import register
from sensorlab.check_expect import OneNumber, expect_close, expect_exact_name, expect_length, expect_series_close
from sensorlab.check_inputs import call_on_copies
from sensorlab.check_wording import Wrong
from sensorlab.exercises._data import part

SPIKE_SITE = "sdot-122-01"   # lesson 04.3's spike sensor (a 600 µg/m³ burst on 14 January) and 04.4's gaps
STUCK_SITE = "sdot-107-01"   # lesson 04.3's stuck sensor: a flat run from the evening of 2 January (city.TEACHING_FAULTS)


def street_city():
    """The street sensors with the truth: the quantities module 04 cleans (what its lessons load).

    Loaded for each check and not kept (a third of a second): between checks the student's
    kernel holds only the lesson's own copy.
    """
    from sensorlab.datasets import load_city

    return load_city(["pm25", "temperature", "humidity"], kind="street")


def street() -> pd.DataFrame:
    """The street sensors' readings (what every lesson of module 04 starts from)."""
    return street_city().readings


def one_site_pm(site_id: str, readings: pd.DataFrame | None = None) -> pd.Series:
    """One sensor's PM2.5 in time order with zeros and -999 set aside (as lesson 04.3 does).

    ``readings`` is the street readings a check already loaded (loaded here when not given).
    """
    pm = _one_site_raw(street() if readings is None else readings, site_id)
    return pm.where(pm > 0)


def _one_site_raw(readings: pd.DataFrame, site_id: str) -> pd.Series:
    """One sensor's PM2.5 in time order, as recorded."""
    return readings[readings["site_id"] == site_id].set_index("timestamp").sort_index()["pm25"]


#: The kinds of module 04's one-number answers: a column or table kept whole is told to count it.
COUNT, NUMBER = OneNumber(int, "m04.one_number"), OneNumber(float, "m04.one_number")


def _int_answer(answer, expected, what, alternatives=()):
    """A count (registered ``kind=COUNT``), first naming a recognised mistake (``alternatives``)."""
    for value, key in alternatives:
        if int(answer) == int(value) and int(value) != int(expected):
            raise Wrong(key)
    expect_close(answer, int(expected), what, rtol=0)


@register("04.1-too-hot", kind=COUNT, hints=("m04.too_hot.hint1", "m04.too_hot.hint2"))
def too_hot(answer):
    """Street temperature readings outside Seoul's plausible range."""
    t = street()["temperature"]
    expected = cleaning.flag_out_of_range(t, "temperature", ranges=cleaning.SEOUL_RANGES).sum()
    sensor = cleaning.flag_out_of_range(t, "temperature").sum()
    everywhere = cleaning.flag_out_of_range(part("temperature").readings["temperature"], "temperature",
                                            ranges=cleaning.SEOUL_RANGES).sum()
    _int_answer(answer, expected, "m04.what.readings",
                [(sensor, "m04.too_hot.sensor_range"), (everywhere, "m04.too_hot.all_sites")])


@register("04.1-worst-site", kind=str, level="university", hints=("m04.worst_site.hint1", "m04.worst_site.hint2"))
def worst_site(answer):
    """The street sensor with the most implausible temperature readings."""
    s = street()
    flags = cleaning.flag_out_of_range(s["temperature"], "temperature", ranges=cleaning.SEOUL_RANGES)
    counts = s[flags].groupby("site_id").size()
    expect_exact_name(answer, s["site_id"].astype(str).unique())
    if answer not in set(s["site_id"]):
        raise Wrong("m04.worst_site.not_a_site", got=answer)
    if answer != counts.idxmax():
        raise Wrong("m04.worst_site.not_worst", got=answer, n=int(counts.get(answer, 0)), most=int(counts.max()))


@register("04.2-pm-bad", kind=pd.Series, hints=("m04.pm_bad.hint1", "m04.pm_bad.hint2"))
def pm_bad(answer):
    """Boolean flags: street PM2.5 that is a sentinel or exactly zero."""
    pm = street()["pm25"]
    expect_length(answer, len(pm))
    sentinels, zeros = cleaning.flag_sentinels(pm), cleaning.flag_zeros(pm)
    if answer.dtype != bool:
        raise Wrong("m04.pm_bad.not_bool")
    n = int(answer.sum())
    if n == int(sentinels.sum()):
        raise Wrong("m04.pm_bad.only_sentinels")
    if n == int(zeros.sum()):
        raise Wrong("m04.pm_bad.only_zeros")
    expect_close(n, int((sentinels | zeros).sum()), "m04.what.flags", rtol=0)


@register("04.2-clean-mean", kind=float, hints=("m04.clean_mean.hint1", "m04.clean_mean.hint2"))
def clean_mean(answer):
    """Mean street PM2.5 with sentinels and zeros set aside."""
    pm = street()["pm25"]
    bad = cleaning.flag_sentinels(pm) | cleaning.flag_zeros(pm)
    if np.isclose(answer, pm.mean(), rtol=1e-3):
        raise Wrong("m04.clean_mean.raw")
    if np.isclose(answer, pm.where(~cleaning.flag_sentinels(pm)).mean(), rtol=1e-3):
        raise Wrong("m04.clean_mean.zeros_kept")
    expect_close(answer, pm.where(~bad).mean(), "m04.what.mean_pm25")


@register("04.2-th-sentinel", kind=COUNT, level="university", hints=("m04.th_sentinel.hint1", "m04.th_sentinel.hint2"))
def th_sentinel(answer):
    """Street readings with -40.0 °C and 100 %RH at the same time."""
    s = street()
    both = (s["temperature"] == -40.0) & (s["humidity"] == 100.0)
    _int_answer(answer, both.sum(), "m04.what.readings",
                [((s["temperature"] == -40.0).sum() + (s["humidity"] == 100.0).sum(), "m04.th_sentinel.or")])


@register("04.3-spike-count", kind=COUNT, hints=("m04.spike_count.hint1", "m04.spike_count.hint2"))
def spike_count(answer):
    """Spikes in one sensor's PM2.5 with flag_spikes' defaults."""
    raw = _one_site_raw(street(), SPIKE_SITE)
    pm = raw.where(raw > 0)
    _int_answer(answer, cleaning.flag_spikes(pm).sum(), "m04.what.spikes",
                [(cleaning.flag_spikes(raw).sum(), "m04.spike_count.raw")])


@register("04.3-stuck-count", kind=COUNT, hints=("m04.stuck_count.hint1", "m04.stuck_count.hint2"))
def stuck_count(answer):
    """Stuck readings (runs of 6 or more, first included) in one sensor's PM2.5."""
    pm = one_site_pm(STUCK_SITE)
    _int_answer(answer, cleaning.flag_stuck(pm, min_run=6, include_first=True).sum(), "m04.what.readings",
                [(cleaning.flag_stuck(pm, min_run=6).sum(), "m04.stuck_count.first")])


@register("04.3-sweep", kind=pd.Series, level="university", hints=("m04.sweep.hint1", "m04.sweep.hint2"))
def sweep(answer):
    """Spike counts for n_mad = 3, 5, 8, 12 on lesson 04.3's sensor, as a Series indexed by n_mad."""
    pm = one_site_pm(SPIKE_SITE)
    expected = pd.Series({n: int(cleaning.flag_spikes(pm, n_mad=n).sum()) for n in (3, 5, 8, 12)})
    expected.index.name = "n_mad"
    answer = answer.copy()
    answer.index.name = "n_mad"
    expect_series_close(answer, expected, "m04.what.spikes")


@register("04.4-fault-days", kind=COUNT, hints=("m04.fault_days.hint1", "m04.fault_days.hint2"))
def fault_days(answer):
    """Calendar days on which the network-wide humidity fault is flagged."""
    s = street()
    flags = cleaning.flag_network_fault(s, "humidity")
    days = s.loc[flags, "timestamp"].dt.date.nunique()
    _int_answer(answer, days, "m04.what.days", [(flags.sum(), "m04.fault_days.readings")])


@register("04.4-gap-days", kind=COUNT, level="university", hints=("m04.gap_days.hint1", "m04.gap_days.hint2"))
def gap_days(answer):
    """Days without a trustworthy daily mean PM2.5 at lesson 04.3's sensor."""
    s = street()
    site = s[s["site_id"] == SPIKE_SITE]
    clean = cleaning.mask_flagged(site, cleaning.flag_all(site, ["pm25"]))
    daily = cleaning.resample_with_gaps(clean, "1D", ["pm25"])
    raw_daily = cleaning.resample_with_gaps(site, "1D", ["pm25"])
    _int_answer(answer, daily["pm25"].isna().sum(), "m04.what.days",
                [(raw_daily["pm25"].isna().sum(), "m04.gap_days.unmasked")])


@lru_cache(maxsize=1)
def scored_pm():
    """flag_all's PM2.5 labels for the street sensors and the truth for the same rows."""
    city = street_city()
    s = city.readings
    labels = cleaning.flag_all(s, ["pm25"], sites=city.sites)["fault_pm25"]
    truth = city.truth.loc[s.index, "fault_pm25"]
    return labels, truth


@register("04.5-recall", kind=float, hints=("m04.recall.hint1", "m04.recall.hint2"))
def recall(answer):
    """Share of truly faulty street PM2.5 readings that flag_all flagged."""
    labels, truth = scored_pm()
    bad, flagged = truth != "none", labels != "none"
    precision = (bad & flagged).sum() / flagged.sum()
    if np.isclose(answer, precision, rtol=1e-3):
        raise Wrong("m04.recall.is_precision")
    expect_close(answer, (bad & flagged).sum() / bad.sum(), "m04.what.recall")


@register("04.5-precision", kind=float, hints=("m04.precision.hint1", "m04.precision.hint2"))
def precision(answer):
    """Share of flag_all's PM2.5 flags that are truly faulty."""
    labels, truth = scored_pm()
    bad, flagged = truth != "none", labels != "none"
    if np.isclose(answer, (bad & flagged).sum() / bad.sum(), rtol=1e-3):
        raise Wrong("m04.precision.is_recall")
    expect_close(answer, (bad & flagged).sum() / flagged.sum(), "m04.what.precision")


@register("04.5-missed-kinds", kind=list, hints=("m04.missed_kinds.hint1", "m04.missed_kinds.hint2"))
def missed_kinds(answer):
    """Fault kinds whose recall is below 0.5, as a sorted list."""
    labels, truth = scored_pm()
    table = cleaning.score_flags(labels, truth).drop(index="any fault")
    expected = sorted(table.index[table["recall"] < 0.5])
    got = [str(k) for k in answer]
    for kind in got:
        expect_exact_name(kind, table.index)  # "stuck " or "Stuck" for stuck
    if set(got) != set(expected) and set(got) == set(cleaning.fault_names(expected)):
        raise Wrong("m04.missed_kinds.display_names")  # copied from the (Korean) chart
    if set(got) != set(expected):
        raise Wrong("m04.missed_kinds.wrong", n=len(expected))
    if got != expected:
        raise Wrong("check.wrong_order")


@register("04.5-humidity-f1", kind=float, level="university", hints=("m04.humidity_f1.hint1", "m04.humidity_f1.hint2"))
def humidity_f1(answer):
    """F1 of flag_all on the street sensors' humidity."""
    city = street_city()
    s = city.readings
    labels = cleaning.flag_all(s, ["humidity"], sites=city.sites)["fault_humidity"]
    table = cleaning.score_flags(labels, city.truth.loc[s.index, "fault_humidity"])
    expect_close(answer, table.loc["any fault", "f1"], "m04.what.f1")


# --- students write the method (04.3.a and 04.3.c), checked on sensors the lesson never shows ---

#: Sensors the lessons of module 04 show by name; a student's own method is checked on others.
SHOWN_SITES = {SPIKE_SITE, STUCK_SITE, "sdot-106-04"}


@lru_cache(maxsize=1)
def held_out() -> tuple[pd.Series, ...]:
    """PM2.5 (zeros and -999 set aside) of the first two street sensors no lesson shows that have spikes."""
    s = street()
    chosen = []
    for site in sorted(set(s["site_id"].astype(str)) - SHOWN_SITES):
        one = s[s["site_id"] == site].set_index("timestamp").sort_index()["pm25"]
        pm = one.where(one > 0).rename(site)
        if cleaning.flag_spikes(pm, min_scale=1.0).sum() >= 2 and cleaning.flag_stuck(pm, 6).any():
            chosen.append(pm)
        if len(chosen) == 2:
            return tuple(chosen)
    raise RuntimeError("the bundled city has no two unseen street sensors with spikes and stuck runs")


#: A small made-up series a reader can follow by hand: an upward spike, a dip, a gap, a flat start.
TINY = pd.Series([20.0, 20.0, 20.0, 20.0, 21.0, 22.0, 95.0, 23.0, 22.0, np.nan, 21.0, 20.0, 3.0, 19.0, 20.0, 21.0],
                 index=pd.date_range("2024-05-01", periods=16, freq="1h", tz="Asia/Seoul"), name="tiny")


#: Runs of 4 and 5 equal readings, a pair that is no run, and a gap (a gap is never stuck).
TINY_RUNS = pd.Series([20.0, 20.0, 20.0, 20.0, 21.0, 22.0, 22.0, 22.0, 22.0, 22.0, 23.0, 25.0, 25.0, np.nan, np.nan,
                       np.nan, np.nan, 24.0], index=pd.date_range("2024-05-01", periods=18, freq="1h", tz="Asia/Seoul"),
                      name="tiny")


def _flags_from(answer, series: pd.Series, **kw) -> pd.Series:
    """Run the student's detector on ``series``; a clear Wrong for anything but one flag per reading."""
    try:
        got = call_on_copies(answer, series, **kw)
    except Wrong:
        raise  # it changed the series it was given
    except Exception as err:  # noqa: BLE001 - the student's code, shown as the error's name only
        raise Wrong("m04.my_method.raised", site=series.name, problem=type(err).__name__) from None
    if got is None:
        raise Wrong("m04.my_method.returns_nothing")
    if isinstance(got, pd.DataFrame):
        raise Wrong("m04.my_method.frame", columns=got.shape[1])
    if isinstance(got, Iterator):  # a generator has no length and np.ndim calls it one value
        raise Wrong("m04.my_method.generator")
    if np.ndim(got) == 0:
        raise Wrong("m04.my_method.one_number", got=repr(got))
    if len(got) != len(series):
        raise Wrong("m04.my_method.length", expected=len(series), got=len(got))
    got = pd.Series(np.asarray(got), index=series.index) if not isinstance(got, pd.Series) else got
    if got.dtype != bool:
        raise Wrong("m04.my_method.not_bool", got=str(got.dtype))
    if not got.index.equals(series.index):
        raise Wrong("m04.my_method.index")
    return got


def _spikes_variant(series: pd.Series, window: int, n_mad: float, min_scale: float, kind: str) -> pd.Series:
    """The detectors students write by mistake, to name what differs from the Hampel filter."""
    roll = series.rolling(window, center=(kind != "trailing"), min_periods=1)
    med = roll.median()
    dist = (series - med).abs()
    if kind == "mean_sd":
        return ((series - roll.mean()).abs() > n_mad * np.maximum(roll.std(), min_scale)) & series.notna()
    if kind == "rolled_distance":
        mad = dist.rolling(window, center=True, min_periods=1).median()
    else:
        mad = roll.apply(lambda w: np.nanmedian(np.abs(w - np.nanmedian(w))), raw=True)
    spread = mad if kind == "unscaled" else cleaning._MAD_TO_SD * mad
    return (dist > n_mad * np.maximum(spread, min_scale)) & series.notna()


@register("04.3-my-spikes", hints=("m04.my_spikes.hint1", "m04.my_spikes.hint2", "m04.my_spikes.hint3"))
def my_spikes(answer):
    """The student's moving median + MAD spike detector equals flag_spikes on unseen sensors."""
    if not callable(answer):
        raise Wrong("m04.my_method.not_function")
    settings = dict(window=5, n_mad=8, min_scale=1.0)
    tiny = [(TINY, dict(window=5, n_mad=4, min_scale=1.0)), (TINY, dict(window=7, n_mad=20, min_scale=1.0))]
    for series, kw in [*((pm, settings) for pm in held_out()), *tiny]:
        got = _flags_from(answer, series, **kw)
        want = cleaning.flag_spikes(series, **kw)
        if got.equals(want):
            continue
        for kind in ("trailing", "unscaled", "rolled_distance", "mean_sd"):
            if (got.any() or kind == "mean_sd") and got.equals(_spikes_variant(series, kind=kind, **kw)):
                raise Wrong(f"m04.my_spikes.{kind}", site=series.name)
        above = series > series.rolling(kw["window"], center=True, min_periods=1).median()
        if got.equals(want & above):
            raise Wrong("m04.my_spikes.only_up", site=series.name)
        if got.equals(cleaning.flag_spikes(series, window=5, n_mad=8, min_scale=kw["min_scale"])) and kw["n_mad"] != 8:
            raise Wrong("m04.my_spikes.ignores_settings")
        raise Wrong("m04.my_method.differs", site=series.name, yours=int(got.sum()), helper=int(want.sum()),
                    both=int((got & want).sum()))


def _runs_longer_than(series: pd.Series, min_run: int) -> pd.Series:
    """Runs of more than ``min_run`` equal readings (``>`` where ``>=`` is meant)."""
    run = (series != series.shift()).cumsum()
    return (series.groupby(run).transform("size") > min_run) & series.notna()


@register("04.3-my-stuck", hints=("m04.my_stuck.hint1", "m04.my_stuck.hint2", "m04.my_stuck.hint3"))
def my_stuck(answer):
    """The student's stuck-run detector equals flag_stuck(include_first=True) on unseen sensors."""
    if not callable(answer):
        raise Wrong("m04.my_method.not_function")
    for series, min_run in [*((pm, 6) for pm in held_out()), (TINY_RUNS, 4)]:
        got = _flags_from(answer, series, min_run=min_run)
        want = cleaning.flag_stuck(series, min_run=min_run, include_first=True)
        if got.equals(want):
            continue
        if got.equals(cleaning.flag_stuck(series, min_run=min_run)):
            raise Wrong("m04.my_stuck.repeats_only", site=series.name)
        if min_run != 6 and got.equals(cleaning.flag_stuck(series, min_run=6, include_first=True)):
            raise Wrong("m04.my_stuck.ignores_min_run")
        if got.equals(_runs_longer_than(series, min_run)):
            raise Wrong("m04.my_stuck.longer_than", site=series.name, n=min_run)
        raise Wrong("m04.my_method.differs", site=series.name, yours=int(got.sum()), helper=int(want.sum()),
                    both=int((got & want).sum()))


# --- 04.5.e: back to module 03's district ranking, after cleaning ---------------------------------

def district_means(readings: pd.DataFrame, sites: pd.DataFrame) -> pd.Series:
    """Mean PM2.5 of each site, then the mean of the sites in each district (as lesson 04.5 does)."""
    per_site = readings.groupby("site_id", observed=True)["pm25"].mean().rename("pm25").reset_index()
    per_site["site_id"] = per_site["site_id"].astype(str)
    named = per_site.merge(sites[["site_id", "district"]].astype({"site_id": str}), on="site_id")
    return named.groupby("district", observed=True)["pm25"].mean()


@lru_cache(maxsize=1)
def district_rankings() -> pd.DataFrame:
    """District means by the stations, the raw sensors (module 03), the cleaned sensors and the true air at them."""
    from sensorlab.datasets import load_city
    from sensorlab.explore import plausible

    city = street_city()
    s, sites = city.readings, city.sites
    labels, _ = scored_pm()
    stations = load_city("pm25", kind="reference", truth=False)
    return pd.DataFrame({
        "stations": district_means(stations.readings, stations.sites),
        "raw sensors": district_means(plausible(s, ["pm25"]), sites),
        "cleaned sensors": district_means(cleaning.mask_flagged(s, labels.to_frame("fault_pm25")), sites),
        "true air at the sensors": district_means(city.truth.loc[s.index], sites),
    })


@register("04.5-clean-ranking", kind=NUMBER, hints=("m04.clean_ranking.hint1", "m04.clean_ranking.hint2"))
def clean_ranking(answer):
    """Spearman rank correlation of the cleaned-sensor district means with the station district means."""
    table = district_rankings()
    spearman = table.corr(method="spearman")["stations"]
    if np.isclose(answer, table.corr()["stations"]["cleaned sensors"], atol=1e-3) and not np.isclose(
            answer, spearman["cleaned sensors"], atol=1e-3):
        raise Wrong("m04.clean_ranking.pearson")
    for column, key in (("raw sensors", "m04.clean_ranking.raw"), ("true air at the sensors", "m04.clean_ranking.truth")):
        if np.isclose(answer, spearman[column], atol=1e-3) and not np.isclose(answer, spearman["cleaned sensors"], atol=1e-3):
            raise Wrong(key)
    expect_close(answer, spearman["cleaned sensors"], "m04.what.rank_correlation", atol=1e-3)
