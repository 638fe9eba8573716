"""The synthetic city: schema, sites, physics, sensor error and fault labels that match the values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sensorlab.datasets import load_city, make_city, stations
from sensorlab.datasets.city import city_truth_series
from sensorlab.datasets.city_faults import FAULTS

QUANTITIES = ["pm25", "pm10", "temperature", "humidity", "noise", "illuminance", "uv", "wind_speed",
              "no2", "o3"]


@pytest.fixture(scope="module")
def april():
    # April holds the network-wide humidity fault (4-22 April).
    return make_city(seed=5, start="2024-04-01", end="2024-04-30", street_per_district=2)


@pytest.fixture(scope="module")
def year():
    return load_city()


def test_schema_and_order(april):
    r, t = april.readings, april.truth
    assert list(r.columns) == ["timestamp", "site_id", *QUANTITIES]
    assert str(r["timestamp"].dt.tz) == "Asia/Seoul"
    assert len(r) == 30 * 24 * 75
    order = pd.DataFrame({"t": r["timestamp"], "s": r["site_id"].astype(str)})
    assert order.equals(order.sort_values(["t", "s"], ignore_index=True))
    assert list(t[["timestamp", "site_id"]].columns) == ["timestamp", "site_id"]
    assert (t["timestamp"].to_numpy() == r["timestamp"].to_numpy()).all()
    assert (t["site_id"] == r["site_id"]).all()
    for q in QUANTITIES:
        assert r[q].dtype == np.float32 and q in t and f"fault_{q}" in t
        assert set(t[f"fault_{q}"].cat.categories) == set(FAULTS)
    assert april.meta["seed"] == 5 and "synthetic" in april.attribution.lower()


def test_sites(april):
    s = april.sites.set_index("site_id")
    ref = stations().set_index("site_id")
    assert (s.loc[ref.index, ["lat", "lon"]].to_numpy() == ref[["lat", "lon"]].to_numpy()).all()
    assert (s.loc[ref.index, "kind"] == "reference").all()
    coloc = s[s["colocated_with"].notna()]
    assert len(coloc) == 25 and all(i.endswith("-01") for i in coloc.index)
    for site, row in coloc.iterrows():
        st = ref.loc[row["colocated_with"]]
        metres = np.hypot((row["lat"] - st["lat"]) * 111_000, (row["lon"] - st["lon"]) * 88_000)
        assert metres < 310, site
        assert site == f"sdot-{row['colocated_with'][4:]}-01"
    assert set(s["district_ko"]) == set(ref["district_ko"])


def test_same_seed_same_data_other_seed_other_data():
    a = make_city(seed=1, start="2024-06-01", end="2024-06-02", street_per_district=1)
    b = make_city(seed=1, start="2024-06-01", end="2024-06-02", street_per_district=1)
    c = make_city(seed=2, start="2024-06-01", end="2024-06-02", street_per_district=1)
    pd.testing.assert_frame_equal(a.readings, b.readings)
    pd.testing.assert_frame_equal(a.truth, b.truth)
    assert not a.readings["pm25"].equals(c.readings["pm25"])


def test_gases_only_at_reference_stations(april):
    street = april.readings["site_id"].astype(str).str.startswith("sdot")
    assert april.readings.loc[street, ["no2", "o3"]].isna().all().all()
    assert (april.truth.loc[street, "fault_no2"] == "not_measured").all()
    assert april.readings.loc[~street, "no2"].notna().mean() > 0.95
    assert april.readings.loc[~street, ["noise", "illuminance", "uv"]].isna().all().all()


def test_fault_labels_describe_the_values_exactly(april):
    r, t = april.readings, april.truth
    for q in QUANTITIES:
        f = t[f"fault_{q}"]
        v = r[q]
        assert v[f.isin(["outage", "missing", "not_measured"])].isna().all(), q
        assert v[~f.isin(["outage", "missing", "not_measured"])].notna().all(), q
        assert (v[f == "zero"] == 0).all(), q
    assert (r.loc[t["fault_pm25"] == "sentinel", "pm25"] == -999).all()
    assert (r.loc[t["fault_temperature"] == "sentinel", "temperature"] == np.float32(-40.0)).all()
    assert (r.loc[t["fault_temperature"] == "spike", "temperature"] > 50).all()
    assert (r.loc[t["fault_temperature"] == "none", "temperature"] < 50).all()
    # An outage blanks the whole sensor: every measured quantity of that row is an outage.
    out = t["fault_pm25"] == "outage"
    assert out.any() and (t.loc[out, "fault_temperature"] == "outage").all()
    # The network-wide humidity fault: 4-22 April, 2-6 %RH.
    nf = t["fault_humidity"] == "network_fault"
    days = r.loc[nf, "timestamp"].dt.day
    assert days.min() == 4 and days.max() == 22
    assert r.loc[nf, "humidity"].between(2, 6).all()
    # Stuck runs repeat one value: within a sensor, a stuck reading equals the one before it
    # unless it starts the run.
    for site, grp in r.assign(f=t["fault_pm25"]).groupby("site_id", observed=True):
        stuck = (grp["f"] == "stuck").to_numpy()
        values = grp["pm25"].to_numpy()
        inside = stuck[1:] & stuck[:-1]
        assert (values[1:][inside] == values[:-1][inside]).all(), site


def test_no_fault_street_readings_are_near_the_truth(april):
    r, t = april.readings, april.truth
    ok = t["fault_temperature"] == "none"
    street = r["site_id"].astype(str).str.startswith("sdot")
    bias = (r["temperature"] - t["temperature"])[ok & street]
    assert 0.0 < bias.median() < 2.5 and bias.abs().max() < 3.0  # warm, as real S-DoT boxes are
    big = (r["temperature"] - t["temperature"])[(t["fault_temperature"] == "warm_bias")]
    assert big.median() > 1.8


def test_fault_rates_of_the_year(year):
    street = year.sites.loc[year.sites["kind"] == "street", "site_id"]
    t = year.truth[year.truth["site_id"].isin(street)]
    keys = [t["site_id"].astype(str), t["timestamp"].dt.normalize()]

    def share_of_days(column, label, how):
        return getattr((t[column] == label).groupby(keys), how)().mean()

    assert 0.02 < share_of_days("fault_pm25", "outage", "all") < 0.05
    assert 0.015 < share_of_days("fault_pm25", "zero", "all") < 0.045
    assert 0.002 < share_of_days("fault_temperature", "spike", "any") < 0.007
    assert 0.9 < (t["fault_wind_speed"] == "not_reporting").mean() < 0.995
    assert 0.001 < (t["fault_pm25"] == "sentinel").mean() < 0.004
    assert (t["fault_pm25"] == "stuck").mean() > 0.003
    gains = year.meta["sensors"]["gain"]
    # intrinsic gain quantiles p5 x0.27, p95 x1.50 (GAIN_QUANTILES); 100 units drawn, tied to quality
    assert gains.quantile(0.05) < 0.45 and gains.quantile(0.95) > 1.4


def _city_daily(year, q, kind="reference"):
    ids = year.sites.loc[year.sites["kind"] == kind, "site_id"]
    r = year.readings[year.readings["site_id"].isin(ids)]
    return r.groupby(r["timestamp"].dt.normalize())[q].mean()


def test_ozone_is_photochemical_and_no2_dips_on_sunday(year):
    ref = year.readings[year.readings["site_id"].astype(str).str.startswith("ref")]
    o3 = ref.groupby(ref["timestamp"].dt.hour)["o3"].mean()
    assert o3.idxmin() in (6, 7, 8) and o3.idxmax() in (14, 15, 16)
    assert o3.max() / o3.min() > 2.0
    no2 = ref.groupby(ref["timestamp"].dt.hour)["no2"].mean()
    assert no2.idxmax() in (7, 8, 9, 20, 21, 22) and no2.idxmin() in (13, 14, 15, 16)
    daily = _city_daily(year, "no2")
    wd = daily.index.day_of_week
    assert 0.72 < daily[wd == 6].mean() / daily[wd < 5].mean() < 0.9


def test_seasons_episodes_and_dust(year):
    pm25 = _city_daily(year, "pm25")
    pm10 = _city_daily(year, "pm10")
    month = pm25.index.month
    assert pm25[month.isin([1, 2, 3])].mean() > 2 * pm25[month == 9].mean()
    # Winter haze lasts days: some run of at least 3 consecutive days above 35 µg/m³ in Nov-Mar.
    high = ((pm25 > 35) & month.isin([11, 12, 1, 2, 3])).astype(int).to_numpy()
    longest = max(len(run) for run in "".join(map(str, high)).split("0"))
    assert longest >= 3
    # Asian dust: the worst PM10 days are spring days with a low PM2.5/PM10 ratio.
    worst = pm10.idxmax()
    assert worst.month in (2, 3, 4, 5) and pm25[worst] / pm10[worst] < 0.45
    t = _city_daily(year, "temperature")
    rh = _city_daily(year, "humidity")
    assert t[month == 1].mean() < -1 and t[month == 8].mean() > 26
    assert rh[month.isin([7, 8])].mean() > rh[month.isin([1, 2])].mean() + 10


def test_heat_island_and_city_wide_pm(year):
    ref = year.readings[year.readings["site_id"].astype(str).str.startswith("ref")]
    night = ref[ref["timestamp"].dt.hour.isin([0, 1, 2, 3, 4])]
    by_site = night.groupby(night["site_id"].astype(str))["temperature"].mean()
    assert by_site["ref-102"] - by_site["ref-113"] > 1.0  # Jung-gu (centre) vs Dobong-gu (mountain edge)
    daily = ref.pivot_table(index=ref["timestamp"].dt.normalize(), columns="site_id", values="pm25",
                            observed=True)
    corr = daily.corr().to_numpy()
    assert np.median(corr[np.triu_indices_from(corr, 1)]) > 0.9


def test_humidity_inflates_optical_pm(year):
    r, t = year.readings, year.truth
    ok = t["fault_pm25"].isin(["none", "humidity_artifact", "drift"]) & r["site_id"].astype(str).str.startswith("sdot")
    ratio = (r["pm25"] / t["pm25"])[ok & (t["pm25"] > 10)]
    rh = t.loc[ratio.index, "humidity"]
    # real co-located raw/station ratio: 1.14 above 90 %RH against 0.84-0.90 below 60 (data card)
    assert ratio[rh > 90].median() > 1.2 * ratio[rh < 60].median()
    assert (t.loc[ok & (t["fault_pm25"] == "humidity_artifact"), "humidity"] > 65).all()


def test_truth_series_for_the_simulator():
    s = city_truth_series(4, "2024-02-01", "2024-02-02", "10min", district="Gangnam-gu")
    assert len(s) == 2 * 144 and str(s.index.tz) == "Asia/Seoul"
    full = make_city(4, "2024-02-01", "2024-02-02", "10min", street_per_district=1).truth
    same = full[full["site_id"] == "ref-123"].set_index("timestamp")[s.columns]
    pd.testing.assert_frame_equal(s, same)
    with pytest.raises(ValueError, match="unknown district"):
        city_truth_series(4, "2024-02-01", "2024-02-01", district="Atlantis")
