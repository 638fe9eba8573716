"""Tests of sensorlab.cleaning: every check flags, nothing is deleted, scores count right."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sensorlab import cleaning
from sensorlab.datasets import make_city

TZ = "Asia/Seoul"


def hourly(values, site="sdot-101-01", start="2024-05-01", column="pm25"):
    ts = pd.date_range(start, periods=len(values), freq="1h", tz=TZ)
    return pd.DataFrame({"timestamp": ts, "site_id": site, column: values})


def test_out_of_range_uses_the_dictionary_and_inclusive_limits():
    """Is a value equal to a limit kept, one step beyond it flagged, and NaN left alone?"""
    noise = pd.Series([35.0, 34.9, 85.0, 85.1, np.nan])
    assert cleaning.flag_out_of_range(noise, "noise").tolist() == [False, True, False, True, False]


def test_out_of_range_seoul_dictionary_is_tighter_than_the_sensor():
    """Does 60 °C pass the sensor range (-50..80) but fail Seoul's climate range?"""
    t = pd.Series([60.0])
    assert not cleaning.flag_out_of_range(t, "temperature").item()
    assert cleaning.flag_out_of_range(t, "temperature", ranges=cleaning.SEOUL_RANGES).item()


def test_out_of_range_explains_an_unknown_quantity():
    """Does an unknown quantity name raise an error that names it?"""
    with pytest.raises(KeyError, match="co2"):
        cleaning.flag_out_of_range(pd.Series([1.0]), "co2")
    with pytest.raises(ValueError):
        cleaning.flag_out_of_range(pd.Series([1.0]))


def test_out_of_range_accepts_a_one_sided_limit():
    """With only high= given, is nothing flagged for being low?"""
    assert cleaning.flag_out_of_range(pd.Series([-5.0, 5.0, 50.0]), high=10).tolist() == [False, False, True]


def test_sentinels_zeros_missing_keep_the_index():
    """Do the simple checks return booleans on the caller's own index?"""
    s = pd.Series([-999.0, 0.0, np.nan, 7.0], index=[10, 11, 12, 13])
    assert cleaning.flag_sentinels(s).tolist() == [True, False, False, False]
    assert cleaning.flag_zeros(s).tolist() == [False, True, False, False]
    assert cleaning.flag_missing(s).tolist() == [False, False, True, False]
    assert list(cleaning.flag_sentinels(s).index) == [10, 11, 12, 13]


def test_sentinels_read_from_text():
    """Are readings stored as text ("-999") still recognised?"""
    assert cleaning.flag_sentinels(pd.Series(["-999", "12.5", "bad"])).tolist() == [True, False, False]


def test_spike_in_a_smooth_series_is_found_and_only_it():
    """A single 10x jump among gently rising values: is exactly that reading flagged?"""
    values = 20.0 + np.arange(30) * 0.5 + np.tile([0.3, -0.2, 0.1], 10)
    values[17] = 250.0
    flags = cleaning.flag_spikes(pd.Series(values))
    assert np.flatnonzero(flags).tolist() == [17]


def test_spike_threshold_trades_recall_for_precision():
    """A moderate bump: flagged with a low n_mad, not with a high one."""
    values = np.tile([10.0, 11.0, 10.5, 9.5], 10)
    values[21] = 16.0  # about 5 from its neighbours; the usual step is about 1
    series = pd.Series(values)
    assert cleaning.flag_spikes(series, n_mad=2)[21]
    assert not cleaning.flag_spikes(series, n_mad=20)[21]


def test_spike_window_must_be_odd_and_at_least_three():
    with pytest.raises(ValueError, match="odd"):
        cleaning.flag_spikes(pd.Series([1.0, 2.0, 3.0]), window=4)


def test_spike_ignores_missing_readings():
    """Is a missing reading never called a spike, and does a gap not create one?"""
    s = pd.Series([10.0, 11.0, np.nan, np.nan, 10.5, 10.0, 11.0, 10.5])
    assert not cleaning.flag_spikes(s).any()


