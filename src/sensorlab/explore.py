"""Helpers for exploring readings before they are fully cleaned (lesson module 03).

Exploring raw sensor data hits impossible values at once: the ``-999`` a sensor sends when it
has no reading, a dust count of exactly 0, a temperature of 353 °C. :func:`plausible` hides
those (as ``NaN``, rows kept) using the checks of :mod:`sensorlab.cleaning`, so means and plots
are not ruined by them. It does not find subtler faults (spikes, stuck or drifting sensors):
that is what the cleaning module is for.

:func:`district_ranking` ranks the districts by their reference stations and, beside them, by
their street sensors: raw cheap sensors rank their own gains, not the air (lesson 03.2). Modules
04 and 06 call it again on cleaned and calibrated readings to see how much of the gap closes.

Examples
--------
>>> import pandas as pd
>>> r = pd.DataFrame({"site_id": ["a"] * 4, "pm25": [12.0, -999.0, 0.0, 14.0],
...                   "temperature": [21.0, 353.4, 20.0, -40.0]})
>>> p = plausible(r)
>>> p["pm25"].tolist(), p["temperature"].tolist()
([12.0, nan, nan, 14.0], [21.0, nan, 20.0, nan])
"""

from __future__ import annotations

import pandas as pd

from sensorlab import cleaning
from sensorlab.datasets.base import UNITS

__all__ = ["plausible", "district_ranking", "colocated_pairs"]

#: Quantities whose true outdoor value is never exactly 0 (a 0 is a sensor that gave up).
NEVER_ZERO = ("pm25", "pm10", "humidity", "noise")


def plausible(readings: pd.DataFrame, quantities=None) -> pd.DataFrame:
    """A copy of ``readings`` with impossible values set to ``NaN`` (every row is kept).

    Quantity columns come back as float64 (so a rounded mean prints as 21.3, not 21.299999).

    Impossible means: an error code (:data:`sensorlab.cleaning.SENTINELS`), an exact 0 where
    outdoor air cannot be 0, or a value outside what the sensor can report or Seoul's weather
    can do (:data:`sensorlab.cleaning.SENSOR_RANGES`, :data:`sensorlab.cleaning.SEOUL_RANGES`).

    A street sensor's hour of, say, 1,300 µg/m³ PM2.5 is kept: it is inside what the sensor can
    report (0-1,500, the range module 04.1 teaches), and whether it is a fault or a real local
    event is a question for the spike checks of module 04, not for a range. That is why places
    are ranked with the reference stations (lesson 03.2), never with raw street sensors.
    """
    out = readings.copy(deep=False)  # copy-on-write: only the columns replaced below are new
    quantities = [q for q in (quantities or UNITS) if q in out.columns]
    for q in quantities:
        values = out[q]
        bad = cleaning.flag_sentinels(values, cleaning.SENTINELS + cleaning.SENSOR_SENTINELS.get(q, ()))
        if q in NEVER_ZERO:
            bad |= cleaning.flag_zeros(values)
        if q in cleaning.SENSOR_RANGES:
            bad |= cleaning.flag_out_of_range(values, q)
        if q in cleaning.SEOUL_RANGES:
            bad |= cleaning.flag_out_of_range(values, q, ranges=cleaning.SEOUL_RANGES)
        # float64: float32 prints 21.3 as 21.299999, which puzzles students at every .round(1)
        out[q] = values.mask(bad).astype("float64")
    return out


def colocated_pairs(readings: pd.DataFrame, sites: pd.DataFrame, quantity: str = "pm25") -> pd.DataFrame:
    """Each street sensor that stands beside a reference station, with both sites' mean ``quantity``.

    Columns ``site_id``, ``station`` (the station's id), ``district``, ``sensor_mean``,
    ``station_mean`` and ``ratio`` (sensor over station), lowest ratio first. Both means are over
    the same readings (pass :func:`plausible` readings to hide impossible values first).

    Examples
    --------
    >>> r = pd.DataFrame({"site_id": ["ref-1", "ref-1", "s-1", "s-1"], "pm25": [20.0, 22.0, 5.0, 5.5]})
    >>> s = pd.DataFrame({"site_id": ["ref-1", "s-1"], "district": ["Mapo-gu"] * 2,
    ...                   "colocated_with": [None, "ref-1"]})
    >>> colocated_pairs(r, s)[["site_id", "station", "sensor_mean", "station_mean", "ratio"]].round(2).to_dict("records")
    [{'site_id': 's-1', 'station': 'ref-1', 'sensor_mean': 5.25, 'station_mean': 21.0, 'ratio': 0.25}]
    """
    means = readings.groupby(readings["site_id"].astype(str))[quantity].mean()
    pairs = sites.dropna(subset=["colocated_with"])
    out = pd.DataFrame({"site_id": pairs["site_id"].astype(str).to_numpy(),
                        "station": pairs["colocated_with"].astype(str).to_numpy(),
                        "district": pairs["district"].astype(str).to_numpy()})
    out["sensor_mean"] = out["site_id"].map(means).astype("float64")
    out["station_mean"] = out["station"].map(means).astype("float64")
    out["ratio"] = out["sensor_mean"] / out["station_mean"]
    return out.sort_values("ratio", ignore_index=True)


def district_ranking(readings: pd.DataFrame, sites: pd.DataFrame, quantity: str = "pm25") -> pd.DataFrame:
    """Each district's mean ``quantity`` at its reference station(s) and at its street sensors, ranked.

    Returns a table indexed by district, highest station mean first, with columns ``station``,
    ``street``, ``station_rank`` and ``street_rank`` (1 = highest) and ``moved`` (True where the two
    ranks differ). Lesson 03.2 builds the same table in pandas; modules 04 and 06 call this on
    cleaned and calibrated readings.

    Examples
    --------
    >>> r = pd.DataFrame({"site_id": ["ref-1", "ref-2", "s-1", "s-2"], "pm25": [20.0, 25.0, 30.0, 10.0]})
    >>> s = pd.DataFrame({"site_id": ["ref-1", "ref-2", "s-1", "s-2"], "kind": ["reference", "reference", "street", "street"],
    ...                   "district": ["Mapo-gu", "Jung-gu", "Mapo-gu", "Jung-gu"]})
    >>> t = district_ranking(r, s)
    >>> t.index.tolist(), t["station_rank"].tolist(), t["street_rank"].tolist(), int(t["moved"].sum())
    (['Jung-gu', 'Mapo-gu'], [1, 2], [2, 1], 2)
    """
    rows = readings[["site_id", quantity]].assign(site_id=readings["site_id"].astype(str)).merge(
        sites[["site_id", "kind", "district"]].astype({"site_id": str, "kind": str, "district": str}), on="site_id")
    means = rows.pivot_table(index="district", columns="kind", values=quantity, aggfunc="mean")
    table = pd.DataFrame({"station": means["reference"], "street": means["street"]}).astype("float64")
    table["station_rank"] = table["station"].rank(ascending=False, method="min").astype(int)
    table["street_rank"] = table["street"].rank(ascending=False, method="min").astype(int)
    table["moved"] = table["station_rank"] != table["street_rank"]
    return table.sort_values("station", ascending=False)
