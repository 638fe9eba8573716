"""The physical truth a simulated box measures: clean Seoul PM2.5, PM10, temperature and humidity.

:func:`hourly_truth` returns clean hourly values from the bundled synthetic city
(``sensorlab.datasets.city.make_city``) when it is available, and otherwise from the small
diurnal model below (Seoul monthly means, morning and evening traffic peaks in PM, a
minimum of temperature near sunrise, humidity in anti-phase, multi-day haze episodes in
the cold season). :class:`TruthModel` interpolates those hours to any second and adds
the minute-scale wobble a real street has.

Examples
--------
>>> model = TruthModel.build(seed=1, start="2025-01-06T00:00:00Z", hours=3)
>>> model.source in ("city", "diurnal")
True
>>> v = model.at(1800.0)
>>> sorted(v), 0 <= v["humidity"] <= 100
(['humidity', 'pm10', 'pm25', 'temperature'], True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

QUANTITIES = ("pm25", "pm10", "temperature", "humidity")

# Seoul monthly means, January..December (AirKorea city means and KMA normals, rounded).
_PM25_MONTH = [33, 35, 34, 26, 22, 20, 17, 14, 14, 17, 23, 29]
_T_MONTH = [-2.4, 0.4, 5.7, 12.5, 17.8, 22.2, 24.9, 25.7, 21.2, 14.8, 7.2, 0.4]
_RH_MONTH = [58, 57, 58, 59, 64, 71, 80, 78, 72, 65, 62, 60]
_T_RANGE = [7.8, 8.6, 9.6, 10.2, 9.8, 8.2, 6.6, 7.2, 8.4, 9.8, 9.0, 7.6]


def _diurnal_truth(seed: int, start: pd.Timestamp, hours: int) -> pd.DataFrame:
    """Own small model: monthly means x diurnal shapes x AR(1) weather and haze episodes."""
    rng = np.random.default_rng([seed, 7331])
    times = start + pd.to_timedelta(np.arange(hours), unit="h")
    kst = times.tz_convert("Asia/Seoul")
    month = kst.month.to_numpy() - 1
    hour = kst.hour.to_numpy() + kst.minute.to_numpy() / 60
    day = np.arange(hours) / 24.0

    def ar1(phi, sd):  # day-to-day weather memory, sampled hourly
        out, x = np.empty(hours), 0.0
        for i in range(hours):
            x = phi * x + sd * math.sqrt(1 - phi * phi) * rng.standard_normal()
            out[i] = x
        return out

    t_month = np.take(_T_MONTH, month)
    t_range = np.take(_T_RANGE, month)
    # minimum near sunrise (06 h), maximum mid-afternoon (15 h)
    shape = np.cos((hour - 15.0) / 24.0 * 2 * math.pi)
    temperature = t_month + 0.5 * t_range * shape + ar1(0.995, 2.5)
    rh = np.take(_RH_MONTH, month) - 12.0 * shape + ar1(0.99, 10.0)
    humidity = np.clip(rh, 15.0, 99.0)
    # traffic peaks at 08 h and 21 h KST, a dip in the afternoon when the mixing layer is deep
    traffic = (1.0 + 0.25 * np.exp(-0.5 * ((hour - 8.5) / 1.5) ** 2)
               + 0.2 * np.exp(-0.5 * ((hour - 21.0) / 2.0) ** 2)
               - 0.15 * np.exp(-0.5 * ((hour - 15.0) / 2.5) ** 2))
    cold = np.isin(month, [0, 1, 2, 10, 11])
    haze = 1.0 + np.where(cold, 1.2, 0.3) * np.clip(ar1(0.997, 1.0), 0, None)
    pm25 = np.take(_PM25_MONTH, month) * traffic * haze * np.exp(ar1(0.97, 0.25))
    # coarse dust adds to PM10; spring (Mar-May) has Asian dust
    ratio = np.where(np.isin(month, [2, 3, 4]), 0.45, 0.6) + 0.05 * np.sin(day)
    pm10 = pm25 / ratio
    return pd.DataFrame({"timestamp": times, "pm25": pm25, "pm10": pm10,
                         "temperature": temperature, "humidity": humidity})


def _city_truth(seed: int, start: pd.Timestamp, hours: int) -> pd.DataFrame:
    """Clean hourly values for one street site of the synthetic city (raises if unavailable)."""
    from sensorlab.datasets.city import make_city  # lands with the synthetic-city part

    end = start + pd.Timedelta(hours=hours)
    city = make_city(seed=seed, start=start.tz_convert("Asia/Seoul").floor("D").tz_localize(None),
                     end=end.tz_convert("Asia/Seoul").ceil("D").tz_localize(None),
                     freq="h", street_per_district=1)
    truth = city.truth
    ids = sorted(truth["site_id"].unique())
    site = next((s for s in ids if s.startswith("sdot-")), ids[0])  # a street sensor's air
    one = truth[truth["site_id"] == site].copy()
    one["timestamp"] = pd.to_datetime(one["timestamp"]).dt.tz_convert("UTC")
    one = one.set_index("timestamp").sort_index()
    grid = start + pd.to_timedelta(np.arange(hours), unit="h")
    one = one[list(QUANTITIES)].astype(float).reindex(grid, method="nearest")
    if one.isna().any().any():
        raise ValueError("city truth does not cover the simulated span")
    return one.rename_axis("timestamp").reset_index()


def hourly_truth(seed: int, start, hours: int, engine: str = "auto") -> tuple[pd.DataFrame, str]:
    """Clean hourly ``pm25, pm10, temperature, humidity`` from ``start`` (UTC) for ``hours``.

    Parameters
    ----------
    engine : {"auto", "city", "diurnal"}
        ``"auto"`` uses the synthetic city when it can, else the diurnal model.

    Returns
    -------
    (DataFrame, str)
        The table (``timestamp`` in UTC) and the engine used, ``"city"`` or ``"diurnal"``.
    """
    start = pd.Timestamp(start)
    start = start.tz_localize("UTC") if start.tzinfo is None else start.tz_convert("UTC")
    hours = max(2, int(math.ceil(hours)) + 1)
    if engine in ("auto", "city"):
        try:
            return _city_truth(seed, start, hours), "city"
        except Exception:  # noqa: BLE001 - any failure of the optional engine falls back
            if engine == "city":
                raise
    return _diurnal_truth(seed, start, hours), "diurnal"


@dataclass
class TruthModel:
    """Clean values at any second since ``start``: hourly truth, interpolated, plus wobble."""

    table: pd.DataFrame
    source: str
    phases: np.ndarray

    def __post_init__(self):
        self._arrays = {q: self.table[q].to_numpy(dtype=float) for q in QUANTITIES}

    @classmethod
    def build(cls, seed: int, start, hours: float, engine: str = "auto") -> TruthModel:
        table, source = hourly_truth(seed, start, hours, engine)
        phases = np.random.default_rng([seed, 99]).uniform(0, 2 * math.pi, size=8)
        return cls(table=table, source=source, phases=phases)

    def at(self, t: float) -> dict[str, float]:
        """Clean values ``t`` seconds after the start (clamped to the table's span)."""
        h = min(max(t / 3600.0, 0.0), len(self.table) - 1.000001)
        i, frac = int(h), h - int(h)
        row = {q: float((1 - frac) * a[i] + frac * a[i + 1]) for q, a in self._arrays.items()}
        p = self.phases
        # street-scale wobble (passing buses, gusts): minutes, a few percent
        wob = math.sin(t / 173.0 + p[0]) + 0.6 * math.sin(t / 61.0 + p[1])
        row["pm25"] *= 1 + 0.08 * wob
        row["pm10"] *= 1 + 0.10 * (math.sin(t / 151.0 + p[2]) + 0.5 * wob)
        row["temperature"] += 0.15 * math.sin(t / 311.0 + p[3])
        row["humidity"] = min(100.0, max(0.0, row["humidity"] + 0.8 * math.sin(t / 257.0 + p[4])))
        return row
