"""The logger: framing (property-based), log files, dedupe, crash recovery, ports, read-back."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
import tty
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sensorlab.kit import encode_line, parse_line
from sensorlab.kit.framing import LineFramer, classify
from sensorlab.kit.logger import find_port, run_logger
from sensorlab.kit.logstore import LONG_COLUMNS, LogStore, SeqSet
from sensorlab.kit.protocol import Kit1Error
from sensorlab.kit.readback import load_log

REPO = Path(__file__).resolve().parents[1]


# ---- framing -----------------------------------------------------------------------------
def _lines(n: int, start: int = 0) -> list[str]:
    out = []
    for i in range(start, start + n):
        if i % 2:
            out.append(encode_line("box-7", 3, i, 1000 * i, "sht40", "ok",
                                   {"t": f"{20 + i % 7}.{i % 100:02d}", "rh": "45.10"}))
        else:
            out.append(encode_line("box-7", 3, i, 1000 * i, "pms5003", "ok",
                                   {"pm25_cf1": i, "pm25_atm": i, "n0_3": 100 + i}))
    return out


def _run_framer(stream: bytes, cuts: list[int]) -> tuple[list[str], list[str]]:
    """Feed ``stream`` split at ``cuts``; return (good lines re-encoded, reject reasons)."""
    framer = LineFramer()
    pieces, last = [], 0
    for c in sorted(set(cuts)) + [len(stream)]:
        pieces.append(stream[last:c])
        last = c
    frags = [f for p in pieces for f in framer.feed(p)] + framer.flush()
    good, bad = [], []
    for f in frags:
        try:
            classify(f)
            good.append(f.data.decode() + "\n")
        except Kit1Error as err:
            bad.append(err.reason)
    return good, bad


cut_lists = st.lists(st.integers(0, 5000), max_size=25)


@settings(deadline=None)  # a loaded shared machine must not fail a test
@given(n=st.integers(1, 12), cuts=cut_lists)
def test_any_split_points_give_the_same_lines(n, cuts):
    lines = _lines(n)
    good, bad = _run_framer("".join(lines).encode(), cuts)
    assert good == lines and bad == []


@settings(deadline=None)  # a loaded shared machine must not fail a test
@given(n=st.integers(1, 8), cuts=cut_lists, nuls=st.lists(st.integers(0, 5000), max_size=20))
def test_nul_bytes_anywhere_are_ignored(n, cuts, nuls):
    stream = bytearray("".join(_lines(n)).encode())
    for pos in sorted(nuls, reverse=True):
        stream[min(pos, len(stream)):min(pos, len(stream))] = b"\x00" * (1 + pos % 3)
    good, bad = _run_framer(bytes(stream), cuts)
    assert good == _lines(n) and bad == []


@settings(deadline=None)  # a loaded shared machine must not fail a test
@given(n=st.integers(2, 8), data=st.data(), cuts=cut_lists)
def test_one_corrupted_byte_costs_exactly_that_line(n, data, cuts):
    lines = _lines(n)
    i = data.draw(st.integers(0, n - 1))
    line = lines[i]
    pos = data.draw(st.integers(1, len(line) - 2))  # between '$' and the newline
    new = data.draw(st.sampled_from([b for b in range(1, 256)
                                     if b not in (ord(line[pos]), ord("$"), ord("\n"))]))
    corrupted = line.encode()[:pos] + bytes([new]) + line.encode()[pos + 1:]
    stream = "".join(lines[:i]).encode() + corrupted + "".join(lines[i + 1:]).encode()
    good, bad = _run_framer(stream, cuts)
    assert good == lines[:i] + lines[i + 1:]
    assert len(bad) == 1


@settings(deadline=None)  # a loaded shared machine must not fail a test
@given(n=st.integers(2, 8), data=st.data(), cuts=cut_lists)
def test_a_line_cut_short_is_rejected_as_truncated_and_the_next_survives(n, data, cuts):
    lines = _lines(n)
    i = data.draw(st.integers(0, n - 2))
    keep = data.draw(st.integers(1, len(lines[i]) - 2))  # lose at least the newline and a byte
    stream = "".join(lines[:i]) + lines[i][:keep] + "".join(lines[i + 1:])
    good, bad = _run_framer(stream.encode(), cuts)
    assert good == lines[:i] + lines[i + 1:]
    assert bad == ["truncated"]


@settings(deadline=None)  # a loaded shared machine must not fail a test
@given(garbage=st.binary(min_size=1, max_size=300).filter(lambda b: b"$" not in b),
       n=st.integers(1, 5), cuts=cut_lists)
def test_garbage_at_open_is_rejected_then_lines_resync(garbage, n, cuts):
    lines = _lines(n)
    stream = garbage + b"\n" + "".join(lines).encode()
    good, bad = _run_framer(stream, cuts)
    assert good == lines
    pieces = [p for p in garbage.replace(b"\x00", b"").split(b"\n") if p.rstrip(b"\r")]
    assert len(bad) == len(pieces)
    if bad:
        assert bad[0] == "partial_at_open"
        assert set(bad[1:]) <= {"bad_framing"}


def test_noise_without_line_ends_is_cut_as_too_long():
    lines = _lines(2)
    good, bad = _run_framer(b"x" * 1500 + b"\n" + "".join(lines).encode(), [])
    assert good == lines
    assert bad[0] == "partial_at_open" or bad[0] == "too_long"
    assert "too_long" in bad


# ---- SeqSet ----------------------------------------------------------------------------------
@settings(deadline=None)  # a loaded shared machine must not fail a test
@given(st.lists(st.integers(0, 200)))
def test_seqset_behaves_like_a_set(xs):
    s, ref = SeqSet(), set()
    for x in xs:
        assert s.add(x) == (x not in ref)
        ref.add(x)
    assert all((x in s) == (x in ref) for x in range(-1, 202))
    flat = [v for lo, hi in s.intervals for v in range(lo, hi + 1)]
    assert flat == sorted(ref)


# ---- the store ----------------------------------------------------------------------------------
def _rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_long_rows_flags_and_events(tmp_path):
    store = LogStore(tmp_path)
    raws = [encode_line("n1", 1, 0, 10, "sys", "boot", {"fw": "0.3.0"}),
            encode_line("n1", 1, 1, 1000, "pms5003", "warmup", {"pm25_atm": 0}),
            encode_line("n1", 1, 2, 2000, "sht40", "ok", {"t": "21.50", "rh": "101.00"}),
            encode_line("n1", 1, 5, 5000, "sht40", "err", {"code": "timeout"}),
            encode_line("n1", 2, 0, 10, "sys", "boot", {"fw": "0.3.0"})]
    n = store.add_lines([(parse_line(r), r.strip().encode()) for r in raws],
                        "2025-03-01T23:59:59.500Z")
    store.close()
    assert n == 5
    rows = _rows(tmp_path / "2025-03-01.csv")
    assert rows[0] == LONG_COLUMNS
    by_param = {(r[3], r[4]): r for r in rows[1:]}
    assert by_param[("sht40", "t")][5:8] == ["21.50", "21.5", "°C"]
    assert by_param[("sht40", "rh")][-2:] == ["ok", "range"]  # the line's status, the value's flag
    assert by_param[("pms5003", "pm25_atm")][-2:] == ["warmup", ""]
    assert by_param[("sht40", "code")][-2:] == ["err", ""]
    assert by_param[("sht40", "code")][5:7] == ["timeout", "NA"]
    assert by_param[("pms5003", "pm25_atm")][2] == "airsense"
    events = _rows(tmp_path / "events.csv")
    kinds = [e[1] for e in events[1:]]
    assert "seq_gap" in kinds and "reboot" in kinds
    sensors = {(r[2], r[3]): r for r in _rows(tmp_path / "sensors.csv")[1:]}
    assert sensors[("sht40", "t")][4:7] == ["°C", "-40.0", "125.0"]
    assert sensors[("pms5003", "pm25_atm")][0] == "/sensing/air_quality/pm25_atm"


def test_day_files_follow_the_utc_arrival_date(tmp_path):
    store = LogStore(tmp_path)
    a = encode_line("n1", 1, 1, 10, "sht40", "ok", {"t": "1.00"})
    b = encode_line("n1", 1, 2, 20, "sht40", "ok", {"t": "2.00"})
    store.add_lines([(parse_line(a), a.encode())], "2025-03-01T23:59:59.999Z")
    store.add_lines([(parse_line(b), b.encode())], "2025-03-02T00:00:00.001Z")
    store.close()
    assert [p.name for p in sorted(tmp_path.glob("2025-*.csv"))] == ["2025-03-01.csv",
                                                                      "2025-03-02.csv"]


def test_restart_cuts_a_half_written_row_and_still_dedupes(tmp_path):
    lines = _lines(6)
    store = LogStore(tmp_path)
    store.add_lines([(parse_line(x), x.encode()) for x in lines[:4]], "2025-03-01T10:00:00.000Z")
    store.close()
    day = tmp_path / "2025-03-01.csv"
    good_size = day.stat().st_size
    with open(day, "ab") as f:
        f.write(b"2025-03-01T10:00:01.000Z,box-7,airsen")  # the crash hit mid-row
    store = LogStore(tmp_path)
    assert day.stat().st_size == good_size
    rejects = _rows(tmp_path / "rejects.csv")
    assert rejects[-1][1] == "partial_row" and rejects[-1][3].endswith("box-7,airsen")
    # lines 0-3 are already logged: sending them again must not add rows
    written = store.add_lines([(parse_line(x), x.encode()) for x in lines], "2025-03-01T10:00:02.000Z")
    store.close()
    assert written == 2
    keys = [(r[1], r[8], r[9]) for r in _rows(day)[1:]]
    assert len(set(keys)) == 6
    assert sum(r[1] == "duplicate" for r in _rows(tmp_path / "rejects.csv")) == 4
    assert "recover" in [e[1] for e in _rows(tmp_path / "events.csv")]


# ---- ports --------------------------------------------------------------------------------------
def test_find_port_by_vid_pid_and_serial():
    ports = [SimpleNamespace(device="/dev/ttyUSB1", vid=0x10C4, pid=0xEA60, serial_number="B"),
             SimpleNamespace(device="/dev/ttyUSB0", vid=0x10C4, pid=0xEA60, serial_number="A"),
             SimpleNamespace(device="/dev/ttyACM0", vid=0x1A86, pid=0x7523, serial_number=None),
             SimpleNamespace(device="/dev/ttyS0", vid=None, pid=None, serial_number=None)]
    assert find_port("10C4:EA60", ports=ports) == "/dev/ttyUSB0"
    assert find_port("10c4:ea60", "B", ports=ports) == "/dev/ttyUSB1"
    assert find_port("1A86:7523", ports=ports) == "/dev/ttyACM0"
    assert find_port("0403:6001", ports=ports) is None
    with pytest.raises(ValueError, match="10C4:EA60"):
        find_port("CP2102", ports=ports)


def test_logger_over_sim_url_reconnects_after_unplug(tmp_path):
    url = "sim://?seed=11&faults=unplug:40&speed=0&duration=3000&node=unplug-box&engine=diurnal"
    stats = run_logger(url, tmp_path, quiet=True, idle_exit=0.5)
    events = _rows(tmp_path / "events.csv")
    kinds = [e[1] for e in events[1:]]
    assert stats["reconnects"] >= 1 and kinds.count("reconnect") == stats["reconnects"]
    assert any("gap" in e[5] for e in events if e[1] == "reconnect")
    wide = load_log(tmp_path).readings
    assert wide["seq"].is_unique and len(wide) > 100


def test_sigint_stops_a_logger_cleanly_on_a_real_pty(tmp_path):
    master, slave = os.openpty()
    tty.setraw(slave)
    path = os.ttyname(slave)
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    proc = subprocess.Popen([sys.executable, "-m", "sensorlab.kit.cli", "log", path,
                             "--out", str(tmp_path), "--quiet"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while not (tmp_path / "events.csv").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        lines = _lines(50)
        os.write(master, "".join(lines).encode())
        time.sleep(1.0)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
        assert b"lines/s" not in proc.stderr.read()  # no status line when not on a terminal
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
        os.close(slave)
    kinds = [e[1] for e in _rows(tmp_path / "events.csv")[1:]]
    assert kinds[0] == "start" and kinds[-1] == "stop"
    wide = load_log(tmp_path, raw=True).readings
    assert sorted(wide["seq"]) == list(range(50))


def test_status_line_on_a_terminal(tmp_path):
    data_master, data_slave = os.openpty()
    tty.setraw(data_slave)
    err_master, err_slave = os.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "sensorlab.kit.cli", "log",
                             os.ttyname(data_slave), "--out", str(tmp_path)],
                            stderr=err_slave, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while not (tmp_path / "events.csv").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        os.write(data_master, "".join(_lines(30)).encode())
        time.sleep(1.2)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(err_slave)
    shown = b""
    while True:
        try:
            chunk = os.read(err_master, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    for fd in (err_master, data_master, data_slave):
        os.close(fd)
    assert b"\r" in shown and b"lines/s" in shown and b"30 lines" in shown


def test_restart_reads_back_only_the_tail_of_a_big_day_file(tmp_path, monkeypatch):
    import sensorlab.kit.logstore as logstore

    lines = _lines(40)
    store = LogStore(tmp_path)
    store.add_lines([(parse_line(x), x.encode()) for x in lines], "2025-03-01T10:00:00.000Z")
    store.close()
    monkeypatch.setattr(logstore, "RECOVER_BYTES", 2000)
    store = LogStore(tmp_path)
    recent = store.add_lines([(parse_line(x), x.encode()) for x in lines[-5:]],
                             "2025-03-01T10:00:01.000Z")
    store.close()
    assert recent == 0  # the newest lines are known after the restart
