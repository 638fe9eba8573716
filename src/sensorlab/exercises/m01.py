"""Checkers for module 01, The sensor box.

The lines the lessons read come from the seeded simulator (:mod:`sensorlab.kit.simulator`), so the
checker regenerates exactly what the student has in front of them.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from sensorlab.check import register
from sensorlab.check_expect import (expect_close, expect_columns, expect_length, expect_numbers, expect_series_close,
                                    expect_type)
from sensorlab.check_wording import Wrong
from sensorlab.kit import checksum, encode_line, parse_line, verify_line
from sensorlab.kit.simulator import lines
from sensorlab.plotting import PM25_GRADES, pm25_grade
from sensorlab.units import db_mean, humidity_growth, ppm_to_ugm3

#: The physical principle of each sensor (lesson 01.1, the letters of its table).
PRINCIPLES = {"pm25": "A", "humidity": "B", "temperature": "C", "noise": "D", "illuminance": "E"}
#: One KIT1 line students take apart by hand (lessons 01.2 and 01.3).
LINE = encode_line("seoul-01", 3, 17, 52000, "sht40", "ok", {"t": 21.5, "rh": 48.25})
#: Lesson 01.4: °F readings of an imported weather sensor, and noise levels of one street.
TEMPS_F = pd.Series([14.0, 23.0, 32.0, 50.0, 77.0], name="temperature_f")
NOISE_DBA = [55.0, 58.0, 62.0, 75.0, 60.0, 57.0]
#: PMS5003 unit-to-unit consistency (Plantower manual v2.3): ±10 µg/m³ up to 100 µg/m³, ±10 % above.
PMS5003_CONSISTENCY = (10.0, 100.0, 0.10)


def first_minute():
    """The lines a box with seed 1 sends in its first 60 s (lesson 01.2), reporting every 10 s."""
    return list(lines(seed=1, duration_s=60, period_s=10))


def noisy_lines():
    """Two minutes of lines with damaged checksums (lesson 01.3)."""
    return list(lines(seed=11, duration_s=120, period_s=10, faults="bad_checksum:0.25,dropped_byte:0.1"))


@register("01.1-match-sensors", kind=dict, hints=("m01.match_sensors.hint1", "m01.match_sensors.hint2"))
def match_sensors(answer):
    """A dict quantity -> letter of the physical principle."""
    for quantity, letter in PRINCIPLES.items():
        got = str(answer.get(quantity, "")).strip().upper()
        if not got:
            raise Wrong("m01.match_sensors.missing", quantity=quantity)
        if got != letter:
            raise Wrong("m01.match_sensors.wrong", quantity=quantity, got=got)


#: Lesson 01.1.b: a foggy morning's humidity (%RH) and true (dry) PM2.5 (µg/m³).
FOG_RH, FOG_TRUE_PM25 = 98.0, 20.0
#: Ways a student writes each PM2.5 grade (lower case, spaces and "_" removed), English and Korean.
_GRADE_WORDS = {w.replace(" ", ""): en for _, en, ko, _ in PM25_GRADES for w in (en, ko)}


def fog_reading() -> float:
    """What the PMS5003 reads on the foggy morning, by the package's one humidity-growth model."""
    return FOG_TRUE_PM25 * humidity_growth(FOG_RH)


def _grade_word(answer) -> str | None:
    """The English grade a student's word means (``"나쁨"``, ``"Bad"``, ``"very_bad"``), or None."""
    return _GRADE_WORDS.get(re.sub(r"[\s_\-.,!'\"]+", "", str(answer)).lower())


@register("01.1-humid-reading", hints=("m01.humid_reading.hint1", "m01.humid_reading.hint2",
                                       "m01.humid_reading.hint3"))
