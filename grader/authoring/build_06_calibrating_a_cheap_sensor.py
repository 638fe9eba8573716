"""Write assignment 06 in English and Korean (run once after editing; commit all three files).

    .venv/bin/python grader/authoring/build_06_calibrating_a_cheap_sensor.py

writes grader/source/06-calibrating-a-cheap-sensor/06-calibrating-a-cheap-sensor.ipynb and its
Korean release grader/source-ko/06-calibrating-a-cheap-sensor/06-calibrating-a-cheap-sensor.ipynb
from the one ``build(lang)`` below (same cells, grade ids, points and code; only prose, comments
and messages differ), and refuses to write them unless they mirror each other.

Every student gets a co-located pair of their own: a street sensor that stands beside a reference
station (``sites.colocated_with``), chosen by ``sensorlab.grading.variants.pick`` of their student
id, salted for this assignment; the "other site" of Q5 is the next co-located sensor in site order.
The hidden tests rebuild that student's daily pairs and every expected number with plain
pandas/numpy (never from notebook variables, never with package functions a student could
redefine); the model solution uses ``sensorlab.calibration`` and ``sensorlab.validation`` as the
lessons of module 06 do.
"""

from pathlib import Path

from sensorlab.grading.authoring import answer, markdown, notebook, setup, tests, write_editions, written

NAME = "06-calibrating-a-cheap-sensor"
COURSE = Path(__file__).resolve().parents[1]

# Hidden tests rebuild the student's daily pairs as calibration.colocated_pairs does: PM outside
# 0 < x <= 500 and humidity outside 0 < x <= 100 set aside, a day's mean kept only with at least
# 18 of its 24 hours. The city is loaded once per notebook under a name only hidden tests know.
EXPECTED = '''from sensorlab.datasets import load_city as _load_city
from sensorlab.grading.variants import pick as _pick, student_id as _student_id
import numpy as _np
import pandas as _pd
try:
    _city = _hidden_city_06
except NameError:
    _city = _hidden_city_06 = _load_city()
_colocated = _city.sites[_city.sites["colocated_with"].notna()].set_index("site_id")["colocated_with"]
_ids = sorted(_colocated.index)
_sensor = _pick(_student_id(), _ids, salt="06-calibrating-a-cheap-sensor")
_other = _ids[(_ids.index(_sensor) + 1) % len(_ids)]

def _daily(site, cols):
    _f = _city.readings.loc[_city.readings["site_id"] == site, ["timestamp", *cols]].copy()
    for _q in cols:
        _f[_q] = _f[_q].where((_f[_q] > 0) & (_f[_q] <= (500 if _q == "pm25" else 100)))
    _g = _f.groupby(_f["timestamp"].dt.normalize())[cols]
    return _g.mean().where(_g.count() >= 18)

def _pairs_of(sensor):
    _s = _daily(sensor, ["pm25", "humidity"]).rename(columns={"pm25": "raw"})
    _ref = _daily(_colocated[sensor], ["pm25"]).rename(columns={"pm25": "ref"})
    return _s.join(_ref, how="inner").dropna(subset=["raw", "ref"])

_cut = _pd.Timestamp("2024-09-01", tz="Asia/Seoul")
_p = _pairs_of(_sensor)
_tr, _te = _p[_p.index < _cut], _p[_p.index >= _cut]
_a, _b = _np.polyfit(_tr["raw"].to_numpy(float), _tr["ref"].to_numpy(float), 1)

def _close(got, want, what):
    assert abs(float(got) - float(want)) < 1e-6 * max(1.0, abs(float(want))), what'''


