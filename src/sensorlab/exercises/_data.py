"""The data the checkers compute expected answers from, loaded once per session."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def city():
    """The bundled synthetic city (the same one every lesson loads with ``load_city()``)."""
    from sensorlab.datasets import load_city

    return load_city()


@lru_cache(maxsize=1)
def readings():
    """The city's readings with impossible values hidden, as module 03 uses them."""
    from sensorlab.explore import plausible

    return plausible(city().readings)


@lru_cache(maxsize=1)
def readings_with_sites():
    """:func:`readings` joined with each site's kind and district."""
    return readings().merge(city().sites[["site_id", "kind", "district"]], on="site_id", how="left")
