"""The city's daily table a forecast starts from: one row per day, the city mean of each quantity.

:func:`daily_city_series` averages any :class:`~sensorlab.datasets.base.SensorData` (the
synthetic city, a class's boxes, the real S-DoT files) to city-mean days;
:func:`synthetic_daily` gives several synthetic years of it from the reference stations, with
the part of each day known when the evening forecast is issued (:data:`ISSUED_AT`) beside it.
Module 07's forecasts (:mod:`sensorlab.forecast`) are built on these tables.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from sensorlab.datasets.base import SensorData

__all__ = ["ISSUED_AT", "KNOWN", "daily_city_series", "synthetic_daily"]

#: The hour (Seoul time) at which the evening forecast for the next day is issued. Readings
#: stamped 00:00-20:00 exist by then; those of 21:00-23:00 do not.
ISSUED_AT = 21
#: Suffix of a daily column that averages only the readings known at :data:`ISSUED_AT`.
KNOWN = "_20h"

#: The quantities :func:`daily_city_series` averages by default, in its columns' order.
_DAILY_QUANTITIES = ("pm25", "pm10", "temperature", "humidity", "wind_speed", "no2", "o3")


def daily_city_series(data, quantities=_DAILY_QUANTITIES,
                      kind: str = "reference", min_coverage: float = 0.75, hours=None) -> pd.DataFrame:
    """The city's daily mean of each quantity, averaged over the sites of one kind.

    Each site's day counts only with at least ``min_coverage`` of its readings; the city mean
    is the mean over the sites with a valid day. The index is every calendar day of the period
    (a day with no valid site is NaN, so a one-day shift is always one calendar day).

    Parameters
    ----------
    data : SensorData
    quantities : sequence of str
        Columns to average (those absent from the data are skipped).
    kind : {"reference", "street"}
        Which sites to average: the reference stations by default (clean, gap-filled little).
    min_coverage : float
        Share of a day's expected readings a site needs for its daily mean to count.
    hours : iterable of int, optional
        Only the readings stamped in these clock hours (``range(ISSUED_AT)``: what is known at
        21:00); every hour by default.

    Returns
    -------
    pandas.DataFrame
        Indexed by day (midnight, Asia/Seoul), one column per quantity.

    Examples
    --------
    >>> from sensorlab.datasets import make_city
    >>> city = make_city(seed=1, start="2024-01-01", end="2024-01-03", street_per_district=0)
    >>> daily = daily_city_series(city)
    >>> len(daily), daily.index[0].strftime("%Y-%m-%d %Z"), bool(daily["pm25"].notna().all())
    (3, '2024-01-01 KST', True)
    """
    ids = data.sites.loc[data.sites["kind"] == kind, "site_id"].astype(str)
    cols = [q for q in quantities if q in data.readings.columns]
    if ids.empty or not cols:
        raise ValueError(f"{data.name}: no {kind} sites or none of {list(quantities)} in the readings")
    rows = data.readings[data.readings["site_id"].astype(str).isin(ids)]
    if hours is not None:
        rows = rows[rows["timestamp"].dt.hour.isin(list(hours))]
    frame = rows[["timestamp", "site_id", *cols]].assign(
        site_id=lambda f: f["site_id"].astype(str), day=lambda f: f["timestamp"].dt.normalize())
    g = frame.groupby(["day", "site_id"])[cols]
    means, counts = g.mean(), g.count()
    expected = g.size().groupby(level="site_id").transform("max").to_numpy()[:, None]
    site_days = means.where(counts.ge(np.ceil(min_coverage * expected)))
    city = site_days.groupby(level="day").mean()
    days = pd.date_range(city.index.min(), city.index.max(), freq="D")
    city = city.reindex(days)
    city.index.name = "date"
    return city


#: Days per table when averaging the synthetic years (a year of one quantity: about 20 MB).
_CHUNK_DAYS = 366


def _station_table(clock, site_ids: list[str], q: str, values: np.ndarray, a: int, b: int) -> pd.DataFrame:
    """Tidy rows of steps ``a:b`` of one quantity, ordered by (timestamp, site) as make_city's."""
    n = len(site_ids)
    return pd.DataFrame({
        "timestamp": clock.times[a:b].repeat(n),
        "site_id": pd.Categorical.from_codes(np.tile(np.arange(n, dtype=np.int32), b - a), categories=site_ids),
        q: np.ascontiguousarray(values[:, a:b].T).ravel()})


