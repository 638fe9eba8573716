"""Write assignment 01 in English and Korean (run once after editing; commit all three files).

    .venv/bin/python grader/authoring/build_01_sensor_box.py

writes grader/source/01-sensor-box/01-sensor-box.ipynb and its Korean release
grader/source-ko/01-sensor-box/01-sensor-box.ipynb from the one ``build(lang)`` below: the
cells, grade ids, points and code are the same; only prose, comments and messages differ.
"""

from pathlib import Path

from sensorlab.grading.authoring import answer, markdown, notebook, setup, tests, write_editions, written

NAME = "01-sensor-box"
COURSE = Path(__file__).resolve().parents[1]


def build(lang: str):
    """The assignment notebook in ``lang`` ("en" or "ko")."""
    def T(en: str, ko: str) -> str:
        return ko if lang == "ko" else en

    korean_setup = 'from sensorlab import messages; messages.set_language("ko")\n' if lang == "ko" else ""
    cells = [
        markdown("intro", T("""# Assignment 01 — Talking to the sensor box (KIT1)

Your sensor box sends one line of text per reading, for example

    $KIT1,seoul-01,3,17,52000,sht40,ok,t=21.5,rh=48.25*15

`$` starts the line, `*15` ends it: `15` is the **checksum**, the XOR of every byte between
`$` and `*`, written as two upper-case hexadecimal digits. A line whose checksum does not
match was damaged on the way (a loose wire, a half-sent line) and must not be trusted.

Write the four functions below. Run the test cell under each one: it checks your work on
the example; more checks run when your teacher grades it. Points are shown in each question.
Do not change the test cells or the cell below.""", """# 과제 01 — 센서 상자와 대화하기 (KIT1)

여러분의 센서 상자(sensor box)는 측정값(reading)마다 글자 한 줄을 보내요. 예를 들면

    $KIT1,seoul-01,3,17,52000,sht40,ok,t=21.5,rh=48.25*15

`$`로 줄이 시작하고 `*15`로 끝나요. `15`가 **체크섬(checksum)**이에요. `$`와 `*` 사이에 있는
모든 바이트를 XOR 한 값을 대문자 16진수 두 자리로 쓴 것이지요. 체크섬이 맞지 않는 줄은
오는 길에 망가진 줄(헐거운 전선, 반만 보내진 줄)이므로 믿으면 안 돼요.

아래 함수 네 개를 작성하세요. 함수마다 아래에 있는 테스트 셀을 실행하면 예시로 여러분의 답을
확인할 수 있어요. 선생님이 채점할 때는 검사를 더 해요. 문제마다 배점이 적혀 있어요.
테스트 셀과 바로 아래 셀은 고치지 마세요.""")),
        setup("imports", korean_setup + """from sensorlab.kit import protocol

LINE = "$KIT1,seoul-01,3,17,52000,sht40,ok,t=21.5,rh=48.25*15\""""),
        markdown("q1_prompt", T("""## Q1. The checksum (3 points)

Write `xor_checksum(body)`: XOR together the byte values (`ord`) of every character of `body`
and return the result as **two upper-case hex digits** (`"0A"`, not `"a"`).
Hint: `f"{x:02X}"`.""", """## Q1. 체크섬 (3점)

`xor_checksum(body)`를 작성하세요. `body`의 모든 글자의 바이트 값(`ord`)을 XOR 하고, 결과를
**대문자 16진수 두 자리**로 돌려줘요(`"a"`가 아니라 `"0A"`).
힌트(hint): `f"{x:02X}"`.""")),
        answer("xor_checksum", """def xor_checksum(body):
    ### BEGIN SOLUTION
    x = 0
    for ch in body:
        x ^= ord(ch)
    return f"{x:02X}"
    ### END SOLUTION"""),
        tests("test_xor_checksum_example", T('''"""xor_checksum gives the example line's checksum 15."""''',
                                            '''"""xor_checksum이 예시 줄의 체크섬 15를 돌려주는지 확인해요."""''') + '''
assert xor_checksum("KIT1,seoul-01,3,17,52000,sht40,ok,t=21.5,rh=48.25") == "15"
### BEGIN HIDDEN TESTS
### BEGIN PROBE
import random as _random
_rng = _random.Random(1)
_bodies = ["".join(_rng.choice("KIT1,abcdefghst0123456789.=_-") for _ in range(_rng.randint(1, 60))) for _ in range(50)]
_got = [xor_checksum(_body) for _body in _bodies]
### END PROBE
for _body, _checksum in zip(_bodies, _got):
    _ref = 0  # ''' + T("computed here, not with the package, so redefining it cannot help",
                      "패키지가 아니라 여기서 계산하므로 함수를 바꿔 정의해도 소용없음") + '''
    for _b in _body.encode():
        _ref ^= _b
    assert _checksum == f"{_ref:02X}", "''' + T("checksum differs on a random line",
                                                          "무작위 줄에서 체크섬이 달라요") + '''"
### END HIDDEN TESTS''', 2),
        tests("test_xor_checksum_two_hex_digits", T(
            '''"""xor_checksum always returns two upper-case hex digits (zero-padded)."""''',
            '''"""xor_checksum이 언제나 대문자 16진수 두 자리(앞자리 0 채움)를 돌려주는지 확인해요."""''') + '''
_c = xor_checksum("KIT1,a,1,1,0,sys,hb")
assert isinstance(_c, str) and len(_c) == 2, "''' + T("the checksum should be a string of two characters",
                                                      "체크섬은 두 글자짜리 문자열이어야 해요") + '''"
### BEGIN HIDDEN TESTS
### BEGIN PROBE
for _body in ("", "\\x05", "KIT1,b,2,5,900,sht40,ok,t=20.1,rh=55", "z"):
    xor_checksum(_body)
### END PROBE
assert xor_checksum("") == "00", "''' + T("an empty body should give 00", "빈 본문은 00이어야 해요") + '''"
assert xor_checksum("\\x05") == "05", "''' + T("small values need a leading zero",
                                                "작은 값은 앞에 0을 붙여야 해요") + '''"
assert xor_checksum("KIT1,b,2,5,900,sht40,ok,t=20.1,rh=55") == "27"
assert xor_checksum("z") == "7A", "''' + T("hex digits must be upper case", "16진수는 대문자여야 해요") + '''"
### END HIDDEN TESTS''', 1),
        markdown("q2_prompt", T("""## Q2. The fields (3 points)

Write `parse_fields(line)`: return the `key=value` pairs after the status word as a
dictionary of **floats**, e.g. `{"t": 21.5, "rh": 48.25}` for `LINE`. The line may end with
`"\\r\\n"`; the checksum `*XX` is not part of the last value. `nan` means "no value"
(`float("nan")` handles it).""", """## Q2. 필드 읽기 (3점)

`parse_fields(line)`을 작성하세요. 상태 단어 뒤에 오는 `키=값` 쌍을 **실수(float)** 값의
딕셔너리로 돌려줘요. 예를 들어 `LINE`이면 `{"t": 21.5, "rh": 48.25}`예요. 줄 끝에
`"\\r\\n"`이 붙어 있을 수 있고, 체크섬 `*XX`는 마지막 값에 들어가지 않아요. `nan`은 "값 없음"이라는
뜻이에요(`float("nan")`이 알아서 처리해요).""")),
        answer("parse_fields", """def parse_fields(line):
    ### BEGIN SOLUTION
    body = line.strip()[1:].split("*")[0]
    fields = {}
    for item in body.split(",")[7:]:
        key, value = item.split("=")
        fields[key] = float(value)
    return fields
    ### END SOLUTION"""),
        tests("test_parse_fields_example", T(
            '''"""parse_fields reads the example line's temperature and humidity as floats."""''',
            '''"""parse_fields가 예시 줄의 기온과 습도를 실수로 읽는지 확인해요."""''') + '''
assert parse_fields(LINE) == {"t": 21.5, "rh": 48.25}
### BEGIN HIDDEN TESTS
### BEGIN PROBE
parse_fields("$KIT1,box-7,1,2,3000,sds011,ok,pm25=7.5,pm10=12*71\\n")
### END PROBE
assert all(type(v) is float for v in parse_fields(LINE).values()), "''' + T(
            "values should be floats", "값은 실수(float)여야 해요") + '''"
assert parse_fields("$KIT1,box-7,1,2,3000,sds011,ok,pm25=7.5,pm10=12*71\\n") == {"pm25": 7.5, "pm10": 12.0}
### END HIDDEN TESTS''', 2),
        tests("test_parse_fields_line_endings_and_nan", T(
            '''"""parse_fields copes with a Windows line ending and with nan values."""''',
            '''"""parse_fields가 윈도우 줄 끝(\\\\r\\\\n)과 nan 값을 처리하는지 확인해요."""''') + '''
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
        markdown("q3_prompt", T("""## Q3. Units (2 points)

The SDS011 dust sensor reports `pm25_raw` in units of **0.1 µg/m³** (a raw value of 123
means 12.3 µg/m³). Write `sds011_ugm3(raw)` returning µg/m³ as a float.""", """## Q3. 단위 (2점)

SDS011 먼지 센서는 `pm25_raw`를 **0.1 µg/m³** 단위(unit)로 보내요(원시값 123은 12.3 µg/m³).
µg/m³ 값을 실수로 돌려주는 `sds011_ugm3(raw)`를 작성하세요.""")),
        answer("sds011_ugm3", """def sds011_ugm3(raw):
    ### BEGIN SOLUTION
    return raw / 10
    ### END SOLUTION"""),
        tests("test_sds011_ugm3", T(
            '''"""sds011_ugm3 converts raw 0.1 µg/m³ counts to µg/m³, decimals kept."""''',
            '''"""sds011_ugm3가 0.1 µg/m³ 단위 원시값을 소수점까지 µg/m³로 바꾸는지 확인해요."""''') + '''
assert sds011_ugm3(120) == 12
### BEGIN HIDDEN TESTS
### BEGIN PROBE
for _raw in (0, 1, 7, 123, 9999):
    sds011_ugm3(_raw)
### END PROBE
for _raw in (0, 1, 7, 123, 9999):
    assert abs(sds011_ugm3(_raw) - _raw / 10) < 1e-9, "''' + T(
            "conversion is off for some raw values", "어떤 원시값에서 변환이 틀려요") + '''"
### END HIDDEN TESTS''', 2),
        markdown("q4_prompt", T("""## Q4. Spot a bad line (3 points)

Write `is_good_line(line)`: `True` when the line starts with `$`, has `*` followed by two hex
digits, and the checksum matches the body (upper- or lower-case hex); `False` otherwise —
**never an error**, because one broken line must not stop the logger. Use your
`xor_checksum`.""", """## Q4. 망가진 줄 찾기 (3점)

`is_good_line(line)`을 작성하세요. 줄이 `$`로 시작하고, `*` 뒤에 16진수 두 자리가 있고,
체크섬이 본문과 맞으면(16진수 대문자든 소문자든) `True`, 아니면 `False`를 돌려줘요.
**절대 오류를 내면 안 돼요.** 망가진 줄 하나 때문에 로거(logger)가 멈추면 안 되니까요.
여러분이 만든 `xor_checksum`을 쓰세요.""")),
        answer("is_good_line", """def is_good_line(line):
    ### BEGIN SOLUTION
    text = line.rstrip("\\r\\n")
    star = text.rfind("*")
    if not text.startswith("$") or star < 0 or len(text) - star != 3:
        return False
    return xor_checksum(text[1:star]) == text[star + 1:].upper()
    ### END SOLUTION"""),
        tests("test_is_good_line_checksum", T(
            '''"""is_good_line accepts the example line and rejects it after one digit changes."""''',
            '''"""is_good_line이 예시 줄은 받아들이고 숫자 하나가 바뀌면 거부하는지 확인해요."""''') + '''
assert is_good_line(LINE) is True
assert is_good_line(LINE.replace("21.5", "21.6")) is False
### BEGIN HIDDEN TESTS
### BEGIN PROBE
for _line in ("$KIT1,seoul-02,4,99,7000,mic,ok,dba=61.2*15\\n", "$KIT1,seoul-02,4,8,7000,mic,ok,dba=61.2*2d",
              "$KIT1,seoul-02,4,8,7000,mic,ok,dba=61.3*2D"):
    is_good_line(_line)
### END PROBE
assert is_good_line("$KIT1,seoul-02,4,99,7000,mic,ok,dba=61.2*15\\n") is True, "''' + T(
            "a good line with a newline should be accepted", "줄바꿈이 붙은 올바른 줄도 받아들여야 해요") + '''"
assert is_good_line("$KIT1,seoul-02,4,8,7000,mic,ok,dba=61.2*2d") is True, "''' + T(
            "lower-case hex should be accepted", "소문자 16진수도 받아들여야 해요") + '''"
assert is_good_line("$KIT1,seoul-02,4,8,7000,mic,ok,dba=61.3*2D") is False
### END HIDDEN TESTS''', 1),
        tests("test_is_good_line_never_raises", T(
            '''"""is_good_line returns False (never raises) for cut-off or garbled lines."""''',
            '''"""is_good_line이 잘리거나 깨진 줄에 오류 없이 False를 돌려주는지 확인해요."""''') + '''
assert is_good_line("$KIT1,b,2,5,900,sht40,ok,t=20.1,rh=5") is False
### BEGIN HIDDEN TESTS
### BEGIN PROBE
for _line in ("", "hello", "KIT1,b,2*27", "$KIT1,b*2", "$KIT1,b*ZZ", "*", "$*00x", "$*00"):
    is_good_line(_line)  # ''' + T("a line that raises here fails the test", "여기서 오류가 나면 테스트 실패") + '''
### END PROBE
for _bad in ("", "hello", "KIT1,b,2*27", "$KIT1,b*2", "$KIT1,b*ZZ", "*", "$*00x"):
    assert is_good_line(_bad) is False, "''' + T("a garbled line should give False",
                                                "깨진 줄은 False여야 해요") + '''"
assert is_good_line("$*00") is True, "''' + T("an empty body has checksum 00", "빈 본문의 체크섬은 00이에요") + '''"
### END HIDDEN TESTS''', 2),
        markdown("q5_prompt", T("""## Q5. What would you tell the district office? (3 points, graded by your teacher)

A box on a bus stop in Jongno-gu sends about one line in fifty with a bad checksum, mostly
in the afternoon. In three or four sentences: should the office drop those lines, repair
them, or keep them? What might cause the pattern, and what would you check next?

**Rubric (3 points).** 1 point: bad-checksum lines are dropped (never repaired or guessed),
and counted. 1 point: a plausible cause tied to the pattern (heat, loose connector, power
dips, radio noise in busy hours). 1 point: a concrete next step (log the rejects with
time, compare with temperature or traffic, reseat or shield the cable).""", """## Q5. 구청에 무엇이라고 말할까요? (3점, 선생님이 채점)

종로구 버스 정류장에 설치한 상자가 대략 50줄에 한 줄꼴로 체크섬이 틀린 줄을 보내는데, 주로
오후에 그래요. 서너 문장으로 답하세요. 구청은 그 줄을 버려야 할까요, 고쳐야 할까요,
그대로 두어야 할까요? 이런 패턴은 무엇 때문일 수 있고, 다음에는 무엇을 확인하겠어요?

**채점 기준(Rubric, 3점).** 1점: 체크섬이 틀린 줄은 버리고(고치거나 짐작하지 않음) 그 수를 세요.
1점: 패턴과 이어지는 그럴듯한 원인(더위, 헐거운 커넥터, 전압 강하, 붐비는 시간의 전파 잡음).
1점: 구체적인 다음 단계(거부된 줄을 시각과 함께 기록, 기온이나 교통량과 비교, 케이블을 다시
꽂거나 차폐).""")),
        written("q5_district_office", T("""Drop the bad lines (a checksum failure means we cannot know which byte is wrong) but count
them per hour. An afternoon pattern suggests heat or a loose connector or power dips when the
bus stop's displays draw current. Next: log every rejected line with its arrival time and
compare the reject rate with temperature; reseat and shield the sensor cable.""", """망가진 줄은 버려요(체크섬이 틀리면 어느 바이트가 틀렸는지 알 수 없으니까요). 하지만 시간마다
몇 줄인지 세요. 오후에 몰리는 것은 더위나 헐거운 커넥터, 또는 정류장 안내판이 전기를 끌어 쓸
때의 전압 강하 때문일 수 있어요. 다음 단계: 거부된 줄을 도착 시각과 함께 모두 기록하고, 거부
비율을 기온과 비교해요. 센서 케이블을 다시 꽂고 차폐해요."""), 3),
    ]
    return notebook(cells, language=lang)


if __name__ == "__main__":
    for path in write_editions(build, NAME, COURSE):
        print(f"wrote {path}")
