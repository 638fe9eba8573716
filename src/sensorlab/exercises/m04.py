"""Checkers for module 04, Cleaning sensor data.

Every expected answer is computed here, with the package's own functions, from the same bundled
city the lessons load; the plausible wrong answers a student might give get their own advice.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from sensorlab import cleaning
from sensorlab.check import Wrong, expect_close, expect_length, expect_series_close, expect_type, register
from sensorlab.exercises._data import part

SPIKE_SITE = "sdot-122-01"   # lesson 04.3's spike sensor (a 600 µg/m³ burst on 14 January) and 04.4's gaps
STUCK_SITE = "sdot-107-01"   # lesson 04.3's stuck sensor: a 51-hour run from 2 January


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


def one_site_pm(site_id: str) -> pd.Series:
    """One sensor's PM2.5 in time order with zeros and -999 set aside (as lesson 04.3 does)."""
    one = street()[street()["site_id"] == site_id].set_index("timestamp").sort_index()
    return one["pm25"].where(one["pm25"] > 0)


def _int_answer(answer, expected, what, alternatives=()):
    if hasattr(answer, "__len__") and not isinstance(answer, str):
        raise Wrong("m04.one_number")
    expect_type(answer, int)
    for value, key in alternatives:
        if int(answer) == int(value) and int(value) != int(expected):
            raise Wrong(key)
    expect_close(answer, int(expected), what, rtol=0)


@register("04.1-too-hot", hints=("m04.too_hot.hint1", "m04.too_hot.hint2"))
def too_hot(answer):
    """Street temperature readings outside Seoul's plausible range."""
    t = street()["temperature"]
    expected = cleaning.flag_out_of_range(t, "temperature", ranges=cleaning.SEOUL_RANGES).sum()
    sensor = cleaning.flag_out_of_range(t, "temperature").sum()
    everywhere = cleaning.flag_out_of_range(part("temperature").readings["temperature"], "temperature",
                                            ranges=cleaning.SEOUL_RANGES).sum()
    _int_answer(answer, expected, "m04.what.readings",
                [(sensor, "m04.too_hot.sensor_range"), (everywhere, "m04.too_hot.all_sites")])


@register("04.1-worst-site", level="university", hints=("m04.worst_site.hint1", "m04.worst_site.hint2"))
def worst_site(answer):
    """The street sensor with the most implausible temperature readings."""
    s = street()
    flags = cleaning.flag_out_of_range(s["temperature"], "temperature", ranges=cleaning.SEOUL_RANGES)
    counts = s[flags].groupby("site_id").size()
    expect_type(answer, str)
    if answer not in set(s["site_id"]):
        raise Wrong("m04.worst_site.not_a_site", got=answer)
    if answer != counts.idxmax():
        raise Wrong("m04.worst_site.not_worst", got=answer, n=int(counts.get(answer, 0)), most=int(counts.max()))


@register("04.2-pm-bad", hints=("m04.pm_bad.hint1", "m04.pm_bad.hint2"))
def pm_bad(answer):
    """Boolean flags: street PM2.5 that is a sentinel or exactly zero."""
    pm = street()["pm25"]
    sentinels, zeros = cleaning.flag_sentinels(pm), cleaning.flag_zeros(pm)
    expect_type(answer, pd.Series)
    expect_length(answer, len(pm))
    if answer.dtype != bool:
        raise Wrong("m04.pm_bad.not_bool")
    n = int(answer.sum())
    if n == int(sentinels.sum()):
        raise Wrong("m04.pm_bad.only_sentinels")
    if n == int(zeros.sum()):
        raise Wrong("m04.pm_bad.only_zeros")
    expect_close(n, int((sentinels | zeros).sum()), "m04.what.flags", rtol=0)


@register("04.2-clean-mean", hints=("m04.clean_mean.hint1", "m04.clean_mean.hint2"))
def clean_mean(answer):
    """Mean street PM2.5 with sentinels and zeros set aside."""
    pm = street()["pm25"]
    bad = cleaning.flag_sentinels(pm) | cleaning.flag_zeros(pm)
    expect_type(answer, float)
    if np.isclose(answer, pm.mean(), rtol=1e-3):
        raise Wrong("m04.clean_mean.raw")
    if np.isclose(answer, pm.where(~cleaning.flag_sentinels(pm)).mean(), rtol=1e-3):
        raise Wrong("m04.clean_mean.zeros_kept")
    expect_close(answer, pm.where(~bad).mean(), "m04.what.mean_pm25")


@register("04.2-th-sentinel", level="university", hints=("m04.th_sentinel.hint1", "m04.th_sentinel.hint2"))
def th_sentinel(answer):
    """Street readings with -40.0 °C and 100 %RH at the same time."""
    s = street()
    both = (s["temperature"] == -40.0) & (s["humidity"] == 100.0)
    _int_answer(answer, both.sum(), "m04.what.readings",
                [((s["temperature"] == -40.0).sum() + (s["humidity"] == 100.0).sum(), "m04.th_sentinel.or")])


@register("04.3-spike-count", hints=("m04.spike_count.hint1", "m04.spike_count.hint2"))
def spike_count(answer):
    """Spikes in one sensor's PM2.5 with flag_spikes' defaults."""
    pm = one_site_pm(SPIKE_SITE)
    raw = street()[street()["site_id"] == SPIKE_SITE].set_index("timestamp").sort_index()["pm25"]
    _int_answer(answer, cleaning.flag_spikes(pm).sum(), "m04.what.spikes",
                [(cleaning.flag_spikes(raw).sum(), "m04.spike_count.raw")])


