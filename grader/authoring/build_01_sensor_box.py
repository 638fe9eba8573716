"""Write grader/source/01-sensor-box/01-sensor-box.ipynb (run once after editing; commit both).

    .venv/bin/python grader/authoring/build_01_sensor_box.py
"""

from pathlib import Path

from sensorlab.grading.authoring import answer, markdown, notebook, setup, tests, write, written

OUT = Path(__file__).resolve().parents[1] / "source" / "01-sensor-box" / "01-sensor-box.ipynb"

cells = [
    markdown("intro", """# Assignment 01 — Talking to the sensor box (KIT1)

Your sensor box sends one line of text per reading, for example

    $KIT1,seoul-01,3,17,52000,sht40,ok,t=21.5,rh=48.25*15

`$` starts the line, `*15` ends it: `15` is the **checksum**, the XOR of every byte between
`$` and `*`, written as two upper-case hexadecimal digits. A line whose checksum does not
match was damaged on the way (a loose wire, a half-sent line) and must not be trusted.

Write the four functions below. Run the test cell under each one: it checks your work on
the example; more checks run when your teacher grades it. Points are shown in each question.
Do not change the test cells or the cell below."""),
    setup("imports", """from sensorlab.kit import protocol

LINE = "$KIT1,seoul-01,3,17,52000,sht40,ok,t=21.5,rh=48.25*15\""""),
    markdown("q1_prompt", """## Q1. The checksum (3 points)

Write `xor_checksum(body)`: XOR together the byte values (`ord`) of every character of `body`
and return the result as **two upper-case hex digits** (`"0A"`, not `"a"`).
Hint: `f"{x:02X}"`."""),
    answer("xor_checksum", """def xor_checksum(body):
    ### BEGIN SOLUTION
    x = 0
    for ch in body:
        x ^= ord(ch)
    return f"{x:02X}"
    ### END SOLUTION"""),
    tests("test_xor_checksum_example", '''"""xor_checksum gives the example line's checksum 15."""
assert xor_checksum("KIT1,seoul-01,3,17,52000,sht40,ok,t=21.5,rh=48.25") == "15"
### BEGIN HIDDEN TESTS
import random as _random
_rng = _random.Random(1)
for _ in range(50):
    _body = "".join(_rng.choice("KIT1,abcdefghst0123456789.=_-") for _ in range(_rng.randint(1, 60)))
    _ref = 0  # computed here, not with the package, so redefining it cannot help
    for _b in _body.encode():
        _ref ^= _b
    assert xor_checksum(_body) == f"{_ref:02X}", "checksum differs on a random line"
### END HIDDEN TESTS''', 2),
    tests("test_xor_checksum_two_hex_digits", '''"""xor_checksum always returns two upper-case hex digits (zero-padded)."""
_c = xor_checksum("KIT1,a,1,1,0,sys,hb")
assert isinstance(_c, str) and len(_c) == 2, "the checksum should be a string of two characters"
### BEGIN HIDDEN TESTS
assert xor_checksum("") == "00", "an empty body should give 00"
assert xor_checksum("\\x05") == "05", "small values need a leading zero"
assert xor_checksum("KIT1,b,2,5,900,sht40,ok,t=20.1,rh=55") == "27"
assert xor_checksum("z") == "7A", "hex digits must be upper case"
### END HIDDEN TESTS''', 1),
    markdown("q2_prompt", """## Q2. The fields (3 points)

Write `parse_fields(line)`: return the `key=value` pairs after the status word as a
dictionary of **floats**, e.g. `{"t": 21.5, "rh": 48.25}` for `LINE`. The line may end with
`"\\r\\n"`; the checksum `*XX` is not part of the last value. `nan` means "no value"
(`float("nan")` handles it)."""),
    answer("parse_fields", """def parse_fields(line):
    ### BEGIN SOLUTION
    body = line.strip()[1:].split("*")[0]
    fields = {}
    for item in body.split(",")[7:]:
        key, value = item.split("=")
        fields[key] = float(value)
    return fields
    ### END SOLUTION"""),
    tests("test_parse_fields_example", '''"""parse_fields reads the example line's temperature and humidity as floats."""
assert parse_fields(LINE) == {"t": 21.5, "rh": 48.25}
### BEGIN HIDDEN TESTS
assert all(type(v) is float for v in parse_fields(LINE).values()), "values should be floats"
assert parse_fields("$KIT1,box-7,1,2,3000,sds011,ok,pm25=7.5,pm10=12*71\\n") == {"pm25": 7.5, "pm10": 12.0}
### END HIDDEN TESTS''', 2),
    tests("test_parse_fields_line_endings_and_nan", '''"""parse_fields copes with a Windows line ending and with nan values."""
_f = parse_fields("$KIT1,b,2,5,900,sht40,ok,t=20.1,rh=55*27\\r\\n")
assert _f["t"] == 20.1
### BEGIN HIDDEN TESTS
import math as _math
assert _f == {"t": 20.1, "rh": 55.0}
_g = parse_fields("$KIT1,b,2,6,1900,sht40,ok,t=nan,rh=-1.5*6E\\n")
assert _math.isnan(_g["t"]) and _g["rh"] == -1.5
### END HIDDEN TESTS''', 1),
    markdown("q3_prompt", """## Q3. Units (2 points)

The SDS011 dust sensor reports `pm25_raw` in units of **0.1 µg/m³** (a raw value of 123
means 12.3 µg/m³). Write `sds011_ugm3(raw)` returning µg/m³ as a float."""),
    answer("sds011_ugm3", """def sds011_ugm3(raw):
    ### BEGIN SOLUTION
    return raw / 10
    ### END SOLUTION"""),
    tests("test_sds011_ugm3", '''"""sds011_ugm3 converts raw 0.1 µg/m³ counts to µg/m³, decimals kept."""
assert sds011_ugm3(120) == 12
### BEGIN HIDDEN TESTS
for _raw in (0, 1, 7, 123, 9999):
    assert abs(sds011_ugm3(_raw) - _raw / 10) < 1e-9, "conversion is off for some raw values"
### END HIDDEN TESTS''', 2),
    markdown("q4_prompt", """## Q4. Spot a bad line (3 points)

Write `is_good_line(line)`: `True` when the line starts with `$`, has `*` followed by two hex
digits, and the checksum matches the body (upper- or lower-case hex); `False` otherwise —
**never an error**, because one broken line must not stop the logger. Use your
`xor_checksum`."""),
    answer("is_good_line", """def is_good_line(line):
    ### BEGIN SOLUTION
    text = line.rstrip("\\r\\n")
    star = text.rfind("*")
    if not text.startswith("$") or star < 0 or len(text) - star != 3:
        return False
    return xor_checksum(text[1:star]) == text[star + 1:].upper()
    ### END SOLUTION"""),
    tests("test_is_good_line_checksum", '''"""is_good_line accepts the example line and rejects it after one digit changes."""
assert is_good_line(LINE) is True
assert is_good_line(LINE.replace("21.5", "21.6")) is False
### BEGIN HIDDEN TESTS
assert is_good_line("$KIT1,seoul-02,4,99,7000,mic,ok,dba=61.2*15\\n") is True, "a good line with a newline should be accepted"
assert is_good_line("$KIT1,seoul-02,4,8,7000,mic,ok,dba=61.2*2d") is True, "lower-case hex should be accepted"
assert is_good_line("$KIT1,seoul-02,4,8,7000,mic,ok,dba=61.3*2D") is False
### END HIDDEN TESTS''', 1),
    tests("test_is_good_line_never_raises", '''"""is_good_line returns False (never raises) for cut-off or garbled lines."""
assert is_good_line("$KIT1,b,2,5,900,sht40,ok,t=20.1,rh=5") is False
### BEGIN HIDDEN TESTS
for _bad in ("", "hello", "KIT1,b,2*27", "$KIT1,b*2", "$KIT1,b*ZZ", "*", "$*00x"):
    assert is_good_line(_bad) is False, "a garbled line should give False"
assert is_good_line("$*00") is True, "an empty body has checksum 00"
### END HIDDEN TESTS''', 2),
    markdown("q5_prompt", """## Q5. What would you tell the district office? (3 points, graded by your teacher)

A box on a bus stop in Jongno-gu sends about one line in fifty with a bad checksum, mostly
in the afternoon. In three or four sentences: should the office drop those lines, repair
them, or keep them? What might cause the pattern, and what would you check next?

**Rubric (3 points).** 1 point: bad-checksum lines are dropped (never repaired or guessed),
and counted. 1 point: a plausible cause tied to the pattern (heat, loose connector, power
dips, radio noise in busy hours). 1 point: a concrete next step (log the rejects with
time, compare with temperature or traffic, reseat or shield the cable)."""),
    written("q5_district_office", """Drop the bad lines (a checksum failure means we cannot know which byte is wrong) but count
them per hour. An afternoon pattern suggests heat or a loose connector or power dips when the
bus stop's displays draw current. Next: log every rejected line with its arrival time and
compare the reject rate with temperature; reseat and shield the sensor cable.""", 3),
]

if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    write(notebook(cells), OUT)
    print(f"wrote {OUT}")
