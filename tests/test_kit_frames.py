"""PMS5003 and SDS011 frames: encode, decode, resync, and the named errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sensorlab.kit import (
    BadFrameChecksum, BadFrameHeader, BadFrameLength, decode_pms5003, decode_sds011,
    encode_pms5003, encode_sds011, scan_frames,
)
from sensorlab.kit.frames import PMS5003_KEYS

words = st.integers(0, 0xFFFF)


@settings(deadline=None)  # a loaded shared machine must not fail a test
@given(st.fixed_dictionaries({k: words for k in PMS5003_KEYS}))
def test_pms5003_round_trip(values):
    frame = encode_pms5003(**values)
    assert len(frame) == 32 and frame[:2] == b"BM"
    assert int.from_bytes(frame[30:], "big") == sum(frame[:30]) & 0xFFFF
    out = decode_pms5003(frame)
    assert {k: out[k] for k in PMS5003_KEYS} == values


def test_pms5003_known_frame_layout():
    frame = encode_pms5003(pm1_cf1=0x0102, n10=0x0A0B, version=0x97, error_code=0)
    assert frame[4:6] == b"\x01\x02"
    assert frame[26:28] == b"\x0a\x0b"
    assert frame[28] == 0x97 and frame[29] == 0


def test_pms5003_errors():
    frame = encode_pms5003(pm25_atm=30)
    with pytest.raises(BadFrameLength):
        decode_pms5003(frame[:31])
    with pytest.raises(BadFrameHeader):
        decode_pms5003(b"BN" + frame[2:])
    with pytest.raises(BadFrameLength, match="length 27"):
        decode_pms5003(frame[:3] + b"\x1b" + frame[4:])
    bad = bytearray(frame)
    bad[10] ^= 0x40
    with pytest.raises(BadFrameChecksum) as info:
        decode_pms5003(bytes(bad))
    assert info.value.reason == "frame_checksum"
    with pytest.raises(ValueError):
        encode_pms5003(pm25_atm=70000)
    with pytest.raises(ValueError):
        encode_pms5003(pm2_5=3)


@settings(deadline=None)  # a loaded shared machine must not fail a test
@given(pm25=st.integers(0, 9999), pm10=st.integers(0, 9999), dev=st.integers(0, 0xFFFF))
def test_sds011_round_trip(pm25, pm10, dev):
    frame = encode_sds011(pm25=pm25 / 10, pm10=pm10 / 10, device_id=dev)
    out = decode_sds011(frame)
    assert (out["pm25_raw"], out["pm10_raw"], out["device_id"]) == (pm25, pm10, dev)
    assert out["pm25"] == pytest.approx(pm25 / 10)


def test_sds011_header_needs_both_bytes_and_tail():
    frame = encode_sds011(pm25=1.0, pm10=2.0)
    for bad in (b"\xab" + frame[1:], frame[:1] + b"\xc5" + frame[2:], frame[:9] + b"\x00"):
        with pytest.raises(BadFrameHeader):
            decode_sds011(bad)
    with pytest.raises(BadFrameChecksum):
        decode_sds011(frame[:8] + bytes([frame[8] ^ 1]) + frame[9:])


@settings(deadline=None)  # a loaded shared machine must not fail a test
@given(st.lists(st.integers(0, 500), min_size=1, max_size=6), st.binary(max_size=40),
       st.data())
def test_scan_frames_resyncs_after_garbage_and_splits(pm_values, garbage, data):
    while b"BM" in garbage:
        garbage = garbage.replace(b"BM", b"")
    stream = garbage + b"".join(encode_pms5003(pm25_atm=v) for v in pm_values)
    cut = data.draw(st.integers(0, len(stream)))
    got, errors, rest = scan_frames(stream[:cut])
    more, errors2, rest2 = scan_frames(rest + stream[cut:])
    assert [f["pm25_atm"] for f in got + more] == pm_values
    # only a last byte that could start the next frame is kept back
    assert rest2 in (b"", b"B") and stream.endswith(rest2)
