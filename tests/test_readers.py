"""Parsers for the city's formats, on small files written here in both encodings and spellings."""

from __future__ import annotations

import gzip

import numpy as np
import openpyxl
import pandas as pd
import pytest

from sensorlab.datasets.base import UNITS
from sensorlab.datasets.readers import (canonical, parse_bike, parse_stations, quality_flags,
                                        read_csv_text, read_sdot_csv, read_xlsx_text)
from sensorlab.errors import DataFormatError

# The weekly export's spellings (no space before the unit, 전송시간 as YYYYMMDDHHMM) ...
WEEKLY = ("모델명,시리얼,구분,초미세먼지(㎍/㎥),미세먼지(㎍/㎥),기온(℃),상대습도(%),소음(dB),"
          "초미세먼지 보정(㎍/㎥),미세먼지 보정(㎍/㎥),전송시간\n"
          "SDOT001,V02Q1940043,1,18,35,14.2,31,46,29,68,202201031410\n"
          "SDOT001,V02Q1940059,1,0,45,353.4,,48,-999,72,202201031420\n")
# ... and the 2020 daily table's (a space before the unit, 측정시간 as a date).
DAILY = ("모델명,시리얼,구분,초미세먼지 (㎍/㎥),미세먼지 (㎍/㎥),기온 (℃),상대습도 (%),소음 (dB),"
         "초미세먼지 보정 (㎍/㎥),미세먼지 보정 (㎍/㎥),측정시간,등록 일시\n"
         "SDOT001,V02Q1940043,1,18,35,14.2,31,46,29,68,2022-01-03,2022-01-03\n"
         "SDOT001,V02Q1940059,1,0,45,353.4,NA,48,-999,72,2022-01-03,2022-01-03\n")
QUANTITIES = ["pm25", "pm10", "temperature", "humidity", "noise", "pm25_corrected",
              "pm10_corrected"]


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["cp949", "utf-8", "utf-8-sig"])
def test_weekly_export_reads_in_every_encoding(tmp_path, encoding):
    data = read_sdot_csv(write(tmp_path, "S-DoT_NATURE_2022.01.03-01.09.csv", WEEKLY, encoding))
    r = data.readings
    assert list(r.columns) == ["timestamp", "site_id", "statistic", *QUANTITIES]
    assert all(q in UNITS for q in QUANTITIES)
    assert [str(t) for t in r["timestamp"]] == ["2022-01-03 14:10:00+09:00",
                                                "2022-01-03 14:20:00+09:00"]
    assert r["site_id"].tolist() == ["V02Q1940043", "V02Q1940059"]
    assert r["statistic"].tolist() == ["mean", "mean"]
    assert data.meta["encoding"] == ("cp949" if encoding == "cp949" else "utf-8-sig")
    # values kept as published; faults are labelled, not dropped
    assert r.loc[1, "pm25_corrected"] == -999 and r.loc[1, "temperature"] == 353.4
    assert data.flags.loc[1, ["pm25", "temperature", "humidity", "pm25_corrected"]].tolist() == [
        "zero", "out_of_range", "missing", "sentinel"]
    assert (data.flags.loc[0] == "ok").all()
    assert data.flags.index.equals(r.index)
    assert "서울시 IoT도시데이터" in data.attribution


def test_daily_spelling_gives_the_same_columns_as_weekly(tmp_path):
    weekly = read_sdot_csv(write(tmp_path, "w.csv", WEEKLY, "cp949")).readings
    daily = read_sdot_csv(write(tmp_path, "d.csv", DAILY)).readings
    assert list(daily.columns) == list(weekly.columns)
    pd.testing.assert_frame_equal(daily[QUANTITIES], weekly[QUANTITIES])
    assert str(daily.loc[0, "timestamp"]) == "2022-01-03 00:00:00+09:00"


def test_hourly_sample_date_and_hour_columns(tmp_path):
    text = ("시리얼,date,hour,초미세먼지 (㎍/㎥),미세먼지 보정 (㎍/㎥)\n"
            "V02Q1940043,2020.5.1,0,7.9,24.3\nV02Q1940043,2020.5.1,13,9.4,27.9\n")
    path = tmp_path / "h.csv.gz"
    path.write_bytes(gzip.compress(text.encode("cp949")))
    data = read_sdot_csv(path)
    assert [str(t) for t in data.readings["timestamp"]] == ["2020-05-01 00:00:00+09:00",
                                                            "2020-05-01 13:00:00+09:00"]
    assert data.readings["pm10_corrected"].tolist() == [24.3, 27.9]