def _cells(lang: str):
    """The assignment's cells in ``lang`` ("en" or "ko"), and its translator."""
    def T(en: str, ko: str) -> str:
        return ko if lang == "ko" else en

    def test_cell(grade_id, doc, visible, hidden, message, points):
        """A test cell: docstring, visible checks, hidden checks ending in a translated message."""
        visible = T(*visible) if isinstance(visible, tuple) else visible
        return tests(grade_id, f'"""{T(*doc)}"""\n{visible}\n### BEGIN HIDDEN TESTS\n{EXPECTED}\n'
                               f'{hidden.format(message=repr(T(*message)))}\n### END HIDDEN TESTS', points)

    korean_setup = 'from sensorlab import messages; messages.set_language("ko")\n' if lang == "ko" else ""
    cells = [
        markdown("intro", T("""# Assignment 06 — Calibrating your cheap sensor

Each of you has **your own co-located pair** from the bundled synthetic year of Seoul (2024): an
S-DoT street sensor that stands right beside a reference station (도시대기측정소). The station is
the truth; the street sensor is cheap. You will measure how wrong the sensor is, fix it with a
straight line fitted on **January–August**, and test the fix honestly on **September–December**,
as lesson module 06 did. The cell below tells you which pair is yours; your answers are checked
against *your* pair, so a neighbour's numbers will not pass.

`pairs` holds one row per Seoul day: `pm25_raw` (the street sensor), `humidity` (the sensor's
own), `pm25_ref` (the station). Use `sensorlab.calibration` and `sensorlab.validation` as in the
lessons. Run the test cell under each answer to check it; more checks run when your teacher
grades it. Do not change the test cells or the cell below.""", """# 과제 06 — 값싼 센서 보정하기

여러분은 함께 제공되는 가상의 서울 1년치 데이터(2024년)에서 **각자 다른 병행 측정(co-location) 쌍**을
맡아요. 도시대기측정소(reference station) 바로 옆에 설치된 S-DoT 거리 센서예요. 측정소 값이
기준값(reference value)이고, 거리 센서는 값싼 간이측정기(low-cost sensor)예요. 센서가 얼마나
틀리는지 재고, **1–8월**로 맞춘 직선으로 보정(calibration)한 다음, 수업 모듈 06에서처럼
**9–12월**로 정직하게 검증(validation)해요. 어느 쌍이 여러분 것인지는 아래 셀이 알려 줘요.
답은 *여러분* 쌍의 데이터로 확인하므로, 옆 친구의 숫자를 베끼면 통과하지 못해요.

`pairs`에는 서울 날짜마다 한 행이 있어요. `pm25_raw`(거리 센서), `humidity`(센서 자신의 상대습도),
`pm25_ref`(측정소). 수업에서처럼 `sensorlab.calibration`과 `sensorlab.validation`을 쓰세요. 답마다
아래의 테스트 셀을 실행해 확인하세요. 선생님이 채점할 때는 검사를 더 해요. 테스트 셀과 바로 아래
셀은 고치지 마세요.""")),
        setup("load_data", korean_setup + """import numpy as np
import pandas as pd

from sensorlab import calibration, validation
from sensorlab.datasets import load_city
from sensorlab.grading.variants import pick, student_id

city = load_city()
colocated = sorted(city.sites.loc[city.sites["colocated_with"].notna(), "site_id"])
SENSOR = pick(student_id(), colocated, salt="06-calibrating-a-cheap-sensor")
OTHER = colocated[(colocated.index(SENSOR) + 1) % len(colocated)]  # """ + T(
            "another district's pair, for Q5", "Q5에서 쓸 다른 자치구의 쌍") + """
CUTOFF = pd.Timestamp("2024-09-01", tz="Asia/Seoul")  # """ + T(
            "the first day of the test period", "테스트 기간의 첫날") + """

both = calibration.colocated_pairs(city, sites=[SENSOR, OTHER])
pairs = both[both["site_id"] == SENSOR].reset_index(drop=True)
other_pairs = both[both["site_id"] == OTHER].reset_index(drop=True)
print(f\"""" + T("Your sensor: {SENSOR} beside station {pairs['reference_id'].iloc[0]} "
                 "in {pairs['district'].iloc[0]}, {len(pairs)} days",
                 "내 센서: {pairs['district'].iloc[0]}의 측정소 {pairs['reference_id'].iloc[0]} 옆 "
                 "{SENSOR}, {len(pairs)}일") + """\")
pairs.head()"""),

        markdown("q1_prompt", T("""## Q1. Split by time (2 points)

A calibration is used on **later** days than it was fitted on, so test it that way. Make `train`
(the rows of `pairs` **before** `CUTOFF`, 1 September 2024, Seoul time) and `test` (the rows from
`CUTOFF` on). Not a random split: lesson 06.4 shows why. Hint: `validation.time_split`.""",
                                """## Q1. 시간으로 나누기 (2점)

보정은 맞춘 날보다 **나중** 날에 쓰이므로, 그렇게 검증해야 해요. `train`(`pairs`에서 `CUTOFF`,
즉 서울 시각 2024년 9월 1일 **이전**의 행들, 학습 데이터(training set))과 `test`(`CUTOFF`부터의 행들,
테스트 데이터(test set))를 만드세요. 무작위로 나누면 안 돼요. 이유는 수업 06.4에 있어요.
힌트(hint): `validation.time_split`.""")),
        answer("time_split", """### BEGIN SOLUTION
train, test = validation.time_split(pairs, CUTOFF)
### END SOLUTION"""),
        test_cell("test_time_split",
                  ("train holds your pair's days before 1 September (Seoul), test the days from then on.",
                   "train은 9월 1일(서울) 이전, test는 그 이후의 여러분 쌍의 날들이에요."),
                  ('assert train["timestamp"].max() < CUTOFF <= test["timestamp"].min(), '
                   '"train must end before CUTOFF and test start at it (split by time, not at random)"\n'
                   'assert len(train) + len(test) == len(pairs), "every day goes to train or test, once"',
                   'assert train["timestamp"].max() < CUTOFF <= test["timestamp"].min(), '
                   '"train은 CUTOFF 전에 끝나고 test는 CUTOFF에서 시작해야 해요(무작위가 아니라 시간으로 나누기)"\n'
                   'assert len(train) + len(test) == len(pairs), "모든 날이 train이나 test에 한 번씩 들어가야 해요"'),
                  '''assert len(train) == len(_tr) and len(test) == len(_te), {message}
assert _np.allclose(_np.sort(_np.asarray(train["pm25_raw"], float)), _np.sort(_tr["raw"].to_numpy(float))), {message}
assert _np.allclose(_np.sort(_np.asarray(test["pm25_raw"], float)), _np.sort(_te["raw"].to_numpy(float))), {message}''',
                  ("these are not your sensor's days before and after 1 September",
                   "여러분 센서의 9월 1일 이전과 이후 날들이 아니에요"), 2),

        markdown("q2_prompt", T("""## Q2. A straight-line calibration (2 points)

Fit a linear calibration **on `train` only** that predicts the station (`pm25_ref`) from the
sensor (`pm25_raw`): `pm25_ref ≈ slope × pm25_raw + intercept`. This is the curriculum's direction
(inverse calibration, lesson 06.2): in use only the sensor's reading is known, so the station is
what the line predicts; a line of the sensor on the station would describe the sensor's gain, not
correct it. Make `line` (the fitted calibration), `line_slope` and `line_intercept` (`float`s). Hint:
`calibration.fit_calibration(train, ["pm25_raw"])` and its `.coefficients`.""",
                                """## Q2. 직선 보정 (2점)

**`train`만으로** 센서 값(`pm25_raw`)으로부터 측정소 값(`pm25_ref`)을 예측하는 선형 보정을 맞추세요.
`pm25_ref ≈ 기울기(slope) × pm25_raw + 절편(intercept)`. 이것이 이 교육과정의 방향이에요(역보정, 수업 06.2).
실제로 쓸 때는 센서 값만 알기 때문에 직선이 측정소 값을 예측해요. 측정소에 대한 센서의 직선은 센서의 감도를 설명할 뿐
고쳐 주지는 않아요. `line`(맞춘 보정), `line_slope`,
`line_intercept`(`float`)를 만드세요. 이것이 선형 회귀(linear regression)예요. 힌트:
`calibration.fit_calibration(train, ["pm25_raw"])`와 그 `.coefficients`.""")),
        answer("linear_calibration", """### BEGIN SOLUTION
line = calibration.fit_calibration(train, ["pm25_raw"])
line_slope = line.coefficients["pm25_raw"]
line_intercept = line.coefficients["intercept"]
### END SOLUTION"""),
        test_cell("test_line_coefficients",
                  ("line_slope and line_intercept are the least-squares line of pm25_ref on pm25_raw, Jan-Aug.",
                   "line_slope와 line_intercept는 1–8월 pm25_raw에 대한 pm25_ref의 최소제곱 직선이에요."),
                  ('assert 0 < line_slope < 10, "the slope of a sensor against its station is positive"',
                   'assert 0 < line_slope < 10, "센서에 대한 측정소의 기울기는 양수예요"'),
                  '''_close(line_slope, _a, {message})
_close(line_intercept, _b, {message})''',
                  ("not the line of your station on your sensor fitted on January-August "
                   "(the right way round? training days only?)",
                   "1–8월로 맞춘, 센서 값에 대한 측정소 값의 직선이 아니에요(방향? 학습 데이터만?)"), 2),

        markdown("q3_prompt", T("""## Q3. Before and after, on the test days (3 points)

Make `mae_raw`: the mean absolute error (MAE, µg/m³) of the raw sensor against the station on
the **test** days, and `mae_line`: the MAE of your calibrated values `line.predict(test)` on the
same days (both `float`s). Hint: `calibration.metrics(test["pm25_ref"], ...)["mae"]`.""",
                                """## Q3. 테스트 날들에서 보정 전과 후 (3점)

`mae_raw`를 만드세요. **테스트** 날들에서 측정소에 대한 원래 센서 값의 평균 절대 오차(MAE, µg/m³)
이에요. `mae_line`은 같은 날들에서 보정한 값 `line.predict(test)`의 MAE예요(둘 다 `float`).
힌트: `calibration.metrics(test["pm25_ref"], ...)["mae"]`.""")),
        answer("test_errors", """### BEGIN SOLUTION
mae_raw = float(calibration.metrics(test["pm25_ref"], test["pm25_raw"])["mae"])
mae_line = float(calibration.metrics(test["pm25_ref"], line.predict(test))["mae"])
### END SOLUTION"""),
        test_cell("test_mae_raw",
                  ("mae_raw is the raw sensor's MAE against the station on the test days.",
                   "mae_raw는 테스트 날들에서 측정소에 대한 원래 센서 값의 MAE예요."),
                  ('assert 0 < mae_raw < 100, "an error in µg/m³"', 'assert 0 < mae_raw < 100, "µg/m³ 단위의 오차여야 해요"'),
                  '''_close(mae_raw, (_te["raw"] - _te["ref"]).abs().mean(), {message})''',
                  ("not the raw sensor's MAE on your test days (September-December)",
                   "테스트 날들(9–12월)에서 원래 센서 값의 MAE가 아니에요"), 1),
        test_cell("test_mae_line",
                  ("mae_line is the MAE of the Jan-Aug line on the test days.",
                   "mae_line은 테스트 날들에서 1–8월 직선의 MAE예요."),
                  ('assert 0 < mae_line < 100, "an error in µg/m³"', 'assert 0 < mae_line < 100, "µg/m³ 단위의 오차여야 해요"'),
                  '''_close(mae_line, (_a * _te["raw"] + _b - _te["ref"]).abs().mean(), {message})''',
                  ("not the MAE of your January-August line on your test days",
                   "테스트 날들에서 1–8월 직선의 MAE가 아니에요"), 2),

        markdown("q4_prompt", T("""## Q4. Humidity: a second feature and the EPA correction (3 points)

Humid air swells particles, and the sensor over-reads (lesson 06.3). Fit a second linear
calibration on `train` with **two features**, `["pm25_raw", "humidity"]`, and make
`rh_coefficient` (its humidity coefficient, µg/m³ per %RH) and `mae_rh` (its MAE on the test
days). Then make `mae_epa`: the MAE on the test days of the US EPA correction
`calibration.epa_correction(test["pm25_raw"], test["humidity"])`, which was fitted on a
different sensor in another country. All three are `float`s.""",
                                """## Q4. 습도: 두 번째 특성과 EPA 보정 (3점)

습한 공기에서는 입자가 부풀어 센서가 실제보다 높게 읽어요(습도 간섭, humidity artifact; 수업 06.3).
`train`으로 **특성(feature) 두 개** `["pm25_raw", "humidity"]`를 쓰는 두 번째 선형 보정을 맞추고,
`rh_coefficient`(습도 계수, %RH당 µg/m³)와 `mae_rh`(테스트 날들에서의 MAE)를 만드세요. 이어서
`mae_epa`를 만드세요. 다른 나라에서 다른 센서로 맞춘 미국 EPA 보정
`calibration.epa_correction(test["pm25_raw"], test["humidity"])`의 테스트 날들에서의 MAE예요.
셋 다 `float`예요.""")),
        answer("humidity_term", """### BEGIN SOLUTION
line_rh = calibration.fit_calibration(train, ["pm25_raw", "humidity"])
rh_coefficient = line_rh.coefficients["humidity"]
mae_rh = float(calibration.metrics(test["pm25_ref"], line_rh.predict(test))["mae"])
mae_epa = float(calibration.metrics(test["pm25_ref"],
                                    calibration.epa_correction(test["pm25_raw"], test["humidity"]))["mae"])
### END SOLUTION"""),
        test_cell("test_rh_coefficient",
                  ("rh_coefficient is the humidity term of the two-feature line fitted on Jan-Aug.",
                   "rh_coefficient는 1–8월로 맞춘 특성 두 개 직선의 습도 항이에요."),
                  ('assert abs(rh_coefficient) < 5, "µg/m³ per %RH: a small number"',
                   'assert abs(rh_coefficient) < 5, "%RH당 µg/m³: 작은 수예요"'),
                  '''_rows = _tr.dropna(subset=["humidity"])
_X = _np.column_stack([_rows["raw"], _rows["humidity"], _np.ones(len(_rows))])
_coef = _np.linalg.lstsq(_X, _rows["ref"].to_numpy(float), rcond=None)[0]
_close(rh_coefficient, _coef[1], {message})''',
                  ("not the humidity coefficient of your two-feature line fitted on January-August",
                   "1–8월로 맞춘 특성 두 개 직선의 습도 계수가 아니에요"), 1),
        test_cell("test_mae_rh",
                  ("mae_rh is the MAE of the two-feature line on the test days.",
                   "mae_rh는 테스트 날들에서 특성 두 개 직선의 MAE예요."),
                  ('assert 0 < mae_rh < 100, "an error in µg/m³"', 'assert 0 < mae_rh < 100, "µg/m³ 단위의 오차여야 해요"'),
                  '''_rows = _tr.dropna(subset=["humidity"])
_X = _np.column_stack([_rows["raw"], _rows["humidity"], _np.ones(len(_rows))])
_coef = _np.linalg.lstsq(_X, _rows["ref"].to_numpy(float), rcond=None)[0]
_t = _te.dropna(subset=["humidity"])
_close(mae_rh, (_coef[0] * _t["raw"] + _coef[1] * _t["humidity"] + _coef[2] - _t["ref"]).abs().mean(), {message})''',
                  ("not the MAE of your two-feature line on your test days",
                   "테스트 날들에서 특성 두 개 직선의 MAE가 아니에요"), 1),
        test_cell("test_mae_epa",
                  ("mae_epa is the MAE of the EPA correction of the raw sensor on the test days.",
                   "mae_epa는 테스트 날들에서 원래 센서 값에 EPA 보정을 한 값의 MAE예요."),
                  ('assert 0 < mae_epa < 100, "an error in µg/m³"', 'assert 0 < mae_epa < 100, "µg/m³ 단위의 오차여야 해요"'),
                  '''_t = _te.dropna(subset=["humidity"])
_t = _t[(_t["raw"] <= 343) & (_t["humidity"] >= 0) & (_t["humidity"] <= 100)]
_epa = (0.524 * _t["raw"] - 0.0862 * _t["humidity"] + 5.75).clip(lower=0)
_close(mae_epa, (_epa - _t["ref"]).abs().mean(), {message})''',
                  ("not the MAE of the EPA correction (of the raw readings, with the sensor's humidity) "
                   "on your test days",
                   "테스트 날들에서 (원래 센서 값과 센서의 습도로 계산한) EPA 보정의 MAE가 아니에요"), 1),

        markdown("q5_prompt", T("""## Q5. Does your line work at another site? (2 points)

The city would like to save money by copying your calibration to other sensors. Test it at
`OTHER`, the co-located sensor of another district (its days are in `other_pairs`): make
`borrowed_mae`, the MAE of **your** `line` applied to the other sensor's **test days**
(from `CUTOFF` on) against its own station, as a `float`. Compare it with that sensor's raw MAE
on the same days (`other_raw_mae` is computed for you in the test cell's message).""",
                                """## Q5. 여러분의 직선이 다른 곳에서도 통할까? (2점)

서울시는 비용을 아끼려고 여러분의 보정을 다른 센서에 그대로 옮겨 쓰고 싶어 해요. 다른 자치구의
병행 측정 센서 `OTHER`(그 날들은 `other_pairs`에 있음)에서 검증해 보세요. `borrowed_mae`를 만드세요.
**여러분의** `line`을 다른 센서의 **테스트 날들**(`CUTOFF`부터)에 적용했을 때, 그 센서 옆 측정소에 대한
MAE예요(`float`). 같은 날들에서 그 센서의 원래 값의 MAE와 비교해 보세요(테스트 셀이
`other_raw_mae`를 계산해 보여 줘요).""")),
        answer("borrowed_line", """### BEGIN SOLUTION
other_test = other_pairs[other_pairs["timestamp"] >= CUTOFF]
borrowed_mae = float(calibration.metrics(other_test["pm25_ref"], line.predict(other_test))["mae"])
### END SOLUTION"""),
        test_cell("test_borrowed_mae",
                  ("borrowed_mae is the MAE of your Jan-Aug line on the other sensor's test days.",
                   "borrowed_mae는 다른 센서의 테스트 날들에서 여러분의 1–8월 직선의 MAE예요."),
                  ('_later = other_pairs[other_pairs["timestamp"] >= CUTOFF]\n'
                   'other_raw_mae = float((_later["pm25_raw"] - _later["pm25_ref"]).abs().mean())\n'
                   'print(f"' + T("{OTHER}: raw MAE {other_raw_mae:.2f} µg/m³, with your line {borrowed_mae:.2f} µg/m³",
                                  "{OTHER}: 원래 값의 MAE {other_raw_mae:.2f} µg/m³, 여러분의 직선으로 {borrowed_mae:.2f} µg/m³")
                   + '")\nassert 0 < borrowed_mae < 100, "' + T("an error in µg/m³", "µg/m³ 단위의 오차여야 해요") + '"'),
                  '''_o = _pairs_of(_other)
_o = _o[_o.index >= _cut]
_close(borrowed_mae, (_a * _o["raw"] + _b - _o["ref"]).abs().mean(), {message})''',
                  ("not the MAE of your January-August line on the other sensor's test days",
                   "다른 센서의 테스트 날들에서 여러분의 1–8월 직선의 MAE가 아니에요"), 2),

        markdown("q6_prompt", T("""## Q6. Would you trust the correction at another site? (3 points, graded by your teacher)

A district office without a reference station asks: *"Can we put your corrected numbers on our
website, and use your line for our own street sensors?"* Using your answers, write four to six
sentences: how much did the calibration help on later months, did the humidity term or the EPA
correction help, what happened at the other site, and what would you do before trusting a
correction at a new site?

**Rubric (3 points).** 1: your numbers with units, measured on the later (test) months: raw
against calibrated MAE, and whether humidity or EPA helped. 1: the other-site result (better or worse
than raw) and why one site proves little (each cheap sensor has its own gain and humidity
response; a line is only tested where it was fitted and tested). 1: a sensible plan (co-locate the new sensor with a station for some weeks and
fit its own line, test on later days or leave one site out, recheck for drift over time).""",
                                """## Q6. 다른 곳에서도 이 보정을 믿을 수 있을까? (3점, 선생님이 채점)

측정소가 없는 한 구청에서 이렇게 물어요. *"보정한 숫자를 우리 홈페이지에 올리고, 우리 구의 거리
센서에도 여러분의 직선을 써도 될까요?"* 여러분의 답을 근거로 4–6문장을 쓰세요. 나중 달들에서 보정이
얼마나 도움이 되었나요? 습도 항이나 EPA 보정은 도움이 되었나요? 다른 곳에서는 어떻게 되었나요?
새 장소에서 보정을 믿기 전에 무엇을 하겠어요?

**채점 기준 (3점).** 1: 나중(테스트) 달들에서 잰 자신의 숫자를 단위와 함께 씀(원래 값과 보정한 값의
MAE, 습도나 EPA가 도움이 되었는지). 1: 다른 곳의 결과(원래 값보다 나은지 나쁜지)와 한 곳의
결과로는 알 수 있는 것이 적은 이유(값싼 센서마다 이득(gain)과 습도 반응이 다름; 직선은 맞추고
검증한 곳에서만 믿을 수 있음). 1: 합리적인 계획(새 센서를 몇 주 동안 측정소 옆에
병행 측정해 그 센서만의 직선을 맞추기, 나중 날들이나 한 장소를 빼고 검증하기, 시간에 따른
드리프트(drift) 다시 확인하기).""")),
    ]
    return cells, T


