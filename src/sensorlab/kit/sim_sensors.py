"""The simulated sensors behind the firmware: a PMS5003 on its UART, an SHT40 on its I2C.

They turn the physical truth into what the real parts put on their wires, with the error
model and the faults that live in the sensor (kits.md §6.4): the PMS5003 sends 32-byte
frames (:func:`sensorlab.kit.frames.encode_pms5003`), the SHT40 answers its measure command
with two words and their CRC-8s, or does not acknowledge. What the firmware makes of those
bytes (warm-up, stale and range rules, conversions, the KIT1 line) is the firmware's own
code (:mod:`sensorlab.kit.sim_firmware`), never repeated here.

Each part keeps the fault labels of what it delivered until the firmware's next line about
it takes them (:meth:`take_labels`), so the truth file can say what went wrong in that line.

Examples
--------
>>> sht40_answer(0x6666, 0x8000).hex()
'6666938000a2'
>>> hex(_crc8(0xBE, 0xEF))  # the SHT4x datasheet's example: CRC(0xBEEF) = 0x92
'0x92'
"""

from __future__ import annotations

import math

from sensorlab.kit.frames import PMS5003_KEYS, encode_pms5003
from sensorlab.units import PARTICLE_KAPPA, humidity_growth

#: Plantower PMS5003 manual: data are stable 30 s after the fan starts; frames about 1 s apart.
PMS5003_STABLE_S = 30.0
PMS5003_FRAME_S = 1.0
SHT40_ADDRESS = 0x44
ETIMEDOUT, ENODEV = 116, 19  # what the ESP32 port raises for a NACK, and for no device


def _crc_table() -> bytes:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x31) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
        table.append(crc)
    return bytes(table)


_CRC = _crc_table()


def _crc8(hi: int, lo: int) -> int:
    """Sensirion CRC-8 (polynomial 0x31, start 0xFF) of two bytes, as the chip computes it."""
    return _CRC[_CRC[0xFF ^ hi] ^ lo]


def sht40_answer(t_raw: int, rh_raw: int, damage: bool = False) -> bytes:
    """The SHT40's 6-byte answer (word, CRC, word, CRC); ``damage`` flips a CRC bit."""
    t_hi, t_lo, r_hi, r_lo = t_raw >> 8, t_raw & 0xFF, rh_raw >> 8, rh_raw & 0xFF
    crc = _crc8(r_hi, r_lo) ^ (0x10 if damage else 0)
    return bytes((t_hi, t_lo, _crc8(t_hi, t_lo), r_hi, r_lo, crc))


class _Stuck:
    __slots__ = ("left", "value")

    def __init__(self):
        self.left, self.value = 0, None


class _Part:
    """What both sensors share: the box (time, truth, rng, fault rates) and labels."""

    def __init__(self, box):
        self.box = box
        self.labels: list[str] = []
        self.stuck = _Stuck()

    def take_labels(self) -> list[str]:
        labels, self.labels = self.labels, []
        return labels

    def _value_faults(self, values: dict, sentinel, spike) -> dict:
        """Stuck, sentinel and spike faults on one reading (the part's own failures)."""
        box, stuck = self.box, self.stuck
        if stuck.left > 0:
            stuck.left -= 1
            self.labels.append("stuck")
            return dict(stuck.value)
        if box.chance("stuck"):
            stuck.left = int(box.rng.integers(5, 60))
            stuck.value = ({k: 0 for k in values} if self.zero_when_stuck
                           and box.rng.random() < 0.3 else dict(values))
            self.labels.append("stuck")
            return dict(stuck.value)
        if box.chance("sentinel"):
            values = sentinel(dict(values))
            self.labels.append("sentinel")
        if box.chance("spike"):
            values = spike(dict(values))
            self.labels.append("spike")
        return values


