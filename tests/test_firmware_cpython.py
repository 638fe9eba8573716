"""The Tier A firmware under CPython, with the same stand-in bench as the WebAssembly test.

This covers what the MicroPython WebAssembly port cannot (tests/test_firmware_wasm.py says
what and why): the boot counter on a FAT-like filesystem and after a power cut, the
checksum and CRC code against the datasheets and against ``sensorlab.kit.frames``,
byte-stream fuzzing with hypothesis, the stuck-sensor and out-of-range paths, and the
conversions at the extreme sensor words (the ESP32's floats are single precision; the
firmware avoids floats there, and these tests pin the exact digits).
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import os
import sys
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sensorlab.kit import frames, protocol

KITS = Path(__file__).resolve().parents[1] / "kits" / "firmware"
HARNESS = KITS / "test-harness"
FIRMWARE_MODULES = ("main", "kit1", "pms5003", "sht40", "boot_counter", "machine", "bench",
                    "check_output")


@pytest.fixture(scope="module")
def fw():
    """Import the firmware (and the stand-in ``machine``) as the board would, then forget it."""
    saved = {name: sys.modules.pop(name) for name in FIRMWARE_MODULES if name in sys.modules}
    paths = [str(KITS), str(HARNESS / "stand_ins"), str(HARNESS)]
    sys.path[:0] = paths
    try:
        mods = {name: importlib.import_module(name) for name in FIRMWARE_MODULES}
        yield type("Firmware", (), mods)
    finally:
        for name in FIRMWARE_MODULES:
            sys.modules.pop(name, None)
        sys.modules.update(saved)
        for p in paths:
            sys.path.remove(p)


def simulate(fw, tmp_path, monkeypatch, seconds=120, reboot_seconds=15, boot_start=41,
             recordings=None, start_ticks=0):
    monkeypatch.chdir(tmp_path)
    if boot_start >= 0:
        (tmp_path / "boot_id.txt").write_text(f"{boot_start}\n")
    out = io.StringIO()
    emit = lambda text: print(text, file=out)  # noqa: E731
    # CPython's gc has no mem_free(), and a full collection in a big pytest process takes
    # ~0.2 s (on the board it takes a millisecond): a stand-in says what an ESP32 would
    monkeypatch.setattr(fw.main, "gc", SimpleNamespace(collect=lambda: 0, mem_free=lambda: 110_000))
    fw.bench.simulate(fw.main, str(recordings or HARNESS / "recordings"), seconds,
                      reboot_seconds, start_ticks, emit=emit)
    return out.getvalue()


def test_same_bench_run_as_the_wasm_test(fw, tmp_path, monkeypatch):
    runs, notes = fw.check_output.split_runs(simulate(fw, tmp_path, monkeypatch))
    counts = fw.check_output.check_run(runs[0], 42, "power_on", 120)
    assert counts["checksum"] == 2 and counts["timeout"] == 1 and counts["warmup"] == 2
    fw.check_output.check_run(runs[1], 43, "soft", 15)
    assert (tmp_path / "boot_id.txt").read_text().strip() == "43"
    assert not (tmp_path / "boot_id.txt.tmp").exists()


# --- KIT1 lines -----------------------------------------------------------------------

def test_kit1_checksum_matches_the_host(fw):
    for body in ("KIT1,a,1,1,0,sys,hb", "", "KIT1,kit-5ea107,42,0,0,sys,boot,fw=0.1.0"):
        assert fw.kit1.checksum(body) == protocol.checksum(body)


@given(st.lists(st.integers(-100_000, 100_000), min_size=1, max_size=12),
       st.integers(0, 2**31), st.integers(0, 10**6))
def test_kit1_lines_parse_back_to_their_values(fw, centis, boot_id, seq):
    fields = [(f"v{i}", fw.kit1.centi(c)) for i, c in enumerate(centis)]
    line = fw.kit1.line("box-1", boot_id, seq, 5, "sht40", "ok", fields)
    parsed = protocol.parse_line(line)
    assert (parsed.boot_id, parsed.seq) == (boot_id, seq)
    assert [Fraction(str(v)) for v in parsed.fields.values()] == [Fraction(c, 100) for c in centis]


# --- PMS5003 --------------------------------------------------------------------------

pm_words = st.fixed_dictionaries({k: st.integers(0, 0xFFFF) for k in frames.PMS5003_KEYS})


class FakeUART:
    """Hands over a byte string in the chunk sizes a test chooses."""

    def __init__(self, chunks):
        self.chunks = list(chunks)

    def any(self):
        return len(self.chunks[0]) if self.chunks else 0

    def read(self, n):
        return self.chunks.pop(0)


@given(pm_words)
def test_pms5003_decode_agrees_with_the_host_decoder(fw, words):
    frame = frames.encode_pms5003(**words)
    assert fw.pms5003.frame_checksum_ok(frame)
    assert fw.pms5003.decode(frame) == tuple(words[k] for k in frames.PMS5003_KEYS)


@given(pm_words, st.integers(0, 29), st.integers(1, 255))
def test_pms5003_reader_reports_a_damaged_frame(fw, words, index, flip):
    frame = bytearray(frames.encode_pms5003(**words))
    frame[index] ^= flip
    follow = frames.encode_pms5003(pm25_atm=7)
    events = fw.pms5003.Reader(FakeUART([bytes(frame) + follow])).poll()
    # a damaged frame never passes as data, and the reader finds the next good frame
    assert all(kind == "err" for kind, _ in events[:-1])
    assert events[-1] == ("ok", fw.pms5003.decode(follow))
    if index >= 4:  # header intact: exactly one checksum error
        assert events[:-1] == [("err", "checksum")]


@settings(max_examples=60)
@given(st.lists(pm_words, min_size=1, max_size=4), st.binary(max_size=40),
       st.lists(st.integers(1, 40), max_size=30))
def test_pms5003_reader_survives_any_split_and_leading_noise(fw, frame_words, noise, cuts):
    # noise without "BM" (what a line shows while wires are being connected)
    noise = noise.replace(b"B", b"")
    stream = noise + b"".join(frames.encode_pms5003(**w) for w in frame_words)
    chunks, at = [], 0
    for n in cuts:
        chunks.append(stream[at:at + n])
        at += n
    chunks = [c for c in chunks if c] + ([stream[at:]] if stream[at:] else [])
    reader = fw.pms5003.Reader(FakeUART(chunks))
    events = []
    while reader.uart.chunks:
        events += reader.poll()
    assert events == [("ok", tuple(w[k] for k in frames.PMS5003_KEYS)) for w in frame_words]


# --- SHT40 ----------------------------------------------------------------------------

def test_sht40_crc8_datasheet_example(fw):
    # Sensirion SHT4x datasheet, CRC-8 section: CRC(0xBEEF) = 0x92
    assert fw.sht40.crc8(b"\xbe\xef") == 0x92
    assert fw.sht40.crc8(b"\x00\x00") == 0x81


@given(st.integers(0, 0xFFFF))
def test_sht40_conversions_are_exact_to_the_hundredth(fw, raw):
    t = Fraction(-45) + Fraction(175 * raw, 65535)
    rh = min(Fraction(100), max(Fraction(0), Fraction(-6) + Fraction(125 * raw, 65535)))
    assert Fraction(fw.sht40.t_centi(raw), 100) == round(t, 2)
    assert Fraction(fw.sht40.rh_centi(raw), 100) == round(rh, 2)


def test_sht40_extremes_and_damaged_crc(fw):
    assert fw.kit1.centi(fw.sht40.t_centi(0)) == "-45.00"
    assert fw.kit1.centi(fw.sht40.t_centi(0xFFFF)) == "130.00"
    assert fw.kit1.centi(fw.sht40.rh_centi(0)) == "0.00"      # clipped, not -6
    assert fw.kit1.centi(fw.sht40.rh_centi(0xFFFF)) == "100.00"  # clipped, not 119
    good = b"\x66\x66" + bytes([fw.sht40.crc8(b"\x66\x66")]) + b"\x80\x00" + bytes(
        [fw.sht40.crc8(b"\x80\x00")])
    assert fw.sht40.parse(good) == (0x6666, 0x8000)
    with pytest.raises(fw.sht40.CRCError):
        fw.sht40.parse(good[:5] + bytes([good[5] ^ 0x10]))


def test_out_of_range_temperature_is_an_error_line(fw, tmp_path, monkeypatch):
    hot = b"\xff\xff" + bytes([fw.sht40.crc8(b"\xff\xff")]) + b"\x80\x00" + bytes(
        [fw.sht40.crc8(b"\x80\x00")])
    (tmp_path / "pms5003.txt").write_text("")
    (tmp_path / "sht40.txt").write_text(hot.hex() + "\n")
    runs, _ = fw.check_output.split_runs(simulate(fw, tmp_path, monkeypatch, seconds=12,
                                                  reboot_seconds=0, recordings=tmp_path))
    by_sensor = {r.sensor: r for r in runs[0]}
    assert by_sensor["sht40"].status == "err" and by_sensor["sht40"].fields["code"] == "range"
    assert by_sensor["sht40"].fields["t_raw"] == 0xFFFF
    assert by_sensor["pms5003"].fields == {"code": "timeout"}  # nothing on the UART


def test_stuck_pm_sensor_is_reported_stale(fw, tmp_path, monkeypatch):
    frame = frames.encode_pms5003(pm1_cf1=5, pm25_cf1=8, pm10_cf1=9, pm1_atm=5, pm25_atm=8,
                                  pm10_atm=9, n0_3=900)
    lines = [f"{k * 1000 + 370} {frame.hex()}" for k in range(1, 420)]
    (tmp_path / "pms5003.txt").write_text("\n".join(lines) + "\n")
    (tmp_path / "sht40.txt").write_text("nack\n")
    runs, _ = fw.check_output.split_runs(simulate(fw, tmp_path, monkeypatch, seconds=400,
                                                  reboot_seconds=0, recordings=tmp_path))
    statuses = [r.status for r in runs[0] if r.sensor == "pms5003"]
    assert statuses[:3] == ["warmup", "warmup", "ok"]
    first_stale = statuses.index("stale")
    assert first_stale == fw.main.STALE_REPORTS  # 30 repeats after the first report
    assert set(statuses[first_stale:]) == {"stale"}


# --- boot counter -----------------------------------------------------------------------

def test_boot_counter_counts_and_recovers(fw, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    nb = fw.boot_counter.next_boot_id
    assert nb("c.txt") == (1, "new")
    assert nb("c.txt") == (2, "")
    (tmp_path / "c.txt").write_text("\x00\x00garbage")  # a write torn by power loss
    assert nb("c.txt") == (1, "reset")
    # power cut between remove and rename on FAT: only the new file is there
    os.remove("c.txt")
    (tmp_path / "c.txt.tmp").write_text("7\n")
    assert nb("c.txt") == (8, "")


def test_boot_counter_on_a_filesystem_that_cannot_rename_over_a_file(fw, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    real_rename = os.rename

    def fat_rename(src, dst):
        if os.path.exists(dst):
            raise OSError(17, "EEXIST")
        real_rename(src, dst)

    monkeypatch.setattr(fw.boot_counter.os, "rename", fat_rename)
    assert [fw.boot_counter.next_boot_id("c.txt")[0] for _ in range(3)] == [1, 2, 3]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.txt"]


# --- Tier B: the same firmware on Linux through kits/firmware/pi/machine.py ---------------

def test_pi_machine_runs_the_firmware_over_a_pyserial_port(fw, tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("pi_machine", KITS / "pi" / "machine.py")
    pi = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pi)
    uart = pi.UART(url="loop://")
    frames_sent = [frames.encode_pms5003(pm25_cf1=20 + k, pm25_atm=19 + k, n0_3=3000 + k)
                   for k in range(3)]
    uart.port.write(b"".join(frames_sent))  # loop:// hands written bytes back to the reader
    i2c = pi.I2C(1, path=str(tmp_path / "no-i2c-bus"))  # I2C not enabled on this "Pi"
    out = []
    monkeypatch.setattr(fw.main, "gc", SimpleNamespace(collect=lambda: 0))
    box = fw.main.run(duration_ms=12_000, clock=fw.machine.Clock(), uart=uart, i2c=i2c,
                      emit=out.append, node_id="pi-test", counter_path=str(tmp_path / "c.txt"),
                      mem_free=pi.mem_available)
    lines = [protocol.parse_line(text) for text in out]
    assert [(r.sensor, r.status) for r in lines] == [
        ("sys", "boot"), ("pms5003", "warmup"), ("sht40", "err")]
    assert lines[1].fields["pm25_cf1"] == 22 and lines[1].fields["n0_3"] == 3002
    assert lines[2].fields == {"code": "i2c_nack"}
    assert box.seq == 3
    assert pi.mem_available() > 0 and len(pi.unique_id()) >= 1
    assert pi.reset_cause() in (pi.PWRON_RESET, pi.SOFT_RESET)


def test_an_unforeseen_fault_restarts_the_board(fw, monkeypatch):
    calls = []
    monkeypatch.setattr(fw.main, "run", lambda: (_ for _ in ()).throw(ValueError("bad")))
    monkeypatch.setattr(fw.main.time, "sleep_ms", lambda ms: calls.append(("sleep", ms)),
                        raising=False)
    monkeypatch.setattr(fw.machine, "reset", lambda: calls.append(("reset",)), raising=False)
    fw.main.run_forever()
    assert calls == [("sleep", 10000), ("reset",)]
    monkeypatch.setattr(fw.main, "run", lambda: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):  # Ctrl-C still reaches the >>> prompt
        fw.main.run_forever()
