"""The bundled synthetic year: hashes in the registry, reproducible from its seed, small, Excel-friendly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from sensorlab.datasets import load_city, make_city
from sensorlab.datasets.city import BUNDLED_PARAMS, BUNDLED_SEED
from sensorlab.datasets.city_bundle_files import BUNDLE_FILES, bundle_dir, read_registry
from sensorlab.datasets.city_bundle_read import read_bundle
from sensorlab.digest import sha256
from sensorlab.errors import DataFormatError

REPO = Path(__file__).resolve().parents[1]
REGISTRY = REPO / "datasets" / "registry.txt"


def test_registry_hashes_match_the_files():
    entries = read_registry(REGISTRY)
    assert {Path(p).name for p in entries} >= set(BUNDLE_FILES)
    for path, digest in entries.items():
        assert sha256(REPO / path) == digest, path


def test_the_registry_copy_travelling_with_the_files_is_identical():
    assert (bundle_dir() / "registry.txt").read_bytes() == REGISTRY.read_bytes()
    assert bundle_dir().resolve() == (REPO / "src" / "sensorlab" / "data" / "city").resolve()


def test_bundle_is_small():
    total = sum((bundle_dir() / name).stat().st_size for name in BUNDLE_FILES)
    assert total < 15e6, f"bundle is {total / 1e6:.1f} MB"


def test_regenerating_with_the_recorded_seed_reproduces_the_bundle_bit_for_bit():
    bundled = load_city()
    assert bundled.meta["seed"] == BUNDLED_SEED
    fresh = make_city(bundled.meta["seed"], **BUNDLED_PARAMS)
    for name in ("readings", "truth", "sites"):
        a, b = getattr(bundled, name), getattr(fresh, name)
        pd.testing.assert_frame_equal(a, b, check_exact=True)
        assert (pd.util.hash_pandas_object(a, index=False).to_numpy()
                == pd.util.hash_pandas_object(b, index=False).to_numpy()).all()
    pd.testing.assert_frame_equal(bundled.meta["sensors"], fresh.meta["sensors"], check_exact=True,
                                  check_dtype=False)


def test_a_damaged_file_is_refused_with_its_name(tmp_path):
    folder = tmp_path / "city"
    shutil.copytree(bundle_dir(), folder)
    data = bytearray((folder / "readings.parquet").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / "readings.parquet").write_bytes(bytes(data))
    with pytest.raises(DataFormatError, match="readings.parquet"):
        read_bundle(folder)


def test_sample_csv_opens_in_excel_with_korean():
    raw = (bundle_dir() / "sample.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel then reads Hangul correctly
    sample = pd.read_csv(bundle_dir() / "sample.csv", encoding="utf-8-sig")
    assert {"timestamp", "site_id", "district_ko", "pm25"} <= set(sample.columns)
    assert "종로구" in set(sample["district_ko"])
    assert sample["timestamp"].nunique() == 7 * 24


def test_data_card_documents_every_column():
    card = (REPO / "datasets" / "cards" / "city.md").read_text(encoding="utf-8")
    city = load_city()
    for column in list(city.readings.columns) + list(city.sites.columns):
        assert f"`{column}`" in card, column
    for label in city.truth["fault_pm25"].cat.categories:
        assert f"`{label}`" in card, label
