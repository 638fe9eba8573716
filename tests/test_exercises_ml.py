"""Module 06 exercise checks (module 07's are in test_exercises_m07.py): the lesson's answer passes, plausible mistakes get advice."""

from __future__ import annotations

import pandas as pd
import pytest

from sensorlab import check
from sensorlab.calibration import epa_correction, fit_calibration, holdout_predictions, metrics

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _wrong(exercise_id, answer, key=None):
    result = check.evaluate(exercise_id, answer)
    assert result.status == "wrong", (exercise_id, result.text())
    if key:
        assert result.key == key, (exercise_id, result.key)


@pytest.fixture(scope="module")
def m06():
    from sensorlab.exercises import m06

    return m06


def test_module_06_exercises(m06):
    pairs = m06.daily_pairs()
    jongno = pairs[pairs["site_id"] == m06.JONGNO]
    bias = (jongno["pm25_raw"] - jongno["pm25_ref"]).mean()
    assert check.evaluate("06.1-jongno-bias", bias)
    _wrong("06.1-jongno-bias", -bias, "m06.jongno_bias.sign")
    _wrong("06.1-jongno-bias", jongno["pm25_raw"].mean(), "m06.jongno_bias.raw_mean")

    ratio = pairs["pm25_raw"] / pairs["pm25_ref"]
    assert check.evaluate("06.1-sensor-ratios", ratio.groupby(pairs["site_id"]).median())
    _wrong("06.1-sensor-ratios", ratio.groupby(pairs["site_id"]).mean(), "m06.sensor_ratios.mean")
    _wrong("06.1-sensor-ratios", ratio, "m06.sensor_ratios.not_grouped")

    cutoff = pd.Timestamp(m06.CUTOFF, tz="Asia/Seoul")
    train, test = jongno[jongno["timestamp"] < cutoff], jongno[jongno["timestamp"] >= cutoff]
    line = fit_calibration(train, ["pm25_raw"])
    assert check.evaluate("06.2-jongno-test-rmse", metrics(test["pm25_ref"], line.predict(test))["rmse"])
    _wrong("06.2-jongno-test-rmse", metrics(train["pm25_ref"], line.predict(train))["rmse"], "m06.test_rmse.train")
    _wrong("06.2-jongno-test-rmse", metrics(test["pm25_ref"], test["pm25_raw"])["rmse"], "m06.test_rmse.raw")

    epa = epa_correction(jongno["pm25_raw"], jongno["humidity"])
    assert check.evaluate("06.3-epa-daily", epa)
    _wrong("06.3-epa-daily", epa_correction(jongno["humidity"], jongno["pm25_raw"]), "m06.epa_daily.swapped")
    _wrong("06.3-epa-daily", jongno["pm25_raw"])

    hourly = m06.hourly_jongno()
    bins = pd.cut(hourly["humidity"], [0, 40, 50, 60, 70, 80, 90, 100])
    r = hourly["pm25_raw"] / hourly["pm25_ref"]
    assert check.evaluate("06.3-ratio-by-humidity", r.groupby(bins, observed=True).median())
    _wrong("06.3-ratio-by-humidity", r.groupby(bins, observed=True).mean(), "m06.ratio_rh.mean")
    _wrong("06.3-ratio-by-humidity", r.groupby(pd.cut(hourly["humidity"], 3), observed=True).median(), "m06.ratio_rh.bins")

    gwangjin = pairs[pairs["site_id"] == m06.GWANGJIN]
    gwangjin_test = gwangjin[gwangjin["timestamp"] >= cutoff]
    assert check.evaluate("06.4-borrowed-line", metrics(gwangjin_test["pm25_ref"], line.predict(gwangjin_test))["rmse"])
    own = holdout_predictions(gwangjin, ["pm25_raw"], "linear", cutoff)
    _wrong("06.4-borrowed-line", metrics(own["pm25_ref"], own["predicted"])["rmse"], "m06.borrowed.own_line")


def test_every_module_06_07_exercise_is_registered_with_its_level():
    from sensorlab.exercises import m06, m07  # noqa: F401

    import nbformat

    from tools import lesson_checks, lesson_manifest

    ids = {k: e.level for k, e in check._REGISTRY.items() if k[:2] in ("06", "07")}
    used = {i for module in lesson_manifest.load_manifest() if module.number in ("06", "07") for lesson in module.lessons
            for i in lesson_checks.exercise_problems(nbformat.read(lesson.path, as_version=4), lesson.number)[1]}
    assert set(ids) == used            # every checker is used by a notebook, and the reverse
    assert ids["06.5-forest-hourly"] == ids["07.5-fold-skills"] == "university"
    assert ids["06.1-jongno-bias"] == ids["07.4-leaky-features"] == "core"
