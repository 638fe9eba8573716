"""load_city loads only what a lesson asks for, compactly, and the same values as the whole city."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sensorlab import messages
from sensorlab.datasets import load_city


@pytest.fixture(scope="module")
def whole():
    return load_city()


def test_a_part_is_the_whole_city_filtered_value_for_value(whole):
    part = load_city(["no2", "pm25"], districts=["마포구", "Jongno-gu"], kind="reference",
                     start="2024-03-01", end="2024-03-31")
    r = whole.readings
    keep = (r["site_id"].isin(["ref-101", "ref-106"]) & (r["timestamp"] >= "2024-03-01")
            & (r["timestamp"] < "2024-04-01"))
    # columns in the bundle's order whatever order they were asked in
    expected = r.loc[keep, ["timestamp", "site_id", "pm25", "no2"]].reset_index(drop=True)
    got = part.readings.assign(site_id=part.readings["site_id"].astype(str))
    pd.testing.assert_frame_equal(got, expected.assign(site_id=expected["site_id"].astype(str)), check_exact=True)
    truth = whole.truth.loc[keep, ["timestamp", "site_id", "pm25", "no2", "fault_pm25", "fault_no2"]]
    pd.testing.assert_frame_equal(part.truth.drop(columns="site_id"),
                                  truth.drop(columns="site_id").reset_index(drop=True), check_exact=True)
    assert part.sites["site_id"].astype(str).tolist() == ["ref-101", "ref-106"]
    assert len(part.readings) == 2 * 31 * 24


def test_readings_are_compact_and_truth_is_optional(whole):
    lean = load_city("pm25", truth=False)
    assert lean.truth is None and lean.quantities == ["pm25"]
    assert str(lean.readings["pm25"].dtype) == "float32"
    assert lean.readings["site_id"].cat.codes.dtype == np.int8  # one byte per row, 125 sites
    assert isinstance(lean.sites["district"].dtype, pd.CategoricalDtype)
    # 8 (timestamp) + 1 (site) + 4 (PM2.5) bytes a row; the whole city's readings, 8 + 1 + 10 x 4
    assert lean.readings.memory_usage(deep=True).sum() < 14 * len(lean.readings)
    assert whole.readings.memory_usage(deep=True).sum() < 50 * len(whole.readings)
    # a merge with the sites table keeps one byte per row for the site columns
    merged = lean.readings.merge(lean.sites[["site_id", "kind", "district"]], on="site_id")
    assert merged.memory_usage(deep=True).sum() < 16 * len(merged)
    # a part's site categories are its own sites: a groupby shows no empty sites
    street = load_city("noise", kind="street", truth=False)
    sizes = street.readings.groupby("site_id", observed=False).size()
    assert len(sizes) == 100 and sizes.gt(0).all()


@pytest.mark.parametrize("kwargs, named", [
    ({"quantities": "pm2.5"}, "pm2.5"),
    ({"districts": "Mapo"}, "Mapo"),
    ({"sites": ["ref-101", "ref-999"]}, "ref-999"),
    ({"kind": "station"}, "station"),
])
def test_a_typo_is_named_with_the_choices(kwargs, named):
    with pytest.raises(ValueError, match=named) as err:
        load_city(**kwargs, truth=False)
    assert "Choose from" in str(err.value)


def test_empty_choices_say_why_in_korean_too():
    messages.set_language("ko")
    try:
        with pytest.raises(ValueError, match="합성 도시에는 2024-01-01부터"):
            load_city("pm25", start="2025-01-01", truth=False)
        with pytest.raises(ValueError, match="지점이 없어요"):
            load_city("pm25", sites="ref-101", kind="street", truth=False)
    finally:
        messages.set_language("en")


@pytest.mark.parametrize("kwargs, nearest", [
    ({"districts": "Mapo"}, "Mapo-gu"),
    ({"districts": "마포"}, "마포구"),
    ({"districts": "mapo-gu"}, "Mapo-gu"),
    ({"quantities": "NO2"}, "no2"),
    ({"sites": "ref120"}, "ref-120"),
])
def test_a_typo_is_offered_the_nearest_name(kwargs, nearest):
    """A student who writes 'Mapo' or '마포' is shown 'Mapo-gu' / '마포구', not only 'Jongno-gu'."""
    with pytest.raises(ValueError) as err:
        load_city(**kwargs, truth=False)
    choices = str(err.value).split("Choose from:")[1]
    assert nearest in choices.split(", ")[0]


@pytest.mark.parametrize("kwargs, named", [
    ({"start": "March"}, "March"),        # pandas reads it as 1 March of year 1: the whole year came back
    ({"start": 20240301}, "20240301"),    # pandas reads it as nanoseconds after 1970: the whole year
    ({"start": ""}, "start"),             # NaT: an AttributeError reached the student
    ({"end": "2024-02-30"}, "2024-02-30"),
])
def test_a_date_that_is_not_one_is_named(kwargs, named):
    with pytest.raises(ValueError, match=named) as err:
        load_city("pm25", sites="ref-101", truth=False, **kwargs)
    assert "2024-03-01" in str(err.value)  # shows how to write one
    # the forms students do write still work
    for day in ("2024.03.01", "2024/03/01", "1 March 2024", pd.Timestamp("2024-03-01", tz="UTC")):
        assert len(load_city("pm25", sites="ref-101", start=day, end=day, truth=False).readings) == 24


def test_colocated_kind_is_every_sensor_beside_a_station_and_those_stations_and_pairs_the_same():
    from sensorlab.calibration import colocated_pairs

    part = load_city(["pm25", "humidity", "temperature"], kind="colocated", truth=False)
    whole = load_city(["pm25", "humidity", "temperature"], truth=False)
    beside = whole.sites.dropna(subset=["colocated_with"])
    assert set(part.sites["site_id"].astype(str)) == (set(beside["site_id"].astype(str))
                                                       | set(beside["colocated_with"].astype(str)))
    assert len(part.readings) < len(whole.readings) / 2
    pd.testing.assert_frame_equal(colocated_pairs(part).reset_index(drop=True),
                                  colocated_pairs(whole).reset_index(drop=True), check_categorical=False)
