"""Does the synthetic city look like the real one? Target statistics, side by side.

Each statistic is computed by the same function from the real files (through the
``fetch_*`` functions: reference stations 2014-2022, UCI Seoul Bike weather, S-DoT 2020) and
from the synthetic city, and judged against a tolerance stated in advance. The tolerances
are about as wide as real year-to-year variation of the statistic (a synthetic year should
look like one more real year), never tuned after the fact.

Run it as ``sensorlab data compare``; :func:`compare` returns the table.

Examples
--------
>>> import pandas as pd
>>> daily = pd.Series([10.0, 20.0, 30.0, 20.0, 10.0, 20.0, 30.0, 20.0])
>>> round(lag_autocorrelation(daily, 4), 2)
1.0
>>> within(20.0, Tolerance("abs", 3.0), 22.0)
(True, '±3')
"""

from __future__ import annotations

import functools
import os
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sensorlab.datasets.base import stations

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True)
class Tolerance:
    """How far the synthetic value may be from the real one.

    ``kind`` is ``"abs"`` (± value), ``"rel"`` (± share of the real value), ``"abs_or_rel"``
    (the wider of ``value`` and ``rel``), or ``"range"`` (``value`` = (low, high) fixed bounds,
    e.g. the real year-to-year range).
    """

    kind: str
    value: float | tuple[float, float]
    rel: float = 0.0


def within(real: float, tol: Tolerance, synthetic: float) -> tuple[bool, str]:
    """Whether ``synthetic`` is within ``tol`` of ``real``, and the tolerance as text."""
    if tol.kind == "range":
        low, high = tol.value
        text = f"{low:.3g}..{high:.3g}"
    elif tol.kind == "abs":
        low, high, text = real - tol.value, real + tol.value, f"±{tol.value:g}"
    elif tol.kind == "rel":
        low, high, text = real * (1 - tol.value), real * (1 + tol.value), f"±{tol.value:.0%}"
    elif tol.kind == "abs_or_rel":
        width = max(tol.value, abs(real) * tol.rel)
        low, high, text = real - width, real + width, f"±max({tol.value:g}, {tol.rel:.0%})"
    else:
        raise ValueError(f"unknown tolerance kind {tol.kind!r}")
    ok = bool(np.isfinite(synthetic) and low - 1e-12 <= synthetic <= high + 1e-12)
    return ok, text


# --- statistics (each takes tidy tables; the same code runs on real and synthetic data) -------

def lag_autocorrelation(series: pd.Series, lag: int) -> float:
    """Autocorrelation of a daily series at ``lag`` days (missing days stay missing)."""
    return float(series.autocorr(lag))


def district_daily(readings: pd.DataFrame) -> pd.DataFrame:
    """Daily means of the 25 district stations only (site_id ``ref-101`` .. ``ref-125``)."""
    ids = set(stations()["site_id"])
    return readings[readings["site_id"].astype(str).isin(ids)]


