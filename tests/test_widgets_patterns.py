"""Tests of the module 05 cycle explorer: the numbers, the figure, the static fallback."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from sensorlab import widgets_patterns as wp  # noqa: E402
from sensorlab.datasets import SensorData, stations  # noqa: E402


@pytest.fixture(scope="module")
def tiny():
    """Two weeks at two stations: NO2 0.03 on weekdays and 0.02 at weekends; a street site."""
    sites = pd.concat([stations(), pd.DataFrame({"site_id": ["sdot-101-01"], "kind": ["street"],
                                                 "district": ["Jongno-gu"], "district_ko": ["종로구"]})])
    ts = pd.date_range("2024-01-01", periods=14 * 24, freq="h", tz="Asia/Seoul")  # starts on a Monday
    weekday = ts.day_of_week < 5
    frames = [pd.DataFrame({"timestamp": ts, "site_id": s, "no2": 0.02 + 0.01 * weekday}) for s in ("ref-101", "ref-102")]
    frames.append(pd.DataFrame({"timestamp": ts, "site_id": "sdot-101-01", "no2": 1.0}))
    return SensorData(pd.concat(frames, ignore_index=True), sites, name="tiny")


def test_cycle_table_weekday_and_split(tiny):
    week = wp.cycle_table(tiny, "no2", "weekday", kind="reference")
    assert week.round(3).tolist() == [0.03] * 5 + [0.02] * 2
    split = wp.cycle_table(tiny, "no2", "hour", "is_weekend", kind="reference")
    assert split.shape == (24, 2)
    assert (split[True].round(3) == 0.02).all() and (split[False].round(3) == 0.03).all()


def test_cycle_table_kind_filters_sites(tiny):
    everything = wp.cycle_table(tiny, "no2", "weekday", kind=None)
    assert everything.iloc[0] == pytest.approx((0.03 * 2 + 1.0) / 3)


def test_cycle_table_refuses_an_unknown_split(tiny):
    with pytest.raises(ValueError, match="split"):
        wp.cycle_table(tiny, "no2", "hour", split="district")


def test_draw_cycle_labels_axes_with_units_and_days(tiny):
    fig = wp.draw_cycle(tiny, "no2", "weekday", "none", lang="en")
    ax = fig.axes[0]
    assert ax.get_ylabel() == "NO₂ (ppm)"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert ax.get_xlabel() == "Day of the week"
    plt.close(fig)
    fig = wp.draw_cycle(tiny, "no2", "hour", "is_weekend", lang="ko")
    ax = fig.axes[0]
    assert len(ax.get_lines()) == 2
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {"평일(월~금)", "주말(토·일)"}
    plt.close(fig)


def test_static_explorer_still_shows_a_figure(tiny):
    explorer = wp.cycle_explorer(tiny, "no2", "weekday", static=True)
    bundle = explorer._repr_mimebundle_()
    assert "image/png" in bundle and len(bundle["image/png"]) > 1000
    assert "application/vnd.jupyter.widget-view+json" not in bundle


def test_live_explorer_redraws_when_a_control_changes(tiny):
    explorer = wp.cycle_explorer(tiny, "no2", "hour", static=False)
    before = explorer.redraws
    explorer.controls["period"].value = "weekday"
    assert explorer.redraws == before + 1
    assert explorer.values()["period"] == "weekday"
    plt.close("all")
