"""Parsers for the city's own file formats: S-DoT CSVs, station files, the UCI bike table.

The city publishes in CP949 or UTF-8, with unit spellings that change between exports
(``미세먼지 보정 (㎍/㎥)`` in 2020, ``미세먼지 보정(㎍/㎥)`` in the weekly files) and timestamps as
``2020-04-01``, ``2020.5.1`` + hour, or ``202201031410`` (``전송시간``). Headers are matched
after removing spaces and the trailing unit, so every spelling lands on one English name.
Values are kept as published; :func:`quality_flags` labels the suspicious ones.

Bad input raises :class:`~sensorlab.errors.DataFormatError` naming the file, the data row
(1-based; the header is row 0) and the column. Nothing is returned half-parsed.

Examples
--------
>>> import io
>>> text = "시리얼,전송시간,미세먼지 보정(㎍/㎥),기온(℃)\\nV02Q1940043,202201031410,-999,353.4\\n"
>>> data = read_sdot_csv(io.BytesIO(text.encode("cp949")))
>>> data.readings[["site_id", "pm10_corrected", "temperature"]]
       site_id  pm10_corrected  temperature
0  V02Q1940043          -999.0        353.4
>>> str(data.readings.loc[0, "timestamp"])
'2022-01-03 14:10:00+09:00'
>>> data.flags.loc[0, "pm10_corrected"], data.flags.loc[0, "temperature"]
('sentinel', 'out_of_range')
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import warnings
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import openpyxl
import pandas as pd

from sensorlab.datasets.base import SEOUL_TZ, SITE_COLUMNS, SensorData
from sensorlab.errors import DataFormatError

SDOT_ATTRIBUTION = ("본 자료는 서울시 IoT도시데이터 자료를 활용한 것이며, "
                    "연구 결과는 서울시와 관련 없음을 밝힙니다.")

#: Labels a flag can take; "ok" means no rule fired, not that the value is right.
FLAG_LABELS = ["ok", "missing", "sentinel", "zero", "out_of_range", "capped", "closed"]

#: Valid ranges of the S-DoT sensors, from the city's field dictionary
#: (sensor_data_information.csv), converted from the raw integer scalings to physical units.
SDOT_RANGES: dict[str, tuple[float, float]] = {
    "pm25": (0, 1500), "pm10": (0, 1500), "pm25_corrected": (0, 1500), "pm10_corrected": (0, 1500),
    "temperature": (-50, 80), "globe_temperature": (-50, 80), "humidity": (0, 100),
    "wind_direction": (0, 360), "gust_direction": (0, 360), "wind_speed": (0, 100),
    "gust_speed": (0, 100), "illuminance": (0, 120_000), "uv": (0, 16), "noise": (35, 85),
    **{f"vibration_{a}": (0, 16) for a in ("x", "y", "z", "x_max", "y_max", "z_max", "max")},
}
#: Quantities whose exact zero is a fault signature (a dead or unplugged sensor), not weather.
SDOT_ZERO_FAULTS = {"pm25", "pm10", "pm25_corrected", "pm10_corrected", "temperature", "humidity",
                    "noise", "globe_temperature", "wind_speed", "gust_speed"}
SENTINEL = -999

_SDOT_HEADERS = {
    "시리얼": "site_id", "측정시간": "time", "전송시간": "time", "date": "date", "hour": "hour",
    "구분": "statistic", "모델명": None, "등록일시": None, "등록일자": None,
    "초미세먼지": "pm25", "미세먼지2.5": "pm25", "미세먼지": "pm10", "미세먼지10": "pm10",
    "기온": "temperature", "상대습도": "humidity", "풍향": "wind_direction", "풍속": "wind_speed",
    "돌풍풍향": "gust_direction", "돌풍풍속": "gust_speed", "조도": "illuminance", "자외선": "uv",
    "소음": "noise", "진동(x)": "vibration_x", "진동(y)": "vibration_y", "진동(z)": "vibration_z",
    "진동(x)최대": "vibration_x_max", "진동(y)최대": "vibration_y_max",
    "진동(z)최대": "vibration_z_max", "진동(x/y/z)최대": "vibration_max",
    "흑구온도": "globe_temperature", "초미세먼지보정": "pm25_corrected",
    "pm25보정": "pm25_corrected", "미세먼지보정": "pm10_corrected", "pm10보정": "pm10_corrected",
}
_STATISTIC = {"1": "mean", "2": "max", "3": "min"}

_UNIT = re.compile(r"\((?![xyz](?:/[xyz])*\))[^()]*\)$")
_TIME = re.compile(r"^\s*(\d{4})[-./]?(\d{1,2})[-./]?(\d{1,2})"
                   r"(?:[ _T]?(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?)?\s*$")


def canonical(header: str) -> str:
    """A header without spaces, quotes, trailing unit or ``농도``, lower-cased.

    >>> canonical("미세먼지 보정 (㎍/㎥)"), canonical("미세먼지 보정(㎍/㎥)"), canonical("진동(x) 최대 (g)")
    ('미세먼지보정', '미세먼지보정', '진동(x)최대')
    >>> canonical("이산화질소농도(ppm)"), canonical("Wind speed (m/s)")
    ('이산화질소', 'windspeed')
    """
    key = re.sub(r"[\s\"'\ufeff]", "", str(header))
    key = _UNIT.sub("", key)
    return key.removesuffix("농도").lower()


@dataclass
class RawTable:
    """A file's cells as text, its original header, and how it was read."""

    frame: pd.DataFrame
    label: str
    encoding: str = ""
    ignored: list[str] = field(default_factory=list)


