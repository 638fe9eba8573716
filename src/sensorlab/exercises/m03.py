"""Checkers for module 03, Exploring the city.

Each checker first looks for the mistakes students really make (a mask instead of the rows, the
street sensors mixed into a ranking, a centred window, a Korean district name without 구) and
says what to change; only then does it compare values.
"""

from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

from sensorlab.check import register
from sensorlab.check_expect import expect_close, expect_columns, expect_length, expect_series_close, expect_type
from sensorlab.check_slips import unit_slip
from sensorlab.check_wording import Wrong
from sensorlab.exercises._data import district_answer, part, readings, readings_with_sites


def _station(site_id="ref-101", raw=False, quantity="pm25"):
    r = part(quantity).readings if raw else readings(quantity)
    return r[r["site_id"] == site_id]


def _uses_raw(answer_values, raw_values) -> bool:
    """Whether the student's numbers are the raw readings' (impossible values not hidden)."""
    return _same(answer_values, raw_values)


def _same(a, b) -> bool:
    try:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):  # text in the answer: not these numbers (expect_series_close says which)
        return False
    return a.shape == b.shape and np.allclose(a, b, equal_nan=True)


def _expect_district_labels(labels, districts) -> None:
    """Wrong naming the first label that is a district written otherwise than the data ("Mapo" or "마포"
    without 구/-gu, "Mapo-gu " with a space, "mapo gu"), before the values are compared by district."""
    districts = set(map(str, districts))
    for label in map(str, labels):
        if label in districts:
            continue
        try:
            name = district_answer(label)
        except Wrong as wrong:
            if wrong.key != "m00.my_district.unknown":
                raise  # "Mapo": add -gu; "마포": add 구
            continue
        if name in districts:
            raise Wrong("m03.district_label_space" if label.strip() == name else "m03.district_spelling",
                        got=label, name=name)


def _expect_table(answer) -> None:
    """A DataFrame, or a sentence about the Series or mask a student made instead."""
    if isinstance(answer, pd.Series):
        raise Wrong("m03.mask_not_rows" if answer.dtype == bool else "m03.series_not_table")
    expect_type(answer, pd.DataFrame)


def _expect_series(answer) -> None:
    """A Series, or a sentence about the one-column table or unfinished groupby a student made."""
    if isinstance(answer, pd.DataFrame) and answer.shape[1] == 1:
        raise Wrong("m03.table_not_series", column=str(answer.columns[0]))
    if type(answer).__name__.endswith(("Resampler", "GroupBy", "Rolling")):
        raise Wrong("m03.no_summary")
    expect_type(answer, pd.Series)


@register("03.1-jongno-station", hints=("m03.jongno_station.hint1", "m03.jongno_station.hint2"))
def jongno_station(answer):
    """Rows of ref-101 only, columns timestamp and pm25, in that order."""
    _expect_table(answer)
    if "timestamp" not in answer.columns and isinstance(answer.index, pd.DatetimeIndex):
        raise Wrong("m03.jongno_station.time_as_index")
    expect_columns(answer, ["timestamp", "pm25"])
    if list(answer.columns) != ["timestamp", "pm25"]:
        raise Wrong("m03.jongno_station.column_order")  # the exercise asks for this order
    if len(answer) == 0:
        raise Wrong("m03.jongno_station.empty")
    expected = _station()[["timestamp", "pm25"]]
    if len(answer) == len(readings()):
        raise Wrong("m03.jongno_station.all_rows")
    expect_length(answer, len(expected))
    if not np.array_equal(answer["timestamp"].to_numpy(), expected["timestamp"].to_numpy()):
        raise Wrong("m03.jongno_station.other_site")
    if not _same(answer["pm25"], expected["pm25"]):
        if _uses_raw(answer["pm25"], _station(raw=True)["pm25"]):
            raise Wrong("m03.raw_readings")
        slip = unit_slip(answer["pm25"], expected["pm25"])
        if slip:  # the right rows in another unit, not another site's
            raise Wrong("check.wrong_value_at_unit", what="PM2.5", label=str(expected["timestamp"].iloc[0]),
                        expected=float(expected["pm25"].iloc[0]), got=float(answer["pm25"].iloc[0]), advice=slip)
        raise Wrong("m03.jongno_station.other_site")


