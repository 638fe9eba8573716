"""Checkers for module 03, Exploring the city."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sensorlab.check import (Wrong, expect_close, expect_columns, expect_length, expect_series_close,
                             expect_type, register)
from sensorlab.exercises._data import district_answer, part, readings, readings_with_sites


def _station(site_id="ref-101", raw=False, quantity="pm25"):
    r = part(quantity).readings if raw else readings(quantity)
    return r[r["site_id"] == site_id]


def _uses_raw(answer_values, raw_values) -> bool:
    """Whether the student's numbers are the raw readings' (impossible values not hidden)."""
    a, b = np.asarray(answer_values, dtype=float), np.asarray(raw_values, dtype=float)
    return a.shape == b.shape and np.allclose(a, b, equal_nan=True)


@register("03.1-jongno-station", hints=("m03.jongno_station.hint1", "m03.jongno_station.hint2"))
def jongno_station(answer):
    """Rows of ref-101 only, columns timestamp and pm25."""
    expected = _station()[["timestamp", "pm25"]]
    expect_type(answer, pd.DataFrame)
    expect_columns(answer, ["timestamp", "pm25"])
    if list(answer.columns) != ["timestamp", "pm25"]:
        raise Wrong("m03.jongno_station.column_order")  # the exercise asks for this order
    if len(answer) == len(readings()):
        raise Wrong("m03.jongno_station.all_rows")
    expect_length(answer, len(expected))
    if not np.array_equal(answer["timestamp"].to_numpy(), expected["timestamp"].to_numpy()):
        raise Wrong("m03.jongno_station.other_site")
    if not np.allclose(answer["pm25"].to_numpy(float), expected["pm25"].to_numpy(float), equal_nan=True):
        if _uses_raw(answer["pm25"], _station(raw=True)["pm25"]):
            raise Wrong("m03.raw_readings")
        raise Wrong("m03.jongno_station.other_site")


@register("03.1-bad-hours", hints=("m03.bad_hours.hint1", "m03.bad_hours.hint2"))
def bad_hours(answer):
    """Hourly readings at reference stations with PM2.5 above 35 µg/m³ ('bad' or worse)."""
    r = readings_with_sites()
    ref = r[r["kind"] == "reference"]
    if hasattr(answer, "__len__"):
        raise Wrong("m03.bad_hours.count")
    expect_type(answer, int)
    if answer == int((ref["pm25"] >= 35).sum()) and answer != int((ref["pm25"] > 35).sum()):
        raise Wrong("m03.bad_hours.boundary")
    if answer == int((r["pm25"] > 35).sum()):
        raise Wrong("m03.bad_hours.all_sites")
    expect_close(answer, int((ref["pm25"] > 35).sum()), "m03.what.hours", rtol=0)


@register("03.1-mapo-street-sites", level="university", hints=("m03.mapo_street.hint1", "m03.mapo_street.hint2"))
def mapo_street_sites(answer):
    """The site ids of the street sensors in Mapo-gu, as a sorted list."""
    sites = part("pm25").sites
    expected = sorted(sites.loc[(sites["district"] == "Mapo-gu") & (sites["kind"] == "street"), "site_id"])
    expect_type(answer, list)
    got = [str(s) for s in answer]
    if set(got) == set(sites.loc[sites["district"] == "Mapo-gu", "site_id"]):
        raise Wrong("m03.mapo_street.with_reference")
    if set(got) != set(expected):
        raise Wrong("m03.mapo_street.wrong_sites", expected=len(expected), got=len(got))
    if got != expected:
        raise Wrong("check.wrong_order")


@register("03.2-mean-by-district", hints=("m03.mean_by_district.hint1", "m03.mean_by_district.hint2",
                                          "m03.mean_by_district.hint3"))
def mean_by_district(answer):
    """Mean PM2.5 per district over all its sites, highest first."""
    expected = readings_with_sites().groupby("district")["pm25"].mean().sort_values(ascending=False)
    expect_type(answer, pd.Series)
    if len(answer) == len(part("pm25").sites):
        raise Wrong("m03.mean_by_district.by_site")
    raw = part("pm25").readings.merge(part("pm25").sites[["site_id", "district"]], on="site_id")
    raw = raw.groupby("district")["pm25"].mean().sort_values(ascending=False)
    if _uses_raw(answer.to_numpy(float), raw.to_numpy(float)):
        raise Wrong("m03.raw_readings")
    expect_series_close(answer, expected, "m03.what.mean_pm25")


@register("03.2-daily-mean", hints=("m03.daily_mean.hint1", "m03.daily_mean.hint2"))
def daily_mean(answer):
    """Daily mean PM2.5 at ref-101 (Jongno-gu's station)."""
    expected = _station().set_index("timestamp")["pm25"].resample("D").mean()
    expect_type(answer, pd.Series)
    if len(answer) == len(_station()):
        raise Wrong("m03.daily_mean.not_resampled")
    raw = _station(raw=True).set_index("timestamp")["pm25"].resample("D").mean()
    if not np.allclose(raw.to_numpy(float), expected.to_numpy(float), equal_nan=True) and _uses_raw(answer, raw):
        raise Wrong("m03.raw_readings")
    expect_series_close(answer, expected, "m03.what.daily_mean")


@register("03.2-hour-of-day", level="university", hints=("m03.hour_of_day.hint1", "m03.hour_of_day.hint2"))
def hour_of_day(answer):
    """Mean PM2.5 by hour of day (0-23) over the street sensors."""
    r = readings_with_sites()
    street = r[r["kind"] == "street"]
    expected = street.groupby(street["timestamp"].dt.hour)["pm25"].mean()
    expect_type(answer, pd.Series)
    expect_length(answer, 24)
    if np.allclose(answer.to_numpy(float), r.groupby(r["timestamp"].dt.hour)["pm25"].mean().to_numpy(float)):
        raise Wrong("m03.hour_of_day.all_sites")
    expect_series_close(answer, expected, "m03.what.mean_pm25")


@register("03.3-rolling-24h", hints=("m03.rolling.hint1", "m03.rolling.hint2"))
def rolling_24h(answer):
    """The 24-hour rolling mean of ref-101's hourly PM2.5 (``.rolling(24).mean()``)."""
    hourly = _station().set_index("timestamp")["pm25"]
    expected = hourly.rolling(24).mean()
    expect_type(answer, pd.Series)
    if len(answer) == len(hourly) and np.allclose(answer.to_numpy(float)[30:], hourly.to_numpy(float)[30:], equal_nan=True):
        raise Wrong("m03.rolling.not_smoothed")
    expect_series_close(answer, expected, "m03.what.rolling", empty_reason="check.empty_reason.window")


@register("03.3-labelled-plot", hints=("m03.labelled_plot.hint1", "m03.labelled_plot.hint2"))
def labelled_plot(answer):
    """A plot (matplotlib Axes) with a line, a title, and axis labels; the y label gives a unit."""
    from matplotlib.axes import Axes

    expect_type(answer, Axes)
    if not answer.get_lines():
        raise Wrong("m03.labelled_plot.no_line")
    if not answer.get_xlabel().strip():
        raise Wrong("m03.labelled_plot.no_xlabel")
    ylabel = answer.get_ylabel()
    if not ylabel.strip():
        raise Wrong("m03.labelled_plot.no_ylabel")
    if not any(unit in ylabel for unit in ("µg/m³", "ug/m3", "μg/m³", "°C", "%", "dB", "lux", "m/s", "ppm")):
        raise Wrong("m03.labelled_plot.no_unit", label=ylabel)
    if not answer.get_title().strip():
        raise Wrong("m03.labelled_plot.no_title")


@register("03.4-site-means", hints=("m03.site_means.hint1", "m03.site_means.hint2"))
def site_means(answer):
    """One row per site: site_id, lat, lon and the site's mean PM2.5."""
    data = part("pm25")
    means = readings().groupby("site_id", observed=True)["pm25"].mean().rename("pm25").reset_index()
    expected = data.sites[["site_id", "lat", "lon"]].merge(means, on="site_id")
    expect_type(answer, pd.DataFrame)
    expect_columns(answer, ["site_id", "lat", "lon", "pm25"])
    expect_length(answer, len(expected))
    got = answer.assign(site_id=answer["site_id"].astype(str)).set_index("site_id").sort_index()
    want = expected.assign(site_id=expected["site_id"].astype(str)).set_index("site_id").sort_index()
    if not got.index.equals(want.index):
        raise Wrong("m03.site_means.sites")
    for column in ("lat", "lon"):
        if not np.allclose(got[column].to_numpy(float), want[column].to_numpy(float)):
            raise Wrong("m03.site_means.position")
    expect_series_close(got["pm25"], want["pm25"], "m03.what.mean_pm25")


@register("03.4-district-centres", level="university", hints=("m03.district_centres.hint1",))
def district_centres(answer):
    """Mean latitude and longitude of each district's sites: a DataFrame indexed by district."""
    expected = part("pm25").sites.groupby("district")[["lat", "lon"]].mean()
    expect_type(answer, pd.DataFrame)
    expect_columns(answer, ["lat", "lon"])
    expect_series_close(answer["lat"], expected["lat"], "m03.what.latitude", rtol=1e-6)
    expect_series_close(answer["lon"], expected["lon"], "m03.what.longitude", rtol=1e-6)


@register("03.5-noisiest-district", hints=("m03.noisiest.hint1", "m03.noisiest.hint2"))
def noisiest_district(answer):
    """The district whose street sensors have the highest mean noise at night (22:00-05:59)."""
    r = readings_with_sites("noise")
    hour = r["timestamp"].dt.hour
    night = r[(hour >= 22) | (hour < 6)]
    by_district = night.groupby("district")["noise"].mean()
    expect_type(answer, str)
    name = district_answer(answer)  # "은평구" is Eunpyeong-gu; "마포" is told to write 마포구
    if name == r.groupby("district")["noise"].mean().idxmax() and name != by_district.idxmax():
        raise Wrong("m03.noisiest.whole_day")
    if name not in by_district.index:
        raise Wrong("m00.my_district.unknown", got=answer)
    if name != by_district.idxmax():
        raise Wrong("m03.noisiest.not_max", got=answer, value=float(by_district[name]),
                    top=float(by_district.max()))


@register("03.5-weekend-no2", level="university", hints=("m03.weekend_no2.hint1", "m03.weekend_no2.hint2"))
def weekend_no2(answer):
    """Weekday minus weekend mean NO2 per district (reference stations), largest first."""
    r = readings_with_sites("no2")
    ref = r[r["kind"] == "reference"]
    weekend = ref["timestamp"].dt.day_of_week >= 5
    expected = (ref[~weekend].groupby("district")["no2"].mean()
                - ref[weekend].groupby("district")["no2"].mean()).sort_values(ascending=False)
    expect_type(answer, pd.Series)
    if np.allclose(np.sort(answer.to_numpy(float)), np.sort(-expected.to_numpy(float)), atol=1e-9):
        raise Wrong("m03.weekend_no2.reversed")
    expect_series_close(answer, expected, "m03.what.no2_difference")
