"""Write assignment 07 in English and Korean (run once after editing; commit all three files).

    .venv/bin/python grader/authoring/build_07_forecasting_air_quality.py

writes grader/source/07-forecasting-air-quality/07-forecasting-air-quality.ipynb and its Korean
release grader/source-ko/07-forecasting-air-quality/07-forecasting-air-quality.ipynb from the one
``build(lang)`` below (same cells, grade ids, points and code; only prose, comments and messages
differ), and refuses to write them unless they mirror each other.

Every student forecasts tomorrow's PM2.5 grade at the reference station of a district of their own
(``sensorlab.grading.variants.pick`` of their student id, salted for this assignment), from that
station's daily means of the bundled year: train January-September, test October-December. The
hidden tests recompute that student's answers from the bundled city with plain pandas, numpy and
scikit-learn (never from variables in the notebook, never with package functions a student could
redefine), and accept grade labels in either language.
"""

from pathlib import Path

from sensorlab.grading.authoring import answer, markdown, notebook, setup, tests, write_editions, written

NAME = "07-forecasting-air-quality"
COURSE = Path(__file__).resolve().parents[1]

# Hidden tests recompute the student's station from the id, never from notebook variables. The
# city is loaded once per notebook (about 2 s) and kept under a name only hidden tests use.
EXPECTED = '''import numpy as _np
import pandas as _pd
from sensorlab.datasets import load_city as _load_city
from sensorlab.grading.variants import pick as _pick, student_id as _student_id
try:
    _city = _hidden_city_07
except NameError:
    _city = _hidden_city_07 = _load_city()
_st = _city.sites[_city.sites["kind"] == "reference"]
_district = _pick(_student_id(), _st["district"], salt="07-forecasting-air-quality")
_station = _st.loc[_st["district"] == _district, "site_id"].item()
_r = _city.readings[_city.readings["site_id"] == _station].set_index("timestamp").sort_index()
_d = _r[["pm25", "pm10", "temperature", "humidity", "wind_speed", "no2", "o3"]].resample("D").mean()
# what is known when the forecast is issued at 21:00: each day's readings stamped 00:00-20:00
_known = _r.loc[_r.index.hour < 21, list(_d.columns)].resample("D").mean().reindex(_d.index)
_cut = _pd.Timestamp("2024-10-01", tz="Asia/Seoul")
_CODE = {"good": 0, "moderate": 1, "bad": 2, "very bad": 3, "좋음": 0, "보통": 1, "나쁨": 2, "매우나쁨": 3}


def _grade(values):
    # 0 good (<= 15), 1 moderate (<= 35), 2 bad (<= 75), 3 very bad; NaN stays NaN
    v = _np.asarray(values, dtype=float)
    return _np.where(_np.isnan(v), _np.nan, (v > 15).astype(float) + (v > 35) + (v > 75))


def _codes(labels):
    # grade labels in English or Korean -> 0..3 (anything else NaN, so it never matches)
    return _np.array([_np.nan if _pd.isna(x) else _CODE.get(str(x), _np.nan)
                      for x in _np.asarray(labels, dtype=object)], dtype=float)'''

# The feature table of Q3 and the model of Q4, rebuilt by hand (same columns, same order), fitted
# once per notebook and kept under a name only hidden tests use (a fit costs up to a second).
EXPECTED_MODEL = EXPECTED + '''
from sklearn.linear_model import LogisticRegression as _LR
from sklearn.pipeline import make_pipeline as _make_pipeline
from sklearn.preprocessing import StandardScaler as _SS
_y = _d["pm25"]
_e = _known["pm25"].shift(1)   # the day before up to 20:00
_t = _pd.DataFrame({"pm25_lag1_20h": _e, "pm25_lag2": _y.shift(2), "pm25_lag7": _y.shift(7),
                    "pm25_mean3": _pd.concat([_e, _y.shift(2), _y.shift(3)], axis=1).mean(axis=1, skipna=False)})
for _q in ["temperature", "humidity", "wind_speed", "pm10", "no2", "o3"]:
    _t[_q + "_lag1_20h"] = _known[_q].shift(1)
_t["pm25_trend"] = _e - _y.shift(2)
_feat = list(_t.columns)
_t["target"] = _y
_t = _t.dropna()
_t["code"] = _grade(_t["target"])
_gap = _pd.Timedelta(days=7)
_train, _test = _t[_t.index < _cut - _gap], _t[_t.index >= _cut]


def _fit_predict(train, test):
    _m = _make_pipeline(_SS(), _LR(max_iter=1000))
    _m.fit(train[_feat].to_numpy(), train["code"].to_numpy().astype(int))
    return _m.predict(test[_feat].to_numpy()).astype(float)


try:
    _hidden_pred_07
except NameError:
    _hidden_pred_07 = {}
if _station not in _hidden_pred_07:
    _hidden_pred_07[_station] = _fit_predict(_train, _test)
_pred = _hidden_pred_07[_station]
_acc = float(_np.mean(_pred == _test["code"].to_numpy()))
_base = float(_np.mean(_grade(_test["pm25_lag1_20h"]) == _test["code"].to_numpy()))
_one_day = 1.0 / len(_test) + 1e-9  # a borderline day may flip with the column or label order'''


