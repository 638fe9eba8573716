"""A student's own data: a box log with its place, the class network when there is no box."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sensorlab.errors import DataFormatError, SensorLabError
from sensorlab.kit.classnet import record_class
from sensorlab.kit.readback import load_log
from sensorlab.datasets.city_layout import GENERATOR_VERSION
from sensorlab.your_data import MY_LOG_ENV, class_network_folder, my_data, real_or_none


@pytest.fixture(scope="module")
def two_boxes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    record_class(folder, boxes=2, weeks=0.02, seed=5)
    return folder


def test_a_log_folder_with_nodes_csv_knows_where_each_box_stands(two_boxes):
    sites = load_log(two_boxes).sites.set_index("site_id")
    assert list(sites.index) == ["class-01", "class-02"]
    # within about 100 m of the default school in Jongno
    assert sites["lat"].between(37.570, 37.574).all() and sites["lon"].between(127.003, 127.007).all()


def test_a_log_folder_without_nodes_csv_has_places_unknown(two_boxes, tmp_path):
    for f in two_boxes.iterdir():
        if f.is_file() and f.name != "nodes.csv":
            (tmp_path / f.name).write_bytes(f.read_bytes())
    assert load_log(tmp_path).sites[["lat", "lon"]].isna().all().all()


@pytest.mark.parametrize("lang, says", [("en", "not a number"), ("ko", "숫자가 아니에요")])
def test_a_bad_place_in_nodes_csv_names_file_row_and_column(two_boxes, tmp_path, lang, says):
    from sensorlab import messages

    for f in two_boxes.iterdir():
        if f.is_file():
            (tmp_path / f.name).write_bytes(f.read_bytes())
    lines = (tmp_path / "nodes.csv").read_text().splitlines()
    cells = lines[2].split(",")
    cells[4] = "37.57N"  # a student typing the latitude as on a map
    lines[2] = ",".join(cells)
    (tmp_path / "nodes.csv").write_text("\n".join(lines) + "\n")
    messages.set_language(lang)
    with pytest.raises(DataFormatError) as err:
        load_log(tmp_path)
    assert says in str(err.value.message) and err.value.row == 3 and err.value.column == "lat"
    assert err.value.path.endswith("nodes.csv")


def test_my_data_reads_the_folder_given_or_named_by_the_variable(two_boxes, monkeypatch):
    assert set(my_data(two_boxes).readings["site_id"]) == {"class-01", "class-02"}
    monkeypatch.setenv(MY_LOG_ENV, str(two_boxes))
    hourly = my_data()
    assert set(hourly.readings["site_id"]) == {"class-01", "class-02"}
    assert (hourly.readings["timestamp"].dt.minute == 0).all()  # hourly, like the city
    raw = my_data(resample=None).readings
    assert {"status", "uptime_ms"} <= set(raw.columns)


def test_the_class_network_is_recorded_once_even_when_a_class_asks_at_once(tmp_path):
    """Three students start the lesson at the same moment: one folder, complete, no leftovers."""
    env = dict(os.environ, SENSORLAB_DATA_DIR=str(tmp_path))
    env.pop(MY_LOG_ENV, None)
    code = ("from sensorlab.your_data import class_network_folder as f; "
            "print(f(boxes=2, weeks=0.02, seed=9))")
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err for _, err in results]
    assert all(err == "" for _, err in results), [err for _, err in results]
    folders = {out.strip() for out, _ in results}
    assert len(folders) == 1
    parent = tmp_path / "class-network"
    name = f"seed9-boxes2-weeks0.02-city{GENERATOR_VERSION}"
    assert [p.name for p in parent.iterdir()] == [name]  # no half recording left
    os.environ["SENSORLAB_DATA_DIR"] = str(tmp_path)
    try:
        assert class_network_folder(boxes=2, weeks=0.02, seed=9) == parent / name
    finally:
        del os.environ["SENSORLAB_DATA_DIR"]


def test_a_class_network_recorded_by_another_city_generator_is_not_reused(tmp_path, monkeypatch):
    # A teacher upgrades sensorlab: the boxes breathe the new city's air, so 08.4's numbers
    # would not match a network the previous generator recorded into the same cache.
    monkeypatch.setenv("SENSORLAB_DATA_DIR", str(tmp_path))
    stale = tmp_path / "class-network" / f"seed9-boxes2-weeks0.02-city{GENERATOR_VERSION - 1}"
    stale.mkdir(parents=True)
    (stale / "simulation.json").write_text("{}", encoding="utf-8")
    folder = class_network_folder(boxes=2, weeks=0.02, seed=9)
    assert folder != stale and folder.name.endswith(f"-city{GENERATOR_VERSION}")
    assert (folder / "simulation.json").is_file() and (stale / "simulation.json").read_text() == "{}"


def test_real_or_none_prints_the_reason_and_carries_on(capsys):
    def fetch():
        raise SensorLabError("sdot.csv is not cached: run `sensorlab data fetch sdot-daily`")

    assert real_or_none(fetch) is None
    assert "sensorlab data fetch sdot-daily" in capsys.readouterr().out
