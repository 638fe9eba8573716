"""Write the byte recordings the firmware tests replay (run with the project's Python).

``recordings/pms5003.txt``: one line per burst of UART bytes, ``<arrival_ms> <hex>``:
a PMS5003 frame about every second for 130 s, with what real sensors do on a bench --
zeros while the fan spins up, a NUL and half a frame when the wires are connected, one
frame with a flipped bit (bad checksum), one frame with two bytes lost, and a 10-second
silence (jumper pulled out and pushed back).

``recordings/sht40.txt``: one 6-byte SHT40 answer per measurement, CRC-8 included, ``nack``
for a measurement the sensor does not acknowledge, and one answer with a damaged CRC.

The values are built (seeded, realistic for a Seoul winter afternoon), not captured from a
board; frames are encoded by ``sensorlab.kit.frames.encode_pms5003``, the same encoder the
simulator uses. Usage: ``python kits/firmware/test-harness/make_recordings.py``
"""

from __future__ import annotations

import random
from pathlib import Path

from sensorlab.kit.frames import encode_pms5003

HERE = Path(__file__).resolve().parent
SEED = 2026
CORRUPT_AT = 45            # frame index whose checksum is damaged
DROPPED_AT = 78            # frame index that loses two bytes on the wire
SILENT = range(90, 101)    # frames never sent: no frame for a whole report period


def pm_values(rng: random.Random, k: int) -> dict:
    if k < 3:  # fan still spinning up: the sensor reports zeros
        return {}
    ramp = min(1.0, (k - 2) / 6)
    cf25 = max(1, round(ramp * (31 + 6 * rng.random() + 0.04 * k)))
    cf1 = round(cf25 * 0.68)
    cf10 = round(cf25 * 1.35 + rng.random() * 3)
    atm = [v if v < 30 else round(30 + (v - 30) * 0.7) for v in (cf1, cf25, cf10)]
    n03 = round(ramp * (5200 + 400 * rng.random()))
    return dict(pm1_cf1=cf1, pm25_cf1=cf25, pm10_cf1=cf10, pm1_atm=atm[0], pm25_atm=atm[1],
                pm10_atm=atm[2], n0_3=n03, n0_5=round(n03 * 0.29), n1_0=round(n03 * 0.055),
                n2_5=round(n03 * 0.006), n5_0=round(n03 * 0.0016), n10=round(n03 * 0.0004))


def sensirion_crc(two: bytes) -> int:
    crc = 0xFF
    for byte in two:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x31) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def sht40_answer(t_raw: int, rh_raw: int) -> bytes:
    t, rh = t_raw.to_bytes(2, "big"), rh_raw.to_bytes(2, "big")
    return t + bytes([sensirion_crc(t)]) + rh + bytes([sensirion_crc(rh)])


def main() -> None:
    rng = random.Random(SEED)
    lines = ["# arrival_ms hex (built by make_recordings.py; see its docstring)"]
    first = encode_pms5003(**pm_values(rng, 0))
    lines.append(f"150 00{first[20:].hex()}")  # NUL + tail of a frame already under way
    for k in range(1, 131):
        frame = bytearray(encode_pms5003(**pm_values(rng, k)))
        if k in SILENT:
            continue
        if k == CORRUPT_AT:
            frame[9] ^= 0x04  # one bit flipped in pm25_cf1's low byte
        if k == DROPPED_AT:
            del frame[12:14]
        lines.append(f"{k * 1000 + 370} {bytes(frame).hex()}")
    (HERE / "recordings" / "pms5003.txt").write_text("\n".join(lines) + "\n")

    answers = ["# one SHT40 answer per measurement: hex (T, CRC, RH, CRC) or nack"]
    for i in range(20):
        t_c = 3.2 + 0.05 * i + rng.uniform(-0.1, 0.1)     # a February afternoon, °C
        rh = 58.0 - 0.3 * i + rng.uniform(-0.5, 0.5)      # %RH
        t_raw = round((t_c + 45) * 65535 / 175)
        rh_raw = round((rh + 6) * 65535 / 125)
        answer = bytearray(sht40_answer(t_raw, rh_raw))
        if i == 6:
            answers.append("nack")
            continue
        if i == 9:
            answer[5] ^= 0x01  # damaged CRC on the humidity word
        answers.append(bytes(answer).hex())
    (HERE / "recordings" / "sht40.txt").write_text("\n".join(answers) + "\n")


if __name__ == "__main__":
    main()