@register("03.1-bad-hours", hints=("m03.bad_hours.hint1", "m03.bad_hours.hint2"))
def bad_hours(answer):
    """Hourly readings at reference stations with PM2.5 above 35 µg/m³ ('bad' or worse)."""
    if isinstance(answer, pd.Series) and answer.dtype == bool:
        raise Wrong("m03.bad_hours.mask")
    if isinstance(answer, pd.DataFrame):  # a list is told it is a list by expect_type
        raise Wrong("m03.bad_hours.count")
    expect_type(answer, int)
    r = readings_with_sites()
    ref = r[r["kind"] == "reference"]
    right = int((ref["pm25"] > 35).sum())
    if answer == right:
        return
    if answer == int((ref["pm25"] >= 35).sum()):
        raise Wrong("m03.bad_hours.boundary")
    if answer == int((r["pm25"] > 35).sum()):
        raise Wrong("m03.bad_hours.all_sites")
    if answer == int((r.loc[r["kind"] == "street", "pm25"] > 35).sum()):
        raise Wrong("m03.bad_hours.street")
    if answer in (int((ref["pm25"] > 75).sum()), int((r["pm25"] > 75).sum())):
        raise Wrong("m03.bad_hours.very_bad_only")
    expect_close(answer, right, "m03.what.hours", rtol=0)


@register("03.1-mapo-street-sites", level="university", hints=("m03.mapo_street.hint1", "m03.mapo_street.hint2"))
def mapo_street_sites(answer):
    """The site ids of the street sensors in Mapo-gu, as a sorted list."""
    if isinstance(answer, (pd.Series, pd.Index, np.ndarray, set, tuple)):
        raise Wrong("m03.mapo_street.not_a_list")
    expect_type(answer, list)
    sites = part("pm25").sites
    expected = sorted(sites.loc[(sites["district"] == "Mapo-gu") & (sites["kind"] == "street"), "site_id"])
    got = [str(s) for s in answer]
    if not got:
        raise Wrong("m03.mapo_street.empty")
    if set(got) == set(sites.loc[sites["district"] == "Mapo-gu", "site_id"]):
        raise Wrong("m03.mapo_street.with_reference")
    if set(got) != set(expected):
        raise Wrong("m03.mapo_street.wrong_sites", expected=len(expected), got=len(got))
    if got != expected:
        raise Wrong("check.wrong_order")


def station_means(quantity: str = "pm25") -> pd.Series:
    """Mean of each district's reference station, highest first (what 03.2.a asks)."""
    r = readings_with_sites(quantity)
    ref = r[r["kind"] == "reference"]
    return ref.groupby("district")[quantity].mean().sort_values(ascending=False)


@register("03.2-mean-by-district", hints=("m03.mean_by_district.hint1", "m03.mean_by_district.hint2",
                                          "m03.mean_by_district.hint3"))
def mean_by_district(answer):
    """Mean PM2.5 of each district's reference station, highest first."""
    _expect_series(answer)
    expected = station_means()
    r = readings_with_sites()
    labels = set(map(str, answer.index))
    if labels & set(part("pm25").sites["site_id"].astype(str)):
        raise Wrong("m03.mean_by_district.by_site")
    if labels == set(part("pm25").sites["district_ko"]):
        raise Wrong("m03.english_districts")
    _expect_district_labels(labels, expected.index)
    if labels != set(expected.index):
        expect_length(answer, len(expected))
    aligned = answer.set_axis(answer.index.astype(str)).reindex(expected.index)
    if not _same(aligned, expected):
        for who, key in (("all", "m03.mean_by_district.with_street"), ("street", "m03.mean_by_district.street_only")):
            rows = r if who == "all" else r[r["kind"] == "street"]
            if _same(aligned, rows.groupby("district")["pm25"].mean().reindex(expected.index)):
                raise Wrong(key)
        raw = part("pm25").readings.merge(part("pm25").sites[["site_id", "kind", "district"]], on="site_id")
        raw = raw[raw["kind"] == "reference"].groupby("district")["pm25"].mean().reindex(expected.index)
        if _uses_raw(aligned, raw):
            raise Wrong("m03.raw_readings")
        expect_series_close(aligned, expected, "m03.what.mean_pm25")  # the first wrong value, whatever the order
    if list(answer.index.astype(str)) == list(expected.index[::-1]):
        raise Wrong("m03.highest_first")
    expect_series_close(answer, expected, "m03.what.mean_pm25")


