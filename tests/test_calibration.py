"""Calibration: co-located pairs, the EPA correction, fits and metrics (hand-built and real data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sensorlab.calibration import (EPA_TARGETS, calibration_table, colocated_pairs, epa_correction,
                                   fit_calibration, holdout_predictions, metrics)
from sensorlab.datasets.base import SensorData

TZ = "Asia/Seoul"


def _tiny_city() -> SensorData:
    """Two days, hourly: a street sensor reading 2x its station (+ one -999 and one burst)."""
    times = pd.date_range("2024-05-01", periods=48, freq="h", tz=TZ)
    ref = pd.DataFrame({"timestamp": times, "site_id": "ref-101", "pm25": np.r_[[10.0] * 24, [20.0] * 24],
                        "humidity": 50.0, "temperature": 15.0})
    street_pm = np.r_[[20.0] * 24, [40.0] * 24]
    street_pm[3] = -999.0      # a sentinel: must not drag the first day's mean down
    street_pm[30] = 3000.0     # a burst: must not lift the second day's mean
    street = pd.DataFrame({"timestamp": times, "site_id": "sdot-101-01", "pm25": street_pm,
                           "humidity": np.r_[[40.0] * 24, [80.0] * 24], "temperature": 16.0})
    lonely = street.assign(site_id="sdot-101-02")  # not co-located: must not appear
    readings = pd.concat([ref, street, lonely], ignore_index=True)
    sites = pd.DataFrame({"site_id": ["ref-101", "sdot-101-01", "sdot-101-02"],
                          "kind": ["reference", "street", "street"], "district": "Jongno-gu",
                          "district_ko": "종로구", "lat": 37.57, "lon": 127.0,
                          "colocated_with": [pd.NA, "ref-101", pd.NA]})
    return SensorData(readings=readings, sites=sites, name="tiny")


def test_colocated_pairs_daily_means_skip_faults():
    pairs = colocated_pairs(_tiny_city())
    assert pairs["site_id"].tolist() == ["sdot-101-01", "sdot-101-01"]
    assert pairs["reference_id"].tolist() == ["ref-101", "ref-101"]
    assert pairs["pm25_raw"].tolist() == [20.0, 40.0]      # faults left out of the means
    assert pairs["pm25_ref"].tolist() == [10.0, 20.0]
    assert pairs["humidity"].tolist() == [40.0, 80.0]      # the street sensor's own humidity
    assert pairs["timestamp"].dt.hour.eq(0).all() and str(pairs["timestamp"].dt.tz) == TZ


def test_colocated_pairs_drop_days_with_too_few_readings():
    city = _tiny_city()
    r = city.readings
    # Street sensor loses 10 of the second day's 24 hours: 14/24 < 75 %, so that day goes.
    gone = (r["site_id"] == "sdot-101-01") & (r["timestamp"] >= pd.Timestamp("2024-05-02 10:00", tz=TZ)) \
        & (r["timestamp"] < pd.Timestamp("2024-05-02 20:00", tz=TZ))
    city = SensorData(readings=r[~gone], sites=city.sites, name="tiny")
    assert colocated_pairs(city)["pm25_raw"].tolist() == [20.0]


def test_colocated_pairs_hourly_and_separate_reference():
    city = _tiny_city()
    ref = SensorData(readings=city.readings[city.readings["site_id"] == "ref-101"], sites=city.sites, name="ref")
    street = SensorData(readings=city.readings[city.readings["site_id"] != "ref-101"], sites=city.sites, name="street")
    pairs = colocated_pairs(street, reference=ref, freq="1h")
    assert len(pairs) == 46  # 48 hours minus the sentinel hour and the burst hour
    assert (pairs["pm25_raw"] == 2 * pairs["pm25_ref"]).all()


def test_colocated_pairs_errors_name_the_problem():
    city = _tiny_city()
    no_coloc = SensorData(readings=city.readings, sites=city.sites.assign(colocated_with=pd.NA), name="x")
    with pytest.raises(ValueError, match="co-located"):
        colocated_pairs(no_coloc)
    with pytest.raises(ValueError, match="no column 'noise'"):
        colocated_pairs(city, sensor_columns=["pm25", "noise"])


def test_epa_correction_formula_clipping_and_ranges():
    # 0.524*30 - 0.0862*60 + 5.75 = 15.72 - 5.172 + 5.75
    assert epa_correction(30.0, 60.0) == pytest.approx(16.298)
    assert epa_correction(0.0, 100.0) == 0.0                 # clipped, never negative
    out = epa_correction(np.array([10.0, 344.0, 10.0, -1.0]), np.array([50.0, 50.0, 101.0, 50.0]))
    assert out[0] == pytest.approx(6.68) and np.isnan(out[1:]).all()
    s = epa_correction(pd.Series([20.0, 40.0], index=["a", "b"]), pd.Series([50.0, 50.0], index=["a", "b"]))
    assert s.index.tolist() == ["a", "b"] and s["b"] - s["a"] == pytest.approx(0.524 * 20)


def test_fit_calibration_recovers_a_known_line_and_humidity_term():
    rng = np.random.default_rng(0)
    ref = rng.uniform(5, 80, 300)
    rh = rng.uniform(20, 95, 300)
    raw = 1.6 * ref + 0.2 * rh - 3.0          # the sensor's made-up response
    pairs = pd.DataFrame({"pm25_raw": raw, "humidity": rh, "pm25_ref": ref})
    cal = fit_calibration(pairs, ["pm25_raw", "humidity"])
    # Inverting raw = 1.6 ref + 0.2 rh - 3 gives ref = raw/1.6 - 0.125 rh + 1.875.
    coef = cal.coefficients
    assert coef["pm25_raw"] == pytest.approx(1 / 1.6) and coef["humidity"] == pytest.approx(-0.125)
    assert coef["intercept"] == pytest.approx(1.875)
    assert "humidity" in cal.equation()
    only_raw = fit_calibration(pairs, "pm25_raw")
    assert metrics(ref, cal.predict(pairs))["rmse"] < metrics(ref, only_raw.predict(pairs))["rmse"]


@pytest.mark.parametrize("model", ["tree", "forest"])
def test_tree_models_fit_and_predict_nan_where_features_missing(model):
    x = np.linspace(0, 100, 200)
    pairs = pd.DataFrame({"pm25_raw": x, "pm25_ref": np.where(x < 50, x / 2, x)})
    cal = fit_calibration(pairs, ["pm25_raw"], model=model)
    pred = cal.predict(pd.DataFrame({"pm25_raw": [10.0, np.nan, 90.0]}))
    assert np.isnan(pred.iloc[1]) and pred.iloc[0] < 10 and pred.iloc[2] > 80
    assert cal.coefficients == {}


def test_fit_calibration_rejects_bad_input():
    pairs = pd.DataFrame({"pm25_raw": [1.0, 2.0], "pm25_ref": [1.0, 2.0]})
    with pytest.raises(ValueError, match="no column 'humidity'"):
        fit_calibration(pairs, ["pm25_raw", "humidity"])
    with pytest.raises(ValueError, match="complete rows"):
        fit_calibration(pairs, ["pm25_raw"])
    with pytest.raises(ValueError, match="model must be"):
        fit_calibration(pd.concat([pairs] * 3), ["pm25_raw"], model="magic")


def test_metrics_by_hand():
    m = metrics([10.0, 20.0, 30.0, np.nan], [14.0, 18.0, 40.0, 5.0])
    # errors 4, -2, 10 (the NaN pair is skipped)
    assert m["n"] == 3 and m["mae"] == pytest.approx(16 / 3) and m["bias"] == pytest.approx(4.0)
    assert m["rmse"] == pytest.approx(np.sqrt(120 / 3))
    assert m["r2"] == pytest.approx(1 - 120 / 200)
    assert m["slope"] == pytest.approx(1.3) and m["intercept"] == pytest.approx(24 - 26)
    with pytest.raises(ValueError, match="y_pred has 2"):
        metrics([1.0, 2.0, 3.0], [1.0, 2.0])


def test_calibration_table_flags_epa_targets():
    ref = np.arange(10.0, 60.0)
    table = calibration_table(ref, {"good": ref + 1.0, "too_steep": 2.0 * ref})
    assert table.loc["good", "meets_epa"] and not table.loc["too_steep", "meets_epa"]
    assert set(EPA_TARGETS) <= set(table.columns)


def test_real_sdot_calibration_numbers(real_data_dir):
    """The city's own correction: r 0.648 raw -> 0.809 corrected (research/data.md section 4)."""
    from sensorlab.datasets import fetch_sdot_daily, fetch_station_daily

    pairs = colocated_pairs(fetch_sdot_daily(), reference=fetch_station_daily(years=[2020]))
    assert pairs["site_id"].nunique() == 25
    both = pairs.dropna(subset=["pm25_corrected"])
    r_raw = np.corrcoef(both["pm25_raw"], both["pm25_ref"])[0, 1]
    r_cor = np.corrcoef(both["pm25_corrected"], both["pm25_ref"])[0, 1]
    assert r_raw == pytest.approx(0.648, abs=0.005) and r_cor == pytest.approx(0.809, abs=0.005)
    raw, cor = metrics(both["pm25_ref"], both["pm25_raw"]), metrics(both["pm25_ref"], both["pm25_corrected"])
    assert raw["slope"] == pytest.approx(1.075, abs=0.01) and cor["slope"] == pytest.approx(1.016, abs=0.01)
    assert cor["mae"] == pytest.approx(4.60, abs=0.05) and raw["mae"] > cor["mae"]
    # A Seoul-fitted line on the first months beats the raw reading on the later ones.
    train, test = both[both["timestamp"] < "2020-09-01"], both[both["timestamp"] >= "2020-09-01"]
    cal = fit_calibration(train, ["pm25_raw", "humidity"])
    assert metrics(test["pm25_ref"], cal.predict(test))["rmse"] < metrics(test["pm25_ref"], test["pm25_raw"])["rmse"]


