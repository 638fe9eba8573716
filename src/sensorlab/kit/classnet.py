"""A class network without hardware: N simulated boxes at a school, weeks, one log folder.

A class that builds boxes puts them up around its school and logs them all into one folder.
:func:`record_class` plays that deployment: ``boxes`` boxes (default 8) within about 100 m
of the school's coordinates, for ``weeks`` weeks, each running the real firmware
(:class:`~sensorlab.kit.simulator.BoxSimulator`) in the air of the synthetic city's site
nearest the school, and logged through the logger's own framing, checks and store
(:class:`~sensorlab.kit.logstore.LogStore`) with the simulated arrival times. The units
differ the way the real S-DoT units do, with the spread the city generator uses
(:mod:`sensorlab.datasets.city_sensors`): a PM gain from the measured quantiles
(``sample_gain``, about x0.3 to x1.7), an effective humidity κ around
:data:`sensorlab.units.SENSOR_KAPPA`, and outage runs at the real rate (1.3 % of sensor-days,
median 4 days, p90 48). The per-line faults are the simulator's catalogue at its default
rates (:data:`CLASS_FAULTS`).

The folder is what a class with hardware gets from ``sensorlab log``: day files,
``rejects.csv``, ``events.csv``, ``sensors.csv``; plus ``nodes.csv`` (where each box is,
as in the Array of Things digest) and ``simulation.json`` (the units' hidden gains, κ and
outages, for checking a calibration). :func:`class_log` reads it back with
:func:`~sensorlab.kit.readback.load_log`.

Examples
--------
>>> import tempfile
>>> out = tempfile.mkdtemp()
>>> counts = record_class(out, boxes=2, weeks=0.02, seed=1)
>>> counts["lines"] > 100, counts["boxes"]
(True, 2)
>>> sorted(load_log(out).readings["site_id"].unique())
['class-01', 'class-02']
"""

from __future__ import annotations

import csv
import heapq
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from sensorlab.datasets.city_faults import place_runs
from sensorlab.datasets.city_sensors import GAIN_QUANTILES, RATES, sample_gain
from sensorlab.kit.ingest import Ingest
from sensorlab.errors import SensorLabError
from sensorlab.kit.logstore import LogStore, day_files, utc_stamp
from sensorlab.datasets.base import SensorData
from sensorlab.kit.readback import load_log
from sensorlab.kit.simulator import BoxSimulator
from sensorlab.kit.truth import TruthModel, hourly_truth
from sensorlab.messages import text
from sensorlab.units import SENSOR_KAPPA

#: Default school: Jongno-gu, beside the district's station of the synthetic city (ref-101),
#: so "calibrate against the nearest station" has a neighbour. Pass your school's own.
DEFAULT_LAT, DEFAULT_LON = 37.5720, 127.0050
DEFAULT_START = "2025-03-03T00:00:00+09:00"
#: Every fault of the simulator's catalogue at its default rate, except those the deployment
#: draws itself: the humidity response (each unit's κ), and power cuts (the S-DoT outage runs).
#: No cable is pulled: the boxes are left alone for weeks; no drift: the city's drifting units
#: change by under 3 % in a few weeks.
CLASS_FAULTS = "all,humidity:0,drift:0,unplug:0,power_loss:0"
#: A box reports every 5 minutes (S-DoT: 2 minutes) and says it is alive once an hour, the
#: settings a class changes in main.py for weeks of logging (the default 10 s would fill
#: about 3 GB in three weeks of 8 boxes).
CLASS_REPORT_S, CLASS_HEARTBEAT_S = 300, 3600
_SPREAD_M = 100.0  # boxes within about this many metres of the school


def _nearest_site(sites: pd.DataFrame, lat: float, lon: float) -> str:
    dlat = np.radians(sites["lat"].to_numpy() - lat)
    dlon = np.radians(sites["lon"].to_numpy() - lon) * math.cos(math.radians(lat))
    return str(sites["site_id"].iloc[int(np.argmin(dlat ** 2 + dlon ** 2))])


def school_city(seed: int, start: pd.Timestamp, hours: float) -> SensorData:
    """The synthetic city whose air a class network breathes: the same call for the boxes'
    air (:func:`school_truth`) and for the station beside them
    (:func:`sensorlab.your_data.nearest_station`), because the city's weather depends on the
    whole period it is generated for."""
    from sensorlab.datasets.city import make_city

    local = pd.Timestamp(start).tz_convert("Asia/Seoul")
    end = local + pd.Timedelta(hours=hours + 1)
    return make_city(seed=seed, start=local.floor("D").tz_localize(None),
                     end=end.ceil("D").tz_localize(None), freq="h", street_per_district=1)


