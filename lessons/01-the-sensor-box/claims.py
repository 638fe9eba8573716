"""The numbers module 01 states, computed from the package (see tools/stated_numbers.py).

Datasheet accuracies and the cited field studies (PMS5003, SHT40, SDS011, Seoul's IoT weather
sensors) are quoted from their documents, not computed: they are listed as ``plain`` below with
the document they come from.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import numpy as np

from sensorlab.exercises import m01
from sensorlab.kit import checksum, parse_line
from sensorlab.kit import verify_line
from sensorlab.kit.simulator import WARMUP_S
from sensorlab.units import db_mean
from sensorlab.messages import text
from sensorlab.plotting import PM25_GRADES, pm25_grade
from sensorlab.units import (MOLAR_MASS, MOLAR_VOLUME_25C, db_sum, humidity_growth, per_cm3,
                             ppm_to_ugm3, sds011_raw_to_ugm3, f_to_c)
from tools.lesson_plans import assignment_points as plan_assignment_points
from tools.lesson_plans import PERIOD_MIN, check_periods, header_minutes, plan_slots
from tools.stated_numbers import plain, states

HERE = Path(__file__).parent
STEMS = ("01-how-the-sensors-work", "02-reading-kit1-lines", "03-checksums-by-hand", "04-units-and-conversions")
#: The guide's three periods: the notebooks (and the share of each) a period covers, and its extra minutes
#: (period 1 opens with a photo and a live demonstration of the sensors).
PERIODS = {1: (("01-how-the-sensors-work", 1),), 2: (("02-reading-kit1-lines", 1), ("03-checksums-by-hand", 15 / 35)),
           3: (("03-checksums-by-hand", 20 / 35), ("04-units-and-conversions", 1))}
OVERHEAD = {1: 15}

# ---- 01.1 humidity growth: every number and shape statement from units.humidity_growth --------------
#: "Near the truth" means within this share of the true value.
NEAR = 0.10
RH = np.arange(0, 99)
RH_FINE = np.arange(90, 100.01, 0.5)
#: An ordinary humid morning (the guide's contrast with the fog of 01.1.b).
HUMID_RH = 85.0
#: The particles' own κ as textbooks give it (Petters and Kreidenweis 2007), quoted in 01.1.
TEXTBOOK_KAPPA = (0.1, 0.6)


def kappa() -> float:
    return inspect.signature(humidity_growth).parameters["kappa"].default


def growth(rh):
    return humidity_growth(rh)


@states("01-how-the-sensors-work", "computes the bracket with\nκ = {}")
@states("01-how-the-sensors-work", "Use the formula above (κ = {})")
def model_kappa():
    """The κ of the package's model, after checking that the lesson's formula is still that model."""
    a = RH / 100
    if not np.allclose(growth(RH), 1 + kappa() * a / (1 - a)):
        raise AssertionError("01.1 teaches reading = true × (1 + κ·a/(1 − a)); units.humidity_growth no longer "
                             "follows it: rewrite the formula, the alt text and exercise 01.1.b")
    return kappa()


@states("01-how-the-sensors-work", "stays within {:.0f} % of the dashed true value\nonly up to about {} %RH")
def near_truth_until():
    return 100 * NEAR, int(RH[growth(RH) <= 1 + NEAR].max())


@states("01-how-the-sensors-work", "is {:.0f} % too high at 50 %RH")
def too_high_at_50():
    return 100 * (growth(50) - 1)


@states("01-how-the-sensors-work", "reading at 80 %RH, about {:.0f} µg/m³")
def reading_at_80():
    steps = np.diff(growth(RH))
    if not (steps > 0).all() or not (np.diff(steps) > 0).all():
        raise AssertionError("01.1's alt text says the reading climbs ever more steeply with humidity; "
                             "units.humidity_growth no longer does")
    return 25 * growth(80)


@states("01-how-the-sensors-work", "above about {} %RH it is more than half")
def over_half_above():
    return int(RH[growth(RH) > 1.5].min())


@states("01-how-the-sensors-work", "its *apparent* κ is only about {:g}")
@states("01-how-the-sensors-work", "(apparent κ about {:g})")
@states("teacher-guide", "the sensors' apparent κ is about {:g}")
def apparent_kappa():
    """The sensors' κ, after checking it is still far below the textbook range the lesson contrasts it with."""
    if not kappa() < TEXTBOOK_KAPPA[0] / 2:
        raise AssertionError("01.1 says a street sensor's apparent κ is much lower than the textbook "
                             f"{TEXTBOOK_KAPPA}; the model's κ is now {kappa()}")
    return kappa()