def build(lang: str):
    """The assignment notebook in ``lang`` ("en" or "ko")."""
    def T(en: str, ko: str) -> str:
        return ko if lang == "ko" else en

    def test_cell(grade_id, doc_en, doc_ko, visible, hidden, points):
        return tests(grade_id, T(f'"""{doc_en}"""', f'"""{doc_ko}"""') + "\n" + visible
                     + "\n### BEGIN HIDDEN TESTS\n" + hidden + "\n### END HIDDEN TESTS", points)

    korean_setup = 'from sensorlab import messages; messages.set_language("ko")\n' if lang == "ko" else ""
    cells = [
        markdown("intro", T("""# Assignment 07 — Tomorrow's grade at your station

Every evening your district office must decide whether to warn its schools that tomorrow's air
will be **나쁨 (bad)** or worse. You will build that forecast, test it honestly, and advise them.

Each of you has **your own district** of Seoul in the bundled synthetic year (2024): its reference
station (도시대기측정소), as daily means. The cell below tells you which; your answers are checked
against *your* station's data, so a neighbour's numbers will not pass.

The forecast for day *t* is issued at **21:00 on day *t − 1***: it may use only what exists then,
day *t − 1*'s readings up to 20:00 (the columns ending in `_20h`), never its full-day mean, which
averages in 21:00–23:00. A feature from the future is *leakage*: it makes the forecast look better
in the notebook than it can ever be when it is really issued. Learn from **January–September**
(up to a week before the test) and test on **October–December** (`TEST_START`).
Korean grades of daily PM2.5: 좋음 (good) ≤ 15, 보통 (moderate) ≤ 35, 나쁨 (bad) ≤ 75, 매우나쁨
(very bad) above 75 µg/m³. Run the test cell under each answer to check it; more checks run when
your teacher grades it.""", """# 과제 07 — 내 측정소의 내일 등급 예보하기

구청은 매일 저녁, 내일 공기가 **나쁨** 이상일지 학교에 미리 알릴지 정해야 해요. 여러분은 그
예보(forecast)를 만들고, 정직하게 시험하고, 구청에 조언해요.

여러분은 패키지에 들어 있는 서울의 가상 1년치 데이터(2024년)에서 **각자 자기만의 자치구**를
하나씩 받아요. 그 자치구 도시대기측정소(reference station)의 일평균(daily mean) 값을 써요.
아래 셀이 어느 측정소인지 알려 줘요. 답은 *여러분* 측정소의 데이터로 확인하므로 옆 친구의
숫자로는 통과하지 못해요.

*t*일의 예보는 **t − 1일 21시**에 내요. 그때 있는 것만 쓸 수 있어요. *t − 1*일의 20시까지의
측정값(`_20h`로 끝나는 열)은 쓸 수 있지만, 21~23시가 섞인 하루 전체 평균은 쓸 수 없어요. 미래에서 온
특성은 *데이터 누수*(leakage)예요. 실제로 예보를 낼 때보다 노트북 안에서 예보가 더 좋아 보이게 만들어요.
**1월–9월**(시험 한 주 전까지)로 배우고 **10월–12월**(`TEST_START`부터)로 시험해요. 초미세먼지(PM2.5) 일평균의
등급: 좋음 ≤ 15, 보통 ≤ 35, 나쁨 ≤ 75, 매우나쁨은 75 µg/m³ 초과예요. 답마다 아래에 있는
테스트 셀을 실행해 확인하세요. 선생님이 채점할 때는 검사를 더 해요.""")),
        setup("load_data", korean_setup + """import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sensorlab import forecast, validation
from sensorlab.datasets import load_city
from sensorlab.grading.variants import pick, student_id

city = load_city()
stations = city.sites[city.sites["kind"] == "reference"]
DISTRICT = pick(student_id(), stations["district"], salt="07-forecasting-air-quality")
STATION = stations.loc[stations["district"] == DISTRICT, "site_id"].item()
r = city.readings[city.readings["site_id"] == STATION].set_index("timestamp").sort_index()
""" + T("# one row per Seoul day: the station's daily mean of each quantity",
        "# 서울 날짜마다 한 행: 측정소의 항목별 일평균") + """
daily = r[["pm25", "pm10", "temperature", "humidity", "wind_speed", "no2", "o3"]].resample("D").mean()
""" + T("# what is known at 21:00 (forecast.ISSUED_AT): each day's mean of the readings stamped 00:00-20:00",
        "# 21시(forecast.ISSUED_AT)에 알 수 있는 것: 날마다 00~20시에 찍힌 측정값의 평균") + """
known = r.loc[r.index.hour < forecast.ISSUED_AT, list(daily.columns)].resample("D").mean()
daily = daily.join(known.add_suffix("_20h"))
TEST_START = "2024-10-01"
print(""" + T('"Your station:", STATION, "/ district:", stations.set_index("site_id").loc[STATION, "district"], "/", len(daily), "days"',
             '"내 측정소:", STATION, "/ 자치구:", stations.set_index("site_id").loc[STATION, "district_ko"], "/", len(daily), "일"')
              + ")"),

        markdown("q1_prompt", T("""## Q1. How common is each grade? (2 points)

Make `grade_counts`: the number of days of 2024 at your station in each grade, as a Series
indexed by grade (`forecast.pm25_category` of the daily PM2.5, then `.value_counts()`).""",
                                """## Q1. 등급마다 며칠일까요? (2점)

`grade_counts`를 만드세요. 여러분 측정소에서 2024년 동안 등급별 날짜 수로, 등급을 인덱스로 하는
Series예요(일평균 PM2.5에 `forecast.pm25_category`를 쓰고 `.value_counts()`).""")),
        answer("grade_counts", """### BEGIN SOLUTION
grade_counts = forecast.pm25_category(daily["pm25"]).value_counts()
### END SOLUTION"""),
        test_cell("test_grade_counts",
                  "grade_counts counts your station's days of 2024 in each Korean grade.",
                  "grade_counts가 내 측정소의 2024년 날짜를 등급별로 센 것인지 확인해요.",
                  '''assert len(grade_counts) == 4, "''' + T("one count per grade: good, moderate, bad, very bad",
                                                         "등급마다 하나씩: 좋음, 보통, 나쁨, 매우나쁨") + '''"
assert grade_counts.sum() == daily["pm25"].notna().sum(), "''' + T("every day with a daily mean is counted once",
                                                                  "일평균이 있는 날을 모두 한 번씩 세야 해요") + '"',
                  EXPECTED + '''
_got = _np.zeros(4)
for _label, _n in grade_counts.items():
    _got[int(_codes([_label])[0])] += _n
_want = _np.bincount(_grade(_d["pm25"].dropna()).astype(int), minlength=4)
assert (_got == _want).all(), "''' + T("the counts differ from your station's (wrong station or grade boundaries?)",
                                       "날짜 수가 내 측정소와 달라요(측정소나 등급 경계를 확인하세요)") + '"', 2),

        markdown("q2_prompt", T("""## Q2. The bar to clear: persistence (3 points)

*Persistence* (지속성 예보) says "tomorrow's grade is today's", today's as known at 21:00. Write
it yourself in pandas (not with `forecast.persistence_forecast`). Make, for the test days
(`TEST_START` to the end of the year):

- `observed`: the grade of each test day (its full-day mean: the answer);
- `persistence`: the persistence forecast of each test day, the grade of the day before's mean
  up to 20:00 (`daily["pm25_20h"]`, moved one day later);
- `persistence_accuracy`: the share of test days persistence got right (between 0 and 1),
  with `forecast.evaluate_classifier(observed, persistence)["accuracy"]`.""",
                                """## Q2. 넘어야 할 기준선: 지속성 예보 (3점)

*지속성 예보(persistence forecast)*는 "내일 등급은 오늘과 같다"고 말해요. 여기서 오늘은
21시에 아는 오늘이에요. `forecast.persistence_forecast`를 쓰지 말고 pandas로 직접 쓰세요. 시험 기간
(`TEST_START`부터 연말까지)의 날마다 다음을 만드세요.

- `observed`: 시험 기간 각 날의 실제 등급(하루 전체 평균, 정답)
- `persistence`: 시험 기간 각 날의 지속성 예보, 즉 전날 20시까지 평균(`daily["pm25_20h"]`)의
  등급을 하루 뒤로 민 것
- `persistence_accuracy`: 지속성 예보가 맞힌 날의 비율인 정확도(accuracy, 0과 1 사이),
  `forecast.evaluate_classifier(observed, persistence)["accuracy"]`로 구해요.""")),
        answer("persistence", """### BEGIN SOLUTION
observed = forecast.pm25_category(daily["pm25"]).loc[TEST_START:]
persistence = forecast.pm25_category(daily["pm25_20h"].shift(1)).loc[TEST_START:]
persistence_accuracy = forecast.evaluate_classifier(observed, persistence)["accuracy"]
### END SOLUTION"""),
        test_cell("test_persistence_forecast",
                  "persistence forecasts each test day with the grade of the day before.",
                  "persistence가 시험 기간의 각 날을 전날의 등급으로 예보하는지 확인해요.",
                  '''assert len(observed) == len(persistence) == 92, "''' + T(
                      "October to December is 92 days", "10월부터 12월까지는 92일이에요") + '"',
                  EXPECTED + '''
_want = _grade(_known["pm25"].shift(1))[_d.index >= _cut]
_got = _codes(persistence)
assert not (len(_got) == len(_want) and not _np.array_equal(_want, _grade(_d["pm25"].shift(1))[_d.index >= _cut],
            equal_nan=True) and _np.array_equal(_got, _grade(_d["pm25"].shift(1))[_d.index >= _cut], equal_nan=True)), "''' + T(
                      "persistence uses the day before's full-day mean, which includes 21:00-23:00: use daily['pm25_20h']",
                      "persistence가 21~23시가 섞인 전날 하루 전체 평균을 써요. daily['pm25_20h']를 쓰세요") + '''"
assert len(_got) == len(_want) and _np.array_equal(_got, _want, equal_nan=True), "''' + T(
                      "persistence is not yesterday's grade for each test day (check the lag)",
                      "persistence가 날마다 전날의 등급이 아니에요(며칠 전 값을 썼는지 확인하세요)") + '"', 1),
        test_cell("test_persistence_accuracy",
                  "persistence_accuracy is the share of test days persistence got right.",
                  "persistence_accuracy가 지속성 예보가 맞힌 시험 기간 날의 비율인지 확인해요.",
                  '''assert 0 < persistence_accuracy < 1''',
                  EXPECTED + '''
_obs = _grade(_d["pm25"])[_d.index >= _cut]
_fc = _grade(_known["pm25"].shift(1))[_d.index >= _cut]
_ok = ~_np.isnan(_obs) & ~_np.isnan(_fc)
assert abs(float(persistence_accuracy) - float(_np.mean(_obs[_ok] == _fc[_ok]))) < 1e-9, "''' + T(
                      "not the accuracy of persistence at your station on the test days",
                      "내 측정소 시험 기간의 지속성 예보 정확도가 아니에요") + '"', 2),

        markdown("q3_prompt", T("""## Q3. Features known the evening before (3 points)

Make `table` with `forecast.make_features(daily, calendar=False)` (the day before up to 20:00,
the full days 2 and 7 days back, the 3-day mean, the evening's weather and pollutants up to 20:00). We leave the calendar out: with one year of data
the model learns from January–September only and has never seen an October, so the month and the
season would mislead it. Then add one feature of your own,
**`pm25_trend`**: how much PM2.5 rose from day *t − 2* to day *t − 1*, as known at 21:00 on day
*t − 1* (the day before's mean up to 20:00 minus the full-day mean of the day before that), for each day *t*. Drop the rows with missing values, and make `features`: the
list of the columns the model may use (every column except `target` and `category`).

Every feature must be known at 21:00 on day *t − 1*.""",
                                """## Q3. 전날 저녁에 알 수 있는 특성 (3점)

`forecast.make_features(daily, calendar=False)`로 `table`을 만드세요(전날 20시까지, 2일과 7일 전의
하루 전체인 시차 특성(lag feature), 3일 평균, 전날 20시까지의 날씨와 오염물질). 달력 특성은 빼요. 데이터가 한 해뿐이라 모델은
1월–9월로만 배우고 10월을 한 번도 본 적이 없으므로, 달과 계절이 오히려 모델을 헷갈리게 해요. 그리고 여러분이 직접 특성(feature)을 하나 더해요.
**`pm25_trend`**: 각 *t*일에 대해, *t − 1*일 21시에 아는 대로 PM2.5가 *t − 2*일에서 *t − 1*일 사이에
얼마나 올랐는지(전날 20시까지의 평균 빼기 그 전날의 하루 전체 평균)이에요. 결측값이 있는 행을 지우고, 모델이 쓸 수 있는 열의
목록 `features`를 만드세요(`target`과 `category`를 뺀 모든 열).

모든 특성은 *t − 1*일 21시에 이미 알 수 있어야 해요.""")),
        answer("feature_table", """### BEGIN SOLUTION
table = forecast.make_features(daily, calendar=False)
table["pm25_trend"] = daily["pm25_20h"].shift(1) - daily["pm25"].shift(2)
table = table.dropna()
features = [c for c in table.columns if c not in ("target", "category")]
### END SOLUTION"""),
        test_cell("test_table_rows",
                  "table has one row per day with every feature, and target is that day's PM2.5.",
                  "table이 모든 특성이 있는 날마다 한 행이고 target이 그날의 PM2.5인지 확인해요.",
                  '''assert "target" not in features and "category" not in features, "''' + T(
                      "the answer (target, category) must not be a feature", "정답(target, category)은 특성이 될 수 없어요") + '''"
assert "pm25_trend" in features
assert not table[features].isna().any().any(), "''' + T("drop the rows with missing values",
                                                        "결측값이 있는 행을 지우세요") + '"',
                  EXPECTED_MODEL + '''
assert len(table) == len(_t) and (table.index == _t.index).all(), "''' + T(
                      "not the days of your station that have every feature", "모든 특성이 있는 내 측정소의 날들이 아니에요") + '''"
assert _np.allclose(table["target"].to_numpy(float), _t["target"].to_numpy())''', 1),
        test_cell("test_trend_feature",
                  "pm25_trend is the day before's mean up to 20:00 minus the full-day mean of the day before that.",
                  "pm25_trend가 전날 20시까지의 평균 빼기 그 전날의 하루 전체 평균인지 확인해요.",
                  '''assert table["pm25_trend"].abs().max() > 0''',
                  EXPECTED_MODEL + '''
_want = (_e - _y.shift(2)).reindex(table.index).to_numpy()
assert _np.allclose(table["pm25_trend"].to_numpy(float), _want, equal_nan=True), "''' + T(
                      "pm25_trend is not the rise from day t-2 to day t-1 (check which days you subtract)",
                      "pm25_trend가 t-2일에서 t-1일 사이의 변화가 아니에요(어느 날끼리 뺐는지 확인하세요)") + '"', 1),
        test_cell("test_features_known_evening_before",
                  "no feature uses day t, a later day or day t-1 after 20:00 (no leakage).",
                  "어떤 특성도 t일, 그 뒤의 날, t-1일 20시 이후를 쓰지 않는지(데이터 누수가 없는지) 확인해요.",
                  '''assert len(features) >= 10''',
                  EXPECTED + '''
_same_day = {}
for _q in _d.columns:
    _same_day[f"{_q} of day t"] = _d[_q]
    _same_day[f"{_q} of day t+1"] = _d[_q].shift(-1)
    _same_day[f"the change of {_q} into day t"] = _d[_q].diff()
    _same_day[f"the full-day mean of {_q} on day t-1 (it includes 21:00-23:00)"] = _d[_q].shift(1)
    _same_day[f"the mean of {_q} on day t itself up to 20:00"] = _known[_q]
    _same_day[f"the change of {_q} into day t-1 from full-day means (they include 21:00-23:00)"] = _d[_q].diff().shift(1)
    for _k in range(2, 8):
        _same_day[f"a {_k}-day mean of {_q} ending on day t"] = _d[_q].rolling(_k).mean()
for _f in features:
    _col = _pd.to_numeric(_pd.Series(table[_f]), errors="coerce").astype(float)
    for _what, _c in _same_day.items():
        _c = _c.reindex(table.index)
        _ok = (_col.notna() & _c.notna()).to_numpy()
        assert not (_ok.sum() > len(table) / 2 and _np.allclose(_col.to_numpy()[_ok], _c.to_numpy()[_ok])), \\
            f"''' + T("feature {_f!r} is {_what}: not known at 21:00 the evening before",
                      "특성 {_f!r}은(는) {_what}이에요. 전날 21시에는 알 수 없어요") + '"', 1),

        markdown("q4_prompt", T("""## Q4. A model, tested on later days (4 points)

Split `table` by time with a gap: `test` the days from `TEST_START` on, `train` the days before
the week before `TEST_START` (`forecast.time_split_with_gap(table, TEST_START, gap_days=7)`; the gap
keeps the two sets from sharing any day, as in lesson 07.3). Fit
`make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))` on `train[features]` and
`train["category"].astype(str)`, and forecast the test days as `predicted`. Then
`result = forecast.evaluate_classifier(test["category"], predicted, baseline=persistence.reindex(test.index))`
and make `model_accuracy` (`result["accuracy"]`) and `skill`, its skill score over persistence
(`result["skill"]`: 0 no better than persistence, 1 perfect).""",
                                """## Q4. 모델을 만들고 나중 날짜로 시험하기 (4점)

`table`을 간격을 두고 시간으로 나누세요. `test`는 `TEST_START`부터의 날들(테스트 데이터, test set),
`train`은 `TEST_START` 한 주 전보다 앞선 날들(학습 데이터, training set)이에요
(`forecast.time_split_with_gap(table, TEST_START, gap_days=7)`. 07.3처럼, 간격이 있으면 두 자료가 같은 날을 나누지 않아요).
`make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))`를 `train[features]`와
`train["category"].astype(str)`로 학습시키고 시험 기간의 날들을 예보해 `predicted`에 담으세요. 그다음
`result = forecast.evaluate_classifier(test["category"], predicted, baseline=persistence.reindex(test.index))`로
`model_accuracy`(`result["accuracy"]`)와 `skill`을 만드세요. `skill`은 지속성 예보에 대한
기술 점수(skill score)예요(`result["skill"]`. 0은 지속성 예보보다 나을 것이 없음, 1은 완벽함).""")),
        answer("train_and_score", """### BEGIN SOLUTION
train, test = forecast.time_split_with_gap(table, TEST_START, gap_days=7)
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
model.fit(train[features], train["category"].astype(str))
predicted = model.predict(test[features])
result = forecast.evaluate_classifier(test["category"], predicted, baseline=persistence.reindex(test.index))
model_accuracy = result["accuracy"]
skill = result["skill"]
### END SOLUTION"""),
        test_cell("test_split_by_time",
                  "train holds only days before the week before TEST_START and test every day from it on.",
                  "train에는 TEST_START 한 주 전보다 앞선 날만, test에는 그날부터의 모든 날이 있는지 확인해요.",
                  '''assert train.index.max() < test.index.min(), "''' + T(
                      "every training day must come before every test day (no random split)",
                      "학습 데이터의 모든 날이 테스트 데이터의 모든 날보다 앞서야 해요(무작위로 나누면 안 돼요)") + '"',
                  EXPECTED_MODEL + '''
assert len(test) == len(_test) and (test.index == _test.index).all(), "''' + T(
                      "test is not every day of your table from TEST_START on", "test가 TEST_START부터의 모든 날이 아니에요") + '''"
assert len(train) == len(_train) and (train.index == _train.index).all(), "''' + T(
                      "train is not every day of your table before the 7-day gap (leave the week before TEST_START out)",
                      "train이 7일 간격 앞의 모든 날이 아니에요(TEST_START 전 한 주는 빼세요)") + '"', 1),
        test_cell("test_model_accuracy",
                  "model_accuracy is the test-day accuracy of the logistic regression trained on the earlier days.",
                  "model_accuracy가 앞선 날들로 학습한 로지스틱 회귀의 시험 기간 정확도인지 확인해요.",
                  '''assert 0 < model_accuracy <= 1''',
                  EXPECTED_MODEL + '''
assert abs(float(model_accuracy) - _acc) <= _one_day, "''' + T(
                      "not the accuracy of the honest model on your test days (split, features or model?)",
                      "내 시험 기간에서 정직한 모델의 정확도가 아니에요(나누기, 특성, 모델을 확인하세요)") + '"', 2),
        test_cell("test_skill_over_persistence",
                  "skill is the model's accuracy skill score over persistence on the test days.",
                  "skill이 시험 기간에서 지속성 예보에 대한 모델의 기술 점수인지 확인해요.",
                  '''assert skill < 1''',
                  EXPECTED_MODEL + '''
assert abs(float(skill) - (_acc - _base) / (1 - _base)) <= _one_day / (1 - _base), "''' + T(
                      "not the skill over persistence: (accuracy - persistence accuracy) / (1 - persistence accuracy)",
                      "지속성 예보에 대한 기술 점수가 아니에요: (정확도 - 지속성 정확도) / (1 - 지속성 정확도)") + '"', 1),

        markdown("q5_prompt", T("""## Q5. Which mistakes? The confusion matrix (2 points)

`confusion = result["confusion"]`: rows are the observed grades, columns the forecast ones, both in
the order 좋음, 보통, 나쁨, 매우나쁨. Make two whole numbers (`int`):

- `missed_bad_days`: test days that were 나쁨 or 매우나쁨 but the model forecast 좋음 or 보통;
- `false_alarms`: test days the model forecast 나쁨 or 매우나쁨 that were 좋음 or 보통.""",
                                """## Q5. 어떤 실수일까요? 혼동 행렬 (2점)

`confusion = result["confusion"]`은 혼동 행렬(confusion matrix)이에요. 행은 실제 등급, 열은 예보
등급이고 둘 다 좋음, 보통, 나쁨, 매우나쁨 순서예요. 정수(`int`) 두 개를 만드세요.

- `missed_bad_days`: 실제로는 나쁨이나 매우나쁨이었는데 모델이 좋음이나 보통으로 예보한 날 수
- `false_alarms`: 헛경보(false alarm), 즉 모델이 나쁨이나 매우나쁨으로 예보했는데 실제로는 좋음이나
  보통이었던 날 수""")),
        answer("confusion_counts", """### BEGIN SOLUTION
confusion = result["confusion"]
missed_bad_days = int(confusion.iloc[2:, :2].to_numpy().sum())
false_alarms = int(confusion.iloc[:2, 2:].to_numpy().sum())
### END SOLUTION"""),
        test_cell("test_missed_bad_days",
                  "missed_bad_days counts bad or very bad test days forecast good or moderate.",
                  "missed_bad_days가 나쁨·매우나쁨인데 좋음·보통으로 예보한 시험 기간 날 수인지 확인해요.",
                  '''assert 0 <= missed_bad_days <= len(test)''',
                  EXPECTED_MODEL + '''
_want = int(_np.sum((_test["code"].to_numpy() >= 2) & (_pred < 2)))
assert abs(int(missed_bad_days) - _want) <= 1, "''' + T(
                      "not the number of bad days the model missed (rows are observed, columns forecast)",
                      "모델이 놓친 나쁨 날 수가 아니에요(행은 실제, 열은 예보)") + '"', 1),
        test_cell("test_false_alarms",
                  "false_alarms counts good or moderate test days forecast bad or very bad.",
                  "false_alarms가 좋음·보통인데 나쁨·매우나쁨으로 예보한 시험 기간 날 수인지 확인해요.",
                  '''assert 0 <= false_alarms <= len(test)''',
                  EXPECTED_MODEL + '''
_want = int(_np.sum((_test["code"].to_numpy() < 2) & (_pred >= 2)))
assert abs(int(false_alarms) - _want) <= 1, "''' + T(
                      "not the number of false alarms (rows are observed, columns forecast)",
                      "헛경보 날 수가 아니에요(행은 실제, 열은 예보)") + '"', 1),

        markdown("q6_prompt", T("""## Q6. More than one honest test (2 points)

One test period is one sample. Make `fold_skills`: the model's skill over persistence in each of
the 4 expanding-window folds of `validation.time_series_folds(table.index, n_splits=4, gap_days=7)`,
as a list of 4 numbers in fold order. In each fold, fit the same pipeline on the fold's training rows
and use `forecast.persistence_forecast(daily["pm25_20h"])` on the fold's test days as the baseline.""",
                                """## Q6. 정직한 시험을 여러 번 (2점)

시험 기간 하나는 표본 하나일 뿐이에요. `fold_skills`를 만드세요.
`validation.time_series_folds(table.index, n_splits=4, gap_days=7)`가 만드는 4개의 폴드(fold)마다, 지속성
예보에 대한 모델의 기술 점수를 폴드 순서대로 담은 숫자 4개의 리스트예요. 이것이 시계열 교차
검증(time-series cross-validation)이에요. 폴드마다 같은 파이프라인을 그 폴드의 학습 행으로 학습시키고,
그 폴드의 시험 날들에 대한 `forecast.persistence_forecast(daily["pm25_20h"])`를 기준선(baseline)으로 써요.""")),
        answer("fold_skills", """### BEGIN SOLUTION
fold_skills = []
for train_rows, test_rows in validation.time_series_folds(table.index, n_splits=4, gap_days=7):
    fold_train, fold_test = table.iloc[train_rows], table.iloc[test_rows]
    fold_model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    fold_model.fit(fold_train[features], fold_train["category"].astype(str))
    fold_baseline = forecast.persistence_forecast(daily["pm25_20h"]).reindex(fold_test.index)
    fold_result = forecast.evaluate_classifier(fold_test["category"], fold_model.predict(fold_test[features]),
                                               baseline=fold_baseline)
    fold_skills.append(fold_result["skill"])
### END SOLUTION"""),
        test_cell("test_fold_skills",
                  "fold_skills holds the skill over persistence in each of the 4 time-series folds.",
                  "fold_skills가 시계열 폴드 4개 각각에서 지속성 예보에 대한 기술 점수인지 확인해요.",
                  '''assert len(fold_skills) == 4, "''' + T("one skill per fold", "폴드마다 기술 점수 하나") + '"',
                  EXPECTED_MODEL + '''
from sklearn.model_selection import TimeSeriesSplit as _TSS
for _i, (_a, _b) in enumerate(_TSS(n_splits=4, gap=7).split(_t)):
    _fa, _fb = _t.iloc[_a], _t.iloc[_b]
    _fp = _fit_predict(_fa, _fb)
    _fo = _fb["code"].to_numpy()
    _fbase = float(_np.mean(_grade(_fb["pm25_lag1_20h"]) == _fo))
    _fskill = (float(_np.mean(_fp == _fo)) - _fbase) / (1 - _fbase)
    assert abs(float(fold_skills[_i]) - _fskill) <= (1 / len(_fb) + 1e-9) / (1 - _fbase), \\
        f"''' + T("fold {_i + 1}: not the skill of a model trained only on the days before its test block",
                  "폴드 {_i + 1}: 시험 구간 앞의 날들로만 학습한 모델의 기술 점수가 아니에요") + '"', 2),

        markdown("q7_prompt", T("""## Q7. Would you issue tomorrow's 나쁨 alert from this model? (3 points, graded by your teacher)

Using your answers (accuracy, skill, missed bad days, false alarms, the fold skills), write four to
six sentences to your district office: would you issue tomorrow's 나쁨 alert from this model? What
would you tell them?

**Rubric (3 points).** 1: uses your own numbers correctly (the model's accuracy against
persistence, what the skill means, how many 나쁨 days it missed and how many false alarms it
raised). 1: weighs the two mistakes and reaches a clear recommendation (a missed 나쁨 day leaves
children with asthma outdoors; false alarms cost trust and outdoor time; e.g. use it next to
persistence and AirKorea's forecast, not alone). 1: honest limits (one station, one synthetic year,
92 test days with few 나쁨 days, the skill varies between folds, no weather forecast or transported
dust in the features).""",
                                """## Q7. 이 모델로 내일 나쁨 경보를 내겠어요? (3점, 선생님이 채점)

여러분의 답(정확도, 기술 점수, 놓친 나쁨 날, 헛경보, 폴드별 기술 점수)을 바탕으로 구청에 네댓
문장에서 여섯 문장을 쓰세요. 이 모델로 내일 나쁨 경보를 내겠어요? 구청에 무엇이라고 말하겠어요?

**채점 기준(Rubric, 3점).** 1점: 자기 숫자를 바르게 씀(지속성 예보와 비교한 모델의 정확도,
기술 점수의 뜻, 놓친 나쁨 날과 헛경보의 수). 1점: 두 가지 실수를 견주어 분명한 권고를 함
(나쁨 날을 놓치면 천식이 있는 학생이 밖에 있게 되고, 헛경보는 신뢰와 바깥 활동 시간을 잃게 함.
예: 모델 하나만 쓰지 말고 지속성 예보와 에어코리아 예보와 함께 씀). 1점: 솔직한 한계(측정소 하나,
가상의 한 해, 나쁨 날이 적은 92일의 시험 기간, 폴드마다 달라지는 기술 점수, 특성에 기상 예보나
외부에서 들어오는 먼지가 없음).""")),
        written("q7_district_office", T("""At our station persistence got about two thirds of the test days right and
the model about the same or slightly more (a skill near zero), and the skill changed sign between the
time-series folds, so its small gain may be luck. It missed most of the 나쁨 days and raised a few false
alarms: it hardly ever forecasts 나쁨. I would not issue the alert from this model alone: I would use it next to persistence and AirKorea's official forecast,
and lean towards warning when either says 나쁨, because a missed bad day hurts children with asthma
more than a false alarm costs. It was tested on one station, one synthetic year and 92 days with
only a handful of 나쁨 days, and it knows nothing about tomorrow's weather or dust from outside
Seoul.""", """우리 측정소에서 지속성 예보는 시험 기간의 약 3분의 2를 맞혔고, 모델은 그보다 조금 더
맞혔어요(기술 점수가 0에 가까워요). 시계열 폴드마다 기술 점수의 부호가 바뀌었으므로
이 작은 차이는 운일 수도 있어요. 나쁨인
날을 대부분 놓쳤고 헛경보도 몇 번 냈어요. 모델이 나쁨을 거의
예보하지 않아요. 이 모델 하나만으로는 경보를 내지 않겠어요. 지속성
예보와 에어코리아 공식 예보와 함께 쓰고, 둘 중 하나라도 나쁨이면 알리는 쪽을 권하겠어요. 나쁨
날을 놓치는 것이 헛경보보다 천식이 있는 학생에게 더 해롭기 때문이에요. 측정소 하나, 가상의 한 해,
나쁨 날이 몇 번뿐인 92일로 시험했고, 모델은 내일의 날씨나 서울 밖에서 들어오는 먼지를 몰라요."""), 3),
    ]
    return notebook(cells, language=lang)


if __name__ == "__main__":
    for path in write_editions(build, NAME, COURSE):
        print(f"wrote {path}")
