"""Does logging from a notebook work: the background logger stops when asked, the live plot
follows the log, simulated sessions match the simulator's truth, and provenance detects changes?"""

from __future__ import annotations

import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from sensorlab import live  # noqa: E402
from sensorlab.kit.readback import load_log, read_long  # noqa: E402
from sensorlab.kit.simulator import truth_frame  # noqa: E402


def test_background_logger_stops_an_endless_box_on_request(tmp_path):
    # an endless box at 50x speed: only stop() can end this logger
    logger = live.BackgroundLogger("sim://?seed=3&speed=50&engine=diurnal", tmp_path, idle_exit=None).start()
    deadline = time.monotonic() + 60
    while live.read_latest(tmp_path).empty and time.monotonic() < deadline:
        time.sleep(0.2)
    assert logger.running
    stats = logger.stop()
    assert not logger.running
    assert stats["lines"] > 0
    assert len(read_long(tmp_path).drop_duplicates(["boot_id", "seq"])) == stats["lines"]
    events = pd.read_csv(tmp_path / "events.csv")
    assert events["event"].iloc[-1] == "stop"


def test_background_logger_as_context_manager_and_twice_started(tmp_path):
    with live.BackgroundLogger("sim://?seed=4&speed=0&duration=20&engine=diurnal", tmp_path, idle_exit=0.5) as logger:
        with pytest.raises(RuntimeError, match="already running"):
            logger.start()
        assert logger.wait(timeout=60)
    assert not logger.running and logger.stats["rejects"] == 0


def test_logger_errors_are_raised_by_stop_not_lost_in_the_thread(tmp_path):
    logger = live.BackgroundLogger(None, tmp_path).start()   # no port and no USB ids
    logger.wait(timeout=10)
    with pytest.raises(ValueError, match="PORT"):
        logger.stop()


def test_read_latest_is_empty_before_the_first_line(tmp_path):
    table = live.read_latest(tmp_path)
    assert table.empty and list(table.columns)[:3] == ["timestamp", "site_id", "boot_id"]


def test_draw_live_marks_untrusted_readings_hollow():
    t = pd.DataFrame({"timestamp": pd.date_range("2025-01-06", periods=4, freq="s", tz="UTC"),
                      "site_id": "b", "boot_id": 1, "seq": [1, 2, 3, 4],
                      "status": ["warmup", "warmup", "ok", "ok"], "pm25": [0.0, 3.0, 12.0, 13.0],
                      "temperature": np.nan, "uptime_ms": [1000, 3000, 31000, 33000]})
    fig = live.draw_live(t, quantities=("pm25",), lang="en")
    ax = fig.axes[0]
    ok_line, warm_line = ax.lines[0], ax.lines[1]
    assert list(ok_line.get_ydata()) == [12.0, 13.0] and list(warm_line.get_ydata()) == [0.0, 3.0]
    assert warm_line.get_markerfacecolor() == "none"
    assert ax.get_xlabel().startswith("Minutes since")
    plt.close("all")


def test_live_plot_follows_the_log_until_the_logger_stops(tmp_path):
    logger = live.BackgroundLogger("sim://?seed=1&speed=0&duration=60&engine=diurnal", tmp_path, idle_exit=0.5).start()
    start = time.monotonic()
    table = live.live_plot(logger, seconds=60, every=0.3, static=True)
    assert time.monotonic() - start < 45  # returned when the logger stopped, not after 60 s
    logger.stop()
    assert len(table) == len(load_log(tmp_path).readings)
    assert table["uptime_ms"].notna().all() and table["uptime_ms"].max() < 60_000
    plt.close("all")


