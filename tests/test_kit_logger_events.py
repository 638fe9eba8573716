"""Classroom events that must not lose a line (issue 12), each with real processes and ptys.

A restarted simulator (a box that reboots into an old boot id), the simulator's own exit
status, two loggers on one port or one node, a full disk (a small tmpfs, as root), a port
that cannot be opened, the start-up time of ``sensorlab log``, and many loggers creating
one day file at once.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import tty
from pathlib import Path

import pytest

from sensorlab.kit import encode_line, parse_line
from sensorlab.kit.logstore import LONG_COLUMNS, LogStore, day_files
from sensorlab.kit.readback import load_log
from sensorlab.messages import text

REPO = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "sensorlab.cli"]


def _env(tmp_path: Path, **extra) -> dict:
    # the simulator's boot counter lives in the state folder: one per test
    return dict(os.environ, PYTHONPATH=str(REPO / "src"), XDG_STATE_HOME=str(tmp_path / "state"),
                SENSORLAB_LANG="en", **extra)


def _rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def _wait(cond, timeout: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _events(out: Path) -> list[str]:
    path = out / "events.csv"
    return [r[1] for r in _rows(path)[1:]] if path.exists() else []


def _lines(n: int, node: str = "box-7", boot: int = 3, start: int = 0) -> list[str]:
    return [encode_line(node, boot, i, 1000 * i, "sht40", "ok",
                        {"t": f"{20 + i % 7}.{i % 100:02d}", "rh": "45.10"})
            for i in range(start, start + n)]


def _logged(out: Path) -> list[tuple[str, int, int]]:
    wide = load_log(out, raw=True).readings
    return sorted(zip(wide["site_id"], wide["boot_id"], wide["seq"]))


def _assert_whole_rows(out: Path) -> None:
    for path in day_files(out):
        data = path.read_bytes()
        assert data.endswith(b"\n"), f"{path.name} ends inside a row"
        rows = _rows(path)
        assert rows[0] == LONG_COLUMNS
        assert all(len(r) == len(LONG_COLUMNS) for r in rows[1:]), f"torn row in {path.name}"
        assert LONG_COLUMNS not in rows[1:], f"second header in {path.name}"


def _logger(port: str, out: Path, env: dict, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([*CLI, "log", port, "--out", str(out), *extra], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _stop(proc: subprocess.Popen, timeout: float = 30) -> tuple[int, str]:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return proc.returncode, err


@pytest.fixture
def pty_pair():
    master, slave = os.openpty()
    tty.setraw(slave)
    path = os.ttyname(slave)
    # the logger must see the port as a box would give it: nobody else holds the slave
    os.close(slave)
    yield master, path
    os.close(master)


# ---- 1. a box that restarts into an old boot id -------------------------------------------------
def test_same_key_different_content_is_logged_with_an_event(tmp_path):
    first = encode_line("box1", 1, 5, 5000, "sht40", "ok", {"t": "21.50", "rh": "40.00"})
    again = encode_line("box1", 1, 5, 5100, "sht40", "ok", {"t": "19.25", "rh": "52.00"})
    store = LogStore(tmp_path)
    assert store.add_lines([(parse_line(first), first.strip().encode())],
                           "2025-01-06T00:00:05.000Z") == 1
    # a byte-identical repeat is a duplicate; the same key with other values is a new line
    assert store.add_lines([(parse_line(first), first.strip().encode())],
                           "2025-01-06T00:00:06.000Z") == 0
    assert store.add_lines([(parse_line(again), again.strip().encode())],
                           "2025-01-06T00:00:07.000Z") == 1
    store.close()
    # the same after a restart: the store rebuilds what each key held from the day file
    store = LogStore(tmp_path)
    assert store.add_lines([(parse_line(again), again.strip().encode())],
                           "2025-01-06T00:00:08.000Z") == 0
    third = encode_line("box1", 1, 5, 5200, "sht40", "ok", {"t": "18.00", "rh": "60.00"})
    assert store.add_lines([(parse_line(third), third.strip().encode())],
                           "2025-01-06T00:00:09.000Z") == 1
    store.close()
    reasons = [r[1] for r in _rows(tmp_path / "rejects.csv")[1:]]
    assert reasons == ["duplicate", "duplicate"]
    events = [r for r in _rows(tmp_path / "events.csv")[1:] if r[1] == "key_reused"]
    assert events and events[0][2:4] == ["box1", "1"]
    wide = load_log(tmp_path).readings
    assert sorted(wide["temperature"]) == [18.0, 19.25, 21.5]


def test_a_reflashed_box_says_its_counter_restarted_and_is_logged(tmp_path):
    """After ``esptool erase-flash`` the firmware's boot ids start again at 1 (kits/README)."""
    def boot(note):
        fields = {"fw": "0.1.0", "reset": "power_on", "sensors": "pms5003;sht40"}
        return encode_line("kit-5ea107", 1, 0, 0, "sys", "boot", dict(fields, **note))

    runs = [[boot({"msg": "counter_new"})] + _lines(5, node="kit-5ea107", boot=1, start=1),
            [boot({"msg": "counter_new", "reset": "soft"})]
            + [encode_line("kit-5ea107", 1, i, 1000 * i + 7, "sht40", "ok",
                           {"t": "18.00", "rh": "61.30"}) for i in range(1, 6)]]
    store = LogStore(tmp_path)
    for i, run in enumerate(runs):
        for raw in run:
            store.add_lines([(parse_line(raw), raw.strip().encode())],
                            f"2025-01-06T0{i}:00:00.000Z")
    store.close()
    kinds = _events(tmp_path)
    assert kinds.count("boot_counter_restarted") == 2 and "key_reused" in kinds
    assert not (tmp_path / "rejects.csv").exists()
    assert len(load_log(tmp_path).readings) == 10


