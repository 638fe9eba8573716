"""A synthetic year of Seoul as the S-DoT street network and the reference stations record it.

:func:`make_city` generates it from a seed; :func:`load_city` reads the bundled year (seed
:data:`BUNDLED_SEED`, 2024, hourly, 25 reference stations + 100 street sensors) in under a
second, without network. Both return a :class:`~sensorlab.datasets.base.SensorData` whose
``truth`` holds, for every reading, the clean value of each quantity and a fault label
(``fault_<quantity>``; labels in :data:`sensorlab.datasets.city_faults.FAULTS`).

What is modelled, and the real statistics it was calibrated to, is on the data card
``datasets/cards/city.md``; ``sensorlab data compare`` prints the comparison with the real files.

Examples
--------
>>> city = make_city(seed=7, start="2024-03-01", end="2024-03-02", street_per_district=1)
>>> city
<SensorData 'city': 2400 readings x 10 quantities, 50 sites>
>>> city.readings.columns[:4].tolist()
['timestamp', 'site_id', 'pm25', 'pm10']
>>> str(city.readings["timestamp"].dt.tz)
'Asia/Seoul'
>>> city.sites.loc[city.sites.site_id == "sdot-101-01", "colocated_with"].item()
'ref-101'
>>> city.truth.loc[city.truth.site_id == "sdot-101-01", "fault_no2"].unique().tolist()
['not_measured']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sensorlab.datasets.base import SensorData, stations
from sensorlab.datasets.city_clock import Clock, ar1
from sensorlab.datasets.city_faults import LABELS, code
# the city's constants and sites live below this module and the bundle reader, which both use them
from sensorlab.datasets.city_layout import (  # noqa: F401 - re-exported: the city's names
    ATTRIBUTION, BUNDLED_PARAMS, BUNDLED_SEED, GENERATOR_VERSION, QUANTITIES, REFERENCE_QUANTITIES,
    STREET_QUANTITIES, check_city_arguments, city_sites,
)
from sensorlab.datasets.city_pollution import city_pollution
from sensorlab.datasets.city_sensors import TRUTH_RESOLUTION, quantize, reference_readings, street_readings
from sensorlab.datasets.city_weather import HEAT_ISLAND, city_weather, daylight, dry_floor, street_noise

#: Faults the lessons teach with, pinned so that they survive a change of the generator's random
#: draws: (site, first hour, hours, label, {quantity: value or None = hold the first reading}).
#: 04.3: a one-hour burst on sdot-122-01 and a 51-hour stuck run on sdot-107-01.
TEACHING_FAULTS = [
    ("sdot-122-01", "2024-01-14 02:00", 1, "spike", {"pm25": 600.0, "pm10": 885.0}),
    ("sdot-107-01", "2024-01-02 22:00", 51, "stuck", {"pm25": None, "pm10": None}),
]


def _teaching_faults(clock: Clock, site_ids: list[str], readings: dict, labels: dict) -> None:
    """Write :data:`TEACHING_FAULTS` into the readings and labels where the period has them."""
    for site, first, hours, label, values in TEACHING_FAULTS:
        start = pd.Timestamp(first, tz=clock.times.tz)
        steps = np.flatnonzero((clock.times >= start) & (clock.times < start + pd.Timedelta(hours=hours)))
        if site not in site_ids or steps.size == 0:
            continue
        row = site_ids.index(site)
        for q, value in values.items():
            readings[q][row, steps] = readings[q][row, steps[0]] if value is None else value
            labels[q][row, steps] = code(label)


def _network_fault_steps(clock: Clock) -> np.ndarray:
    """Steps of the network-wide humidity fault: 4-22 April of the first April in the period."""
    april = clock.times.month == 4
    if not april.any():
        return np.zeros(clock.n, dtype=bool)
    year = clock.times.year[np.argmax(april)]
    dom = clock.times.day
    return np.asarray(april & (clock.times.year == year) & (dom >= 4) & (dom <= 22))


def _network_days(clock: Clock, rng: np.random.Generator, fault_steps: np.ndarray) -> dict[str, np.ndarray]:
    """Day indices of network-wide events, as in the real 2020 file: the temperature glitch day
    (3 April, else a random day), two days without temperature, and two without humidity
    (real: 4 and 13 April, during the network humidity fault, which here would hide them)."""
    april3 = np.flatnonzero((clock.days.month == 4) & (clock.days.day == 3))
    spike = april3[:1] if april3.size else rng.integers(0, clock.n_days, 1)
    # In the months of the real daily file (April-November) when the period has them.
    months = clock.days.month.to_numpy()
    pool = np.flatnonzero((months >= 4) & (months <= 11))
    pool = pool if pool.size >= 2 else np.arange(clock.n_days)
    missing = rng.choice(pool, size=min(2, pool.size), replace=False)
    # Humidity days outside the network fault, which would hide them.
    rh_pool = np.setdiff1d(pool, clock.day[fault_steps])
    rh_missing = rng.choice(rh_pool, size=min(2, rh_pool.size), replace=False)
    return {"temperature_spike": spike, "t_missing": np.sort(missing), "rh_missing": np.sort(rh_missing)}


def _simulate(seed: int, clock: Clock, sites: pd.DataFrame):
    """Truth, readings and labels as ``(n_sites, n_steps)`` arrays, in the sites' order."""
    rng = np.random.default_rng(seed)
    ref = stations()
    codes = ref["station_code"].to_numpy()
    n_d = len(ref)
    weather = city_weather(rng, clock, n_d, np.array([HEAT_ISLAND[c] for c in codes]))
    pollution = city_pollution(rng, clock, ref["lat"].to_numpy(), ref["lon"].to_numpy(),
                               weather["wind_anomaly_daily"],
                               humidity_anomaly_daily=weather["humidity_anomaly_daily"])

    n = len(sites)
    district = sites["site_id"].str.extract(r"-(\d{3})")[0].astype(int).map(
        {c: i for i, c in enumerate(codes)}).to_numpy()
    is_ref = (sites["kind"] == "reference").to_numpy()
    coloc = sites["colocated_with"].notna().to_numpy()
    street = ~is_ref
    ns = int(street.sum())

    # Local deviations of the truth at street sites (co-located sensors share the station's air).
    pm_sd = np.where(coloc, 0.02, 0.04)[street]
    local_pm = rng.normal(0.0, 1.0, ns)[:, None] * pm_sd[:, None] + ar1(rng, (ns, clock.n), 0.7, 1.0) * (pm_sd[:, None])
    local_t = (rng.normal(0.0, 1.0, ns) * np.where(coloc, 0.1, 0.4)[street])[:, None] + ar1(rng, (ns, clock.n), 0.9, 0.15)

    truth = {q: np.full((n, clock.n), np.nan) for q in QUANTITIES}
    for q in ("pm25", "pm10", "no2", "o3"):
        truth[q][is_ref] = pollution[q]
    for q in ("temperature", "humidity", "wind_speed"):
        truth[q][is_ref] = weather[q]
    d = district[street]
    pm_factor = np.exp(local_pm - 0.5 * pm_sd[:, None] ** 2)
    truth["pm25"][street] = pollution["pm25"][d] * pm_factor
    truth["pm10"][street] = pollution["pm10"][d] * pm_factor
    truth["temperature"][street] = weather["temperature"][d] + local_t
    truth["humidity"][street] = np.minimum(dry_floor(weather["humidity"][d] - 2.5 * local_t), 100.0)
    truth["wind_speed"][street] = weather["wind_speed"][d] * rng.uniform(0.4, 0.9, (ns, 1))
    truth["noise"][street] = street_noise(rng, clock, ns)
    shade = np.clip(rng.beta(2.0, 3.5, ns) + 0.08, 0.05, 1.0)
    truth["illuminance"][street], truth["uv"][street] = daylight(rng, weather["sun"], weather["cloud"], shade)
    truth = {q: quantize(v, TRUTH_RESOLUTION[q]) for q, v in truth.items()}

    readings = {q: np.full((n, clock.n), np.nan, dtype=np.float32) for q in QUANTITIES}
    labels = {q: np.full((n, clock.n), code("not_measured"), dtype=np.int8) for q in QUANTITIES}
    ref_values, ref_labels = reference_readings(rng, {q: v[is_ref] for q, v in truth.items()}, clock)
    for q in ref_values:
        readings[q][is_ref], labels[q][is_ref] = ref_values[q], ref_labels[q]
    params = pd.DataFrame(index=pd.Index([], name="site_id"))
    if ns:
        sun_clear = weather["sun"] * (1.0 - weather["cloud"])
        fault_steps = _network_fault_steps(clock)
        st_values, st_labels, st_params = street_readings(
            rng, {q: v[street].astype(np.float64) for q, v in truth.items()}, clock, sun_clear,
            fault_steps, _network_days(clock, rng, fault_steps))
        for q in st_values:
            readings[q][street], labels[q][street] = st_values[q], st_labels[q]
        params = pd.DataFrame(st_params, index=pd.Index(sites.loc[street, "site_id"], name="site_id"))
        _teaching_faults(clock, sites["site_id"].tolist(), readings, labels)
    return truth, readings, labels, params


