"""Patterns in time and space: cycles, episodes, heat islands, and how sure we can be.

Functions take the tidy readings table (``timestamp``, ``site_id``, quantities) and return
small tables ready to plot: a daily cycle has 24 rows, a weekly cycle 7, a seasonal cycle 12.
:func:`bootstrap_ci` puts a confidence interval on any statistic by resampling.

Examples
--------
>>> import pandas as pd
>>> ts = pd.date_range("2024-01-01", periods=48, freq="1h", tz="Asia/Seoul")
>>> r = pd.DataFrame({"timestamp": ts, "site_id": "ref-101", "no2": [0.02 + 0.01 * (h in (8, 9)) for h in ts.hour]})
>>> cycle = diurnal_cycle(r, "no2")
>>> cycle.idxmax(), round(float(cycle[8]), 3), round(float(cycle[14]), 3)
(8, 0.03, 0.02)
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = ["SEASONS", "add_time_features", "cycle", "diurnal_cycle", "weekly_cycle", "seasonal_cycle",
           "daily_means", "weekend_effect", "episodes", "heat_island", "binned_medians", "pair_colocated",
           "ConfidenceInterval", "bootstrap_ci", "block_bootstrap_ci", "weekday_minus_weekend", "cycle_ci"]

#: Meteorological seasons by month (December belongs to winter).
SEASONS: dict[int, str] = {12: "winter", 1: "winter", 2: "winter", 3: "spring", 4: "spring", 5: "spring",
                           6: "summer", 7: "summer", 8: "summer", 9: "autumn", 10: "autumn", 11: "autumn"}

_PERIODS = {"hour": 24, "weekday": 7, "month": 12}


def add_time_features(readings: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``readings`` with the calendar columns the cycles group by.

    Adds ``date`` (the Seoul calendar day), ``hour`` (0-23), ``weekday`` (0 = Monday ... 6 =
    Sunday), ``is_weekend``, ``month`` (1-12) and ``season`` (see :data:`SEASONS`), all in
    Seoul time whatever zone the timestamps are in.

    Examples
    --------
    >>> ts = pd.to_datetime(["2024-06-01 23:30+00:00"])  # UTC: already Sunday morning in Seoul
    >>> add_time_features(pd.DataFrame({"timestamp": ts}))[["hour", "weekday", "is_weekend", "season"]].values.tolist()
    [[8, 6, True, 'summer']]
    """
    out = readings.copy(deep=False)  # copy-on-write: the new columns do not copy the others
    ts = pd.to_datetime(out["timestamp"])
    ts = ts.dt.tz_convert("Asia/Seoul") if ts.dt.tz is not None else ts
    out["date"] = ts.dt.tz_localize(None).dt.normalize() if ts.dt.tz is not None else ts.dt.normalize()
    out["hour"] = ts.dt.hour
    out["weekday"] = ts.dt.day_of_week
    out["is_weekend"] = out["weekday"] >= 5
    out["month"] = ts.dt.month
    out["season"] = out["month"].map(SEASONS)
    return out


def _with_features(readings: pd.DataFrame, needed: str) -> pd.DataFrame:
    return readings if needed in readings.columns else add_time_features(readings)


def cycle(readings: pd.DataFrame, quantity: str, period: str = "hour", by: str | None = None,
          stat: str = "mean") -> pd.Series | pd.DataFrame:
    """Average ``quantity`` by hour of day, day of week or month.

    Parameters
    ----------
    readings : pandas.DataFrame
        Tidy readings (or already with the columns of :func:`add_time_features`).
    quantity : str
        Column to average.
    period : {"hour", "weekday", "month"}
        What the cycle repeats over.
    by : str, optional
        A column to split by (``"season"``, ``"is_weekend"``, ``"district"`` ...): one column
        of the result per group.
    stat : str
        ``"mean"`` or ``"median"`` (or any pandas aggregation name).

    Returns
    -------
    pandas.Series or pandas.DataFrame
        Indexed by the period (every hour 0-23, weekday 0-6 or month 1-12, NaN where there is
        no data), one column per group when ``by`` is given.
    """
    if period not in _PERIODS:
        raise ValueError(f"period must be one of {list(_PERIODS)}, got {period!r}")
    if quantity not in readings.columns:
        raise KeyError(f"no column {quantity!r} in the readings; columns are {list(readings.columns)}")
    frame = _with_features(readings, period)
    full = range(_PERIODS[period]) if period != "month" else range(1, 13)
    if by is None:
        result = frame.groupby(period)[quantity].agg(stat).reindex(full)
        result.name = quantity
        return result
    result = frame.groupby([period, by])[quantity].agg(stat).unstack(by).reindex(full)
    result.columns.name = by
    return result


