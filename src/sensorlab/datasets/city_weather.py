"""Seoul weather for the synthetic city: temperature, humidity, wind, daylight, UV.

Monthly means are the KMA-type hourly observations in the UCI Seoul Bike file
(Dec 2017-Nov 2018, ``research/data.md`` §5.2), except April-November temperature, which
follows the year of the real street file the city's sensors are compared with (S-DoT 2020,
issue 13); the diurnal shapes follow §5.3 (minimum near sunrise, maximum 14-16 h, humidity in
anti-phase). Day-to-day weather is an AR(1) process; cloudy, humid days have a smaller daily range. Districts differ by an urban
heat-island offset that is strongest at night.

Examples
--------
>>> from sensorlab.datasets.city_clock import Clock
>>> clock = Clock.build("2024-07-01", "2024-07-03")
>>> w = city_weather(np.random.default_rng(0), clock, n_districts=2)
>>> w["temperature"].shape, bool(w["humidity"].max() <= 100)
((2, 72), True)
"""

from __future__ import annotations

import numpy as np

from sensorlab.datasets.city_clock import Clock, ar1, diurnal_shape, monthly_curve, solar_elevation_sin

#: Monthly means, January..December. Temperature: December-March from the UCI Seoul Bike hourly
#: weather (Dec 2017-Nov 2018); April-November from the S-DoT 2020 network median less the street
#: boxes' warm bias (about 1.3 °C), because a unit's correlation with the network depends on the
#: weather's variance (2018: April-November SD 7.6 °C; 2020: 6.6), and August at 27.2 °C stays
#: within compare's ±2 °C of UCI 2018's 28.7. Humidity and wind: UCI.
TEMPERATURE_MONTH = [-3.9, -1.7, 8.0, 12.0, 18.8, 24.5, 24.6, 27.2, 22.0, 15.4, 9.1, -1.9]
HUMIDITY_MONTH = [48.1, 44.9, 59.3, 54.6, 62.3, 62.6, 67.5, 64.8, 60.7, 59.3, 57.7, 55.8]
WIND_MONTH = [1.87, 2.18, 1.92, 1.99, 1.72, 1.68, 1.45, 1.70, 1.55, 1.54, 1.39, 1.74]
#: Mean daily temperature range by month (°C): larger in dry spring and autumn.
RANGE_MONTH = [7.8, 8.6, 9.6, 10.2, 9.8, 8.2, 6.6, 7.2, 8.4, 9.8, 9.0, 7.6]
#: Day-to-day temperature anomaly SD by month (°C): winter cold surges, steady summers; April-November
#: scaled to the 2020 street network's anomalies (its day-to-day change SD 2.1 °C). Persistence φ.
T_ANOMALY_SD = [3.4, 3.3, 3.0, 3.4, 3.2, 2.1, 2.4, 2.2, 2.0, 2.8, 3.6, 3.4]
T_ANOMALY_PHI = 0.4
#: A district's own hour-to-hour temperature wobble (°C, AR(1) 0.9). At 0.25 its daily part
#: (white from day to day) outweighed the units' own persistent error in the quietest units.
LOCAL_T_HOURLY_SD = 0.15
#: The same for humidity (%RH, AR(1) 0.8).
LOCAL_RH_HOURLY_SD = 1.6

#: Urban heat-island offset by district station code (°C, at night; about 60% of it by day):
#: dense central districts warm, the northern mountain-edge districts cool.
HEAT_ISLAND = {
    101: 0.6, 102: 0.9, 103: 0.5, 104: -0.4, 105: 0.1, 106: 0.3, 107: 0.4, 108: 0.2,
    109: 0.6, 110: 0.0, 111: -0.2, 112: -0.6, 113: -0.9, 114: -0.7, 115: 0.2, 116: -0.3,
    117: 0.3, 118: 0.3, 119: 0.7, 120: 0.1, 121: -0.3, 122: 0.0, 123: 0.5, 124: 0.3, 125: -0.1,
}


#: Seoul's dry tail: hourly humidity of the UCI Seoul Bike weather (2017-18, zeros removed) has
#: minimum 10 %RH, 0.1 % of hours below 14 and 1 % below 18 %RH. The floor sits at that 0.1 %: the
#: street boxes read a few %RH drier still, and the network check of lesson 04.4 (half the boxes
#: below 10 %RH) must fire only on the April fault.
RH_FLOOR, RH_FLOOR_WIDTH = 14.0, 3.0


def dry_floor(rh: np.ndarray) -> np.ndarray:
    """Soften the dry end of humidity: unchanged above about 25 %RH, never below ``RH_FLOOR``.

    Examples
    --------
    >>> dry_floor(np.array([-5.0, 11.0, 20.0, 40.0])).round(1)
    array([14. , 14.9, 20.4, 40. ])
    """
    return RH_FLOOR + RH_FLOOR_WIDTH * np.logaddexp(0.0, (np.asarray(rh) - RH_FLOOR) / RH_FLOOR_WIDTH)