def station_statistics(daily: pd.DataFrame) -> dict[str, float]:
    """Reference-station statistics from daily means (timestamp, site_id, pm25, pm10, no2, o3)."""
    d = district_daily(daily).copy()
    d["site_id"] = d["site_id"].astype(str)
    out: dict[str, float] = {}
    month = d["timestamp"].dt.month
    for m in range(1, 13):
        out[f"PM2.5 monthly mean, {MONTHS[m - 1]} (µg/m³)"] = float(d.loc[month == m, "pm25"].mean())
    out["PM10 annual mean (µg/m³)"] = float(d["pm10"].mean())

    wide = d.pivot_table(index="timestamp", columns="site_id", values="pm25")
    city = wide.mean(axis=1)
    city = city.reindex(pd.date_range(city.index.min(), city.index.max(), freq="D"))
    positive = city[city > 0]
    out["City daily PM2.5, log-SD"] = float(np.log(positive).std())
    out["City daily PM2.5, lag-1 day autocorrelation"] = lag_autocorrelation(city, 1)
    out["City daily PM2.5, lag-7 day autocorrelation"] = lag_autocorrelation(city, 7)
    out["Share of days with city PM2.5 > 35 µg/m³"] = float((city.dropna() > 35).mean())
    corr = wide.corr(min_periods=30).to_numpy()
    out["Median daily PM2.5 correlation between stations"] = float(np.nanmedian(corr[np.triu_indices_from(corr, 1)]))
    dev = wide.sub(city.reindex(wide.index), axis=0).div(city.reindex(wide.index), axis=0)
    out["Station deviation from city mean, relative SD"] = float(np.nanstd(dev.to_numpy()))
    wide10 = d.pivot_table(index="timestamp", columns="site_id", values="pm10").mean(axis=1)
    out["City daily PM10, 99th percentile (µg/m³)"] = float(wide10.quantile(0.99))
    ratio = d["pm25"] / d["pm10"].where(d["pm10"] > 0)
    out["PM2.5/PM10 daily ratio, median Apr-May"] = float(ratio[month.isin([4, 5])].median())
    out["PM2.5/PM10 daily ratio, median Dec-Feb"] = float(ratio[month.isin([12, 1, 2])].median())
    weekday = d["timestamp"].dt.day_of_week
    out["NO2 Sunday / weekday (Mon-Fri) mean"] = float(d.loc[weekday == 6, "no2"].mean()
                                                       / d.loc[weekday < 5, "no2"].mean())
    out["NO2 mean Dec-Feb (ppm)"] = float(d.loc[month.isin([12, 1, 2]), "no2"].mean())
    out["NO2 mean Jul-Aug (ppm)"] = float(d.loc[month.isin([7, 8]), "no2"].mean())
    out["O3 mean May-Jun (ppm)"] = float(d.loc[month.isin([5, 6]), "o3"].mean())
    out["O3 mean Dec-Jan (ppm)"] = float(d.loc[month.isin([12, 1]), "o3"].mean())
    return out


def weather_statistics(hourly: pd.DataFrame) -> dict[str, float]:
    """City weather statistics from hourly temperature and humidity (timestamp + columns)."""
    h = hourly.dropna(subset=["temperature"])
    month = h["timestamp"].dt.month
    out = {
        "Temperature mean, January (°C)": float(h.loc[month == 1, "temperature"].mean()),
        "Temperature mean, August (°C)": float(h.loc[month == 8, "temperature"].mean()),
    }
    day = h["timestamp"].dt.normalize()
    daily = h.groupby(day)["temperature"].agg(["min", "max", "count"])
    # Days with most of their readings (20 of 24 hourly ones; 10 of 12 two-hourly ones).
    daily = daily[daily["count"] >= 20 / 24 * daily["count"].max()]
    out["Temperature daily range, mean (°C)"] = float((daily["max"] - daily["min"]).mean())
    profile = h.groupby(h["timestamp"].dt.hour)["temperature"].mean()
    out["Hour of daily temperature minimum"] = float(profile.idxmin())
    out["Hour of daily temperature maximum"] = float(profile.idxmax())
    out["Humidity Jul-Aug minus Jan-Feb (%RH)"] = float(
        h.loc[month.isin([7, 8]), "humidity"].mean() - h.loc[month.isin([1, 2]), "humidity"].mean())
    return out


def _runs(flags: np.ndarray) -> list[int]:
    """Lengths of runs of True."""
    padded = np.concatenate([[False], flags, [False]]).astype(int)
    edges = np.flatnonzero(np.diff(padded))
    return list(edges[1::2] - edges[::2])


def _network_temperature(daily: pd.DataFrame) -> pd.Series:
    """The street network's daily median temperature, April-November, on a full daily grid.

    Implausible values (outside -30..50 °C) and exact zeros are left out, and so are days on
    which fewer than half the usual number of sensors gave a plausible value (real: 2020-04-03,
    when nearly every unit reported > 50 °C): those are the publisher's events, not the weather.
    """
    t = daily.loc[daily["timestamp"].dt.month.between(4, 11), ["timestamp", "temperature"]]
    t = t[(t["temperature"] != 0) & t["temperature"].between(-30.0, 50.0)]
    per_day = t.groupby("timestamp")["temperature"].agg(["median", "count"])
    network = per_day["median"].where(per_day["count"] >= 0.5 * per_day["count"].median())
    if network.empty:
        return network
    return network.reindex(pd.date_range(network.index.min(), network.index.max(), freq="D"))


