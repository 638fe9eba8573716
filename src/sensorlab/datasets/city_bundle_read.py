"""Reading the bundled synthetic year, or a part of it, into a :class:`SensorData`.

The bundle (:mod:`sensorlab.datasets.city_bundle_files`) stores integers at each quantity's
resolution; :func:`read_bundle` decodes only the chosen quantities' columns, one at a time, into
exactly the float32 values :func:`~sensorlab.datasets.city.make_city` returns, after checking
every file's sha256.

Examples
--------
>>> part = read_bundle(quantities=["pm25"], districts=["Mapo-gu"], truth=False)
>>> part.readings.columns.tolist()
['timestamp', 'site_id', 'pm25']
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from sensorlab.datasets.city_bundle_files import bundle_dir, verify_bundle
from sensorlab.datasets.city_faults import LABELS
from sensorlab.datasets.city_layout import ATTRIBUTION, QUANTITIES, city_sites
from sensorlab.datasets.city_sensors import RESOLUTION, TRUTH_RESOLUTION
from sensorlab.errors import DataFormatError
from sensorlab.memory import give_back

__all__ = ["read_bundle", "compact_sites"]


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
