"""One data path (issue 15): one container, one ingest, no round trips through text.

- A box's log folder comes back as the city's container (:class:`SensorData`), and goes
  through the same cleaning, calibration and pattern functions as the synthetic city, with
  the same schema.
- The logger and the notebook helpers reach the log through one ingest (:class:`Ingest`).
- One PM2.5 value walks from a PMS5003 frame, through the real firmware, the serial line, the
  ingest and the store, to a lesson's DataFrame, with its digits as the box wrote them.
- Day files of an older logger (status packed into ``flag``) still read.
"""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from sensorlab import calibration, cleaning, live, stats
from sensorlab.datasets import load_city
from sensorlab.datasets.base import SEOUL_TZ, SITE_COLUMNS, SensorData
from sensorlab.kit import frames
from sensorlab.kit.ingest import Ingest
from sensorlab.kit.logstore import LEGACY_COLUMNS, LogStore
from sensorlab.kit.protocol import encode_line, parse_line
from sensorlab.kit.readback import load_log, read_long

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "sensorlab"
KITS = REPO / "kits" / "firmware"


@pytest.fixture(scope="module")
def class_log(tmp_path_factory):
    """A class folder: two boxes beside the Jongno-gu station, three days, and the city part."""
    out = tmp_path_factory.mktemp("class-log")
    city = load_city(["pm25", "pm10", "temperature", "humidity"], sites="ref-101",
                     start="2024-03-04", end="2024-03-07")
    for seed, node in ((1, "school-01"), (2, "school-02")):
        box = live.StationBox(city, "ref-101", "2024-03-04", seed=seed, faults="humidity",
                              period_s=300, node_id=node)
        live.record_simulation(out, box=box, hours=72)
    return out, city


def test_a_log_folder_is_sensor_data_with_status_and_uptime_columns(class_log):
    out, city = class_log
    log = load_log(out)
    assert isinstance(log, SensorData) and isinstance(city, SensorData)
    r = log.readings
    assert r.columns[:6].tolist() == ["timestamp", "site_id", "boot_id", "seq", "uptime_ms", "status"]
    assert str(r["timestamp"].dt.tz) == SEOUL_TZ == str(city.readings["timestamp"].dt.tz)
    assert r["uptime_ms"].dtype == "int64" and (r["uptime_ms"] >= 0).all()
    assert set(r["status"]) <= {"ok", "warmup", "err", "stale"} and (r["status"] == "ok").mean() > 0.9
    assert log.sites.columns.tolist() == SITE_COLUMNS
    assert log.sites["site_id"].tolist() == ["school-01", "school-02"]
    assert set(log.quantities) == set(city.quantities) == {"pm25", "pm10", "temperature", "humidity"}
    assert log.meta["source"].startswith("simulation seed=1")
    assert {"start", "connect", "stop"} <= set(log.events["event"])
    # status and uptime are the line's own, not re-derived: they match the long rows one for one
    long = read_long(out)
    pm = long[long["parameter"] == "pm25_atm"].drop_duplicates(["node_id", "boot_id", "seq"])
    joined = pm.merge(r, left_on=["node_id", "boot_id", "seq"], right_on=["site_id", "boot_id", "seq"])
    assert len(joined) == r["pm25"].notna().sum()
    assert (joined["status_x"] == joined["status_y"]).all()
    assert (joined["uptime_ms_x"] == joined["uptime_ms_y"]).all()