@register("03.2-daily-mean", hints=("m03.daily_mean.hint1", "m03.daily_mean.hint2"))
def daily_mean(answer):
    """Daily mean PM2.5 at ref-101 (Jongno-gu's station)."""
    _expect_series(answer)
    station = _station()
    expected = station.set_index("timestamp")["pm25"].resample("D").mean()
    if len(answer) == len(station):
        raise Wrong("m03.daily_mean.not_resampled")
    if len(answer) in (12, 52, 53):
        raise Wrong("m03.daily_mean.not_daily", got=len(answer))
    if len(answer) and isinstance(answer.index[0], _dt.date) and not isinstance(answer.index[0], _dt.datetime):
        # groupby(index.date) gives the same Seoul days as resample("D"), labelled by date
        if len(answer) == len(expected) and _same(answer, expected):
            return
    raw = _station(raw=True).set_index("timestamp")["pm25"].resample("D").mean()
    if not _same(raw, expected) and _uses_raw(answer, raw):
        raise Wrong("m03.raw_readings")
    if isinstance(answer.index, pd.DatetimeIndex) and str(answer.index.tz) == "UTC":
        raise Wrong("m03.seoul_time")
    expect_series_close(answer, expected, "m03.what.daily_mean")


@register("03.2-hour-of-day", level="university", hints=("m03.hour_of_day.hint1", "m03.hour_of_day.hint2"))
def hour_of_day(answer):
    """Mean PM2.5 by hour of day (0-23) over the street sensors."""
    _expect_series(answer)
    if len(answer) == 7:
        raise Wrong("m03.hour_of_day.day_of_week")
    expect_length(answer, 24)
    r = readings_with_sites()
    street = r[r["kind"] == "street"]
    expected = street.groupby(street["timestamp"].dt.hour)["pm25"].mean()
    if _same(answer, r.groupby(r["timestamp"].dt.hour)["pm25"].mean()):
        raise Wrong("m03.hour_of_day.all_sites")
    ref = r[r["kind"] == "reference"]
    if _same(answer, ref.groupby(ref["timestamp"].dt.hour)["pm25"].mean()):
        raise Wrong("m03.hour_of_day.stations")
    if _same(answer, expected.reindex((expected.index + 9) % 24)):
        raise Wrong("m03.seoul_time")
    expect_series_close(answer, expected, "m03.what.mean_pm25")