class SimPMS5003(_Part):
    """A PMS5003 on the firmware's UART: on each read, the frame it sent last (if any).

    The firmware keeps only the newest frame of a report period, so the part sends one frame
    per read, made at the time of the read, once a second has passed since the last one.
    """

    zero_when_stuck = True  # a PM batch that reads zero (Smart Citizen Kit release notes)

    def __init__(self, box):
        super().__init__(box)
        self.power_on = 0.0
        self.last_frame = -math.inf
        self.pending = b""

    def restart(self, t: float) -> None:
        """Power comes back at simulated second ``t``: the fan starts again."""
        self.power_on, self.last_frame, self.pending = t, -math.inf, b""
        self.stuck = _Stuck()
        self.labels = []

    def any(self) -> int:
        t = self.box.now()
        if not self.pending and t - self.power_on >= PMS5003_FRAME_S \
                and t - self.last_frame >= PMS5003_FRAME_S:
            self.last_frame = t
            if self.box.chance("read_failure"):
                self.labels.append("read_failure")  # no frame this time (loose TX wire)
            else:
                self.pending = encode_pms5003(**self._words(t))
        return len(self.pending)

    def read(self, n: int = -1) -> bytes | None:
        data, self.pending = self.pending, b""
        return data or None

    def write(self, data) -> int:
        return len(data)

    def _words(self, t: float) -> dict:
        box = self.box
        values = box.pms_model(t, box.truth_at(t), self.labels)
        if t - self.power_on < PMS5003_STABLE_S:
            if "warmup" in box.rates:  # the fan's first seconds: low or zero readings
                frac = 0.0 if box.rng.random() < 0.5 else box.rng.uniform(0.1, 0.6)
                values = {k: v * frac for k, v in values.items()}
                self.labels.append("warmup")
        else:
            values = self._value_faults(values, self._sentinel, self._spike)
        return {k: int(min(65535, max(0, round(v)))) for k, v in values.items()}

    def _sentinel(self, values: dict) -> dict:
        values[PMS5003_KEYS[int(self.box.rng.integers(len(PMS5003_KEYS)))]] = 65535
        return values

    def _spike(self, values: dict) -> dict:
        factor = self.box.rng.uniform(3, 10)
        for k in ("pm25_cf1", "pm25_atm"):
            values[k] = min(65535, values[k] * factor + 5)
        return values


class SimSHT40(_Part):
    """An SHT40 at 0x44 on the firmware's I2C: measures on 0xFD, answers 6 bytes later."""

    zero_when_stuck = False

    def __init__(self, box):
        super().__init__(box)
        self.restart(0.0)

    def restart(self, t: float) -> None:
        self.nack, self.fail_left, self.damage = False, 0, False
        self.stuck = _Stuck()
        self.labels = []

    def scan(self) -> list[int]:
        return [SHT40_ADDRESS]

    def writeto(self, addr: int, buf, stop: bool = True) -> int:
        if addr != SHT40_ADDRESS:
            raise OSError(ENODEV)
        box = self.box
        if not self.nack and self.fail_left == 0 and box.chance("read_failure"):
            self.fail_left = int(box.rng.integers(1, 20))
            self.nack = box.rng.random() < 0.05  # rarely: no answer until the next reboot
        self.damage = False
        if self.nack or self.fail_left > 0:
            self.fail_left = max(0, self.fail_left - 1)
            self.labels.append("read_failure")
            if self.nack or box.rng.random() < 0.7:
                raise OSError(ETIMEDOUT)
            self.damage = True
        return 1

    def readfrom(self, addr: int, n: int, stop: bool = True) -> bytes:
        if addr != SHT40_ADDRESS:
            raise OSError(ENODEV)
        box = self.box
        t = box.now()
        values = box.sht_model(t, box.truth_at(t), self.labels)
        if not self.damage:
            values = self._value_faults(values, self._sentinel, self._spike)
        t_raw = min(65535, max(0, round((values["t"] + 45) * 65535 / 175)))
        rh_raw = min(65535, max(0, round((values["rh"] + 6) * 65535 / 125)))
        return sht40_answer(t_raw, rh_raw, self.damage)[:n]

    def _sentinel(self, values: dict) -> dict:
        if self.box.rng.random() < 0.5:
            values["t"] = -45.0  # word 0x0000: all-zero bytes from the bus
        else:
            values["rh"] = 100.0  # saturated, clipped at 100 %RH
        return values

    def _spike(self, values: dict) -> dict:
        values["t"] += self.box.rng.uniform(8, 25)
        return values


