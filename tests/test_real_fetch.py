"""``sensorlab data fetch`` and the cache every ``fetch_*`` reads first, run for real.

Each command runs as its own process with its own environment: an empty cache folder
(``SENSORLAB_DATA_DIR``) under the test's temporary folder, the mirror ``../shared/real-data``
(skipped with the reason where it is absent) or no mirror at all, and, where the network must
be missing, a proxy on a closed local port, so no test depends on this machine's internet.
"""

from __future__ import annotations

import hashlib
import os
import resource
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from sensorlab import messages
from sensorlab.datasets import real, real_cache
from sensorlab.datasets.registry_real import MIRROR_ENV, REGISTRY
from sensorlab.errors import SensorLabError

REPO = Path(__file__).resolve().parents[1]
SENSORLAB = [sys.executable, "-m", "sensorlab.cli"]
ALL_FILES = list(dict.fromkeys(k for keys in real_cache.DATASETS.values() for k in keys))


def closed_port_proxy() -> str:
    """A proxy address nobody listens on: every download fails at once, offline or not."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def env_for(cache: Path, mirror: Path | None = None, **extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in (MIRROR_ENV, real_cache.CACHE_ENV, messages.ENV_VAR)}
    env[real_cache.CACHE_ENV] = str(cache)
    if mirror is not None:
        env[MIRROR_ENV] = str(mirror)
    return {**env, **extra}


def sensorlab(*args, env, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*SENSORLAB, *args], env=env, capture_output=True, text=True,
                          timeout=300, cwd=REPO, **kw)


def files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def filled_cache(real_data_dir, tmp_path_factory):
    """``sensorlab data fetch --all`` from the mirror into an empty cache, and its result."""
    cache = tmp_path_factory.mktemp("fetched") / "cache"
    done = sensorlab("data", "fetch", "--all", env=env_for(cache, real_data_dir))
    return cache, done


def test_fetch_all_from_the_mirror_fills_an_empty_cache(real_data_dir, filled_cache):
    cache, done = filled_cache
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert [p.relative_to(cache).as_posix() for p in files_in(cache)] == sorted(ALL_FILES)
    for key in ALL_FILES:
        assert sha256(cache / key) == REGISTRY[key].sha256 == sha256(real_data_dir / key)
        assert messages.text("real.got", file=key, mb=(cache / key).stat().st_size / 1e6) \
            in done.stdout
    assert f"{len(ALL_FILES)} files" in done.stdout


def test_second_fetch_is_a_no_op(real_data_dir, filled_cache):
    cache, _ = filled_cache
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in files_in(cache)}
    again = sensorlab("data", "fetch", "--all", env=env_for(cache, real_data_dir))
    assert again.returncode == 0, again.stderr
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in files_in(cache)} == before
    assert again.stdout.count("already cached") == len(ALL_FILES)
    assert "fetched " not in again.stdout and "(0 new, 0.00 MB)" in again.stdout


def test_list_shows_what_is_cached_and_sizes(real_data_dir, filled_cache, tmp_path):
    cache, _ = filled_cache
    listed = sensorlab("data", "fetch", "--list", env=env_for(cache))
    assert listed.returncode == 0, listed.stderr
    total = sum(p.stat().st_size for p in files_in(cache)) / 1e6
    assert messages.text("real.list_total", mb=total) in listed.stdout
    assert "missing" not in listed.stdout and "not cached" not in listed.stdout
    empty = sensorlab("data", "fetch", "--list", env=env_for(tmp_path / "none"))
    assert empty.returncode == 0, empty.stderr
    for name in real_cache.DATASETS:
        assert f"not cached (sensorlab data fetch {name})" in empty.stdout
    assert not (tmp_path / "none").exists()


def test_sha256_mismatch_is_refused_and_nothing_lands_in_the_cache(real_data_dir, tmp_path):
    key = "seoul-bike-uci/SeoulBikeData.csv"
    bad = tmp_path / "mirror" / key
    bad.parent.mkdir(parents=True)
    bad.write_bytes((real_data_dir / key).read_bytes() + b"\n")
    cache = tmp_path / "cache"
    for lang, words in [("en", "sha256 mismatch"), ("ko", "sha256이 맞지 않아요")]:
        done = sensorlab("data", "fetch", "seoul-bike", env=env_for(cache, bad.parents[1],
                                                                      SENSORLAB_LANG=lang))
        assert done.returncode == 1
        assert "Traceback" not in done.stderr and words in done.stderr
        assert str(bad) in done.stderr
        assert REGISTRY[key].sha256 in done.stderr and sha256(bad) in done.stderr
        assert files_in(cache) == []


def test_unknown_name_is_refused_before_anything_is_fetched(real_data_dir, tmp_path):
    done = sensorlab("data", "fetch", "seoul-bike", "sdot-dialy",
                     env=env_for(tmp_path / "cache", real_data_dir))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "sdot-dialy" in done.stderr and "sdot-daily" in done.stderr
    assert files_in(tmp_path / "cache") == []
    nothing = sensorlab("data", "fetch", env=env_for(tmp_path / "cache"))
    assert nothing.returncode == 1 and "--all" in nothing.stderr


def test_no_network_names_the_file_and_leaves_no_file(tmp_path):
    proxy = closed_port_proxy()
    cache = tmp_path / "cache"
    done = sensorlab("data", "fetch", "seoul-bike",
                     env=env_for(cache, HTTPS_PROXY=proxy, https_proxy=proxy))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "seoul-bike-uci/SeoulBikeData.csv: could not download" in done.stderr
    assert REGISTRY["seoul-bike-uci/SeoulBikeData.csv"].url in done.stderr
    assert files_in(cache) == []


def _small_file_limit():  # in the child: writes past 100 kB fail (EFBIG) instead of killing it
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))


def test_a_full_disk_leaves_no_partial_file(real_data_dir, tmp_path):
    cache = tmp_path / "cache"
    done = sensorlab("data", "fetch", "sdot-daily", env=env_for(cache, real_data_dir),
                     preexec_fn=_small_file_limit)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{real_cache.SDOT_DAILY_CSV}: the disk is full" in done.stderr
    assert files_in(cache) == []


@pytest.fixture(scope="module")
def daily_from_the_cache(filled_cache):
    """``fetch_sdot_daily()`` (every quantity) on the filled cache: no mirror, no network.

    Read once: the whole daily table is the slow part of the tests that look at it.
    """
    cache, _ = filled_cache
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(MIRROR_ENV, raising=False)
        mp.setenv(real_cache.CACHE_ENV, str(cache))
        mp.setenv("HTTPS_PROXY", closed_port_proxy())  # any download would fail
        return real.fetch_sdot_daily()


def test_fetchers_read_the_cache_without_any_variable(filled_cache, daily_from_the_cache, monkeypatch):
    cache, _ = filled_cache
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    monkeypatch.setenv(real_cache.CACHE_ENV, str(cache))
    monkeypatch.setenv("HTTPS_PROXY", closed_port_proxy())  # any download would fail
    data = daily_from_the_cache
    assert data.readings["site_id"].nunique() == real.SDOT_SENSORS_2020
    assert [f["path"] for f in data.meta["files"]][0] == real.SDOT_DAILY_CSV
    ref = real.fetch_station_daily(years=[2020])
    assert set(ref.readings["timestamp"].dt.year) == {2020}


def test_without_cache_mirror_or_network_the_message_says_the_command(tmp_path, monkeypatch):
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    monkeypatch.setenv(real_cache.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("HTTPS_PROXY", closed_port_proxy())
    for fetch, name in [(real.fetch_sdot_daily, "sdot-daily"),
                        (lambda: real.fetch_station_daily(years=[2020]), "stations-daily"),
                        (real.fetch_seoul_bike, "seoul-bike")]:
        for lang, words in [("en", "no internet here?"), ("ko", "인터넷이 연결되지 않았나요?")]:
            messages.set_language(lang)  # a Korean notebook's first cell does this
            with pytest.raises(SensorLabError) as err:
                fetch()
            assert words in str(err.value) and f"\n    sensorlab data fetch {name}\n" in str(err.value)
    messages.set_language("en")
    assert files_in(tmp_path / "cache") == []


# --- lesson 06.5 on the cached files, with no variable set -----------------------------------

LESSON_065 = sorted(REPO.glob("lessons/06-*/05-*.ipynb"))


def lesson_env(monkeypatch, cache: Path) -> None:
    """The kernel's environment: the cache, no mirror, no network (a proxy nobody answers)."""
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    monkeypatch.setenv(real_cache.CACHE_ENV, str(cache))
    monkeypatch.setenv("HTTPS_PROXY", closed_port_proxy())


