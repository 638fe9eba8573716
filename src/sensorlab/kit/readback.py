"""Read a logger directory back as :class:`~sensorlab.datasets.base.SensorData`, like the city.

:func:`load_log` reads every ``YYYY-MM-DD.csv`` of a log directory (long format, one row per
parameter) and returns the container the synthetic city, ``fetch_*`` and ``read_sdot_csv``
return, so every function that takes the city takes a box's log folder (or a class's folder
of boxes) alike:

``readings``
    One row per reading set: ``timestamp`` (the arrival time, in Asia/Seoul), ``site_id``
    (the box's ``node_id``), ``boot_id``, ``seq``, ``uptime_ms`` (the box's own clock),
    ``status`` (the line's status word, as the box sent it) and a column per quantity, named
    as in :data:`sensorlab.datasets.base.UNITS`.
``sites``
    One row per box (``kind`` ``"street"``; district and coordinates unknown until the class
    fills them in).
``events``
    The logger's ``events.csv`` (``timestamp`` in Asia/Seoul): connects, reboots, gaps ...
``meta``
    ``folder`` and ``source`` (the port or simulation the logger read, as it recorded it).

Mapping from KIT1 keys (:data:`QUANTITY_OF`):

=========================  ==============================================================
KIT1 sensor, key           tidy column
=========================  ==============================================================
``pms5003`` ``pm25_atm``   ``pm25`` (µg/m³, the "atmospheric" value, as S-DoT publishes)
``pms5003`` ``pm10_atm``   ``pm10`` (µg/m³)
``sds011`` ``pm25``        ``pm25``
``sds011`` ``pm10``        ``pm10``
``sht40`` ``t``            ``temperature`` (°C)
``sht40`` ``rh``           ``humidity`` (%RH)
``bh1750`` ``lux``         ``illuminance`` (lux)
``mic`` ``dba``            ``noise`` (dB(A))
=========================  ==============================================================

With ``raw=True`` every other numeric key is kept too, under its KIT1 name
(``pm25_cf1``, ``n0_3`` ...). The box sends PM and temperature on separate lines about a
second apart; ``resample`` (e.g. ``"1min"``) averages the ``ok`` readings onto a common clock
so each row holds all quantities; without it each line is its own row, with NaN for what it
does not carry. Lines with status ``warmup`` or ``err`` are kept, with their status, for the
cleaning lessons to deal with; ``sys`` lines are left out.

Examples
--------
>>> import tempfile
>>> from sensorlab.kit.logger import run_logger
>>> out = tempfile.mkdtemp()
>>> _ = run_logger("sim://?seed=4&speed=0&duration=120", out, quiet=True, idle_exit=0.3)
>>> log = load_log(out)
>>> log.readings.columns.tolist()[:7]
['timestamp', 'site_id', 'boot_id', 'seq', 'uptime_ms', 'status', 'pm25']
>>> str(log.readings["timestamp"].dt.tz), log.sites["site_id"].tolist(), log.meta["source"]
('Asia/Seoul', ['sim-01'], 'sim://?seed=4&speed=0&duration=120')
>>> load_log(out, resample="1min").readings.columns.tolist()
['timestamp', 'site_id', 'pm25', 'pm10', 'temperature', 'humidity']
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from sensorlab.datasets.base import SEOUL_TZ, SITE_COLUMNS, UNITS, SensorData
from sensorlab.errors import DataFormatError
from sensorlab.kit.logstore import EVENT_COLUMNS, LEGACY_COLUMNS, LONG_COLUMNS, day_files
from sensorlab.messages import text

#: (sensor, KIT1 key) -> tidy column name (see the module docstring).
QUANTITY_OF = {
    ("pms5003", "pm25_atm"): "pm25", ("pms5003", "pm10_atm"): "pm10",
    ("sds011", "pm25"): "pm25", ("sds011", "pm10"): "pm10",
    ("sht40", "t"): "temperature", ("sht40", "rh"): "humidity",
    ("bh1750", "lux"): "illuminance", ("mic", "dba"): "noise",
}
assert set(QUANTITY_OF.values()) <= set(UNITS)
#: Columns of ``readings`` before the quantities: what identifies a reading and its status.
LINE_COLUMNS = ["timestamp", "site_id", "boot_id", "seq", "uptime_ms", "status"]
_NUMBERS = ["boot_id", "seq", "uptime_ms"]
#: Columns of a day file holding a few repeated words.
_WORDS = ["node_id", "subsystem", "sensor", "parameter", "unit", "status", "flag"]


def _legacy_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Rows of an older logger (no ``status`` column; ``flag`` held ``warmup;range``) in
    today's columns: read once here, so nothing after this tells the two apart."""
    table = table.iloc[:, :len(LEGACY_COLUMNS)].set_axis(LEGACY_COLUMNS, axis=1)
    old = table["flag"].str.split(";")  # "", "warmup", "range" or "warmup;range"
    status = old.str[0].replace({"": "ok", "range": "ok"})
    return table.assign(status=status,
                        flag=np.where(old.str[-1] == "range", "range", ""))[LONG_COLUMNS]


