"""The data the checkers compute expected answers from, loaded once per session."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def city():
    """The bundled synthetic city (the same one every lesson loads with ``load_city()``)."""
    from sensorlab.datasets import load_city

    return load_city()


@lru_cache(maxsize=1)
def readings_with_sites():
    """``city().readings`` joined with each site's kind and district."""
    data = city()
    return data.readings.merge(data.sites[["site_id", "kind", "district"]], on="site_id", how="left")
