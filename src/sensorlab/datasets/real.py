"""The city's real files, in the same tidy schema as the bundled synthetic city.

Five fetchers, each returning a :class:`~sensorlab.datasets.base.SensorData` (the sites
fetcher returns the sites table):

- :func:`fetch_sdot_daily`: S-DoT street sensors, daily means 2020-04-01..11-30 (861 sensors).
- :func:`fetch_sdot_hourly_sample`: S-DoT hourly means for one day, 2020-05-01 (845 sensors).
- :func:`fetch_sdot_sites`: the S-DoT sensors' districts and real coordinates.
- :func:`fetch_station_daily`: official daily means at every monitoring station, 2014-2022.
- :func:`fetch_seoul_bike`: UCI Seoul Bike Sharing Demand, hourly rentals and weather 2017-18.

Each file is read from the cache when it is there (``sensorlab data fetch`` fills it once, see
:mod:`sensorlab.datasets.real_cache`), else from the folder named by ``SENSORLAB_DATA_MIRROR``
(laid out like ``shared/real-data``: ``sdot/``, ``seoul-air-daily/``, ``seoul-bike-uci/``), else
downloaded into the cache from the publisher's address pinned to a git commit; every file is
checked against the sha256 in its PROVENANCE.md. Without cache, mirror or network the error says
the one command to run.
Values stay as published (zeros, ``-999``, 353 °C): ``data.flags`` labels each reading
``ok``, ``missing``, ``sentinel``, ``zero``, ``out_of_range`` (S-DoT field dictionary ranges),
``capped`` or ``closed``, so a cleaning lesson decides what to drop. Keep ``data.attribution``
under every figure and table made from the data.

Switching a lesson to real data
-------------------------------
The notebook code stays the same; only the line that loads the data changes::

    from sensorlab.datasets import load_city, fetch_sdot_daily, fetch_station_daily

    data = load_city()                  # bundled synthetic city, works offline
    data = fetch_sdot_daily()           # the real S-DoT network, April-November 2020
    data = fetch_sdot_daily(["pm25"])   # ... only the quantities the lesson uses (far less memory)
    clean = data.readings[data.flags["pm25"] == "ok"]      # drop what the flags mark
    ref = fetch_station_daily(years=[2020])                # the reference stations
    pairs = data.sites.dropna(subset=["colocated_with"])   # 25 sensors beside a station
    print(data.attribution)             # the publisher's attribution line

A student's own weekly download goes through :func:`sensorlab.datasets.readers.read_sdot_csv`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from sensorlab.datasets.base import SITE_COLUMNS, SensorData, stations
from sensorlab.datasets.readers import (SDOT_ATTRIBUTION, parse_bike, parse_sdot, parse_stations,
                                        read_csv_text, read_xlsx_text, rename, sdot_columns,
                                        to_numbers, RawTable)
from sensorlab.datasets.real_cache import SDOT_DAILY_CSV, SDOT_DAILY_RDA, local_file, real_file
from sensorlab.datasets.registry_real import REGISTRY, mirror_dir, station_file
from sensorlab.errors import SensorLabError
from sensorlab.messages import text

__all__ = ["SDOT_QUANTITIES", "fetch_sdot_daily", "fetch_sdot_hourly_sample", "fetch_sdot_sites",
           "fetch_station_daily", "fetch_seoul_bike"]

STATION_ATTRIBUTION = ("Source: Seoul Metropolitan Government, Seoul Open Data Plaza "
                       "(data.seoul.go.kr), 서울시 일별 평균 대기오염도 정보 (OA-2218)")
BIKE_ATTRIBUTION = ('UCI Machine Learning Repository, "Seoul Bike Sharing Demand" (2020), '
                    "DOI 10.24432/C5F62R, donated by V E Sathishkumar, Jangwoo Park and Yongyun "
                    "Cho (Sunchon National University). Licence CC BY 4.0.")

#: S-DoT street sensors in the city's 2020 daily data: the distinct serials (시리얼) of the
#: publisher's "S-DoT 1일 데이터", 2020-04-01..11-30 (Seoul Open Data Plaza OA-15969, published as
#: ``seoul-iotdata/SDOT`` ``data/sdot.rda``; see shared/real-data/sdot/PROVENANCE.md and section 3.1 of
#: shared/research/data.md: "861 serials"). The one
#: network size every lesson, guide and the README state; the city's own figures for other
#: dates differ (about 850 installed in December 2019, about 1,100 from 2021).
#: tests/test_sdot_count.py checks it against the real file.
SDOT_SENSORS_2020 = 861

#: The 25 S-DoT sensors installed at the district monitoring stations (gover = 대기측정소),
#: matched by coordinates (all within 0.3 km; research/data.md section 4). Jung-gu has two.
COLOCATED = {
    "V02Q1940712": "강북구", "V02Q1940751": "구로구", "V02Q1940752": "도봉구", "V02Q1940755": "노원구",
    "V02Q1940779": "광진구", "V02Q1940780": "중구", "V02Q1940782": "강서구", "V02Q1940785": "동대문구",
    "V02Q1940786": "성동구", "V02Q1940789": "강남구", "V02Q1940798": "강동구", "V02Q1940834": "동작구",
    "V02Q1940850": "영등포구", "V02Q1940852": "서대문구", "V02Q1940854": "마포구", "V02Q1940855": "양천구",
    "V02Q1940856": "용산구", "V02Q1940872": "은평구", "V02Q1940879": "성북구", "V02Q1940880": "금천구",
    "V02Q1940882": "중랑구", "V02Q1940884": "관악구", "V02Q1940887": "송파구", "V02Q1940955": "서초구",
    "V02Q1940935": "중구",
}

#: Stable ids for the stations that are not one of the 25 district stations.
STATION_SLUGS = {
    "강남대로": "gangnam-daero", "강변북로": "gangbyeonbuk-ro", "공항대로": "gonghang-daero",
    "도산대로": "dosan-daero", "동작대로": "dongjak-daero", "시흥대로": "siheung-daero",
    "신촌로": "sinchon-ro", "영등포로": "yeongdeungpo-ro", "정릉로": "jeongneung-ro", "종로": "jong-ro",
    "천호대로": "cheonho-daero", "청계천로": "cheonggyecheon-ro", "한강대로": "hangang-daero",
    "홍릉로": "hongneung-ro", "화랑로": "hwarang-ro", "관악산": "gwanaksan", "궁동": "gung-dong",
    "남산": "namsan", "북한산": "bukhansan", "세곡": "segok", "행주": "haengju",
    "마포아트센터": "mapo-art-center", "서울숲": "seoul-forest", "올림픽공원": "olympic-park",
    "자연사박물관": "natural-history-museum", "항동": "hang-dong", "홍지문": "hongjimun",
}


#: The quantities of the S-DoT daily table and of the hourly sample, in the published order.
SDOT_QUANTITIES = ["pm25", "pm10", "temperature", "humidity", "wind_direction", "wind_speed",
                   "gust_direction", "gust_speed", "illuminance", "uv", "noise", "vibration_x",
                   "vibration_y", "vibration_z", "vibration_x_max", "vibration_y_max",
                   "vibration_z_max", "globe_temperature", "pm25_corrected", "pm10_corrected"]


def _asked(quantities, fetch: str) -> list[str]:
    """The quantities asked for, in the published order; a clear error names any unknown one."""
    if quantities is None:
        return list(SDOT_QUANTITIES)
    # one name (a str, or a number typed by mistake) or any collection of names
    asked = list(quantities) if isinstance(quantities, Iterable) and not isinstance(quantities, str) \
        else [quantities]
    unknown = [str(q) for q in asked if q not in SDOT_QUANTITIES]
    if unknown or not asked:
        raise SensorLabError(text("real.unknown_quantity", fetch=fetch,
                                  given=", ".join(unknown) or "[]",
                                  choices=", ".join(SDOT_QUANTITIES)))
    return [q for q in SDOT_QUANTITIES if q in asked]


def _meta(*keys: str, **extra) -> dict:
    mirror = mirror_dir()
    files = [{"path": k, "sha256": REGISTRY[k].sha256, "url": REGISTRY[k].url} for k in keys]
    return {"files": files, "mirror": None if mirror is None else str(mirror), **extra}


def fetch_sdot_sites() -> pd.DataFrame:
    """The S-DoT sensors of 2020: district and real coordinates (851 sensors).

    Districts come from the city's sensor table (``sdot_sensor_model_district.csv``, whose own
    x/y are random and are not used); lat/lon (WGS84) from ``sensor_longitude_latitude.csv``.
    The 25 sensors listed as ``대기측정소`` stand at district monitoring stations: their district
    is that station's and ``colocated_with`` its ``ref-<code>``.

    Returns
    -------
    pandas.DataFrame
        ``site_id`` (serial), ``kind`` ("street"), ``district``, ``district_ko``, ``lat``,
        ``lon``, ``colocated_with``.

    Examples
    --------
    >>> sites = fetch_sdot_sites()  # doctest: +SKIP
    >>> sites.dropna(subset=["colocated_with"]).shape[0]  # doctest: +SKIP
    25
    """
    table = read_csv_text(real_file("sdot/sdot_sensor_model_district.csv", "sdot-sites"))
    districts = rename(table, {"model": "site_id", "gover": "district_ko"}, ["site_id", "district_ko"])
    coords_raw = read_csv_text(real_file("sdot/sensor_longitude_latitude.csv", "sdot-sites"))
    coords = rename(coords_raw, {"시리얼": "site_id", "위도": "lat", "경도": "lon"},
                    ["site_id", "lat", "lon"])
    coords = pd.concat([coords["site_id"], to_numbers(coords, ["lat", "lon"], coords_raw.label)],
                       axis=1)
    sites = districts.merge(coords, on="site_id", how="outer")
    ref = stations().set_index("district_ko")
    at_station = sites["site_id"].map(COLOCATED)
    sites["district_ko"] = at_station.fillna(sites["district_ko"])
    sites["colocated_with"] = at_station.map(ref["site_id"]).astype("object").where(
        at_station.notna(), pd.NA)
    sites["district"] = sites["district_ko"].map(ref["district"])
    sites["kind"] = "street"
    return sites[SITE_COLUMNS].sort_values("site_id", ignore_index=True)


def _sdot_sites_for(readings: pd.DataFrame) -> pd.DataFrame:
    """Sites of every serial in ``readings``; serials without coordinates keep NaN lat/lon."""
    ids = pd.DataFrame({"site_id": pd.Series(pd.unique(readings["site_id"])).astype("str")})
    sites = ids.merge(fetch_sdot_sites(), on="site_id", how="left")
    sites["kind"] = "street"
    return sites[SITE_COLUMNS].sort_values("site_id", ignore_index=True)


def _read_rda(keep) -> RawTable:
    """The publisher's R data file, read with pyreadr; only the columns ``keep`` chooses."""
    try:
        import pyreadr
    except ImportError:  # checked before downloading 3.6 MB that could not be read
        raise SensorLabError(
            f"{SDOT_DAILY_RDA}: the city publishes the daily S-DoT table only as an R data file; "
            f"install pyreadr (pip install pyreadr) to read it, or fetch the mirror's "
            f"{SDOT_DAILY_CSV} (SENSORLAB_DATA_MIRROR=folder sensorlab data fetch sdot-daily)"
        ) from None
    path = real_file(SDOT_DAILY_RDA, "sdot-daily")
    table = pyreadr.read_r(str(path))["sdot"]  # an R file has no partial read: select after
    table = table[[c for c in table.columns if keep(str(c))]].reset_index(drop=True)
    return RawTable(table, str(path), "rda")