def diurnal_cycle(readings, quantity, by=None, stat="mean"):
    """The daily cycle: ``quantity`` averaged by hour of day (0-23). See :func:`cycle`.

    Examples
    --------
    >>> ts = pd.date_range("2024-07-01", periods=72, freq="1h", tz="Asia/Seoul")
    >>> r = pd.DataFrame({"timestamp": ts, "site_id": "ref-101", "temperature": 25 + 0.2 * ts.hour})
    >>> diurnal_cycle(r, "temperature").loc[[0, 15]].round(1).tolist()
    [25.0, 28.0]
    """
    return cycle(readings, quantity, "hour", by, stat)


def weekly_cycle(readings, quantity, by=None, stat="mean"):
    """The weekly cycle: ``quantity`` averaged by weekday (0 = Monday ... 6 = Sunday).

    Examples
    --------
    >>> ts = pd.date_range("2024-01-01", periods=14, freq="1D", tz="Asia/Seoul")  # a Monday
    >>> r = pd.DataFrame({"timestamp": ts, "site_id": "ref-101", "no2": [0.03] * 5 + [0.02] * 2 + [0.03] * 5 + [0.02] * 2})
    >>> weekly_cycle(r, "no2").round(2).tolist()
    [0.03, 0.03, 0.03, 0.03, 0.03, 0.02, 0.02]
    """
    return cycle(readings, quantity, "weekday", by, stat)


def seasonal_cycle(readings, quantity, by=None, stat="mean"):
    """The seasonal cycle: ``quantity`` averaged by month (1-12), NaN for months without data.

    Examples
    --------
    >>> ts = pd.to_datetime(["2024-01-15", "2024-01-16", "2024-08-15"]).tz_localize("Asia/Seoul")
    >>> r = pd.DataFrame({"timestamp": ts, "site_id": "ref-101", "pm25": [30.0, 34.0, 12.0]})
    >>> s = seasonal_cycle(r, "pm25")
    >>> s[1], s[8], bool(np.isnan(s[5]))
    (np.float64(32.0), np.float64(12.0), True)
    """
    return cycle(readings, quantity, "month", by, stat)


def daily_means(readings: pd.DataFrame, quantity: str, by: str | None = None) -> pd.Series | pd.DataFrame:
    """Daily means of ``quantity`` over all sites (or per group of ``by``), by Seoul calendar day.

    Hours of one day are strongly alike, so statistics on uncertainty (:func:`bootstrap_ci`)
    are more honest on daily means than on hourly readings.

    Examples
    --------
    >>> ts = pd.date_range("2024-01-01", periods=48, freq="1h", tz="Asia/Seoul")
    >>> r = pd.DataFrame({"timestamp": ts, "site_id": "ref-101", "pm25": [10.0] * 24 + [20.0] * 24})
    >>> daily_means(r, "pm25").tolist()
    [10.0, 20.0]
    """
    frame = _with_features(readings, "date")
    if by is None:
        return frame.groupby("date")[quantity].mean().rename(quantity)
    return frame.groupby(["date", by])[quantity].mean().unstack(by)