@register("03.3-rolling-24h", hints=("m03.rolling.hint1", "m03.rolling.hint2"))
def rolling_24h(answer):
    """The 24-hour rolling mean of ref-101's hourly PM2.5 (``.rolling(24).mean()``)."""
    _expect_series(answer)
    hourly = _station().set_index("timestamp")["pm25"]
    expected = hourly.rolling(24).mean()
    if len(answer) in (len(hourly) // 24, len(hourly) // 24 + 1):
        raise Wrong("m03.rolling.daily")
    if len(answer) == len(hourly) and _same(answer.to_numpy(float)[30:], hourly.to_numpy(float)[30:]):
        raise Wrong("m03.rolling.not_smoothed")
    if len(answer) == len(hourly):
        if _same(answer, hourly.rolling(24).sum()):
            raise Wrong("m03.rolling.sum")
    # a centred window, rolling("24h") or min_periods: check.py says where the empty values belong
    expect_series_close(answer, expected, "m03.what.rolling", empty_reason="check.empty_reason.window")


#: What a y label may write a unit as (Korean keyboards type ℃ and ㎍/㎥ as one character each).
UNITS_WRITTEN = ("µg/m³", "μg/m³", "ug/m3", "µg/m3", "μg/m3", "㎍/㎥", "°C", "℃", "degC", "deg C", "%", "dB",
                 "lux", "m/s", "ppm")


@register("03.3-labelled-plot", hints=("m03.labelled_plot.hint1", "m03.labelled_plot.hint2"))
def labelled_plot(answer):
    """A plot (matplotlib Axes) of ref-101's daily mean temperature with a title and axis labels with a unit."""
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    if isinstance(answer, Figure):
        raise Wrong("m03.labelled_plot.figure")
    if isinstance(answer, list) and answer and type(answer[0]).__name__ == "Line2D":
        raise Wrong("m03.labelled_plot.lines")
    expect_type(answer, Axes)
    if not answer.get_lines():
        raise Wrong("m03.labelled_plot.no_line")
    temperature = _station(quantity="temperature").set_index("timestamp")["temperature"]
    daily = temperature.resample("D").mean().to_numpy(float)
    drawn = [np.asarray(line.get_ydata(), dtype=float) for line in answer.get_lines()]
    if not any(_same(y, daily) or _same(y, daily[~np.isnan(daily)]) for y in drawn):  # dropna() first is fine
        if any(len(y) == len(temperature) for y in drawn):
            raise Wrong("m03.labelled_plot.hourly")
        raise Wrong("m03.labelled_plot.not_temperature")
    if not answer.get_xlabel().strip():
        raise Wrong("m03.labelled_plot.no_xlabel")
    ylabel = answer.get_ylabel()
    if not ylabel.strip():
        raise Wrong("m03.labelled_plot.no_ylabel")
    if not any(unit in ylabel for unit in UNITS_WRITTEN):
        raise Wrong("m03.labelled_plot.no_unit", label=ylabel)
    if not answer.get_title().strip():
        raise Wrong("m03.labelled_plot.no_title")


@register("03.4-site-means", hints=("m03.site_means.hint1", "m03.site_means.hint2"))
def site_means(answer):
    """One row per site: site_id, lat, lon and the site's mean PM2.5."""
    if isinstance(answer, pd.Series):
        raise Wrong("m03.site_means.series")
    expect_type(answer, pd.DataFrame)
    if "site_id" not in answer.columns and answer.index.name == "site_id":
        raise Wrong("m03.site_means.index")
    expect_columns(answer, ["site_id", "lat", "lon", "pm25"])
    data = part("pm25")
    means = readings().groupby("site_id", observed=True)["pm25"].mean().rename("pm25").reset_index()
    expected = data.sites[["site_id", "lat", "lon"]].merge(means, on="site_id")
    if len(answer) in ((data.sites["kind"] == "reference").sum(), (data.sites["kind"] == "street").sum()):
        raise Wrong("m03.site_means.one_kind", expected=len(expected), got=len(answer))
    expect_length(answer, len(expected))
    got = answer.assign(site_id=answer["site_id"].astype(str)).set_index("site_id").sort_index()
    want = expected.assign(site_id=expected["site_id"].astype(str)).set_index("site_id").sort_index()
    if not got.index.equals(want.index):
        raise Wrong("m03.site_means.sites")
    if _same(got["lat"], want["lon"]) and _same(got["lon"], want["lat"]):
        raise Wrong("m03.lat_lon_swapped")
    for column in ("lat", "lon"):
        if not _same(got[column], want[column]):
            raise Wrong("m03.site_means.position")
    raw = data.readings.groupby("site_id", observed=True)["pm25"].mean()
    raw = raw.set_axis(raw.index.astype(str)).reindex(want.index)
    if not _same(raw, want["pm25"]) and _uses_raw(got["pm25"], raw):
        raise Wrong("m03.raw_readings")
    expect_series_close(got["pm25"], want["pm25"], "m03.what.mean_pm25")


@register("03.4-district-centres", kind=pd.DataFrame, level="university", hints=("m03.district_centres.hint1",))
def district_centres(answer):
    """Mean latitude and longitude of each district's sites: a DataFrame indexed by district."""
    if "district" in answer.columns:
        raise Wrong("m03.district_centres.district_column")
    expect_columns(answer, ["lat", "lon"])
    sites = part("pm25").sites
    expected = sites.groupby("district")[["lat", "lon"]].mean()
    expect_length(answer, len(expected))
    if set(map(str, answer.index)) == set(sites["district_ko"]):
        raise Wrong("m03.english_districts")
    _expect_district_labels(answer.index, expected.index)
    aligned = answer.reindex(expected.index)
    if _same(aligned["lat"], expected["lon"]):
        raise Wrong("m03.lat_lon_swapped")
    stations = sites[sites["kind"] == "reference"].groupby("district")[["lat", "lon"]].mean()
    if _same(aligned["lat"], stations["lat"]) and _same(aligned["lon"], stations["lon"]):
        raise Wrong("m03.district_centres.stations_only")
    expect_series_close(answer["lat"], expected["lat"], "m03.what.latitude", rtol=1e-6)
    expect_series_close(answer["lon"], expected["lon"], "m03.what.longitude", rtol=1e-6)


@register("03.5-noisiest-district", hints=("m03.noisiest.hint1", "m03.noisiest.hint2"))
def noisiest_district(answer):
    """The district whose street sensors have the highest mean noise at night (22:00-05:59), in English or Korean."""
    from sensorlab.datasets.base import stations

    if isinstance(answer, pd.Series):
        raise Wrong("m03.noisiest.series")
    if isinstance(answer, (float, np.floating)) or isinstance(answer, (int, np.integer)) and not isinstance(answer, bool):
        raise Wrong("m03.noisiest.number")
    if isinstance(answer, (list, tuple, pd.Index)):
        raise Wrong("m03.noisiest.list")
    expect_type(answer, str)
    table = stations()
    spaced = {n.lower().replace("-", " "): n for n in table["district"]}
    if answer.strip().lower() in spaced:
        raise Wrong("m03.district_spelling", got=answer, name=spaced[answer.strip().lower()])
    english = district_answer(answer)  # "은평구" is Eunpyeong-gu; "마포" and "Mapo" are told to add 구 / -gu
    r = readings_with_sites("noise")
    hour = r["timestamp"].dt.hour
    by_district = r[(hour >= 22) | (hour < 6)].groupby("district")["noise"].mean()
    if english == r.groupby("district")["noise"].mean().idxmax() and english != by_district.idxmax():
        raise Wrong("m03.noisiest.whole_day")
    if english != by_district.idxmax():
        raise Wrong("m03.noisiest.not_max", got=answer.strip(), value=float(by_district[english]),
                    top=float(by_district.max()))


@register("03.5-weekend-no2", level="university", hints=("m03.weekend_no2.hint1", "m03.weekend_no2.hint2"))
def weekend_no2(answer):
    """Weekday minus weekend mean NO2 per district (reference stations), largest first."""
    _expect_series(answer)
    r = readings_with_sites("no2")
    ref = r[r["kind"] == "reference"]
    weekend = ref["timestamp"].dt.day_of_week >= 5
    expected = (ref[~weekend].groupby("district")["no2"].mean()
                - ref[weekend].groupby("district")["no2"].mean()).sort_values(ascending=False)
    expect_length(answer, len(expected))
    _expect_district_labels(answer.index, expected.index)
    if np.allclose(np.sort(answer.to_numpy(float)), np.sort(-expected.to_numpy(float)), atol=1e-9):
        raise Wrong("m03.weekend_no2.reversed")
    aligned = answer.set_axis(answer.index.astype(str)).reindex(expected.index)
    sunday = ref["timestamp"].dt.day_of_week == 6
    if _same(aligned, (ref[~sunday].groupby("district")["no2"].mean()
                       - ref[sunday].groupby("district")["no2"].mean()).reindex(expected.index)):
        raise Wrong("m03.weekend_no2.sunday_only")
    if len(set(map(str, answer.index))) == len(expected) and set(map(str, answer.index)) == set(expected.index):
        expect_series_close(aligned, expected, "m03.what.no2_difference")
    if list(answer.index.astype(str)) == list(expected.index[::-1]):
        raise Wrong("m03.highest_first")
    expect_series_close(answer, expected, "m03.what.no2_difference")
