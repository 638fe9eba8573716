"""The numbers the repository README states (README.md, README.ko.md), computed from the package."""

from __future__ import annotations

from functools import cache

from sensorlab.datasets import load_city
from sensorlab.datasets.real import SDOT_SENSORS_2020
from tools.stated_numbers import plain, states


@cache
def sites():
    return load_city("pm25", truth=False).sites


@states("../README", "the {} district reference\nstations at their real coordinates and {} low-cost street sensors")
def city_sites():
    kinds = sites()["kind"].value_counts()
    return int(kinds["reference"]), int(kinds["street"])


@states("../README", "(S-DoT 2020 daily, {} sensors; Seoul Open Data Plaza OA-15969)")
def sdot_sensors():
    return SDOT_SENSORS_2020


plain("../README", "CC BY 4.0", "1분쯤", "2014–2022년", "2020년", "1년")
