"""The station beside the class network (your_data.nearest_station) breathes the boxes' air, and
stats.cycle_ci puts an interval on each hour of a daily cycle (lessons 05.6 and 06.6)."""

import shutil

import numpy as np
import pandas as pd
import pytest

from sensorlab import calibration
from sensorlab.kit.classnet import record_class
from sensorlab.stats import cycle_ci
from sensorlab.your_data import beside, describe, is_class_network, my_data, nearest_station


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    record_class(folder, boxes=2, weeks=0.5, seed=4)
    return folder


def test_the_station_measures_the_air_the_boxes_breathe(network):
    log = my_data(network)
    station = nearest_station(log)
    assert station.sites["site_id"].tolist() == ["ref-101"]
    assert station.readings["timestamp"].min() >= log.readings["timestamp"].min()
    assert station.readings["timestamp"].max() <= log.readings["timestamp"].max()
    pairs = calibration.colocated_pairs(beside(log, station), reference=station, freq="1h")
    # regenerated for another period, the city's weather differs and r falls far below this
    for box, rows in pairs.groupby("site_id"):
        assert rows["pm25_raw"].corr(rows["pm25_ref"]) > 0.8, box


def test_a_box_log_of_ones_own_has_no_station_and_says_why(network, tmp_path, capsys):
    own = tmp_path / "my-box"
    shutil.copytree(network, own)
    (own / "simulation.json").unlink()
    log = my_data(own)
    assert not is_class_network(log)
    assert nearest_station(log) is None
    assert "AirKorea" in capsys.readouterr().out
    assert describe(log).startswith("Your own log my-box: 2 box(es)")


def test_cycle_ci_resamples_days_per_hour_and_weekday():
    ts = pd.date_range("2025-03-03", periods=24 * 21, freq="1h", tz="Asia/Seoul")
    noise = np.random.default_rng(1).normal(0, 1, len(ts))
    readings = pd.DataFrame({"timestamp": ts, "site_id": "a", "pm25": 10 + 5 * (ts.day_of_week == 6) + noise})
    week = cycle_ci(readings, "pm25", period="weekday", n=300)
    assert week["days"].tolist() == [3] * 7
    assert week["mean"].idxmax() == 6 and week.loc[6, "low"] > week.loc[0:5, "high"].max()
    hours = cycle_ci(readings.iloc[:30], "pm25", n=100)   # 30 hours: hours 6-23 have one day only
    assert hours.loc[0, "days"] == 2 and np.isnan(hours.loc[12, "low"])
    with pytest.raises(ValueError, match="period"):
        cycle_ci(readings, "pm25", period="month")
    with pytest.raises(KeyError, match="no column 'pm10'"):
        cycle_ci(readings, "pm10")