@states("01-how-the-sensors-work", "(it stops the formula at {:g} %RH)")
def growth_cap():
    return float(RH_FINE[np.isclose(growth(RH_FINE), growth(100))].min())


@states("01-how-the-sensors-work", "to about twice the\ntrue value at {:g} %RH")
def about_twice_at_cap():
    if not 1.75 <= growth(growth_cap()) <= 2.25:
        raise AssertionError(f"01.1's alt text says the reading is about twice the truth at the cap; it is "
                             f"x{growth(growth_cap()):.2f}")
    return growth_cap()


@states("01-how-the-sensors-work", "good (up to {} µg/m³), moderate (above {}, up to {}),\nbad (above {}, up to {}) or "
        "very bad (above {})")
def grade_bands():
    good, moderate, bad = (upper for upper, *_ in PM25_GRADES[:-1])
    return good, good, moderate, moderate, bad, bad


@states("01-how-the-sensors-work", "the true PM2.5 is {:g} µg/m³")
@states("01-how-the-sensors-work", "The true air, {:g} µg/m³, is moderate")
def fog_true():
    if pm25_grade(m01.FOG_TRUE_PM25) != "moderate":
        raise AssertionError("01.1.b says the foggy morning's true air is moderate; it no longer is")
    if pm25_grade(m01.fog_reading()) == pm25_grade(m01.FOG_TRUE_PM25):
        raise AssertionError("01.1.b asks what the fog did to the grade; the reading now has the true air's grade")
    return m01.FOG_TRUE_PM25


@states("01-how-the-sensors-work", "the humidity is {:g} %RH")
def fog_rh():
    """The fog's humidity, after checking that the hints name the same humidity."""
    for key in ("m01.humid_reading.hint1", "m01.humid_reading.hint2"):
        for lang in ("en", "ko"):
            if f"humidity_growth({m01.FOG_RH:g})" not in text(key, lang=lang):
                raise AssertionError(f"{key} ({lang}) must name the fog's humidity, humidity_growth({m01.FOG_RH:g})")
    return m01.FOG_RH


@states("teacher-guide", "`humid = 20 * units.humidity_growth({:g})` = {:.1f} µg/m³")
def fog_reading():
    return m01.FOG_RH, m01.fog_reading()


@states("teacher-guide", "At {:g} %RH the same air reads only {:.1f} µg/m³")
def humid_but_not_foggy():
    """01.1's story: the over-read is small on an ordinary humid morning and changes no grade."""
    reading = m01.FOG_TRUE_PM25 * growth(HUMID_RH)
    if pm25_grade(reading) != pm25_grade(m01.FOG_TRUE_PM25):
        raise AssertionError(f"01.1 says the over-read is small most of the time; at {HUMID_RH} %RH it now "
                             "changes the grade")
    return HUMID_RH, reading


# ---- 01.1.c the PMS5003 tolerance: the checker's limits --------------------------------------------
@states("01-how-the-sensors-work", "±{:g} µg/m³ up to {:g} µg/m³, ±{:.0f} % from {:g} to 500 µg/m³")
def pms_datasheet():
    absolute, upto, share = m01.PMS5003_CONSISTENCY
    return absolute, upto, 100 * share, upto


@states("01-how-the-sensors-work", "{:g} µg/m³ up to {:g} µg/m³, {:.0f} % of the reading above")
def pms_tolerance():
    absolute, upto, share = m01.PMS5003_CONSISTENCY
    return absolute, upto, 100 * share