def _commas(path: Path, index: pd.Index) -> pd.Series:
    """Commas in each row of ``path`` (rows as pandas numbered them): an older logger's rows
    have one fewer, which parsed cells cannot show (a missing last cell reads as empty)."""
    lines = pd.read_csv(path, header=None, names=["row"], sep="\x1f", dtype=str,
                        keep_default_na=False, quoting=3, engine="c", skip_blank_lines=True,
                        encoding_errors="replace")
    commas = lines["row"].str.count(",")
    # the rows the parse skipped as too wide are not in ``index``
    return commas[commas <= len(LONG_COLUMNS)].set_axis(index)


def _read_day_file(path: Path) -> pd.DataFrame:
    """One day file as text columns, without the rows no logger meant to write.

    Files from before issue 12 may hold a second header row (two loggers created the file
    at the same instant) or a torn row (a full disk cut a write short); both are skipped,
    a torn row with a warning naming the file and row. A file an older logger began (rows
    without the ``status`` column) is read too, row by row, so a day that an upgrade cut in
    two reads whole.
    """
    width = len(LONG_COLUMNS)
    data = path.read_bytes()
    # a byte no logger writes (a NUL of a damaged card, text saved in another encoding) reads
    # as U+FFFD or stays a NUL; its row is torn, not a new box or a traceback
    table = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, header=None,
                        names=range(width + 1), on_bad_lines="skip", engine="c",
                        encoding_errors="replace")
    header = table.iloc[0].tolist() if len(table) else []
    if header[:width] == LONG_COLUMNS:
        # an older logger sharing the folder may append its rows (no status column) to a file
        # the new one began: their old ``flag`` lands in ``status`` ("", "range", "a;b"),
        # which no logger writes as a status; only then are the commas counted
        status = table[width - 2]
        odd = status.isin(["", "range"]) | status.str.contains(";", regex=False)
        legacy = (_commas(path, table.index) == width - 2) if odd.iloc[1:].any() \
            else pd.Series(False, index=table.index)
    elif header[:width - 1] == LEGACY_COLUMNS and header[width - 1] == "":
        legacy = _commas(path, table.index) == width - 2
    else:
        raise DataFormatError(f"columns are {header[:width]}, expected {LONG_COLUMNS}",
                              path=path, row=0)
    extra = table[width].ne("")
    table, legacy, extra = table.iloc[1:], legacy.iloc[1:], extra.iloc[1:]
    keep = table[0] != "timestamp"  # a doubled header row
    table, legacy, extra = table[keep], legacy[keep], extra[keep]
    table = pd.concat([table[~legacy].iloc[:, :width].set_axis(LONG_COLUMNS, axis=1),
                       _legacy_rows(table[legacy])]).loc[table.index]
    stamp = pd.to_datetime(table["timestamp"], utc=True, format="ISO8601", errors="coerce")
    numbers = table[_NUMBERS].apply(pd.to_numeric, errors="coerce")
    torn = extra | stamp.isna() | numbers.isna().any(axis=1) | table.isna().any(axis=1)
    if data and not data.endswith(b"\n") and len(table):
        # the logger writes whole rows: a last row without its newline was cut by a power cut
        torn.iloc[-1] = True
    if b"\x00" in data or "\ufffd" in data.decode("utf-8", "replace"):
        torn |= table.apply(lambda cells: cells.str.contains("[\x00\ufffd]")).any(axis=1)
    if torn.any():
        rows = [int(i) + 1 for i in table.index[torn][:5]]
        warnings.warn(text("kit_cli.torn_rows", file=path, count=int(torn.sum()),
                           rows=", ".join(map(str, rows))), UserWarning, stacklevel=3)
    table = table[~torn].assign(timestamp=stamp[~torn])
    table[_NUMBERS] = numbers[~torn].astype("int64")
    hrf = table["value_hrf"].replace({"NA": None, "": None})
    table["value_hrf"] = pd.to_numeric(hrf, errors="coerce")
    # a class's weeks of lines repeat a few words millions of times: categories, not strings
    return table.astype({c: "category" for c in _WORDS})