def _chunked_daily(clock, site_ids: list[str], q: str, values: np.ndarray, hours=None) -> pd.Series:
    """:func:`daily_city_series` of one quantity, computed a year at a time, equal to the whole table's.

    A site's daily mean and the city's mean of a day use that day's readings only, and pandas
    averages each group on its own, so the pieces are the whole table's series, with two
    provisos checked here: every day has as many steps (a site's expected count is then the same
    in every piece), and every piece went through pandas' compensated float32 averaging (it
    takes another path, to float64, when a table has no gap at all). Otherwise the whole table.
    """
    sites = pd.DataFrame({"site_id": site_ids, "kind": "reference"})

    def daily(a, b):
        table = SensorData(readings=_station_table(clock, site_ids, q, values, a, b), sites=sites, name="city")
        return daily_city_series(table, quantities=[q], hours=hours)[q]

    steps = np.bincount(clock.day, minlength=clock.n_days)
    if clock.n_days > _CHUNK_DAYS and (steps == steps[0]).all():
        bounds = np.append(np.arange(0, clock.n_days, _CHUNK_DAYS), clock.n_days) * steps[0]
        parts = [daily(a, b) for a, b in zip(bounds[:-1], bounds[1:])]
        if all(part.dtype == values.dtype for part in parts):
            return pd.concat(parts)
        del parts
    return daily(0, clock.n)


@lru_cache(maxsize=2)
def _synthetic_daily(seed: int, start: str, end: str, freq: str) -> pd.DataFrame:
    from sensorlab.datasets.city_stations import station_readings
    from sensorlab.memory import give_back

    # The stations' readings alone (no truth, no street network, no million-row tables), then
    # one quantity and one year at a time: make_city's daily series, bit for bit, at a third
    # of the memory (module 07's lessons stay under the per-student limit).
    clock, site_ids, readings = station_readings(seed, start, end, freq)
    columns, known = [], []
    for q in [q for q in _DAILY_QUANTITIES if q in readings]:
        values = readings.pop(q)
        columns.append(_chunked_daily(clock, site_ids, q, values))
        known.append(_chunked_daily(clock, site_ids, q, values, hours=range(ISSUED_AT)).rename(q + KNOWN))
        del values
    daily = pd.concat(columns + known, axis=1)
    daily = daily.reindex(pd.date_range(daily.index.min(), daily.index.max(), freq="D", name="date"))
    give_back()  # the generator's freed temporaries would otherwise stay in the kernel's memory
    return daily


def synthetic_daily(seed: int = 2024, start: str = "2021-01-01", end: str = "2024-12-31",
                    freq: str = "1h") -> pd.DataFrame:
    """Several synthetic years of city-mean daily values, from the reference stations only.

    A forecast needs more than one year to learn seasons and to be tested on a later year, so
    this returns :func:`daily_city_series` of ``make_city(seed, start, end, freq,
    street_per_district=0)`` (25 stations), and beside each quantity ``q`` a column ``q_20h``:
    the same day's mean of the readings stamped 00:00-20:00 only, all that is known when the
    evening forecast is issued at 21:00 (``daily_city_series(..., hours=range(ISSUED_AT))``).
    The full-day columns equal make_city's series bit for bit but are computed from the
    stations' readings alone, one quantity and one year at a time, so four hourly years add
    about 130 MB to the kernel's peak instead of 360 (about 3 s for four hourly years; ``freq="3h"``
    is ten times faster with similar daily statistics, but a different random draw, so scores
    differ). The result is cached, so a lesson and its exercise checks share one computation
    (each call returns a fresh copy).

    Examples
    --------
    >>> daily = synthetic_daily(seed=3, start="2024-01-01", end="2024-01-10")
    >>> daily.shape, str(daily.index.tz), daily.columns[-1]
    ((10, 14), 'Asia/Seoul', 'o3_20h')
    """
    return _synthetic_daily(int(seed), str(start), str(end), str(freq)).copy()