def test_trailing_empty_fields_of_weekly_exports_are_accepted(tmp_path):
    lines = WEEKLY.splitlines()
    text = "\n".join([lines[0]] + [line + ",," for line in lines[1:]]) + "\n"
    data = read_sdot_csv(write(tmp_path, "w.csv", text, "cp949"))
    assert len(data.readings) == 2 and data.readings.loc[0, "pm25"] == 18


def test_missing_column_names_file_row_and_column(tmp_path):
    text = WEEKLY.replace("시리얼,", "serial_no,", 1)
    path = write(tmp_path, "w.csv", text, "cp949")
    with pytest.raises(DataFormatError) as err:
        read_sdot_csv(path)
    assert err.value.path == str(path) and err.value.row == 0
    assert err.value.column == "시리얼 (site_id)"
    assert "w.csv" in str(err.value) and "serial_no" in str(err.value)


def test_garbage_cell_names_file_row_and_original_column(tmp_path):
    lines = WEEKLY.splitlines()
    garbage = lines[2].replace(",48,", ",loud,")
    path = write(tmp_path, "w.csv", "\n".join([lines[0], lines[1], lines[1], garbage]) + "\n")
    with pytest.raises(DataFormatError) as err:
        read_sdot_csv(path)
    assert (err.value.path, err.value.row, err.value.column) == (str(path), 3, "소음(dB)")
    assert "'loud'" in str(err.value)


def test_row_with_extra_values_names_file_row_and_column(tmp_path):
    lines = WEEKLY.splitlines()
    path = write(tmp_path, "w.csv", "\n".join([lines[0], lines[1], lines[2] + ",7,8"]) + "\n")
    with pytest.raises(DataFormatError) as err:
        read_sdot_csv(path)
    assert err.value.path == str(path) and err.value.row == 2 and err.value.column


def test_garbage_line_with_no_time_names_the_time_column(tmp_path):
    path = write(tmp_path, "w.csv", WEEKLY + "SDOT001,V02Q1940043,1,1,2,3,4,5,6,7,yesterday\n")
    with pytest.raises(DataFormatError) as err:
        read_sdot_csv(path)
    assert (err.value.row, err.value.column) == (3, "전송시간")


@pytest.mark.parametrize("data", [WEEKLY.encode("utf-16"), bytes(range(128, 256)) * 4])
def test_unknown_encoding_names_the_file(tmp_path, data):
    path = tmp_path / "odd.csv"
    path.write_bytes(data)
    with pytest.raises(DataFormatError, match="encoding") as err:
        read_sdot_csv(path)
    assert err.value.path == str(path)


def test_file_without_any_measurement_column_is_refused(tmp_path):
    with pytest.raises(DataFormatError) as err:
        read_sdot_csv(write(tmp_path, "w.csv", "시리얼,전송시간,비고\nV1,202201031410,x\n"))
    assert err.value.row == 0


@pytest.mark.parametrize("spelling, name", [
    *((s, "pm10_corrected") for s in ["미세먼지 보정 (㎍/㎥)", "미세먼지 보정(㎍/㎥)",
                                      "미세먼지보정(ug/m3)", "pm10 보정"]),
    *((s, "vibration_x_max") for s in ["진동(x) 최대 (g)", "진동(x) 최대(g)", "진동(x)최대(mm/s)"]),
    *((s, "temperature") for s in ["기온 (℃)", "기온(℃)", "기온(°C)", "기온"]),
    ("진동(x) (g)", "vibration_x"),
])
def test_official_spellings_land_on_one_name(tmp_path, spelling, name):
    path = write(tmp_path, "w.csv", f"시리얼,전송시간,{spelling}\nV1,202201031410,1.5\n", "cp949")
    readings = read_sdot_csv(path).readings
    assert list(readings.columns) == ["timestamp", "site_id", name]
    assert canonical(spelling) == canonical(spelling.replace(" ", ""))