def weekend_effect(readings: pd.DataFrame, quantity: str) -> pd.Series:
    """Mean of the daily means on weekdays and on weekends, and the change in percent.

    Returns
    -------
    pandas.Series
        ``weekday``, ``weekend``, ``change_percent`` (negative: lower at weekends).

    Examples
    --------
    >>> ts = pd.date_range("2024-01-01", periods=14, freq="1D", tz="Asia/Seoul")
    >>> r = pd.DataFrame({"timestamp": ts, "site_id": "ref-101", "no2": ([0.025] * 5 + [0.020] * 2) * 2})
    >>> weekend_effect(r, "no2").round(3).tolist()
    [0.025, 0.02, -20.0]
    """
    daily = daily_means(readings, quantity)
    weekend = pd.Series(pd.DatetimeIndex(daily.index).day_of_week >= 5, index=daily.index)
    weekday_mean, weekend_mean = daily[~weekend].mean(), daily[weekend].mean()
    return pd.Series({"weekday": weekday_mean, "weekend": weekend_mean,
                      "change_percent": 100.0 * (weekend_mean - weekday_mean) / weekday_mean})


def episodes(series: pd.Series, threshold: float, min_length: int = 1) -> pd.DataFrame:
    """Runs of a time series above ``threshold``: haze and dust episodes.

    Parameters
    ----------
    series : pandas.Series
        Values indexed by time (for example the city's daily mean PM2.5).
    threshold : float
        Level that counts as an episode (35 µg/m³ of PM2.5 is "bad", 나쁨).
    min_length : int
        Keep only runs of at least this many consecutive steps above the threshold.

    Returns
    -------
    pandas.DataFrame
        One row per episode: ``start``, ``end`` (last step above), ``length`` (steps), ``peak``,
        ``mean``, in time order.

    Examples
    --------
    >>> days = pd.date_range("2024-03-01", periods=8, freq="1D")
    >>> pm = pd.Series([20, 40, 50, 30, 36, 38, 60, 10], index=days)
    >>> episodes(pm, 35, min_length=2)[["length", "peak"]].values.tolist()
    [[2, 50], [3, 60]]
    """
    above = series.gt(threshold).to_numpy()
    run = np.cumsum(np.r_[True, above[1:] != above[:-1]])
    rows = []
    for _, idx in pd.Series(np.arange(len(series))).groupby(run):
        positions = idx.to_numpy()
        if not above[positions[0]] or len(positions) < min_length:
            continue
        part = series.iloc[positions]
        rows.append({"start": part.index[0], "end": part.index[-1], "length": len(part),
                     "peak": part.max(), "mean": part.mean()})
    return pd.DataFrame(rows, columns=["start", "end", "length", "peak", "mean"])


def heat_island(readings: pd.DataFrame, sites: pd.DataFrame, quantity: str = "temperature",
                kind: str | None = "reference", hours=None) -> pd.DataFrame:
    """How much warmer (or cooler) each district is than the city as a whole.

    Parameters
    ----------
    readings, sites : pandas.DataFrame
        Tidy readings and the sites table (for ``district`` and ``kind``).
    quantity : str
        Usually ``"temperature"``.
    kind : str or None
        Use only ``"reference"`` stations (default: their shaded, ventilated thermometers have
        no sun-on-the-box bias) or ``"street"`` sensors; ``None`` for all.
    hours : list of int, optional
        Only these hours of the day (heat islands are strongest at night, e.g. ``range(0, 6)``).

    Returns
    -------
    pandas.DataFrame
        One row per district, warmest first: ``district``, ``district_ko``, ``mean``,
        ``anomaly`` (district mean minus the mean over districts), ``n_sites``.

    Examples
    --------
    >>> from sensorlab.datasets import stations
    >>> st = stations()
    >>> ts = pd.date_range("2024-08-01", periods=3, freq="1h", tz="Asia/Seoul")
    >>> r = pd.DataFrame({"timestamp": ts.repeat(2), "site_id": ["ref-101", "ref-113"] * 3,
    ...                   "temperature": [27.0, 25.0] * 3})
    >>> heat_island(r, st)[["district", "anomaly"]].values.tolist()
    [['Jongno-gu', 1.0], ['Dobong-gu', -1.0]]
    """
    info = sites[["site_id", "district", "district_ko", "kind"]]
    if kind is not None:
        info = info[info["kind"] == kind]
    # one mean per site first, names joined after: a district name on each of a million readings
    # would cost a class's shared server more than the readings themselves
    chosen = readings.loc[readings["site_id"].isin(info["site_id"]).to_numpy(), ["timestamp", "site_id", quantity]]
    if hours is not None:
        ts = chosen["timestamp"]
        hour = (ts.dt.tz_convert("Asia/Seoul") if ts.dt.tz is not None else ts).dt.hour  # Seoul time, as add_time_features
        chosen = chosen[hour.isin(list(hours)).to_numpy()]
    means = chosen.groupby("site_id", observed=True, sort=False)[quantity].mean().astype("float64")
    means.index = means.index.astype(str)
    site_means = info.merge(means.reset_index(), on="site_id", how="inner")
    table = (site_means.groupby(["district", "district_ko"])[quantity]
             .agg(mean="mean", n_sites="count").reset_index())
    table["anomaly"] = table["mean"] - table["mean"].mean()
    table = table.sort_values("anomaly", ascending=False, ignore_index=True)
    return table[["district", "district_ko", "mean", "anomaly", "n_sites"]]


