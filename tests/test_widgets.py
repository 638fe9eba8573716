"""Do the explorers select the right readings, redraw when a control changes, and fall back to
a static figure where widgets cannot be shown?"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from sensorlab import messages, widgets  # noqa: E402
from sensorlab.datasets import make_city  # noqa: E402

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def city():
    """Three weeks of the synthetic city: small enough to be quick, long enough for a week."""
    return make_city(seed=3, start="2024-03-01", end="2024-03-21", street_per_district=2)


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.delenv("SENSORLAB_LANG", raising=False)
    monkeypatch.delenv("SENSORLAB_STATIC", raising=False)
    messages.set_language("en")
    yield
    plt.close("all")


def test_select_keeps_one_district_and_window(city):
    """Does select return only that district's sites, inside [start, end)?"""
    table = widgets.select(city, "Mapo-gu", "pm25", "2024-03-04", "2024-03-06")
    mapo = set(city.sites.loc[city.sites["district"] == "Mapo-gu", "site_id"])
    assert set(table.columns) == mapo
    assert table.index.min() == pd.Timestamp("2024-03-04", tz="Asia/Seoul")
    assert table.index.max() < pd.Timestamp("2024-03-06", tz="Asia/Seoul")
    station = city.sites.loc[(city.sites["district"] == "Mapo-gu") & (city.sites["kind"] == "reference"), "site_id"].item()
    raw = city.readings
    one = raw[(raw["site_id"] == station) & (raw["timestamp"] == table.index[5])]["pm25"].item()
    assert table.loc[table.index[5], station] == pytest.approx(one, nan_ok=True)
    street = widgets.select(city, "Mapo-gu", "pm25", kind="street")
    assert all(c.startswith("sdot-") for c in street.columns)


def test_select_names_a_wrong_district_or_quantity(city):
    with pytest.raises(KeyError, match="Gotham"):
        widgets.select(city, "Gotham", "pm25")
    with pytest.raises(KeyError, match="radon"):
        widgets.select(city, "Mapo-gu", "radon")


def test_district_mean_and_week(city):
    """Is the district mean the mean over sites, and a week exactly 168 hours from a Monday?"""
    table = widgets.select(city, "Jung-gu", "temperature")
    mean = widgets.district_mean(city, "Jung-gu", "temperature")
    assert mean.iloc[10] == pytest.approx(table.iloc[10].mean())
    week = widgets.week_of(city, "Jung-gu")
    assert len(week) == 168
    assert week.index[0].weekday() == 0 and week.index[0].hour == 0
    daily = widgets.district_mean(city, "Jung-gu", "pm25", freq="D")
    assert len(daily) == 21


def test_draw_selection_labels_axes_with_units(city):
    fig = widgets.draw_selection(city, "Mapo-gu", "pm25", "2024-03-04", "2024-03-11")
    ax = fig.axes[0]
    assert ax.get_ylabel() == "PM2.5 (µg/m³)" and "Mapo-gu" in ax.get_title()
    fig = widgets.draw_selection(city, "Mapo-gu", "noise", "2024-03-04", "2024-03-11", lang="ko")
    assert fig.axes[0].get_ylabel() == "소음 (dB(A))" and "마포구" in fig.axes[0].get_title()


def test_explorer_redraws_when_a_control_changes(city):
    explorer = widgets.city_explorer(city, static=False)
    bundle = explorer._repr_mimebundle_()
    assert WIDGET_MIME in bundle and "image/png" in bundle  # live view + static fallback
    before, first_png = explorer.redraws, bytes(explorer._image.value)
    assert first_png.startswith(b"\x89PNG")
    explorer.controls["district"].value = "Gangnam-gu"
    explorer.controls["quantity"].value = "temperature"
    assert explorer.redraws == before + 2
    assert bytes(explorer._image.value) != first_png  # the live figure changed with the controls
    assert explorer.values()["district"] == "Gangnam-gu"
    assert explorer.figure().axes[0].get_ylabel() == "Temperature (°C)"


def test_explorer_controls_speak_korean(city):
    messages.set_language("ko")
    explorer = widgets.city_explorer(city, static=False)
    assert explorer.controls["district"].description == "자치구"
    assert ("마포구", "Mapo-gu") in explorer.controls["district"].options


def test_static_fallback_draws_without_widgets(city, monkeypatch):
    """With SENSORLAB_STATIC set, is the explorer a plain figure with no widget at all?"""
    monkeypatch.setenv("SENSORLAB_STATIC", "1")
    explorer = widgets.week_explorer(city, "Mapo-gu")
    bundle = explorer._repr_mimebundle_()
    assert WIDGET_MIME not in bundle and bundle["image/png"]
    week = widgets.week_of(city, "Mapo-gu")
    line = explorer.figure().axes[0].get_lines()[-2]  # the thick district-mean line
    assert len(line.get_xdata()) == len(week)


def test_one_spike_does_not_squash_the_view(city):
    """A single 700 µg/m³ reading is cut off the view, marked, and the figure says so."""
    spiky = city.readings.copy()
    mapo = city.sites.loc[(city.sites["district"] == "Mapo-gu") & (city.sites["kind"] == "street"), "site_id"].iloc[0]
    row = spiky.index[(spiky["site_id"] == mapo) & (spiky["timestamp"] == pd.Timestamp("2024-03-05 08:00", tz="Asia/Seoul"))]
    spiky.loc[row, "pm25"] = 700.0
    data = type(city)(spiky, city.sites, name="spiky")
    ax = widgets.draw_selection(data, "Mapo-gu", "pm25", "2024-03-04", "2024-03-11").axes[0]
    normal = widgets.select(city, "Mapo-gu", "pm25", "2024-03-04", "2024-03-11").max().max()
    assert normal < ax.get_ylim()[1] < 700
    notes = [t.get_text() for t in ax.texts if "cut" in t.get_text()]
    assert len(notes) == 1 and "700" in notes[0] and mapo in notes[0]
    plain = widgets.draw_selection(city, "Mapo-gu", "pm25", "2024-03-04", "2024-03-11").axes[0]
    assert not [t for t in plain.texts if "cut" in t.get_text()]


def test_korean_district_names_select_the_same_sites(city):
    assert widgets.select(city, "마포구", "pm25").equals(widgets.select(city, "Mapo-gu", "pm25"))


def test_date_slider_labels_fit_their_readout(city):
    slider = widgets.city_explorer(city, static=False).controls["dates"]
    first, last = slider.options[0][0], slider.options[slider.index[1]][0]
    assert len(f"{first}-{last}") <= 12 and "2024" in slider.description


def test_date_range_includes_its_last_day(city):
    """The slider's first week reads 03/01-03/07 and draws those seven whole days."""
    explorer = widgets.city_explorer(city, static=False)
    first, last = (explorer.controls["dates"].options[i][0] for i in explorer.controls["dates"].index)
    assert (first, last) == ("03/01", "03/07")
    line = explorer.figure().axes[0].get_lines()[-2]  # the district mean
    assert len(line.get_xdata()) == 7 * 24


def test_explorers_take_a_district_by_its_korean_name():
    """Korean lessons name districts in Korean; the dropdowns still key them in English."""
    from sensorlab.datasets import load_city

    city = load_city()
    for explorer in (widgets.week_explorer(city, "마포구", static=False),
                     widgets.city_explorer(city, "마포구", static=False)):
        assert explorer.controls["district"].value == "Mapo-gu"
