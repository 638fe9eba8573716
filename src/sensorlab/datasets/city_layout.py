"""What the synthetic city is made of: its quantities, its sites, and the bundled year's seed.

Constants and the sites table shared by the generator (:mod:`sensorlab.datasets.city`), the
bundle on disk (:mod:`sensorlab.datasets.city_bundle_files`), the selection of a part
(:mod:`sensorlab.datasets.city_select`) and the stations (:mod:`sensorlab.datasets.city_stations`).
It sits below all of them, so none of them imports another to learn what the city holds.

Examples
--------
>>> QUANTITIES[:2], len(city_sites(1))
(['pm25', 'pm10'], 50)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sensorlab.datasets.base import SITE_COLUMNS, stations

#: Bump when the generator's output changes (the bundled year must then be rebuilt).
GENERATOR_VERSION = 4
#: Seed and parameters of the bundled year (``load_city``).
BUNDLED_SEED = 2024
BUNDLED_PARAMS = {"start": "2024-01-01", "end": "2024-12-31", "freq": "1h", "street_per_district": 4}

QUANTITIES = ["pm25", "pm10", "temperature", "humidity", "noise", "illuminance", "uv", "wind_speed",
              "no2", "o3"]
STREET_QUANTITIES = ["pm25", "pm10", "temperature", "humidity", "noise", "illuminance", "uv", "wind_speed"]
REFERENCE_QUANTITIES = ["pm25", "pm10", "no2", "o3", "temperature", "humidity", "wind_speed"]

ATTRIBUTION = ("Synthetic data made by sensorlab.datasets.make_city (not measurements). Calibrated to "
               "Seoul Metropolitan Government daily station data 2014-2022 (Seoul Open Data Plaza "
               "OA-2218), S-DoT daily data 2020 (seoul-iotdata/SDOT) and the UCI Seoul Bike weather "
               "(CC BY 4.0, doi:10.24432/C5F62R).")

_BBOX = (37.44, 37.69, 126.81, 127.18)


def check_city_arguments(seed, street_per_district: int = 0) -> None:
    """Raise :class:`~sensorlab.errors.ArgumentError` naming ``seed`` or ``street_per_district``
    when it is not a whole number the city can use (a seed of 0 or more; 0-99 sensors, as the
    site ids have two digits), before anything is drawn.

    Examples
    --------
    >>> check_city_arguments(2024, 4)
    >>> check_city_arguments(-1)
    Traceback (most recent call last):
    ...
    sensorlab.errors.ArgumentError: make_city: seed=-1 is not a whole number 0 or more; give one like seed=2024
    """
    from numbers import Integral

    from sensorlab import messages
    from sensorlab.errors import ArgumentError

    def whole(value, low, high=None) -> bool:
        return (isinstance(value, Integral) and not isinstance(value, bool) and value >= low
                and (high is None or value <= high))

    if not whole(seed, 0):
        raise ArgumentError(messages.text("datasets.city_bad_seed", value=repr(seed)))
    if not whole(street_per_district, 0, 99):
        raise ArgumentError(messages.text("datasets.city_bad_count", value=repr(street_per_district)))


def city_sites(street_per_district: int = 4, seed: int = 0) -> pd.DataFrame:
    """The sites table: 25 reference stations and ``street_per_district`` street sensors each.

    ``sdot-<code>-01`` stands 5-300 m from station ``ref-<code>`` (co-located, as in the real
    network); the others are spread over the district (SD about 1 km, like the real sensors).

    Examples
    --------
    >>> s = city_sites(2)
    >>> s.groupby("kind").size().to_dict()
    {'reference': 25, 'street': 50}
    """
    rng = np.random.default_rng([seed, 101])
    ref = stations()
    rows = []
    for r in ref.itertuples():
        for k in range(1, street_per_district + 1):
            if k == 1:
                dist_m, angle = rng.uniform(5.0, 300.0), rng.uniform(0, 2 * np.pi)
                dlat, dlon = dist_m * np.sin(angle) / 111_000.0, dist_m * np.cos(angle) / 88_000.0
            else:
                dlat, dlon = rng.normal(0.0, 0.011, 2)
            rows.append({"site_id": f"sdot-{r.station_code}-{k:02d}", "kind": "street",
                         "district": r.district, "district_ko": r.district_ko,
                         "lat": round(float(np.clip(r.lat + dlat, *_BBOX[:2])), 6),
                         "lon": round(float(np.clip(r.lon + dlon, *_BBOX[2:])), 6),
                         "colocated_with": r.site_id if k == 1 else pd.NA})
    sites = pd.concat([ref[SITE_COLUMNS], pd.DataFrame(rows, columns=SITE_COLUMNS)], ignore_index=True)
    sites["colocated_with"] = sites["colocated_with"].astype("string")
    return sites.sort_values("site_id", ignore_index=True)
