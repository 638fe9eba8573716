"""Your data, in every module: your own box's log, your class's network, real S-DoT data.

Modules 03-08 each end by applying their method to data that is the student's own. All three
sources come as :class:`~sensorlab.datasets.base.SensorData`, the container of the synthetic
city, so the module's functions take them unchanged:

- :func:`my_data` -- the student's box's log folder when there is one (the folder given, or
  ``$SENSORLAB_MY_LOG``), the class network otherwise: a class of simulated boxes at the
  school (:func:`sensorlab.kit.classnet.record_class`), recorded once into the data cache and
  read back with :func:`~sensorlab.kit.readback.load_log`, as a class with hardware would;
- :func:`real_or_none` -- a real dataset (``fetch_sdot_daily`` ...) when it is cached or can be
  fetched; otherwise it prints the one command that fetches it and returns None, so the rest
  of the notebook still runs.

Examples
--------
>>> import tempfile
>>> from sensorlab.kit.classnet import record_class
>>> folder = tempfile.mkdtemp()
>>> _ = record_class(folder, boxes=2, weeks=0.02, seed=3)
>>> log = my_data(folder)
>>> sorted(log.readings["site_id"].unique()), list(log.sites["lat"].notna())
(['class-01', 'class-02'], [True, True])
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from sensorlab.datasets.base import SensorData
from sensorlab.errors import SensorLabError

#: A student's own log folder, for a notebook started without arguments (a teacher can set it
#: per student on a hub; a student can set it in a notebook cell).
MY_LOG_ENV = "SENSORLAB_MY_LOG"
#: The class network lessons use when no box log is given: small enough to record in seconds.
CLASS_BOXES, CLASS_WEEKS, CLASS_SEED = 6, 2.0, 0


def class_network_folder(boxes: int = CLASS_BOXES, weeks: float = CLASS_WEEKS,
                         seed: int = CLASS_SEED) -> Path:
    """The class network's log folder in the data cache, recorded the first time it is asked for.

    It is recorded into a private folder and renamed into place, so a class of students asking
    at the same moment never reads a half-written one. Where the cache cannot be written (a
    class server's shared, read-only cache the teacher never filled), it is recorded into the
    student's own temporary folder instead, once.
    """
    import getpass

    from sensorlab.datasets.real_cache import cache_dir

    from sensorlab.datasets.city_layout import GENERATOR_VERSION

    # The boxes breathe the synthetic city's air: a new generator records a new network, and a
    # cache filled by the previous version must not answer for it.
    name = f"seed{seed}-boxes{boxes}-weeks{weeks:g}-city{GENERATOR_VERSION}"
    try:
        return _recorded_once(cache_dir() / "class-network" / name, boxes, weeks, seed)
    except OSError:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):  # a container user with no name: the folder is still per user id
            user = str(os.getuid())
        own = Path(tempfile.gettempdir()) / f"sensorlab-{user}" / "class-network" / name
        return _recorded_once(own, boxes, weeks, seed)


def _recorded_once(folder: Path, boxes: int, weeks: float, seed: int) -> Path:
    """``folder`` holding the class network, recorded into it (whole) unless it is there already."""
    from sensorlab.kit.classnet import record_class

    if (folder / "simulation.json").is_file():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".recording-", dir=folder.parent))
    try:
        record_class(scratch, boxes=boxes, weeks=weeks, seed=seed)
        try:
            scratch.rename(folder)
        except OSError:  # another student's recording landed first: theirs is the same
            if not (folder / "simulation.json").is_file():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return folder


def my_data(folder: str | Path | None = None, resample: str | None = "1h") -> SensorData:
    """Your box's log (``folder``, or ``$SENSORLAB_MY_LOG``); the class network when you have none.

    Parameters
    ----------
    folder : str or Path, optional
        The folder ``sensorlab log`` wrote to (one box, or a class's boxes in one folder).
    resample : str or None
        Average the ``ok`` readings onto this clock (default hourly, like the city and the
        real S-DoT data); None keeps every line with its ``status`` and ``uptime_ms``.

    Notes
    -----
    A class network's log is read once per state of its folder: the first lesson reads it and
    saves the table beside it (:data:`TABLES_FOLDER`, named by :func:`folder_state`); every
    later lesson reads that table (a few MB instead of parsing the whole long log) until a file
    of the log changes, when the log is read again.
    """
    from sensorlab.kit.readback import load_log

    folder = folder or os.environ.get(MY_LOG_ENV) or class_network_folder()
    if (Path(folder) / "simulation.json").is_file():
        return _recorded_log(Path(folder), resample)
    return load_log(folder, resample=resample)


#: Where a class network keeps the tables :func:`my_data` makes of it: its log is read (about
#: 150 MB of work for two weeks of six boxes) once per state of the folder, not in every lesson.
TABLES_FOLDER = "tables"


def folder_state(folder: Path, names: set[str] | None = None) -> str:
    """A short digest of what ``folder`` holds now: each file's name, size and change times.

    A class network's folder can still be logged into after its tables were saved (a box added,
    the class recorded again, a day file edited or deleted); a saved table carries the digest of
    the folder it was made from in its name, so a changed folder is read again, never served
    from an old table. The change time (``st_ctime_ns``) is there because a program can set a
    file's modification time back but not its change time.

    Parameters
    ----------
    folder : Path
        The log folder; hidden files and sub-folders (the saved tables themselves) are left out.
    names : set of str, optional
        Only these files (the ones a saved table depends on); default every file.
    """
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or (names is not None and path.name not in names) or not path.is_file():
            continue
        info = path.stat()
        digest.update(f"{path.name}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\n".encode())
    return digest.hexdigest()[:16]


def _recorded_log(folder: Path, resample: str | None) -> SensorData:
    """A recorded class network's log, from the tables saved beside it for the folder as it is now."""
    import pandas as pd

    from sensorlab.kit.readback import box_sites, load_log, read_nodes, source_of

    state = folder_state(folder)
    clock = re.sub(r"[^0-9A-Za-z]", "_", resample or "lines")
    paths = {part: folder / TABLES_FOLDER / f"{part}-{state}.parquet" for part in (f"readings-{clock}", "events")}
    try:
        readings, events = (pd.read_parquet(path) for path in paths.values())
    except (OSError, ValueError):
        log = load_log(folder, resample=resample)
        for path, table in zip(paths.values(), (log.readings, log.events)):
            _save_whole(path, table.to_parquet)
        _drop_other_states(folder / TABLES_FOLDER, state)
        return log
    source = source_of(events)
    return SensorData(readings=readings, sites=box_sites(readings["site_id"], read_nodes(folder)),
                      events=events, name=folder.name,
                      attribution=f"Logged with sensorlab log from {source or 'a sensor box'}",
                      meta={"folder": str(folder), "source": source})


def _drop_other_states(saved: Path, state: str) -> None:
    """Remove the tables saved for an earlier state of the folder (best effort: they are never read)."""
    for path in saved.glob("*-*.*") if saved.is_dir() else []:
        if not path.name.startswith(".") and path.stem.rsplit("-", 1)[-1] != state:
            path.unlink(missing_ok=True)


def _save_whole(path: Path, write: Callable) -> None:
    """``write(file)`` into ``path``, whole or not at all; a folder this student cannot write (a
    class server's shared cache) only means the next kernel makes the table again."""
    scratch = None
    try:
        path.parent.mkdir(exist_ok=True)
        handle, scratch = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
        os.close(handle)
        write(scratch)
        os.replace(scratch, path)
    except OSError:
        pass
    finally:
        if scratch is not None and Path(scratch).exists():
            Path(scratch).unlink()


def real_or_none(fetch: Callable[[], SensorData]) -> SensorData | None:
    """``fetch()`` (a real dataset), or None after printing why and the command that fetches it."""
    try:
        return fetch()
    except SensorLabError as err:
        print(err)
        return None


def nearest_station(log: SensorData) -> SensorData | None:
    """The city's reference station nearest your boxes, hour by hour over your log's period.

    For the class network it is the station of the synthetic city whose air the boxes breathe
    (generated again with the network's seed and period: the city's weather depends on the
    whole period it is made for), so the station measures the boxes' air with a reference
    analyser, as a school's nearest real station would. The first lesson that asks generates
    that city and saves the station's hours beside the recording (:data:`STATION_FOLDER`); every
    later lesson reads them back and never holds the city. For your own box's log the package
    holds no station for your dates: it prints where to get your district station's hours and
    returns None, so the rest of the notebook still runs.

    Returns
    -------
    SensorData or None
        ``readings`` (timestamp, site_id, pm25, pm10, temperature, humidity) from the first to
        the last hour of the log; ``sites``: the one station.

    Examples
    --------
    >>> import tempfile
    >>> from sensorlab.kit.classnet import record_class
    >>> folder = tempfile.mkdtemp()
    >>> _ = record_class(folder, boxes=1, weeks=0.1, seed=3)
    >>> station = nearest_station(my_data(folder))
    >>> station.sites["site_id"].tolist(), station.readings.columns.tolist()[:3]
    (['ref-101'], ['timestamp', 'site_id', 'pm25'])
    >>> nearest_station(SensorData(readings=station.readings, sites=station.sites)) is None
    The package has a station beside the class network only...
    True
    """
    from sensorlab.messages import text

    if not is_class_network(log):
        print(text("your_data.no_station"))
        return None
    readings, site, meta = _station_hours(Path(log.meta["folder"]))
    times = log.readings["timestamp"]
    rows = readings[readings["timestamp"].between(times.min(), times.max())]
    return SensorData(readings=rows.reset_index(drop=True), sites=site, name=str(site["site_id"].iloc[0]),
                      attribution=meta["attribution"], meta={"seed": meta["seed"], "start": meta["start"]})


#: Where the class network keeps its nearest station's hours once they are made (a folder in the
#: network's own folder: what a recording holds is made once, like the recording).
STATION_FOLDER = "nearest-station"
_STATIONS: dict[str, tuple] = {}   # per kernel, where the cache folder is read-only (a class server)


def _station_hours(folder: Path):
    """The hours of the city's station nearest the class network, with its site row and meta.

    The first time, the city the boxes breathed is generated again (about 10 s of CPU and the
    whole city in memory) and the one station's hours are saved beside the recording, so every
    later lesson reads a few kilobytes instead.
    """
    import json

    import pandas as pd

    state = folder_state(folder, {"simulation.json", "nodes.csv"})   # what the station is made from
    key = (str(folder.resolve()), state)
    if key in _STATIONS:
        return _STATIONS[key]
    saved = folder / STATION_FOLDER
    names = {part: saved / f"{part}-{state}.{ext}" for part, ext in
             (("readings", "parquet"), ("site", "parquet"), ("meta", "json"))}
    try:
        found = (pd.read_parquet(names["readings"]), pd.read_parquet(names["site"]),
                 json.loads(names["meta"].read_text(encoding="utf-8")))
    except (OSError, ValueError):
        found = _make_station_hours(folder)
        readings, site, meta = found
        _save_whole(names["readings"], readings.to_parquet)
        _save_whole(names["site"], site.to_parquet)
        _save_whole(names["meta"], lambda path: Path(path).write_text(json.dumps(meta), encoding="utf-8"))
        _drop_other_states(saved, state)
    _STATIONS[key] = found
    return found


def _make_station_hours(folder: Path):
    """The station nearest the boxes in the city generated again with the network's seed and period."""
    import json

    import pandas as pd

    from sensorlab.kit.classnet import _nearest_site, school_city
    from sensorlab.kit.readback import box_sites, read_nodes

    network = json.loads((folder / "simulation.json").read_text(encoding="utf-8"))
    nodes = read_nodes(folder)
    start = pd.to_datetime(nodes["start_timestamp"], utc=True, format="%Y/%m/%d %H:%M:%S").min()
    places = box_sites(nodes["node_id"], nodes)
    city = school_city(network["seed"], start, network["weeks"] * 7 * 24)
    stations = city.sites[city.sites["kind"] == "reference"]
    site = _nearest_site(stations, float(places["lat"].mean()), float(places["lon"].mean()))
    rows = city.readings[city.readings["site_id"] == site]
    rows = rows[["timestamp", "site_id", "pm25", "pm10", "temperature", "humidity"]].astype({"site_id": str})
    row = stations[stations["site_id"] == site].astype({"site_id": str}).reset_index(drop=True)
    return (rows.reset_index(drop=True), row,
            {"seed": network["seed"], "start": str(start), "attribution": city.attribution})


def beside(log: SensorData, station: SensorData) -> SensorData:
    """Your log with every box standing beside ``station``: the co-location a calibration pairs.

    ``calibration.colocated_pairs(beside(log, station), reference=station, freq="1h")`` puts
    each box's hours beside the station's, as module 06 does with the city's street sensors.
    """
    sites = log.sites.copy()
    sites["colocated_with"] = str(station.sites["site_id"].iloc[0])
    sites["district"] = station.sites["district"].iloc[0]
    sites["district_ko"] = station.sites["district_ko"].iloc[0]
    return SensorData(readings=log.readings, sites=sites, events=log.events, name=log.name,
                      attribution=log.attribution, meta=log.meta)


def is_class_network(log: SensorData) -> bool:
    """Whether ``log`` is the class network (a recorded simulation), not a box's own log."""
    folder = log.meta.get("folder")
    return bool(folder) and (Path(folder) / "simulation.json").is_file()


def describe(log: SensorData) -> str:
    """One sentence saying which data ``log`` is: the class network or your own box's log.

    Examples
    --------
    >>> import tempfile
    >>> from sensorlab.kit.classnet import record_class
    >>> folder = tempfile.mkdtemp()
    >>> _ = record_class(folder, boxes=2, weeks=0.05, seed=3)
    >>> print(describe(my_data(folder)))  # doctest: +ELLIPSIS
    The class network: 2 simulated boxes at a school in Jongno-gu, 2025-03-03 to 2025-03-03, ...
    """
    from sensorlab.messages import text

    times = log.readings["timestamp"]
    fields = dict(boxes=log.readings["site_id"].nunique(), first=f"{times.min():%Y-%m-%d}",
                  last=f"{times.max():%Y-%m-%d}", name=log.name, rows=len(log.readings))
    return text("your_data.class_network" if is_class_network(log) else "your_data.own_log", **fields)
