# A `machine` module for Linux (Raspberry Pi): the Tier A firmware, unchanged, on a Pi.
#
# MicroPython boards have `machine.UART` and `machine.I2C`; Linux has /dev/serial0 and
# /dev/i2c-1. This module gives the firmware the small part of `machine` it uses, on top of
# pyserial and the kernel's I2C device, plus a clock with MicroPython's ticks functions.
# Used by run_on_pi.py; not copied to ESP32 boards.

import fcntl
import os
import time

import serial

PWRON_RESET = 1
SOFT_RESET = 5
I2C_SLAVE = 0x0703          # ioctl: "talk to this address" (linux/i2c-dev.h)

SERIAL_PORT = "/dev/serial0"   # the header UART, pins 8 (TXD) and 10 (RXD)
I2C_BUS = "/dev/i2c-{}"        # I2C(1) = pins 3 (SDA) and 5 (SCL)


class Clock:
    """MicroPython's ticks_ms/ticks_diff/sleep_ms on the Pi's monotonic clock (no wrap)."""

    @staticmethod
    def ticks_ms():
        return time.monotonic_ns() // 1_000_000

    @staticmethod
    def ticks_add(ticks, delta):
        return ticks + delta

    @staticmethod
    def ticks_diff(end, begin):
        return end - begin

    @staticmethod
    def sleep_ms(ms):
        time.sleep(ms / 1000)


CLOCK = Clock()


class Pin:
    def __init__(self, number, *args, **kwargs):
        self.number = number


class UART:
    """The Pi's serial port through pyserial; the ESP32 UART number and pins are ignored
    (on the Pi the wiring, not the code, chooses the pins). ``url`` may be any pyserial URL."""

    def __init__(self, uart_id=None, baudrate=9600, tx=None, rx=None, url=SERIAL_PORT, **kw):
        self.port = serial.serial_for_url(url, baudrate=baudrate, timeout=0)

    def any(self):
        return self.port.in_waiting

    def read(self, n=-1):
        data = self.port.read(n if n and n > 0 else self.port.in_waiting)
        return data or None

    def write(self, data):
        return self.port.write(data)


class I2C:
    """The kernel's I2C device. A part that does not answer raises OSError, as on a board."""

    def __init__(self, i2c_id=1, scl=None, sda=None, freq=100000, path=None, **kw):
        # the ESP32 firmware asks for bus 0; the Pi's header bus is 1
        self.path = path or I2C_BUS.format(1 if i2c_id == 0 else i2c_id)
        self.fd = None

    def _select(self, addr):
        if self.fd is None:
            self.fd = os.open(self.path, os.O_RDWR)  # OSError if I2C is not enabled
        fcntl.ioctl(self.fd, I2C_SLAVE, addr)

    def scan(self):
        """Addresses that answer a one-byte read (like i2cdetect -r)."""
        found = []
        for addr in range(0x08, 0x78):
            self._select(addr)
            try:
                os.read(self.fd, 1)
                found.append(addr)
            except OSError:
                pass
        return found

    def writeto(self, addr, buf, stop=True):
        self._select(addr)
        return os.write(self.fd, bytes(buf))

    def readfrom(self, addr, n, stop=True):
        self._select(addr)
        return os.read(self.fd, n)


def unique_id():
    """Bytes of the Pi's serial number (or the OS machine id): a stable per-box name."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("Serial"):
                    return bytes.fromhex(line.split(":")[1].strip()[-12:])
    except (OSError, ValueError):
        pass
    with open("/etc/machine-id") as f:
        return bytes.fromhex(f.read().strip()[-12:])


def reset_cause():
    """power_on if Linux started less than two minutes ago, else a restart of the program."""
    try:
        with open("/proc/uptime") as f:
            return PWRON_RESET if float(f.read().split()[0]) < 120 else SOFT_RESET
    except (OSError, ValueError):
        return SOFT_RESET


def mem_available():
    """Free memory for the heartbeat line, in bytes (MemAvailable from /proc/meminfo)."""
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0
