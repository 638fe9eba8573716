"""Helpers for exploring readings before they are fully cleaned (lesson module 03).

Exploring raw sensor data hits impossible values at once: the ``-999`` a sensor sends when it
has no reading, a dust count of exactly 0, a temperature of 353 °C. :func:`plausible` hides
those (as ``NaN``, rows kept) using the checks of :mod:`sensorlab.cleaning`, so means and plots
are not ruined by them. It does not find subtler faults (spikes, stuck or drifting sensors):
that is what the cleaning module is for.

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

__all__ = ["plausible"]

#: Quantities whose true outdoor value is never exactly 0 (a 0 is a sensor that gave up).
NEVER_ZERO = ("pm25", "pm10", "humidity", "noise")


def plausible(readings: pd.DataFrame, quantities=None) -> pd.DataFrame:
    """A copy of ``readings`` with impossible values set to ``NaN`` (every row is kept).

    Quantity columns come back as float64 (so a rounded mean prints as 21.3, not 21.299999).

    Impossible means: an error code (:data:`sensorlab.cleaning.SENTINELS`), an exact 0 where
    outdoor air cannot be 0, or a value outside what the sensor can report or Seoul's weather
    can do (:data:`sensorlab.cleaning.SENSOR_RANGES`, :data:`sensorlab.cleaning.SEOUL_RANGES`).
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