def test_stuck_flags_runs_from_min_run_on():
    """A run of exactly min_run repeats is stuck; one shorter is not."""
    s = pd.Series([1.0, 2, 2, 2, 3, 4, 4, 4, 4, 5])
    flags = cleaning.flag_stuck(s, min_run=4, include_first=True)
    assert np.flatnonzero(flags).tolist() == [5, 6, 7, 8]
    repeats_only = cleaning.flag_stuck(s, min_run=4)
    assert np.flatnonzero(repeats_only).tolist() == [6, 7, 8]


def test_stuck_tolerance_and_missing_values_break_runs():
    """Readings within the tolerance count as equal; a NaN ends the run."""
    s = pd.Series([5.0, 5.01, 4.99, 5.0, np.nan, 5.0, 5.0])
    assert cleaning.flag_stuck(s, min_run=4, tolerance=0.05, include_first=True).tolist() == \
        [True, True, True, True, False, False, False]
    assert not cleaning.flag_stuck(s, min_run=4).any()


def test_network_fault_needs_many_sensors_at_once():
    """One dry sensor is not a network fault; three of four at the same hour are."""
    ts = pd.date_range("2020-04-01", periods=2, freq="1h", tz=TZ)
    frame = pd.DataFrame({"timestamp": ts.repeat(4), "site_id": list("abcd") * 2,
                          "humidity": [60, 3, 58, 61,  4, 5, 3, 62]})
    flags = cleaning.flag_network_fault(frame, "humidity")
    assert flags.tolist() == [False, False, False, False, True, True, True, False]


def test_network_fault_only_among_the_given_sites():
    """Sites outside site_ids are neither counted nor flagged."""
    ts = pd.date_range("2020-04-01", periods=1, freq="1h", tz=TZ)
    frame = pd.DataFrame({"timestamp": ts.repeat(4), "site_id": ["a", "b", "c", "ref"],
                          "humidity": [4.0, 5.0, 3.0, 2.0]})
    flags = cleaning.flag_network_fault(frame, "humidity", site_ids=["a", "b", "c"])
    assert flags.tolist() == [True, True, True, False]
    assert not cleaning.flag_network_fault(frame, "humidity", min_sites=5).any()


def test_flag_all_labels_by_priority_and_never_drops_rows():
    """A -999 is a sentinel (not out of range); rows, index and values stay as they were."""
    r = pd.concat([hourly([12.0, 13.0, -999.0, 12.0, 0.0, 13.0, np.nan, 12.0, 1600.0, 13.0]),
                   hourly([30.0] * 10, site="sdot-101-02")], ignore_index=True)
    r.index = r.index + 100  # a non-default index must be kept
    before = r.copy()
    labels = cleaning.flag_all(r, ["pm25"])
    pd.testing.assert_frame_equal(r, before)
    assert labels.index.equals(r.index)
    assert labels["fault_pm25"].iloc[:10].tolist() == [
        "none", "none", "sentinel", "none", "zero", "none", "missing", "none", "out_of_range", "none"]
    assert (labels["fault_pm25"].iloc[10:] == "stuck").all()


def test_flag_all_pairs_temperature_and_humidity():
    """-40 °C makes the humidity beside it a sentinel; 0 °C counts as zero only with 0 %RH."""
    r = hourly([20.0, -40.0, 0.0, 0.0, 21.0], column="temperature")
    r["humidity"] = [55.0, 100.0, 0.0, 60.0, 54.0]
    labels = cleaning.flag_all(r, ["temperature", "humidity"])
    assert labels["fault_temperature"].tolist() == ["none", "sentinel", "zero", "none", "none"]
    assert labels["fault_humidity"].tolist() == ["none", "sentinel", "zero", "none", "none"]