def read_long(directory: str | Path) -> pd.DataFrame:
    """All day files of a log directory as one long table (``timestamp`` in UTC)."""
    # an empty day file is one whose first rows a full disk still holds back: nothing to read
    files = [path for path in day_files(directory) if path.stat().st_size]
    if not files:
        raise DataFormatError(text("live.no_log_files"), path=directory)
    tables = [_read_day_file(path) for path in files]
    for column in _WORDS:  # one set of categories, so the concatenation stays categorical
        words = pd.api.types.union_categoricals([t[column] for t in tables]).categories
        for t in tables:
            t[column] = t[column].cat.set_categories(words)
    long = pd.concat(tables, ignore_index=True)
    del tables
    long["timestamp"] = pd.to_datetime(long["timestamp"], utc=True)
    return long


def read_events(directory: str | Path) -> pd.DataFrame:
    """The logger's ``events.csv`` (``timestamp`` in Asia/Seoul); empty if there is none."""
    path = Path(directory) / "events.csv"
    if not path.is_file() or not path.stat().st_size:
        return pd.DataFrame(columns=EVENT_COLUMNS)
    # a row cut short by a logger killed mid-write is skipped, as in the day files
    events = pd.read_csv(path, dtype=str, keep_default_na=False, on_bad_lines="skip",
                         encoding_errors="replace")
    stamp = pd.to_datetime(events["timestamp"], utc=True, format="ISO8601", errors="coerce")
    return events.assign(timestamp=stamp.dt.tz_convert(SEOUL_TZ))


def source_of(events: pd.DataFrame) -> str:
    """What the logger read, as its first ``start`` event recorded it (``""`` if none)."""
    starts = events.loc[events["event"] == "start", "detail"]
    return str(starts.iloc[0]) if len(starts) else ""


def _quantities(sensor: pd.Series, parameter: pd.Series, raw: bool) -> np.ndarray:
    """Each row's tidy quantity (None where it has none), looked up once per pair of categories:
    a Python tuple per row of a class's weeks of lines (400,000 rows) cost a lesson 26 MB."""
    sensor, parameter = sensor.astype("category").cat, parameter.astype("category").cat
    # one extra row and column of None for a missing word (code -1)
    lookup = np.full((len(sensor.categories) + 1, len(parameter.categories) + 1), None, dtype=object)
    for i, s in enumerate(sensor.categories):
        for j, p in enumerate(parameter.categories):
            lookup[i, j] = QUANTITY_OF.get((s, p), p if raw else None)
    return lookup[sensor.codes, parameter.codes]


def _wide(long: pd.DataFrame, raw: bool) -> pd.DataFrame:
    """One row per line (reading set), one column per quantity."""
    long = long[long["sensor"] != "sys"]
    # a line logged twice is dropped; a key the box used again with other values (a
    # restart without a new boot id, two boxes with one name) is a line of its own
    long = long.drop_duplicates(["node_id", "boot_id", "seq", "uptime_ms", "parameter",
                                 "value_raw"])
    long = long.assign(quantity=_quantities(long["sensor"], long["parameter"], raw))
    keys = ["node_id", "boot_id", "seq", "uptime_ms", "timestamp", "status"]
    lines = long[keys].drop_duplicates().set_index(keys)  # a line of words only (err) too
    values = long.dropna(subset=["quantity"])
    # one row per reading, one column per quantity (every quantity seen, even if all empty);
    # not pivot_table(dropna=False), which builds the product of the index levels: 4,000 readings
    # became 18 million rows and 1.3 GB
    wide = values.groupby(keys + ["quantity"], sort=False)["value_hrf"].first().unstack("quantity")
    wide = lines.join(wide, how="left").reset_index()
    wide = wide.rename(columns={"node_id": "site_id"})
    wide["timestamp"] = wide["timestamp"].dt.tz_convert(SEOUL_TZ)
    tidy = [q for q in UNITS if q in wide.columns]
    extra = sorted(c for c in wide.columns if c not in tidy and c not in LINE_COLUMNS)
    wide = wide[LINE_COLUMNS + tidy + extra]
    wide = wide.sort_values(["timestamp", "site_id", "boot_id", "seq"], kind="stable")
    wide = wide.reset_index(drop=True)
    wide.columns.name = None
    return wide


