"""Module 06 and 07 exercise checks: the lesson's answer passes, plausible mistakes get advice."""

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

    ydp = pairs[pairs["site_id"] == m06.YEONGDEUNGPO]
    ydp_test = ydp[ydp["timestamp"] >= cutoff]
    assert check.evaluate("06.4-borrowed-line", metrics(ydp_test["pm25_ref"], line.predict(ydp_test))["rmse"])
    own = holdout_predictions(ydp, ["pm25_raw"], "linear", cutoff)
    _wrong("06.4-borrowed-line", metrics(own["pm25_ref"], own["predicted"])["rmse"], "m06.borrowed.own_line")


def test_module_07_exercises():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from sensorlab import forecast

    daily = forecast.synthetic_daily()
    year = daily[daily.index.year == 2024]
    assert check.evaluate("07.1-grade-counts", forecast.pm25_category(year["pm25"]).value_counts())
    _wrong("07.1-grade-counts", forecast.pm25_category(daily["pm25"]).value_counts(), "m07.grade_counts.all_years")

    grades = forecast.pm25_category(daily["pm25"])
    in_2024 = daily.index.year == 2024
    acc = forecast.evaluate_classifier(grades[in_2024], forecast.persistence_forecast(daily["pm25"])[in_2024])["accuracy"]
    assert check.evaluate("07.1-persistence-accuracy", acc)
    _wrong("07.1-persistence-accuracy", acc * 100, "m07.persistence.percent")

    table = forecast.make_features(daily).dropna()
    assert check.evaluate("07.2-lag1-corr", table["pm25_lag1"].corr(table["target"]))
    _wrong("07.2-lag1-corr", table["pm25_lag7"].corr(table["target"]), "m07.lag1_corr.lag7")
    windy = table["wind_speed_lag1"] > table["wind_speed_lag1"].median()
    effect = table.loc[windy, "target"].mean() - table.loc[~windy, "target"].mean()
    assert check.evaluate("07.2-wind-effect", effect)
    _wrong("07.2-wind-effect", -effect, "m07.wind_effect.sign")

    features = [c for c in table.columns if c not in ("target", "category")]
    train, test = table[table.index < "2024-01-01"], table[table.index >= "2024-01-01"]
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    predicted = model.fit(train[features], train["category"].astype(str)).predict(test[features])
    result = forecast.evaluate_classifier(test["category"], predicted,
                                          baseline=forecast.persistence_forecast(daily["pm25"]).reindex(test.index))
    cm = result["confusion"]
    assert check.evaluate("07.3-bad-as-moderate", int(cm.loc["bad", "moderate"]))
    _wrong("07.3-bad-as-moderate", int(cm.loc["bad", "moderate"]) + 1)
    skill = (result["accuracy"] - result["baseline_accuracy"]) / (1 - result["baseline_accuracy"])
    assert check.evaluate("07.3-skill-by-hand", skill)
    _wrong("07.3-skill-by-hand", result["accuracy"] - result["baseline_accuracy"], "m07.skill.difference")

    assert check.evaluate("07.4-leaky-features", {"pm10_today", "humidity_today", "pm25_tomorrow"})
    _wrong("07.4-leaky-features", {"pm10_today", "humidity_today"}, "m07.leaky.missed")
    _wrong("07.4-leaky-features", {"pm10_today", "humidity_today", "pm25_tomorrow", "month"}, "m07.leaky.safe")
    _wrong("07.4-leaky-features", {"pm10_today", "rain"}, "m07.leaky.unknown")
    _wrong("07.4-leaky-features", "pm10_today")


def test_module_07_checks_in_a_korean_notebook():
    """With messages.set_language("ko") the grades are 좋음 … 매우나쁨: the checks accept them."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from sensorlab import forecast, messages

    before = messages.get_language()
    messages.set_language("ko")
    try:
        daily = forecast.synthetic_daily()
        counts = forecast.pm25_category(daily[daily.index.year == 2024]["pm25"]).value_counts()
        assert "보통" in counts.index and check.evaluate("07.1-grade-counts", counts)
        table = forecast.make_features(daily).dropna()
        features = [c for c in table.columns if c not in ("target", "category")]
        train, test = table[table.index < "2024-01-01"], table[table.index >= "2024-01-01"]
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        predicted = model.fit(train[features], train["category"].astype(str)).predict(test[features])
        cm = forecast.evaluate_classifier(test["category"], predicted)["confusion"]
        assert check.evaluate("07.3-bad-as-moderate", int(cm.loc["나쁨", "보통"]))
        if cm.loc["보통", "나쁨"] != cm.loc["나쁨", "보통"]:
            _wrong("07.3-bad-as-moderate", int(cm.loc["보통", "나쁨"]), "m07.bad_as_moderate.transposed")
    finally:
        messages.set_language(before)


def test_every_module_06_07_exercise_is_registered_with_its_level():
    from sensorlab.exercises import m06, m07  # noqa: F401

    import nbformat

    from sensorlab import lessons

    ids = {k: e.level for k, e in check._REGISTRY.items() if k[:2] in ("06", "07")}
    used = {i for module in lessons.load_manifest() if module.number in ("06", "07") for lesson in module.lessons
            for i in lessons.exercise_problems(nbformat.read(lesson.path, as_version=4), lesson.number)[1]}
    assert set(ids) == used            # every checker is used by a notebook, and the reverse
    assert ids["06.5-forest-hourly"] == ids["07.5-fold-skills"] == "university"
    assert ids["06.1-jongno-bias"] == ids["07.4-leaky-features"] == "core"