def _sdot(readings, flags, name, keys, **meta) -> SensorData:
    sites = _sdot_sites_for(readings)
    unplaced = sites.loc[sites["lat"].isna(), "site_id"].tolist()
    return SensorData(readings=readings, sites=sites, flags=flags, name=name,
                      attribution=SDOT_ATTRIBUTION,
                      meta=_meta(*keys, sites_without_coordinates=unplaced, **meta))


def fetch_sdot_daily(quantities=None) -> SensorData:
    """S-DoT daily means, 2020-04-01..2020-11-30: 203,803 readings from 861 street sensors.

    The city publishes this table only inside an R data file (``seoul-iotdata/SDOT``,
    ``data/sdot.rda``). The mirror's CSV export of that file
    (``sdot/sdot_daily_20200401_20201130.csv.gz``, values unchanged) is read when it is cached
    or ``SENSORLAB_DATA_MIRROR`` holds it; otherwise ``sdot.rda`` (cached, or downloaded), read
    with pyreadr. Every file is checked against its sha256.

    A lesson asks for the quantities it uses: only their columns are read from the CSV, so a
    lesson on PM2.5 holds one column of the twenty (a class of 30 shares one server).

    Parameters
    ----------
    quantities : str or list of str, optional
        Quantities to load, from :data:`SDOT_QUANTITIES` (default: all twenty).

    Returns
    -------
    SensorData
        ``readings``: ``timestamp`` (midnight, Asia/Seoul), ``site_id`` (serial, categorical),
        ``statistic`` ("mean", categorical), then the quantities asked, in the published order
        (pm25, pm10, temperature, humidity, wind_direction, wind_speed, gust_direction,
        gust_speed, illuminance, uv, noise, vibration_x/_y/_z, vibration_x_max/_y_max/_z_max,
        globe_temperature, pm25_corrected, pm10_corrected), float32: every published value
        (at most 8 significant digits) comes back as the same decimal.
        ``flags``: one label per reading and quantity asked. ``sites``: 861 sensors; 11 have no
        published coordinates (NaN lat/lon, listed in ``meta["sites_without_coordinates"]``).

    Raises
    ------
    SensorLabError
        A quantity the table does not have, naming it and the valid ones; or the real file is
        not here (with the command that fetches it).

    Examples
    --------
    >>> data = fetch_sdot_daily(["pm25", "humidity"])  # doctest: +SKIP
    >>> data.readings.columns.tolist()  # doctest: +SKIP
    ['timestamp', 'site_id', 'statistic', 'pm25', 'humidity']
    >>> (fetch_sdot_daily("temperature").flags["temperature"] == "out_of_range").sum()  # the 353 °C days  # doctest: +SKIP
    """
    asked = _asked(quantities, "fetch_sdot_daily")
    keep = sdot_columns(asked)
    csv_path = local_file(SDOT_DAILY_CSV)
    if csv_path is not None:
        raw, key = read_csv_text(csv_path, columns=keep), SDOT_DAILY_CSV
    else:
        raw, key = _read_rda(keep), SDOT_DAILY_RDA
    readings, flags = parse_sdot(raw, quantities=asked, dtype="float32")
    del raw
    return _sdot(readings, flags, "sdot-daily", [key, "sdot/sensor_longitude_latitude.csv",
                                                "sdot/sdot_sensor_model_district.csv"])


