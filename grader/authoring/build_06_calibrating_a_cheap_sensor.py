"""Write assignment 06 in English and Korean (run after editing; commit the notebooks it writes).

    .venv/bin/python grader/authoring/build_06_calibrating_a_cheap_sensor.py

writes grader/source/06-calibrating-a-cheap-sensor/06-calibrating-a-cheap-sensor.ipynb and its
Korean release grader/source-ko/06-calibrating-a-cheap-sensor/06-calibrating-a-cheap-sensor.ipynb
from ``CELLS`` below, where the code is written once and every student-facing text is a ``{t:key}``
whose English and Korean wording sit beside this file in
``build_06_calibrating_a_cheap_sensor.en.toml`` and ``build_06_calibrating_a_cheap_sensor.ko.toml``;
nothing is written unless the two editions mirror each other.

Every student gets a co-located pair of their own: a street sensor that stands beside a reference
station (``sites.colocated_with``), chosen by ``sensorlab.grading.variants.pick`` of their student
id, salted for this assignment; the "other site" of Q5 is the next co-located sensor in site order.
The hidden tests rebuild that student's daily pairs and every expected number with plain
pandas/numpy (never from notebook variables, never with package functions a student could
redefine); the model solution uses ``sensorlab.calibration`` and ``sensorlab.validation`` as the
lessons of module 06 do.
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # tools/ (repository tooling) when run as a script
from tools.grading_authoring import answer, bilingual, markdown, setup, tests, write_editions, written  # noqa: E402

NAME = "06-calibrating-a-cheap-sensor"
COURSE = REPO / "grader"

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


def model_pair() -> dict:
    """Q6's model answer, computed from the bundled city when the assignment is built.

    Student s0001's pair (sdot-103-01 and its "other site"), run through the model solution above
    (``calibration`` and ``validation`` as module 06 does), so the answer states only numbers the
    city gives. The asserts guard the verdicts the answer states: when a new city breaks one, the
    build stops and the answer's wording (both languages) must be rewritten to what the data shows.
    """
    import numpy as np
    import pandas as pd

    from sensorlab import calibration, validation
    from sensorlab.datasets import load_city
    from sensorlab.grading.variants import pick

    city = load_city()
    colocated = sorted(city.sites.loc[city.sites["colocated_with"].notna(), "site_id"])
    sensor = pick("s0001", colocated, salt=NAME)
    other = colocated[(colocated.index(sensor) + 1) % len(colocated)]
    cutoff = pd.Timestamp("2024-09-01", tz="Asia/Seoul")
    both = calibration.colocated_pairs(city, sites=[sensor, other])
    pairs = both[both["site_id"] == sensor].reset_index(drop=True)
    other_pairs = both[both["site_id"] == other].reset_index(drop=True)
    train, test = validation.time_split(pairs, cutoff)
    mae = lambda got, frame: float(calibration.metrics(frame["pm25_ref"], got)["mae"])  # noqa: E731
    line = calibration.fit_calibration(train, ["pm25_raw"])
    raw, fitted = mae(test["pm25_raw"], test), mae(line.predict(test), test)
    rh = mae(calibration.fit_calibration(train, ["pm25_raw", "humidity"]).predict(test), test)
    epa = mae(calibration.epa_correction(test["pm25_raw"], test["humidity"]), test)
    later = other_pairs[other_pairs["timestamp"] >= cutoff]
    other_raw, borrowed = mae(later["pm25_raw"], later), mae(line.predict(later), later)
    ratio = lambda p: float(np.median(p["pm25_raw"] / p["pm25_ref"]))  # noqa: E731 - a typical day
    ours, theirs = ratio(pairs), ratio(other_pairs)
    far = float(np.mean(other_pairs["pm25_raw"] > 1.5 * other_pairs["pm25_ref"]))
    sites = city.sites.set_index("site_id")
    # the verdicts the answer states
    assert fitted < raw, "the line no longer helps on the test months"
    assert 0 < fitted - rh < 0.05 * fitted, "the humidity term no longer helps only slightly"
    assert epa > raw, "the EPA correction is no longer worse than the raw readings"
    assert borrowed < other_raw, "the borrowed line no longer helps at the other site"
    assert (other_raw - borrowed) / other_raw < 0.5 * (raw - fitted) / raw and borrowed > fitted, \
        "the borrowed line no longer helps much less at the other site than at home"
    assert ours < 0.9 and 0.9 < theirs < 1.1 and far > 0.2, "the two sensors' typical readings no longer differ so"
    return {"sensor": sensor, "district": sites.loc[sensor, "district"], "district_ko": sites.loc[sensor, "district_ko"],
            "other": other, "other_district": sites.loc[other, "district"],
            "other_district_ko": sites.loc[other, "district_ko"],
            "raw": raw, "line": fitted, "rh": rh, "epa": epa, "other_raw": other_raw, "borrowed": borrowed,
            "low": round(100 * (1 - ours)), "theirs": round(100 * theirs), "far": round(100 * far)}


CELLS = [
    markdown("intro", "{t:intro}"),
    setup("load_data", '''import numpy as np
import pandas as pd

from sensorlab import calibration, validation
from sensorlab.datasets import load_city
from sensorlab.grading.variants import pick, student_id

city = load_city()
colocated = sorted(city.sites.loc[city.sites["colocated_with"].notna(), "site_id"])
SENSOR = pick(student_id(), colocated, salt="06-calibrating-a-cheap-sensor")
OTHER = colocated[(colocated.index(SENSOR) + 1) % len(colocated)]  # {t:another_district_s_pair_for}
CUTOFF = pd.Timestamp("2024-09-01", tz="Asia/Seoul")  # {t:the_first_day_of_the}

both = calibration.colocated_pairs(city, sites=[SENSOR, OTHER])
pairs = both[both["site_id"] == SENSOR].reset_index(drop=True)
other_pairs = both[both["site_id"] == OTHER].reset_index(drop=True)
print(f"{t:your_sensor_sensor_beside_station}")
pairs.head()'''),
    markdown("q1_prompt", "{t:q1_prompt}"),
    answer("time_split", """### BEGIN SOLUTION
