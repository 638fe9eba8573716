# Plantower PMS5003 particulate sensor on a UART (9600 baud, 8N1).
#
# In "active" mode (its default) the sensor sends a 32-byte frame about once a second:
#   42 4D | length (=28, big-endian) | 13 big-endian 16-bit words | checksum
# The words: PM1, PM2.5, PM10 at "CF=1" (factory standard particle), the same three for
# "atmospheric environment", particle counts above 0.3/0.5/1.0/2.5/5/10 um per 0.1 litre,
# and a reserved word (version byte, error byte). The checksum is the 16-bit sum of the
# 30 bytes before it. A frame whose sum does not match was damaged on the wire.

KEYS = ("pm1_cf1", "pm25_cf1", "pm10_cf1", "pm1_atm", "pm25_atm", "pm10_atm",
        "n0_3", "n0_5", "n1_0", "n2_5", "n5_0", "n10")
FRAME_SIZE = 32
START = b"\x42\x4d"
LENGTH = 28


def frame_checksum_ok(frame):
    """True when the last two bytes equal the 16-bit sum of the first 30."""
    given = (frame[30] << 8) | frame[31]
    return sum(frame[:30]) & 0xFFFF == given


def decode(frame):
    """The 12 measurement words of a checked 32-byte frame, as a tuple in ``KEYS`` order."""
    return tuple((frame[i] << 8) | frame[i + 1] for i in range(4, 28, 2))


class Reader:
    """Finds frames in the byte stream of a UART and checks them.

    ``poll()`` returns a list of events: ("ok", values) for each good frame and
    ("err", code) for each damaged one, code "checksum" (sum or length wrong).
    Bytes between frames (noise at plug-in, a half frame) are skipped until the next
    "BM" start bytes: the stream re-synchronises by itself.
    """

    def __init__(self, uart):
        self.uart = uart
        self.buf = b""
        self.good = 0
        self.bad = 0

    def poll(self):
        n = self.uart.any()
        if n:
            data = self.uart.read(n)
            if data:
                self.buf += data
        return self._frames()

    def _frames(self):
        events = []
        while True:
            start = self.buf.find(START)
            if start < 0:
                # keep a trailing 0x42: it may be the first half of the next start pair
                self.buf = self.buf[-1:] if self.buf[-1:] == START[:1] else b""
                return events
            self.buf = self.buf[start:]
            if len(self.buf) < 4:
                return events
            if ((self.buf[2] << 8) | self.buf[3]) != LENGTH:
                # "BM" inside data, or a frame whose length bytes were hit: resynchronise
                self.bad += 1
                events.append(("err", "checksum"))
                self.buf = self.buf[2:]
                continue
            if len(self.buf) < FRAME_SIZE:
                return events
            frame, self.buf = self.buf[:FRAME_SIZE], self.buf[FRAME_SIZE:]
            if frame_checksum_ok(frame):
                self.good += 1
                events.append(("ok", decode(frame)))
            else:
                self.bad += 1
                events.append(("err", "checksum"))