def school_truth(seed: int, start: pd.Timestamp, hours: float, lat: float, lon: float):
    """Clean hourly air at the school: the synthetic city's site nearest it (UTC hours).

    Returns ``(table, site_id)``; where the city cannot be built, the simulator's diurnal
    model and ``"diurnal"``.
    """
    try:
        city = school_city(seed, start, hours)
        site = _nearest_site(city.sites, lat, lon)
        one = city.truth[city.truth["site_id"] == site].copy()
        one["timestamp"] = pd.to_datetime(one["timestamp"]).dt.tz_convert("UTC")
        one = one.set_index("timestamp").sort_index()
        grid = start.tz_convert("UTC") + pd.to_timedelta(np.arange(int(hours) + 2), unit="h")
        table = one[["pm25", "pm10", "temperature", "humidity"]].astype(float)
        table = table.reindex(grid, method="nearest").rename_axis("timestamp").reset_index()
        return table, site
    except Exception:  # noqa: BLE001 - the optional engine fails: the small model still teaches
        table, _ = hourly_truth(seed, start, hours, engine="diurnal")
        return table, "diurnal"


def class_units(boxes: int, seed: int, days: float, lat: float, lon: float) -> pd.DataFrame:
    """Each box's id, place and hidden traits, drawn from the real S-DoT spread.

    Examples
    --------
    >>> units = class_units(8, seed=1, days=21, lat=DEFAULT_LAT, lon=DEFAULT_LON)
    >>> units.columns.tolist()
    ['node_id', 'lat', 'lon', 'gain', 'kappa', 'outages']
    >>> bool(units["gain"].between(0.1, 1.8).all())
    True
    """
    rng = np.random.default_rng([seed, 1515])
    gain = sample_gain(rng, boxes)
    # units differ a little around the network's effective κ, as city_sensors draws them
    kappa = SENSOR_KAPPA * rng.uniform(0.8, 1.2, boxes)
    n_days = max(1, int(math.ceil(days)))
    off = place_runs(rng, (boxes, n_days), RATES["outage_days"], median=4, p90=48,
                     max_len=94, stratified=True)
    outages = []
    for row in off:
        spans, day = [], 0
        while day < n_days:
            if row[day]:
                first = day
                while day < n_days and row[day]:
                    day += 1
                spans.append((first * 86400.0 + float(rng.uniform(0, 86400)),
                              min(day, days) * 86400.0))
            day += 1
        outages.append([(a, b) for a, b in spans if a < b])
    metres = _SPREAD_M * np.sqrt(rng.uniform(size=boxes))
    angle = rng.uniform(0, 2 * math.pi, boxes)
    return pd.DataFrame({
        "node_id": [f"class-{i:02d}" for i in range(1, boxes + 1)],
        "lat": lat + metres * np.cos(angle) / 111_320.0,
        "lon": lon + metres * np.sin(angle) / (111_320.0 * math.cos(math.radians(lat))),
        "gain": gain, "kappa": kappa, "outages": outages})


def record_class(out, boxes: int = 8, weeks: float = 3.0, seed: int = 0,
                 lat: float = DEFAULT_LAT, lon: float = DEFAULT_LON, start=DEFAULT_START,
                 period_s: float = CLASS_REPORT_S, heartbeat_s: float = CLASS_HEARTBEAT_S,
                 faults=CLASS_FAULTS) -> dict:
    """Log a class network of simulated boxes into the folder ``out``; return the counts.

    The counts are the logger store's (``lines``, ``rows``, ``rejects`` ...) plus ``boxes``
    and ``site`` (the synthetic city's site whose air the school breathes).
    """
    for what, value, ok, rule in (("boxes", boxes, boxes >= 1, ">= 1"),
                                  ("weeks", weeks, weeks > 0, "> 0"),
                                  ("lat", lat, -90 <= lat <= 90, "-90..90"),
                                  ("lon", lon, -180 <= lon <= 180, "-180..180")):
        if not ok:
            raise ValueError(text("kit_cli.class_bad", what=what, value=value, rule=rule))
    start = pd.Timestamp(start)
    start = start.tz_localize("Asia/Seoul") if start.tzinfo is None else start
    start = start.tz_convert("UTC")
    out = Path(out)
    held = day_files(out) if out.is_dir() else []
    if held:  # a second class would mix with the first: same node ids, same boot ids
        raise SensorLabError(text("kit_cli.class_out_in_use", out=out, files=len(held)))
    seconds = weeks * 7 * 86400.0
    units = class_units(boxes, seed, seconds / 86400, lat, lon)
    table, site = school_truth(seed, start, seconds / 3600, lat, lon)
    sims = []
    for i, unit in enumerate(units.itertuples(), 1):
        phases = np.random.default_rng([seed, i, 99]).uniform(0, 2 * math.pi, size=8)
        box = BoxSimulator(seed=seed * 1000 + i, faults=faults, node_id=unit.node_id,
                           start=start, period_s=period_s, gain=unit.gain, kappa=unit.kappa,
                           outages=unit.outages, truth=TruthModel(table, "city", phases))
        box.firmware.main.HEARTBEAT_MS = int(round(heartbeat_s * 1000))
        sims.append(box)
    store = LogStore(out)
    epoch = start.timestamp()
    ingests = [Ingest(store) for _ in sims]  # one stream per box, as one cable per box
    for box in sims:
        store.start(f"simulated class box {box.node_id} seed={box.seed}", stamp=utc_stamp(epoch))
    streams = [((i, e) for e in box.emissions(seconds)) for i, box in enumerate(sims)]
    last = 0.0
    for i, e in heapq.merge(*streams, key=lambda pair: pair[1].t):
        last = e.t
        if e.event == "unplug":
            ingests[i].end(utc_stamp(epoch + e.t))
        elif e.event == "replug":
            ingests[i].reopen()
        elif e.sent and e.data:
            ingests[i].feed(e.data, utc_stamp(epoch + e.t))
        if store.disk_error is not None:
            # a simulation need not wait for space like a logger: stop, keep what is written
            _disk_full(store, out, store.disk_error)
    for ingest in ingests:
        ingest.end(utc_stamp(epoch + last))
    store.event("stop", detail=f"{store.counts['lines']} lines, {store.counts['rejects']} "
                "rejects", stamp=utc_stamp(epoch + last))
    store.close()
    if store.disk_error is not None:
        _disk_full(store, out, store.disk_error)
    try:
        _write_nodes(out, units, start, seconds)
        (out / "simulation.json").write_text(json.dumps({
            **_params(seed, boxes, weeks, lat, lon, faults, period_s, start),
            "air_of_site": site, "gain_quantiles": GAIN_QUANTILES,
        "units": [{"node_id": u.node_id, "gain": round(u.gain, 4), "kappa": round(u.kappa, 5),
                   "outages_s": [[round(a, 1), round(b, 1)] for a, b in u.outages]}
                      for u in units.itertuples()]}, indent=1), encoding="utf-8")
    except OSError as err:
        for name in ("nodes.csv", "simulation.json"):  # half a table would mislead a check
            (out / name).unlink(missing_ok=True)
        _disk_full(store, out, err)
    return dict(store.counts, boxes=boxes, site=site)