def binned_medians(frame: pd.DataFrame, x: str, y: str, bins) -> pd.DataFrame:
    """The median and middle half of ``y`` in bins of ``x`` (e.g. PM2.5 by humidity band).

    Returns
    -------
    pandas.DataFrame
        Indexed by bin (an interval), columns ``q25``, ``median``, ``q75``, ``n``.

    Examples
    --------
    >>> f = pd.DataFrame({"humidity": [30, 35, 80, 85, 90], "pm25": [10, 12, 20, 24, 40]})
    >>> binned_medians(f, "humidity", "pm25", [0, 50, 100])["median"].tolist()
    [11.0, 24.0]
    """
    groups = frame.groupby(pd.cut(frame[x], bins), observed=False)[y]
    return pd.DataFrame({"q25": groups.quantile(0.25), "median": groups.median(),
                         "q75": groups.quantile(0.75), "n": groups.count()})


def pair_colocated(readings: pd.DataFrame, sites: pd.DataFrame, quantities) -> pd.DataFrame:
    """Put each co-located street sensor's readings beside its reference station's, hour by hour.

    Parameters
    ----------
    readings, sites : pandas.DataFrame
        Tidy readings and the sites table (its ``colocated_with`` column names the station).
    quantities : list of str
        Columns to pair.

    Returns
    -------
    pandas.DataFrame
        ``timestamp``, ``site_id`` (street), ``reference_id``, and for each quantity ``q``
        the columns ``q_street`` and ``q_reference``.

    Examples
    --------
    >>> sites = pd.DataFrame({"site_id": ["ref-101", "sdot-101-01"], "kind": ["reference", "street"],
    ...                       "colocated_with": [None, "ref-101"]})
    >>> ts = pd.date_range("2024-05-01", periods=2, freq="1h", tz="Asia/Seoul")
    >>> r = pd.DataFrame({"timestamp": ts.repeat(2), "site_id": ["ref-101", "sdot-101-01"] * 2,
    ...                   "pm25": [10.0, 13.0, 20.0, 22.0]})
    >>> pair_colocated(r, sites, ["pm25"])[["pm25_street", "pm25_reference"]].values.tolist()
    [[13.0, 10.0], [22.0, 20.0]]
    """
    quantities = list(quantities)
    pairs = sites.loc[sites["colocated_with"].notna(), ["site_id", "colocated_with"]]
    pairs = pairs.rename(columns={"colocated_with": "reference_id"})
    columns = ["timestamp", "site_id", *quantities]
    # only the paired sites' rows take part: a quarter of the street sensors, not the whole city
    street = readings.loc[readings["site_id"].isin(pairs["site_id"]), columns].merge(pairs, on="site_id")
    reference = readings.loc[readings["site_id"].isin(pairs["reference_id"]), columns].rename(
        columns={"site_id": "reference_id"})
    paired = street.merge(reference, on=["timestamp", "reference_id"], suffixes=("_street", "_reference"))
    columns = ["timestamp", "site_id", "reference_id"]
    for q in quantities:
        columns += [f"{q}_street", f"{q}_reference"]
    return paired[columns].sort_values(["site_id", "timestamp"], ignore_index=True)


class ConfidenceInterval(NamedTuple):
    """A statistic with the range it probably lies in."""

    estimate: float
    low: float
    high: float
    level: float