def _frames(clock: Clock, site_ids: list[str], truth: dict, readings: dict, labels: dict):
    """Tidy readings and truth tables, rows ordered by (timestamp, site_id)."""
    n = len(site_ids)
    index = {
        "timestamp": clock.times.repeat(n),
        "site_id": pd.Categorical.from_codes(np.tile(np.arange(n, dtype=np.int32), clock.n), categories=site_ids),
    }
    rows = {q: np.ascontiguousarray(v.T).ravel() for q, v in readings.items()}
    readings_df = pd.DataFrame({**index, **rows})
    truth_cols = {q: np.ascontiguousarray(v.T).ravel() for q, v in truth.items()}
    fault_cols = {f"fault_{q}": pd.Categorical.from_codes(np.ascontiguousarray(v.T).ravel(), categories=LABELS)
                  for q, v in labels.items()}
    truth_df = pd.DataFrame({**index, **truth_cols, **fault_cols})
    return readings_df, truth_df


def make_city(seed: int, start="2024-01-01", end="2024-12-31", freq: str = "1h",
              street_per_district: int = 4) -> SensorData:
    """Generate the synthetic city for one period (seeded: same seed, same data, bit for bit).

    Parameters
    ----------
    seed : int
        Random seed.
    start, end : str or Timestamp
        First and last day (inclusive), Seoul time.
    freq : str
        Sampling interval (pandas frequency, e.g. ``"1h"``, ``"10min"``).
    street_per_district : int
        Street sensors per district; the first of each district is co-located with the
        district's reference station.

    Returns
    -------
    SensorData
        ``readings`` (raw, with faults), ``sites``, ``truth`` (clean values and
        ``fault_<quantity>`` labels, same rows), ``meta`` (seed, parameters, and
        ``meta["sensors"]``: each street sensor's gain, humidity growth, drift and biases).

    Examples
    --------
    >>> city = make_city(seed=1, start="2024-08-01", end="2024-08-01", street_per_district=0)
    >>> len(city.readings), bool(city.readings["no2"].notna().mean() > 0.9)
    (600, True)
    """
    check_city_arguments(seed, street_per_district)
    clock = Clock.build(start, end, freq)
    sites = city_sites(street_per_district, seed)
    truth, readings, labels, params = _simulate(int(seed), clock, sites)
    readings_df, truth_df = _frames(clock, sites["site_id"].tolist(), truth, readings, labels)
    meta = {"seed": int(seed), "start": str(pd.Timestamp(start).date()), "end": str(pd.Timestamp(end).date()),
            "freq": freq, "street_per_district": int(street_per_district),
            "generator_version": GENERATOR_VERSION, "sensors": params}
    from sensorlab.datasets.city_bundle_read import compact_sites

    return SensorData(readings=readings_df, sites=compact_sites(sites, sites["site_id"].tolist()), truth=truth_df,
                      name="city", attribution=ATTRIBUTION, meta=meta)