def test_colocated_pairs_for_chosen_sensors_only():
    city = _tiny_city()
    assert colocated_pairs(city, sites=["sdot-101-01"])["pm25_raw"].tolist() == [20.0, 40.0]
    with pytest.raises(ValueError, match="'sdot-101-02' is not a co-located"):
        colocated_pairs(city, sites=["sdot-101-02"])


def test_holdout_predictions_fit_before_and_score_after_the_cutoff():
    days = pd.date_range("2024-08-25", periods=14, freq="D", tz=TZ)
    ref = np.arange(10.0, 24.0)
    pairs = pd.DataFrame({"timestamp": np.tile(days, 2), "site_id": ["a"] * 14 + ["b"] * 14,
                          "pm25_raw": np.r_[2 * ref, 3 * ref], "pm25_ref": np.r_[ref, ref], "humidity": 50.0})
    test = holdout_predictions(pairs, ["pm25_raw"], cutoff="2024-09-01", site_id="a")
    assert test["timestamp"].min() == pd.Timestamp("2024-09-01", tz=TZ) and set(test["site_id"]) == {"a"}
    assert np.allclose(test["predicted"], test["pm25_ref"]) and np.allclose(test["residual"], 0)
    assert test.attrs["calibration"].coefficients["pm25_raw"] == pytest.approx(0.5)
    with pytest.raises(ValueError, match="no pairs for site 'zz'"):
        holdout_predictions(pairs, site_id="zz")


