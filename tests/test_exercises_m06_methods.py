"""Module 06: the students' own methods (pairing, the line, the bootstrap) and 08.4.d's direction.

Each right answer a student would write passes; each slip a student would make gets the advice
for that slip. The functions are tried on sensors the lessons do not show.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sensorlab import check

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _result(exercise_id, answer, key=None):
    result = check.evaluate(exercise_id, answer)
    assert result.status == "wrong", (exercise_id, result.text())
    assert "Not yet." in result.text(lang="en")
    if key:
        assert result.key == key, (exercise_id, result.key, result.text(lang="en"))
    return result


def _station_of(sites, sensor_id):
    return sites.set_index("site_id").loc[sensor_id, "colocated_with"]


def _daily(readings, site, clean=True, freq="1D"):
    one = readings[readings["site_id"] == site].set_index("timestamp")["pm25"]
    if clean:
        one = one[(one > 0) & (one <= 500)]
    return one.resample(freq).mean()


def pairs_right(readings, sites, sensor_id):
    sensor = _daily(readings, sensor_id)
    station = _daily(readings, _station_of(sites, sensor_id))
    return pd.DataFrame({"pm25_raw": sensor, "pm25_ref": station}).dropna()


def pairs_with_column(readings, sites, sensor_id):  # timestamp as a column, a student's reset_index()
    return pairs_right(readings, sites, sensor_id).reset_index()


def pairs_query(readings, sites, sensor_id):  # another way a student writes it: query, groupby of days
    ref = str(sites.loc[sites["site_id"] == sensor_id, "colocated_with"].iloc[0])
    ok = readings.query("pm25 > 0 and pm25 <= 500")
    sensor = ok[ok["site_id"] == sensor_id].groupby(ok["timestamp"].dt.floor("D"))["pm25"].mean()
    station = ok[ok["site_id"] == ref].groupby(ok["timestamp"].dt.floor("D"))["pm25"].mean()
    both = pd.concat({"pm25_raw": sensor, "pm25_ref": station}, axis=1).dropna()
    return both.rename_axis("timestamp")


def test_own_pairing_right_answers_pass():
    for answer in (pairs_right, pairs_with_column, pairs_query):
        result = check.evaluate("06.1-my-pairs", answer)
        assert result, (answer.__name__, result.text(lang="en"))


def test_own_pairing_slips_get_their_advice():
    wrongs = {
        "m06.my_pairs.faults": lambda r, s, i: pd.DataFrame({"pm25_raw": _daily(r, i, clean=False),
                                                             "pm25_ref": _daily(r, _station_of(s, i))}).dropna(),
        "m06.my_pairs.swapped": lambda r, s, i: pairs_right(r, s, i).rename(
            columns={"pm25_raw": "pm25_ref", "pm25_ref": "pm25_raw"}),
        "m06.my_pairs.nan": lambda r, s, i: pd.DataFrame({"pm25_raw": _daily(r, i), "pm25_ref": _daily(r, _station_of(s, i))}),
        "m06.my_pairs.days_missing": lambda r, s, i: pairs_right(r, s, i).iloc[::2],
        "check.missing_column": lambda r, s, i: pairs_right(r, s, i).rename(columns={"pm25_ref": "station"}),
        "m06.returns_nothing": lambda r, s, i: None,
        "check.wrong_type": lambda r, s, i: pairs_right(r, s, i)["pm25_raw"],
    }
    for key, answer in wrongs.items():
        _result("06.1-my-pairs", answer, key)
    # a neighbouring station instead of its own: the days agree, the values do not
    _result("06.1-my-pairs", lambda r, s, i: pd.DataFrame({"pm25_raw": _daily(r, i), "pm25_ref": _daily(r, "ref-101")}).dropna(),
            "m06.my_pairs.wrong_day")
    # Jongno's pairs whatever sensor is asked: the check uses sensors the lesson does not show
    _result("06.1-my-pairs", lambda r, s, i: pairs_right(r, s, "sdot-101-01"))
    # the answer is the table, not the function
    _result("06.1-my-pairs", pd.DataFrame({"pm25_raw": [1.0], "pm25_ref": [2.0]}), "m06.not_function")
    # hourly means instead of daily
    _result("06.1-my-pairs", lambda r, s, i: pd.DataFrame({"pm25_raw": _daily(r, i, freq="1h"),
                                                           "pm25_ref": _daily(r, _station_of(s, i), freq="1h")}).dropna())


def test_own_fit_right_answers_pass():
    from scipy import stats

    answers = [lambda x, y: tuple(np.polyfit(x, y, 1)), lambda x, y: np.polyfit(x, y, 1),
               lambda x, y: list(np.polyfit(x.to_numpy(), y.to_numpy(), deg=1)),
               lambda x, y: (stats.linregress(x, y).slope, stats.linregress(x, y).intercept),
               lambda x, y: ((np.cov(x, y)[0, 1] / np.var(x, ddof=1)),
                             y.mean() - np.cov(x, y)[0, 1] / np.var(x, ddof=1) * x.mean())]
    for answer in answers:
        assert check.evaluate("06.2-my-fit", answer), check.evaluate("06.2-my-fit", answer).text(lang="en")


def test_own_fit_slips_get_their_advice():
    wrongs = [
        (lambda x, y: tuple(np.polyfit(y, x, 1)), "m06.my_fit.classical"),
        (lambda x, y: (1 / np.polyfit(y, x, 1)[0], -np.polyfit(y, x, 1)[1] / np.polyfit(y, x, 1)[0]), "m06.my_fit.inverted"),
        (lambda x, y: tuple(np.polyfit(x, y, 1))[::-1], "m06.my_fit.order"),
        (lambda x, y: (y.mean() / x.mean(), 0.0), "m06.my_fit.ratio"),
        (lambda x, y: np.polyfit(x, y, 1)[0], "m06.my_fit.shape"),
        (lambda x, y: tuple(np.polyfit(x, y, 2)), "m06.my_fit.shape"),
        (lambda x, y: None, "m06.returns_nothing"),
        ((1.38, 2.3), "m06.not_function"),
        (lambda x, y: (np.polyfit(x, y, 1)[0], 0.0), "check.wrong_value"),
        (lambda x, y: (np.corrcoef(x, y)[0, 1], 0.0), "check.wrong_value"),
        (lambda x, y: tuple(np.polyfit(x, y, 1) * 1.1), "check.wrong_value"),
    ]
    for answer, key in wrongs:
        _result("06.2-my-fit", answer, key)


def test_bad_day_interval_accepts_a_students_own_bootstrap_and_names_slips():
    from sensorlab.exercises import m06

    pairs = m06.daily_pairs()
    j = pairs[pairs["site_id"] == m06.JONGNO]
    cutoff = pd.Timestamp(m06.CUTOFF, tz="Asia/Seoul")
    train, test = j[j["timestamp"] < cutoff], j[j["timestamp"] >= cutoff]
    counts = []
    for i in range(500):  # the lesson's loop, fewer resamples and pandas' own random draws
        rows = train.sample(frac=1, replace=True, random_state=i)
        slope, intercept = np.polyfit(rows["pm25_raw"], rows["pm25_ref"], 1)
        counts.append(int((slope * test["pm25_raw"] + intercept > 35).sum()))
    low, high = np.percentile(counts, [2.5, 97.5])
    for answer in ((low, high), [low, high], np.array([low, high]), (int(low), int(high)), (high, low)):
        assert check.evaluate("06.5-bad-day-interval", answer), check.evaluate("06.5-bad-day-interval", answer).text(lang="en")
    one = m06.bad_day_interval()[2]
    station = float((test["pm25_ref"] > 35).sum())
    _result("06.5-bad-day-interval", one, "m06.bad_days.one_number")
    _result("06.5-bad-day-interval", (low, high, one), "m06.bad_days.shape")
    _result("06.5-bad-day-interval", (low / len(test), high / len(test)), "m06.bad_days.share")
    _result("06.5-bad-day-interval", (station, station), "m06.bad_days.station")
    raw = float((test["pm25_raw"] > 35).sum())
    _result("06.5-bad-day-interval", (raw, raw), "m06.bad_days.wrong")
    _result("06.5-bad-day-interval", (0.0, len(test)), "m06.bad_days.wrong")
    _result("06.5-bad-day-interval", np.percentile(counts, [25, 75]) - 2, "m06.bad_days.wrong")
    assert "{" not in check.evaluate("06.5-bad-day-interval", (0.0, 1.0)).text(lang="ko")


def test_capstone_fit_follows_the_curriculums_direction():
    from sensorlab.exercises import m08

    paired = m08.paired()
    slope, intercept = np.polyfit(paired["box"], paired["station"], 1)
    classical = np.polyfit(paired["station"], paired["box"], 1)
    assert check.evaluate("08.4-fit", (slope, intercept))
    assert check.evaluate("08.4-fit", np.polyfit(paired["box"], paired["station"], 1))
    _result("08.4-fit", tuple(classical), "m08.fit.swapped")
    _result("08.4-fit", (1 / classical[0], -classical[1] / classical[0]), "m08.fit.inverted")
    _result("08.4-fit", (intercept, slope), "m08.fit.order")
    _result("08.4-fit", (slope,), "m08.fit.shape")
    _result("08.4-fit", (1.0, float((paired["station"] - paired["box"]).mean())))
    # the messages of both directions name the direction in both languages
    assert "station (y)" in check.evaluate("08.4-fit", tuple(classical)).text(lang="en")
    assert "측정소(y)" in check.evaluate("08.4-fit", tuple(classical)).text(lang="ko")