def street_statistics(daily: pd.DataFrame, sites: pd.DataFrame, reference_daily: pd.DataFrame,
                      sentinel_share: float | None = None) -> dict[str, float]:
    """S-DoT-style street statistics from daily means (absent sensor-days have no row).

    ``reference_daily`` gives the district stations' daily PM2.5 over the same days, for the
    co-located pairs (``sites.colocated_with``). ``sentinel_share`` overrides the -999 share
    (the synthetic feed is hourly; the real daily file shows it in the corrected columns).
    """
    d = daily.copy()
    d["site_id"] = d["site_id"].astype(str)
    out: dict[str, float] = {}

    pairs = sites.dropna(subset=["colocated_with"])[["site_id", "colocated_with"]].astype(str)
    ref = district_daily(reference_daily)[["timestamp", "site_id", "pm25"]].astype({"site_id": str})
    joined = (d[["timestamp", "site_id", "pm25"]].merge(pairs, on="site_id")
              .merge(ref.rename(columns={"site_id": "colocated_with", "pm25": "ref"}),
                     on=["timestamp", "colocated_with"]))
    joined = joined[(joined["pm25"] > 0) & (joined["ref"] > 0)]
    out["Raw co-located street PM2.5 vs station, daily r"] = float(joined["pm25"].corr(joined["ref"]))

    pm = d[d["pm25"] > 0]
    city_median = pm.groupby("timestamp")["pm25"].transform("median")
    gain = (pm["pm25"] / city_median).groupby(pm["site_id"]).median()
    out["Raw PM2.5 gain vs city median, 5th percentile"] = float(gain.quantile(0.05))
    out["Raw PM2.5 gain vs city median, 95th percentile"] = float(gain.quantile(0.95))

    # A city without street sensors has no days to lay a grid on (its shares come out NaN: n/a).
    grid = pd.date_range(d["timestamp"].min(), d["timestamp"].max(), freq="D") if len(d) else pd.DatetimeIndex([])
    present = d.pivot_table(index="site_id", columns="timestamp", values="pm25", aggfunc="size",
                            fill_value=0).reindex(columns=grid, fill_value=0).to_numpy() > 0
    absent, runs = 0, []
    span_days = 0
    for row in present:
        idx = np.flatnonzero(row)
        if idx.size == 0:
            continue
        inside = ~row[idx[0]: idx[-1] + 1]
        absent += int(inside.sum())
        span_days += inside.size
        runs += _runs(inside)
    out["Sensor-days absent, whole grid (share)"] = float(1.0 - present.mean())
    out["Sensor-days absent inside active span (share)"] = absent / span_days if span_days else float("nan")
    out["Outage length, median (days)"] = float(np.median(runs)) if runs else float("nan")

    ordered = d.sort_values(["site_id", "timestamp"])
    previous = ordered.groupby("site_id")["pm25"].shift(1)
    next_day = ordered.groupby("site_id")["timestamp"].diff() == pd.Timedelta(days=1)
    pairs_ok = next_day & (ordered["pm25"] > 0) & previous.notna()
    out["Raw PM2.5 same as the previous day (share of sensor-days)"] = float(
        (ordered["pm25"][pairs_ok] == previous[pairs_ok]).mean())

    n = len(d)
    out["Raw PM2.5 exactly 0 (share of sensor-days)"] = float((d["pm25"] == 0).sum() / n)
    out["PM -999 sentinel (share)"] = (float(sentinel_share) if sentinel_share is not None
                                       else float((d["pm25_corrected"] == -999).sum() / n))
    out["Temperature > 50 °C (share of sensor-days)"] = float((d["temperature"] > 50).sum() / n)
    rh_median = d.groupby("timestamp")["humidity"].median()
    # The fault fell in April: a period without April days cannot show it (n/a, not a run of 0).
    april = rh_median.index.month == 4 if len(rh_median) else np.zeros(0, bool)
    out["Network humidity fault, longest run of days with median < 10 %RH"] = (
        float(max(_runs((rh_median < 10).to_numpy()), default=0)) if april.any() else float("nan"))
    network = _network_temperature(d)
    out["Street temperature, network daily median, SD Apr-Nov (°C)"] = float(network.std())
    out["Street temperature, network daily median, day-to-day change SD Apr-Nov (°C)"] = float(network.diff().std())
    out["Wind speed exactly 0 (share of sensor-days)"] = float((d["wind_speed"] == 0).sum() / n)
    noise = d.loc[d["noise"] > 0].groupby("site_id")["noise"].mean()
    out["Per-sensor mean noise, 5th percentile (dB)"] = float(noise.quantile(0.05))
    out["Per-sensor mean noise, 95th percentile (dB)"] = float(noise.quantile(0.95))
    out["Illuminance missing (share of sensor-days)"] = float(d["illuminance"].isna().mean())
    out["Noise missing (share of sensor-days)"] = float(d["noise"].isna().mean())
    return out


