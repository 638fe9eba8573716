"""A student's method that changes the data it is given (a new column, rows dropped ``inplace=True``,
NaN written into the series) changes the notebook's own table when the notebook calls it, and the
cells and checks after it see other data. Every check of a method students write says so, in English
and Korean, naming the argument; the same method working on a copy passes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _exercise_verdicts import assert_passes, assert_told

from sensorlab import check, check_inputs, forecast


def cycle_adds_hour(readings, quantity):
    readings["hour"] = readings["timestamp"].dt.hour
    return readings.groupby("hour")[quantity].mean()


def cycle_copies_first(readings, quantity):
    readings = readings.copy()
    readings["hour"] = readings["timestamp"].dt.hour
    return readings.groupby("hour")[quantity].mean()


def cycle_drops_rows(readings, quantity):
    readings.drop(readings.index[readings[quantity].isna()], inplace=True)
    return readings.groupby(readings["timestamp"].dt.hour)[quantity].mean()


def spikes_blanking_them(series, window=5, n_mad=8, min_scale=1.0):
    from sensorlab.cleaning import flag_spikes

    flags = flag_spikes(series, window=window, n_mad=n_mad, min_scale=min_scale)
    series[flags] = np.nan  # "clean" the series while flagging it
    return flags


def pairs_indexed_inplace(readings, sites, sensor_id):
    station_id = sites.set_index("site_id").loc[sensor_id, "colocated_with"]
    readings.set_index("timestamp", inplace=True)
    readings = readings[(readings["pm25"] > 0) & (readings["pm25"] <= 500)]

    def daily(site):
        return readings.loc[readings["site_id"] == site, "pm25"].resample("1D").mean()

    return pd.DataFrame({"pm25_raw": daily(sensor_id), "pm25_ref": daily(station_id)}).dropna()


def fit_sorting_inplace(sensor, station):
    sensor.sort_values(inplace=True)  # to draw the line left to right: now the pairs no longer match
    return tuple(np.polyfit(sensor, station.loc[sensor.index], 1))


def persistence_with_a_column(daily):
    daily["forecast"] = forecast.pm25_category(daily["pm25_20h"].shift(1))
    return daily["forecast"]


def split_with_a_column(table, test_start, gap_days):
    start = pd.Timestamp(test_start, tz=table.index.tz)
    table["is_test"] = table.index >= start
    return table[table.index < start - pd.Timedelta(days=gap_days)], table[table["is_test"]].drop(columns="is_test")


def block_ci_sorting(daily, statistic, block=7, n=2000, seed=0):
    daily.sort_values(inplace=True)
    return statistic(daily), statistic(daily)


@pytest.mark.parametrize("exercise, answer, key, name", [
    ("05.1-my-daily-cycle", cycle_adds_hour, "check.changes_input.added_column", "readings"),
    ("05.1-my-daily-cycle", cycle_drops_rows, "check.changes_input.rows", "readings"),
    ("04.3-my-spikes", spikes_blanking_them, "check.changes_input.values", "series"),
    ("06.1-my-pairs", pairs_indexed_inplace, "check.changes_input.removed_column", "readings"),
    ("06.2-my-fit", fit_sorting_inplace, "check.changes_input.index", "sensor"),
    ("07.1-my-persistence", persistence_with_a_column, "check.changes_input.added_column", "daily"),
    ("07.3-my-time-split", split_with_a_column, "check.changes_input.added_column", "table"),
    ("05.5-my-block-ci", block_ci_sorting, "check.changes_input.index", "daily"),
], ids=["05.1-new-column", "05.1-rows-dropped", "04.3-nan-written", "06.1-set-index-inplace", "06.2-sorted-inplace",
        "07.1-new-column", "07.3-new-column", "05.5-sorted-inplace"])
def test_a_method_that_changes_its_input_is_told_so(exercise, answer, key, name):
    assert_told(exercise, answer, key)
    result = check.evaluate(exercise, answer)
    for lang, copy_advice in (("en", "copy"), ("ko", "복사본")):
        shown = result.text(lang=lang)
        assert f"({name})" in shown and f"{name} = {name}.copy()" in shown and copy_advice in shown, shown


def test_the_same_method_on_a_copy_passes():
    assert_passes("05.1-my-daily-cycle", cycle_copies_first)


def test_the_checks_data_is_not_changed_by_a_method_that_changes_its_input():
    from sensorlab.exercises import m06

    before = m06.city().readings.copy()
    check.evaluate("06.1-my-pairs", pairs_indexed_inplace)
    pd.testing.assert_frame_equal(m06.city().readings, before)
    assert check.evaluate("06.2-my-fit", lambda sensor, station: tuple(np.polyfit(sensor, station, 1)))


def test_an_unchanged_table_is_no_change():
    frame = pd.DataFrame({"pm25": [1.0, np.nan]}, index=pd.date_range("2024-01-01", periods=2, tz="Asia/Seoul"))
    assert check_inputs._change(frame, frame.copy()) is None
    assert check_inputs._change(frame["pm25"].to_numpy(), frame["pm25"].to_numpy().copy()) is None