def test_calibration_explorer_logic_and_static_figure():
    """The module 06 explorer: its drawing function and its headless (static) form."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sensorlab import calibration_figure, messages

    days = pd.date_range("2024-06-01", periods=200, freq="D", tz=TZ)
    rng = np.random.default_rng(2)
    ref = rng.gamma(4, 6, 200)
    rh = rng.uniform(30, 95, 200)
    pairs = pd.DataFrame({"timestamp": days, "site_id": "sdot-101-01", "district": "Jongno-gu",
                          "pm25_raw": 1.4 * ref * (1 + 0.3 * (rh > 70)), "humidity": rh,
                          "temperature": 20.0, "pm25_ref": ref})
    test = holdout_predictions(pairs, ["pm25_raw", "humidity"], cutoff="2024-11-01")
    fig = calibration_figure.draw_calibration(test, lang="en")
    left, right = fig.axes[:2]
    assert "Reference" in left.get_xlabel() and "µg/m³" in left.get_ylabel() and "%RH" in right.get_xlabel()
    assert "RMSE" in left.get_legend().get_texts()[0].get_text()
    plt.close(fig)
    explorer = calibration_figure.calibration_explorer(pairs, model="tree", features="m06.features.raw_rh_t",
                                            cutoff="2024-11-01", static=True)
    assert explorer.values() == {"site_id": "sdot-101-01", "model": "tree", "features": "m06.features.raw_rh_t"}
    bundle = explorer._repr_mimebundle_()
    assert bundle["image/png"] and "Explorer(" in bundle["text/plain"]
    # The summary names the choices in words, never by their message key.
    assert "m06." not in bundle["text/plain"] and "decision tree" in bundle["text/plain"]
    before = messages.get_language()
    messages.set_language("ko")
    try:
        korean_summary = calibration_figure.calibration_explorer(pairs, cutoff="2024-11-01", static=True)._repr_mimebundle_()
    finally:
        messages.set_language(before)
    assert "보정 전 PM2.5만" in korean_summary["text/plain"] and "m06." not in korean_summary["text/plain"]
    korean = calibration_figure.draw_calibration(test, lang="ko")
    assert "측정소" in korean.axes[0].get_xlabel()
    plt.close("all")


def test_pairs_of_a_load_without_the_stations_say_which_station_to_load():
    """A lean load of street sensors only used to give an empty table of pairs without a word."""
    from sensorlab.datasets import load_city

    day = {"start": "2024-05-01", "end": "2024-05-03", "truth": False}
    for street in (load_city("pm25", kind="street", districts="마포구", **day),
                   load_city("pm25", sites=["sdot-101-01", "sdot-106-01", "ref-101"], **day)):
        with pytest.raises(ValueError, match="ref-106"):
            colocated_pairs(street)
    both = load_city("pm25", sites=["sdot-106-01", "ref-106"], **day)
    assert len(colocated_pairs(both)) == 3


def test_bootstrap_lines_are_reproducible_skip_gaps_and_narrow_with_more_days():
    import numpy as np
    import pandas as pd

    from sensorlab.calibration import bootstrap_lines

    rng = np.random.default_rng(3)

    def pairs(n):
        raw = rng.uniform(5, 60, n)
        return pd.DataFrame({"pm25_raw": raw, "pm25_ref": 1.5 * raw + 2 + rng.normal(0, 4, n)})

    few, many = pairs(30), pairs(600)
    first, again = bootstrap_lines(few, n_boot=300, seed=7), bootstrap_lines(few, n_boot=300, seed=7)
    pd.testing.assert_frame_equal(first, again)
    assert list(first.columns) == ["slope", "intercept"] and len(first) == 300
    wide, narrow = first["slope"].std(), bootstrap_lines(many, n_boot=300, seed=7)["slope"].std()
    assert narrow < wide / 2  # about 1/sqrt(20) as wide with 20 times the days
    assert abs(bootstrap_lines(many, n_boot=300, seed=1)["slope"].median() - 1.5) < 0.05
    with_gaps = pd.concat([few, pd.DataFrame({"pm25_raw": [np.nan], "pm25_ref": [10.0]})], ignore_index=True)
    pd.testing.assert_frame_equal(bootstrap_lines(with_gaps, n_boot=50, seed=7), bootstrap_lines(few, n_boot=50, seed=7))
    with pytest.raises(ValueError, match="at least 3"):
        bootstrap_lines(few.head(2))
