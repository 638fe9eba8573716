"""Unit conversions and number representations for the sensor-box lessons (module 01).

A box and the city speak different units: the PMS5003 counts particles per 0.1 litre, the
SDS011 sends tenths of a µg/m³, Korean gas standards are in ppm while the WHO writes µg/m³,
and a sound level meter's decibels cannot be averaged like temperatures. The functions here
do each conversion once, with the physics in the docstring, so lessons can ask students to
do it by hand and then check against the package. (The figure and sliders of humidity growth
are :mod:`sensorlab.humidity_figure`; the checksum byte by byte is :mod:`sensorlab.checksum_steps`.)

Examples
--------
>>> round(ppm_to_ugm3(0.03, "no2"), 1)          # Seoul's annual NO2 standard, 25 °C
56.4
>>> round(ugm3_to_ppm(56.4, "no2"), 3)
0.03
>>> c_to_f(25.0), round(f_to_c(77.0), 6)
(77.0, 25.0)
>>> round(db_mean([60, 70]), 1)                 # not 65: loud moments dominate
67.4
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["MOLAR_MASS", "MOLAR_VOLUME_25C", "c_to_f", "f_to_c", "c_to_k", "ppm_to_ugm3",
           "ugm3_to_ppm", "per_litre", "per_cm3", "sds011_raw_to_ugm3", "db_mean", "db_sum",
           "dew_point", "humidity_growth", "SENSOR_KAPPA", "PARTICLE_KAPPA"]

#: Molar masses (g/mol) of the gases Seoul's stations report.
MOLAR_MASS = {"no2": 46.0055, "o3": 47.9982, "so2": 64.066, "co": 28.010}

#: Litres per mole of an ideal gas at 25 °C and 1013.25 hPa (the Korean and US convention).
MOLAR_VOLUME_25C = 24.465

_R = 8.314462618  # J/(mol K)


def c_to_f(celsius):
    """Degrees Celsius to Fahrenheit.

    Examples
    --------
    >>> c_to_f(-40.0), c_to_f(100.0)
    (-40.0, 212.0)
    """
    return celsius * 9 / 5 + 32


def f_to_c(fahrenheit):
    """Degrees Fahrenheit to Celsius.

    Examples
    --------
    >>> f_to_c(32.0)
    0.0
    """
    return (fahrenheit - 32) * 5 / 9


def c_to_k(celsius):
    """Degrees Celsius to kelvin.

    Examples
    --------
    >>> c_to_k(25.0)
    298.15
    """
    return celsius + 273.15


def _molar_volume(temperature_c: float, pressure_hpa: float) -> float:
    # ideal gas: V = RT/p, in litres per mole
    return _R * c_to_k(temperature_c) / (pressure_hpa * 100) * 1000


def _mass(gas: str) -> float:
    try:
        return MOLAR_MASS[gas.lower()]
    except KeyError:
        raise ValueError(f"unknown gas {gas!r}; known: {', '.join(MOLAR_MASS)}") from None


def ppm_to_ugm3(ppm, gas: str, temperature_c: float = 25.0, pressure_hpa: float = 1013.25):
    """A gas mixing ratio in ppm to a mass concentration in µg/m³.

    µg/m³ = ppm × 1000 × molar mass (g/mol) / molar volume (L/mol), where the molar volume is
    24.465 L at 25 °C and 1 atm; colder air is denser, so the same ppm is more µg/m³.

    Examples
    --------
    >>> round(ppm_to_ugm3(1.0, "o3"), 1)
    1961.9
    >>> ppm_to_ugm3(0.03, "no2", temperature_c=0) > ppm_to_ugm3(0.03, "no2", temperature_c=25)
    True
    """
    return ppm * 1000 * _mass(gas) / _molar_volume(temperature_c, pressure_hpa)


def ugm3_to_ppm(ugm3, gas: str, temperature_c: float = 25.0, pressure_hpa: float = 1013.25):
    """A mass concentration in µg/m³ to a mixing ratio in ppm (the inverse of :func:`ppm_to_ugm3`).

    Examples
    --------
    >>> round(ugm3_to_ppm(100, "o3"), 4)
    0.051
    """
    return ugm3 * _molar_volume(temperature_c, pressure_hpa) / (1000 * _mass(gas))


def per_litre(count_per_0_1l):
    """PMS5003 particle counts (per 0.1 L of air) to counts per litre.

    Examples
    --------
    >>> per_litre(588)
    5880
    """
    return count_per_0_1l * 10


def per_cm3(count_per_0_1l):
    """PMS5003 particle counts (per 0.1 L = 100 cm³) to counts per cm³.

    Examples
    --------
    >>> per_cm3(588)
    5.88
    """
    return count_per_0_1l / 100


def sds011_raw_to_ugm3(raw):
    """SDS011 frames carry PM as whole tenths of a µg/m³ (``pm25_raw=123`` is 12.3 µg/m³).

    Examples
    --------
    >>> sds011_raw_to_ugm3(123)
    12.3
    """
    return raw / 10


def db_mean(levels) -> float:
    """The energy-average (equivalent level, Leq) of sound levels in dB(A).

    Decibels are a log scale: average the sound energies 10^(L/10), then take 10·log10 again.
    A plain mean of 60 and 70 dB(A) is 65, but the energy mean is 67.4: loud moments dominate.

    Examples
    --------
    >>> round(db_mean([70, 70, 70]), 6)
    70.0
    """
    levels = np.asarray(levels, dtype=float)
    levels = levels[~np.isnan(levels)]
    if levels.size == 0:
        return math.nan
    return float(10 * np.log10(np.mean(10 ** (levels / 10))))


def db_sum(levels) -> float:
    """The level of several sources sounding together: two 70 dB(A) buses make 73, not 140.

    Examples
    --------
    >>> round(db_sum([70, 70]), 1)
    73.0
    """
    levels = np.asarray(levels, dtype=float)
    return float(10 * np.log10(np.sum(10 ** (levels / 10))))


def dew_point(temperature_c, humidity_rh):
    """Dew point (°C) from temperature and relative humidity (Magnus formula, Sensirion's constants).

    Examples
    --------
    >>> round(dew_point(20.0, 50.0), 1)
    9.3
    """
    gamma = np.log(np.asarray(humidity_rh, dtype=float) / 100) + 17.62 * temperature_c / (243.12 + temperature_c)
    result = 243.12 * gamma / (17.62 - gamma)
    return float(result) if np.ndim(result) == 0 else result


#: Effective κ of the S-DoT optical PM sensor, fitted to the real co-located data: raw sensor
#: PM2.5 over the station's, daily, at the sensor's own humidity (25 sensors at their district
#: stations, 23 April-30 November 2020, 4,765 sensor-days; least absolute deviations in log,
#: a free constant for the gain). The fit gives 0.018 (least squares: 0.005); the raw/station
#: ratio by humidity band is 0.84 (<= 40 %RH), 0.90 (50-60), 0.99 (80-90), 1.14 (> 90 %RH).
#: The particles' own κ (0.2-0.4 for Seoul's sulfate and nitrate) is larger: the sensor box
#: is warmer and so drier inside than the air outside, so the sensor sees far less growth.
SENSOR_KAPPA = 0.02
#: κ of urban particles themselves (textbook range 0.1-0.6, Petters & Kreidenweis 2007): what a box
#: shows when its inlet does not warm and dry the air (the kit simulator's ``humidity`` fault).
PARTICLE_KAPPA = 0.24


def humidity_growth(humidity_rh, kappa: float = SENSOR_KAPPA):
    """How much a light-scattering PM sensor over-reads in humid air (κ-Köhler growth factor).

    Particles take up water and swell when the air is humid; the sensor counts the wet size.
    The mass over-read is about 1 + κ·a/(1 − a) with water activity a = RH/100 (capped at 98 %
    because the formula runs to infinity at saturation). The default κ is
    :data:`SENSOR_KAPPA`, the S-DoT sensors' effective value measured from the real co-located
    data; the synthetic city's street sensors use this function with it (``make_city``).
    Larger κ (0.2–0.4, the particles' own hygroscopicity) describes an unheated sensor in
    the open air. Also used by the simulator's ``humidity`` fault.

    Examples
    --------
    >>> round(humidity_growth(50), 2), round(humidity_growth(80), 2), round(humidity_growth(90), 2)
    (1.02, 1.08, 1.18)
    >>> round(humidity_growth(90, kappa=0.24), 2)
    3.16
    """
    a = np.minimum(np.asarray(humidity_rh, dtype=float), 98.0) / 100
    result = 1 + kappa * a / (1 - a)
    return float(result) if np.ndim(result) == 0 else result
