# KIT1 line writer for the sensor box (MicroPython and CPython).
#
# A line:  $KIT1,<node_id>,<boot_id>,<seq>,<uptime_ms>,<sensor>,<status>,k=v,...*XX
# XX is the XOR of every byte between '$' and '*', as two upper-case hex digits
# (the same checksum NMEA GPS sentences use: one byte, cheap to compute on a microcontroller).
# The host reads these lines with sensorlab.kit.protocol.parse_line.

VERSION = "KIT1"


def checksum(body):
    """XOR of the bytes of ``body`` (str), as two upper-case hex digits."""
    x = 0
    for b in body.encode():
        x ^= b
    return "%02X" % x


def centi(value):
    """Write an integer number of hundredths as a decimal: 2345 -> '23.45', -5 -> '-0.05'.

    Sensor conversions are done in whole hundredths (integers) so that every MicroPython
    port, with single- or double-precision floats, prints exactly the same digits.
    """
    sign = "-" if value < 0 else ""
    value = abs(value)
    return "%s%d.%02d" % (sign, value // 100, value % 100)


def line(node_id, boot_id, seq, uptime_ms, sensor, status, fields=()):
    """Build one KIT1 line (no newline). ``fields`` is a sequence of (key, text) pairs."""
    parts = [VERSION, node_id, str(boot_id), str(seq), str(uptime_ms), sensor, status]
    for key, value in fields:
        parts.append("%s=%s" % (key, value))
    body = ",".join(parts)
    return "$%s*%s" % (body, checksum(body))
