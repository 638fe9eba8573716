"""The real-data fetchers against the local mirror ../shared/real-data (skipped where absent).

Expected counts, hashes, sources and attribution lines are read from each folder's PROVENANCE.md
or from the raw files themselves, never typed in here.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pooch
import pytest

from sensorlab.datasets import real
from sensorlab.datasets.base import SEOUL_TZ, SITE_COLUMNS, UNITS, stations
from sensorlab.datasets.readers import FLAG_LABELS, read_sdot_csv
from sensorlab.datasets.real_cache import CACHE_ENV, real_file
from sensorlab.datasets.registry_real import MIRROR_ENV, REGISTRY
from sensorlab.errors import DataFormatError, SensorLabError

pytestmark = pytest.mark.realdata


def provenance(mirror: Path, folder: str) -> str:
    return " ".join((mirror / folder / "PROVENANCE.md").read_text(encoding="utf-8").split())


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("key", sorted(REGISTRY))
def test_registry_hashes_match_provenance_and_the_mirror(real_data_dir, key):
    entry = REGISTRY[key]
    text = provenance(real_data_dir, key.split("/")[0])
    data = (real_data_dir / key).read_bytes()
    assert entry.sha256 in text and sha256(data) == entry.sha256
    if entry.url is None:
        return
    # The publisher's bytes: the mirror file itself, or the original it gzipped.
    original = gzip.decompress(data) if key.endswith(".gz") else data
    assert entry.url_sha256 in text and sha256(original) == entry.url_sha256


@pytest.mark.parametrize("key", [k for k in sorted(REGISTRY) if REGISTRY[k].url])
def test_publisher_address_is_the_pinned_source_of_provenance(real_data_dir, key):
    m = re.fullmatch(r"https://raw\.githubusercontent\.com/([\w.-]+/[\w.-]+)/([0-9a-f]{40})/(.+)",
                     REGISTRY[key].url)
    assert m, REGISTRY[key].url
    text = provenance(real_data_dir, key.split("/")[0])
    repo, commit, path = m.groups()
    assert repo in text and commit in text and path in text


def test_download_asks_pooch_for_the_publisher_file_and_hash(monkeypatch, tmp_path):
    # No network here: capture what would be downloaded instead of downloading it.
    calls = []
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    def retrieve(url, **kw):
        calls.append((url, kw))
        saved = Path(kw["path"]) / kw["fname"]
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text("stand-in for the download\n")
        return str(saved)

    monkeypatch.setattr(pooch, "retrieve", retrieve)
    key = "seoul-air-daily/seoul_daily_air_2019.csv.gz"
    assert real_file(key, "stations-daily") == tmp_path / key.removesuffix(".gz")
    (url, kw), = calls
    assert url == REGISTRY[key].url and kw["known_hash"] == f"sha256:{REGISTRY[key].url_sha256}"
    # the publisher's plain CSV, kept where the mirror keeps its gzip, without ".gz"
    assert Path(kw["path"]) / kw["fname"] == tmp_path / key.removesuffix(".gz")


def test_file_without_a_publisher_address_says_how_to_fetch_it(monkeypatch, tmp_path):
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    with pytest.raises(SensorLabError, match="sensorlab data fetch sdot-daily"):
        real_file(real.SDOT_DAILY_CSV, "sdot-daily")


@pytest.mark.skipif(importlib.util.find_spec("pyreadr") is not None, reason="pyreadr installed")
def test_daily_without_mirror_or_pyreadr_says_what_to_do(monkeypatch):
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    with pytest.raises(SensorLabError, match="pyreadr"):
        real.fetch_sdot_daily()


def test_mirror_hash_mismatch_names_file_and_both_hashes(real_data_dir, tmp_path, monkeypatch):
    key = "seoul-bike-uci/SeoulBikeData.csv"
    bad = tmp_path / key
    bad.parent.mkdir(parents=True)
    bad.write_bytes((real_data_dir / key).read_bytes() + b"\n")
    monkeypatch.setenv(MIRROR_ENV, str(tmp_path))
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "empty-cache"))  # the mirror is read, not a cache
    with pytest.raises(DataFormatError) as err:
        real.fetch_seoul_bike()
    assert err.value.path == str(bad)
    assert REGISTRY[key].sha256 in str(err.value) and sha256(bad.read_bytes()) in str(err.value)
    (tmp_path / "sdot").mkdir()
    with pytest.raises(SensorLabError, match="not in the mirror"):
        real.fetch_sdot_hourly_sample()


def check_tidy(data, expected_rows=None):
    r = data.readings
    assert str(r["timestamp"].dt.tz) == SEOUL_TZ
    assert data.flags.index.equals(r.index)
    assert list(data.flags.columns) == data.quantities
    assert all(set(data.flags[q].cat.categories) == set(FLAG_LABELS) for q in data.quantities)
    assert list(data.sites.columns[:len(SITE_COLUMNS)]) == SITE_COLUMNS
    assert set(r["site_id"]) == set(data.sites["site_id"])
    assert not r.duplicated(["timestamp", "site_id"]).any()
    if expected_rows is not None:
        assert len(r) == expected_rows


@pytest.fixture(scope="module")
def sdot_daily(real_data_dir):
    return real.fetch_sdot_daily()


def test_sdot_daily_is_tidy_and_keeps_every_published_value(real_data_dir, sdot_daily):
    raw = pd.read_csv(real_data_dir / real.SDOT_DAILY_CSV)
    data = sdot_daily
    check_tidy(data, len(raw))
    r = data.readings
    assert [c for c in r.columns if c not in UNITS] == ["timestamp", "site_id", "statistic"]
    assert len(data.quantities) == 20
    assert (r["timestamp"].dt.normalize() == r["timestamp"]).all()
    assert r["timestamp"].dt.strftime("%Y-%m-%d").tolist() == raw["측정시간"].tolist()
    for column, name in [("초미세먼지 (㎍/㎥)", "pm25"), ("기온 (℃)", "temperature"),
                         ("초미세먼지 보정 (㎍/㎥)", "pm25_corrected"), ("조도 (lux)", "illuminance")]:
        # float32, and every value reads back as the decimal the city published
        assert r[name].dtype == np.float32
        np.testing.assert_array_equal([float(str(v)) for v in r[name].to_numpy()],
                                      raw[column].to_numpy(dtype=float))
    # faults stay visible
    flags = data.flags
    assert (flags["pm25_corrected"] == "sentinel").sum() == (raw["초미세먼지 보정 (㎍/㎥)"] == -999).sum() > 0
    hottest = r["temperature"].idxmax()
    assert r.loc[hottest, "temperature"] > 80 and flags.loc[hottest, "temperature"] == "out_of_range"
    assert (flags["noise"] == "missing").sum() == raw["소음 (dB)"].isna().sum()
    assert data.attribution in provenance(real_data_dir, "sdot")


def test_sdot_sites_have_districts_coordinates_and_colocation(real_data_dir, sdot_daily):
    sites = sdot_daily.sites
    coords = pd.read_csv(real_data_dir / "sdot/sensor_longitude_latitude.csv")
    assert sites["site_id"].nunique() == sdot_daily.readings["site_id"].nunique()
    unplaced = set(sites.loc[sites["lat"].isna(), "site_id"])
    assert unplaced == set(sites["site_id"]) - set(coords["시리얼"])
    assert unplaced == set(sdot_daily.meta["sites_without_coordinates"])
    placed = sites.dropna(subset=["lat"])
    assert placed["lat"].between(37.4, 37.7).all() and placed["lon"].between(126.7, 127.2).all()
    assert (sites["kind"] == "street").all()
    assert set(placed["district"]) <= set(stations()["district"])
    paired = sites.dropna(subset=["colocated_with"]).merge(
        stations(), left_on="colocated_with", right_on="site_id", suffixes=("", "_ref"))
    assert len(paired) == len(real.COLOCATED)
    assert (paired["district"] == paired["district_ref"]).all()
    km = np.hypot(paired["lat"] - paired["lat_ref"],
                  (paired["lon"] - paired["lon_ref"]) * np.cos(np.radians(37.5))) * 111
    assert km.max() < 0.5


def test_sdot_hourly_sample_is_one_day_of_hours(real_data_dir):
    data = real.fetch_sdot_hourly_sample()
    check_tidy(data)
    r = data.readings
    assert set(r["timestamp"].dt.strftime("%Y-%m-%d")) == {"2020-05-01"}
    per_site = r.groupby("site_id")["timestamp"].nunique()
    assert len(r) == per_site.sum() and set(per_site) == {24}
    again = read_sdot_csv(real_data_dir / "sdot/sdot_hourly_20200501.csv.gz")
    pd.testing.assert_frame_equal(again.readings, r)


def test_station_daily_all_years(real_data_dir):
    data = real.fetch_station_daily(years=range(2014, 2023))
    check_tidy(data)
    text = provenance(real_data_dir, "seoul-air-daily")
    rows_line = re.search(r"Rows: (.*?)\(", text).group(1)
    published = {int(y): int(n.replace(",", "")) for y, n in re.findall(r"(\d{4}) ([\d,]+)", rows_line)}
    assert data.readings.groupby(data.readings["timestamp"].dt.year).size().to_dict() == published
    assert list(data.readings.columns) == ["timestamp", "site_id", "no2", "o3", "co", "so2", "pm10",
                                           "pm25"]
    urban = data.sites[data.sites["station_type"] == "urban"]
    pd.testing.assert_frame_equal(urban[SITE_COLUMNS[:6]].sort_values("site_id", ignore_index=True),
                                  stations()[SITE_COLUMNS[:6]].sort_values("site_id", ignore_index=True))
    assert (data.sites["kind"] == "reference").all() and data.sites["site_id"].is_unique
    assert data.readings["co"].median() < 1  # CO in ppm, even where the header says CO2
    assert data.attribution in text


def test_station_daily_years_are_checked(real_data_dir):
    one = real.fetch_station_daily(years=2018)
    assert set(one.readings["timestamp"].dt.year) == {2018} and one.meta["years"] == [2018]
    with pytest.raises(SensorLabError, match="2013"):
        real.fetch_station_daily(years=[2013])


def test_seoul_bike(real_data_dir):
    raw = pd.read_csv(real_data_dir / "seoul-bike-uci/SeoulBikeData.csv")
    data = real.fetch_seoul_bike()
    check_tidy(data, len(raw))
    r = data.readings
    assert (r["timestamp"].diff().dropna() == pd.Timedelta(hours=1)).all()
    assert r["rented_bikes"].tolist() == raw["Rented Bike Count"].tolist()
    assert ((data.flags["rented_bikes"] == "closed") == ~r["functioning_day"]).all()
    assert (~r["functioning_day"]).sum() == (raw["Functioning Day"] == "No").sum()
    assert (data.flags["visibility"] == "capped").sum() == (raw["Visibility (10m)"] == 2000).sum()
    assert data.attribution.split(" Licence")[0] in provenance(real_data_dir, "seoul-bike-uci")
