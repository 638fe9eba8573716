"""The simulated box: determinism, faults by name and rate, physics, and its three ways in."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter

import numpy as np
import pytest
import serial

import sensorlab.kit  # noqa: F401 - registers sim://
from sensorlab.kit import parse_line, verify_line
from sensorlab.kit.pty import serve_pty
from sensorlab.kit.sim_faults import FAULTS, parse_faults
from sensorlab.kit.sim_firmware import FIRMWARE_DIR, load_firmware
from sensorlab.kit.sim_stream import TRUTH_FILE_COLUMNS
from sensorlab.kit.simulator import (STALE_REPORTS, WARMUP_S, BoxSimulator, lines, simulate,
                                     truth_frame)
from sensorlab.kit.truth import TruthModel, hourly_truth


def _run(seed=1, faults="all", duration=9000, **kw):
    return list(simulate(seed=seed, faults=faults, duration_s=duration, engine="diurnal", **kw))


def test_same_seed_same_bytes_other_seed_other_bytes():
    a = [(e.t, e.data, e.event) for e in _run(seed=5, duration=3000)]
    b = [(e.t, e.data, e.event) for e in _run(seed=5, duration=3000)]
    c = [(e.t, e.data, e.event) for e in _run(seed=6, duration=3000)]
    assert a == b
    assert a != c


def test_truth_reason_matches_what_the_parser_says_for_every_line():
    emissions = _run(seed=2, faults="all,bad_checksum:0.05,dropped_byte:0.05,"
                     "truncated_number:0.05,duplicate:0.05,power_loss:6", duration=18000)
    sent_lines = set()
    checked = Counter()
    for e in emissions:
        if e.truth is None:
            continue
        reason = e.truth["reason"]
        if reason == "duplicate":
            assert e.data in sent_lines  # an exact copy of a line that went out before
            assert verify_line(e.data) is None
        else:
            assert (verify_line(e.data) or "") == reason, (e.data, reason)
        assert e.truth["valid"] == (reason == "")
        if e.sent:
            sent_lines.add(e.data)
        checked[reason] += 1
    assert checked.keys() >= {"", "bad_checksum", "bad_value", "duplicate", "truncated"}


def test_firmware_line_shapes_and_pacing():
    """The same lines and timing as kits/firmware/main.py (REPORT_MS 10 s, hb 60 s)."""
    es = [e for e in _run(seed=3, faults="none", duration=600) if e.truth]
    parsed = [parse_line(e.data) for e in es]
    assert parsed[0].sensor == "sys" and parsed[0].status == "boot"
    assert list(parsed[0].fields) == ["fw", "reset", "sensors"]
    assert parsed[0].fields["reset"] == "power_on"
    assert [p.seq for p in parsed] == list(range(len(parsed)))
    pms = [e.t for e, p in zip(es, parsed) if p.sensor == "pms5003"]
    sht = [e.t for e, p in zip(es, parsed) if p.sensor == "sht40"]
    assert np.allclose(np.diff(pms), 10.0, atol=0.11)  # one report every REPORT_MS
    # T/RH right after: the firmware waits for the SHT40's measurement (sht40.WAIT_MS)
    wait_s = load_firmware().sht40.WAIT_MS / 1000
    assert np.allclose(np.array(sht) - np.array(pms), wait_s, atol=1e-6)
    hb = [p.uptime_ms for p in parsed if p.status == "hb"]
    assert len(hb) == 9 and all(60000 * (i + 1) <= u < 60000 * (i + 1) + 200
                                for i, u in enumerate(hb))
    text = [e.data.decode() for e, p in zip(es, parsed) if p.sensor == "sht40"]
    assert all(re.search(r",ok,t=-?\d+\.\d\d,rh=\d+\.\d\d,t_raw=\d+,rh_raw=\d+\*", s)
               for s in text)
    warm = [p.status for p in parsed if p.sensor == "pms5003" and p.uptime_ms < 30000]
    assert warm == ["warmup", "warmup"]
    assert {p.status for p in parsed if p.sensor == "pms5003" and p.uptime_ms >= 30000} == {"ok"}


@pytest.mark.parametrize("name", [n for n in FAULTS if n not in ("unplug", "nul_at_open")])
def test_each_fault_by_name_shows_up_labelled(name):
    rate = {"power_loss": 30.0, "drift": 300.0}.get(name, FAULTS[name][0] if FAULTS[name][1] == "size" else 0.05)
    rows = [e.truth for e in _run(seed=4, faults=f"{name}:{rate}", duration=6000) if e.truth]
    labels = Counter(f for r in rows for f in r["faults"].split(";") if f)
    assert labels[name] > 0
    assert set(labels) <= {name, "late", "duplicate"} | ({"warmup"} if name == "warmup" else set())


def test_unplug_and_nul_faults_are_wire_events():
    es = _run(seed=4, faults="unplug:30,nul_at_open", duration=6000)
    kinds = Counter(e.event for e in es if e.event)
    assert kinds["unplug"] == kinds["replug"] > 0
    assert any(set(e.data) == {0} for e in es)
    lost = [e.truth for e in es if e.truth and not e.sent]
    assert lost and all(not r["sent"] for r in lost)


def test_rates_are_adjustable():
    def spikes(spec):
        rows = [e.truth for e in _run(seed=9, faults=spec, duration=9000) if e.truth]
        return sum("spike" in r["faults"] for r in rows), len(rows)

    none, _ = spikes("spike:0")
    few, n = spikes("spike:0.01")
    many, _ = spikes("spike:0.2")
    assert none == 0 < few < many
    assert 0.1 * n * 0.75 < many < 0.2 * n  # ~20 % of PM and SHT lines (not sys lines)
    with pytest.raises(ValueError, match="unknown fault"):
        parse_faults("spike,fire")


def test_power_loss_reboots_with_next_boot_id_and_reset_counters():
    es = [e for e in _run(seed=1, faults="power_loss:20", duration=9000) if e.truth]
    boots = [parse_line(e.data) for e in es if e.truth["status"] == "boot"]
    assert [b.boot_id for b in boots] == list(range(1, len(boots) + 1)) and len(boots) > 2
    assert all(b.seq == 0 and b.uptime_ms < 1000 for b in boots)
    assert {b.fields["reset"] for b in boots[1:]} <= {"brownout", "power_on"}


def test_sensor_error_model_follows_the_physics():
    sim = BoxSimulator(seed=8, faults="warm_bias,humidity", engine="diurnal",
                       start="2025-07-15T00:00:00Z")
    rows = [(e.truth, parse_line(e.data)) for e in sim.emissions(12 * 3600)
            if e.truth and e.truth["status"] == "ok"]
    t_err = [p.fields["t"] - r["temperature"] for r, p in rows if p.sensor == "sht40"]
    assert np.mean(t_err) > 1.0  # warm bias
    ratio = [(r["humidity"], p.fields["pm25_cf1"] / r["pm25"]) for r, p in rows
             if p.sensor == "pms5003" and r["pm25"] > 5]
    hum, rat = np.array(ratio).T
    assert np.corrcoef(hum, rat)[0, 1] > 0.3  # wetter air, bigger particles, higher PM
    clean = BoxSimulator(seed=8, faults="none", engine="diurnal")
    rows = [(e.truth, parse_line(e.data)) for e in clean.emissions(3600)
            if e.truth and e.truth["sensor"] == "sht40"]
    assert np.mean([abs(p.fields["t"] - r["temperature"]) for r, p in rows]) < 0.3


def test_truth_engines():
    table, source = hourly_truth(1, "2025-01-06T00:00:00Z", 48, engine="diurnal")
    assert source == "diurnal" and len(table) == 49
    assert table["humidity"].between(0, 100).all() and (table["pm25"] > 0).all()
    model = TruthModel.build(seed=1, start="2025-01-06T00:00:00Z", hours=6)
    assert model.source in ("city", "diurnal")
    assert model.at(100.0) != model.at(7000.0)


def test_generator_helpers_for_notebooks():
    text = list(lines(seed=2, duration_s=30, engine="diurnal"))
    assert all(t.startswith("$KIT1,") and t.endswith("\n") for t in text)
    frame = truth_frame(seed=2, duration_s=30, engine="diurnal")
    assert len(frame) == len(text) and frame["valid"].all()


def test_sim_url_reads_paces_and_resumes_the_same_box():
    url = "sim://?seed=21&speed=100&duration=120&engine=diurnal&node=url-box"
    port = serial.serial_for_url(url, timeout=2)
    t0 = time.monotonic()
    first = [port.readline() for _ in range(6)]
    took = time.monotonic() - t0
    port.close()
    parsed = [parse_line(x) for x in first]
    assert parsed[0].node_id == "url-box" and parsed[0].status == "boot"
    assert 0.15 < took < 2.0  # 30 simulated seconds at 100x: about 0.3 s
    port = serial.serial_for_url(url, timeout=2)
    again = parse_line(port.readline())
    port.close()
    assert again.seq > parsed[-1].seq  # the same box, still running
    with pytest.raises(serial.SerialException):
        serial.serial_for_url("sim://?seed=x", timeout=1)


def test_sim_url_unplug_raises_like_a_pulled_cable():
    port = serial.serial_for_url("sim://?seed=4&faults=unplug:60&speed=0&duration=900"
                                 "&engine=diurnal&node=yank", timeout=1)
    with pytest.raises(serial.SerialException):
        for _ in range(2000):
            port.read(4096)
    port.close()


def test_pty_serves_the_same_lines_as_the_generator(tmp_path):
    paths = []
    gen = simulate(seed=12, faults="none", duration_s=200, engine="diurnal")
    thread = threading.Thread(target=serve_pty, args=(gen,), kwargs=dict(
        speed=1000, announce=paths.append, truth=tmp_path / "truth.csv", wait_reader=10,
        write_timeout=2))
    thread.start()
    while not paths:
        time.sleep(0.01)
    port = serial.Serial(paths[0], timeout=2)
    got = []
    while True:
        try:
            line = port.readline()
        except serial.SerialException:  # the box closed its end: the run is over
            break
        if not line:
            break
        got.append(line.decode())
    port.close()
    thread.join(10)
    expected = list(lines(seed=12, duration_s=200, engine="diurnal"))
    assert got == expected
    header = (tmp_path / "truth.csv").read_text().splitlines()[0].split(",")
    assert header == TRUTH_FILE_COLUMNS


def test_cli_simulate_prints_lines_and_lists_faults():
    env = dict(os.environ)
    out = subprocess.run([sys.executable, "-m", "sensorlab.kit.cli", "simulate", "--seed", "1",
                          "--duration", "100", "--speed", "0", "--engine", "diurnal"], capture_output=True, text=True,
                         env=env, timeout=60)
    assert out.returncode == 0
    seqs = [parse_line(x).seq for x in out.stdout.splitlines()]
    assert seqs == list(range(20))  # boot, 9 reports of two lines, one heartbeat
    listed = subprocess.run([sys.executable, "-m", "sensorlab.kit.cli", "simulate",
                             "--list-faults"], capture_output=True, text=True, timeout=60)
    assert [ln.split()[0] for ln in listed.stdout.splitlines()] == list(FAULTS)


def _firmware_copy(tmp_path, edits):
    """kits/firmware copied to ``tmp_path``, with ``(old, new)`` text edits in main.py."""
    copy = tmp_path / "firmware"
    shutil.copytree(FIRMWARE_DIR, copy, ignore=shutil.ignore_patterns("test-harness", "pi"))
    main = copy / "main.py"
    text = main.read_text()
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    main.write_text(text)
    return copy


def test_an_edited_firmware_rule_changes_what_the_simulator_sends(tmp_path):
    """The simulator runs the firmware: edit its warm-up time and its temperature range check
    in a copy, and the simulated box follows, with nothing in this test restating them."""
    text = (FIRMWARE_DIR / "main.py").read_text()
    warm_ms = int(re.search(r"^WARMUP_MS = (\d+)", text, re.M).group(1))
    range_rule = re.search(r"if not (-?\d+) <= t <= (\d+):", text)
    before = [parse_line(x) for x in lines(seed=7, duration_s=300, engine="diurnal")]
    sht_t = [p.fields["t"] for p in before if p.sensor == "sht40"]
    cap = int(round(float(np.median(sht_t)) * 100))  # a new upper limit half the readings pass
    copy = _firmware_copy(tmp_path, [
        (f"WARMUP_MS = {warm_ms}", f"WARMUP_MS = {warm_ms * 3}"),
        (range_rule.group(0), f"if not {range_rule.group(1)} <= t <= {cap}:")])
    after = [parse_line(x) for x in lines(seed=7, duration_s=300, engine="diurnal",
                                          firmware=copy)]

    def pm_status(run):
        return [(p.uptime_ms < warm_ms * 3, p.status) for p in run if p.sensor == "pms5003"]

    assert {s for early, s in pm_status(before) if early} == {"warmup", "ok"}
    assert {s for early, s in pm_status(after) if early} == {"warmup"}
    assert {s for early, s in pm_status(after) if not early} == {"ok"}
    # same seed, same sensor words: only the firmware's verdict on them changed
    sht_before = [p for p in before if p.sensor == "sht40"]
    sht_after = [p for p in after if p.sensor == "sht40"]
    assert [p.fields["t_raw"] for p in sht_before] == [p.fields["t_raw"] for p in sht_after]
    for old, new in zip(sht_before, sht_after):
        over = round(old.fields["t"] * 100) > cap
        assert (new.status, new.fields.get("code")) == (("err", "range") if over else ("ok", None))
    assert any(round(old.fields["t"] * 100) > cap for old in sht_before)
    assert any(round(old.fields["t"] * 100) <= cap for old in sht_before)


def test_the_simulators_settings_are_the_firmwares():
    fw = load_firmware()
    assert (WARMUP_S, STALE_REPORTS) == (fw.main.WARMUP_MS / 1000, fw.main.STALE_REPORTS)
    box = BoxSimulator(seed=1)
    assert box.period_s == fw.main.REPORT_MS / 1000
    slow = BoxSimulator(seed=1, period_s=120, engine="diurnal")
    pm = [parse_line(e.data).uptime_ms for e in slow.emissions(400) if b"pms5003" in e.data]
    assert np.allclose(np.diff(pm), 120_000, atol=fw.main.LOOP_MS)
