"""Binary frames of the two particle sensors the kits use: Plantower PMS5003 and Nova SDS011.

The firmware reads these frames from the sensor's UART and turns them into KIT1 lines; the
simulator and the firmware's tests build them with the ``encode_*`` functions.

PMS5003 (32 bytes, kits.md §4.1): ``42 4D``, frame length 28 (big-endian), 13 big-endian
words (PM1/PM2.5/PM10 at CF=1, the same "atmospheric", six particle counts per 0.1 L, a
reserved word = version byte + error byte), then the 16-bit sum of the 30 bytes before it.

SDS011 (10 bytes): ``AA C0 PM25_L PM25_H PM10_L PM10_H ID1 ID2 CS AB``; values are tenths
of µg/m³; ``CS`` is the low byte of the sum of bytes 2-7.

Examples
--------
>>> frame = encode_pms5003(pm25_cf1=12, pm25_atm=11, n0_3=1800)
>>> len(frame), frame[:4].hex()
(32, '424d001c')
>>> decode_pms5003(frame)["pm25_atm"]
11
>>> decode_sds011(encode_sds011(pm25=35.2, pm10=61.0, device_id=0xA1B2))["pm25"]
35.2
"""

from __future__ import annotations

import struct

from sensorlab.errors import SensorLabError

#: The 12 measurement words of a PMS5003 frame, in wire order (KIT1 keys, kits.md §6.2).
PMS5003_KEYS = ("pm1_cf1", "pm25_cf1", "pm10_cf1", "pm1_atm", "pm25_atm", "pm10_atm",
                "n0_3", "n0_5", "n1_0", "n2_5", "n5_0", "n10")
PMS5003_SIZE = 32
PMS5003_START = b"\x42\x4d"
#: Host-to-sensor commands (passive mode, active mode, read request in passive mode).
PMS5003_PASSIVE = bytes.fromhex("424de100000170")
PMS5003_ACTIVE = bytes.fromhex("424de100010171")
PMS5003_READ = bytes.fromhex("424de200000171")

SDS011_SIZE = 10
SDS011_START = b"\xaa\xc0"


class FrameError(SensorLabError, ValueError):
    """A sensor frame that cannot be decoded; ``reason`` is a stable code."""

    reason = "bad_frame"


class BadFrameHeader(FrameError):
    """The frame does not begin with the sensor's start bytes (or is not a data frame)."""

    reason = "frame_header"


class BadFrameLength(FrameError):
    """The frame is shorter or longer than the sensor sends, or declares a wrong length."""

    reason = "frame_length"


class BadFrameChecksum(FrameError):
    """The checksum byte(s) do not match the frame's contents."""

    reason = "frame_checksum"


def _word(value, name: str) -> int:
    value = int(round(value))
    if not 0 <= value <= 0xFFFF:
        raise ValueError(f"{name}={value} does not fit in an unsigned 16-bit word")
    return value


def encode_pms5003(*, version: int = 0x97, error_code: int = 0, **values) -> bytes:
    """Build a 32-byte PMS5003 data frame; words not given are 0.

    Examples
    --------
    >>> encode_pms5003(pm1_cf1=1, pm25_cf1=2, pm10_cf1=3).hex()[:20]
    '424d001c000100020003'
    """
    unknown = set(values) - set(PMS5003_KEYS)
    if unknown:
        raise ValueError(f"unknown PMS5003 words: {', '.join(sorted(unknown))}")
    words = [_word(values.get(k, 0), k) for k in PMS5003_KEYS]
    body = PMS5003_START + struct.pack(">H12HBB", 28, *words, version & 0xFF, error_code & 0xFF)
    return body + struct.pack(">H", sum(body) & 0xFFFF)


def decode_pms5003(frame: bytes) -> dict:
    """Decode one 32-byte PMS5003 frame into the 12 values plus ``version``, ``error_code``.

    Raises :class:`BadFrameHeader`, :class:`BadFrameLength` or :class:`BadFrameChecksum`.

    Examples
    --------
    >>> bad = bytearray(encode_pms5003(pm25_atm=9)); bad[13] ^= 1
    >>> decode_pms5003(bytes(bad))
    Traceback (most recent call last):
    ...
    sensorlab.kit.frames.BadFrameChecksum: PMS5003 checksum is 0x014B but the bytes sum to 0x014A
    """
    frame = bytes(frame)
    if len(frame) != PMS5003_SIZE:
        raise BadFrameLength(f"PMS5003 frame has {len(frame)} bytes, expected {PMS5003_SIZE}")
    if frame[:2] != PMS5003_START:
        raise BadFrameHeader(f"PMS5003 frame starts with {frame[:2].hex()}, expected 424d")
    length, *words, version, error_code, given = struct.unpack(">H12HBBH", frame[2:])
    if length != 28:
        raise BadFrameLength(f"PMS5003 frame declares length {length}, expected 28")
    actual = sum(frame[:30]) & 0xFFFF
    if given != actual:
        raise BadFrameChecksum(f"PMS5003 checksum is 0x{given:04X} but the bytes sum to "
                               f"0x{actual:04X}")
    out = dict(zip(PMS5003_KEYS, words))
    out.update(version=version, error_code=error_code)
    return out


