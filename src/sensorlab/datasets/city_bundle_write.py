"""Writing the bundled synthetic year: compact Parquet files and a sample CSV, from ``make_city``.

Values are stored as integers at each quantity's resolution (PM in µg/m³, temperature in
0.1 °C ...), site by site, so Parquet's delta encoding and zstd compress the smooth series
well; :func:`~sensorlab.datasets.city_bundle_read.read_bundle` turns them back into exactly the
float32 values :func:`~sensorlab.datasets.city.make_city` returns. Only ``datasets/rebuild.py``
writes the bundle.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sensorlab.datasets.city_bundle_files import BUNDLE_FILES
from sensorlab.datasets.city_faults import LABELS
from sensorlab.datasets.city_layout import QUANTITIES
from sensorlab.datasets.city_sensors import RESOLUTION, TRUTH_RESOLUTION

__all__ = ["write_bundle", "write_sample"]


def _to_ints(values: np.ndarray, resolution: float) -> pa.Array:
    scale = round(1.0 / resolution)
    flat = np.asarray(values, dtype=np.float64).ravel()
    missing = np.isnan(flat)
    ints = np.round(np.where(missing, 0.0, flat) * scale).astype(np.int32)
    return pa.array(ints, mask=missing)


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