def _params(seed, boxes, weeks, lat, lon, faults, period_s, start) -> dict:
    """What makes a class network: the same values give the same folder, byte for byte."""
    return {"seed": seed, "boxes": boxes, "weeks": weeks, "school": {"lat": lat, "lon": lon},
            "faults": faults, "report_s": period_s, "start": pd.Timestamp(start).isoformat()}


def _disk_full(store: LogStore, out: Path, err: OSError):
    """Stop the class where the disk (or a file size limit) stopped it; say what is kept."""
    store.close()  # writes what still fits; a torn row is cut back, never left
    raise SensorLabError(text("kit_cli.class_disk_full", out=out, reason=err.strerror,
                              lines=store.counts["lines"]))


def _write_nodes(out: Path, units: pd.DataFrame, start: pd.Timestamp, seconds: float) -> None:
    """``nodes.csv`` in the Array of Things digest's columns: where each box stands."""
    end = start + pd.Timedelta(seconds=seconds)
    with open(out / "nodes.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["node_id", "project_id", "vsn", "address", "lat", "lon",
                         "description", "start_timestamp", "end_timestamp"])
        for u in units.itertuples():
            writer.writerow([u.node_id, "class", u.node_id[-2:], "school", f"{u.lat:.6f}",
                             f"{u.lon:.6f}", "simulated class box [P]",
                             start.strftime("%Y/%m/%d %H:%M:%S"), end.strftime("%Y/%m/%d %H:%M:%S")])


def class_log(boxes: int = 8, weeks: float = 3.0, seed: int = 0, lat: float = DEFAULT_LAT,
              lon: float = DEFAULT_LON, out=None, **options) -> SensorData:
    """A class network's log read back per box (:func:`record_class`, then ``load_log``): the
    same container a box, the city and real S-DoT data come in.

    ``out`` keeps the folder (default: a temporary one); ``options`` go to
    :func:`record_class` (``start``, ``period_s``, ``faults`` ...).
    """
    if out is None:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            return class_log(boxes, weeks, seed, lat, lon, out=tmp, **options)
    if not _made_by(out, boxes, weeks, seed, lat, lon, options):
        record_class(out, boxes=boxes, weeks=weeks, seed=seed, lat=lat, lon=lon, **options)
    return load_log(out)


def _made_by(out, boxes, weeks, seed, lat, lon, options) -> bool:
    """Whether ``out`` already holds this very class network (a notebook cell run again)."""
    try:
        made = json.loads((Path(out) / "simulation.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    start = pd.Timestamp(options.get("start", DEFAULT_START))
    start = (start.tz_localize("Asia/Seoul") if start.tzinfo is None else start).tz_convert("UTC")
    want = _params(seed, boxes, weeks, lat, lon, options.get("faults", CLASS_FAULTS),
                   options.get("period_s", CLASS_REPORT_S), start)
    return all(made.get(k) == v for k, v in want.items()) and bool(day_files(out))