def test_flag_all_works_site_by_site_in_time_order():
    """Shuffled rows of two sites: a spike is found in its own site's time order."""
    a = hourly(list(10.0 + np.tile([0.0, 1.0, 0.5], 8)), site="a")
    a.loc[12, "pm25"] = 400.0
    b = hourly(list(50.0 + np.tile([0.0, 2.0, 1.0], 8)), site="b")
    r = pd.concat([a, b], ignore_index=True).sample(frac=1.0, random_state=3)
    labels = cleaning.flag_all(r, ["pm25"])
    spikes = r.loc[labels["fault_pm25"] == "spike"]
    assert spikes[["site_id", "pm25"]].values.tolist() == [["a", 400.0]]


def test_flag_all_complains_about_a_missing_column():
    with pytest.raises(KeyError, match="no2"):
        cleaning.flag_all(hourly([1.0, 2.0]), ["no2"])


def test_score_flags_counts_by_hand():
    """Precision, recall and F1 against counts worked out by hand."""
    truth = pd.Series(["none", "spike", "spike", "stuck", "none", "not_measured"])
    mine = pd.Series(["none", "spike", "none", "spike", "zero", "missing"])
    table = cleaning.score_flags(mine, truth)
    # not_measured is ignored; 3 true faults, 3 flags, 2 of the flags on true faults
    assert table.loc["any fault", "n_true"] == 3
    assert table.loc["any fault", "n_flagged"] == 3
    assert table.loc["any fault", "n_caught"] == 2
    assert table.loc["any fault", "precision"] == pytest.approx(2 / 3)
    assert table.loc["any fault", "recall"] == pytest.approx(2 / 3)
    assert table.loc["any fault", "f1"] == pytest.approx(2 / 3)
    assert table.loc["spike", "recall"] == pytest.approx(0.5)
    assert table.loc["stuck", "recall"] == pytest.approx(1.0)  # caught, even if called a spike
    assert "not_measured" not in table.index


def test_score_flags_with_no_flags_has_zero_recall_and_undefined_precision():
    table = cleaning.score_flags(pd.Series([False, False]), pd.Series(["spike", "none"]))
    assert table.loc["any fault", "recall"] == 0
    assert np.isnan(table.loc["any fault", "precision"])


def test_score_flags_rejects_misaligned_inputs():
    with pytest.raises(ValueError, match="match"):
        cleaning.score_flags(pd.Series([True]), pd.Series(["none", "spike"]))


def test_compare_flags_counts_pairs():
    truth = pd.Series(["none", "zero", "zero", "none"])
    mine = pd.Series([False, True, False, True])
    table = cleaning.compare_flags(mine, truth)
    assert table.loc["flagged", "zero"] == 1 and table.loc["none", "zero"] == 1
    assert table.loc["flagged", "none"] == 1


def test_mask_flagged_keeps_rows_and_blanks_values():
    r = hourly([-999.0, 10.0, 0.0])
    masked = cleaning.mask_flagged(r, cleaning.flag_all(r, ["pm25"]))
    assert len(masked) == 3
    assert masked["pm25"].isna().tolist() == [True, False, True]
    assert r["pm25"].tolist() == [-999.0, 10.0, 0.0]


def test_resample_with_gaps_marks_low_coverage_as_missing():
    """Day 1 complete (mean 10), day 2 has 12 of 24 hours: NaN at 75 %, a mean at 50 %."""
    r = hourly([10.0] * 24 + [20.0] * 12 + [np.nan] * 12)
    strict = cleaning.resample_with_gaps(r, "1D", ["pm25"], min_coverage=0.75)
    assert strict["pm25"].iloc[0] == 10.0 and np.isnan(strict["pm25"].iloc[1])
    assert strict["coverage_pm25"].tolist() == [1.0, 0.5]
    loose = cleaning.resample_with_gaps(r, "1D", ["pm25"], min_coverage=0.5)
    assert loose["pm25"].tolist() == [10.0, 20.0]