def humid_reading(answer):
    """The pair (reading, grade): what a PMS5003 reads for 20 µg/m³ of dry particles at 98 %RH (the fog), by
    :func:`sensorlab.units.humidity_growth`, and the Korean grade of that reading."""
    if not isinstance(answer, tuple) or len(answer) != 2:
        raise Wrong("m01.humid_reading.pair")
    reading, grade = answer
    want = fog_reading()
    if isinstance(reading, str) or reading is Ellipsis:
        raise Wrong("m01.humid_reading.number")
    expect_type(reading, float)
    factor = want / FOG_TRUE_PM25
    if math.isclose(reading, FOG_TRUE_PM25):
        raise Wrong("m01.humid_reading.dry")
    if math.isclose(reading, factor, rel_tol=1e-2):
        raise Wrong("m01.humid_reading.factor_only", factor=round(factor, 2), true=FOG_TRUE_PM25)
    if math.isclose(reading, want - FOG_TRUE_PM25, rel_tol=1e-2):
        raise Wrong("m01.humid_reading.extra_only", true=FOG_TRUE_PM25)
    if math.isclose(reading, FOG_TRUE_PM25 / factor, rel_tol=1e-2):
        raise Wrong("m01.humid_reading.divided")
    expect_close(reading, want, "m01.what.reading", rtol=1e-2)
    if grade is Ellipsis or grade is None:
        raise Wrong("m01.humid_grade.missing")
    if not isinstance(grade, str):
        raise Wrong("m01.humid_grade.not_word", got=repr(grade))
    got = _grade_word(grade)
    if got is None:
        raise Wrong("m01.humid_grade.unknown", got=grade)
    right, dry = pm25_grade(want), pm25_grade(FOG_TRUE_PM25)
    if got == right:
        return
    if got == dry:
        raise Wrong("m01.humid_grade.dry_grade", got=grade, true=FOG_TRUE_PM25, reading=round(want, 1))
    limits = ", ".join(f"{upper:g}" for upper, *_ in PM25_GRADES[:-1])
    raise Wrong("m01.humid_grade.wrong", got=grade, reading=round(want, 1), limits=limits)


@register("01.1-pms-tolerance", level="university", hints=("m01.pms_tolerance.hint1", "m01.pms_tolerance.hint2"))
def pms_tolerance(answer):
    """A function giving the PMS5003 consistency limit (±10 µg/m³ to 100, ±10 % above)."""
    if not callable(answer):
        raise Wrong("m01.pms_tolerance.not_function")
    for pm in (0, 20, 80, 100, 150, 300, 500):
        absolute, upto, share = PMS5003_CONSISTENCY
        want = absolute if pm <= upto else share * pm
        got = answer(pm)
        if got is None:
            raise Wrong("m01.returns_nothing")
        if not isinstance(got, (int, float)) or not math.isclose(float(got), want, rel_tol=1e-6):
            raise Wrong("m01.pms_tolerance.wrong", pm=pm, expected=want, got=repr(got))


@register("01.2-seq-by-hand", hints=("m01.seq_by_hand.hint1", "m01.seq_by_hand.hint2"))
def seq_by_hand(answer):
    """The seq field of :data:`LINE`, as a whole number."""
    if isinstance(answer, str):
        raise Wrong("m01.seq_by_hand.text")
    expect_type(answer, int)
    fields = LINE[1:LINE.index("*")].split(",")
    if answer in (int(fields[2]), int(fields[4])):
        raise Wrong("m01.seq_by_hand.other_field")
    expect_close(answer, int(fields[3]), "m01.what.seq", rtol=0)


@register("01.2-temperatures", kind=list, hints=("m01.temperatures.hint1", "m01.temperatures.hint2"))
def temperatures(answer):
    """The temperatures (°C) of every sht40 line of :func:`first_minute`, in order."""
    if any(isinstance(v, str) for v in answer):
        raise Wrong("m01.temperatures.text")
    minute = [parse_line(x) for x in first_minute()]
    expected = [line.fields["t"] for line in minute if line.sensor == "sht40"]
    if len(answer) == len(minute):
        raise Wrong("m01.temperatures.all_lines")
    expect_length(answer, len(expected))
    for i, (got, want) in enumerate(zip(answer, expected)):
        expect_close(got, want, f"#{i}")


@register("01.2-line-table", kind=pd.DataFrame, level="university",
          hints=("m01.line_table.hint1", "m01.line_table.hint2"))
def line_table(answer):
    """A DataFrame, one row per line of :func:`first_minute`, columns seq, sensor, status."""
    expect_columns(answer, ["seq", "sensor", "status"])
    parsed = [parse_line(x) for x in first_minute()]
    expect_length(answer, len(parsed))
    expected = pd.Series([p.sensor for p in parsed])
    if answer["sensor"].tolist() != expected.tolist():
        raise Wrong("m01.line_table.order")
    expect_series_close(answer["seq"].reset_index(drop=True).astype(float),
                        pd.Series([float(p.seq) for p in parsed]), "seq")


@register("01.3-xor-k-i", hints=("m01.xor_k_i.hint1", "m01.xor_k_i.hint2"))
def xor_k_i(answer):
    """ord('K') ^ ord('I')."""
    if isinstance(answer, str):
        raise Wrong("m01.xor_k_i.text")
    expect_type(answer, int)
    if answer == ord("K") + ord("I"):
        raise Wrong("m01.xor_k_i.added")
    expect_close(answer, ord("K") ^ ord("I"), "m01.what.xor", rtol=0)