def encode_sds011(*, pm25: float, pm10: float, device_id: int = 0x0001) -> bytes:
    """Build a 10-byte SDS011 report; ``pm25``/``pm10`` in µg/m³ (sent as tenths).

    Examples
    --------
    >>> encode_sds011(pm25=12.3, pm10=20.0, device_id=0x1234).hex()
    'aac07b00c800341289ab'
    """
    raw25, raw10 = _word(pm25 * 10, "pm25"), _word(pm10 * 10, "pm10")
    data = struct.pack("<HHH", raw25, raw10, device_id & 0xFFFF)
    return SDS011_START + data + bytes([sum(data) & 0xFF, 0xAB])


def decode_sds011(frame: bytes) -> dict:
    """Decode one 10-byte SDS011 report into ``pm25``, ``pm10`` (µg/m³), the raw tenths
    ``pm25_raw``, ``pm10_raw`` and ``device_id``.

    Examples
    --------
    >>> decode_sds011(bytes.fromhex("aac07b00c800341289ab"))
    {'pm25': 12.3, 'pm10': 20.0, 'pm25_raw': 123, 'pm10_raw': 200, 'device_id': 4660}
    >>> decode_sds011(bytes.fromhex("aac57b00c800341289ab"))
    Traceback (most recent call last):
    ...
    sensorlab.kit.frames.BadFrameHeader: SDS011 frame starts with aac5, expected aac0 (a data report)
    """
    frame = bytes(frame)
    if len(frame) != SDS011_SIZE:
        raise BadFrameLength(f"SDS011 frame has {len(frame)} bytes, expected {SDS011_SIZE}")
    # Both header bytes must match: `and` here is the classic student bug (kits.md §4.1).
    if frame[:2] != SDS011_START or frame[9] != 0xAB:
        raise BadFrameHeader(f"SDS011 frame starts with {frame[:2].hex()}, expected aac0 "
                             "(a data report)" if frame[:2] != SDS011_START
                             else f"SDS011 frame ends with {frame[9]:02x}, expected ab")
    actual = sum(frame[2:8]) & 0xFF
    if frame[8] != actual:
        raise BadFrameChecksum(f"SDS011 checksum is 0x{frame[8]:02X} but bytes 2-7 sum to "
                               f"0x{actual:02X}")
    raw25, raw10, device_id = struct.unpack("<HHH", frame[2:8])
    return {"pm25": raw25 / 10, "pm10": raw10 / 10, "pm25_raw": raw25, "pm10_raw": raw10,
            "device_id": device_id}


def scan_frames(buffer: bytes, sensor: str = "pms5003") -> tuple[list[dict], list[FrameError],
                                                                   bytes]:
    """Find every frame in a byte buffer, resynchronising on the start bytes after garbage.

    Returns ``(decoded, errors, rest)``: the decoded frames in order, the errors for frames
    that started well but failed, and the unfinished tail to prepend to the next read.

    Examples
    --------
    >>> good = encode_pms5003(pm25_atm=7)
    >>> frames, errors, rest = scan_frames(b"\\x00\\x00" + good + good[:10])
    >>> [f["pm25_atm"] for f in frames], errors, len(rest)
    ([7], [], 10)
    """
    if sensor == "pms5003":
        start, size, decode = PMS5003_START, PMS5003_SIZE, decode_pms5003
    elif sensor == "sds011":
        start, size, decode = SDS011_START, SDS011_SIZE, decode_sds011
    else:
        raise ValueError(f"unknown sensor {sensor!r}: use 'pms5003' or 'sds011'")
    decoded, errors, pos = [], [], 0
    while True:
        at = buffer.find(start, pos)
        if at < 0:
            # keep a last byte that may be the first half of the start marker
            keep = 1 if buffer[-1:] == start[:1] else 0
            return decoded, errors, bytes(buffer[len(buffer) - keep:])
        if len(buffer) - at < size:
            return decoded, errors, bytes(buffer[at:])
        try:
            decoded.append(decode(buffer[at:at + size]))
            pos = at + size
        except FrameError as err:
            errors.append(err)
            pos = at + 1  # the start bytes may have been noise: look again one byte on
