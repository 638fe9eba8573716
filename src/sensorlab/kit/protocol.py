"""KIT1: the one-line-per-reading protocol a sensor box speaks to its host.

A line looks like this (ASCII, ends with ``\\n``)::

    $KIT1,<node_id>,<boot_id>,<seq>,<uptime_ms>,<sensor>,<status>,k=v,...*XX

``XX`` is the NMEA-style checksum: the XOR of every byte between ``$`` and ``*``, written
as two upper-case hex digits (lower case is accepted when reading). The box has no wall
clock: ``boot_id`` grows at every boot, ``seq`` counts lines since boot, ``uptime_ms`` is
monotonic; the host stamps the time of arrival.

Values are numbers (``23.4``, ``-5``, ``nan``) except for the keys in :data:`STRING_KEYS`
(``fw``, ``reset``, ``sensors``, ``code`` ...), whose values are short words. A number
cut short by a firmware bug (``77.``) is rejected, not guessed at.

Every way a line can be wrong has its own exception class, a subclass of :class:`Kit1Error`,
with a stable ``reason`` code; the logger writes that code into its rejects file
(:data:`REASONS` lists them all).

Examples
--------
>>> line = encode_line("seoul-01", 3, 17, 52000, "sht40", "ok", {"t": 21.5, "rh": 48.25})
>>> line
'$KIT1,seoul-01,3,17,52000,sht40,ok,t=21.5,rh=48.25*15\\n'
>>> reading = parse_line(line)
>>> reading.sensor, reading.fields["t"], reading.key
('sht40', 21.5, ('seoul-01', 3, 17))
>>> parse_line(line.replace("21.5", "21.6"))
Traceback (most recent call last):
...
sensorlab.kit.protocol.BadChecksum: checksum says 15 but the line's bytes give 16
"""

from __future__ import annotations

import math
import re
import struct
from dataclasses import dataclass, field

from sensorlab import messages
from sensorlab.errors import SensorLabError

#: The protocol name and version that opens every line.
VERSION = "KIT1"

#: Longest line the host accepts, in bytes (a full PMS5003 line is about 200).
MAX_LINE = 512

#: Line status words, in the firmware's own vocabulary (kits.md §6.2).
STATUSES = ("ok", "warmup", "err", "stale", "boot", "hb")

#: Keys whose values are words, not numbers.
STRING_KEYS = frozenset({"fw", "reset", "sensors", "code", "msg", "model", "id"})

#: Field keys per sensor, with units, as the firmware sends them (kits.md §6.2).
SENSOR_KEYS: dict[str, dict[str, str]] = {
    "pms5003": {
        "pm1_cf1": "µg/m³", "pm25_cf1": "µg/m³", "pm10_cf1": "µg/m³",
        "pm1_atm": "µg/m³", "pm25_atm": "µg/m³", "pm10_atm": "µg/m³",
        "n0_3": "1/0.1L", "n0_5": "1/0.1L", "n1_0": "1/0.1L",
        "n2_5": "1/0.1L", "n5_0": "1/0.1L", "n10": "1/0.1L",
    },
    "sds011": {"pm25": "µg/m³", "pm10": "µg/m³", "pm25_raw": "0.1 µg/m³",
               "pm10_raw": "0.1 µg/m³"},
    "sht40": {"t": "°C", "rh": "%RH", "t_raw": "raw", "rh_raw": "raw"},
    "bh1750": {"lux": "lux", "lux_raw": "raw"},
    "mic": {"dba": "dB(A)"},
    "sys": {"free_mem": "B", "epoch": "year", "vbat": "V", "board_t": "°C"},
}

_NODE = re.compile(r"[A-Za-z0-9_-]{1,32}\Z")
_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}\Z")
_UINT = re.compile(r"[0-9]{1,12}\Z")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?\Z")
_WORD = re.compile(r"[A-Za-z0-9_.;:/+-]{1,64}\Z")
_HEX2 = re.compile(r"[0-9A-Fa-f]{2}\Z")


class Kit1Error(SensorLabError, ValueError):
    """A KIT1 line (or a piece of the byte stream) that cannot be accepted.

    Attributes
    ----------
    reason : str
        Stable code for the rejects file, one of :data:`REASONS`.
    line : str or None
        The offending text, when there is one.
    """

    reason = "invalid"
    key: str | None = None  # message catalogue key, when the message comes from there
    values: dict = {}

    def __init__(self, message: str, line: str | bytes | None = None):
        super().__init__(message)
        self.message = message
        if isinstance(line, bytes):
            line = line.decode("ascii", "backslashreplace")
        self.line = line

    @classmethod
    def because(cls, key: str, line: str | bytes | None = None, /, **values) -> "Kit1Error":
        """The error with the message ``key`` of the catalogue.

        ``message`` stays English, so the rejects file reads the same in every class;
        ``str(error)``, what a student sees, is in the chosen language.

        >>> err = Truncated.because("kit.truncated", "$KIT1,b,2")
        >>> err.message, str(err) == messages.text("kit.truncated")
        ('line ends before its *XX checksum (cut off?)', True)
        """
        error = cls(messages.text(key, lang="en", **values), line)
        error.key, error.values = key, values
        return error

    def __str__(self) -> str:
        return self.message if self.key is None else messages.text(self.key, **self.values)