def city_weather(rng: np.random.Generator, clock: Clock, n_districts: int,
                 heat_island: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Clean district-level weather, arrays of shape ``(n_districts, n_steps)``.

    Returns temperature (°C), humidity (%RH), wind_speed (m/s), sun (sine of solar
    elevation, clipped at 0), cloud (daily cloudiness 0..1 per step) and, per day,
    ``wind_anomaly_daily`` (log-wind anomaly, shared with the pollution model) and
    ``humidity_anomaly_daily`` (the day's humidity anomaly in SDs, which the pollution model
    links to PM2.5).
    """
    nd = clock.n_days
    heat_island = np.zeros(n_districts) if heat_island is None else np.asarray(heat_island)

    # Day-to-day weather regimes: a humid, cloudy day is cooler by day and has a small range.
    sd_day = np.asarray(T_ANOMALY_SD)[clock.days.month.to_numpy() - 1]
    t_anom = ar1(rng, nd, T_ANOMALY_PHI, 1.0) * sd_day
    # Cold surges and heat waves come and go within the month; each month keeps its mean.
    rh_anom = ar1(rng, nd, 0.55, 14.0)
    day_month = clock.days.month.to_numpy()
    for m in np.unique(day_month):
        t_anom[day_month == m] -= t_anom[day_month == m].mean()
        rh_anom[day_month == m] -= rh_anom[day_month == m].mean()
    cloud = 1.0 / (1.0 + np.exp(-(rh_anom - 2.0) / 5.0))
    t_day = monthly_curve(TEMPERATURE_MONTH, clock) + t_anom
    rng_day = monthly_curve(RANGE_MONTH, clock) * (1.3 - 0.6 * cloud) * np.exp(rng.normal(0, 0.1, nd))
    rh_day = monthly_curve(HUMIDITY_MONTH, clock) + rh_anom

    t_min = 6.3 + 0.9 * np.cos(2 * np.pi * (clock.doy - 10) / 365.0)  # near sunrise
    shape = diurnal_shape(clock.hour, t_min, 15.0)
    t_mean_steps = clock.daily_to_steps(t_day)
    half_range = clock.daily_to_steps(rng_day) / 2.0
    temp_city = t_mean_steps + half_range * shape

    sun = np.clip(solar_elevation_sin(clock), 0.0, None)
    night = (sun <= 0.0).astype(float)
    uhi = heat_island[:, None] * (0.6 + 0.4 * night[None, :])
    local = ar1(rng, (n_districts, clock.n), 0.9, LOCAL_T_HOURLY_SD)
    temperature = temp_city[None, :] + uhi + local

    # Relative humidity falls about 3 %RH per °C of daytime warming; warmer districts are drier.
    rh = (clock.daily_to_steps(rh_day)[None, :] - 3.0 * (half_range * shape)[None, :]
          - 2.0 * uhi + ar1(rng, (n_districts, clock.n), 0.8, LOCAL_RH_HOURLY_SD))
    humidity = np.minimum(dry_floor(rh), 100.0)

    wind_anom = ar1(rng, nd, 0.5, 0.3)
    wind_diurnal = 1.0 + 0.4 * np.cos(2 * np.pi * (clock.hour - 16.0) / 24.0)
    wind_city = clock.daily_to_steps(monthly_curve(WIND_MONTH, clock) * np.exp(wind_anom)) * wind_diurnal
    gust = rng.gamma(6.0, 1.0 / 6.0, size=(n_districts, clock.n))
    wind = wind_city[None, :] * gust * rng.uniform(0.8, 1.2, size=(n_districts, 1))

    return {
        "temperature": temperature,
        "humidity": humidity,
        "wind_speed": wind,
        "sun": sun,
        "cloud": clock.daily_to_steps(cloud),
        "wind_anomaly_daily": wind_anom,
        "humidity_anomaly_daily": rh_anom / 14.0,
    }


def daylight(rng: np.random.Generator, sun: np.ndarray, cloud: np.ndarray,
             shade: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Illuminance (lux) and UV index seen by sensors with the given shading (0..1 each).

    Clear-sky noon light is about 110,000 lux; street sensors are shaded by buildings and
    trees (real S-DoT noon median about 28,000 lux), and street lights give a few lux at night.
    """
    shade = np.asarray(shade)[:, None]
    passing = (1.0 - 0.7 * cloud)[None, :] * rng.uniform(0.75, 1.0, size=(shade.shape[0], sun.shape[0]))
    lux = 110_000.0 * sun[None, :] ** 1.15 * passing * shade
    lux = np.where(sun[None, :] > 0, lux, 0.0) + rng.uniform(1.0, 15.0, size=(shade.shape[0], 1))
    uv = 12.0 * sun[None, :] ** 2.4 * passing * np.sqrt(shade)
    return np.minimum(lux, 120_000.0), uv


def street_noise(rng: np.random.Generator, clock, n_sites: int) -> np.ndarray:
    """Street noise in dB(A): a per-site level, quieter nights, busier weekdays."""
    level = np.clip(rng.normal(49.0, 3.4, n_sites), 40.0, 62.0)[:, None]
    diurnal = -1.8 * np.cos(2 * np.pi * (clock.hour - 3.0) / 24.0)
    weekday = np.where(clock.weekday < 5, 0.4, -0.8)
    return level + (diurnal + weekday)[None, :] + rng.normal(0.0, 1.5, size=(n_sites, clock.n))
