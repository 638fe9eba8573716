"""Forecasting the Korean PM2.5 grade: categories, features without leakage, baselines, metrics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sensorlab.datasets.base import SensorData
from sensorlab.forecast import (CATEGORIES, ISSUED_AT, climatology_forecast, daily_city_series, evaluate_classifier,
                                exceedance_climatology, make_features, persistence_forecast, pm25_category, skill_score,
                                time_split_with_gap)

TZ = "Asia/Seoul"


def _daily(n=40, seed=0):
    rng = np.random.default_rng(seed)
    days = pd.date_range("2024-01-01", periods=n, freq="D", tz=TZ)
    full = pd.DataFrame({"pm25": rng.gamma(3, 8, n), "pm10": rng.gamma(3, 14, n),
                         "temperature": rng.normal(5, 5, n), "humidity": rng.uniform(30, 90, n),
                         "wind_speed": rng.gamma(2, 1, n)}, index=days)
    # The means up to 20:00 differ from the full days', so a feature built from the wrong one shows.
    known = (full * rng.uniform(0.8, 1.2, full.shape)).add_suffix("_20h")
    return pd.concat([full, known], axis=1)


def test_pm25_category_korean_boundaries():
    values = [0, 15, 15.01, 35, 35.5, 75, 75.2, 200, np.nan]
    assert pm25_category(values).tolist() == ["good", "good", "moderate", "moderate", "bad", "bad",
                                              "very bad", "very bad", np.nan]
    ko = pm25_category(pd.Series([16.0, 76.0], index=["x", "y"]), lang="ko")
    assert ko.tolist() == ["보통", "매우나쁨"] and ko.index.tolist() == ["x", "y"]
    assert ko.cat.ordered and ko.cat.categories.tolist() == ["좋음", "보통", "나쁨", "매우나쁨"]


def test_make_features_values_by_hand():
    daily = _daily(10)
    f = make_features(daily, lags=(1, 7))
    t = daily.index[8]
    # Day t-1 enters only up to 20:00 (the forecast is issued at 21:00); older days whole.
    assert f.loc[t, "pm25_lag1_20h"] == daily["pm25_20h"].iloc[7] != daily["pm25"].iloc[7]
    assert f.loc[t, "pm25_lag7"] == daily["pm25"].iloc[1]
    assert f.loc[t, "pm25_mean3"] == pytest.approx((daily["pm25_20h"].iloc[7] + daily["pm25"].iloc[5:7].sum()) / 3)
    assert f.loc[t, "wind_speed_lag1_20h"] == daily["wind_speed_20h"].iloc[7]
    assert not any(c.endswith("_lag1") for c in f.columns)          # no full-day mean of day t-1
    assert f.loc[t, "target"] == daily["pm25"].iloc[8]
    assert f.loc[t, "day_of_week"] == t.day_of_week and f.loc[t, "month"] == 1
    assert "temperature" not in f.columns and "pm25" not in f.columns   # never day t's own values
    assert f["pm25_lag7"].isna().sum() == 7


@pytest.mark.parametrize("day", [0, 5, 17, 39])
def test_make_features_never_use_day_t_or_later(day):
    """Changing what is unknown at 21:00 on day t-1 must leave the features of day t untouched:
    day t and later, and day t-1's full-day means (which include 21:00-23:00)."""
    daily = _daily(40)
    before = make_features(daily).drop(columns=["target", "category"])
    future = daily.copy()
    future.iloc[day:] = future.iloc[day:] * 7 + 100       # rewrite today and the future
    full_day = [c for c in daily.columns if not c.endswith("_20h")]
    if day > 0:
        future.iloc[day - 1, [daily.columns.get_loc(c) for c in full_day]] += 55   # yesterday's late hours
    after = make_features(future).drop(columns=["target", "category"])
    pd.testing.assert_frame_equal(before.iloc[: day + 1], after.iloc[: day + 1])
    # ... while the target itself does change, so the test could fail.
    assert make_features(future)["target"].iloc[day] != make_features(daily)["target"].iloc[day]


def test_make_features_rejects_gaps_and_nonpositive_lags():
    daily = _daily(10).drop(index=_daily(10).index[4])
    with pytest.raises(ValueError, match="consecutive calendar day"):
        make_features(daily)
    with pytest.raises(ValueError, match="lags must be >= 1"):
        make_features(_daily(10), lags=(0, 1))
    with pytest.raises(ValueError, match=r"no 'pm25_20h' column .* hours=range\(21\)"):
        make_features(_daily(10)[["pm25", "temperature"]])