class BadFraming(Kit1Error):
    """Text that does not start with ``$`` or holds bytes a KIT1 line never contains."""

    reason = "bad_framing"


class PartialAtOpen(BadFraming):
    """The tail of a line already under way when the port was opened (no ``$`` start)."""

    reason = "partial_at_open"


class TooLong(BadFraming):
    """More than :data:`MAX_LINE` bytes without a line end: noise, or a lost newline."""

    reason = "too_long"


class Truncated(Kit1Error):
    """A line that starts with ``$`` but ends before its ``*XX`` checksum (cut off)."""

    reason = "truncated"


class BadChecksum(Kit1Error):
    """The ``*XX`` checksum does not match the line's bytes (a byte was lost or changed)."""

    reason = "bad_checksum"


class BadHeader(Kit1Error):
    """Wrong protocol name, node id, counters, sensor name or status word."""

    reason = "bad_header"


class BadField(Kit1Error):
    """A ``key=value`` field that is malformed, repeated or has a bad key."""

    reason = "bad_field"


class BadValue(BadField):
    """A value that should be a number and is not (for example a truncated ``77.``)."""

    reason = "bad_value"


class Duplicate(Kit1Error):
    """A valid line already in the log byte for byte: the same key and the same values.

    The same ``(node_id, boot_id, seq)`` with other values is not a duplicate but a new line
    (a box restarted without counting its boot, or two boxes with one node id): the logger
    keeps it and records a ``key_reused`` event.
    """

    reason = "duplicate"


#: Every reason code the logger may write to its rejects file, with its meaning.
REASONS: dict[str, str] = {
    cls.reason: (cls.__doc__ or "").strip().splitlines()[0]
    for cls in (BadFraming, PartialAtOpen, TooLong, Truncated, BadChecksum, BadHeader,
                BadField, BadValue, Duplicate)
}
REASONS["partial_row"] = "A half-written row cut from the end of a log file after a crash."


@dataclass(frozen=True)
class Kit1Line:
    """One parsed KIT1 line.

    ``fields`` maps each key to a float (numbers, including ``nan``) or a str (the keys
    in :data:`STRING_KEYS`), in the order the box sent them; ``texts`` maps each key to its
    value exactly as the box wrote it (``21.50`` stays ``21.50``), which the logger keeps as
    ``value_raw`` without cutting the line apart a second time.
    """

    node_id: str
    boot_id: int
    seq: int
    uptime_ms: int
    sensor: str
    status: str
    fields: dict = field(default_factory=dict)
    texts: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def key(self) -> tuple[str, int, int]:
        """The dedupe key ``(node_id, boot_id, seq)``: unique for every line a box sends."""
        return (self.node_id, self.boot_id, self.seq)

    def to_line(self) -> str:
        """Encode this reading again (the exact line, if values were sent in short form)."""
        return encode_line(self.node_id, self.boot_id, self.seq, self.uptime_ms,
                           self.sensor, self.status, self.fields)


def checksum(body: str | bytes) -> str:
    """XOR of every byte of ``body`` (the text between ``$`` and ``*``), as two hex digits.

    Examples
    --------
    >>> checksum("KIT1,a,1,1,0,sys,hb")
    '45'
    >>> checksum(b"")
    '00'
    """
    if isinstance(body, str):
        body = body.encode("ascii")
    # XOR eight bytes at a time, then fold the 64-bit result down to one byte: the logger
    # checks every line, and this is 5x quicker than a byte loop in Python
    pad = -len(body) % 8
    x = 0
    for word in struct.unpack(f"<{(len(body) + pad) // 8}Q", body + b"\0" * pad):
        x ^= word
    x ^= x >> 32
    x ^= x >> 16
    x ^= x >> 8
    return f"{x & 0xFF:02X}"


def format_value(value) -> str:
    """Write a field value the way the firmware does: short decimals, ``nan``, or a word.

    Examples
    --------
    >>> format_value(12), format_value(12.0), format_value(23.456789), format_value(float("nan"))
    ('12', '12', '23.4568', 'nan')
    """
    if isinstance(value, bool):
        raise TypeError("booleans are not KIT1 values; send 0 or 1")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            raise ValueError("infinite values cannot be sent")
        text = f"{value:.4f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    return str(value)


