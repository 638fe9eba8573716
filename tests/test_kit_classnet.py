"""A class network without hardware: boxes at a school, weeks, one folder the log reader reads."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from sensorlab.datasets.city_sensors import GAIN_QUANTILES
from sensorlab.kit.classnet import class_log, class_units, record_class
from sensorlab.kit.logstore import day_files
from sensorlab.kit.readback import load_log, read_long


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    """A week of the default class (8 boxes) at the default school."""
    out = tmp_path_factory.mktemp("class")
    counts = record_class(out, boxes=8, weeks=1, seed=3)
    return out, counts, json.loads((out / "simulation.json").read_text())


def test_the_folder_reads_back_per_box_with_the_log_reader(week):
    out, counts, sim = week
    wide = load_log(out).readings
    assert sorted(wide["site_id"].unique()) == [f"class-{i:02d}" for i in range(1, 9)]
    assert {"pm25", "pm10", "temperature", "humidity", "status"} <= set(wide.columns)
    assert counts["rejects"] > 0 and counts["lines"] > 8 * 2 * 7 * 24 * 12 * 0.8
    period = sim["report_s"]
    long = read_long(out)
    pm = long[long["sensor"] == "pms5003"].drop_duplicates(["node_id", "boot_id", "seq"])
    for unit in sim["units"]:
        box = wide[wide["site_id"] == unit["node_id"]]
        on = 7 * 86400 - sum(b - a for a, b in unit["outages_s"])
        pm_lines = int((pm["node_id"] == unit["node_id"]).sum())
        # one PM line per report while the box had power (a few lost to wire faults)
        assert 0.95 * on / period - 2 <= pm_lines <= on / period + 1, unit["node_id"]
        # nothing logged while a box had no power; it booted again afterwards
        stamps = (box["timestamp"].dt.tz_convert("UTC") - pd.Timestamp("2025-03-02T15:00Z"))
        seconds = stamps.dt.total_seconds()
        for a, b in unit["outages_s"]:
            assert not ((seconds > a + period) & (seconds < b)).any(), (unit["node_id"], a, b)
    events = pd.read_csv(out / "events.csv")
    assert {"start", "stop"} <= set(events["event"])
    nodes = pd.read_csv(out / "nodes.csv")
    assert nodes["node_id"].tolist() == [u["node_id"] for u in sim["units"]]
    # within about 100 m of the school
    assert (np.hypot(nodes["lat"] - sim["school"]["lat"],
                     (nodes["lon"] - sim["school"]["lon"]) * np.cos(np.radians(37.57)))
            * 111_320 < 110).all()


def test_some_box_is_out_for_days_at_the_real_s_dot_rate():
    units = class_units(200, seed=5, days=21, lat=37.57, lon=127.0)
    days_out = sum(b - a for spans in units["outages"] for a, b in spans) / 86400
    share = days_out / (200 * 21)
    # S-DoT: 1.3 % of sensor-days absent inside a sensor's active span (city_sensors.RATES)
    assert 0.008 < share < 0.03


def test_gains_in_the_data_spread_like_the_real_units(tmp_path):
    # many boxes for a few days: enough units to see the spread
    record_class(tmp_path, boxes=30, weeks=2 / 7, seed=11)
    sim = json.loads((tmp_path / "simulation.json").read_text())
    hidden = pd.Series({u["node_id"]: u["gain"] for u in sim["units"]})
    raw = load_log(tmp_path, raw=True).readings
    ok = raw[(raw["status"] == "ok") & raw["pm25_cf1"].notna()]
    # what a class can measure: each box against the network's median box (research/data.md
    # §3.1 measured the real S-DoT units' raw gain the same way)
    level = ok.groupby("site_id")["pm25_cf1"].median()
    measured = level / level.median()
    truth = hidden / hidden.median()
    assert np.corrcoef(measured[truth.index], truth)[0, 1] > 0.95
    # the real units' spread (city_sensors.GAIN_QUANTILES, p5..p95 about x0.3..x1.5)
    qs, values = GAIN_QUANTILES
    p5, p95 = np.interp([0.05, 0.95], qs, values)
    assert measured.min() < 1.5 * p5 and measured.max() > 0.8 * p95
    assert measured.quantile(0.25) < 0.85 and measured.quantile(0.75) > 1.1
    assert measured.max() / measured.min() > 3  # x0.3..x1.7 is a factor of about 5


def test_same_seed_same_folder_other_seed_other_folder(tmp_path):
    runs = {}
    for name, seed in (("a", 4), ("b", 4), ("c", 5)):
        record_class(tmp_path / name, boxes=3, weeks=0.05, seed=seed)
        runs[name] = {p.name: p.read_bytes() for p in day_files(tmp_path / name)}
        runs[name]["simulation.json"] = (tmp_path / name / "simulation.json").read_bytes()
    assert runs["a"] == runs["b"]
    assert runs["a"] != runs["c"]


def test_notebook_function_returns_each_box_in_the_tidy_table():
    log = class_log(boxes=2, weeks=0.03, seed=2)
    assert set(log.sites["site_id"]) == {"class-01", "class-02"}
    wide = log.readings
    assert sorted(wide["site_id"].unique()) == ["class-01", "class-02"]
    assert str(wide["timestamp"].dt.tz) == "Asia/Seoul"
    assert wide["timestamp"].min() >= pd.Timestamp("2025-03-03", tz="Asia/Seoul")


def _cli(*args, lang="en"):
    env = dict(os.environ, SENSORLAB_LANG=lang)
    return subprocess.run([sys.executable, "-m", "sensorlab.kit.cli", "simulate", *args],
                          capture_output=True, text=True, env=env, timeout=300)


def test_cli_plays_a_class_into_a_folder_and_says_so_in_both_languages(tmp_path):
    done = _cli("--class", "--boxes", "2", "--weeks", "0.02", "--seed", "1", "--out",
                str(tmp_path / "en"))
    assert done.returncode == 0, done.stderr
    assert "class network: 2 boxes" in done.stderr and "Traceback" not in done.stderr
    assert len(read_long(tmp_path / "en")["node_id"].unique()) == 2
    ko = _cli("--class", "--boxes", "2", "--weeks", "0.02", "--seed", "1", "--out",
              str(tmp_path / "ko"), lang="ko")
    assert ko.returncode == 0, ko.stderr
    assert "반 측정망: 상자 2개" in ko.stderr
    assert [p.read_bytes() for p in day_files(tmp_path / "en")] == \
        [p.read_bytes() for p in day_files(tmp_path / "ko")]
    helped = _cli("--help", lang="ko")
    assert helped.returncode == 0 and "반 전체의 측정망" in helped.stdout


@pytest.mark.parametrize("args, named", [
    (["--boxes", "0"], "--boxes"), (["--weeks", "-1"], "--weeks"), (["--lat", "123"], "--lat"),
    (["--boxes", "500"], "--boxes"), (["--lat", "nan"], "--lat"),
    ([], "--out")])
def test_cli_refuses_bad_input_with_a_message_not_a_traceback(tmp_path, args, named):
    out = [] if named == "--out" else ["--out", str(tmp_path / "x")]
    done = _cli("--class", *args, *out)
    assert done.returncode == 2
    assert named in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x").exists()


def test_a_units_kappa_makes_its_pm_grow_in_humid_air_as_the_one_model_says():
    from sensorlab.kit.protocol import parse_line
    from sensorlab.kit.simulator import BoxSimulator
    from sensorlab.units import humidity_growth

    def run(kappa):
        box = BoxSimulator(seed=21, engine="diurnal", period_s=300, kappa=kappa,
                           start="2025-07-10T00:00:00Z")
        return [(e.truth["humidity"], parse_line(e.data).fields["pm25_cf1"])
                for e in box.emissions(4 * 86400) if e.truth and e.truth["sensor"] == "pms5003"
                and e.truth["status"] == "ok"]

    dry, wet = run(None), run(0.3)  # same seed, same noise: only the unit's κ differs
    rh = np.array([h for h, _ in dry])
    ratio = np.array([w for _, w in wet]) / np.maximum([d for _, d in dry], 1)
    assert np.corrcoef(ratio, humidity_growth(rh, 0.3))[0, 1] > 0.8
    low, high = np.quantile(rh, [0.25, 0.75])
    assert np.median(ratio[rh >= high]) > np.median(ratio[rh <= low])


def test_an_out_that_is_a_file_or_unwritable_is_named_in_both_languages(tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    for lang, words in (("en", "cannot write"), ("ko", "쓸 수 없어요")):
        done = _cli("--class", "--boxes", "2", "--weeks", "0.01", "--out",
                    str(tmp_path / "afile"), lang=lang)
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert words in done.stderr and str(tmp_path / "afile") in done.stderr, done.stderr
        assert "[Errno" not in done.stderr
    assert (tmp_path / "afile").read_text() == "not a folder"


def _small_file_limit():  # in the child: writes past 200 kB fail (EFBIG), as on a full disk
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


def test_a_full_disk_stops_the_class_keeps_what_was_logged_and_says_so(tmp_path):
    out = tmp_path / "class"
    env = dict(os.environ, SENSORLAB_LANG="ko")
    done = subprocess.run([sys.executable, "-m", "sensorlab.kit.cli", "simulate", "--class",
                           "--boxes", "2", "--weeks", "1", "--out", str(out)],
                          capture_output=True, text=True, env=env, timeout=300,
                          preexec_fn=_small_file_limit)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "디스크" in done.stderr and str(out) in done.stderr, done.stderr
    long = read_long(out)  # no torn row: what was logged reads back whole
    kept = len(long.drop_duplicates(["node_id", "boot_id", "seq"]))
    assert kept > 100 and f"{kept}" in done.stderr
    assert sorted(long["node_id"].unique()) == ["class-01", "class-02"]


def test_a_second_class_into_the_same_folder_is_refused_not_mixed(tmp_path):
    record_class(tmp_path, boxes=2, weeks=0.02, seed=4)
    before = {p.name: p.read_bytes() for p in day_files(tmp_path)}
    done = _cli("--class", "--boxes", "2", "--weeks", "0.02", "--seed", "5", "--out",
                str(tmp_path), lang="ko")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert str(tmp_path) in done.stderr and "--out" in done.stderr, done.stderr
    assert {p.name: p.read_bytes() for p in day_files(tmp_path)} == before
    # a notebook cell run again with the same class reads the folder it made
    again = class_log(boxes=2, weeks=0.02, seed=4, out=tmp_path)
    assert {p.name: p.read_bytes() for p in day_files(tmp_path)} == before
    assert sorted(again.readings["site_id"].unique()) == ["class-01", "class-02"]