def build(lang: str):
    """The assignment notebook in ``lang`` ("en" or "ko")."""
    cells, T = _cells(lang)
    cells.append(written("q6_trust_elsewhere", T(MODEL_ANSWER["en"], MODEL_ANSWER["ko"]), 3))
    return notebook(cells, language=lang)


MODEL_ANSWER = {
    "en": """(Model answer for sdot-103-01 in Yongsan-gu, the pair of student s0001.) On the test months
September–December the raw sensor was off by 5.84 µg/m³ on average (MAE); the line fitted on
January–August brought that down to 4.68 µg/m³. The humidity term did not help on daily means
(4.72 µg/m³), and the US EPA correction, fitted on another sensor in another country, was worse than
our own line and even than the raw readings (6.49 µg/m³). At the other site (sdot-104-01,
Eunpyeong-gu) my line made things worse (4.29 against 4.04 µg/m³ raw): that sensor has a different
gain (it reads close to its station, ours about 20 % high), so a line belongs to the sensor it was
fitted on and each cheap sensor needs its own check. I would publish
corrected numbers only for our sensor, marked as estimates; a new sensor should first stand beside
a station for a few weeks, get its own line tested on later days, and be rechecked every season
for drift.""",
    "ko": """(용산구 sdot-103-01, 학생 s0001의 쌍에 대한 모범 답안) 테스트 달인 9–12월에 원래 센서 값은
평균 5.84 µg/m³만큼 틀렸고(MAE), 1–8월로 맞춘 직선은 이를 4.68 µg/m³로 줄였어요. 일평균에서는 습도
항이 도움이 되지 않았고(4.72 µg/m³), 다른 나라에서 다른 센서로 맞춘 미국 EPA 보정은 우리 직선보다, 심지어
원래 값보다도 나빴어요(6.49 µg/m³). 다른 곳(은평구 sdot-104-01)에서는 제 직선이 오히려 나빴어요(원래 값
4.04, 보정 4.29 µg/m³). 그 센서는 이득(gain)이 달라서(측정소와 거의 같게 읽음, 우리 센서는 약 20 % 높게 읽음)
직선은 그것을 맞춘 센서의 것이고, 값싼 센서마다 따로 확인해야 해요. 보정한 숫자는 우리 센서의 것만
추정값이라고 밝히고 올리겠어요. 새 센서는 먼저 몇 주 동안 측정소 옆에 두고 그 센서만의 직선을 맞춘 뒤
나중 날들로 검증하고, 계절마다 드리프트(drift)를 다시 확인해야 해요.""",
}


if __name__ == "__main__":
    for path in write_editions(build, NAME, COURSE):
        print(f"wrote {path}")
