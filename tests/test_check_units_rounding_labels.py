"""Wrong answers students really type, each told what it is in English and Korean instead of only
"should be X, yours is Y": a unit slip (mg/m³ for µg/m³, a percentage for a share, kelvin for °C), a
rounded value, district labels written otherwise than the data ("Mapo", "Mapo-gu "), a Series of text."""

from __future__ import annotations

import pandas as pd
import pytest
from _exercise_verdicts import assert_passes, assert_told

from sensorlab import check, check_slips, stats
from sensorlab.datasets import load_city
from sensorlab.explore import plausible


@pytest.fixture(scope="module")
def lesson():
    """What lessons 03.1-03.4 compute from, as the notebooks load it."""
    city = load_city(truth=False)
    readings = plausible(city.readings)
    named = readings.merge(city.sites[["site_id", "kind", "district"]], on="site_id")
    stations = named[named["kind"] == "reference"]
    by_district = stations.groupby("district")["pm25"].mean().sort_values(ascending=False)
    jongno = readings[readings["site_id"] == "ref-101"][["timestamp", "pm25"]]
    return {"readings": readings, "sites": city.sites, "by_district": by_district, "jongno": jongno}


def _relabelled(series, label):
    return series.set_axis([label(str(d)) for d in series.index])


def test_pm25_in_mg_is_a_unit_slip_not_another_site(lesson):
    jongno = lesson["jongno"]
    assert_told("03.1-jongno-station", jongno.assign(pm25=jongno["pm25"] / 1000), "check.wrong_value_at_unit")
    shown = check.evaluate("03.1-jongno-station", jongno.assign(pm25=jongno["pm25"] / 1000))
    assert "mg/m³" in shown.text(lang="en") and "1,000배" in shown.text(lang="ko")


@pytest.mark.parametrize("scale, advice", [(1 / 1000, "check.unit.thousand_smaller"), (1000, "check.unit.thousand_larger")])
def test_district_means_in_another_unit_are_told_the_unit(lesson, scale, advice):
    result = check.evaluate("03.2-mean-by-district", lesson["by_district"] * scale)
    assert result.key == "check.wrong_value_at_unit" and result.values["advice"] == advice, result.text(lang="en")


def test_site_means_in_mg_are_told_the_unit(lesson):
    per_site = lesson["readings"].groupby("site_id", observed=True)["pm25"].mean().reset_index()
    means = lesson["sites"][["site_id", "lat", "lon"]].merge(per_site, on="site_id")
    assert_told("03.4-site-means", means.assign(pm25=means["pm25"] / 1000), "check.wrong_value_at_unit")


def test_a_share_or_kelvin_is_named():
    assert check_slips.unit_slip(25.0, 0.25) == "check.unit.percent_given"
    assert check_slips.unit_slip(0.25, 25.0) == "check.unit.share_given"
    assert check_slips.unit_slip([296.45, 274.15], [23.3, 1.0]) == "check.unit.kelvin"
    assert check_slips.unit_slip(24.0, 24.1) is None and check_slips.unit_slip(0.0, 0.0) is None


def test_a_rounded_percentage_is_told_it_is_rounded():
    from sensorlab.exercises import m05

    change = float(stats.weekend_effect(m05.reference(), "no2")["change_percent"])
    assert round(change, 1) != change
    assert_told("05.1-weekend-no2", round(change, 1), "check.rounded")
    assert_passes("05.1-weekend-no2", change)


def test_rounded_district_means_are_told_they_are_rounded(lesson):
    assert_told("03.2-mean-by-district", lesson["by_district"].round(1), "check.rounded_at")


@pytest.mark.parametrize("label, key", [(lambda d: d.removesuffix("-gu"), "m00.my_district.add_gu"),
                                        (lambda d: d + " ", "m03.district_label_space"),
                                        (lambda d: d.lower().replace("-", " "), "m03.district_spelling")],
                         ids=["without-gu", "trailing-space", "lower-case-spaced"])
def test_district_labels_written_otherwise_are_named_not_called_empty(lesson, label, key):
    assert_told("03.2-mean-by-district", _relabelled(lesson["by_district"], label), key)


def test_the_district_a_student_named_is_echoed_without_its_spaces():
    result = check.evaluate("03.5-noisiest-district", " 마포구 ")
    assert result.status == "wrong" and "마포구의" in result.text(lang="ko"), result.text(lang="ko")


def test_a_series_of_text_is_told_what_is_wrong_not_could_not_check():
    days = pd.date_range("2024-01-01", periods=3, freq="D", tz="Asia/Seoul")
    result = check.evaluate("03.2-daily-mean", pd.Series(["보통", "좋음", "나쁨"], index=days))
    assert result.status == "wrong", result.text(lang="en")
    assert "Traceback" not in result.text(lang="ko") and "{" not in result.text(lang="ko")


@pytest.mark.parametrize("exercise, answer", [
    ("04.1-worst-site", "sdot-101-01 "), ("04.1-worst-site", "SDOT-101-01"),
    ("04.5-missed-kinds", ["stuck "]), ("04.5-missed-kinds", ["Stuck"]),
    ("07.4-leaky-features", {"pm25_lag1_fullday ", "pm10_today", "humidity_today", "pm25_tomorrow"}),
    ("07.4-leaky-features", ["PM25_lag1_fullday", "pm10_today", "humidity_today", "pm25_tomorrow"]),
], ids=["site-space", "site-capitals", "kind-space", "kind-capital", "leak-space", "leak-capitals"])
def test_a_name_with_spaces_or_capitals_is_shown_beside_the_data_s_spelling(exercise, answer):
    """Before, "sdot-101-01 " was told it "is not a street sensor's site id (they look like "sdot-101-01")"."""
    assert_told(exercise, answer, "check.name_spelling")
    result = check.evaluate(exercise, answer)
    assert result.values["name"] in {"sdot-101-01", "stuck", "pm25_lag1_fullday"}, result.text(lang="en")


def test_rounded_float32_ratios_are_told_they_are_rounded():
    """The city's PM2.5 is float32: its ratios rounded to 2 places differ from numpy's rounding by 1e-8."""
    from sensorlab.exercises import m06

    pairs = m06.daily_pairs()
    ratios = (pairs["pm25_raw"] / pairs["pm25_ref"]).groupby(pairs["site_id"]).median()
    assert_told("06.1-sensor-ratios", ratios.round(2), "check.rounded_at")


@pytest.fixture(scope="module")
def fold_skills():
    from sensorlab.exercises import m07

    return m07.fold_scores()["skill"]


@pytest.mark.parametrize("wrong, key", [
    (lambda s: [float("nan")] * len(s), "check.item_not_finite"),
    (lambda s: [f"{v:.3f}" for v in s], "check.item_wrong_type"),
    (lambda s: s.round(2).tolist(), "check.rounded_at"),
], ids=["nan", "text", "rounded"])
def test_fold_skills_typed_as_text_nan_or_rounded_are_told_so(fold_skills, wrong, key):
    """Before: NaN was shown as "yours is nan", text was compared as a number, rounding was a plain wrong value."""
    assert_told("07.5-fold-skills", wrong(fold_skills), key)


def test_fold_skills_as_an_array_or_series_pass(fold_skills):
    assert_passes("07.5-fold-skills", fold_skills.to_numpy())
    assert_passes("07.5-fold-skills", fold_skills)