def _label(source) -> str:
    return str(source) if isinstance(source, (str, Path)) else getattr(source, "name", "<stream>")


def _unpacked(data: bytes):
    """A stream of the file's bytes, gunzipped on the fly when it is gzipped (never whole)."""
    stream = io.BytesIO(data)
    return gzip.GzipFile(fileobj=stream, mode="rb") if data[:2] == b"\x1f\x8b" else stream


def sniff_encoding(data: bytes, label: str) -> str:
    """The encoding of ``data`` (gzip allowed): UTF-8 (with or without BOM) or CP949.

    Checked a megabyte at a time: the decoded text of a national file is 2-4x its bytes and
    would be the largest thing a lesson holds.

    >>> sniff_encoding("기온".encode("cp949"), "t.csv"), sniff_encoding("기온".encode(), "t.csv")
    ('cp949', 'utf-8-sig')
    """
    for encoding in ("utf-8-sig", "cp949"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with _unpacked(data) as stream:
                # UTF-16 and binary files decode as CP949 but carry NULs
                clean = all("\x00" not in decoder.decode(chunk)
                            for chunk in iter(lambda: stream.read(1 << 20), b""))
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        except (OSError, EOFError, zlib.error) as exc:
            raise DataFormatError(f"broken gzip file ({exc})", path=label) from None
        if clean:
            return encoding
    raise DataFormatError("unknown text encoding: expected UTF-8 or CP949 (EUC-KR)", path=label)


def decode(data: bytes, label: str) -> tuple[str, str]:
    """Text of ``data`` (gzip allowed) and the encoding used: UTF-8 (with or without BOM) or CP949.

    >>> decode("기온".encode("cp949"), "t.csv")
    ('기온', 'cp949')
    >>> decode("\\ufeff기온".encode("utf-8"), "t.csv")
    ('기온', 'utf-8-sig')
    """
    encoding = sniff_encoding(data, label)
    with _unpacked(data) as stream:
        return stream.read().decode(encoding), encoding


def read_csv_text(source, columns: Callable[[str], bool] | None = None) -> RawTable:
    """Read a CSV (path or binary file object) into text cells, keeping the original header.

    Rows with more fields than the header are allowed only where the extra fields are empty
    (the city's weekly exports end every row with empty fields).

    Parameters
    ----------
    source : str, Path or binary file object
        The CSV, plain or gzipped, UTF-8 or CP949.
    columns : callable, optional
        Chooses the columns to read from their header (stripped of spaces and BOM); the others
        are never parsed, so a lesson that asks for one quantity of a 20-column national file
        does not hold the other 19 in memory. Default: every column.
    """
    label = _label(source)
    data = Path(source).read_bytes() if isinstance(source, (str, Path)) else source.read()
    encoding = sniff_encoding(data, label)
    with _unpacked(data) as stream:
        first = stream.readline().decode(encoding).rstrip("\r\n")
    header = next(csv.reader([first]), [])
    if not any(h.strip() for h in header):
        raise DataFormatError("no header row", path=label, row=0)
    names = [h.strip().lstrip("\ufeff") for h in header]
    usecols = None if columns is None else [i for i, name in enumerate(names) if columns(name)]
    try:
        # Let the C parser read numbers (fast); columns with any text stay text for to_numbers.
        # With chosen columns, parse in chunks: the tokens of all columns are never held at once
        # (a column of numbers with text in one chunk comes back mixed; to_numbers reads both).
        with _unpacked(data) as stream, warnings.catch_warnings():
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)
            frame = pd.read_csv(stream, encoding=encoding, header=None, skiprows=1,
                                na_values=["-"], skip_blank_lines=True,
                                low_memory=usecols is not None, usecols=usecols)
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame(columns=range(len(header)) if usecols is None else usecols)
    except pd.errors.ParserError as exc:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if not m:
            raise DataFormatError(f"not a readable CSV ({exc})", path=label) from None
        expected, line, _ = map(int, m.groups())
        raise DataFormatError(f"row has more fields than the rows before it ({exc})", path=label,
                              row=line - 1, column=_column_name(header, expected)) from None
    if usecols is not None:  # only the chosen columns were parsed: nothing beyond the header
        frame.columns = [names[i] for i in frame.columns]
        return RawTable(frame, label, encoding)
    extra = frame.iloc[:, len(header):]
    if extra.shape[1]:
        filled = extra.notna().to_numpy()
        if filled.any():
            row, col = np.argwhere(filled)[0]
            raise DataFormatError("value beyond the last header column", path=label,
                                  row=int(row) + 1, column=_column_name(header, len(header) + col))
        frame = frame.iloc[:, :len(header)]
    for missing in range(frame.shape[1], len(header)):
        frame[missing] = np.nan
    frame.columns = names
    return RawTable(frame, label, encoding)