#: Tolerance of each statistic. Monthly means get max(3 µg/m³, 20 %): about one standard
#: deviation of a real month's mean between 2014 and 2022.
TOLERANCES: dict[str, Tolerance] = {
    **{f"PM2.5 monthly mean, {m} (µg/m³)": Tolerance("abs_or_rel", 3.0, 0.20) for m in MONTHS},
    "PM10 annual mean (µg/m³)": Tolerance("rel", 0.15),
    "City daily PM2.5, log-SD": Tolerance("abs", 0.08),
    "City daily PM2.5, lag-1 day autocorrelation": Tolerance("abs", 0.08),
    "City daily PM2.5, lag-7 day autocorrelation": Tolerance("abs", 0.10),
    "Median daily PM2.5 correlation between stations": Tolerance("abs", 0.03),
    "Station deviation from city mean, relative SD": Tolerance("abs", 0.06),
    "City daily PM10, 99th percentile (µg/m³)": Tolerance("rel", 0.35),
    "PM2.5/PM10 daily ratio, median Apr-May": Tolerance("abs", 0.06),
    "PM2.5/PM10 daily ratio, median Dec-Feb": Tolerance("abs", 0.06),
    "NO2 Sunday / weekday (Mon-Fri) mean": Tolerance("abs", 0.05),
    "NO2 mean Dec-Feb (ppm)": Tolerance("rel", 0.20),
    "NO2 mean Jul-Aug (ppm)": Tolerance("rel", 0.20),
    "O3 mean May-Jun (ppm)": Tolerance("rel", 0.20),
    "O3 mean Dec-Jan (ppm)": Tolerance("rel", 0.20),
    "Temperature mean, January (°C)": Tolerance("abs", 2.0),
    "Temperature mean, August (°C)": Tolerance("abs", 2.0),
    "Temperature daily range, mean (°C)": Tolerance("abs", 1.5),
    "Hour of daily temperature minimum": Tolerance("abs", 1.0),
    "Hour of daily temperature maximum": Tolerance("abs", 1.0),
    "Humidity Jul-Aug minus Jan-Feb (%RH)": Tolerance("abs", 6.0),
    "Raw co-located street PM2.5 vs station, daily r": Tolerance("abs", 0.08),
    "Raw PM2.5 gain vs city median, 5th percentile": Tolerance("abs", 0.12),
    "Raw PM2.5 gain vs city median, 95th percentile": Tolerance("abs", 0.25),
    "Sensor-days absent, whole grid (share)": Tolerance("abs", 0.015),
    "Sensor-days absent inside active span (share)": Tolerance("abs", 0.01),
    "Outage length, median (days)": Tolerance("abs", 3.0),
    "Raw PM2.5 same as the previous day (share of sensor-days)": Tolerance("abs", 0.03),
    "Raw PM2.5 exactly 0 (share of sensor-days)": Tolerance("abs", 0.015),
    "PM -999 sentinel (share)": Tolerance("abs", 0.0015),
    "Temperature > 50 °C (share of sensor-days)": Tolerance("abs", 0.0025),
    "Network humidity fault, longest run of days with median < 10 %RH": Tolerance("abs", 4.0),
    # The weather year the street sensors lived through: UCI 2018 (7.6 / 1.8 °C April-November)
    # and S-DoT 2020 (6.6 / 2.1 °C) differ by about twice these, so a synthetic year passes
    # only nearer the street file's year; how closely a unit follows the network depends on it.
    "Street temperature, network daily median, SD Apr-Nov (°C)": Tolerance("abs", 0.5),
    "Street temperature, network daily median, day-to-day change SD Apr-Nov (°C)": Tolerance("abs", 0.3),
    "Wind speed exactly 0 (share of sensor-days)": Tolerance("abs", 0.015),
    "Per-sensor mean noise, 5th percentile (dB)": Tolerance("abs", 2.0),
    "Per-sensor mean noise, 95th percentile (dB)": Tolerance("abs", 2.0),
    "Illuminance missing (share of sensor-days)": Tolerance("abs", 0.05),
    "Noise missing (share of sensor-days)": Tolerance("abs", 0.04),
}

