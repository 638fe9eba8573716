"""Do the unit conversions of module 01 give the physically right numbers, and invert each other?"""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, strategies as st  # noqa: E402

from sensorlab import checksum_steps, humidity_figure, units  # noqa: E402
from sensorlab.kit import checksum  # noqa: E402


@given(st.floats(min_value=-90, max_value=60))
def test_temperature_conversions_round_trip(celsius):
    assert math.isclose(units.f_to_c(units.c_to_f(celsius)), celsius, abs_tol=1e-9)
    assert units.c_to_k(celsius) > 0


def test_fixed_points_of_temperature():
    assert units.c_to_f(0.0) == 32.0 and units.c_to_f(100.0) == 212.0
    assert units.c_to_f(-40.0) == -40.0
    series = pd.Series([32.0, 212.0])
    assert units.f_to_c(series).tolist() == [0.0, 100.0]


def test_ppm_to_ugm3_uses_molar_mass_and_volume():
    # 1 ppm of a gas of molar mass M is M/24.465 mg/m³ at 25 °C and 1 atm
    assert math.isclose(units.ppm_to_ugm3(1.0, "no2"), 1000 * 46.0055 / 24.465, rel_tol=1e-4)
    # heavier molecules weigh more per ppm
    assert units.ppm_to_ugm3(1, "so2") > units.ppm_to_ugm3(1, "o3") > units.ppm_to_ugm3(1, "co")
    # colder air is denser, so the same ppm is more µg/m³; lower pressure, less
    assert units.ppm_to_ugm3(0.03, "no2", temperature_c=-10) > units.ppm_to_ugm3(0.03, "no2")
    assert units.ppm_to_ugm3(0.03, "no2", pressure_hpa=900) < units.ppm_to_ugm3(0.03, "no2")


@given(st.floats(min_value=0, max_value=10), st.sampled_from(sorted(units.MOLAR_MASS)),
       st.floats(min_value=-30, max_value=45))
def test_ppm_and_ugm3_invert_each_other(ppm, gas, celsius):
    there = units.ppm_to_ugm3(ppm, gas, temperature_c=celsius)
    assert math.isclose(units.ugm3_to_ppm(there, gas, temperature_c=celsius), ppm, rel_tol=1e-9, abs_tol=1e-12)


def test_unknown_gas_is_named():
    with pytest.raises(ValueError, match="'ch4'.*no2"):
        units.ppm_to_ugm3(1, "ch4")


def test_particle_counts_and_sds_tenths():
    assert units.per_litre(588) == 5880
    assert units.per_cm3(588) == pytest.approx(5.88)
    assert units.sds011_raw_to_ugm3(np.array([0, 123, 9999])).tolist() == [0.0, 12.3, 999.9]


def test_decibels_average_as_energies():
    assert units.db_mean([70, 70, 70]) == pytest.approx(70)
    assert units.db_mean([60, 70]) == pytest.approx(10 * math.log10((1e6 + 1e7) / 2))
    assert units.db_mean([60, 70]) > 65  # the loud minute dominates
    assert units.db_sum([70, 70]) == pytest.approx(70 + 10 * math.log10(2))
    assert math.isnan(units.db_mean([np.nan]))
    assert units.db_mean([60, np.nan, 60]) == pytest.approx(60)


def test_dew_point_is_below_temperature_and_equal_at_saturation():
    assert units.dew_point(20.0, 100.0) == pytest.approx(20.0, abs=1e-6)
    assert units.dew_point(20.0, 50.0) == pytest.approx(9.26, abs=0.05)
    assert (units.dew_point(25.0, np.array([30.0, 60.0, 90.0])) < 25).all()


def test_humidity_growth_rises_steeply_and_is_capped():
    rh = np.array([0, 50, 70, 90, 98, 100])
    g = units.humidity_growth(rh, 0.24)
    assert g[0] == 1.0 and (np.diff(g) >= 0).all()
    assert g[-1] == g[-2]  # capped at 98 % so saturation is finite
    assert units.humidity_growth(90, 0.4) > units.humidity_growth(90, 0.2)


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=80))
def test_byte_table_ends_with_the_kit1_checksum(body):
    table = checksum_steps.byte_table(body)
    assert len(table) == len(body)
    assert table["running_xor_hex"].iloc[-1] == checksum(body)
    assert table["code"].tolist() == [ord(c) for c in body]
    assert all(int(b, 2) == c for b, c in zip(table["binary"], table["code"]))


def test_byte_table_refuses_non_ascii_with_position():
    with pytest.raises(ValueError, match="position 2"):
        checksum_steps.byte_table("ab초")


def test_growth_figure_and_static_explorer_draw_labelled_axes():
    fig = humidity_figure.draw_growth(30, 0.3, 85, lang="en")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Relative humidity (%RH)" and ax.get_ylabel() == "PM2.5 (µg/m³)"
    dot = ax.lines[-1]
    assert dot.get_ydata()[0] == pytest.approx(30 * units.humidity_growth(85, 0.3))
    explorer = humidity_figure.growth_explorer(static=True)
    assert explorer.values() == {"true_pm25": 25.0, "kappa": units.SENSOR_KAPPA, "humidity_rh": 80.0}
    assert "image/png" in explorer._repr_mimebundle_()
    plt.close("all")


def test_live_explorer_redraws_when_a_slider_moves():
    explorer = humidity_figure.growth_explorer(static=False)
    before = explorer.redraws
    explorer.controls["humidity_rh"].value = 95
    assert explorer.redraws == before + 1
    assert explorer.values()["humidity_rh"] == 95
    plt.close("all")