def _column_name(header: list[str], index: int) -> str:
    return header[index] if index < len(header) else f"field {index + 1}"


def rename(raw: RawTable, mapping: dict[str, str | None], required: list[str]) -> pd.DataFrame:
    """Columns renamed to tidy names; a DataFormatError names the first required one absent."""
    names, originals = {}, {}
    for column in raw.frame.columns:
        tidy = mapping.get(canonical(column), "?")
        if tidy == "?":
            raw.ignored.append(column)
        elif tidy is not None and tidy not in originals:
            names[column], originals[tidy] = tidy, column
    for need in required:
        if need not in originals:
            spelling = next(key for key, tidy in mapping.items() if tidy == need)
            raise DataFormatError(f"missing column (columns found: "
                                  f"{', '.join(map(str, raw.frame.columns))})",
                                  path=raw.label, row=0, column=f"{spelling} ({need})")
    frame = raw.frame[list(names)].rename(columns=names)
    frame.attrs["originals"] = originals
    return frame


def to_numbers(frame: pd.DataFrame, columns: list[str], label: str,
               dtype: str = "float64") -> pd.DataFrame:
    """Convert cells to float; empty cells, ``NA`` and ``-`` are NaN, any other text is an error.

    ``dtype`` "float32" halves the memory where the file's values are exact in it (the S-DoT
    daily table: every published value comes back as the same decimal).
    """
    out = {}
    for name in columns:
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column):
            out[name] = column.astype(dtype)
            continue
        text = column.astype("str").str.strip()
        blank = column.isna() | text.isin(["", "NA", "NaN", "nan", "-"])
        values = pd.to_numeric(text.where(~blank), errors="coerce")
        bad = values.isna() & ~blank
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataFormatError(f"not a number: {text.iloc[row]!r}", path=label, row=row + 1,
                                  column=frame.attrs.get("originals", {}).get(name, name))
        out[name] = values.astype(dtype)
    return pd.DataFrame(out, index=frame.index)


def _as_text(column: pd.Series) -> pd.Series:
    """Cells as text; whole numbers the parser read as floats (because of a gap) lose their '.0'."""
    if pd.api.types.is_float_dtype(column) and (column.dropna() % 1 == 0).all():
        column = column.astype("Int64")
    return column.astype("str")


def to_timestamps(text: pd.Series, label: str, column: str) -> pd.Series:
    """Parse ``2020-04-01``, ``2020.5.1 13``, ``20200401`` or ``202201031410`` to Asia/Seoul times."""
    codes, uniques = pd.factorize(_as_text(text).str.strip())
    parts = pd.Series(uniques, dtype="str").str.extract(_TIME).astype("float64")
    parts.columns = ["year", "month", "day", "hour", "minute", "second"]
    times = pd.to_datetime(parts.fillna({"hour": 0, "minute": 0, "second": 0}), errors="coerce")
    values = times.to_numpy()[codes]
    bad = np.flatnonzero(pd.isna(values))
    if len(bad):
        row = int(bad[0])
        raise DataFormatError(f"not a date/time: {text.iloc[row]!r}", path=label, row=row + 1,
                              column=column)
    return pd.Series(pd.DatetimeIndex(values).tz_localize(SEOUL_TZ), index=text.index,
                     name="timestamp")