@states("teacher-guide", "{:g} µg/m³ is {:.0f} % of a 12 µg/m³ reading")
def tolerance_share_at_12():
    absolute = m01.PMS5003_CONSISTENCY[0]
    return absolute, 100 * absolute / 12


# ---- 01.2 the example line and the simulator ---------------------------------------------------------
@states("02-reading-kit1-lines", "here {} °C and {} %RH")
def example_fields():
    if verify_line(m01.LINE) is not None:
        raise AssertionError("01.2's example line must be a valid KIT1 line")
    line = parse_line(m01.LINE)
    return line.fields["t"], line.fields["rh"]


@states("teacher-guide", "the `seq` field ({})")
def example_seq():
    return parse_line(m01.LINE).seq


@states("02-reading-kit1-lines", "then every {:.0f} seconds")
def report_period():
    times = [float(x.split(",")[4]) / 1000 for x in m01.first_minute() if ",sht40," in x]
    return float(np.median(np.diff(times)))


@states("02-reading-kit1-lines", "PM lines in the first {:g} seconds say `warmup`")
def warmup():
    return WARMUP_S


# ---- 01.3 characters, XOR, checksums ------------------------------------------------------------------
@states("03-checksums-by-hand", "`K` is {}, `I` is {}")
def ascii_codes():
    return ord("K"), ord("I")


@states("teacher-guide", "({} + {} = {})")
def added_codes():
    return ord("K"), ord("I"), ord("K") + ord("I")


@states("03-checksums-by-hand", "{} = 4B) or **binary** (8 bits: {} = {:08b})")
def k_in_bases():
    if f"{ord('K'):X}" != "4B":
        raise AssertionError("01.3 writes K as 4B in hexadecimal")
    return ord("K"), ord("K"), ord("K")


@states("03-checksums-by-hand", "= {}\n")
def k_xor_i():
    return ord("K") ^ ord("I")


@states("03-checksums-by-hand", "only {} possible values")
def checksum_values():
    return 16 ** len(checksum("A"))


@states("teacher-guide", "About 1 in {} ({:.1f} %)")
def missed_share():
    return checksum_values(), 100 / checksum_values()


@states("teacher-guide", "which is {}.")
def k_xor_i_guide():
    return ord("K") ^ ord("I")


@states("teacher-guide", "positions {}, {}, {}, {}, {}, {}, {}, {} and {}")
def damaged_lines():
    return tuple(i for i, x in enumerate(m01.noisy_lines()) if verify_line(x) == "bad_checksum")


# ---- 01.4 units --------------------------------------------------------------------------------------
@states("04-units-and-conversions", "K = °C + {}")
def kelvin_offset():
    return 273.15


@states("04-units-and-conversions", "{:.3f} L at 25 °C")
@states("04-units-and-conversions", "the molar volume ({:.3f} L/mol at 25 °C)")
def molar_volume():
    return MOLAR_VOLUME_25C


@states("04-units-and-conversions", "NO₂ weighs {:.1f} g/mol")
def no2_mass():
    return MOLAR_MASS["no2"]


@states("teacher-guide", "`ppm_to_ugm3(0.03, \"no2\")` = {:.1f} µg/m³, {:.1f} times")
def no2_standard():
    ugm3 = ppm_to_ugm3(0.03, "no2")
    return ugm3, ugm3 / 10


@states("04-units-and-conversions", "`pm25_raw=123` is {} µg/m³")
def sds011():
    return sds011_raw_to_ugm3(123)


@states("04-units-and-conversions", "0.1 L is {} cm³, so counts per cm³ are the number divided by {}")
def per_cm3_factor():
    return round(1 / per_cm3(1)), round(1 / per_cm3(1))


@states("04-units-and-conversions", "Two buses at 70 dB(A) together\nmake {:.0f} dB(A), not {}")
def two_buses():
    return db_sum([70, 70]), 70 + 70