def _resampled(wide: pd.DataFrame, freq: str) -> pd.DataFrame:
    """The ``ok`` readings averaged onto a common clock of ``freq``, per box."""
    numeric = [c for c in wide.columns if c not in LINE_COLUMNS]
    wide = (wide[wide["status"] == "ok"]
            .groupby(["site_id", pd.Grouper(key="timestamp", freq=freq)])[numeric]
            .mean().dropna(how="all").reset_index())
    return wide[["timestamp", "site_id"] + numeric]


def box_sites(site_ids, nodes: pd.DataFrame | None = None) -> pd.DataFrame:
    """The sites table of a log: one street sensor per box; its place from ``nodes`` (the
    folder's ``nodes.csv``: ``node_id, lat, lon``, as a class network writes it and a class
    with hardware can write by hand), unknown otherwise."""
    sites = pd.DataFrame({"site_id": sorted(set(site_ids))}).assign(
        kind="street", district=pd.NA, district_ko=pd.NA, lat=np.nan, lon=np.nan,
        colocated_with=pd.NA)
    if nodes is not None and len(nodes):
        place = nodes.drop_duplicates("node_id", keep="last").set_index("node_id")
        sites["lat"] = sites["site_id"].map(place["lat"]).astype(float)
        sites["lon"] = sites["site_id"].map(place["lon"]).astype(float)
    return sites[SITE_COLUMNS]


def read_nodes(directory: str | Path) -> pd.DataFrame | None:
    """``nodes.csv`` of a log folder (where each box stands), or None where there is none.

    Raises
    ------
    DataFormatError
        The file lacks ``node_id``, ``lat`` or ``lon``, or a place is not a number.
    """
    path = Path(directory) / "nodes.csv"
    if not path.is_file():
        return None
    nodes = pd.read_csv(path, dtype={"node_id": str}, encoding="utf-8")
    missing = [c for c in ("node_id", "lat", "lon") if c not in nodes.columns]
    if missing:
        raise DataFormatError(text("live.nodes_no_column", column=missing[0]), path=str(path), row=1)
    for column in ("lat", "lon"):
        values = pd.to_numeric(nodes[column], errors="coerce")
        bad = values.isna() & nodes[column].notna()
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise DataFormatError(text("live.nodes_not_number", column=column, value=nodes[column].iloc[row]),
                                  path=str(path), row=row + 2, column=column)
        nodes[column] = values
    return nodes


def load_log(directory: str | Path, raw: bool = False, resample: str | None = None) -> SensorData:
    """The log directory as :class:`~sensorlab.datasets.base.SensorData` (see module docstring).

    Parameters
    ----------
    directory : str or Path
        The logger's output folder (one box or a class of boxes).
    raw : bool
        Keep every numeric KIT1 key, not only the tidy quantities.
    resample : str, optional
        A pandas frequency (``"1min"``, ``"1h"``): average the ``ok`` readings onto it.

    Raises
    ------
    DataFormatError
        No day file in ``directory``, or a day file whose header is not the logger's.
    """
    long = read_long(directory)
    readings = _wide(long, raw)
    if resample:
        readings = _resampled(readings, resample)
    events = read_events(directory)
    source = source_of(events)
    return SensorData(readings=readings, sites=box_sites(long["node_id"], read_nodes(directory)),
                      events=events,
                      name=Path(directory).name,
                      attribution=f"Logged with sensorlab log from {source or 'a sensor box'}",
                      meta={"folder": str(directory), "source": source})