def bootstrap_ci(values, statistic=np.mean, n: int = 2000, seed: int = 0,
                 level: float = 0.95) -> ConfidenceInterval:
    """A percentile bootstrap confidence interval for ``statistic`` of ``values``.

    Resample the values with replacement ``n`` times, compute the statistic each time, and
    report the middle ``level`` share of the results. Missing values are dropped first.
    The values should be independent of each other (daily means rather than hourly readings,
    see :func:`daily_means`), or the interval comes out too narrow.

    Parameters
    ----------
    values : array-like, or a tuple of array-likes
        One sample; or several samples (e.g. ``(weekday, weekend)``), each resampled on its
        own, for a statistic of several samples such as a difference of means.
    statistic : callable
        Takes one array (or one per sample) and returns a number.
    n : int
        Number of resamples.
    seed : int
        Seed of the random generator: the same seed gives the same interval.
    level : float
        Confidence level, between 0 and 1.

    Returns
    -------
    ConfidenceInterval
        ``estimate`` (the statistic of the data), ``low``, ``high``, ``level``.

    Examples
    --------
    >>> ci = bootstrap_ci([18.0, 22.0, 25.0, 19.0, 30.0, 21.0, 24.0, 20.0], seed=1)
    >>> round(ci.estimate, 2), ci.low < ci.estimate < ci.high
    (22.38, True)
    >>> weekday, weekend = [0.026, 0.027, 0.025, 0.028, 0.024], [0.021, 0.020, 0.022]
    >>> diff = bootstrap_ci((weekday, weekend), lambda a, b: np.mean(a) - np.mean(b))
    >>> diff.low > 0
    True
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    samples = values if isinstance(values, tuple) else (values,)
    samples = tuple(np.asarray(pd.Series(np.asarray(s, dtype=float)).dropna(), dtype=float) for s in samples)
    for i, s in enumerate(samples):
        if len(s) < 2:
            raise ValueError(f"sample {i + 1} has {len(s)} values; a bootstrap needs at least 2")
    estimate = float(statistic(*samples))
    rng = np.random.default_rng(seed)
    # each resample draws len(s) values from s with replacement, every sample on its own
    replicates = np.array([statistic(*(s[rng.integers(0, len(s), len(s))] for s in samples))
                           for _ in range(n)], dtype=float)
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(replicates, [tail, 100 - tail])
    return ConfidenceInterval(estimate, float(low), float(high), level)


def weekday_minus_weekend(daily: pd.Series) -> float:
    """Mean of the weekday values minus mean of the weekend values of a daily series (Seoul days).

    Examples
    --------
    >>> days = pd.date_range("2024-01-01", periods=7, freq="1D")   # Monday to Sunday
    >>> weekday_minus_weekend(pd.Series([25.0] * 5 + [20.0] * 2, index=days))
    5.0
    """
    weekend = pd.DatetimeIndex(daily.index).day_of_week >= 5
    return float(daily[~weekend].mean() - daily[weekend].mean())


def block_bootstrap_ci(series: pd.Series, statistic=weekday_minus_weekend, block: int = 7, n: int = 2000,
                       seed: int = 0, level: float = 0.95) -> ConfidenceInterval:
    """A percentile bootstrap interval that resamples whole blocks of consecutive values (a *block bootstrap*).

    Days next to each other are alike (a dusty day is often followed by another), so resampling
    single days treats them as more independent evidence than they are. Here the series is cut
    into consecutive blocks of ``block`` values (the last may be shorter); each resample draws
    as many blocks as there are, with replacement (``rng.integers(0, n_blocks, n_blocks)`` with
    ``rng = np.random.default_rng(seed)``), puts them one after the other, keeps their dates,
    and computes ``statistic`` of that Series.

    Parameters
    ----------
    series : pandas.Series
        Values in time order, e.g. daily means indexed by date (from the first Monday, blocks
        of 7 are calendar weeks).
    statistic : callable
        Takes a Series (with its dates) and returns a number; default the weekday mean minus
        the weekend mean.
    block : int
        Number of consecutive values in a block.
    n, seed, level
        Number of resamples, random seed, confidence level.

    Examples
    --------
    >>> days = pd.date_range("2024-01-01", periods=28, freq="1D")
    >>> no2 = pd.Series(([0.026, 0.027, 0.025, 0.028, 0.026, 0.021, 0.020] * 4), index=days)
    >>> ci = block_bootstrap_ci(no2, n=200)
    >>> round(ci.estimate, 4), ci.low > 0
    (0.0059, True)
    """
    if block < 1:
        raise ValueError(f"block must be at least 1 value, got {block}")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    series = series.dropna()
    starts = np.arange(0, len(series), block)
    if len(starts) < 2:
        raise ValueError(f"{len(series)} values make {len(starts)} block of {block}; a bootstrap needs at least 2")
    blocks = [np.arange(start, min(start + block, len(series))) for start in starts]
    rng = np.random.default_rng(seed)
    replicates = np.array([statistic(series.iloc[np.concatenate([blocks[k] for k in
                                                                 rng.integers(0, len(blocks), len(blocks))])])
                           for _ in range(n)], dtype=float)
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(replicates, [tail, 100 - tail])
    return ConfidenceInterval(float(statistic(series)), float(low), float(high), level)


def cycle_ci(readings: pd.DataFrame, quantity: str, period: str = "hour", n: int = 2000, seed: int = 0,
             level: float = 0.95) -> pd.DataFrame:
    """A daily (or weekly) cycle with a bootstrap interval for each hour (or weekday).

    The days are the independent pieces of evidence (05.5), so each day first gives one value
    per hour (the mean over the sites at that hour) or one daily mean; then, for each hour of
    the day (or weekday), :func:`bootstrap_ci` resamples those days.

    Parameters
    ----------
    readings : pandas.DataFrame
        Tidy readings (``timestamp``, ``site_id``, ``quantity``).
    quantity : str
        Column to average.
    period : {"hour", "weekday"}
        The daily cycle (24 rows) or the weekly cycle (7 rows).
    n, seed, level
        As in :func:`bootstrap_ci`.

    Returns
    -------
    pandas.DataFrame
        Indexed by the hour (0-23) or weekday (0 = Monday ... 6 = Sunday): ``mean``, ``low``,
        ``high`` and ``days`` (how many days the mean rests on); NaN where fewer than 2 days.

    Examples
    --------
    >>> ts = pd.date_range("2025-03-03", periods=24 * 14, freq="1h", tz="Asia/Seoul")
    >>> wobble = np.random.default_rng(0).normal(0, 2, len(ts))
    >>> r = pd.DataFrame({"timestamp": ts, "site_id": "class-01", "pm25": 20 + 10 * (ts.hour == 8) + wobble})
    >>> table = cycle_ci(r, "pm25", n=500)
    >>> table.columns.tolist(), int(table["mean"].idxmax()), int(table.loc[8, "days"])
    (['mean', 'low', 'high', 'days'], 8, 14)
    >>> bool((table["low"] < table["mean"]).all() and (table["mean"] < table["high"]).all())
    True
    >>> cycle_ci(r, "pm25", period="weekday", n=200).shape
    (7, 4)
    """
    if period not in ("hour", "weekday"):
        raise ValueError(f"period must be 'hour' or 'weekday', got {period!r}")
    if quantity not in readings.columns:
        raise KeyError(f"no column {quantity!r} in the readings; columns are {list(readings.columns)}")
    frame = add_time_features(readings[["timestamp", quantity]])
    if period == "hour":
        per_day = frame.groupby(["hour", "date"])[quantity].mean().dropna()
    else:
        per_day = frame.groupby(["weekday", "date"])[quantity].mean().dropna()
    rows = {}
    for key in range(_PERIODS[period]):
        days = per_day.loc[key].to_numpy() if key in per_day.index.get_level_values(0) else np.array([])
        if len(days) < 2:
            rows[key] = {"mean": np.nan, "low": np.nan, "high": np.nan, "days": len(days)}
            continue
        ci = bootstrap_ci(days, n=n, seed=seed, level=level)
        rows[key] = {"mean": ci.estimate, "low": ci.low, "high": ci.high, "days": len(days)}
    table = pd.DataFrame.from_dict(rows, orient="index").astype({"days": int})
    table.index.name = period
    return table
