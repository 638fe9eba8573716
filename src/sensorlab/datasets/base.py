"""The one shape every dataset in the curriculum comes in.

Whether the data came from the bundled synthetic city, a student's own box, or the
city's real files, a loader returns a :class:`SensorData`: a tidy ``readings`` table
(one row per ``timestamp`` and ``site_id``, one column per quantity), a ``sites``
table, and where known the ``truth`` behind the readings.

Examples
--------
>>> import pandas as pd
>>> ts = pd.to_datetime(["2024-01-01 09:00"]).tz_localize(SEOUL_TZ)
>>> readings = pd.DataFrame({"timestamp": ts, "site_id": ["ref-101"], "pm25": [31.0]})
>>> data = SensorData(readings=readings, sites=stations(), name="tiny")
>>> data
<SensorData 'tiny': 1 readings x 1 quantities, 25 sites>
>>> UNITS["pm25"]
'µg/m³'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

import pandas as pd

SEOUL_TZ = "Asia/Seoul"

#: Every quantity a tidy table may carry, with its unit (DESIGN.md: English snake_case names).
UNITS: dict[str, str] = {
    "pm25": "µg/m³",
    "pm10": "µg/m³",
    "pm25_corrected": "µg/m³",
    "pm10_corrected": "µg/m³",
    "temperature": "°C",
    "humidity": "%RH",
    "noise": "dB(A)",
    "illuminance": "lux",
    "uv": "UV index",
    "wind_speed": "m/s",
    "wind_direction": "°",
    "gust_speed": "m/s",
    "gust_direction": "°",
    "vibration_x": "g",
    "vibration_y": "g",
    "vibration_z": "g",
    "vibration_max": "g",
    "vibration_x_max": "g",
    "vibration_y_max": "g",
    "vibration_z_max": "g",
    "globe_temperature": "°C",
    "no2": "ppm",
    "o3": "ppm",
    "co": "ppm",
    "so2": "ppm",
    "rainfall": "mm",
    "snowfall": "cm",
    "solar_radiation": "MJ/m²",
    "visibility": "10 m",
    "dew_point": "°C",
    "rented_bikes": "bikes/h",
}

#: Korean names for plots and tables in the Korean edition.
NAMES_KO: dict[str, str] = {
    "pm25": "초미세먼지(PM2.5)",
    "pm10": "미세먼지(PM10)",
    "pm25_corrected": "초미세먼지 보정",
    "pm10_corrected": "미세먼지 보정",
    "temperature": "기온",
    "humidity": "상대습도",
    "noise": "소음",
    "illuminance": "조도",
    "uv": "자외선",
    "wind_speed": "풍속",
    "wind_direction": "풍향",
    "no2": "이산화질소",
    "o3": "오존",
    "co": "일산화탄소",
    "so2": "아황산가스",
}

#: How people write the city in front of a district ("서울특별시 마포구", "Seoul Mapo-gu"), longest first.
CITY_NAMES = ("서울특별시", "서울시", "서울", "seoul-si", "seoul city", "seoul")
SITE_COLUMNS = ["site_id", "kind", "district", "district_ko", "lat", "lon", "colocated_with"]


def stations() -> pd.DataFrame:
    """The 25 district reference stations of Seoul's air-quality network.

    Returns
    -------
    pandas.DataFrame
        Columns ``site_id`` (``ref-<code>``), ``kind`` (``"reference"``), ``district``,
        ``district_ko``, ``lat``, ``lon``, ``colocated_with`` (empty), ``station_code``.

    Examples
    --------
    >>> st = stations()
    >>> len(st), st.loc[0, "site_id"], st.loc[0, "district_ko"]
    (25, 'ref-101', '종로구')
    """
    with resources.files("sensorlab.data").joinpath("stations.csv").open(encoding="utf-8") as f:
        table = pd.read_csv(f)
    table.insert(0, "site_id", "ref-" + table["station_code"].astype(str))
    table.insert(1, "kind", "reference")
    table["colocated_with"] = pd.NA
    return table[SITE_COLUMNS + ["station_code"]]


@dataclass
class SensorData:
    """Readings, sites and (for synthetic data) the truth, in the tidy schema.

    Attributes
    ----------
    readings : pandas.DataFrame
        One row per ``(timestamp, site_id)``; ``timestamp`` is timezone-aware (Asia/Seoul);
        one column per quantity, named as in :data:`UNITS`.
    sites : pandas.DataFrame
        One row per site: ``site_id, kind, district, district_ko, lat, lon, colocated_with``.
    truth : pandas.DataFrame or None
        For synthetic data: the clean value of each quantity and a fault label per reading.
    flags : pandas.DataFrame or None
        For real data: per-reading quality flags (sentinel, zero, out of range ...), so
        faults stay visible instead of being dropped.
    events : pandas.DataFrame or None
        For a box's log folder: what happened while logging (connects, reboots, gaps,
        a full disk ...), from the logger's ``events.csv``.
    name : str
        Short name of the dataset.
    attribution : str
        The publisher's attribution line (or how the synthetic data was made).
    """

    readings: pd.DataFrame
    sites: pd.DataFrame
    truth: pd.DataFrame | None = None
    flags: pd.DataFrame | None = None
    events: pd.DataFrame | None = None
    name: str = ""
    attribution: str = ""
    meta: dict = field(default_factory=dict)

    @property
    def quantities(self) -> list[str]:
        """Quantity columns present in ``readings``, in schema order."""
        return [c for c in self.readings.columns if c in UNITS]

    def __repr__(self) -> str:
        return (f"<SensorData {self.name!r}: {len(self.readings)} readings x "
                f"{len(self.quantities)} quantities, {len(self.sites)} sites>")
