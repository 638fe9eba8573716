"""The S-DoT network size the lessons and the README state is the real file's (skipped without it)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from sensorlab.datasets import real

pytestmark = pytest.mark.realdata


def test_sdot_sensor_count_is_the_serials_of_the_real_daily_file(real_data_dir):
    raw = pd.read_csv(real_data_dir / real.SDOT_DAILY_CSV, usecols=["시리얼"])
    assert raw["시리얼"].nunique() == real.SDOT_SENSORS_2020


def test_sdot_sensor_count_is_the_one_provenance_gives_for_the_file(real_data_dir):
    text = " ".join((real_data_dir / "sdot" / "PROVENANCE.md").read_text(encoding="utf-8").split())
    stated = re.search(r"\(244 days\), ([\d,]+) sensor serials", text)
    assert stated, "sdot/PROVENANCE.md no longer states the daily file's serial count"
    assert int(stated.group(1).replace(",", "")) == real.SDOT_SENSORS_2020


def test_fetched_daily_data_has_that_many_sites(real_data_dir):
    assert real.fetch_sdot_daily().readings["site_id"].nunique() == real.SDOT_SENSORS_2020
