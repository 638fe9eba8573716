"""A lesson asks the real S-DoT fetchers for the quantities it uses and holds only those.

Only the asked columns are parsed (a broken column that was not asked for is never read), the
readings keep the tidy schema in compact dtypes, and a quantity the table does not have gets a
message naming it and the valid ones, in English and Korean, before any file is looked for.
"""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest

from sensorlab import messages
from sensorlab.datasets import real, real_cache
from sensorlab.datasets.readers import parse_sdot, read_csv_text, sdot_columns
from sensorlab.datasets.registry_real import MIRROR_ENV
from sensorlab.errors import DataFormatError, SensorLabError

HEADER = "시리얼,구분,초미세먼지 (㎍/㎥),기온 (℃),상대습도 (%),측정시간\n"


def write_daily(path, rows: list[str]):
    path.write_bytes(gzip.compress((HEADER + "".join(rows)).encode("utf-8")))
    return path


def test_a_column_not_asked_for_is_never_parsed(tmp_path):
    """The temperature cell is text: reading every column fails on it, asking for PM2.5 does not."""
    path = write_daily(tmp_path / "daily.csv.gz", ["V01,1,12,hot,40,2020-04-01\n",
                                                   "V02,1,15,20.5,41,2020-04-01\n"])
    with pytest.raises(DataFormatError, match="not a number: 'hot'"):
        parse_sdot(read_csv_text(path))
    raw = read_csv_text(path, columns=sdot_columns(["pm25", "humidity"]))
    assert list(raw.frame.columns) == ["시리얼", "구분", "초미세먼지 (㎍/㎥)", "상대습도 (%)", "측정시간"]
    readings, flags = parse_sdot(raw, quantities=["humidity", "pm25"], dtype="float32")
    assert readings.columns.tolist() == ["timestamp", "site_id", "statistic", "pm25", "humidity"]
    assert flags.columns.tolist() == ["pm25", "humidity"]
    assert readings["pm25"].tolist() == [12.0, 15.0] and readings["humidity"].dtype == np.float32
    assert readings["site_id"].dtype == "category" and readings["statistic"].tolist() == ["mean"] * 2


def test_a_quantity_missing_from_the_file_names_the_column(tmp_path):
    path = write_daily(tmp_path / "daily.csv.gz", ["V01,1,12,20,40,2020-04-01\n"])
    with pytest.raises(DataFormatError, match=r"소음 \(noise\).*missing column"):
        parse_sdot(read_csv_text(path, columns=sdot_columns(["noise"])), quantities=["noise"])


@pytest.mark.parametrize("fetch", [real.fetch_sdot_daily, real.fetch_sdot_hourly_sample])
@pytest.mark.parametrize("lang, says", [("en", "no quantity called pm2.5, rain"),
                                        ("ko", "pm2.5, rain이라는 값이 없어요")])
def test_an_unknown_quantity_names_it_and_the_valid_ones(fetch, lang, says, tmp_path, monkeypatch):
    """Said before any file is looked for: an empty cache and no mirror give this, not 'fetch'."""
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    monkeypatch.setenv(real_cache.CACHE_ENV, str(tmp_path / "empty-cache"))
    monkeypatch.setenv(messages.ENV_VAR, lang)
    with pytest.raises(SensorLabError) as err:
        fetch(["pm25", "pm2.5", "rain"])
    message = str(err.value)
    assert says in message and fetch.__name__ in message
    assert ", ".join(real.SDOT_QUANTITIES) in message
    assert not (tmp_path / "empty-cache").exists() or not any((tmp_path / "empty-cache").rglob("*.*"))


@pytest.fixture(scope="module")
def daily_all(real_data_dir):
    return real.fetch_sdot_daily()


@pytest.mark.realdata
def test_daily_holds_only_what_is_asked_with_the_same_values(daily_all):
    some = real.fetch_sdot_daily(["pm25_corrected", "pm25", "humidity"])
    r = some.readings
    assert r.columns.tolist() == ["timestamp", "site_id", "statistic", "pm25", "humidity",
                                  "pm25_corrected"]
    assert some.flags.columns.tolist() == ["pm25", "humidity", "pm25_corrected"]
    assert isinstance(r["site_id"].dtype, pd.CategoricalDtype)
    assert {str(r[q].dtype) for q in some.quantities} == {"float32"}
    # Exact (bit for bit, stricter than the default tolerance): the default compares categorical
    # columns value by value in Python, seconds per column of 203,803 rows.
    pd.testing.assert_frame_equal(r, daily_all.readings[r.columns.tolist()], check_exact=True)
    pd.testing.assert_frame_equal(some.flags, daily_all.flags[some.flags.columns.tolist()], check_exact=True)
    pd.testing.assert_frame_equal(some.sites, daily_all.sites, check_exact=True)
    one = real.fetch_sdot_daily("pm25")   # one name is a list of one
    assert one.quantities == ["pm25"] and one.readings.memory_usage(deep=True).sum() < \
        daily_all.readings.memory_usage(deep=True).sum() / 4


@pytest.mark.realdata
def test_hourly_sample_holds_only_what_is_asked(real_data_dir):
    full = real.fetch_sdot_hourly_sample()
    pm = real.fetch_sdot_hourly_sample(["pm25"])
    assert pm.readings.columns.tolist() == ["timestamp", "site_id", "pm25"]
    assert pm.readings["pm25"].dtype == np.float64   # the hourly means carry 10 digits
    assert isinstance(pm.readings["site_id"].dtype, pd.CategoricalDtype)
    pd.testing.assert_frame_equal(pm.readings, full.readings[["timestamp", "site_id", "pm25"]], check_exact=True)
