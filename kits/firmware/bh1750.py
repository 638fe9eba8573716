# BH1750 ambient light sensor on I2C (address 0x23 with ADDR tied to GND). Optional.
#
# Power on (0x01), start "continuous high resolution" mode (0x10: 1 lx steps, a new value
# every 120 ms), then read 2 bytes whenever needed. lux = raw / 1.2 (datasheet typical).
# There is no checksum on this sensor: a bad wire shows as a NACK or as implausible values.

ADDRESS = 0x23
POWER_ON = b"\x01"
CONTINUOUS_HIGH_RES = b"\x10"


def lux_centi(raw):
    """Illuminance in hundredths of a lux from the raw word: raw / 1.2, integers only."""
    return (raw * 1000 * 2 + 12) // 24


class BH1750:
    def __init__(self, i2c, address=ADDRESS):
        self.i2c = i2c
        self.address = address

    def start(self):
        self.i2c.writeto(self.address, POWER_ON)
        self.i2c.writeto(self.address, CONTINUOUS_HIGH_RES)

    def read(self):
        data = self.i2c.readfrom(self.address, 2)
        return (data[0] << 8) | data[1]
