"""Tests of sensorlab.stats on small tables whose answers can be worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sensorlab import stats
from sensorlab.datasets import stations

TZ = "Asia/Seoul"


def frame(values, start="2024-01-01", freq="1h", site="ref-101", column="pm25"):
    ts = pd.date_range(start, periods=len(values), freq=freq, tz=TZ)
    return pd.DataFrame({"timestamp": ts, "site_id": site, column: values})


def test_time_features_are_in_seoul_time():
    """15:00 UTC on Friday is 00:00 on Saturday in Seoul: hour 0, weekend."""
    r = pd.DataFrame({"timestamp": pd.to_datetime(["2024-03-01 15:00"]).tz_localize("UTC")})
    f = stats.add_time_features(r)
    assert f[["hour", "weekday", "is_weekend", "month", "season"]].values.tolist() == [[0, 5, True, 3, "spring"]]
    assert f["date"].iloc[0] == pd.Timestamp("2024-03-02")


def test_diurnal_cycle_recovers_a_known_shape():
    """A value equal to its hour, for three days: the cycle is 0..23 exactly."""
    r = frame([float(h) for h in range(24)] * 3)
    assert stats.diurnal_cycle(r, "pm25").tolist() == [float(h) for h in range(24)]


def test_cycle_fills_missing_periods_with_nan_and_splits_by_group():
    r = frame([1.0, 2.0, 3.0], freq="1D")  # Monday, Tuesday, Wednesday
    weekly = stats.weekly_cycle(r, "pm25")
    assert len(weekly) == 7 and weekly.iloc[:3].tolist() == [1.0, 2.0, 3.0] and weekly.iloc[3:].isna().all()
    two_weeks = frame([10.0] * 5 + [4.0] * 2 + [20.0] * 5 + [6.0] * 2, freq="1D")
    two_weeks["half"] = ["first"] * 7 + ["second"] * 7
    split = stats.weekly_cycle(two_weeks, "pm25", by="half")
    assert split.loc[0, "first"] == 10.0 and split.loc[6, "second"] == 6.0


def test_cycle_rejects_unknown_period_and_column():
    with pytest.raises(ValueError, match="period"):
        stats.cycle(frame([1.0]), "pm25", period="minute")
    with pytest.raises(KeyError, match="no2"):
        stats.cycle(frame([1.0]), "no2")


def test_seasonal_cycle_by_month():
    r = frame([10.0] * 31 + [20.0] * 29, freq="1D")  # January then February 2024
    s = stats.seasonal_cycle(r, "pm25")
    assert s[1] == 10.0 and s[2] == 20.0 and s.loc[3:].isna().all()


def test_daily_means_average_over_sites_and_hours():
    a = frame([10.0] * 24, site="a")
    b = frame([30.0] * 24, site="b")
    assert stats.daily_means(pd.concat([a, b]), "pm25").tolist() == [20.0]


def test_weekend_effect_by_hand():
    """Weekdays 0.030, weekends 0.024: 20 % lower at weekends."""
    r = frame(([0.030] * 5 + [0.024] * 2) * 3, freq="1D", column="no2")
    effect = stats.weekend_effect(r, "no2")
    assert effect["weekday"] == pytest.approx(0.030)
    assert effect["weekend"] == pytest.approx(0.024)
    assert effect["change_percent"] == pytest.approx(-20.0)


def test_episodes_find_runs_above_the_threshold():
    days = pd.date_range("2024-03-01", periods=10, freq="1D")
    pm = pd.Series([10, 80, 90, 10, 40, 10, 50, 60, 70, 40], index=days, dtype=float)
    found = stats.episodes(pm, 35)
    assert found["length"].tolist() == [2, 1, 4]
    assert found["start"].tolist() == [days[1], days[4], days[6]]
    assert found["end"].tolist() == [days[2], days[4], days[9]]
    assert found["peak"].tolist() == [90.0, 40.0, 70.0]
    assert stats.episodes(pm, 35, min_length=3)["mean"].tolist() == [55.0]
    assert stats.episodes(pm, 100).empty


def test_heat_island_anomalies_sum_to_zero_and_sort_warmest_first():
    st = stations()
    rows = []
    for site, t in (("ref-101", 28.0), ("ref-102", 27.0), ("ref-113", 25.0)):
        rows.append(frame([t] * 6, site=site, column="temperature"))
    r = pd.concat(rows)
    table = stats.heat_island(r, st)
    assert table["district"].tolist() == ["Jongno-gu", "Jung-gu", "Dobong-gu"]
    assert table["anomaly"].tolist() == pytest.approx([1.3333333, 0.3333333, -1.6666667])
    assert table["anomaly"].sum() == pytest.approx(0.0)
    assert table["district_ko"].iloc[0] == "종로구"


def test_heat_island_can_keep_only_night_hours_and_a_kind():
    st = stations()
    warm_nights = frame([30.0 if h < 6 else 20.0 for h in range(24)], site="ref-101", column="temperature")
    flat = frame([22.0] * 24, site="ref-113", column="temperature")
    r = pd.concat([warm_nights, flat])
    night = stats.heat_island(r, st, hours=range(0, 6))
    assert night.set_index("district").loc["Jongno-gu", "anomaly"] == pytest.approx(4.0)
    assert stats.heat_island(r, st, kind="street").empty


def test_heat_island_night_hours_are_seoul_hours_whatever_the_zone():
    st = stations()
    warm_nights = frame([30.0 if h < 6 else 20.0 for h in range(24)], site="ref-101", column="temperature")
    flat = frame([22.0] * 24, site="ref-113", column="temperature")
    seoul = pd.concat([warm_nights, flat])
    utc = seoul.assign(timestamp=seoul["timestamp"].dt.tz_convert("UTC"))
    pd.testing.assert_frame_equal(stats.heat_island(utc, st, hours=range(0, 6)),
                                  stats.heat_island(seoul, st, hours=range(0, 6)))
    assert stats.heat_island(utc, st, hours=range(0, 6))["anomaly"].max() == pytest.approx(4.0)


def test_binned_medians_by_hand():
    f = pd.DataFrame({"rh": [20, 30, 40, 60, 70, 95], "pm25": [5, 7, 9, 10, 14, 30]})
    table = stats.binned_medians(f, "rh", "pm25", [0, 50, 100])
    assert table["median"].tolist() == [7.0, 14.0]
    assert table["n"].tolist() == [3, 3]


def test_bootstrap_is_reproducible_and_contains_the_estimate():
    rng = np.random.default_rng(5)
    values = rng.normal(20.0, 5.0, 200)
    a = stats.bootstrap_ci(values, seed=3)
    b = stats.bootstrap_ci(values, seed=3)
    assert a == b
    assert a.low < a.estimate < a.high
    # the standard error of a mean of 200 values of SD 5 is about 0.35: the 95 % interval is ~1.4 wide
    assert 0.9 < a.high - a.low < 2.0


def test_bootstrap_narrows_with_more_data_and_widens_with_level():
    rng = np.random.default_rng(8)
    small = stats.bootstrap_ci(rng.normal(0, 1, 25), seed=0)
    big = stats.bootstrap_ci(rng.normal(0, 1, 400), seed=0)
    assert (big.high - big.low) < (small.high - small.low) / 2
    values = rng.normal(0, 1, 100)
    assert (stats.bootstrap_ci(values, level=0.99).high - stats.bootstrap_ci(values, level=0.99).low) > \
        (stats.bootstrap_ci(values, level=0.8).high - stats.bootstrap_ci(values, level=0.8).low)


def test_bootstrap_two_samples_and_missing_values():
    weekday = [0.026, 0.027, np.nan, 0.025, 0.028, 0.024, 0.026]
    weekend = [0.021, 0.020, 0.022, 0.019]
    ci = stats.bootstrap_ci((weekday, weekend), lambda a, b: np.mean(a) - np.mean(b))
    assert ci.estimate == pytest.approx(0.026 - 0.0205)
    assert ci.low > 0


def test_bootstrap_refuses_too_little_data_and_bad_levels():
    with pytest.raises(ValueError, match="at least 2"):
        stats.bootstrap_ci([1.0, np.nan])
    with pytest.raises(ValueError, match="level"):
        stats.bootstrap_ci([1.0, 2.0, 3.0], level=95)


# --- module 05's exercises: the lesson's solution passes, plausible mistakes get advice -------

@pytest.fixture(scope="module")
def reference_city():
    from sensorlab.datasets import load_city

    city = load_city()
    ids = city.sites.loc[city.sites["kind"] == "reference", "site_id"]
    return city, city.readings[city.readings["site_id"].isin(ids)]


def test_module_05_exercises_accept_solutions_and_explain_mistakes(reference_city):
    from sensorlab import check

    city, ref = reference_city
    o3 = stats.diurnal_cycle(ref, "o3")
    change = float(stats.weekend_effect(ref, "no2")["change_percent"])
    weekday = stats.diurnal_cycle(ref, "no2", by="is_weekend")[False]
    months = stats.seasonal_cycle(ref, "pm25")
    ratio = months / stats.seasonal_cycle(ref, "pm10")
    daily = stats.daily_means(ref, "pm25")
    night = stats.heat_island(city.readings, city.sites, hours=range(0, 6))
    day = stats.heat_island(city.readings, city.sites)
    r = float(ref["o3"].corr(ref["temperature"]))
    cases = {
        "05.1-o3-peak": (int(o3.idxmax()), [float(o3.max()), int(o3.idxmin())]),
        "05.1-weekend-no2": (change, [-change, change / 100]),
        "05.1-rush-ratio": (float(weekday.max() / weekday.min()), [float(weekday.max() - weekday.min())]),
        "05.2-worst-month": (int(months.idxmax()), [int(months.idxmin())]),
        "05.2-episodes": (len(stats.episodes(daily, 35, min_length=2)), [len(stats.episodes(daily, 35))]),
        "05.2-dust-month": (int(ratio.idxmin()), [int(ratio.idxmax())]),
        "05.3-warmest-night": (night["district"].iloc[0], [night["district"].iloc[-1], "Gotham-gu"]),
        "05.4-ozone-heat-r": (r, [r ** 2, -r]),
        "05.5-ci-mean": (stats.bootstrap_ci(daily, seed=0),
                         [stats.bootstrap_ci(ref.groupby("timestamp")["pm25"].mean(), seed=0), (0.0, 1.0)]),
    }
    for exercise_id, (right, wrongs) in cases.items():
        result = check.evaluate(exercise_id, right)
        assert result, (exercise_id, result.text(lang="en"))
        for wrong in wrongs:
            result = check.evaluate(exercise_id, wrong)
            assert result.status == "wrong", (exercise_id, result.text(lang="en"))
    assert check.evaluate("05.3-warmest-night", night["district_ko"].iloc[0])  # Korean names count too
    assert "negative" in check.evaluate("05.1-weekend-no2", -change).text(lang="en")
    assert "hourly" in check.evaluate("05.5-ci-mean", stats.bootstrap_ci(ref.groupby("timestamp")["pm25"].mean(), seed=0)).text(lang="en")
    if day["district"].iloc[0] != night["district"].iloc[0]:
        assert "night" in check.evaluate("05.3-warmest-night", day["district"].iloc[0]).text(lang="en")


def test_module_05_exercises_on_street_sensors(reference_city):
    from sensorlab import check, cleaning

    city, ref = reference_city
    ids = city.sites.loc[city.sites["kind"] == "street", "site_id"]
    street = city.readings[city.readings["site_id"].isin(ids)]
    clean_t = cleaning.mask_flagged(street, cleaning.flag_all(street, ["temperature"], sites=city.sites))
    bias = float(stats.heat_island(clean_t, city.sites, kind="street")["mean"].mean()
                 - stats.heat_island(city.readings, city.sites)["mean"].mean())
    raw_bias = float(stats.heat_island(street, city.sites, kind="street")["mean"].mean()
                     - stats.heat_island(city.readings, city.sites)["mean"].mean())
    assert check.evaluate("05.3-street-bias", bias)
    assert not check.evaluate("05.3-street-bias", raw_bias)
    clean = cleaning.mask_flagged(street, cleaning.flag_all(street, ["pm25"], sites=city.sites))
    pairs = stats.pair_colocated(pd.concat([clean, ref]), city.sites, ["pm25", "humidity"])
    pairs["ratio"] = pairs["pm25_street"] / pairs["pm25_reference"]
    humid = float(pairs.loc[pairs["humidity_reference"] > 80, "ratio"].median())
    assert check.evaluate("05.4-humid-ratio", humid)
    assert not check.evaluate("05.4-humid-ratio", float(pairs.loc[pairs["humidity_reference"] <= 80, "ratio"].median()))
    drier = float(pairs.loc[pairs["humidity_reference"] <= 80, "ratio"].median())
    # the sensor over-reads more in humid air (units.humidity_growth, κ of the real units): the lesson's point
    assert humid > drier * 1.02, (humid, drier)
    daily_no2 = stats.daily_means(ref, "no2")
    weekend = pd.DatetimeIndex(daily_no2.index).day_of_week >= 5
    diff = stats.bootstrap_ci((daily_no2[~weekend], daily_no2[weekend]), lambda a, b: np.mean(a) - np.mean(b), seed=0)
    assert check.evaluate("05.5-weekend-diff", diff)
    assert not check.evaluate("05.5-weekend-diff", (-diff.high, -diff.low))
    with_hours = stats.add_time_features(ref)
    at15 = with_hours[with_hours["hour"] == 15]
    assert check.evaluate("05.4-partial", float(at15["o3"].corr(at15["temperature"])))
    assert not check.evaluate("05.4-partial", float(ref["o3"].corr(ref["temperature"])))