def test_the_box_and_the_city_go_through_the_same_functions(class_log):
    out, city = class_log
    # hourly, as the city: the box sends PM and temperature on lines of their own
    log = load_log(out, resample="1h")
    log.sites["colocated_with"] = "ref-101"  # the class says where its boxes stand
    shared = ["timestamp", "site_id", "pm25", "pm10", "temperature", "humidity"]
    for data in (log, city):
        assert set(shared) <= set(data.readings.columns)
        assert data.readings["pm25"].dtype.kind == "f"
    # cleaning
    for data in (log, city):
        flags = cleaning.flag_all(data.readings, ["pm25", "humidity"], sites=data.sites)
        assert flags.columns.tolist() == ["fault_pm25", "fault_humidity"]
        assert len(flags) == len(data.readings) and (flags["fault_pm25"] == "none").mean() > 0.8
    # patterns
    for data in (log, city):
        by_hour = stats.diurnal_cycle(data.readings, "pm25")
        assert sorted(by_hour.index) == list(range(24))
    # calibration: the boxes against the city's station, as module 06 does with S-DoT units
    pairs = calibration.colocated_pairs(log, reference=city, freq="1h")
    assert set(pairs["site_id"]) == {"school-01", "school-02"} and len(pairs) > 100
    assert set(pairs["reference_id"]) == {"ref-101"}
    fit = calibration.fit_calibration(pairs, features=("pm25_raw", "humidity"))
    predicted = fit.predict(pairs[["pm25_raw", "humidity"]])
    scores = calibration.metrics(pairs["pm25_ref"], predicted)
    raw_scores = calibration.metrics(pairs["pm25_ref"], pairs["pm25_raw"])
    assert scores["rmse"] < raw_scores["rmse"]  # the humid box's error is what calibration removes


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def test_one_ingest_frames_and_checks_for_the_logger_and_the_notebooks():
    users = {p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py")
             if {"sensorlab.kit.framing.LineFramer", "sensorlab.kit.framing.classify"} & _imports(p)}
    assert users == {"kit/ingest.py"}, f"a second framing -> classify -> store loop in {users}"
    for module in ("kit/logger.py", "simulated_session.py"):
        assert "sensorlab.kit.ingest.Ingest" in _imports(SRC / module), module


def test_value_raw_is_the_text_the_parser_kept(tmp_path):
    raw = b"$KIT1,box1,1,5,5000,sht40,ok,t=21.50,rh=40.00*21"
    line = parse_line(raw)
    assert line.texts == {"t": "21.50", "rh": "40.00"} and line.fields == {"t": 21.5, "rh": 40.0}
    store = LogStore(tmp_path)
    assert Ingest(store).feed(raw + b"\n", "2025-01-06T00:00:05.000Z") == 1
    store.close()
    rows = read_long(tmp_path)
    assert rows["value_raw"].tolist() == ["21.50", "40.00"] and rows["status"].tolist() == ["ok", "ok"]


@pytest.fixture
def firmware(monkeypatch):
    """The firmware's modules (and the bench's stand-in ``machine``), as the board imports them."""
    harness = KITS / "test-harness"
    names = ("main", "kit1", "pms5003", "sht40", "bh1750", "boot_counter", "machine", "bench")
    for p in (str(KITS), str(harness / "stand_ins"), str(harness)):
        monkeypatch.syspath_prepend(p)
    for name in names:
        monkeypatch.delitem(sys.modules, name, raising=False)
    mods = {name: importlib.import_module(name) for name in ("main", "bench")}
    yield SimpleNamespace(**mods)
    for name in names:
        sys.modules.pop(name, None)


