# Sensirion SHT40 temperature and humidity sensor on I2C (address 0x44).
#
# Send the command 0xFD ("measure, high repeatability"), wait about 9 ms, read 6 bytes:
#   T_hi T_lo CRC  RH_hi RH_lo CRC
# Each CRC is a CRC-8 (polynomial 0x31, start value 0xFF) over the two bytes before it,
# so a bit flipped on the wires is caught. Conversions from the datasheet:
#   t  = -45 + 175 * raw / 65535   (degrees C)
#   rh =  -6 + 125 * raw / 65535   (%RH, clipped to 0..100)

ADDRESS = 0x44
MEASURE_HIGH = b"\xfd"
WAIT_MS = 10


def crc8(data):
    """Sensirion CRC-8: polynomial 0x31, initial value 0xFF, no final XOR."""
    crc = 0xFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x31) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def _scaled_centi(raw, offset, span):
    # offset + span * raw / 65535 in hundredths, rounded to nearest, integers only
    # (exact on every port; no ties are possible because 2 * 65535 does not divide it)
    return offset * 100 + (span * 100 * raw * 2 + 65535) // (2 * 65535)


def t_centi(raw):
    """Temperature in hundredths of a degree C from the raw 16-bit word."""
    return _scaled_centi(raw, -45, 175)


def rh_centi(raw):
    """Relative humidity in hundredths of %RH, clipped to 0..100 %RH as the datasheet says."""
    return min(10000, max(0, _scaled_centi(raw, -6, 125)))


class CRCError(Exception):
    pass


def parse(data):
    """Check both CRCs of a 6-byte response; return (t_raw, rh_raw) or raise CRCError."""
    if len(data) != 6:
        raise CRCError("short read")
    if crc8(data[0:2]) != data[2] or crc8(data[3:5]) != data[5]:
        raise CRCError("crc")
    return (data[0] << 8) | data[1], (data[3] << 8) | data[4]


class SHT40:
    """Two-step measurement so the main loop never blocks: start(), then read() later."""

    def __init__(self, i2c, address=ADDRESS):
        self.i2c = i2c
        self.address = address

    def start(self):
        # OSError here (ENODEV/ETIMEDOUT) means no acknowledge: wiring or address wrong
        self.i2c.writeto(self.address, MEASURE_HIGH)

    def read(self):
        return parse(self.i2c.readfrom(self.address, 6))
