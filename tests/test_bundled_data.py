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


#: numpy's SIMD kernels switched off down to the x86-64 baseline, and OpenBLAS on another CPU's kernels.
OTHER_CPUS = {
    "NPY_DISABLE_CPU_FEATURES": "AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR "
                                "X86_V4 X86_V3 AVX2 FMA3 F16C AVX",
    "OPENBLAS_CORETYPE": "Prescott",
}


@pytest.mark.slow
def test_the_bundle_regenerates_bit_for_bit_on_other_x86_kernels(tmp_path):
    # The data card's decision (ship the Parquet files, or generate them at install) rests on this:
    # the same files, byte for byte, without AVX/AVX2/AVX-512 and with another BLAS kernel.
    import os
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from sensorlab.datasets.city import make_city, "
            "BUNDLED_SEED, BUNDLED_PARAMS; from sensorlab.datasets.city_bundle_write import write_bundle; "
            "write_bundle(make_city(BUNDLED_SEED, **BUNDLED_PARAMS), Path(sys.argv[1]))")
    probe = "import numpy, threadpoolctl; print(numpy.show_runtime() or '', threadpoolctl.threadpool_info())"
    env = {**os.environ, **OTHER_CPUS}
    seen = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert seen.returncode == 0, seen.stderr
    assert "'found': []" in seen.stdout, seen.stdout  # the switch took effect
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    entries = {Path(p).name: digest for p, digest in read_registry(REGISTRY).items()}
    for name in BUNDLE_FILES:
        assert sha256(tmp_path / name) == entries[name], name


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