def encode_line(node_id: str, boot_id: int, seq: int, uptime_ms: int, sensor: str,
                status: str, fields: dict | None = None) -> str:
    """Build one KIT1 line, checksum and ``\\n`` included, exactly as the firmware sends it.

    Raises ``ValueError`` (a :class:`Kit1Error` subclass) for anything :func:`parse_line`
    would refuse, so what is encoded always parses back.

    Examples
    --------
    >>> encode_line("box1", 1, 0, 120, "sys", "boot", {"fw": "0.3.0", "reset": "power_on"})
    '$KIT1,box1,1,0,120,sys,boot,fw=0.3.0,reset=power_on*08\\n'
    """
    parts = [VERSION, str(node_id), str(int(boot_id)), str(int(seq)), str(int(uptime_ms)),
             str(sensor), str(status)]
    for key, value in (fields or {}).items():
        parts.append(f"{key}={format_value(value)}")
    body = ",".join(parts)
    line = f"${body}*{checksum(body)}\n"
    parse_line(line)  # refuse to produce what the host would reject
    return line


def _number(key: str, text: str, line: str) -> float:
    if text == "nan":
        return math.nan
    if not _NUMBER.match(text):
        raise BadValue.because("kit.not_number", line, field=key, text=text)
    return float(text)


def parse_line(line: str | bytes) -> Kit1Line:
    """Check and decode one KIT1 line (with or without its ``\\r\\n``).

    Raises
    ------
    Kit1Error
        A subclass naming what is wrong: :class:`BadFraming`, :class:`Truncated`,
        :class:`BadChecksum`, :class:`BadHeader`, :class:`BadField`, :class:`BadValue`.

    Examples
    --------
    >>> parse_line("$KIT1,b,2,5,900,sht40,ok,t=20.1,rh=55*27").fields
    {'t': 20.1, 'rh': 55.0}
    >>> parse_line("$KIT1,b,2,5,900,sht40,ok,t=20.1,rh=5")
    Traceback (most recent call last):
    ...
    sensorlab.kit.protocol.Truncated: line ends before its *XX checksum (cut off?)
    """
    if isinstance(line, bytes):
        try:
            text = line.decode("ascii")
        except UnicodeDecodeError:
            raise BadFraming.because("kit.not_ascii", line) from None
    else:
        text = line
    text = text.rstrip("\r\n")
    if len(text) > MAX_LINE:
        raise TooLong.because("kit.too_long", text, length=len(text), limit=MAX_LINE)
    if not text.startswith("$"):
        raise BadFraming.because("kit.no_dollar", text)
    if not text.isascii() or not text.isprintable():
        raise BadFraming.because("kit.control_chars", text)
    star = text.rfind("*")
    if star < 0 or not _HEX2.match(text[star + 1:]):
        raise Truncated.because("kit.truncated", text)
    body, given = text[1:star], text[star + 1:].upper()
    if "$" in body or "*" in body:
        raise BadFraming.because("kit.two_lines", text)
    actual = checksum(body)
    if given != actual:
        raise BadChecksum.because("kit.bad_checksum", text, given=given, actual=actual)
    parts = body.split(",")
    if len(parts) < 7:
        raise BadHeader.because("kit.header_fields", text, count=len(parts))
    version, node_id, boot_id, seq, uptime_ms, sensor, status = parts[:7]
    if version != VERSION:
        raise BadHeader.because("kit.protocol", text, version=version, expected=VERSION)
    if not _NODE.match(node_id):
        raise BadHeader.because("kit.node_id", text, node_id=node_id)
    for name, value in (("boot_id", boot_id), ("seq", seq), ("uptime_ms", uptime_ms)):
        if not _UINT.match(value):
            raise BadHeader.because("kit.not_whole", text, name=name, value=value)
    if not _NAME.match(sensor):
        raise BadHeader.because("kit.sensor_name", text, sensor=sensor)
    if status not in STATUSES:
        raise BadHeader.because("kit.status", text, status=status, allowed=", ".join(STATUSES))
    fields: dict[str, float | str] = {}
    texts: dict[str, str] = {}
    for item in parts[7:]:
        key, eq, value = item.partition("=")
        if not eq:
            raise BadField.because("kit.no_equals", text, item=item)
        if not _NAME.match(key):
            raise BadField.because("kit.key_name", text, field=key)
        if key in fields:
            raise BadField.because("kit.key_twice", text, field=key)
        if key in STRING_KEYS:
            if not _WORD.match(value):
                raise BadValue.because("kit.not_word", text, field=key, value=value)
            fields[key] = value
        else:
            fields[key] = _number(key, value, text)
        texts[key] = value
    return Kit1Line(node_id, int(boot_id), int(seq), int(uptime_ms), sensor, status, fields, texts)


def verify_line(line: str | bytes) -> str | None:
    """Return ``None`` for a good line, else the reason code it would be rejected with.

    Examples
    --------
    >>> verify_line("$KIT1,b,2,5,900,sht40,ok,t=20.1,rh=55*27"), verify_line("hello")
    (None, 'bad_framing')
    """
    try:
        parse_line(line)
    except Kit1Error as err:
        return err.reason
    return None
