"""Every dataset of the curriculum, in one tidy schema.

Three families, named as scikit-learn names its own:

- ``load_*``: bundled with the package, no network (``load_city``).
- ``fetch_*``: the city's real files, verified by sha256 (``fetch_sdot_daily``,
  ``fetch_sdot_hourly_sample``, ``fetch_sdot_sites``, ``fetch_station_daily``,
  ``fetch_seoul_bike``), read from the cache that ``sensorlab data fetch`` fills once
  (:mod:`sensorlab.datasets.real_cache`), else from a mirror folder (``SENSORLAB_DATA_MIRROR``),
  else downloaded from the publisher's versioned address.
- ``make_*``: synthetic, always seeded (``make_city``).
- ``read_sdot_csv``: a student's own S-DoT export (CP949 or UTF-8, daily, hourly or weekly).

Each returns a :class:`~sensorlab.datasets.base.SensorData`.
"""

from __future__ import annotations

import importlib

from sensorlab.datasets.base import NAMES_KO, SEOUL_TZ, UNITS, SensorData, stations

# Imported on first use, so ``import sensorlab.datasets`` stays fast in every notebook.
_LAZY = {
    "load_city": "sensorlab.datasets.city",
    "make_city": "sensorlab.datasets.city",
    "fetch_sdot_daily": "sensorlab.datasets.real",
    "fetch_sdot_hourly_sample": "sensorlab.datasets.real",
    "fetch_sdot_sites": "sensorlab.datasets.real",
    "fetch_station_daily": "sensorlab.datasets.real",
    "fetch_seoul_bike": "sensorlab.datasets.real",
    "read_sdot_csv": "sensorlab.datasets.readers",
}

__all__ = ["NAMES_KO", "SEOUL_TZ", "UNITS", "SensorData", "stations", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sensorlab.datasets' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