def test_time_split_with_gap_leaves_the_gap_by_date_and_accepts_no_gap():
    daily = _daily(40).drop(index=_daily(40).index[[20, 25]])     # missing days must not move the cut
    train, test = time_split_with_gap(daily, "2024-01-27", gap_days=7)
    assert train.index.max() == pd.Timestamp("2024-01-19", tz=TZ) and test.index.min() == pd.Timestamp("2024-01-27", tz=TZ)
    assert len(test) == 14 and len(train) == 19
    train0, _ = time_split_with_gap(daily, "2024-01-27", gap_days=0)
    assert train0.index.max() == pd.Timestamp("2024-01-25", tz=TZ)
    with pytest.raises(ValueError, match="gap_days"):
        time_split_with_gap(daily, "2024-01-27", gap_days=-1)


def test_exceedance_climatology_is_the_training_months_share_of_days_above_35():
    days = pd.date_range("2023-01-01", "2023-12-31", freq="D", tz=TZ)
    pm = pd.Series(np.where(days.month == 1, 50.0, 10.0), index=days)
    pm[days.month == 2] = np.r_[np.full(7, 40.0), np.full(21, 35.0)]   # 35 itself is 보통, not 나쁨
    shares = exceedance_climatology(pm, pd.date_range("2024-01-15", periods=3, freq="MS", tz=TZ))
    assert shares.iloc[0] == pytest.approx(0.25) and shares.iloc[1] == 0.0 and shares.iloc[2] == 0.0
    january = exceedance_climatology(pm, pd.DatetimeIndex([pd.Timestamp("2024-01-20", tz=TZ)]))
    assert january.iloc[0] == 1.0


def test_persistence_is_yesterday_and_climatology_uses_training_months_only():
    pm = pd.Series([10.0, 40.0, 20.0, 80.0], index=pd.date_range("2024-01-01", periods=4, freq="D", tz=TZ))
    assert persistence_forecast(pm).tolist() == [np.nan, "good", "bad", "moderate"]
    train = pd.Series([50.0, 60.0, 10.0], index=pd.to_datetime(["2023-03-01", "2023-03-02", "2023-08-01"]))
    clim = climatology_forecast(train, pd.to_datetime(["2024-03-05", "2024-08-05", "2024-12-01"]))
    assert clim.tolist() == ["bad", "good", "bad"]     # December unseen: the overall mode


def test_evaluate_classifier_by_hand():
    obs = ["good", "good", "moderate", "bad", "moderate", None]
    fc = ["good", "moderate", "moderate", "bad", "moderate", "good"]
    base = ["moderate", "good", "good", "moderate", "moderate", "good"]
    r = evaluate_classifier(obs, fc, baseline=base)
    assert r["n"] == 5 and r["accuracy"] == pytest.approx(4 / 5)
    assert r["baseline_accuracy"] == pytest.approx(2 / 5)
    assert r["skill"] == pytest.approx((0.8 - 0.4) / 0.6)
    # F1: good 2/3, moderate 4/5, bad 1 -> macro mean
    assert r["macro_f1"] == pytest.approx((2 / 3 + 0.8 + 1.0) / 3)
    cm = r["confusion"]
    assert cm.index.tolist() == CATEGORIES and cm.loc["good", "moderate"] == 1 and cm.to_numpy().sum() == 5
    assert skill_score(0.5, 0.5) == 0 and skill_score(0.4, 0.5) < 0
    with pytest.raises(ValueError, match="y_pred 2"):
        evaluate_classifier(["good"] * 3, ["good"] * 2)