#: Year-level statistics judged against the range of the real yearly values, 2014-2022: a
#: synthetic year passes when it falls where one of the nine real years fell.
YEAR_RANGE = [
    "City daily PM2.5, log-SD", "City daily PM2.5, lag-1 day autocorrelation",
    "City daily PM2.5, lag-7 day autocorrelation", "Share of days with city PM2.5 > 35 µg/m³",
    "Median daily PM2.5 correlation between stations", "Station deviation from city mean, relative SD",
    "City daily PM10, 99th percentile (µg/m³)", "PM2.5/PM10 daily ratio, median Apr-May",
    "PM2.5/PM10 daily ratio, median Dec-Feb", "NO2 Sunday / weekday (Mon-Fri) mean",
]

#: Where each group of real statistics comes from.
SOURCES = {
    "station": "reference stations, OA-2218 daily, 2018-2022 (log-SD, autocorrelation, share > 35: 2014-2022)",
    "weather": "UCI Seoul Bike hourly weather, Dec 2017-Nov 2018",
    "street": "S-DoT daily 2020-04-01..11-30 with the station daily means of 2020",
}


def real_statistics() -> dict[str, float]:
    """The target statistics from the real files, read through the ``fetch_*`` functions.

    Set ``SENSORLAB_DATA_MIRROR`` to read a local copy (``sensorlab data compare --real PATH``).
    Computed once per mirror and process (reading the files takes about ten seconds).
    """
    return dict(_real_statistics(os.environ.get("SENSORLAB_DATA_MIRROR", "")))


@functools.lru_cache(maxsize=4)
def _real_statistics(mirror: str) -> dict[str, float]:
    from sensorlab.datasets import fetch_sdot_daily, fetch_seoul_bike, fetch_station_daily

    all_years = fetch_station_daily(years=range(2014, 2023)).readings
    recent = all_years[all_years["timestamp"].dt.year >= 2018]
    out = station_statistics(recent)
    long_run = station_statistics(all_years)
    for key in ("City daily PM2.5, log-SD", "City daily PM2.5, lag-1 day autocorrelation",
                "City daily PM2.5, lag-7 day autocorrelation", "Share of days with city PM2.5 > 35 µg/m³"):
        out[key] = long_run[key]
    per_year = [station_statistics(all_years[all_years["timestamp"].dt.year == y]) for y in range(2014, 2023)]
    for key in YEAR_RANGE:
        values = [s[key] for s in per_year]
        out[f"_range:{key}"] = (float(np.nanmin(values)), float(np.nanmax(values)))
    out.update(weather_statistics(fetch_seoul_bike().readings))
    sdot = fetch_sdot_daily()
    ref2020 = all_years[all_years["timestamp"].dt.year == 2020]
    out.update(street_statistics(sdot.readings, sdot.sites, ref2020))
    return out


def _daily_means(readings: pd.DataFrame, quantities: list[str], min_share: float = 0.0) -> pd.DataFrame:
    """Daily means per site; with ``min_share`` a day needs that share of valid steps."""
    day = readings["timestamp"].dt.normalize()
    groups = readings.groupby([day, readings["site_id"].astype(str)], sort=True)[quantities]
    means = groups.mean()
    if min_share > 0:
        counts = groups.count()
        full = groups.size().max()
        means = means.where(counts >= min_share * full)
    return means.reset_index()


