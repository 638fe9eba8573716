"""The station beside the class network (your_data.nearest_station) breathes the boxes' air, and
stats.cycle_ci puts an interval on each hour of a daily cycle (lessons 05.6 and 06.6)."""

import ast
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from sensorlab import calibration
from sensorlab.kit.classnet import record_class
from sensorlab.stats import cycle_ci
from sensorlab.kit.readback import load_log
from sensorlab.your_data import (STATION_FOLDER, TABLES_FOLDER, beside, describe, is_class_network, my_data,
                                 nearest_station)


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


def station_in_fresh_kernel(folder) -> tuple[str, list[str]]:
    """nearest_station in a new process: its readings as CSV text and the city modules it loaded."""
    code = ("import sys\n"
            "from sensorlab.your_data import my_data, nearest_station\n"
            f"station = nearest_station(my_data({str(folder)!r}))\n"
            "print(station.readings.to_csv(index=False))\n"
            "print('LOADED', [m for m in sys.modules if m in ('sensorlab.kit.classnet', 'sensorlab.datasets.city')])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    table, loaded = done.stdout.rsplit("LOADED", 1)
    return table, ast.literal_eval(loaded.strip())


def test_the_station_is_made_once_and_read_back_by_every_later_lesson(network, tmp_path):
    """The first lesson generates the city again and saves the one station's hours beside the
    recording; a later lesson's kernel reads them back without generating (or importing) the city."""
    folder = tmp_path / "class"
    shutil.copytree(network, folder, ignore=shutil.ignore_patterns(STATION_FOLDER))  # as recorded
    first = nearest_station(my_data(folder))
    assert sorted(p.name.split("-")[0] for p in (folder / STATION_FOLDER).iterdir()) == ["meta", "readings",
                                                                                        "site"]
    table, loaded = station_in_fresh_kernel(folder)
    assert loaded == []
    assert table.strip() == first.readings.to_csv(index=False).strip()


def test_a_folder_it_cannot_save_into_still_gives_the_station(network, tmp_path):
    """A class server's shared cache may refuse the save: the station comes all the same."""
    folder = tmp_path / "class"
    shutil.copytree(network, folder, ignore=shutil.ignore_patterns(STATION_FOLDER))  # as recorded
    (folder / STATION_FOLDER).write_text("not a folder")   # in the way of the save, as a read-only cache is
    station = nearest_station(my_data(folder))
    assert station.sites["site_id"].tolist() == ["ref-101"] and len(station.readings) > 0
    assert (folder / STATION_FOLDER).read_text() == "not a folder"
    assert not list(folder.rglob(".*.parquet-*")) and not list(folder.rglob(".meta.json-*"))


@pytest.mark.parametrize("resample", ["1h", None])
def test_a_recorded_class_network_is_read_once_then_from_its_tables(network, tmp_path, resample):
    """my_data of a class network is load_log's result; the second time it comes from the tables
    saved beside the recording, not from the day files (a lesson no longer pays for the long log)."""
    folder = tmp_path / "class"
    shutil.copytree(network, folder, ignore=shutil.ignore_patterns(TABLES_FOLDER))
    fresh = load_log(folder, resample=resample)
    first = my_data(folder, resample=resample)
    assert sorted(p.name for p in (folder / TABLES_FOLDER).iterdir())[0].startswith("events-")
    again = my_data(folder, resample=resample)
    for log in (first, again):
        pd.testing.assert_frame_equal(log.readings, fresh.readings)
        pd.testing.assert_frame_equal(log.sites, fresh.sites)
        pd.testing.assert_frame_equal(log.events, fresh.events)
        assert (log.name, log.attribution, log.meta) == (fresh.name, fresh.attribution, fresh.meta)
    # the day files are not read again: a table saved with fewer rows is what comes back
    saved = next((folder / TABLES_FOLDER).glob("readings-*.parquet"))
    fresh.readings.head(3).to_parquet(saved)
    assert len(my_data(folder, resample=resample).readings) == 3
