"""Write assignment 07 in English and Korean (run after editing; commit the notebooks it writes).

    .venv/bin/python grader/authoring/build_07_forecasting_air_quality.py

writes grader/source/07-forecasting-air-quality/07-forecasting-air-quality.ipynb and its Korean
release grader/source-ko/07-forecasting-air-quality/07-forecasting-air-quality.ipynb from ``CELLS``
below, where the code is written once and every student-facing text is a ``{t:key}`` whose English
and Korean wording sit beside this file in ``build_07_forecasting_air_quality.en.toml`` and
``build_07_forecasting_air_quality.ko.toml``; nothing is written unless the two editions mirror each
other.

Every student forecasts tomorrow's PM2.5 grade at the reference station of a district of their own
(``sensorlab.grading.variants.pick`` of their student id, salted for this assignment), from that
station's daily means of the bundled year: train January-September, test October-December. The
hidden tests recompute that student's answers from the bundled city with plain pandas, numpy and
scikit-learn (never from variables in the notebook, never with package functions a student could
redefine), and accept grade labels in either language.
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # tools/ (repository tooling) when run as a script
from tools.grading_authoring import answer, bilingual, markdown, setup, tests, write_editions, written  # noqa: E402

NAME = "07-forecasting-air-quality"
COURSE = REPO / "grader"

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


def model_station() -> dict:
    """Q7's model answer, computed from the bundled city when the assignment is built.

    Student s0001's station run through the model solution above (persistence, the logistic model on
    the features with the trend, its confusion counts and the four time-series folds), so the answer
    states only numbers the city gives. The asserts guard the verdicts the answer states: when a new
    city breaks one, the build stops and the answer (both languages) must be rewritten to the data.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from sensorlab import forecast, validation
    from sensorlab.datasets import load_city
    from sensorlab.grading.variants import pick

    city = load_city()
    stations = city.sites[city.sites["kind"] == "reference"]
    district = pick("s0001", stations["district"], salt=NAME)
    station = stations.loc[stations["district"] == district, "site_id"].item()
    r = city.readings[city.readings["site_id"] == station].set_index("timestamp").sort_index()
    daily = r[["pm25", "pm10", "temperature", "humidity", "wind_speed", "no2", "o3"]].resample("D").mean()
    known = r.loc[r.index.hour < forecast.ISSUED_AT, list(daily.columns)].resample("D").mean()
    daily = daily.join(known.add_suffix("_20h"))
    start = "2024-10-01"
    persistence = forecast.pm25_category(daily["pm25_20h"].shift(1)).loc[start:]
    table = forecast.make_features(daily, calendar=False)
    table["pm25_trend"] = daily["pm25_20h"].shift(1) - daily["pm25"].shift(2)
    table = table.dropna()
    features = [c for c in table.columns if c not in ("target", "category")]

    def fitted(rows):
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        return model.fit(rows[features], rows["category"].astype(str))

    train, test = forecast.time_split_with_gap(table, start, gap_days=7)
    result = forecast.evaluate_classifier(test["category"], fitted(train).predict(test[features]),
                                          baseline=persistence.reindex(test.index))
    confusion = result["confusion"]
    folds = []
    for train_rows, test_rows in validation.time_series_folds(table.index, n_splits=4, gap_days=7):
        fold_test = table.iloc[test_rows]
        folds.append(forecast.evaluate_classifier(
            fold_test["category"], fitted(table.iloc[train_rows]).predict(fold_test[features]),
            baseline=forecast.persistence_forecast(daily["pm25_20h"]).reindex(fold_test.index))["skill"])
    persistence_right = forecast.evaluate_classifier(forecast.pm25_category(daily["pm25"]).loc[start:],
                                                     persistence)["accuracy"]
    bad = int(confusion.iloc[2:].to_numpy().sum())  # days observed 나쁨 or worse
    said = int(confusion.iloc[:, 2:].to_numpy().sum())  # days the model forecast 나쁨 or worse
    missed = int(confusion.iloc[2:, :2].to_numpy().sum())
    alarms = int(confusion.iloc[:2, 2:].to_numpy().sum())
    # the verdicts the answer states
    assert result["skill"] < 0, "the model no longer does worse than persistence on the test days"
    assert max(folds) < 0, "the model no longer loses to persistence in every fold"
    assert missed > bad / 2 and 0 < alarms < missed, "the model no longer misses most 나쁨 days with few false alarms"
    assert said < 0.75 * bad, "the model no longer forecasts 나쁨 clearly less often than it happens"
    return {"station": station, "district": district,
            "district_ko": stations.set_index("site_id").loc[station, "district_ko"], "days": len(test),
            "persistence": round(100 * persistence_right), "model": round(100 * result["accuracy"]),
            "skill": result["skill"], "folds": len(folds), "worst": min(folds), "best": max(folds),
            "bad": bad, "missed": missed, "alarms": alarms, "said": said}