def test_daily_city_series_means_over_reference_sites_and_full_calendar():
    times = pd.date_range("2024-02-01", periods=72, freq="h", tz=TZ)
    a = pd.DataFrame({"timestamp": times, "site_id": "ref-101", "pm25": 10.0, "temperature": 1.0})
    b = pd.DataFrame({"timestamp": times, "site_id": "ref-102", "pm25": 30.0, "temperature": 3.0})
    b.loc[b["timestamp"].dt.day == 2, "pm25"] = np.nan            # station 102 down on day 2
    s = pd.DataFrame({"timestamp": times, "site_id": "sdot-101-01", "pm25": 500.0, "temperature": 9.0})
    readings = pd.concat([a, b, s], ignore_index=True)
    readings = readings[readings["timestamp"].dt.day != 3]         # day 3: no data at all
    extra = pd.DataFrame({"timestamp": pd.date_range("2024-02-04", periods=24, freq="h", tz=TZ),
                          "site_id": "ref-101", "pm25": 20.0, "temperature": 2.0})
    readings = pd.concat([readings, extra], ignore_index=True)
    sites = pd.DataFrame({"site_id": ["ref-101", "ref-102", "sdot-101-01"],
                          "kind": ["reference", "reference", "street"], "district": "x", "district_ko": "x",
                          "lat": 0.0, "lon": 0.0, "colocated_with": pd.NA})
    daily = daily_city_series(SensorData(readings=readings, sites=sites, name="t"), quantities=("pm25", "temperature"))
    assert len(daily) == 4                                             # 1..4 Feb, day 3 kept as NaN
    assert daily["pm25"].iloc[0] == 20.0 and daily["pm25"].iloc[1] == 10.0   # street sensor ignored
    assert np.isnan(daily["pm25"].iloc[2]) and daily["pm25"].iloc[3] == 20.0
    assert daily.index[0] == pd.Timestamp("2024-02-01", tz=TZ)
    # What is known at 21:00: only the readings stamped 00:00-20:00 count.
    late = readings["timestamp"].dt.hour >= ISSUED_AT
    shifted = readings.assign(pm25=readings["pm25"].where(~late, 1000.0))
    known = daily_city_series(SensorData(readings=shifted, sites=sites, name="t"), quantities=("pm25",),
                              hours=range(ISSUED_AT))
    assert known["pm25"].iloc[0] == 20.0 and known["pm25"].iloc[3] == 20.0
    assert daily_city_series(SensorData(readings=shifted, sites=sites, name="t"), quantities=("pm25",))["pm25"].iloc[0] > 100


def test_grades_follow_the_message_language():
    """A Korean notebook (messages.set_language("ko")) gets Korean grades without passing lang."""
    from sensorlab import messages

    daily = _daily()
    before = messages.get_language()
    messages.set_language("ko")
    try:
        table = make_features(daily).dropna()
        assert set(table["category"].astype(str)) <= {"좋음", "보통", "나쁨", "매우나쁨"}
        persistence = persistence_forecast(daily["pm25"]).reindex(table.index)
        climatology = climatology_forecast(daily["pm25"], table.index)
        assert set(climatology.astype(str)) <= {"좋음", "보통", "나쁨", "매우나쁨"}
        cm = evaluate_classifier(table["category"], persistence)["confusion"]
        assert cm.index.tolist() == ["좋음", "보통", "나쁨", "매우나쁨"]
        assert (cm.index.name, cm.columns.name) == ("관측", "예보")
        assert pm25_category([20.0], lang="en").tolist() == ["moderate"]  # an explicit lang still wins
    finally:
        messages.set_language(before)
    assert pm25_category([20.0]).tolist() == (["보통"] if before == "ko" else ["moderate"])


@pytest.mark.parametrize("freq", ["1h", "3h"])
def test_synthetic_daily_is_make_citys_daily_series_bit_for_bit(monkeypatch, freq):
    """Made from the stations alone, in chunks of days (10 here, across a year's end), yet make_city's series exactly."""
    from sensorlab import daily_series, forecast
    from sensorlab.datasets import make_city

    monkeypatch.setattr(daily_series, "_CHUNK_DAYS", 10)
    daily_series._synthetic_daily.cache_clear()
    got = forecast.synthetic_daily(seed=11, start="2023-12-20", end="2024-01-25", freq=freq)
    daily_series._synthetic_daily.cache_clear()
    city = make_city(11, start="2023-12-20", end="2024-01-25", freq=freq, street_per_district=0)
    want = daily_city_series(city)
    assert len(got) == 37 and got.notna().all().all()
    pd.testing.assert_frame_equal(got[want.columns], want, check_exact=True)
    known = daily_city_series(city, hours=range(ISSUED_AT)).add_suffix("_20h")
    pd.testing.assert_frame_equal(got[known.columns], known, check_exact=True)
    assert (got["pm25_20h"] != got["pm25"]).all()


def test_station_readings_are_make_citys_station_readings():
    from sensorlab.datasets import make_city
    from sensorlab.datasets.city_stations import station_readings

    clock, site_ids, readings = station_readings(5, "2024-03-25", "2024-04-10")
    city = make_city(5, start="2024-03-25", end="2024-04-10", street_per_district=0)
    assert site_ids == city.sites["site_id"].astype(str).tolist()
    for q, values in readings.items():
        table = city.readings.pivot(index="site_id", columns="timestamp", values=q).loc[site_ids]
        assert table.columns.equals(clock.times)
        np.testing.assert_array_equal(values, table.to_numpy(), err_msg=q)