def _real_data_cell(nb):
    return next(c for c in nb.cells if c.cell_type == "code" and "real_pairs = None" in c.source)


def _printed(cell) -> str:
    return "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")


def real_data_cell_output(notebook: Path) -> str:
    """Run 06.5's imports and its real-data cell in a real kernel; the cell's printed text."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    real_cell = _real_data_cell(nb)
    nb.cells = [next(c for c in nb.cells if c.cell_type == "code"), real_cell]
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(notebook.parent)}}).execute()
    return _printed(real_cell)


@pytest.mark.slow
def test_lesson_065_runs_on_the_cache_with_no_variable(filled_cache, monkeypatch, tmp_path):
    import nbformat

    cache, _ = filled_cache
    lesson_env(monkeypatch, cache)
    # The lesson run saves each notebook it executed whole, with its outputs (conftest.py): the
    # real-data cell's text is read from that run instead of running the cell a second time.
    executed = tmp_path / "executed"
    monkeypatch.setenv("SENSORLAB_EXECUTED_LESSONS", str(executed))
    done = subprocess.run([sys.executable, "-m", "pytest", *map(str, LESSON_065), "-n", "0", "-q",
                           "-p", "no:cacheprovider"], cwd=REPO, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "failed" not in done.stdout and "error" not in done.stdout
    # and the real-data cell used the real files: the 25 co-located sensors, no fetch advice
    for notebook, words in zip(LESSON_065, ["sensor-days from 25 sensors", "센서 25대에서"]):
        saved = executed / notebook.relative_to(REPO)
        assert saved.is_file(), f"the lesson run saved no executed copy of {notebook.name}"
        printed = _printed(_real_data_cell(nbformat.read(saved, as_version=4)))
        assert words in printed and "sensorlab data fetch" not in printed, printed


@pytest.mark.parametrize("notebook", LESSON_065, ids=lambda p: p.name)
def test_lesson_065_without_the_files_says_the_one_command(notebook, tmp_path, monkeypatch):
    lesson_env(monkeypatch, tmp_path / "empty-cache")
    printed = real_data_cell_output(notebook)
    assert "\n    sensorlab data fetch sdot-daily\n" in printed
    assert ("no internet here?" if ".ko." not in notebook.name else "인터넷이 연결되지 않았나요?") in printed
    assert files_in(tmp_path / "empty-cache") == []


@pytest.mark.slow
def test_a_cached_publisher_r_file_gives_the_same_daily_table(real_data_dir, daily_from_the_cache, tmp_path,
                                                               monkeypatch):
    """What a cache filled from the publisher holds for S-DoT daily: ``sdot.rda``, not the CSV."""
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    from_csv = daily_from_the_cache
    assert from_csv.meta["files"][0]["path"] == real_cache.SDOT_DAILY_CSV
    r_cache = tmp_path / "r-cache"
    monkeypatch.setenv(real_cache.CACHE_ENV, str(r_cache))
    for key in [real_cache.SDOT_DAILY_RDA, *real_cache.SDOT_SITES]:
        real_cache.download(key, "sdot-daily", mirror=real_data_dir, progress=False)
    monkeypatch.setenv("HTTPS_PROXY", closed_port_proxy())
    from_rda = real.fetch_sdot_daily()
    assert from_rda.meta["files"][0]["path"] == real_cache.SDOT_DAILY_RDA
    import pandas as pd

    # Exact: the same values bit for bit (stricter than the default tolerance), and about 30 times
    # quicker, since the default compares the 21 categorical columns value by value in Python.
    pd.testing.assert_frame_equal(from_rda.readings, from_csv.readings, check_exact=True)
    pd.testing.assert_frame_equal(from_rda.flags, from_csv.flags, check_exact=True)
    asked = real.fetch_sdot_daily(["humidity", "pm25"])   # the R file has no partial read: selected after
    assert asked.readings.columns.tolist() == ["timestamp", "site_id", "statistic", "pm25", "humidity"]
    pd.testing.assert_frame_equal(asked.readings, from_csv.readings[asked.readings.columns.tolist()],
                                  check_exact=True)


def test_a_damaged_cached_file_is_listed_and_fetched_again(real_data_dir, tmp_path):
    key = "seoul-bike-uci/SeoulBikeData.csv"
    cache = tmp_path / "cache"
    (cache / key).parent.mkdir(parents=True)
    (cache / key).write_bytes((real_data_dir / key).read_bytes()[:1000])  # a cut-off copy
    listed = sensorlab("data", "fetch", "--list", env=env_for(cache))
    assert listed.returncode == 0, listed.stderr
    assert messages.text("real.list_file_damaged", file=key) in listed.stdout
    done = sensorlab("data", "fetch", "seoul-bike", env=env_for(cache, real_data_dir))
    assert done.returncode == 0, done.stderr
    assert sha256(cache / key) == REGISTRY[key].sha256 and files_in(cache) == [cache / key]


def _classroom_umask():  # in the child: the usual umask of a teacher's account
    os.umask(0o022)


def test_a_teachers_fetch_leaves_files_every_student_can_read(real_data_dir, tmp_path):
    """A teacher fills the shared SENSORLAB_DATA_DIR once; students are other accounts, so
    each cached file must be readable by them as the umask allows (not pooch's 0600 temp)."""
    cache = tmp_path / "cache"
    done = sensorlab("data", "fetch", "sdot-sites", env=env_for(cache, real_data_dir),
                     preexec_fn=_classroom_umask)
    assert done.returncode == 0, done.stderr
    for path in files_in(cache):
        assert path.stat().st_mode & 0o777 == 0o644, path


def test_list_piped_into_head_ends_quietly(tmp_path):
    """A teacher's ``sensorlab data fetch --list | head -1``: the reader leaves early, and the
    listing stops without a BrokenPipeError traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the listing is written (head, at its worst)
    with os.fdopen(write_end, "wb") as gone:
        done = subprocess.run([*SENSORLAB, "data", "fetch", "--list"], stdout=gone, text=True,
                              stderr=subprocess.PIPE, env=env_for(tmp_path / "c"), cwd=REPO,
                              timeout=300)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
    assert done.returncode == 141, done.stderr  # what a shell reports for SIGPIPE
