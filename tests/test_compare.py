"""`sensorlab data compare`: the bundled city against the real Seoul files, with stated tolerances."""

from __future__ import annotations

import re

import numpy as np
import pytest

from sensorlab import cli
from sensorlab.datasets import load_city
from sensorlab.datasets.compare import TOLERANCES, Tolerance, compare, real_statistics, within

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def real(real_data_dir):
    return real_statistics()


def test_real_targets_are_the_documented_ones(real):
    # research/data.md §4-5, computed from the same files by the fetchers.
    assert real["PM2.5 monthly mean, Jan (µg/m³)"] == pytest.approx(29.7, abs=0.1)
    assert real["PM2.5 monthly mean, Sep (µg/m³)"] == pytest.approx(10.0, abs=0.1)
    assert real["City daily PM2.5, log-SD"] == pytest.approx(0.62, abs=0.01)
    assert real["City daily PM2.5, lag-1 day autocorrelation"] == pytest.approx(0.68, abs=0.01)
    assert real["Raw co-located street PM2.5 vs station, daily r"] == pytest.approx(0.65, abs=0.01)
    assert real["Network humidity fault, longest run of days with median < 10 %RH"] == 19


def test_cli_compare_prints_every_statistic_and_all_hold(real, capsys):
    status = cli.main(["data", "compare"])
    out = capsys.readouterr().out
    assert "FAIL" not in out, out
    assert status == 0
    for name in TOLERANCES:
        assert name in out
    counted = re.search(r"(\d+) of (\d+) statistics within tolerance", out)
    assert counted and counted.group(1) == counted.group(2) == str(len(TOLERANCES) + 1)


def test_a_broken_city_fails(real):
    city = load_city()
    r = city.readings
    # Doubling the reference PM2.5 must break the monthly climatology ...
    r["pm25"] = np.where(r["site_id"].astype(str).str.startswith("ref-"), r["pm25"] * 2, r["pm25"])
    table = compare(city, real).set_index("statistic")
    assert not table.loc["PM2.5 monthly mean, Jan (µg/m³)", "ok"]
    assert not table["ok"].all()


def test_shuffled_days_lose_their_persistence(real):
    city = load_city()
    r = city.readings
    day = r["timestamp"].dt.normalize()
    days = day.unique()
    rng = np.random.default_rng(0)
    shuffled = dict(zip(days, rng.permutation(days)))
    # Move whole days around (months and weekdays mix up; autocorrelation must vanish).
    r["timestamp"] = day.map(shuffled) + (r["timestamp"] - day)
    table = compare(city, real).set_index("statistic")
    assert not table.loc["City daily PM2.5, lag-1 day autocorrelation", "ok"]


def test_tolerance_kinds():
    assert within(10.0, Tolerance("rel", 0.2), 11.9) == (True, "±20%")
    assert within(10.0, Tolerance("abs_or_rel", 3.0, 0.2), 13.5)[0] is False
    assert within(0.5, Tolerance("range", (0.4, 0.6)), 0.61)[0] is False
    assert within(0.5, Tolerance("abs", 0.1), float("nan"))[0] is False