@states("04-units-and-conversions", "50 °F is {:g} °C")
def fifty_f():
    return f_to_c(50)


@states("teacher-guide", "= {:.1f} dB(A), above the plain mean")
def leq():
    if db_mean(m01.NOISE_DBA) <= np.mean(m01.NOISE_DBA):
        raise AssertionError("01.4.c's answer says the Leq is above the plain mean")
    return db_mean(m01.NOISE_DBA)


@states("teacher-guide", "grades this module, {} points")
def assignment_points():
    return plan_assignment_points("01-sensor-box")


# ---- teacher guide ------------------------------------------------------------------------------------
@states("teacher-guide", "## {}-minute period plan")
def period_minutes():
    check_periods(HERE, dict(PERIODS), OVERHEAD)
    return PERIOD_MIN


@states("teacher-guide", "in each header ({}, {}, {}, {})")
def notebook_minutes():
    return tuple(sum(header_minutes(HERE, s)) for s in STEMS)


plain("01-how-the-sensors-work",
      # the S-DoT box and the kit (Seoul Open Data Plaza OA-15969; the kit build guide)
      "every 2 minutes", "2–4 m", "2분마다", "2–4 m", "0.1 L", "0.1 리터", "0.1 L당",
      # cited field studies and datasheets (see the lesson's Data credits)
      "0.2–4 °C", "22 %RH", "1–2 °C", "±0.2 °C", "±1.8 %RH", "±15 %", "±10 µg/m³\"", "70 %RH",
      "κ ≈ 0.1–0.6", "0.1–0.6으로", "Chem. Phys. 7, 1961–1971", "Sensors 2023, 23(5), 2384", "22 IoT mini weather stations", "IoT 소형 기상 관측소 22곳",
      # inputs of the figure and the exercises
      "25 µg/m³ of dry particles", "at 80 %RH", "at a reading of 12 µg/m³", "14 and 22 µg/m³", "14와 22",
      "마른 입자 25 µg/m³", "80 %RH에서", "12 µg/m³", "50 %RH", "500 µg/m³", "2020년")
plain("teacher-guide", *plan_slots(HERE / "teacher-guide.md", 3), *plan_slots(HERE / "teacher-guide.ko.md", 3),
      "Period 1", "Period 2", "Period 3", "periods 2 and 3", "period 3", "1차시", "2차시", "3차시", "2차시와 3차시",
      "question 1 or 2", "question 3", "give 0.1–0.6", "0.1–0.6으로", "질문 1 또는 2", "질문 3", "±0.2 °C", "±10 µg/m³", "to 100 µg/m³",
      "100 µg/m³까지", "14 and 22", "say, 18", "14와 22", "18에서", "factor of 1000", "1000배", "40 ppb = 0.040 ppm",
      "0.03 ppm", "2000년이나 1970년", "8-bit", "8비트", "0.01 단위", "12 µg/m³", "epoch 2000 or 1970", "1 in 256",
      "256번에 1번", "1분", "(0.4 %)")
plain("02-reading-kit1-lines", "rh=48.25*15", "timeout=2", "baudrate=115200", "starts again at 0", "0부터", "1분", "10초", "30초")
plain("03-checksums-by-hand", "base 16", "16진법", "0–9", "8 bits", "8비트", "counting from 0", "0부터",
      "0100 1011", "0100 1001", "16진수", "밑이 16", "2진수", "0000 0010", "1 where the bits differ", "0 where they agree", "1을", "0을")
plain("04-units-and-conversions", "× 9/5 + 32", "+ 32", "ppm} \\times 1000", "**0.03 ppm**", "**10 µg/m³**",
      "at 25 °C", "25 °C", "0.1 litre", "50 °F", "m^3", "70 dB(A)", "Module 02", "모듈 02", "1월", "0.3 µm", "2.5 µm", "+10 dB", "10^(L/10)", "\"40 ppb\"", "\"PM2.5 = 30\"",
      "0.1 L", "0.1 리터", "WHO 2021", "(2021)", "1몰")