def fetch_sdot_hourly_sample(quantities=None) -> SensorData:
    """S-DoT hourly means for one day, 2020-05-01: 20,280 readings, 845 sensors x 24 hours.

    The publisher's file (``seoul-iotdata/S-DoT_Data_Analysis_Basic``,
    ``data/sdot_20200507.csv``, CP949) is named 20200507 but every row is dated 2020.5.1. Its UV
    column is on a different scale from the daily file (2 at night, about 33 at noon), so most
    daytime UV values are flagged ``out_of_range`` against the 0-16 UV index range.

    Parameters
    ----------
    quantities : str or list of str, optional
        Quantities to load, from :data:`SDOT_QUANTITIES` (default: all twenty); only their
        columns are read.

    Returns
    -------
    SensorData
        ``readings``: ``timestamp`` (the start of each hour, Asia/Seoul), ``site_id``
        (categorical), and the quantities asked, float64 (the published hourly means carry up
        to 10 significant digits, more than float32 keeps; the day is small); ``flags``;
        ``sites``.
    """
    asked = _asked(quantities, "fetch_sdot_hourly_sample")
    key = "sdot/sdot_hourly_20200501.csv.gz"
    path = real_file(key, "sdot-hourly")
    readings, flags = parse_sdot(read_csv_text(path, columns=sdot_columns(asked)), quantities=asked)
    return _sdot(readings, flags, "sdot-hourly-20200501",
                 [key, "sdot/sensor_longitude_latitude.csv", "sdot/sdot_sensor_model_district.csv"])