def synthetic_statistics(city) -> dict[str, float]:
    """The same statistics from a synthetic city (``load_city()`` or ``make_city(...)``)."""
    r = city.readings
    kinds = city.sites.set_index("site_id")["kind"]
    kind = r["site_id"].astype(str).map(kinds)
    ref = r[kind.to_numpy() == "reference"]
    street = r[kind.to_numpy() == "street"]
    ref_daily = _daily_means(ref, ["pm25", "pm10", "no2", "o3"], min_share=0.75)
    out = station_statistics(ref_daily)
    hourly = ref.groupby("timestamp", sort=True)[["temperature", "humidity"]].mean().reset_index()
    out.update(weather_statistics(hourly))
    # A street sensor-day exists when the sensor delivered anything that day (as in the daily file).
    quantities = ["pm25", "temperature", "humidity", "wind_speed", "noise", "illuminance"]
    st_daily = _daily_means(street, quantities)
    st_daily = st_daily.dropna(subset=["pm25", "temperature", "humidity", "wind_speed"], how="all")
    st_daily["pm25"] = st_daily["pm25"].round()  # the real daily file gives whole µg/m³
    sentinel = float((street["pm25"] == -999).sum() / street["pm25"].notna().sum())
    out.update(street_statistics(st_daily, city.sites, ref_daily, sentinel_share=sentinel))
    return out


def compare(city=None, real: dict | None = None) -> pd.DataFrame:
    """Table of every target statistic: real, synthetic, tolerance, ok and result.

    ``city`` defaults to the bundled year; ``real`` to :func:`real_statistics`. ``result`` is
    ``"OK"``, ``"FAIL"``, or ``"n/a"`` where either value could not be computed (the city's
    period or sites lack what the statistic needs); ``ok`` is True only for ``"OK"``.
    """
    if city is None:
        from sensorlab.datasets.city import load_city

        city = load_city()
    real = real_statistics() if real is None else real
    with warnings.catch_warnings():  # an empty part's mean is NaN and shown as n/a: no numpy warnings too
        warnings.simplefilter("ignore", RuntimeWarning)
        syn = synthetic_statistics(city)
    rows = []
    for name, syn_value in syn.items():
        if f"_range:{name}" in real:
            tol = Tolerance("range", real[f"_range:{name}"])
        else:
            tol = TOLERANCES[name]
        ok, text = within(real[name], tol, syn_value)
        # A statistic the city cannot show (a winter month has no April-November street
        # temperature, a city without street sensors no street statistics) is n/a, not a FAIL.
        known = bool(np.isfinite(syn_value) and np.isfinite(real[name]))
        rows.append({"statistic": name, "real": real[name], "synthetic": syn_value, "tolerance": text, "ok": ok,
                     "result": ("OK" if ok else "FAIL") if known else "n/a"})
    return pd.DataFrame(rows)


def format_table(table: pd.DataFrame) -> str:
    """The comparison as aligned text, one statistic a line."""
    width = max(len(s) for s in table["statistic"])
    lines = [f"{'statistic':<{width}}  {'real':>9}  {'synthetic':>9}  {'tolerance':>16}  result"]
    results = table["result"] if "result" in table else table["ok"].map({True: "OK", False: "FAIL"})
    for row, result in zip(table.itertuples(), results):
        values = "  ".join(f"{v:>9.4g}" if np.isfinite(v) else f"{'-':>9}" for v in (row.real, row.synthetic))
        lines.append(f"{row.statistic:<{width}}  {values}  {row.tolerance:>16}  {result}")
    summary = f"{int(table['ok'].sum())} of {len(table)} statistics within tolerance"
    unknown = int((results == "n/a").sum())
    if unknown:
        summary += (f"; {unknown} could not be computed from this city (n/a: its period or sites "
                    "do not have what they need)")
    lines.append(summary)
    return "\n".join(lines)
