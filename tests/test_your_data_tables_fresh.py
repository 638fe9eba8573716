"""The tables my_data and nearest_station save beside a class network never serve an old log:
a folder still being logged into, re-recorded, edited or extended is read again; two kernels
saving at once, a kill mid-save or a full disk leave nothing a later kernel trips over."""

import os
import shutil

import pandas as pd
import pytest

from sensorlab.datasets.city_layout import GENERATOR_VERSION
from sensorlab.errors import DataFormatError
from sensorlab.kit.classnet import record_class
from sensorlab.kit.readback import load_log
from sensorlab.your_data import STATION_FOLDER, TABLES_FOLDER, my_data, nearest_station


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("recorded")
    record_class(folder, boxes=2, weeks=0.05, seed=3)
    return folder


@pytest.fixture
def network(recorded, tmp_path):
    folder = tmp_path / "class"
    shutil.copytree(recorded, folder, ignore=shutil.ignore_patterns(TABLES_FOLDER, STATION_FOLDER))
    return folder


def same_as_load_log(folder, resample="1h"):
    log, fresh = my_data(folder, resample=resample), load_log(folder, resample=resample)
    pd.testing.assert_frame_equal(log.readings, fresh.readings)
    pd.testing.assert_frame_equal(log.events, fresh.events)
    pd.testing.assert_frame_equal(log.sites, fresh.sites)
    return log


def test_a_class_network_recorded_again_into_its_folder_is_read_again(network):
    """A teacher empties the folder and records another class into it: the old tables must go unread."""
    first = same_as_load_log(network)
    for path in network.iterdir():
        if path.name not in (TABLES_FOLDER, STATION_FOLDER):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    record_class(network, boxes=3, weeks=0.05, seed=9)
    again = same_as_load_log(network)
    assert again.readings["site_id"].nunique() == 3 != first.readings["site_id"].nunique()


@pytest.mark.parametrize("change", ["edited", "deleted", "box added"])
def test_a_log_changed_after_its_tables_were_saved_is_read_again(network, tmp_path, change):
    same_as_load_log(network, resample=None)
    day = sorted(network.glob("2*.csv"))[0]
    lines = day.read_text().splitlines(keepends=True)
    if change == "edited":      # the same size and modification time: only the content differs
        stat = day.stat()
        edited = "".join(lines[:1] + [line.replace(",class-01,", ",class-02,") for line in lines[1:]])
        assert len(edited) == len("".join(lines))
        day.write_text(edited)
        os.utime(day, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    elif change == "deleted":
        day.unlink()
    else:                       # another box logs into the class's folder
        other = tmp_path / "other"
        record_class(other, boxes=1, weeks=0.02, seed=5, start="2025-03-10")
        for path in other.glob("2*.csv"):
            shutil.copy(path, network / path.name)
    if change == "deleted":     # the recording's one day file: no log left, and no old table either
        with pytest.raises(DataFormatError, match="No YYYY-MM-DD.csv log files"):
            my_data(network, resample=None)
    else:
        same_as_load_log(network, resample=None)


def test_the_station_of_a_class_network_recorded_again_is_made_again(network):
    """Re-recorded with another start, the saved station's hours would miss every new hour."""
    nearest_station(my_data(network))
    for path in network.iterdir():
        if path.name not in (TABLES_FOLDER, STATION_FOLDER):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    record_class(network, boxes=2, weeks=0.05, seed=3, start="2025-06-02")
    log = my_data(network)
    assert log.readings["timestamp"].min() >= pd.Timestamp("2025-06-01", tz="Asia/Seoul")
    station = nearest_station(log)
    assert len(station.readings) > 0
    assert station.readings["timestamp"].min() >= log.readings["timestamp"].min()


def test_a_shared_cache_it_cannot_write_still_gives_the_class_network(tmp_path, monkeypatch):
    """A class server's shared cache the teacher never filled, that a student cannot write into:
    the class network is recorded into the student's own temporary folder, not a traceback."""
    import tempfile

    from sensorlab.datasets.real_cache import CACHE_ENV
    from sensorlab.your_data import class_network_folder

    blocked = tmp_path / "shared-cache"
    blocked.write_text("a file where the cache folder should be: nothing can be made inside")
    monkeypatch.setenv(CACHE_ENV, str(blocked))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "own"))
    (tmp_path / "own").mkdir()
    folder = class_network_folder(boxes=1, weeks=0.02, seed=9)
    assert folder.name == f"seed9-boxes1-weeks0.02-city{GENERATOR_VERSION}" and tmp_path / "own" in folder.parents
    assert my_data(folder).readings["site_id"].unique().tolist() == ["class-01"]
    assert class_network_folder(boxes=1, weeks=0.02, seed=9) == folder   # recorded once


def my_data_in_a_kernel(folder, limit_bytes=None):
    """my_data(folder) in a new process (a student's kernel), optionally under a file-size limit
    (RLIMIT_FSIZE: the disk fills mid-save); returns its readings as CSV text."""
    import subprocess
    import sys

    code = ("import resource, signal, sys\n"
            f"limit = {limit_bytes!r}\n"
            "if limit:\n"
            "    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the limit fails (EFBIG)\n"
            "    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))\n"
            "from sensorlab.your_data import my_data\n"
            f"sys.stdout.write(my_data({str(folder)!r}).readings.to_csv(index=False))\n")
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(kernel) -> str:
    out, err = kernel.communicate(timeout=600)
    assert kernel.returncode == 0, err
    assert "Traceback" not in err, err
    return out


def test_two_kernels_saving_the_tables_at_once_both_get_the_log(network):
    expected = load_log(network, resample="1h").readings.to_csv(index=False)
    kernels = [my_data_in_a_kernel(network) for _ in range(2)]
    assert [finished(k) for k in kernels] == [expected, expected]
    saved = sorted(p.name.split("-")[0] for p in (network / TABLES_FOLDER).iterdir())
    assert saved == ["events", "readings"]            # one of each, no scratch file left
    assert finished(my_data_in_a_kernel(network)) == expected


def test_a_disk_that_fills_mid_save_leaves_no_half_table(network):
    expected = load_log(network, resample="1h").readings.to_csv(index=False)
    assert finished(my_data_in_a_kernel(network, limit_bytes=2048)) == expected
    tables = network / TABLES_FOLDER
    assert not tables.is_dir() or not list(tables.iterdir())
    assert finished(my_data_in_a_kernel(network)) == expected       # the next kernel saves it whole
    assert len(list(tables.glob("readings-*.parquet"))) == 1


def test_a_truncated_table_is_made_again_not_read(network):
    same_as_load_log(network)
    saved = next((network / TABLES_FOLDER).glob("readings-*.parquet"))
    saved.write_bytes(saved.read_bytes()[: saved.stat().st_size // 2])   # killed mid-copy, as by hand
    same_as_load_log(network)
    same_as_load_log(network)