def quality_flags(readings: pd.DataFrame, quantities: list[str], *, ranges=None,
                  zero_faults=(), sentinel=SENTINEL) -> pd.DataFrame:
    """One label per reading and quantity: missing, sentinel, zero, out_of_range or ok.

    The first rule that fires wins, in that order. Flags share the readings' index.

    >>> r = pd.DataFrame({"pm25": [12.0, None, -999, 0, 2000]})
    >>> quality_flags(r, ["pm25"], ranges={"pm25": (0, 1500)}, zero_faults={"pm25"})["pm25"].tolist()
    ['ok', 'missing', 'sentinel', 'zero', 'out_of_range']
    """
    ranges = ranges or {}
    flags = {}
    for name in quantities:
        v = readings[name].to_numpy(dtype="float64")
        low, high = ranges.get(name, (-np.inf, np.inf))
        with np.errstate(invalid="ignore"):
            code = np.select(
                [np.isnan(v), v == sentinel, (v == 0) & (name in zero_faults), (v < low) | (v > high)],
                [1, 2, 3, 4], 0)
        flags[name] = pd.Categorical.from_codes(code, categories=FLAG_LABELS)
    return pd.DataFrame(flags, index=readings.index)


def sdot_columns(quantities: list[str]) -> Callable[[str], bool]:
    """Which S-DoT headers to read for ``quantities``: theirs, the serial's and the time's."""
    keep = {"site_id", "time", "date", "hour", "statistic", *quantities}
    return lambda header: _SDOT_HEADERS.get(canonical(header), "?") in keep


