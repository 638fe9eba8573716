"""Check what the firmware printed on the stand-in bench against the recordings.

Used by ``tests/test_firmware_wasm.py`` (firmware on MicroPython WebAssembly) and
``tests/test_firmware_cpython.py`` (the same firmware under CPython). Every line is read
with the host's own parser, :func:`sensorlab.kit.protocol.parse_line`, and every expected
value is worked out here from the recorded bytes with :mod:`sensorlab.kit.frames` and the
SHT40 datasheet formulas -- never from the firmware's code.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from sensorlab.kit.frames import PMS5003_KEYS, FrameError, decode_pms5003
from sensorlab.kit.protocol import Kit1Line, parse_line

HERE = Path(__file__).resolve().parent
RECORDINGS = HERE / "recordings"
REPORT_MS, WARMUP_MS, HEARTBEAT_MS = 10_000, 30_000, 60_000


def load_pms(folder: Path = RECORDINGS) -> list[tuple[int, bytes]]:
    out = []
    for line in (folder / "pms5003.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            when, data = line.split()
            out.append((int(when), bytes.fromhex(data)))
    return out


def load_sht(folder: Path = RECORDINGS) -> list[bytes | None]:
    return [None if line == "nack" else bytes.fromhex(line)
            for line in (folder / "sht40.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]


def load_light(folder: Path = RECORDINGS) -> list[int]:
    """Raw BH1750 words, or [] when the bench has no light sensor (it is optional)."""
    path = folder / "bh1750.txt"
    if not path.exists():
        return []
    return [int(line) for line in path.read_text().splitlines()
            if line.strip() and not line.startswith("#")]


def received_frames(pms) -> tuple[list[tuple[int, dict]], list[int]]:
    """Intact frames (arrival, values) and arrival times of damaged ones, as a UART sees them.

    A burst that is not a whole frame (bytes lost) takes the next frame down with it: the
    reader completes the short frame with the next frame's start bytes.
    """
    good, damaged, eaten = [], [], False
    for when, data in pms:
        if data[:2] != b"BM" and not eaten:
            continue  # noise before the first start bytes: skipped, not a frame
        if eaten:
            eaten = False
            continue
        try:
            values = decode_pms5003(data)
        except FrameError:
            damaged.append(when)
            eaten = len(data) < 32
            continue
        good.append((when, {k: values[k] for k in PMS5003_KEYS}))
    return good, damaged


def sht_centi(raw: int, offset: int, span: int) -> Fraction:
    return round(Fraction(offset) + Fraction(span * raw, 65535), 2)


def sensirion_crc(two: bytes) -> int:
    crc = 0xFF
    for byte in two:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x31) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def split_runs(text: str) -> tuple[list[list[Kit1Line]], dict[str, str]]:
    """Parse the bench output into runs of KIT1 readings and the bench's '#' notes."""
    runs: list[list[Kit1Line]] = [[]]
    notes = {}
    for raw in text.splitlines():
        if raw.startswith("# "):
            key, _, rest = raw[2:].partition(" ")
            notes[key] = rest
            if key.startswith("run"):
                runs.append([])
            continue
        if raw.strip():
            runs[-1].append(parse_line(raw))  # raises on any bad checksum/field
    return [r for r in runs if r], notes


def check_run(run: list[Kit1Line], boot_id: int, reset: str, seconds: int,
              folder: Path = RECORDINGS) -> dict[str, int]:
    """Assert one boot's lines are what the recordings imply; return counts per kind."""
    boot = run[0]
    assert (boot.sensor, boot.status, boot.seq) == ("sys", "boot", 0), boot
    assert boot.boot_id == boot_id, f"boot_id {boot.boot_id}, expected {boot_id}"
    light = load_light(folder)
    sensors = "pms5003;sht40;bh1750" if light else "pms5003;sht40"
    assert boot.fields["reset"] == reset and boot.fields["sensors"] == sensors, boot
    assert [r.seq for r in run] == list(range(len(run))), "seq must count up from 0 by 1"
    assert all(r.boot_id == boot_id and r.node_id == boot.node_id for r in run)
    uptimes = [r.uptime_ms for r in run]
    assert uptimes == sorted(uptimes) and uptimes[-1] < seconds * 1000

    good, damaged = received_frames(load_pms(folder))
    answers = load_sht(folder)
    counts = {"warmup": 0, "ok": 0, "checksum": 0, "timeout": 0, "sht_ok": 0, "sht_err": 0,
              "hb": 0, "lux": 0}
    window_start = -1
    sht_index = 0
    for r in run[1:]:
        if r.sensor == "pms5003":
            in_window = [v for when, v in good if window_start < when <= r.uptime_ms]
            bad = [when for when in damaged if window_start < when <= r.uptime_ms]
            if r.status == "err" and r.fields["code"] == "checksum":
                assert r.fields["count"] == len(bad) > 0, (r, bad)
                counts["checksum"] += 1
                continue
            if r.status == "err" and r.fields["code"] == "timeout":
                assert not in_window and not bad, r
                counts["timeout"] += 1
            else:
                assert r.status in ("ok", "warmup"), r
                values = {k: int(v) for k, v in r.fields.items()}
                assert values == in_window[-1], (r, in_window[-1:])
                assert (r.status == "warmup") == (r.uptime_ms < WARMUP_MS), r
                counts[r.status] += 1
            window_start = r.uptime_ms
        elif r.sensor == "sht40":
            answer = answers[sht_index % len(answers)]
            sht_index += 1
            if answer is None:
                assert (r.status, r.fields) == ("err", {"code": "i2c_nack"}), r
                counts["sht_err"] += 1
            elif sensirion_crc(answer[:2]) != answer[2] or sensirion_crc(answer[3:5]) != answer[5]:
                assert (r.status, r.fields) == ("err", {"code": "checksum"}), r
                counts["sht_err"] += 1
            else:
                t_raw, rh_raw = int.from_bytes(answer[:2], "big"), int.from_bytes(answer[3:5], "big")
                rh = min(Fraction(100), max(Fraction(0), sht_centi(rh_raw, -6, 125)))
                assert r.status == "ok", r
                assert (r.fields["t_raw"], r.fields["rh_raw"]) == (t_raw, rh_raw), r
                assert Fraction(str(r.fields["t"])) == sht_centi(t_raw, -45, 175), r
                assert Fraction(str(r.fields["rh"])) == rh, r
                counts["sht_ok"] += 1
        elif r.sensor == "bh1750":
            raw = light[counts["lux"] % len(light)]
            assert r.status == "ok" and r.fields["lux_raw"] == raw, r
            # datasheet: lux = raw / 1.2
            assert Fraction(str(r.fields["lux"])) == round(Fraction(raw * 10, 12), 2), r
            counts["lux"] += 1
        elif r.sensor == "sys":
            assert r.status == "hb" and r.fields["free_mem"] > 0, r
            counts["hb"] += 1
            assert 0 <= r.uptime_ms - counts["hb"] * HEARTBEAT_MS < REPORT_MS, r
        else:
            raise AssertionError(f"unexpected sensor {r.sensor!r}")
    reports = sum(1 for r in run if r.sensor == "sht40")
    assert reports == seconds * 1000 // REPORT_MS - (seconds * 1000 % REPORT_MS == 0), reports
    assert counts["hb"] == (seconds * 1000 - 1) // HEARTBEAT_MS
    assert counts["lux"] == (reports if light else 0), counts
    return counts