def _station_sites(names: pd.Series) -> pd.DataFrame:
    ref = stations()
    by_name = ref.set_index("district_ko")
    rows = []
    for name in sorted(pd.unique(names)):
        if name in by_name.index:
            rows.append({**by_name.loc[name].to_dict(), "district_ko": name, "name_ko": name,
                         "station_type": "urban"})
        else:
            slug = STATION_SLUGS.get(name, re.sub(r"\s+", "-", name))
            rows.append({"site_id": f"ref-{slug}", "kind": "reference", "district": pd.NA,
                         "district_ko": pd.NA, "lat": np.nan, "lon": np.nan,
                         "colocated_with": pd.NA, "station_code": pd.NA, "name_ko": name,
                         "station_type": "roadside" if name.endswith("로") else "other"})
    sites = pd.DataFrame(rows, columns=[*SITE_COLUMNS, "station_code", "name_ko", "station_type"])
    sites["station_code"] = sites["station_code"].astype("Int64")
    sites["colocated_with"] = pd.NA
    return sites


def fetch_station_daily(years=range(2014, 2023)) -> SensorData:
    """Official daily means at every Seoul monitoring station (OA-2218), 2014-2022.

    2014-2017 come as xlsx, 2018-2022 as CP949 CSV (gzipped in the mirror; the publisher's
    address serves the plain CSV with the same content). The 2014-2017 headers call CO
    "이산화탄소" (CO2): a mislabel in the source, read here as CO.

    Parameters
    ----------
    years : int or iterable of int
        Year(s) to load, each in 2014..2022.

    Returns
    -------
    SensorData
        ``readings``: ``timestamp`` (midnight, Asia/Seoul), ``site_id``, no2, o3, co, so2 (ppm),
        pm10, pm25 (µg/m³). ``sites``: the 25 district stations as ``ref-<code>``
        (``station_type`` "urban", with coordinates), roadside stations (``station_type``
        "roadside") and background/park/supplementary stations ("other") as ``ref-<slug>``
        without coordinates; ``name_ko`` keeps the Korean station name. Missing days are NaN
        and flagged ``missing``; exact zeros are flagged ``zero``.
    """
    years = sorted({int(y) for y in ([years] if isinstance(years, int) else years)})
    if not years:
        raise SensorLabError("fetch_station_daily: give at least one year in 2014..2022")
    keys = [station_file(y) for y in years]
    parts = []
    for key in keys:
        path = real_file(key, "stations-daily")
        raw = read_xlsx_text(path) if key.endswith(".xlsx") else read_csv_text(path)
        parts.append(parse_stations(raw))
    readings = pd.concat([r for r, _ in parts], ignore_index=True)
    flags = pd.concat([f for _, f in parts], ignore_index=True)
    sites = _station_sites(readings["station"])
    readings.insert(1, "site_id", readings.pop("station").map(sites.set_index("name_ko")["site_id"]))
    return SensorData(readings=readings, sites=sites, flags=flags, name="stations-daily",
                      attribution=STATION_ATTRIBUTION, meta=_meta(*keys, years=years))