def test_one_pm25_value_walks_from_the_frame_to_the_lesson_table(firmware, tmp_path, monkeypatch):
    """kits/README.md "The walk of one value": every hop, and the digits arrive unchanged."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(firmware.main, "gc", SimpleNamespace(collect=lambda: 0, mem_free=lambda: 110_000))
    sent = []
    firmware.bench.simulate(firmware.main, str(KITS / "test-harness" / "recordings"), 120, emit=sent.append)
    # hop 1: the frames the sensor sent (the bench's recording of a real PMS5003)
    recording = (KITS / "test-harness" / "recordings" / "pms5003.txt").read_text()
    stream = b"".join(bytes.fromhex(row.split()[1]) for row in recording.splitlines()
                      if row.strip() and not row.startswith("#"))
    decoded, _errors, _rest = frames.scan_frames(stream)
    frame_values = {f["pm25_atm"] for f in decoded}
    # hops 2-6: the firmware's lines; 7-10: the serial bytes into the one ingest and the store
    store = LogStore(tmp_path / "log")
    ingest = Ingest(store)
    kit1 = [line for line in sent if line.startswith("$KIT1")]
    for i, line in enumerate(kit1):
        ingest.feed((line + "\r\n").encode("ascii"), f"2025-01-06T00:{i // 60:02d}:{i % 60:02d}.000Z")
    ingest.end("2025-01-06T01:00:00.000Z")
    store.close()
    assert store.counts["lines"] == len(kit1) and store.counts["rejects"] == 0
    # hops 11-13: load_log, to the lesson's table
    readings = load_log(tmp_path / "log").readings
    pm_lines = [parse_line(x) for x in kit1 if ",pms5003," in x and "pm25_atm=" in x]
    assert pm_lines, "the bench run sent no PM line"
    pm = readings.dropna(subset=["pm25"])
    assert pm["pm25"].tolist() == [x.fields["pm25_atm"] for x in pm_lines]
    assert pm["status"].tolist() == [x.status for x in pm_lines]
    assert pm["uptime_ms"].tolist() == [x.uptime_ms for x in pm_lines]
    assert set(pm["pm25"]) <= frame_values, "a logged PM2.5 that no frame carried"
    long = read_long(tmp_path / "log")
    assert long.loc[long["parameter"] == "pm25_atm", "value_raw"].tolist() == \
        [x.texts["pm25_atm"] for x in pm_lines]


def test_an_older_loggers_day_file_still_reads(tmp_path):
    """Rows from before the status column (status packed in flag), and an upgrade mid-day."""
    old = [encode_line("n1", 1, 1, 1000, "pms5003", "warmup", {"pm25_atm": 900.0, "pm10_atm": 5.0}),
           encode_line("n1", 1, 2, 2000, "sht40", "ok", {"t": 21.5, "rh": 101.0})]
    body = ",".join(LEGACY_COLUMNS) + "\n" + "".join([
        "2025-03-01T00:00:01.000Z,n1,airsense,pms5003,pm25_atm,900,900,µg/m³,1,1,1000,warmup\n",
        "2025-03-01T00:00:01.000Z,n1,airsense,pms5003,pm10_atm,5,5,µg/m³,1,1,1000,warmup\n",
        "2025-03-01T00:00:02.000Z,n1,metsense,sht40,t,21.5,21.5,°C,1,2,2000,\n",
        "2025-03-01T00:00:02.000Z,n1,metsense,sht40,rh,101,101,%RH,1,2,2000,range\n"])
    (tmp_path / "2025-03-01.csv").write_text(body, encoding="utf-8")
    assert all(parse_line(x) for x in old)
    # the new logger appends to the same day file after an upgrade
    store = LogStore(tmp_path)
    Ingest(store).feed(encode_line("n1", 2, 0, 500, "pms5003", "err", {"code": "range", "pm25_atm": 1200.0})
                       .encode(), "2025-03-01T00:00:03.000Z")
    store.close()
    long = read_long(tmp_path)
    assert long["status"].tolist() == ["warmup", "warmup", "ok", "ok", "err", "err"]
    assert long["flag"].tolist() == ["", "", "", "range", "", "range"]
    readings = load_log(tmp_path).readings
    assert readings["status"].tolist() == ["warmup", "ok", "err"]
    assert readings["uptime_ms"].tolist() == [1000, 2000, 500]
    assert pd.isna(readings.loc[1, "pm25"]) and readings.loc[1, "humidity"] == 101.0


# -- a day file a classroom accident damaged ------------------------------------------------

@pytest.fixture(scope="module")
def box_log(tmp_path_factory):
    """Ten simulated minutes of one box, logged by the real logger."""
    from sensorlab.kit.logger import run_logger

    out = tmp_path_factory.mktemp("box-log")
    run_logger("sim://?seed=4&speed=0&duration=600", str(out), quiet=True, idle_exit=0.3)
    return out


def _damaged_copy(box_log: Path, tmp_path: Path, damage) -> Path:
    import shutil

    copy = tmp_path / "log"
    shutil.copytree(box_log, copy)
    day = sorted(copy.glob("20*.csv"))[-1]
    day.write_bytes(damage(day.read_bytes()))
    return copy


def _row_at(data: bytes, n: int) -> tuple[int, int]:
    """Start and end (newline) offsets of row ``n`` (0 is the header)."""
    start = 0
    for _ in range(n):
        start = data.index(b"\n", start) + 1
    return start, data.index(b"\n", start)


def test_a_power_cut_inside_the_last_row_costs_only_that_row(box_log, tmp_path):
    """The last row cut off in its uptime_ms (power cut while writing): no reading of a
    made-up uptime and empty status, a warning naming the file instead."""
    whole = read_long(box_log)
    cut = _damaged_copy(box_log, tmp_path, lambda data: data[:-9])
    with pytest.warns(UserWarning, match=r"\d{4}-\d\d-\d\d\.csv: skipped 1 broken row"):
        long = read_long(cut)
    pd.testing.assert_frame_equal(long, whole.iloc[:-1])
    assert set(load_log(cut).readings["status"]) <= {"ok", "warmup", "err", "boot"}


@pytest.mark.parametrize("stray", [b"\x00", b"\xff\xfe"], ids=["nul", "not-utf8"])
def test_a_stray_byte_costs_only_its_row(box_log, tmp_path, stray):
    """A NUL or a byte that is not UTF-8 inside a row (an SD card's damage, a file saved in
    another encoding): its row is skipped with a warning, no made-up box, no traceback."""
    whole = read_long(box_log)

    def damage(data):
        start, end = _row_at(data, 40)
        return data[:start + 27] + stray + data[start + 27:]  # inside the node id
    damaged = _damaged_copy(box_log, tmp_path, damage)
    with pytest.warns(UserWarning, match=r"skipped 1 broken row.*rows 41"):
        long = read_long(damaged)
    pd.testing.assert_frame_equal(long, whole.drop(index=39).reset_index(drop=True))
    assert load_log(damaged).sites["site_id"].tolist() == ["sim-01"]


def test_an_events_file_with_a_byte_that_is_not_utf8_still_reads(box_log, tmp_path):
    import shutil

    copy = tmp_path / "log"
    shutil.copytree(box_log, copy)
    with open(copy / "events.csv", "ab") as f:
        f.write(b"2025-01-06T00:00:00.000Z,stop,,,,caf\xe9 stopped\n")
    events = load_log(copy).events
    assert events["event"].iloc[-1] == "stop" and events["detail"].iloc[-1].startswith("caf")


def test_an_older_logger_appending_to_a_new_day_file_reads(tmp_path):
    """Two laptops log into one shared folder on the same day, one with an older sensorlab:
    its rows (no status column) follow the new logger's header and rows in the same file."""
    store = LogStore(tmp_path)
    Ingest(store).feed(encode_line("n1", 2, 0, 500, "sht40", "ok", {"t": 21.0, "rh": 40.0})
                       .encode(), "2025-03-01T00:00:01.000Z")
    store.close()
    with open(tmp_path / "2025-03-01.csv", "a", encoding="utf-8") as f:
        f.write("2025-03-01T00:00:02.000Z,n2,metsense,sht40,t,21.5,21.5,°C,1,2,2000,\n"
                "2025-03-01T00:00:02.000Z,n2,metsense,sht40,rh,101,101,%RH,1,2,2000,range\n"
                "2025-03-01T00:00:03.000Z,n2,airsense,pms5003,pm25_atm,900,900,µg/m³,1,3,3000,"
                "warmup;range\n")
    long = read_long(tmp_path)
    assert long["status"].tolist() == ["ok", "ok", "ok", "ok", "warmup"]
    assert long["flag"].tolist() == ["", "", "", "range", "range"]
    readings = load_log(tmp_path).readings
    assert readings[["site_id", "seq", "status"]].values.tolist() == [
        ["n1", 0, "ok"], ["n2", 2, "ok"], ["n2", 3, "warmup"]]
    assert readings.loc[1, "humidity"] == 101.0 and readings.loc[1, "temperature"] == 21.5