@register("01.3-my-checksum", hints=("m01.my_checksum.hint1", "m01.my_checksum.hint2", "m01.my_checksum.hint3"))
def my_checksum(answer):
    """A function body -> two upper-case hex digits, equal to :func:`sensorlab.kit.checksum`."""
    if not callable(answer):
        raise Wrong("m01.my_checksum.not_function")
    bodies = ["KIT1,a,1,1,0,sys,hb", LINE[1:LINE.index("*")], "A", "J", "KIT1,sim-01,1,0,150,sys,boot"]
    for body in bodies:
        want, got = checksum(body), answer(body)
        if got is None:
            raise Wrong("m01.returns_nothing")
        if isinstance(got, int):
            raise Wrong("m01.my_checksum.number", got=got)
        if not isinstance(got, str):
            raise Wrong("m01.my_checksum.wrong", body=body, expected=want, got=repr(got))
        if got.upper() == want and got != want or (len(got) == 1 and f"0{got}".upper() == want):
            raise Wrong("m01.my_checksum.format", body=body, expected=want, got=got)
        if got != want:
            raise Wrong("m01.my_checksum.wrong", body=body, expected=want, got=got)


@register("01.3-bad-lines", hints=("m01.bad_lines.hint1", "m01.bad_lines.hint2"))
def bad_lines(answer):
    """Positions (from 0) in :func:`noisy_lines` of the lines whose checksum does not match."""
    got = sorted(int(i) for i in expect_numbers(answer, whole=True))  # "3", None, 10**400: said what they are
    expected = [i for i, x in enumerate(noisy_lines()) if verify_line(x) == "bad_checksum"]
    if got == [i + 1 for i in expected]:
        raise Wrong("m01.bad_lines.from_one")
    missing = [i for i in expected if i not in got]
    if missing:
        raise Wrong("m01.bad_lines.missed", index=missing[0])
    extra = [i for i in got if i not in expected]
    if extra:
        raise Wrong("m01.bad_lines.extra", index=extra[0])


@register("01.3-same-checksum", kind=str, level="university",
          hints=("m01.same_checksum.hint1", "m01.same_checksum.hint2"))
def same_checksum(answer):
    """A line other than :data:`LINE`, with the same ``*XX``, that the host accepts."""
    original = LINE.strip()
    line = answer.strip()
    if line == original:
        raise Wrong("m01.same_checksum.unchanged")
    if line[-3:] != original[-3:]:
        raise Wrong("m01.same_checksum.star_changed")
    reason = verify_line(line)
    if reason is not None:
        raise Wrong("m01.same_checksum.rejected", reason=reason)


@register("01.4-f-to-c", hints=("m01.f_to_c.hint1", "m01.f_to_c.hint2"))
def f_to_c(answer):
    """:data:`TEMPS_F` in °C."""
    expected = (TEMPS_F - 32) * 5 / 9
    expect_type(answer, pd.Series)
    expect_length(answer, len(expected))
    if (answer - 32).abs().max() < 1e-6 or ((TEMPS_F - 32) * 9 / 5 - answer).abs().max() < 1e-6:
        raise Wrong("m01.f_to_c.upside_down")
    expect_series_close(answer.rename(None), expected.rename(None), "m01.what.celsius")


@register("01.4-no2-ugm3", kind=float, hints=("m01.no2_ugm3.hint1", "m01.no2_ugm3.hint2"))
def no2_ugm3(answer):
    """Seoul's annual NO2 standard, 0.03 ppm, in µg/m³ at 25 °C."""
    if math.isclose(answer, ppm_to_ugm3(0.03, "no2", temperature_c=0), rel_tol=2e-3):
        raise Wrong("m01.no2_ugm3.zero_c")
    if math.isclose(answer, 30.0, rel_tol=1e-3):
        raise Wrong("m01.no2_ugm3.times_1000")
    expect_close(answer, ppm_to_ugm3(0.03, "no2"), "m01.what.no2", rtol=5e-3)


@register("01.4-noise-leq", kind=float, level="university", hints=("m01.noise_leq.hint1", "m01.noise_leq.hint2"))
def noise_leq(answer):
    """The energy mean (Leq) of :data:`NOISE_DBA`."""
    if math.isclose(answer, sum(NOISE_DBA) / len(NOISE_DBA), rel_tol=1e-4):
        raise Wrong("m01.noise_leq.plain_mean")
    expect_close(answer, db_mean(NOISE_DBA), "m01.what.leq", rtol=1e-3)
