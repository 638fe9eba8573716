"""The 25 reference stations of the synthetic city alone, generated with a small memory peak.

Module 07 forecasts from four synthetic years of the stations' city-mean daily values. Asking
:func:`~sensorlab.datasets.city.make_city` for them builds every quantity's truth, labels and
two million-row tables before a single daily mean is taken (about 290 MB of live arrays, 600 MB
of kernel for a lesson). :func:`station_readings` draws the same random numbers in the same
order -- with ``street_per_district=0`` the street sensors draw nothing -- and keeps only the
stations' readings, so its values equal ``make_city(seed, start, end, freq,
street_per_district=0).readings`` bit for bit (``tests/test_forecast.py`` checks it, so a change
to the generator that breaks the equality is caught).

Examples
--------
>>> clock, site_ids, readings = station_readings(5, "2024-01-01", "2024-01-02")
>>> clock.n, site_ids[:2], readings["pm25"].shape, str(readings["pm25"].dtype)
(48, ['ref-101', 'ref-102'], (25, 48), 'float32')
"""

from __future__ import annotations

import numpy as np

from sensorlab.datasets.base import stations
from sensorlab.datasets.city_layout import REFERENCE_QUANTITIES, check_city_arguments, city_sites
from sensorlab.datasets.city_clock import Clock
from sensorlab.datasets.city_pollution import city_pollution
from sensorlab.datasets.city_sensors import TRUTH_RESOLUTION, quantize, reference_readings
from sensorlab.datasets.city_weather import HEAT_ISLAND, city_weather


def station_readings(seed: int, start, end, freq: str = "1h") -> tuple[Clock, list[str], dict[str, np.ndarray]]:
    """Readings of the reference stations, as ``make_city(..., street_per_district=0)`` makes them.

    Parameters
    ----------
    seed : int
    start, end : str or Timestamp
        First and last day (inclusive), Seoul time.
    freq : str
        Sampling interval.

    Returns
    -------
    clock : Clock
        The time steps.
    site_ids : list of str
        The stations, in the order of the arrays' rows.
    readings : dict of str to numpy.ndarray
        One float32 array ``(n_stations, n_steps)`` per quantity of
        :data:`~sensorlab.datasets.city.REFERENCE_QUANTITIES` (NaN in gaps).
    """
    check_city_arguments(seed)
    clock = Clock.build(start, end, freq)
    # Rows in the order make_city puts the sites in (sorted ids), filled row by row from the
    # station table, exactly as ``city._simulate`` assigns them.
    site_ids = city_sites(0, seed)["site_id"].tolist()
    rng = np.random.default_rng(int(seed))
    ref = stations()
    codes = ref["station_code"].to_numpy()
    weather = city_weather(rng, clock, len(ref), np.array([HEAT_ISLAND[c] for c in codes]))
    fields = {q: weather.pop(q) for q in ("temperature", "humidity", "wind_speed")}
    pollution = city_pollution(rng, clock, ref["lat"].to_numpy(), ref["lon"].to_numpy(),
                               weather["wind_anomaly_daily"],
                               humidity_anomaly_daily=weather["humidity_anomaly_daily"])
    del weather
    fields.update((q, pollution.pop(q)) for q in ("pm25", "pm10", "no2", "o3"))
    del pollution
    # Quantize one field at a time and drop its float64 original before the next.
    truth = {}
    for q in REFERENCE_QUANTITIES:
        truth[q] = quantize(fields.pop(q), TRUTH_RESOLUTION[q])
    values, labels = reference_readings(rng, truth, clock)
    del truth, labels
    return clock, site_ids, {q: values[q] for q in REFERENCE_QUANTITIES}