def test_resample_with_gaps_makes_absent_rows_visible():
    """Rows that are simply not there (a logger that was off) become NaN steps, per site."""
    r = hourly([1.0] * 72)
    r = r.drop(index=range(24, 48))  # the whole second day is absent
    r2 = hourly([5.0] * 72, site="other")
    out = cleaning.resample_with_gaps(pd.concat([r, r2]), "1D", ["pm25"])
    mine = out[out["site_id"] == "sdot-101-01"]
    assert len(mine) == 3
    assert mine["pm25"].isna().tolist() == [False, True, False]
    assert out.loc[out["site_id"] == "other", "pm25"].tolist() == [5.0, 5.0, 5.0]


def test_sensor_dictionary_lists_every_range_with_a_unit():
    table = cleaning.sensor_dictionary()
    assert set(table["quantity"]) == set(cleaning.SENSOR_RANGES)
    assert (table["low"] < table["high"]).all()
    assert table["unit"].notna().all()


@pytest.fixture(scope="module")
def spring_city():
    # April holds the network-wide humidity fault of the synthetic city, as in real 2020
    return make_city(seed=11, start="2024-03-25", end="2024-05-05", street_per_district=2)


def test_flag_all_finds_the_synthetic_citys_faults(spring_city):
    """On a generated city, do the default checks catch the faults a single series can show?"""
    labels = cleaning.flag_all(spring_city.readings, ["pm25", "humidity", "temperature"],
                               sites=spring_city.sites)
    hum = cleaning.score_flags(labels["fault_humidity"], spring_city.truth["fault_humidity"])
    assert hum.loc["network_fault", "recall"] > 0.95
    assert hum.loc["any fault", "precision"] > 0.9
    pm = cleaning.score_flags(labels["fault_pm25"], spring_city.truth["fault_pm25"])
    for kind in ("sentinel", "zero", "missing"):
        assert pm.loc[kind, "recall"] == 1.0
    assert pm.loc["spike", "recall"] > 0.8
    # calibration faults (drift, humid inflation) need a reference: the checks cannot see them
    calibration = [k for k in ("drift", "humidity_artifact") if k in pm.index]
    assert calibration, "the spring city should contain humid-air PM inflation"
    assert (pm.loc[calibration, "recall"] < 0.1).all()


# --- module 04's exercises: the lesson's solution passes, plausible mistakes get advice -------

@pytest.fixture(scope="module")
def street_city():
    from sensorlab.datasets import load_city

    city = load_city()
    ids = city.sites.loc[city.sites["kind"] == "street", "site_id"]
    return city, city.readings[city.readings["site_id"].isin(ids)]


def _one(street, site):
    one = street[street["site_id"] == site].set_index("timestamp").sort_index()
    return one["pm25"].where(one["pm25"] > 0), one["pm25"]


