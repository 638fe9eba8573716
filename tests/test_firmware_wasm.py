"""The Tier A firmware on real MicroPython: the WebAssembly port from npm, run by Node.

``kits/firmware/test-harness/run-firmware.mjs`` loads ``kits/firmware/*.py`` into
MicroPython's filesystem, puts a stand-in ``machine`` module beside it (recorded PMS5003
frames on the UART, recorded SHT40 answers on I2C, a clock the bench advances) and runs
the firmware for 120 simulated seconds, reboots it, and runs 15 more. Every printed line
is checked with the host's parser, ``sensorlab.kit.protocol.parse_line``.

What this port cannot show (covered in tests/test_firmware_cpython.py instead):
- it has no ``machine`` module, UART, I2C or watchdog hardware: the stand-ins replace them
  (the same stand-ins the CPython test uses, so both runs see identical inputs);
- its filesystem is Emscripten's in-memory one, not the ESP32's littlefs or a FAT
  partition, so the boot counter's power-cut recovery and FAT rename path are CPython tests;
- its floats are double precision, the ESP32's single: the firmware converts sensor words
  with integers only, and the CPython test checks the conversions at the extreme words;
- there is no hypothesis in MicroPython: the byte-stream fuzzing runs under CPython.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

try:
    import fcntl
except ImportError:  # Windows: no parallel installs to guard against there (no pty either)
    fcntl = None

HARNESS = Path(__file__).resolve().parents[1] / "kits" / "firmware" / "test-harness"
# the checker lives beside the recordings it reads; loaded by path, not put on sys.path
_spec = importlib.util.spec_from_file_location("kit_check_output", HARNESS / "check_output.py")
check_output = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_output)

BOOT_START = 41
SECONDS, REBOOT_SECONDS = 120, 15


@pytest.fixture(scope="module")
def harness() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("node/npm not installed: the MicroPython WebAssembly port needs Node")
    package = HARNESS / "node_modules" / "@micropython" / "micropython-webassembly-pyscript"
    # pytest-xdist workers may get here together; `npm ci` first deletes node_modules, so
    # only one may install while the others wait (the lock file is git-ignored)
    with open(HARNESS / ".npm-ci.lock", "w") as lock:
        if fcntl:
            fcntl.flock(lock, fcntl.LOCK_EX)
        if not package.is_dir():
            done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=HARNESS,
                                  capture_output=True, text=True, timeout=300)
            if done.returncode != 0:
                pytest.skip(f"`npm ci` failed (registry unreachable?): {done.stderr[-500:]}")
    return HARNESS


def run_bench(harness: Path, *options: str) -> str:
    done = subprocess.run(["node", "run-firmware.mjs", *options], cwd=harness,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert not done.stderr.strip(), done.stderr
    return done.stdout


def test_firmware_runs_on_micropython_and_sends_valid_kit1(harness):
    out = run_bench(harness, "--seconds", str(SECONDS), "--reboot-seconds",
                    str(REBOOT_SECONDS), "--boot-start", str(BOOT_START))
    runs, notes = check_output.split_runs(out)
    assert notes["port"].startswith("micropython 1.27"), notes  # not CPython in disguise
    assert len(runs) == 2
    counts = check_output.check_run(runs[0], BOOT_START + 1, "power_on", SECONDS)
    # every situation in the recordings was met and reported
    assert counts["warmup"] == 2 and counts["ok"] >= 7, counts
    assert counts["checksum"] == 2 and counts["timeout"] == 1, counts
    assert counts["sht_err"] == 2 and counts["sht_ok"] == 9 and counts["hb"] == 1, counts
    check_output.check_run(runs[1], BOOT_START + 2, "soft", REBOOT_SECONDS)
    assert int(notes["counter"]) == BOOT_START + 2  # the boot counter file in "flash"
    assert "uart=2 tx=17 rx=16 i2c=0" in notes["run1"]  # the pins the guide's wiring uses


def test_first_boot_after_flashing_starts_the_counter(harness):
    out = run_bench(harness, "--seconds", "12", "--reboot-seconds", "0", "--boot-start", "-1")
    runs, notes = check_output.split_runs(out)
    assert runs[0][0].boot_id == 1 and runs[0][0].fields["msg"] == "counter_new"
    assert notes["counter"] == "1"


def test_ticks_wraparound_does_not_break_uptime(harness):
    # ESP32 ticks_ms() wraps at 2**30 ms (12.4 days); start 5 s before the wrap
    wrapped = run_bench(harness, "--seconds", "40", "--reboot-seconds", "0",
                        "--start-ticks", str(2**30 - 5000))
    plain = run_bench(harness, "--seconds", "40", "--reboot-seconds", "0")
    runs_w, _ = check_output.split_runs(wrapped)
    runs_p, _ = check_output.split_runs(plain)
    check_output.check_run(runs_w[0], BOOT_START + 1, "power_on", 40)
    assert [r.to_line() for r in runs_w[0]] == [r.to_line() for r in runs_p[0]]


def test_optional_light_sensor_is_found_and_read(harness, tmp_path):
    for name in ("pms5003.txt", "sht40.txt"):
        (tmp_path / name).write_bytes((HARNESS / "recordings" / name).read_bytes())
    # dark, a classroom, an overcast noon, and the sensor's full scale
    (tmp_path / "bh1750.txt").write_text("0\n480\n12000\n65535\n")
    out = run_bench(harness, "--seconds", "50", "--reboot-seconds", "0",
                    "--recordings", str(tmp_path))
    runs, _ = check_output.split_runs(out)
    counts = check_output.check_run(runs[0], BOOT_START + 1, "power_on", 50, folder=tmp_path)
    assert counts["lux"] == 4