def _simulate_pty(tmp_path: Path, link: Path, seed: int, env: dict, *extra: str):
    return subprocess.Popen(
        [*CLI, "simulate", "--pty", "--link", str(link), "--seed", str(seed), "--speed", "200",
         "--duration", "600", "--engine", "diurnal", "--write-timeout", "2",
         "--wait-reader", "30", "--truth", str(tmp_path / f"truth-{seed}.csv"), *extra],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_restarted_simulator_is_logged_not_rejected(tmp_path):
    env, link, out = _env(tmp_path), tmp_path / "box", tmp_path / "logs"
    logger = None
    try:
        for seed in (1, 2):
            sim = _simulate_pty(tmp_path, link, seed, env)
            if logger is None:
                _wait(lambda: link.is_symlink(), what="the simulator's pty")
                logger = _logger(str(link), out, env, "--quiet")
            out_, err = sim.communicate(timeout=120)
            assert sim.returncode == 0 and "Traceback" not in err, err
        rc, err = _stop(logger)
        assert rc == 0 and "Traceback" not in err, err
    finally:
        if logger is not None and logger.poll() is None:
            logger.kill()
    sent = []
    for seed in (1, 2):
        truth = list(csv.DictReader(open(tmp_path / f"truth-{seed}.csv", encoding="utf-8")))
        sent += [(r["node_id"], int(r["boot_id"]), int(r["seq"])) for r in truth
                 if r["delivered"] == "True" and r["valid"] == "True" and r["sensor"] != "sys"]
    assert len(sent) > 200
    assert _logged(out) == sorted(sent)
    rejects = _rows(out / "rejects.csv")[1:] if (out / "rejects.csv").exists() else []
    assert [r for r in rejects if r[1] == "duplicate"] == []
    boots = {b for _, b, _ in sent}
    assert len(boots) == 2, "each start of the simulator is a new boot"


def test_simulator_takes_node_and_boot_and_counts_its_boots(tmp_path):
    env = _env(tmp_path)
    firsts = []
    for extra in ([], [], ["--node", "box-9", "--boot", "7"]):
        done = subprocess.run([*CLI, "simulate", "--duration", "5", "--speed", "0",
                               "--engine", "diurnal", *extra], env=env, capture_output=True)
        assert done.returncode == 0, done.stderr
        firsts.append(parse_line(done.stdout.splitlines()[0]))
    assert firsts[1].boot_id == firsts[0].boot_id + 1
    assert (firsts[2].node_id, firsts[2].boot_id) == ("box-9", 7)


def test_same_boot_twice_on_a_pty_is_logged_with_an_event(tmp_path):
    env, link, out = _env(tmp_path), tmp_path / "box", tmp_path / "logs"
    logger = None
    try:
        for seed in (3, 4):
            sim = _simulate_pty(tmp_path, link, seed, env, "--boot", "1", "--duration", "200")
            if logger is None:
                _wait(lambda: link.is_symlink(), what="the simulator's pty")
                logger = _logger(str(link), out, env, "--quiet")
            _, err = sim.communicate(timeout=120)
            assert sim.returncode == 0, err
        rc, err = _stop(logger)
        assert rc == 0, err
    finally:
        if logger is not None and logger.poll() is None:
            logger.kill()
    kinds = _events(out)
    assert "key_reused" in kinds
    rejects = _rows(out / "rejects.csv")[1:] if (out / "rejects.csv").exists() else []
    # only the boot line repeats byte for byte (same firmware, reset cause and uptime)
    assert [r[3].split(",")[5:7] for r in rejects if r[1] == "duplicate"] == [["sys", "boot"]]
    wide = load_log(out).readings
    assert len(wide) > 2 * 30  # both runs' readings


# ---- 2. the simulator's exit status -------------------------------------------------------------
def test_simulate_pty_exits_zero(tmp_path):
    done = subprocess.run([*CLI, "simulate", "--pty", "--duration", "20", "--speed", "0",
                           "--engine", "diurnal", "--write-timeout", "0.01"],
                          env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().startswith("done:")


# ---- 3. two loggers -----------------------------------------------------------------------------
def test_a_second_logger_on_one_port_refuses_at_once(tmp_path, pty_pair):
    master, path = pty_pair
    env = _env(tmp_path)
    link = tmp_path / "by-id"
    link.symlink_to(path)
    first = _logger(path, tmp_path / "a", env, "--quiet")
    lines = _lines(3000)
    try:
        _wait(lambda: "connect" in _events(tmp_path / "a"), what="the first logger")
        # the box keeps sending while the second logger tries the port: it must not take
        # (or flush away) a single byte of what the first is reading
        feeder = threading.Thread(target=lambda: [(os.write(master, x.encode()),
                                                   time.sleep(0.001)) for x in lines])
        feeder.start()
        second = _logger(str(link), tmp_path / "b", env, "--quiet")
        _, err = second.communicate(timeout=60)
        feeder.join()
        assert second.returncode != 0
        assert "Traceback" not in err
        assert str(first.pid) in err and "busy" in err.lower(), err
        _wait(lambda: day_files(tmp_path / "a") and
              sum(1 for _ in open(day_files(tmp_path / "a")[0])) > 6000, what="3000 lines")
        rc, err = _stop(first)
        assert rc == 0, err
    finally:
        if first.poll() is None:
            first.kill()
    assert not (tmp_path / "b").exists() or not day_files(tmp_path / "b")
    assert _logged(tmp_path / "a") == sorted(("box-7", 3, i) for i in range(3000))
    assert not (tmp_path / "a" / "rejects.csv").exists()


def test_a_second_logger_for_one_node_in_one_folder_refuses(tmp_path):
    env, out = _env(tmp_path), tmp_path / "logs"
    url = "sim://?seed={}&speed=10&period=2&node=twin&engine=diurnal"
    first = _logger(url.format(1), out, env, "--quiet")
    try:
        _wait(lambda: day_files(out) and "pms5003" in day_files(out)[0].read_text(),
              what="the first logger's first reading")
        second = _logger(url.format(2), out, env, "--quiet")
        _, err = second.communicate(timeout=60)
        assert second.returncode != 0 and "Traceback" not in err
        assert "twin" in err and str(first.pid) in err, err
        rc, err = _stop(first)
        assert rc == 0, err
    finally:
        if first.poll() is None:
            first.kill()
    assert set(load_log(out).readings["site_id"]) == {"twin"}


# ---- 4. a full disk -----------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (the full-disk test runs as root in CI)")
    mnt = tmp_path / "disk"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=True)


def _fill(disk: Path) -> Path:
    """Fill the disk completely; return the filler file."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        for size in (65536, 4096, 1):  # to the last byte the disk takes
            try:
                while os.write(fd, b"\0" * size):
                    pass
            except OSError as err:
                assert err.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


def test_full_disk_pauses_says_so_once_and_resumes(tmp_path, small_disk, pty_pair):
    master, path = pty_pair
    out = small_disk / "logs"
    logger = _logger(path, out, _env(tmp_path))  # not --quiet: the summary is checked
    try:
        _wait(lambda: "connect" in _events(out), what="the logger")
        lines = _lines(400)
        os.write(master, "".join(lines[:20]).encode())
        _wait(lambda: day_files(out), what="the first rows")
        filler = _fill(small_disk)
        for i in range(20, 300, 10):  # the disk stays full while these arrive
            os.write(master, "".join(lines[i:i + 10]).encode())
            time.sleep(0.02)  # a box's pace, so the reads are many small ones
        err_so_far = b""
        os.set_blocking(logger.stderr.fileno(), False)

        def said_full():
            nonlocal err_so_far
            try:
                err_so_far += os.read(logger.stderr.fileno(), 65536) or b""
            except BlockingIOError:
                pass
            return b"disk" in err_so_far.lower()

        _wait(said_full, what="the disk-full message")
        assert logger.poll() is None, "the logger must keep running while the disk is full"
        _assert_whole_rows(out)
        filler.unlink()
        os.write(master, "".join(lines[300:]).encode())
        _wait(lambda: len(_logged(out)) == 400, what="all 400 lines after space returned")
        os.set_blocking(logger.stderr.fileno(), True)
        rc, err = _stop(logger)
    finally:
        if logger.poll() is None:
            logger.kill()
    err = err_so_far.decode() + err
    assert rc == 0 and "Traceback" not in err, err
    assert err.lower().count("disk is full") == 1, err
    assert str(out) in err
    _assert_whole_rows(out)
    assert _logged(out) == sorted(("box-7", 3, i) for i in range(400))
    assert "disconnect" not in _events(out)
    rows = sum(len(_rows(p)) - 1 for p in day_files(out))
    assert f"({rows} rows)" in err  # the summary counts only rows really written


def test_full_disk_that_stays_full_exits_with_one_message(tmp_path, small_disk, pty_pair):
    master, path = pty_pair
    out = small_disk / "logs"
    logger = _logger(path, out, _env(tmp_path), "--quiet", "--hold-mb", "0.05")
    try:
        _wait(lambda: "connect" in _events(out), what="the logger")
        lines = _lines(2000)
        os.write(master, "".join(lines[:10]).encode())
        _wait(lambda: day_files(out), what="the first rows")
        _fill(small_disk)
        for i in range(10, 2000, 50):
            if logger.poll() is not None:
                break
            try:
                os.write(master, "".join(lines[i:i + 50]).encode())
            except OSError:
                break
            time.sleep(0.02)
        _, err = logger.communicate(timeout=60)
    finally:
        if logger.poll() is None:
            logger.kill()
    assert logger.returncode not in (0, None)
    assert "Traceback" not in err, err
    assert err.lower().count("disk is full") == 1, err
    _assert_whole_rows(out)
    logged = _logged(out)
    assert logged == sorted(("box-7", 3, i) for i in range(len(logged)))  # whole lines, in order


# ---- 5. a port that cannot be opened ------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_port_that_cannot_be_opened_is_explained_once(tmp_path, lang):
    env = dict(_env(tmp_path), SENSORLAB_LANG=lang)
    port = str(tmp_path / "ttyUSB9")
    proc = _logger(port, tmp_path / "logs", env)
    _wait(lambda: "waiting" in _events(tmp_path / "logs"), what="the logger to try the port")
    time.sleep(1.5)  # two more attempts: the message must still be there only once
    rc, err = _stop(proc)
    assert rc == 0 and "Traceback" not in err, err
    expected = text("kit_cli.port_missing", lang=lang, port=port).splitlines()[0]
    assert err.count(expected) == 1, err


# ---- 6. start-up: no pandas for the logger ------------------------------------------------------
def test_sensorlab_log_help_does_not_import_pandas(tmp_path):
    code = ("import sys\nfrom sensorlab.cli import main\n"
            "try:\n    main(['log', '--help'])\nexcept SystemExit as e:\n    code = e.code\n"
            "import sensorlab.kit.logger  # what `sensorlab log PORT` runs\n"
            "print('PANDAS' if 'pandas' in sys.modules else 'CLEAN', code)\n")
    done = subprocess.run([sys.executable, "-c", code], env=_env(tmp_path), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "CLEAN 0"
    assert "--out" in done.stdout


def test_the_commands_each_part_registers_are_the_ones_listed():
    import argparse
    import importlib

    from sensorlab import cli

    for name, commands in cli.PARTS.items():
        sub = argparse.ArgumentParser().add_subparsers(dest="command")
        importlib.import_module(name).register(sub)
        assert tuple(sub.choices) == commands, name


def test_the_whole_cli_still_lists_every_command(tmp_path):
    done = subprocess.run([*CLI, "--help"], env=_env(tmp_path), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    for command in ("data", "simulate", "log", "grade"):
        assert command in done.stdout


# ---- 7. many loggers creating one day file at once ----------------------------------------------
_WRITER = """
import sys, time
from datetime import date, timedelta
from sensorlab.kit import encode_line, parse_line
from sensorlab.kit.logstore import LogStore
out, node, t0 = sys.argv[1], sys.argv[2], float(sys.argv[3])
store = LogStore(out)
for i in range(DAYS):
    raw = encode_line(node, 1, i, i * 1000, "sht40", "ok", {"t": "20.00", "rh": "50.00"})
    line = (parse_line(raw), raw.strip().encode())
    while time.time() < t0 + i * 0.01:  # every writer reaches midnight at the same instant
        pass
    store.add_lines([line], f"{date(2001, 1, 1) + timedelta(days=i)}T00:00:00.000Z")
store.close()
"""
DAYS = 300


def test_many_loggers_create_one_day_file_with_one_header(tmp_path):
    out = tmp_path / "logs"
    LogStore(out).close()
    t0 = time.time() + 5  # time for every process to start and wait
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER.replace("DAYS", str(DAYS)),
                               str(out), f"box-{i}", str(t0)],
                              env=_env(tmp_path), stderr=subprocess.PIPE, text=True)
             for i in range(6)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    _assert_whole_rows(out)
    assert len(day_files(out)) == DAYS
    assert len(load_log(out).readings) == 6 * DAYS


def test_load_log_reads_a_day_file_with_a_doubled_header_and_a_torn_row(tmp_path):
    store = LogStore(tmp_path)
    for i, raw in enumerate(_lines(3)):
        store.add_lines([(parse_line(raw), raw.strip().encode())], f"2025-03-01T10:00:0{i}.000Z")
    store.close()
    day = tmp_path / "2025-03-01.csv"
    head, *rows = day.read_text(encoding="utf-8").splitlines(keepends=True)
    # what two racing loggers and a full disk left behind before issue 12
    day.write_text(head + head + rows[0] + rows[1][:30] + rows[2] + rows[3] + "".join(rows[4:]),
                   encoding="utf-8")
    with pytest.warns(UserWarning, match="2025-03-01.csv"):
        wide = load_log(tmp_path).readings
    assert sorted(wide["seq"]) == [0, 1, 2]


# ---- 8. what a student does to the folder while the logger runs ---------------------------------
@contextlib.contextmanager
def _quiet_logger(path: str, out: Path, env: dict):
    """``sensorlab log PATH --out OUT --quiet``, connected; stopped after (exit 0, no traceback)."""
    proc = _logger(path, out, env, "--quiet")
    try:
        _wait(lambda: "connect" in _events(out), what="the logger")
        yield proc
        rc, err = _stop(proc)
        assert rc == 0 and "Traceback" not in err, err
    finally:
        if proc.poll() is None:
            proc.kill()


def _feed_and_wait(master: int, out: Path, lines: list[str], expected: list) -> None:
    os.write(master, "".join(lines).encode())
    _wait(lambda: day_files(out) and _logged(out) == expected, what="the lines in the day file")


def test_a_day_file_or_folder_deleted_while_logging_is_made_again(tmp_path, pty_pair):
    master, path = pty_pair
    out = tmp_path / "logs"
    lines = _lines(30)
    with _quiet_logger(path, out, _env(tmp_path)):
        _feed_and_wait(master, out, lines[:10], [("box-7", 3, i) for i in range(10)])
        day_files(out)[0].unlink()  # a student tidying the folder
        _feed_and_wait(master, out, lines[10:20], [("box-7", 3, i) for i in range(10, 20)])
        shutil.rmtree(out)
        _feed_and_wait(master, out, lines[20:], [("box-7", 3, i) for i in range(20, 30)])
    _assert_whole_rows(out)
    assert "file_recreated" in _events(out)


def test_a_students_own_csv_in_the_log_folder_is_left_alone(tmp_path, pty_pair):
    master, path = pty_pair
    out = tmp_path / "logs"
    out.mkdir()
    notes = out / "my-notes.csv"
    notes.write_bytes("where,when\nroof,monday\n창가,tuesday".encode())  # no newline at the end
    before = notes.read_bytes()
    with _quiet_logger(path, out, _env(tmp_path)):
        _feed_and_wait(master, out, _lines(5), [("box-7", 3, i) for i in range(5)])
    assert notes.read_bytes() == before
    assert not (out / "rejects.csv").exists()


def test_load_log_reads_a_folder_while_a_full_disk_holds_todays_first_rows(
        tmp_path, small_disk, pty_pair):
    """A full disk at the first row of a day leaves that day's file empty: yesterday's rows
    must still load (lesson 01 opened while the logger waits for space)."""
    master, path = pty_pair
    out = small_disk / "logs"
    store = LogStore(out)
    for raw in _lines(3, node="box-1"):
        store.add_lines([(parse_line(raw), raw.strip().encode())], "2025-03-01T10:00:00.000Z")
    store.close()
    with _quiet_logger(path, out, _env(tmp_path)):
        filler = _fill(small_disk)
        os.write(master, "".join(_lines(5)).encode())
        _wait(lambda: len(day_files(out)) == 2, what="today's day file")
        assert day_files(out)[1].stat().st_size == 0
        assert _logged(out) == [("box-1", 3, i) for i in range(3)]
        filler.unlink()
        _wait(lambda: len(_logged(out)) == 8, what="today's rows after space returned")
    _assert_whole_rows(out)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_an_out_that_is_not_a_folder_is_one_message(tmp_path, pty_pair, lang):
    _, path = pty_pair
    taken = tmp_path / "data.csv"  # a student's `--out data.csv`
    taken.write_text("x\n1\n", encoding="utf-8")
    env = dict(_env(tmp_path), SENSORLAB_LANG=lang)
    for out in (taken, taken / "logs"):
        done = subprocess.run([*CLI, "log", path, "--out", str(out)], env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        expected = text("kit_cli.out_unusable", lang=lang, out=out, reason="@").split("@")[0]
        assert expected in done.stderr, done.stderr
    assert taken.read_text(encoding="utf-8") == "x\n1\n"


def test_lines_sent_while_a_killed_logger_restarts_are_logged(tmp_path, pty_pair):
    """What the box sent between a SIGKILL and the restart waits in the port's buffer:
    opening the port must not empty it (pyserial does so by default)."""
    master, path = pty_pair
    out, env, lines = tmp_path / "logs", _env(tmp_path), _lines(30)
    logger = _logger(path, out, env, "--quiet")
    try:
        _wait(lambda: "connect" in _events(out), what="the logger")
        _feed_and_wait(master, out, lines[:5], [("box-7", 3, i) for i in range(5)])
        logger.kill()  # SIGKILL: a crash, or a student closing the terminal window
        logger.wait(timeout=60)
        os.write(master, "".join(lines[5:25]).encode())  # the box keeps sending
        logger = _logger(path, out, env, "--quiet")
        _wait(lambda: _events(out).count("connect") == 2, what="the restarted logger")
        _feed_and_wait(master, out, lines[25:], [("box-7", 3, i) for i in range(30)])
        rc, err = _stop(logger)
    finally:
        if logger.poll() is None:
            logger.kill()
    assert rc == 0 and "Traceback" not in err, err
    _assert_whole_rows(out)
    assert not (out / "rejects.csv").exists()


def test_a_day_file_saved_again_by_a_spreadsheet_still_knows_its_lines(tmp_path):
    """A teacher opens today's file in a spreadsheet and saves it (BOM, CRLF): a line the
    box sends again after a logger restart is still the duplicate it is, not a new line."""
    raws = _lines(3)
    store = LogStore(tmp_path)
    for i, raw in enumerate(raws):
        store.add_lines([(parse_line(raw), raw.strip().encode())], f"2025-03-01T10:00:0{i}.000Z")
    store.close()
    day = tmp_path / "2025-03-01.csv"
    day.write_bytes(b"\xef\xbb\xbf" + day.read_bytes().replace(b"\n", b"\r\n"))
    store = LogStore(tmp_path)
    assert store.add_lines([(parse_line(raws[1]), raws[1].strip().encode())],
                           "2025-03-01T10:00:09.000Z") == 0
    store.close()
    assert [r[1] for r in _rows(tmp_path / "rejects.csv")[1:]] == ["duplicate"]
    assert "key_reused" not in _events(tmp_path)
    assert sorted(load_log(tmp_path).readings["seq"]) == [0, 1, 2]
