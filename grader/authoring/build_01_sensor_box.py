"""Write assignment 01 in English and Korean (run after editing; commit the notebooks it writes).

    .venv/bin/python grader/authoring/build_01_sensor_box.py

writes grader/source/01-sensor-box/01-sensor-box.ipynb and its Korean release
grader/source-ko/01-sensor-box/01-sensor-box.ipynb from ``CELLS`` below, where the code is written
once and every student-facing text is a ``{t:key}`` whose English and Korean wording sit beside this
file in ``build_01_sensor_box.en.toml`` and ``build_01_sensor_box.ko.toml``; nothing is written
unless the two editions mirror each other.
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # tools/ (repository tooling) when run as a script
from tools.grading_authoring import answer, bilingual, markdown, setup, tests, write_editions, written  # noqa: E402

NAME = "01-sensor-box"
COURSE = REPO / "grader"

CELLS = [
    markdown("intro", "{t:intro}"),
    setup("imports", '''from sensorlab.kit import protocol

LINE = "$KIT1,seoul-01,3,17,52000,sht40,ok,t=21.5,rh=48.25*15"'''),
    markdown("q1_prompt", "{t:q1_prompt}"),
    answer("xor_checksum", '''def xor_checksum(body):
    ### BEGIN SOLUTION
    x = 0
    for ch in body:
        x ^= ord(ch)
    return f"{x:02X}"
    ### END SOLUTION'''),
    tests("test_xor_checksum_example", '''"""{t:test_xor_checksum_example}"""
assert xor_checksum("KIT1,seoul-01,3,17,52000,sht40,ok,t=21.5,rh=48.25") == "15"
### BEGIN HIDDEN TESTS
### BEGIN PROBE
import random as _random
_rng = _random.Random(1)
_bodies = ["".join(_rng.choice("KIT1,abcdefghst0123456789.=_-") for _ in range(_rng.randint(1, 60))) for _ in range(50)]
_got = [xor_checksum(_body) for _body in _bodies]
### END PROBE
for _body, _checksum in zip(_bodies, _got):
    _ref = 0  # {t:computed_here_not_with_the}
    for _b in _body.encode():
        _ref ^= _b
    assert _checksum == f"{_ref:02X}", "{t:checksum_differs_on_a_random}"
### END HIDDEN TESTS''', 2),
    tests("test_xor_checksum_two_hex_digits", '''"""{t:test_xor_checksum_two_hex_digits}"""
_c = xor_checksum("KIT1,a,1,1,0,sys,hb")
assert isinstance(_c, str) and len(_c) == 2, "{t:the_checksum_should_be_a}"
### BEGIN HIDDEN TESTS
### BEGIN PROBE
for _body in ("", "\\x05", "KIT1,b,2,5,900,sht40,ok,t=20.1,rh=55", "z"):
    xor_checksum(_body)
### END PROBE
assert xor_checksum("") == "00", "{t:an_empty_body_should_give}"
assert xor_checksum("\\x05") == "05", "{t:small_values_need_a_leading}"
assert xor_checksum("KIT1,b,2,5,900,sht40,ok,t=20.1,rh=55") == "27"
assert xor_checksum("z") == "7A", "{t:hex_digits_must_be_upper}"
### END HIDDEN TESTS''', 1),
    markdown("q2_prompt", "{t:q2_prompt}"),
    answer("parse_fields", '''def parse_fields(line):
    ### BEGIN SOLUTION
    body = line.strip()[1:].split("*")[0]
    fields = {}
    for item in body.split(",")[7:]:
        key, value = item.split("=")
        fields[key] = float(value)
    return fields
    ### END SOLUTION'''),
    tests("test_parse_fields_example", '''"""{t:test_parse_fields_example}"""
assert parse_fields(LINE) == {"t": 21.5, "rh": 48.25}
### BEGIN HIDDEN TESTS
### BEGIN PROBE
parse_fields("$KIT1,box-7,1,2,3000,sds011,ok,pm25=7.5,pm10=12*71\\n")
### END PROBE
assert all(type(v) is float for v in parse_fields(LINE).values()), "{t:values_should_be_floats}"
assert parse_fields("$KIT1,box-7,1,2,3000,sds011,ok,pm25=7.5,pm10=12*71\\n") == {"pm25": 7.5, "pm10": 12.0}
### END HIDDEN TESTS''', 2),
    tests("test_parse_fields_line_endings_and_nan", '''"""{t:test_parse_fields_line_endings_and_nan}"""
_f = parse_fields("$KIT1,b,2,5,900,sht40,ok,t=20.1,rh=55*27\\r\\n")
assert _f["t"] == 20.1
### BEGIN HIDDEN TESTS
### BEGIN PROBE
parse_fields("$KIT1,b,2,6,1900,sht40,ok,t=nan,rh=-1.5*6E\\n")
### END PROBE
import math as _math
assert _f == {"t": 20.1, "rh": 55.0}
_g = parse_fields("$KIT1,b,2,6,1900,sht40,ok,t=nan,rh=-1.5*6E\\n")
assert _math.isnan(_g["t"]) and _g["rh"] == -1.5
### END HIDDEN TESTS''', 1),
    markdown("q3_prompt", "{t:q3_prompt}"),
    answer("sds011_ugm3", """def sds011_ugm3(raw):
    ### BEGIN SOLUTION
    return raw / 10
    ### END SOLUTION"""),
    tests("test_sds011_ugm3", '''"""{t:test_sds011_ugm3}"""
assert sds011_ugm3(120) == 12
### BEGIN HIDDEN TESTS
### BEGIN PROBE
for _raw in (0, 1, 7, 123, 9999):
    sds011_ugm3(_raw)
### END PROBE
for _raw in (0, 1, 7, 123, 9999):
    assert abs(sds011_ugm3(_raw) - _raw / 10) < 1e-9, "{t:conversion_is_off_for_some}"
### END HIDDEN TESTS''', 2),
    markdown("q4_prompt", "{t:q4_prompt}"),
    answer("is_good_line", '''def is_good_line(line):
    ### BEGIN SOLUTION
    text = line.rstrip("\\r\\n")
    star = text.rfind("*")
    if not text.startswith("$") or star < 0 or len(text) - star != 3:
        return False
    return xor_checksum(text[1:star]) == text[star + 1:].upper()
    ### END SOLUTION'''),
    tests("test_is_good_line_checksum", '''"""{t:test_is_good_line_checksum}"""
assert is_good_line(LINE) is True
assert is_good_line(LINE.replace("21.5", "21.6")) is False
### BEGIN HIDDEN TESTS
### BEGIN PROBE
for _line in ("$KIT1,seoul-02,4,99,7000,mic,ok,dba=61.2*15\\n", "$KIT1,seoul-02,4,8,7000,mic,ok,dba=61.2*2d",
              "$KIT1,seoul-02,4,8,7000,mic,ok,dba=61.3*2D"):
    is_good_line(_line)
### END PROBE
assert is_good_line("$KIT1,seoul-02,4,99,7000,mic,ok,dba=61.2*15\\n") is True, "{t:a_good_line_with_a}"
assert is_good_line("$KIT1,seoul-02,4,8,7000,mic,ok,dba=61.2*2d") is True, "{t:lower_case_hex_should_be}"
assert is_good_line("$KIT1,seoul-02,4,8,7000,mic,ok,dba=61.3*2D") is False
### END HIDDEN TESTS''', 1),
    tests("test_is_good_line_never_raises", '''"""{t:test_is_good_line_never_raises}"""
assert is_good_line("$KIT1,b,2,5,900,sht40,ok,t=20.1,rh=5") is False
### BEGIN HIDDEN TESTS
### BEGIN PROBE
for _line in ("", "hello", "KIT1,b,2*27", "$KIT1,b*2", "$KIT1,b*ZZ", "*", "$*00x", "$*00"):
    is_good_line(_line)  # {t:a_line_that_raises_here}
### END PROBE
for _bad in ("", "hello", "KIT1,b,2*27", "$KIT1,b*2", "$KIT1,b*ZZ", "*", "$*00x"):
    assert is_good_line(_bad) is False, "{t:a_garbled_line_should_give}"
assert is_good_line("$*00") is True, "{t:an_empty_body_has_checksum}"
### END HIDDEN TESTS''', 2),
    markdown("q5_prompt", "{t:q5_prompt}"),
    written("q5_district_office", "{t:q5_district_office}", 3),
]
build = bilingual(NAME, CELLS, __file__)


if __name__ == "__main__":
    for path in write_editions(build, NAME, COURSE):
        print(f"wrote {path}")
