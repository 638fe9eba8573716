"""The bundled synthetic year on disk: compact Parquet files inside the package, sha256-checked.

The bundle lives in ``sensorlab/data/city/`` so an editable install (and the notebooks) finds
it through the package, wherever the repository is. Values are stored as integers at each
quantity's resolution (PM in µg/m³, temperature in 0.1 °C ...), site by site, so Parquet's
delta encoding and zstd compress the smooth series well; :func:`read_bundle` turns them back
into exactly the float32 values :func:`~sensorlab.datasets.city.make_city` returns. The
sha256 of every file is in ``datasets/registry.txt`` (written by ``datasets/rebuild.py``), and
a copy of it travels with the files as ``registry.txt``.

Examples
--------
>>> sorted(BUNDLE_FILES)[:2]
['meta.json', 'readings.parquet']
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sensorlab.datasets.city_faults import LABELS
from sensorlab.datasets.city_layout import ATTRIBUTION, QUANTITIES, city_sites
from sensorlab.datasets.city_sensors import RESOLUTION, TRUTH_RESOLUTION
from sensorlab.errors import DataFormatError
from sensorlab.memory import give_back

BUNDLE_FILES = ["readings.parquet", "truth.parquet", "sensors.csv", "sites.csv", "meta.json", "sample.csv"]


def bundle_dir() -> Path:
    """Folder of the bundled year inside the installed package."""
    return Path(str(resources.files("sensorlab.data").joinpath("city")))


def sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_registry(path: Path) -> dict[str, str]:
    """``{relative path: sha256}`` from a registry file (``<sha256>  <path>`` per line)."""
    entries = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2 or len(parts[0]) != 64:
            raise DataFormatError("expected '<sha256>  <path>'", path=str(path), row=number)
        entries[parts[1]] = parts[0]
    return entries


def verify_bundle(folder: Path | None = None) -> None:
    """Check every bundled file against the registry copy that travels with it."""
    folder = bundle_dir() if folder is None else folder
    registry = folder / "registry.txt"
    if not registry.exists():
        raise DataFormatError("the bundled city has no registry.txt; run datasets/rebuild.py", path=str(folder))
    by_name = {Path(k).name: v for k, v in read_registry(registry).items()}
    for name in BUNDLE_FILES:
        path = folder / name
        if name not in by_name:
            raise DataFormatError(f"{name} is not in the registry", path=str(registry))
        if not path.exists():
            raise DataFormatError("bundled file is missing; reinstall or run datasets/rebuild.py", path=str(path))
        if sha256(path) != by_name[name]:
            raise DataFormatError("sha256 does not match registry.txt (file changed or damaged); "
                                  "run datasets/rebuild.py", path=str(path))


def _to_ints(values: np.ndarray, resolution: float) -> pa.Array:
    scale = round(1.0 / resolution)
    flat = np.asarray(values, dtype=np.float64).ravel()
    missing = np.isnan(flat)
    ints = np.round(np.where(missing, 0.0, flat) * scale).astype(np.int32)
    return pa.array(ints, mask=missing)


def _decode(stored: pq.ParquetFile, name: str, shape: tuple[int, int], part) -> np.ndarray:
    """The part's sites and steps of one stored column, as a ``(steps, sites)`` array.

    One column at a time and single-threaded: the decoded column is freed before the next.
    """
    column = stored.read([name], use_threads=False).column(0).to_numpy()  # float64 with NaN where null, else int
    return column.reshape(shape)[part.site_index][:, part.steps].T


def _values(stored: pq.ParquetFile, quantities: list[str], resolution: dict, shape, part) -> np.ndarray:
    """Quantities as one float32 block ``(quantities, rows)``, filled column by column.

    One block, filled in place, is what pandas keeps: building the frame from it copies nothing.
    """
    n_rows = len(part.site_index) * len(range(*part.steps.indices(shape[1])))
    block = np.empty((len(quantities), n_rows), dtype=np.float32)
    for row, q in zip(block, quantities):
        row[:] = _decode(stored, q, shape, part).ravel()
        row /= np.float32(round(1.0 / resolution[q]))
    return block


def write_bundle(city, folder: Path) -> list[Path]:
    """Write ``city`` (from ``make_city``) as the bundle; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    n_sites = len(city.sites)
    n_steps = len(city.readings) // n_sites

    def site_major(series) -> np.ndarray:
        return np.asarray(series).reshape(n_steps, n_sites).T

    readings = pa.table({q: _to_ints(site_major(city.readings[q]), RESOLUTION[q]) for q in QUANTITIES})
    truth_cols = {q: _to_ints(site_major(city.truth[q]), TRUTH_RESOLUTION[q]) for q in QUANTITIES}
    for q in QUANTITIES:
        codes = site_major(city.truth[f"fault_{q}"].cat.codes.to_numpy()).ravel().astype(np.int8)
        truth_cols[f"fault_{q}"] = pa.array(codes)
    truth = pa.table(truth_cols)
    options = dict(compression="zstd", compression_level=19, use_dictionary=False,
                   write_statistics=False, store_schema=False)
    int_cols = {q: "DELTA_BINARY_PACKED" for q in QUANTITIES}
    pq.write_table(readings, folder / "readings.parquet", column_encoding=int_cols, **options)
    fault_cols = {f"fault_{q}": "PLAIN" for q in QUANTITIES}  # long runs of one code: zstd does the rest
    pq.write_table(truth, folder / "truth.parquet", column_encoding=int_cols | fault_cols, **options)

    city.sites.to_csv(folder / "sites.csv", index=False, encoding="utf-8")
    city.meta["sensors"].to_csv(folder / "sensors.csv", encoding="utf-8")
    meta = {k: v for k, v in city.meta.items() if k != "sensors"}
    meta.update({"n_sites": n_sites, "n_steps": n_steps, "labels": LABELS,
                 "resolution": RESOLUTION, "truth_resolution": TRUTH_RESOLUTION})
    (folder / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    write_sample(city, folder / "sample.csv")
    return [folder / name for name in BUNDLE_FILES]


def write_sample(city, path: Path, days: int = 7) -> None:
    """One week of a few sites as an Excel-friendly CSV (UTF-8 with BOM, Korean district names)."""
    r = city.readings
    start = r["timestamp"].iloc[0]
    keep = ["ref-101", "sdot-101-01", "sdot-101-02", "ref-123", "sdot-123-01"]
    rows = r[(r["timestamp"] < start + pd.Timedelta(days=days)) & r["site_id"].astype(str).isin(keep)]
    sites = city.sites.set_index("site_id")
    out = rows.copy()
    out["site_id"] = out["site_id"].astype(str)
    out.insert(2, "kind", out["site_id"].map(sites["kind"]))
    out.insert(3, "district", out["site_id"].map(sites["district"]))
    out.insert(4, "district_ko", out["site_id"].map(sites["district_ko"]))
    out["timestamp"] = out["timestamp"].dt.strftime("%Y-%m-%d %H:%M")
    out.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")


def _tidy(times: pd.DatetimeIndex, site_ids: list[str], names: list[str], block: np.ndarray,
          labels: dict | None = None) -> pd.DataFrame:
    """One row per (timestamp, site_id): the float32 ``block`` as columns ``names``, no copy.

    ``site_id`` is categorical over the loaded sites only (so a groupby shows no empty sites);
    ``labels`` (int8 codes per column) become categoricals over LABELS.
    """
    n = len(site_ids)
    frame = pd.DataFrame(block.T, columns=names, copy=False)
    frame.insert(0, "timestamp", times.repeat(n))
    frame.insert(1, "site_id", pd.Categorical.from_codes(np.tile(np.arange(n, dtype=np.int16), len(times)),
                                                         categories=site_ids))
    for name, codes in (labels or {}).items():
        frame[name] = pd.Categorical.from_codes(codes, categories=LABELS)
    return frame


def compact_sites(sites: pd.DataFrame, site_ids: list[str]) -> pd.DataFrame:
    """The sites table with its repeated strings as categoricals.

    ``site_id`` gets the readings' categories, so ``readings.merge(sites, on="site_id")`` keeps
    one byte per row for ``site_id``, ``kind`` and ``district`` instead of a string each (a
    million strings is about 60 MB per column in every student's kernel).
    """
    out = sites.reset_index(drop=True)
    out["site_id"] = pd.Categorical(out["site_id"], categories=site_ids)
    for column in ("kind", "district", "district_ko"):
        out[column] = out[column].astype("category")
    return out


def read_bundle(folder: Path | None = None, verify: bool = True, truth: bool = True, **selection):
    """Read the bundled year, or the part of it ``selection`` names, into a :class:`SensorData`.

    ``selection`` takes ``load_city``'s arguments (quantities, site_ids, districts, kind, start,
    end). Only the chosen quantities' columns are decoded, one at a time, so reading a part
    never holds the whole city in memory.
    """
    from sensorlab.datasets.base import SensorData
    from sensorlab.datasets.city_clock import Clock
    from sensorlab.datasets.city_select import choose

    folder = bundle_dir() if folder is None else folder
    if verify:
        verify_bundle(folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    if meta["labels"] != LABELS:
        raise DataFormatError("fault labels of the bundle differ from this version's; run datasets/rebuild.py",
                              path=str(folder / "meta.json"))
    shape = (meta["n_sites"], meta["n_steps"])
    clock = Clock.build(meta["start"], meta["end"], meta["freq"])
    all_sites = city_sites(meta["street_per_district"], meta["seed"])
    part = choose(all_sites, clock, QUANTITIES, **selection)
    times = clock.times[part.steps]
    quantities = part.quantities
    stored = pq.ParquetFile(folder / "readings.parquet", memory_map=True)
    readings_df = _tidy(times, part.site_ids, quantities,
                        _values(stored, quantities, RESOLUTION, shape, part))
    truth_df = None
    if truth:
        stored = pq.ParquetFile(folder / "truth.parquet", memory_map=True)
        labels = {f"fault_{q}": _decode(stored, f"fault_{q}", shape, part).astype(np.int8).ravel()
                  for q in quantities}
        truth_df = _tidy(times, part.site_ids, quantities,
                         _values(stored, quantities, TRUTH_RESOLUTION, shape, part), labels)
    sites = compact_sites(all_sites.iloc[part.site_index], part.site_ids)
    give_back()  # the decode buffers, freed, would otherwise stay in the kernel's resident memory
    sensors = pd.read_csv(folder / "sensors.csv", index_col="site_id")
    sensors = sensors[sensors.index.isin(part.site_ids)]
    info = {k: meta[k] for k in ("seed", "start", "end", "freq", "street_per_district", "generator_version")}
    return SensorData(readings=readings_df, sites=sites, truth=truth_df, name="city",
                      attribution=ATTRIBUTION, meta={**info, "sensors": sensors})