CELLS = [
    markdown("intro", "{t:intro}"),
    setup("load_data", '''import pandas as pd
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
# {t:one_row_per_seoul_day}
daily = r[["pm25", "pm10", "temperature", "humidity", "wind_speed", "no2", "o3"]].resample("D").mean()
# {t:what_is_known_at_21}
known = r.loc[r.index.hour < forecast.ISSUED_AT, list(daily.columns)].resample("D").mean()
daily = daily.join(known.add_suffix("_20h"))
TEST_START = "2024-10-01"
print("{t:your_station}", STATION, "{t:district_label}", stations.set_index("site_id").loc[STATION, "{t:district_column}"], "/", len(daily), "{t:days}")'''),
    markdown("q1_prompt", "{t:q1_prompt}"),
    answer("grade_counts", '''### BEGIN SOLUTION
grade_counts = forecast.pm25_category(daily["pm25"]).value_counts()
### END SOLUTION'''),
    tests("test_grade_counts", '''"""{t:test_grade_counts}"""
assert len(grade_counts) == 4, "{t:one_count_per_grade_good}"
assert grade_counts.sum() == daily["pm25"].notna().sum(), "{t:every_day_with_a_daily}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_got = _np.zeros(4)
for _label, _n in grade_counts.items():
    _got[int(_codes([_label])[0])] += _n
_want = _np.bincount(_grade(_d["pm25"].dropna()).astype(int), minlength=4)
assert (_got == _want).all(), "{t:the_counts_differ_from_your}"
### END HIDDEN TESTS''', 2),
    markdown("q2_prompt", "{t:q2_prompt}"),
    answer("persistence", '''### BEGIN SOLUTION
observed = forecast.pm25_category(daily["pm25"]).loc[TEST_START:]
persistence = forecast.pm25_category(daily["pm25_20h"].shift(1)).loc[TEST_START:]
persistence_accuracy = forecast.evaluate_classifier(observed, persistence)["accuracy"]
### END SOLUTION'''),
    tests("test_persistence_forecast", '''"""{t:test_persistence_forecast}"""
assert len(observed) == len(persistence) == 92, "{t:october_to_december_is_92}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_want = _grade(_known["pm25"].shift(1))[_d.index >= _cut]
_got = _codes(persistence)
assert not (len(_got) == len(_want) and not _np.array_equal(_want, _grade(_d["pm25"].shift(1))[_d.index >= _cut],
            equal_nan=True) and _np.array_equal(_got, _grade(_d["pm25"].shift(1))[_d.index >= _cut], equal_nan=True)), "{t:persistence_uses_the_day_before}"
assert len(_got) == len(_want) and _np.array_equal(_got, _want, equal_nan=True), "{t:persistence_is_not_yesterday_s}"
### END HIDDEN TESTS''', 1),
    tests("test_persistence_accuracy", '''"""{t:test_persistence_accuracy}"""
assert 0 < persistence_accuracy < 1
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_obs = _grade(_d["pm25"])[_d.index >= _cut]
_fc = _grade(_known["pm25"].shift(1))[_d.index >= _cut]
_ok = ~_np.isnan(_obs) & ~_np.isnan(_fc)
assert abs(float(persistence_accuracy) - float(_np.mean(_obs[_ok] == _fc[_ok]))) < 1e-9, "{t:not_the_accuracy_of_persistence}"
### END HIDDEN TESTS''', 2),
    markdown("q3_prompt", "{t:q3_prompt}"),
    answer("feature_table", '''### BEGIN SOLUTION
table = forecast.make_features(daily, calendar=False)
table["pm25_trend"] = daily["pm25_20h"].shift(1) - daily["pm25"].shift(2)
table = table.dropna()
features = [c for c in table.columns if c not in ("target", "category")]
### END SOLUTION'''),
    tests("test_table_rows", '''"""{t:test_table_rows}"""
assert "target" not in features and "category" not in features, "{t:the_answer_target_category_must}"
assert "pm25_trend" in features
assert not table[features].isna().any().any(), "{t:drop_the_rows_with_missing}"
### BEGIN HIDDEN TESTS
''' + EXPECTED_MODEL + '''
assert len(table) == len(_t) and (table.index == _t.index).all(), "{t:not_the_days_of_your}"
assert _np.allclose(table["target"].to_numpy(float), _t["target"].to_numpy())
### END HIDDEN TESTS''', 1),
    tests("test_trend_feature", '''"""{t:test_trend_feature}"""
assert table["pm25_trend"].abs().max() > 0
### BEGIN HIDDEN TESTS
''' + EXPECTED_MODEL + '''
_want = (_e - _y.shift(2)).reindex(table.index).to_numpy()
assert _np.allclose(table["pm25_trend"].to_numpy(float), _want, equal_nan=True), "{t:pm25_trend_is_not_the}"
### END HIDDEN TESTS''', 1),
    tests("test_features_known_evening_before", '''"""{t:test_features_known_evening_before}"""
assert len(features) >= 10
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
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
            f"{t:feature_f_r_is_what}"
### END HIDDEN TESTS''', 1),
    markdown("q4_prompt", "{t:q4_prompt}"),
    answer("train_and_score", '''### BEGIN SOLUTION
train, test = forecast.time_split_with_gap(table, TEST_START, gap_days=7)
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
model.fit(train[features], train["category"].astype(str))
predicted = model.predict(test[features])
result = forecast.evaluate_classifier(test["category"], predicted, baseline=persistence.reindex(test.index))
model_accuracy = result["accuracy"]
skill = result["skill"]
### END SOLUTION'''),
    tests("test_split_by_time", '''"""{t:test_split_by_time}"""
assert train.index.max() < test.index.min(), "{t:every_training_day_must_come}"
### BEGIN HIDDEN TESTS
''' + EXPECTED_MODEL + '''
assert len(test) == len(_test) and (test.index == _test.index).all(), "{t:test_is_not_every_day}"
assert len(train) == len(_train) and (train.index == _train.index).all(), "{t:train_is_not_every_day}"
### END HIDDEN TESTS''', 1),
    tests("test_model_accuracy", '''"""{t:test_model_accuracy}"""
assert 0 < model_accuracy <= 1
### BEGIN HIDDEN TESTS
''' + EXPECTED_MODEL + '''
assert abs(float(model_accuracy) - _acc) <= _one_day, "{t:not_the_accuracy_of_the}"
### END HIDDEN TESTS''', 2),
    tests("test_skill_over_persistence", '''"""{t:test_skill_over_persistence}"""
assert skill < 1
### BEGIN HIDDEN TESTS
''' + EXPECTED_MODEL + '''
assert abs(float(skill) - (_acc - _base) / (1 - _base)) <= _one_day / (1 - _base), "{t:not_the_skill_over_persistence}"
### END HIDDEN TESTS''', 1),
    markdown("q5_prompt", "{t:q5_prompt}"),
    answer("confusion_counts", '''### BEGIN SOLUTION
confusion = result["confusion"]
missed_bad_days = int(confusion.iloc[2:, :2].to_numpy().sum())
false_alarms = int(confusion.iloc[:2, 2:].to_numpy().sum())
### END SOLUTION'''),
    tests("test_missed_bad_days", '''"""{t:test_missed_bad_days}"""
assert 0 <= missed_bad_days <= len(test)
### BEGIN HIDDEN TESTS
''' + EXPECTED_MODEL + '''
_want = int(_np.sum((_test["code"].to_numpy() >= 2) & (_pred < 2)))
assert abs(int(missed_bad_days) - _want) <= 1, "{t:not_the_number_of_bad}"
### END HIDDEN TESTS''', 1),
    tests("test_false_alarms", '''"""{t:test_false_alarms}"""
assert 0 <= false_alarms <= len(test)
### BEGIN HIDDEN TESTS
''' + EXPECTED_MODEL + '''
_want = int(_np.sum((_test["code"].to_numpy() < 2) & (_pred >= 2)))
assert abs(int(false_alarms) - _want) <= 1, "{t:not_the_number_of_false}"
### END HIDDEN TESTS''', 1),
    markdown("q6_prompt", "{t:q6_prompt}"),
    answer("fold_skills", '''### BEGIN SOLUTION
fold_skills = []
for train_rows, test_rows in validation.time_series_folds(table.index, n_splits=4, gap_days=7):
    fold_train, fold_test = table.iloc[train_rows], table.iloc[test_rows]
    fold_model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    fold_model.fit(fold_train[features], fold_train["category"].astype(str))
    fold_baseline = forecast.persistence_forecast(daily["pm25_20h"]).reindex(fold_test.index)
    fold_result = forecast.evaluate_classifier(fold_test["category"], fold_model.predict(fold_test[features]),
                                               baseline=fold_baseline)
    fold_skills.append(fold_result["skill"])
### END SOLUTION'''),
    tests("test_fold_skills", '''"""{t:test_fold_skills}"""
assert len(fold_skills) == 4, "{t:one_skill_per_fold}"
### BEGIN HIDDEN TESTS
''' + EXPECTED_MODEL + '''
from sklearn.model_selection import TimeSeriesSplit as _TSS
for _i, (_a, _b) in enumerate(_TSS(n_splits=4, gap=7).split(_t)):
    _fa, _fb = _t.iloc[_a], _t.iloc[_b]
    _fp = _fit_predict(_fa, _fb)
    _fo = _fb["code"].to_numpy()
    _fbase = float(_np.mean(_grade(_fb["pm25_lag1_20h"]) == _fo))
    _fskill = (float(_np.mean(_fp == _fo)) - _fbase) / (1 - _fbase)
    assert abs(float(fold_skills[_i]) - _fskill) <= (1 / len(_fb) + 1e-9) / (1 - _fbase), \\
        f"{t:fold_i_1_not_the}"
### END HIDDEN TESTS''', 2),
    markdown("q7_prompt", "{t:q7_prompt}"),
    written("q7_district_office", "{t:q7_district_office}", 3),
]
# Q7's model answer states only numbers the bundled city gives, computed at build time
build = bilingual(NAME, CELLS, __file__, computed={"q7_district_office": model_station})


if __name__ == "__main__":
    for path in write_editions(build, NAME, COURSE):
        print(f"wrote {path}")