train, test = validation.time_split(pairs, CUTOFF)
### END SOLUTION"""),
    tests("test_time_split", '''"""{t:test_time_split}"""
assert train["timestamp"].max() < CUTOFF <= test["timestamp"].min(), "{t:train_must_end_before_cutoff}"
assert len(train) + len(test) == len(pairs), "{t:every_day_goes_to_train}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
assert len(train) == len(_tr) and len(test) == len(_te), {t:these_are_not_your_sensor}
assert _np.allclose(_np.sort(_np.asarray(train["pm25_raw"], float)), _np.sort(_tr["raw"].to_numpy(float))), {t:these_are_not_your_sensor}
assert _np.allclose(_np.sort(_np.asarray(test["pm25_raw"], float)), _np.sort(_te["raw"].to_numpy(float))), {t:these_are_not_your_sensor}
### END HIDDEN TESTS''', 2),
    markdown("q2_prompt", "{t:q2_prompt}"),
    answer("linear_calibration", '''### BEGIN SOLUTION
line = calibration.fit_calibration(train, ["pm25_raw"])
line_slope = line.coefficients["pm25_raw"]
line_intercept = line.coefficients["intercept"]
### END SOLUTION'''),
    tests("test_line_coefficients", '''"""{t:test_line_coefficients}"""
assert 0 < line_slope < 10, "{t:the_slope_of_a_sensor}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + """
_close(line_slope, _a, '{t:not_the_line_of_your}')
_close(line_intercept, _b, '{t:not_the_line_of_your}')
### END HIDDEN TESTS""", 2),
    markdown("q3_prompt", "{t:q3_prompt}"),
    answer("test_errors", '''### BEGIN SOLUTION
mae_raw = float(calibration.metrics(test["pm25_ref"], test["pm25_raw"])["mae"])
mae_line = float(calibration.metrics(test["pm25_ref"], line.predict(test))["mae"])
### END SOLUTION'''),
    tests("test_mae_raw", '''"""{t:test_mae_raw}"""
assert 0 < mae_raw < 100, "{t:an_error_in_g_m}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_close(mae_raw, (_te["raw"] - _te["ref"]).abs().mean(), {t:not_the_raw_sensor_s})
### END HIDDEN TESTS''', 1),
    tests("test_mae_line", '''"""{t:test_mae_line}"""
assert 0 < mae_line < 100, "{t:an_error_in_g_m}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + """
_close(mae_line, (_a * _te["raw"] + _b - _te["ref"]).abs().mean(), '{t:not_the_mae_of_your}')
### END HIDDEN TESTS""", 2),
    markdown("q4_prompt", "{t:q4_prompt}"),
    answer("humidity_term", '''### BEGIN SOLUTION
line_rh = calibration.fit_calibration(train, ["pm25_raw", "humidity"])
rh_coefficient = line_rh.coefficients["humidity"]
mae_rh = float(calibration.metrics(test["pm25_ref"], line_rh.predict(test))["mae"])
mae_epa = float(calibration.metrics(test["pm25_ref"],
                                    calibration.epa_correction(test["pm25_raw"], test["humidity"]))["mae"])
### END SOLUTION'''),
    tests("test_rh_coefficient", '''"""{t:test_rh_coefficient}"""
assert abs(rh_coefficient) < 5, "{t:g_m_per_rh_a}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + """
_rows = _tr.dropna(subset=["humidity"])
_X = _np.column_stack([_rows["raw"], _rows["humidity"], _np.ones(len(_rows))])
_coef = _np.linalg.lstsq(_X, _rows["ref"].to_numpy(float), rcond=None)[0]
_close(rh_coefficient, _coef[1], '{t:not_the_humidity_coefficient_of}')
### END HIDDEN TESTS""", 1),
    tests("test_mae_rh", '''"""{t:test_mae_rh}"""
assert 0 < mae_rh < 100, "{t:an_error_in_g_m}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + """
_rows = _tr.dropna(subset=["humidity"])
_X = _np.column_stack([_rows["raw"], _rows["humidity"], _np.ones(len(_rows))])
_coef = _np.linalg.lstsq(_X, _rows["ref"].to_numpy(float), rcond=None)[0]
_t = _te.dropna(subset=["humidity"])
_close(mae_rh, (_coef[0] * _t["raw"] + _coef[1] * _t["humidity"] + _coef[2] - _t["ref"]).abs().mean(), '{t:not_the_mae_of_your_2}')
### END HIDDEN TESTS""", 1),
    tests("test_mae_epa", '''"""{t:test_mae_epa}"""
assert 0 < mae_epa < 100, "{t:an_error_in_g_m}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_t = _te.dropna(subset=["humidity"])
_t = _t[(_t["raw"] <= 343) & (_t["humidity"] >= 0) & (_t["humidity"] <= 100)]
_epa = (0.524 * _t["raw"] - 0.0862 * _t["humidity"] + 5.75).clip(lower=0)
_close(mae_epa, (_epa - _t["ref"]).abs().mean(), {t:not_the_mae_of_the})
### END HIDDEN TESTS''', 1),
    markdown("q5_prompt", "{t:q5_prompt}"),
    answer("borrowed_line", '''### BEGIN SOLUTION
other_test = other_pairs[other_pairs["timestamp"] >= CUTOFF]
borrowed_mae = float(calibration.metrics(other_test["pm25_ref"], line.predict(other_test))["mae"])
### END SOLUTION'''),
    tests("test_borrowed_mae", '''"""{t:test_borrowed_mae}"""
_later = other_pairs[other_pairs["timestamp"] >= CUTOFF]
other_raw_mae = float((_later["pm25_raw"] - _later["pm25_ref"]).abs().mean())
print(f"{t:other_raw_mae_other_raw}")
assert 0 < borrowed_mae < 100, "{t:an_error_in_g_m}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_o = _pairs_of(_other)
_o = _o[_o.index >= _cut]
_close(borrowed_mae, (_a * _o["raw"] + _b - _o["ref"]).abs().mean(), {t:not_the_mae_of_your_3})
### END HIDDEN TESTS''', 2),
    markdown("q6_prompt", "{t:q6_prompt}"),
    written("q6_trust_elsewhere", "{t:q6_trust_elsewhere}", 3),
]
# Q6's model answer states only numbers the bundled city gives, computed at build time
build = bilingual(NAME, CELLS, __file__, computed={"q6_trust_elsewhere": model_pair})


if __name__ == "__main__":
    for path in write_editions(build, NAME, COURSE):
        print(f"wrote {path}")