def test_record_simulation_logs_exactly_the_lines_the_truth_says_arrive(tmp_path):
    faults = "bad_checksum:0.02,dropped_byte:0.02,truncated_number:0.02,power_loss:4"
    counts = live.record_simulation(tmp_path, seed=9, hours=0.25, faults=faults)
    truth = truth_frame(seed=9, faults=faults, duration_s=900, engine="diurnal")
    arrived = truth[truth["sent"]]
    assert counts["lines"] == int(arrived["valid"].sum())
    rejects = pd.read_csv(tmp_path / "rejects.csv")
    assert sorted(rejects["reason"]) == sorted(arrived.loc[~arrived["valid"], "reason"])
    events = pd.read_csv(tmp_path / "events.csv")
    assert (events["event"] == "reboot").sum() == truth["boot_id"].nunique() - 1
    long = read_long(tmp_path)
    # stamped with simulated time: the session spans the 15 simulated minutes from the start
    assert long["timestamp"].min() >= pd.Timestamp("2025-01-06T00:00:00Z")
    assert long["timestamp"].max() <= pd.Timestamp("2025-01-06T00:15:00Z")


def test_record_simulation_logs_unplugs_as_disconnect_and_reconnect(tmp_path):
    live.record_simulation(tmp_path, seed=2, hours=1, faults="unplug:6")
    events = pd.read_csv(tmp_path / "events.csv")["event"].tolist()
    assert events.count("disconnect") == events.count("reconnect") > 0


def test_simulated_log_is_sensor_data_with_uptime_and_status_as_columns():
    from sensorlab.datasets.base import SensorData

    data = live.simulated_log(seed=1, hours=0.1)
    assert isinstance(data, SensorData)
    log = data.readings
    assert log.columns.tolist() == ["timestamp", "site_id", "boot_id", "seq", "uptime_ms", "status", "pm25",
                                    "pm10", "temperature", "humidity"]
    assert str(log["timestamp"].dt.tz) == "Asia/Seoul"
    assert log["timestamp"].is_monotonic_increasing
    assert (log.loc[log["status"] == "warmup", "uptime_ms"] < 31_000).all()
    assert data.sites["site_id"].tolist() == ["sim-01"] and data.quantities == ["pm25", "pm10", "temperature",
                                                                                "humidity"]
    assert {"start", "connect", "stop"} <= set(data.events["event"])


def test_station_box_breathes_the_station_air():
    from sensorlab.datasets import load_city

    city = load_city()
    box = live.StationBox(city, "ref-101", "2024-03-04", seed=1, period_s=300)
    truth = city.truth[city.truth["site_id"] == "ref-101"].set_index("timestamp")
    at = pd.Timestamp("2024-03-04 05:00", tz="Asia/Seoul")
    seconds = (at - pd.Timestamp("2024-03-04", tz="Asia/Seoul")).total_seconds()
    assert box.truth_at(seconds)["pm25"] == pytest.approx(truth.loc[at, "pm25"])
    log = live.simulated_log(box=box, hours=12).readings
    hourly = log[log["status"] == "ok"].set_index("timestamp")["pm25"].resample("1h").mean()
    station = truth["pm25"].reindex(hourly.index)
    assert hourly.corr(station) > 0.8  # same air, a different (noisier, biased) instrument
    with pytest.raises(KeyError, match="ref-999"):
        live.StationBox(city, "ref-999", "2024-03-04")


def test_provenance_records_the_source_and_detects_a_changed_byte(tmp_path):
    live.record_simulation(tmp_path, seed=5, hours=0.05)
    before = live.provenance(tmp_path)
    assert before["port"].startswith("simulation seed=5")
    assert before["first_utc"] == "2025-01-06T00:00:00Z" and before["last_utc"].startswith("2025-01-06T00:02")
    assert before["boots"] == [1] and before["nodes"] == ["sim-01"]
    day = tmp_path / "2025-01-06.csv"
    data = bytearray(day.read_bytes())
    data[-5] = ord("9") if data[-5] != ord("9") else ord("8")
    day.write_bytes(bytes(data))
    after = live.provenance(tmp_path)
    assert after["sha256"]["2025-01-06.csv"] != before["sha256"]["2025-01-06.csv"]
    assert after["sha256"]["events.csv"] == before["sha256"]["events.csv"]