@register("04.3-stuck-count", hints=("m04.stuck_count.hint1", "m04.stuck_count.hint2"))
def stuck_count(answer):
    """Stuck readings (runs of 6 or more, first included) in one sensor's PM2.5."""
    pm = one_site_pm(STUCK_SITE)
    _int_answer(answer, cleaning.flag_stuck(pm, min_run=6, include_first=True).sum(), "m04.what.readings",
                [(cleaning.flag_stuck(pm, min_run=6).sum(), "m04.stuck_count.first")])


@register("04.3-sweep", level="university", hints=("m04.sweep.hint1", "m04.sweep.hint2"))
def sweep(answer):
    """Spike counts for n_mad = 3, 5, 8, 12 on lesson 04.3's sensor, as a Series indexed by n_mad."""
    pm = one_site_pm(SPIKE_SITE)
    expected = pd.Series({n: int(cleaning.flag_spikes(pm, n_mad=n).sum()) for n in (3, 5, 8, 12)})
    expected.index.name = "n_mad"
    expect_type(answer, pd.Series)
    answer = answer.copy()
    answer.index.name = "n_mad"
    expect_series_close(answer, expected, "m04.what.spikes")


@register("04.4-fault-days", hints=("m04.fault_days.hint1", "m04.fault_days.hint2"))
def fault_days(answer):
    """Calendar days on which the network-wide humidity fault is flagged."""
    s = street()
    flags = cleaning.flag_network_fault(s, "humidity")
    days = s.loc[flags, "timestamp"].dt.date.nunique()
    _int_answer(answer, days, "m04.what.days", [(flags.sum(), "m04.fault_days.readings")])


@register("04.4-gap-days", level="university", hints=("m04.gap_days.hint1", "m04.gap_days.hint2"))
def gap_days(answer):
    """Days without a trustworthy daily mean PM2.5 at lesson 04.3's sensor."""
    site = street()[street()["site_id"] == SPIKE_SITE]
    clean = cleaning.mask_flagged(site, cleaning.flag_all(site, ["pm25"]))
    daily = cleaning.resample_with_gaps(clean, "1D", ["pm25"])
    raw_daily = cleaning.resample_with_gaps(site, "1D", ["pm25"])
    _int_answer(answer, daily["pm25"].isna().sum(), "m04.what.days",
                [(raw_daily["pm25"].isna().sum(), "m04.gap_days.unmasked")])


@lru_cache(maxsize=1)
def scored_pm():
    """flag_all's PM2.5 labels for the street sensors and the truth for the same rows."""
    s = street()
    labels = cleaning.flag_all(s, ["pm25"], sites=street_city().sites)["fault_pm25"]
    truth = street_city().truth.loc[s.index, "fault_pm25"]
    return labels, truth


@register("04.5-recall", hints=("m04.recall.hint1", "m04.recall.hint2"))
def recall(answer):
    """Share of truly faulty street PM2.5 readings that flag_all flagged."""
    labels, truth = scored_pm()
    bad, flagged = truth != "none", labels != "none"
    expect_type(answer, float)
    precision = (bad & flagged).sum() / flagged.sum()
    if np.isclose(answer, precision, rtol=1e-3):
        raise Wrong("m04.recall.is_precision")
    expect_close(answer, (bad & flagged).sum() / bad.sum(), "m04.what.recall")


@register("04.5-precision", hints=("m04.precision.hint1", "m04.precision.hint2"))
def precision(answer):
    """Share of flag_all's PM2.5 flags that are truly faulty."""
    labels, truth = scored_pm()
    bad, flagged = truth != "none", labels != "none"
    expect_type(answer, float)
    if np.isclose(answer, (bad & flagged).sum() / bad.sum(), rtol=1e-3):
        raise Wrong("m04.precision.is_recall")
    expect_close(answer, (bad & flagged).sum() / flagged.sum(), "m04.what.precision")


@register("04.5-missed-kinds", hints=("m04.missed_kinds.hint1", "m04.missed_kinds.hint2"))
def missed_kinds(answer):
    """Fault kinds whose recall is below 0.5, as a sorted list."""
    labels, truth = scored_pm()
    table = cleaning.score_flags(labels, truth).drop(index="any fault")
    expected = sorted(table.index[table["recall"] < 0.5])
    expect_type(answer, list)
    got = [str(k) for k in answer]
    if set(got) != set(expected) and set(got) == set(cleaning.fault_names(expected)):
        raise Wrong("m04.missed_kinds.display_names")  # copied from the (Korean) chart
    if set(got) != set(expected):
        raise Wrong("m04.missed_kinds.wrong", n=len(expected))
    if got != expected:
        raise Wrong("check.wrong_order")


@register("04.5-humidity-f1", level="university", hints=("m04.humidity_f1.hint1", "m04.humidity_f1.hint2"))
def humidity_f1(answer):
    """F1 of flag_all on the street sensors' humidity."""
    s = street()
    labels = cleaning.flag_all(s, ["humidity"], sites=street_city().sites)["fault_humidity"]
    table = cleaning.score_flags(labels, street_city().truth.loc[s.index, "fault_humidity"])
    expect_type(answer, float)
    expect_close(answer, table.loc["any fault", "f1"], "m04.what.f1")