def load_city(quantities=None, *, sites=None, districts=None, kind=None, start=None, end=None,
              truth: bool = True) -> SensorData:
    """The bundled synthetic year (2024, hourly, 25 reference + 100 street sensors), or part of it.

    Reads the Parquet files shipped in ``sensorlab/data/city/`` after checking their sha256
    against the registry; equal, bit for bit, to ``make_city(BUNDLED_SEED, **BUNDLED_PARAMS)``.
    With no arguments it returns the whole city (about 1.1 million rows). A lesson asks for what
    it uses, so that a class of 30 fits on one school server: every filter keeps memory down in
    proportion (the whole city with its truth takes about 120 MB; PM2.5 of one station, 0.2 MB).

    Parameters
    ----------
    quantities : str or list of str, optional
        Quantity columns to load (default: all of :data:`QUANTITIES`).
    sites : str or list of str, optional
        Site ids, e.g. ``"ref-101"`` or ``["ref-101", "sdot-101-01"]``.
    districts : str or list of str, optional
        District names, English or Korean (``"Jongno-gu"``, ``"종로구"``).
    kind : {"reference", "street", "colocated"}, optional
        Only reference stations, only street sensors, or the street sensors that stand beside a
        station together with those stations (what calibration pairs need).
    start, end : str or Timestamp, optional
        First and last day to load (inclusive, Seoul time).
    truth : bool
        Also load the truth (clean values and fault labels) of the chosen part; lessons that
        do not score a cleaning pass ``truth=False``.

    Returns
    -------
    SensorData
        ``readings``: ``timestamp`` (Asia/Seoul), ``site_id`` (categorical over the loaded
        sites), one float32 column per quantity (exact at each quantity's resolution);
        ``sites``: the loaded sites; ``truth`` as in :func:`make_city` or None;
        ``meta["sensors"]``: the loaded street sensors' parameters.

    Examples
    --------
    >>> city = load_city()
    >>> city.meta["seed"] == BUNDLED_SEED, len(city.sites)
    (True, 125)
    >>> jongno = load_city("pm25", sites="ref-101", start="2024-03-01", end="2024-03-31", truth=False)
    >>> jongno
    <SensorData 'city': 744 readings x 1 quantities, 1 sites>
    >>> str(jongno.readings["pm25"].dtype), jongno.truth is None
    ('float32', True)
    >>> load_city(["pm25", "noise"], districts="마포구", kind="street").sites["site_id"].tolist()
    ['sdot-106-01', 'sdot-106-02', 'sdot-106-03', 'sdot-106-04']
    """
    from sensorlab.datasets.city_bundle_read import read_bundle

    return read_bundle(truth=truth, quantities=quantities, site_ids=sites, districts=districts, kind=kind,
                       start=start, end=end)