def fetch_seoul_bike() -> SensorData:
    """UCI Seoul Bike Sharing Demand: hourly bike rentals and Seoul weather, 2017-12..2018-11.

    Returns
    -------
    SensorData
        ``readings`` (8,760 rows, one city-wide ``site_id`` "seoul"): ``timestamp`` (the hour,
        Asia/Seoul), rented_bikes, temperature, humidity, wind_speed, visibility (10 m),
        dew_point, solar_radiation (MJ/m²), rainfall (mm), snowfall (cm), ``seasons`` (text),
        ``holiday`` and ``functioning_day`` (bool). ``flags``: humidity 0 is ``zero`` (sensor
        error), visibility at the 2000 cap is ``capped``, rentals while the system was closed
        are ``closed``.
    """
    key = "seoul-bike-uci/SeoulBikeData.csv"
    readings, flags = parse_bike(read_csv_text(real_file(key, "seoul-bike")))
    sites = pd.DataFrame([{"site_id": "seoul", "kind": "city", "district": pd.NA,
                           "district_ko": pd.NA, "lat": np.nan, "lon": np.nan,
                           "colocated_with": pd.NA}])
    return SensorData(readings=readings, sites=sites, flags=flags, name="seoul-bike",
                      attribution=BIKE_ATTRIBUTION, meta=_meta(key, licence="CC BY 4.0"))