def test_module_04_exercises_accept_solutions_and_explain_mistakes(street_city):
    from sensorlab import check

    city, street = street_city
    t, pm = street["temperature"], street["pm25"]
    seoul = cleaning.flag_out_of_range(t, "temperature", ranges=cleaning.SEOUL_RANGES)
    pm_bad = cleaning.flag_sentinels(pm) | cleaning.flag_zeros(pm)
    spiky, spiky_raw = _one(street, "sdot-122-01")
    stuck_pm, _ = _one(street, "sdot-107-01")
    network = cleaning.flag_network_fault(street, "humidity")
    labels = cleaning.flag_all(street, ["pm25"], sites=city.sites)["fault_pm25"]
    truth = city.truth.loc[street.index, "fault_pm25"]
    bad, flagged = truth != "none", labels != "none"
    score = cleaning.score_flags(labels, truth).drop(index="any fault")
    cases = {
        "04.1-too-hot": (int(seoul.sum()), [int(cleaning.flag_out_of_range(t, "temperature").sum()), seoul]),
        "04.1-worst-site": (street[seoul].groupby("site_id").size().idxmax(), ["sdot-999-99", "ref-101"]),
        "04.2-pm-bad": (pm_bad, [cleaning.flag_sentinels(pm), cleaning.flag_zeros(pm), pm]),
        "04.2-clean-mean": (float(pm.where(~pm_bad).mean()),
                            [float(pm.mean()), float(pm.where(~cleaning.flag_sentinels(pm)).mean())]),
        "04.2-th-sentinel": (int(((street["temperature"] == -40) & (street["humidity"] == 100)).sum()),
                             [int(((street["temperature"] == -40) | (street["humidity"] == 100)).sum())]),
        "04.3-spike-count": (int(cleaning.flag_spikes(spiky).sum()), [int(cleaning.flag_spikes(spiky).sum()) + 1, spiky]),
        "04.3-stuck-count": (int(cleaning.flag_stuck(stuck_pm, min_run=6, include_first=True).sum()),
                             [int(cleaning.flag_stuck(stuck_pm, min_run=6).sum())]),
        "04.3-sweep": (pd.Series({n: int(cleaning.flag_spikes(spiky, n_mad=n).sum()) for n in (3, 5, 8, 12)}),
                       [pd.Series({n: int(cleaning.flag_spikes(spiky_raw, n_mad=n).sum()) for n in (3, 5, 8, 12)}) + 1]),
        "04.4-fault-days": (street.loc[network, "timestamp"].dt.date.nunique(), [int(network.sum())]),
        "04.5-recall": (float((bad & flagged).sum() / bad.sum()), [float((bad & flagged).sum() / flagged.sum())]),
        "04.5-precision": (float((bad & flagged).sum() / flagged.sum()), [float((bad & flagged).sum() / bad.sum())]),
        "04.5-missed-kinds": (sorted(score.index[score["recall"] < 0.5]), [["drift"], list(score.index)]),
    }
    for exercise_id, (right, wrongs) in cases.items():
        result = check.evaluate(exercise_id, right)
        assert result, (exercise_id, result.text(lang="en"))
        for wrong in wrongs:
            result = check.evaluate(exercise_id, wrong)
            assert result.status == "wrong", (exercise_id, result.text(lang="en"))
    # the specific advice, not only "wrong"
    assert "SEOUL_RANGES" in check.evaluate("04.1-too-hot", int(cleaning.flag_out_of_range(t, "temperature").sum())).text(lang="en")
    assert "zeros" in check.evaluate("04.2-pm-bad", cleaning.flag_sentinels(pm)).text(lang="en")
    assert "precision" in check.evaluate("04.5-recall", float((bad & flagged).sum() / flagged.sum())).text(lang="en")


def test_module_04_university_exercises(street_city):
    from sensorlab import check

    city, street = street_city
    site = street[street["site_id"] == "sdot-122-01"]
    daily = cleaning.resample_with_gaps(cleaning.mask_flagged(site, cleaning.flag_all(site, ["pm25"])), "1D", ["pm25"])
    assert check.evaluate("04.4-gap-days", int(daily["pm25"].isna().sum()))
    assert not check.evaluate("04.4-gap-days", int(daily["pm25"].isna().sum()) + 1)
    labels = cleaning.flag_all(street, ["humidity"], sites=city.sites)["fault_humidity"]
    f1 = cleaning.score_flags(labels, city.truth.loc[street.index, "fault_humidity"]).loc["any fault", "f1"]
    assert check.evaluate("04.5-humidity-f1", float(f1))
    assert not check.evaluate("04.5-humidity-f1", float(f1) / 2)


@pytest.mark.realdata
@pytest.mark.slow
def test_network_fault_finds_the_real_april_2020_humidity_fault(real_data_dir):
    """On the real S-DoT 2020 daily file: is the network-wide RH fault found, 4-22 April, 19 days?"""
    from sensorlab.datasets import fetch_sdot_daily

    real = fetch_sdot_daily()
    flags = cleaning.flag_network_fault(real.readings, "humidity")
    days = real.readings.loc[flags, "timestamp"].dt.date
    assert days.nunique() == 19
    assert str(days.min()) == "2020-04-04" and str(days.max()) == "2020-04-22"
    # most sensors were affected on those days, yet nothing outside them is called a network fault
    assert flags.sum() > 0.5 * real.readings["timestamp"].dt.date.isin(set(days)).sum()