def city_truth_series(seed: int, start="2024-01-01", end="2024-12-31", freq: str = "1h",
                      district: str | int = "Jongno-gu") -> pd.DataFrame:
    """Clean PM2.5, PM10, temperature, humidity, wind, NO2 and O3 at one district station.

    For simulators that need the city's true air at arbitrary times: the same truth as
    ``make_city(seed, start, end, freq).truth`` at ``ref-<code>``, indexed by timestamp.
    ``district`` is the English or Korean name or the station code.

    Examples
    --------
    >>> s = city_truth_series(3, "2024-05-01", "2024-05-01", "30min", district="종로구")
    >>> s.shape, s.index[1].strftime("%H:%M")
    ((48, 7), '00:30')
    """
    ref = stations()
    match = ref[(ref["district"] == district) | (ref["district_ko"] == district)
                | (ref["station_code"].astype(str) == str(district))]
    if match.empty:
        raise ValueError(f"unknown district {district!r}; use e.g. 'Jongno-gu', '종로구' or 101")
    site = match["site_id"].iloc[0]
    city = make_city(seed, start, end, freq, street_per_district=0)
    truth = city.truth[city.truth["site_id"] == site].set_index("timestamp")
    return truth[["pm25", "pm10", "temperature", "humidity", "wind_speed", "no2", "o3"]]