def test_flags_rules_in_order():
    r = pd.DataFrame({"noise": [50.0, np.nan, -999, 0, 20, 90], "uv": [0, 0, 0, 0, 0, 3.0]})
    flags = quality_flags(r, ["noise", "uv"], ranges={"noise": (35, 85)}, zero_faults={"noise"})
    assert flags["noise"].tolist() == ["ok", "missing", "sentinel", "zero", "out_of_range",
                                       "out_of_range"]
    assert (flags["uv"] == "ok").all()  # zero UV at night is not a fault


STATIONS_2018 = ("측정일시,측정소명,이산화질소농도(ppm),오존농도(ppm),일산화탄소농도(ppm),"
                 "아황산가스농도(ppm),미세먼지농도(㎍/㎥),초미세먼지농도(㎍/㎥)\n"
                 "20180101,강남구,0.034,0.009,0.6,0.006,34,22\n20180101,강남대로,0.04,0,0.9,0.006,,17\n")


def test_station_csv_and_xlsx_with_the_co2_mislabel_read_alike(tmp_path):
    csv_path = write(tmp_path, "2018.csv", STATIONS_2018, "cp949")
    rows = [line.split(",") for line in STATIONS_2018.splitlines()]
    rows[0] = ["측정일시", "측정소명", "이산화질소농도(ppm)", "오존농도(ppm)", "이산화탄소농도(ppm)",
               "아황산가스(ppm)", "미세먼지(㎍/㎥)", "초미세먼지(㎍/㎥)"]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([int(c) if c.isdigit() and len(c) == 8 else
                            (float(c) if c.replace(".", "").isdigit() else (c or None))
                            for c in row])
    xlsx_path = tmp_path / "2016.xlsx"
    book.save(xlsx_path)
    from_csv, flags = parse_stations(read_csv_text(csv_path))
    from_xlsx, _ = parse_stations(read_xlsx_text(xlsx_path))
    cols = ["timestamp", "station", "no2", "o3", "co", "so2", "pm10", "pm25"]
    assert list(from_csv.columns) == cols
    pd.testing.assert_frame_equal(from_csv, from_xlsx)
    assert from_csv["co"].tolist() == [0.6, 0.9]
    assert flags.loc[1, ["o3", "pm10"]].tolist() == ["zero", "missing"]


def test_not_a_workbook_is_a_data_format_error(tmp_path):
    path = write(tmp_path, "2014.xlsx", STATIONS_2018)
    with pytest.raises(DataFormatError, match="xlsx") as err:
        read_xlsx_text(path)
    assert err.value.path == str(path)


BIKE = ("Date,Rented Bike Count,Hour,Temperature(°C),Humidity(%),Wind speed (m/s),"
        "Visibility (10m),Dew point temperature(°C),Solar Radiation (MJ/m2),Rainfall(mm),"
        "Snowfall (cm),Seasons,Holiday,Functioning Day\n"
        "01/12/2017,254,0,-5.2,37,2.2,2000,-17.6,0,0,0,Winter,No Holiday,Yes\n"
        "10/04/2018,0,13,12.0,0,1.0,1500,2.0,1.2,0,0,Spring,Holiday,No\n")


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])  # UCI's own file has a 1-byte °
def test_bike_table(tmp_path, encoding):
    r, flags = parse_bike(read_csv_text(write(tmp_path, "bike.csv", BIKE, encoding)))
    assert [str(t) for t in r["timestamp"]] == ["2017-12-01 00:00:00+09:00",
                                                "2018-04-10 13:00:00+09:00"]
    assert r["holiday"].tolist() == [False, True] and r["functioning_day"].tolist() == [True, False]
    assert flags.loc[0, "visibility"] == "capped" and flags.loc[1, "rented_bikes"] == "closed"
    assert flags.loc[1, "humidity"] == "zero" and flags.loc[1, "visibility"] == "ok"


def test_bike_unknown_holiday_value_names_row_and_column(tmp_path):
    path = write(tmp_path, "bike.csv", BIKE.replace(",Holiday,No", ",Maybe,No"))
    with pytest.raises(DataFormatError) as err:
        parse_bike(read_csv_text(path))
    assert (err.value.row, err.value.column) == (2, "Holiday")


def test_crlf_line_ends_as_in_the_citys_cp949_files(tmp_path):
    crlf = read_sdot_csv(write(tmp_path, "w.csv", WEEKLY.replace("\n", "\r\n"), "cp949")).readings
    lf = read_sdot_csv(write(tmp_path, "l.csv", WEEKLY, "cp949")).readings
    pd.testing.assert_frame_equal(crlf, lf)