def pms_truth_words(box, t: float, truth: dict, labels: list[str]) -> dict:
    """PMS5003 words (floats) for clean ``truth``: unit gain, humidity growth, noise, drift."""
    rng, rh = box.rng, truth["humidity"]
    growth = 1.0
    if box.kappa is not None:  # a unit of the real spread: it always sees the humid air
        growth = humidity_growth(rh, kappa=box.kappa)
    elif "humidity" in box.rates:
        # the one growth model of the curriculum (units.humidity_growth); the fault is a box
        # whose inlet does not dry the air, so its particles show their own κ
        growth = humidity_growth(rh, kappa=PARTICLE_KAPPA * box.rates["humidity"])
        if growth > 1.3:
            labels.append("humidity")
    gain = box.gain
    if "drift" in box.rates:
        drift = 0.02 * box.rates["drift"] * t / 86400.0
        gain *= 1.0 + drift
        if drift > 0.05:
            labels.append("drift")
    pm25 = truth["pm25"] * gain * growth
    pm10 = truth["pm10"] * gain * (1.0 + 0.5 * (growth - 1.0))
    if "humidity" in box.rates and rh > 90 and rng.random() < 0.2:
        pm10 *= rng.uniform(1.5, 3.0)  # fog droplets counted as coarse particles
        labels.append("humidity")
    noise = rng.normal(0, 1, 10)
    cf25 = max(0.0, pm25 + noise[0] * (0.5 + 0.05 * pm25))
    cf10 = max(cf25, pm10 + noise[1] * (1.0 + 0.08 * pm10))
    cf1 = max(0.0, 0.7 * cf25 + noise[2] * 0.3)

    def atm(x):  # ATM equals CF=1 in clean air and reads lower above ~30 µg/m³
        return x if x < 30 else 30 + (x - 30) * 0.67

    n03 = cf1 * 65 + 80 + noise[3] * 20
    n05 = n03 * 0.3 + noise[4] * 5
    n10_ = n05 * 0.25 + noise[5] * 2
    n25 = max(0.0, (cf25 - cf1) * 2.0 + noise[6])
    n50 = max(0.0, (cf10 - cf25) * 0.25 + noise[7] * 0.5)
    vals = (cf1, cf25, cf10, atm(cf1), atm(cf25), atm(cf10), n03, n05, n10_, n25, n50, n50 * 0.3)
    return dict(zip(PMS5003_KEYS, vals))


def sht_truth_values(box, t: float, truth: dict, labels: list[str]) -> dict:
    """What the SHT40 measures for clean ``truth``: sensor noise, and sun/self-heating."""
    rng = box.rng
    temp, rh = truth["temperature"], truth["humidity"]
    if "warm_bias" in box.rates:
        hour = (box.hour_utc(t) + 9) % 24  # KST
        sun = max(0.0, math.sin(math.pi * (hour - 6) / 12)) if 6 <= hour <= 18 else 0.0
        bias = box.rates["warm_bias"] * (1.0 + 6.0 * sun)
        # the same air read warmer has a lower relative humidity (Magnus formula)
        rh = rh * _es(temp) / _es(temp + bias)
        temp += bias
        if bias > 1.0:
            labels.append("warm_bias")
    noise = rng.normal(0, 1, 2)
    return {"t": temp + noise[0] * 0.1, "rh": min(100.0, max(0.0, rh + noise[1] * 0.6))}


def _es(x: float) -> float:
    return math.exp(17.62 * x / (243.12 + x))