def parse_sdot(raw: RawTable, required: list[str] | None = None, *,
               quantities: list[str] | None = None,
               dtype: str = "float64") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tidy readings and flags from an S-DoT table (daily, hourly sample or weekly export).

    ``quantities`` keeps only those (each must be in the file); default every one the file has.
    Readings are ``dtype``; the serial is categorical (a few hundred serials over many rows).
    """
    headers = {canonical(c) for c in raw.frame.columns}
    time_cols = ["date", "hour"] if {"date", "hour"} <= headers and "측정시간" not in headers \
        and "전송시간" not in headers else ["time"]
    required = [*(required or []), *(quantities or [])]
    frame = rename(raw, _SDOT_HEADERS, ["site_id", *time_cols, *dict.fromkeys(required)])
    quantities = [c for c in frame.columns if c in SDOT_RANGES and (quantities is None or c in quantities)]
    if not quantities:
        raise DataFormatError("no S-DoT measurement column (e.g. 초미세먼지, 기온, 소음)",
                              path=raw.label, row=0, column="초미세먼지")
    originals = frame.attrs["originals"]
    site = frame["site_id"].astype("str").str.strip()
    if (frame["site_id"].isna() | (site == "")).any():
        row = int(np.flatnonzero((frame["site_id"].isna() | (site == "")).to_numpy())[0])
        raise DataFormatError("empty sensor serial", path=raw.label, row=row + 1,
                              column=originals["site_id"])
    when = (frame["time"] if time_cols == ["time"]
            else _as_text(frame["date"]) + " " + _as_text(frame["hour"]))
    readings = pd.concat([
        to_timestamps(when, raw.label, " + ".join(originals[c] for c in time_cols)).to_frame(),
        site.astype("category").rename("site_id").to_frame(),
        *([frame["statistic"].astype("str").str.strip().replace(_STATISTIC)
           .astype("category").to_frame()] if "statistic" in frame else []),
        to_numbers(frame, quantities, raw.label, dtype),
    ], axis=1)
    flags = quality_flags(readings, quantities, ranges=SDOT_RANGES, zero_faults=SDOT_ZERO_FAULTS)
    return readings, flags


def read_sdot_csv(source) -> SensorData:
    """Read an S-DoT CSV a student downloaded (Seoul Open Data Plaza OA-15969) into the tidy schema.

    Parameters
    ----------
    source : str, Path or binary file object
        A weekly export (``S-DoT_NATURE_YYYY.MM.DD-MM.DD.csv``, CP949, ``전송시간``), the 2020
        daily table or the one-day hourly sample; gzip is unpacked on the fly.

    Returns
    -------
    SensorData
        ``readings`` (timestamp, site_id, quantities as published), ``flags`` (per-quantity
        labels), ``sites`` (the serials only: join :func:`sensorlab.datasets.fetch_sdot_sites`
        for districts and coordinates).

    Raises
    ------
    DataFormatError
        Unknown encoding, a missing serial/time column, or a cell that is not a number/time,
        naming the file, row and column.
    """
    raw = read_csv_text(source)
    readings, flags = parse_sdot(raw)
    sites = pd.DataFrame({"site_id": pd.Series(pd.unique(readings["site_id"])).astype("str")}).assign(
        kind="street", district=pd.NA, district_ko=pd.NA, lat=np.nan, lon=np.nan,
        colocated_with=pd.NA)[SITE_COLUMNS]
    return SensorData(readings=readings, sites=sites, flags=flags, name=Path(raw.label).name,
                      attribution=SDOT_ATTRIBUTION,
                      meta={"source": raw.label, "encoding": raw.encoding,
                            "ignored_columns": raw.ignored})


def read_xlsx_text(path) -> RawTable:
    """Read the first sheet of an xlsx workbook (openpyxl, read-only: twice as fast as pandas')."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        book.close()
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise DataFormatError(f"not a readable xlsx workbook ({type(exc).__name__}: {exc})",
                              path=path) from None
    if not rows:
        raise DataFormatError("empty workbook", path=path, row=0)
    header = ["" if h is None else str(h).strip() for h in rows[0]]
    frame = pd.DataFrame.from_records(rows[1:], columns=header).infer_objects()
    return RawTable(frame, str(path), "xlsx")


_STATION_HEADERS = {
    "측정일시": "time", "측정소명": "station", "이산화질소": "no2", "오존": "o3",
    "일산화탄소": "co", "이산화탄소": "co",   # 2014-2017 files mislabel CO as CO2; values are CO
    "아황산가스": "so2", "미세먼지": "pm10", "초미세먼지": "pm25",
}
STATION_QUANTITIES = ["no2", "o3", "co", "so2", "pm10", "pm25"]


def parse_stations(raw: RawTable) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Readings (with the Korean ``station`` name) and flags from an OA-2218 daily file."""
    frame = rename(raw, _STATION_HEADERS, ["time", "station", *STATION_QUANTITIES])
    station = frame["station"].astype("str").str.strip()
    readings = pd.concat([
        to_timestamps(frame["time"], raw.label, frame.attrs["originals"]["time"]).to_frame(),
        station.to_frame(), to_numbers(frame, STATION_QUANTITIES, raw.label)], axis=1)
    flags = quality_flags(readings, STATION_QUANTITIES, zero_faults=set(STATION_QUANTITIES))
    return readings, flags


_BIKE_HEADERS = {
    "date": "date", "rentedbikecount": "rented_bikes", "hour": "hour",
    "temperature": "temperature", "humidity": "humidity", "windspeed": "wind_speed",
    "visibility": "visibility", "dewpointtemperature": "dew_point",
    "solarradiation": "solar_radiation", "rainfall": "rainfall", "snowfall": "snowfall",
    "seasons": "seasons", "holiday": "holiday", "functioningday": "functioning_day",
}
BIKE_QUANTITIES = ["rented_bikes", "temperature", "humidity", "wind_speed", "visibility",
                   "dew_point", "solar_radiation", "rainfall", "snowfall"]
VISIBILITY_CAP = 2000


def _yes_no(frame: pd.DataFrame, name: str, yes: str, no: str, label: str) -> pd.Series:
    text = frame[name].astype("str").str.strip()
    bad = ~text.isin([yes, no])
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataFormatError(f"expected {yes!r} or {no!r}, found {text.iloc[row]!r}", path=label,
                              row=row + 1, column=frame.attrs["originals"][name])
    return (text == yes).rename(name)


def parse_bike(raw: RawTable) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Readings and flags from the UCI Seoul Bike Sharing Demand table (``dd/mm/yyyy`` + hour)."""
    frame = rename(raw, _BIKE_HEADERS, list(_BIKE_HEADERS.values()))
    iso_date = _as_text(frame["date"]).str.replace(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", r"\3-\2-\1",
                                                    regex=True)
    originals = frame.attrs["originals"]
    readings = pd.concat([
        to_timestamps(iso_date + " " + _as_text(frame["hour"]), raw.label,
                      f"{originals['date']} + {originals['hour']}").to_frame(),
        pd.Series("seoul", index=frame.index, name="site_id").to_frame(),
        to_numbers(frame, BIKE_QUANTITIES, raw.label),
        frame["seasons"].astype("str").str.strip().to_frame(),
        _yes_no(frame, "holiday", "Holiday", "No Holiday", raw.label).to_frame(),
        _yes_no(frame, "functioning_day", "Yes", "No", raw.label).to_frame(),
    ], axis=1)
    flags = quality_flags(readings, BIKE_QUANTITIES, zero_faults={"humidity"})
    flags.loc[readings["visibility"] >= VISIBILITY_CAP, "visibility"] = "capped"
    flags.loc[~readings["functioning_day"], "rented_bikes"] = "closed"
    return readings, flags
