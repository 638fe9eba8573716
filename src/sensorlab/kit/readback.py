"""Read a logger directory back into the tidy wide table the lessons use.

:func:`load_log` reads every ``YYYY-MM-DD.csv`` of a log directory (long format, one row per
parameter) and returns one row per reading set: ``timestamp`` (the arrival time, converted
to Asia/Seoul), ``site_id`` (the box's ``node_id``), ``boot_id``, ``seq``, ``status`` and a
column per quantity, named as in :data:`sensorlab.datasets.base.UNITS`.

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
second apart; ``resample`` (e.g. ``"1min"``) averages them onto a common clock so each row
holds all quantities; without it each line is its own row, with NaN for what it does not
carry. Lines with status ``warmup`` or ``err`` are kept, with their status, for the
cleaning lessons to deal with; ``sys`` lines are left out.

Examples
--------
>>> import tempfile
>>> from sensorlab.kit.logger import run_logger
>>> out = tempfile.mkdtemp()
>>> _ = run_logger("sim://?seed=4&speed=0&duration=120", out, quiet=True, idle_exit=0.3)
>>> wide = load_log(out)
>>> wide.columns.tolist()[:6]
['timestamp', 'site_id', 'boot_id', 'seq', 'status', 'pm25']
>>> str(wide["timestamp"].dt.tz), wide["site_id"].unique().tolist()
('Asia/Seoul', ['sim-01'])
>>> load_log(out, resample="1min").columns.tolist()
['timestamp', 'site_id', 'pm25', 'pm10', 'temperature', 'humidity']
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from sensorlab.datasets.base import SEOUL_TZ, UNITS
from sensorlab.errors import DataFormatError
from sensorlab.kit.logstore import LONG_COLUMNS, day_files
from sensorlab.messages import text

#: (sensor, KIT1 key) -> tidy column name (see the module docstring).
QUANTITY_OF = {
    ("pms5003", "pm25_atm"): "pm25", ("pms5003", "pm10_atm"): "pm10",
    ("sds011", "pm25"): "pm25", ("sds011", "pm10"): "pm10",
    ("sht40", "t"): "temperature", ("sht40", "rh"): "humidity",
    ("bh1750", "lux"): "illuminance", ("mic", "dba"): "noise",
}
assert set(QUANTITY_OF.values()) <= set(UNITS)


def _read_day_file(path: Path) -> pd.DataFrame:
    """One day file as text columns, without the rows no logger meant to write.

    Files from before issue 12 may hold a second header row (two loggers created the file
    at the same instant) or a torn row (a full disk cut a write short); both are skipped,
    a torn row with a warning naming the file and row.
    """
    table = pd.read_csv(path, dtype=str, keep_default_na=False, header=None,
                        names=range(len(LONG_COLUMNS) + 1), on_bad_lines="skip",
                        engine="c")
    header = table.iloc[0, :len(LONG_COLUMNS)].tolist() if len(table) else []
    if header != LONG_COLUMNS:
        raise DataFormatError(f"columns are {header}, expected {LONG_COLUMNS}", path=path, row=0)
    table = table.iloc[1:]
    extra = table[len(LONG_COLUMNS)].fillna("").ne("")
    table = table.iloc[:, :len(LONG_COLUMNS)]
    table.columns = LONG_COLUMNS
    table = table[table["timestamp"] != "timestamp"]  # a doubled header row
    stamp = pd.to_datetime(table["timestamp"], utc=True, format="ISO8601", errors="coerce")
    numbers = table[["boot_id", "seq", "uptime_ms"]].apply(pd.to_numeric, errors="coerce")
    torn = (extra.loc[table.index] | stamp.isna() | numbers.isna().any(axis=1)
            | table.isna().any(axis=1))
    if torn.any():
        rows = [int(i) + 1 for i in table.index[torn][:5]]
        warnings.warn(text("kit_cli.torn_rows", file=path, count=int(torn.sum()),
                           rows=", ".join(map(str, rows))), UserWarning, stacklevel=3)
    table = table[~torn].assign(timestamp=stamp[~torn])
    table[["boot_id", "seq", "uptime_ms"]] = numbers[~torn].astype("int64")
    hrf = table["value_hrf"].replace({"NA": None, "": None})
    table["value_hrf"] = pd.to_numeric(hrf, errors="coerce")
    return table


def read_long(directory: str | Path) -> pd.DataFrame:
    """All day files of a log directory as one long table (``timestamp`` in UTC)."""
    # an empty day file is one whose first rows a full disk still holds back: nothing to read
    files = [path for path in day_files(directory) if path.stat().st_size]
    if not files:
        raise DataFormatError(text("live.no_log_files"), path=directory)
    long = pd.concat([_read_day_file(path) for path in files], ignore_index=True)
    long["timestamp"] = pd.to_datetime(long["timestamp"], utc=True)
    return long


def load_log(directory: str | Path, raw: bool = False, resample: str | None = None) -> pd.DataFrame:
    """The log directory as a tidy wide table, one row per reading (see module docstring)."""
    long = read_long(directory)
    long = long[long["sensor"] != "sys"]
    # a line logged twice is dropped; a key the box used again with other values (a
    # restart without a new boot id, two boxes with one name) is a line of its own
    long = long.drop_duplicates(["node_id", "boot_id", "seq", "uptime_ms", "parameter",
                                 "value_raw"])
    names = [QUANTITY_OF.get((s, p), p if raw else None)
             for s, p in zip(long["sensor"], long["parameter"])]
    long = long.assign(quantity=names)
    # the line's status is the part of `flag` before any ';range'
    long["status"] = long["flag"].str.split(";").str[0].replace("", "ok")
    keys = ["node_id", "boot_id", "seq", "timestamp"]
    status = long.groupby(keys, sort=False)[["status"]].first()
    values = long.dropna(subset=["quantity"])
    # one row per reading, one column per quantity (every quantity seen, even if all empty);
    # not pivot_table(dropna=False), which builds the product of the index levels: 4,000 readings
    # became 18 million rows and 1.3 GB
    wide = values.groupby(keys + ["quantity"], sort=False)["value_hrf"].first().unstack("quantity")
    wide = status.join(wide, how="left").reset_index()
    wide = wide.rename(columns={"node_id": "site_id"})
    wide["timestamp"] = wide["timestamp"].dt.tz_convert(SEOUL_TZ)
    tidy = [q for q in UNITS if q in wide.columns]
    extra = sorted(c for c in wide.columns
                   if c not in tidy and c not in ("timestamp", "site_id", "boot_id", "seq",
                                                  "status"))
    wide = wide[["timestamp", "site_id", "boot_id", "seq", "status"] + tidy + extra]
    wide = wide.sort_values(["timestamp", "site_id", "boot_id", "seq"], kind="stable")
    wide = wide.reset_index(drop=True)
    wide.columns.name = None
    if resample:
        numeric = tidy + extra
        wide = (wide[wide["status"] == "ok"]
                .groupby(["site_id", pd.Grouper(key="timestamp", freq=resample)])[numeric]
                .mean().dropna(how="all").reset_index())
        wide = wide[["timestamp", "site_id"] + numeric]
    return wide
