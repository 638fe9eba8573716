"""Air pollution of the synthetic city: PM2.5, PM10, NO2 and O3 per district.

City-wide PM follows a daily log-normal process (a fast and a slow AR(1) component, winter
haze episodes lasting days, spring Asian-dust days in PM10), scaled so that each calendar
month has the 2018-22 mean of the 25 district stations (``research/data.md`` §5.2). Districts
share the city signal and add a spatially correlated deviation (median daily r between
stations about 0.94, as measured). NO2 has a rush-hour cycle and a weekend dip (Sunday about
18 % lower); ozone is photochemical (minimum 07-08 h, maximum 15-16 h).

Examples
--------
>>> from sensorlab.datasets.city_clock import Clock
>>> from sensorlab.datasets.base import stations
>>> clock = Clock.build("2024-01-01", "2024-01-31")
>>> st = stations()
>>> p = city_pollution(np.random.default_rng(1), clock, st["lat"].to_numpy(), st["lon"].to_numpy(),
...                    wind_anomaly_daily=np.zeros(clock.n_days))
>>> p["pm25"].shape
(25, 744)
>>> bool(20 < p["pm25"].mean() < 40)
True
"""

from __future__ import annotations

import numpy as np

from sensorlab.datasets.city_clock import Clock, ar1, diurnal_shape, monthly_curve

#: Monthly means of the 25 district stations, 2018-2022 (OA-2218 daily files), Jan..Dec.
PM25_MONTH = [29.7, 29.6, 31.5, 21.4, 21.5, 19.2, 15.8, 13.6, 10.0, 14.7, 24.1, 24.3]
PM10_MONTH = [48.2, 47.6, 54.7, 44.6, 44.5, 31.4, 24.0, 22.3, 19.4, 28.7, 43.5, 40.6]
NO2_MONTH = [0.034, 0.031, 0.030, 0.024, 0.021, 0.019, 0.016, 0.015, 0.017, 0.024, 0.033, 0.032]
O3_MONTH = [0.014, 0.020, 0.027, 0.035, 0.039, 0.039, 0.032, 0.028, 0.028, 0.021, 0.015, 0.013]

#: Correlation of the city's daily humidity with its log PM2.5 within each month, Jan..Dec: the
#: mean of two real years where both exist (2017-18: UCI Seoul Bike humidity against the median
#: of the 25 district stations, OA-2218; 2020 Apr-Nov: the S-DoT network's median humidity
#: against the same stations). Humid winter days carry haze (Dec-Feb r 0.64-0.71); humid summer
#: days are rainy and washed out (Jun-Aug r -0.17 to -0.32). See datasets/cards/city.md.
HUMIDITY_PM_R = [0.66, 0.64, 0.02, -0.03, 0.14, -0.23, -0.17, -0.32, 0.18, 0.14, 0.34, 0.71]
#: Log-SD of the weather-driven part of the city's daily PM2.5 (the link takes its share of it).
FAST_SD = 0.50

#: NO2 hourly multipliers 00..23 h: rush-hour peak 08-09 h, trough 14-16 h, evening rise.
NO2_HOURLY = np.array([1.06, 1.02, 0.98, 0.95, 0.94, 0.97, 1.05, 1.15, 1.20, 1.17, 1.06, 0.96,
                       0.89, 0.85, 0.82, 0.82, 0.85, 0.92, 1.02, 1.08, 1.11, 1.12, 1.11, 1.09])
#: NO2 by weekday (Mon..Sun): Sunday about 18 % below the weekday level.
NO2_WEEKDAY = np.array([1.03, 1.04, 1.04, 1.04, 1.05, 0.95, 0.85])
#: Weak PM2.5 diurnal cycle (log-scale multipliers at 00..23 h): morning and night maxima.
PM_HOURLY_LOG = 0.06 * np.cos(2 * np.pi * (np.arange(24) - 9.0) / 12.0)


#: Issue 13 tuning. The city's slow (weekly) log-PM2.5 component: above about 0.40 the city
#: lag-1 and the Dec-Feb PM2.5/PM10 ratio leave the real years' range on some seeds.
CITY_SLOW_SD = 0.38
#: Districts' own daily log deviation (spatially smooth); real S-DoT units follow the network
#: median closely (daily r 0.94), so what differs between districts day to day is small.
DISTRICT_DAILY_SD = 0.05
#: Hour-to-hour persistence of a district's wobble.
DISTRICT_HOURLY_PHI = 0.5
#: Local sources (µg/m³, daily AR(1)) added regardless of the regional level.
LOCAL_SOURCE_SD = 0.6


def _spatial_cholesky(lat: np.ndarray, lon: np.ndarray, length_km: float) -> np.ndarray:
    y = (lat - lat.mean()) * 111.0
    x = (lon - lon.mean()) * 88.0
    d = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
    return np.linalg.cholesky(np.exp(-d / length_km) + 1e-9 * np.eye(len(lat)))


def _episodes(rng, clock: Clock, months: set[int], per_year: float, days: tuple[int, int],
              size: tuple[float, float]) -> np.ndarray:
    """Daily log-additive bumps: build up over the episode, clear out in a day."""
    out = np.zeros(clock.n_days)
    day_months = clock.days.month.to_numpy()
    eligible = np.flatnonzero(np.isin(day_months, list(months)))
    if eligible.size == 0:
        return out
    count = rng.poisson(per_year * eligible.size / 365.0)
    for start in rng.choice(eligible, size=count, replace=True):
        length = int(rng.integers(days[0], days[1] + 1))
        height = rng.uniform(*size)
        ramp = np.linspace(0.4, 1.0, length) * height
        stop = min(start + length, clock.n_days)
        out[start:stop] += ramp[: stop - start]
    return out


def _match_months(values: np.ndarray, target: list[float], clock: Clock) -> np.ndarray:
    """Scale daily values (last axis = days) so each calendar month's mean is its target."""
    day_month = clock.days.month.to_numpy() - 1
    out = values.copy()
    for m in np.unique(day_month):
        sel = day_month == m
        out[..., sel] *= target[m] / out[..., sel].mean()
    return out


def city_pollution(rng: np.random.Generator, clock: Clock, lat: np.ndarray, lon: np.ndarray,
                   wind_anomaly_daily: np.ndarray, sun: np.ndarray | None = None,
                   humidity_anomaly_daily: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Clean hourly PM2.5, PM10 (µg/m³), NO2, O3 (ppm) per district, shape ``(n, n_steps)``.

    ``humidity_anomaly_daily`` (the day's humidity anomaly in SDs, from the weather) links
    humidity and PM2.5 as the real data do (:data:`HUMIDITY_PM_R`); without it there is none.

    Also returns ``coarse`` (PM10 minus PM2.5) and ``dust`` (the Asian-dust share of it).
    """
    n = len(lat)
    nd = clock.n_days
    chol = _spatial_cholesky(np.asarray(lat), np.asarray(lon), length_km=10.0)

    # City-wide daily log-PM: fast weather-driven part, slow regime part, winter haze episodes;
    # windy days ventilate the city.
    fast = ar1(rng, nd, 0.3, FAST_SD)
    if humidity_anomaly_daily is not None:
        # The weather-driven part shares the month's real humidity link; its variance is kept.
        beta = np.asarray(HUMIDITY_PM_R)[clock.days.month.to_numpy() - 1] * 0.62
        fast = np.sqrt(np.maximum(FAST_SD ** 2 - beta ** 2, 0.0)) / FAST_SD * fast + beta * humidity_anomaly_daily
    slow = ar1(rng, nd, 0.85, CITY_SLOW_SD)
    haze = _episodes(rng, clock, {11, 12, 1, 2, 3}, per_year=30, days=(3, 6), size=(0.4, 0.8))
    log_city = fast + slow + haze - 0.5 * wind_anomaly_daily
    # District deviations: a fixed part (station means differ by a few µg/m³) and a daily part,
    # both spatially smooth.
    fixed = chol @ rng.normal(0.0, 0.10, n)
    daily_dev = chol @ ar1(rng, (n, nd), 0.7, DISTRICT_DAILY_SD)
    daily = np.exp(log_city[None, :] + fixed[:, None] + daily_dev)
    daily = _match_months(daily, PM25_MONTH, clock)

    hour_idx = np.floor(clock.hour).astype(int) % 24
    # Hour-to-hour wobble of each district; small, as between real S-DoT sensors (hourly
    # deviation from the network about 0.09 in log on 1 May 2020), yet enough for the
    # stations' daily correlation (median 0.95).
    hourly_noise = ar1(rng, (n, clock.n), DISTRICT_HOURLY_PHI, 0.11)
    pm25 = np.exp(np.log(clock.daily_to_steps(daily)) + PM_HOURLY_LOG[hour_idx][None, :] + hourly_noise)
    pm25 = pm25 / np.exp(0.11 ** 2 / 2)
    # Local sources add a few µg/m³ regardless of the regional level: clean days differ most
    # between districts in relative terms, as in the station data.
    local = clock.daily_to_steps(ar1(rng, (n, nd), 0.6, LOCAL_SOURCE_SD))
    pm25 = np.maximum(pm25 + local, 1.0)

    # PM10 = PM2.5 + coarse; coarse is a season-dependent share plus spring Asian dust.
    ratio = np.asarray(PM25_MONTH) / np.asarray(PM10_MONTH)
    coarse_share = monthly_curve(1.0 / ratio - 1.0, clock)
    coarse_daily = daily * coarse_share[None, :] * np.exp(chol @ ar1(rng, (n, nd), 0.6, 0.25))
    dust_log = _episodes(rng, clock, {2, 3, 4, 5}, per_year=10, days=(1, 3), size=(1.0, 1.9))
    dust_daily = np.where(dust_log > 0, 25.0 * (np.exp(dust_log) - 1.0), 0.0)
    dust_daily = dust_daily[None, :] * np.exp(rng.normal(0, 0.15, (n, 1)))
    # Dust days come on top of the ordinary coarse fraction, which is scaled so each month's
    # PM10 mean (dust included) is the station climatology.
    day_month = clock.days.month.to_numpy() - 1
    coarse_target = np.asarray(PM10_MONTH) - np.asarray(PM25_MONTH)
    base_target = [max(coarse_target[m] - dust_daily[:, day_month == m].mean(), 0.5 * coarse_target[m])
                   if np.any(day_month == m) else coarse_target[m] for m in range(12)]
    coarse_daily = _match_months(coarse_daily, base_target, clock) + dust_daily
    dust_frac = np.divide(dust_daily, coarse_daily + dust_daily + 1e-9)
    coarse = clock.daily_to_steps(coarse_daily) * np.exp(ar1(rng, (n, clock.n), 0.85, 0.15) - 0.15 ** 2 / 2)
    pm10 = pm25 + coarse

    # NO2 shares the weather-driven part of PM (stagnant days trap both) and has a weekly cycle.
    no2_daily = np.exp(0.4 * fast[None, :] + chol @ ar1(rng, (n, nd), 0.6, 0.15)
                       + rng.normal(0.0, 0.15, (n, 1)))
    no2_daily = _match_months(no2_daily, NO2_MONTH, clock)
    weekday = NO2_WEEKDAY[clock.weekday]
    no2 = clock.daily_to_steps(no2_daily) * NO2_HOURLY[hour_idx][None, :] * weekday[None, :]
    no2 = no2 * np.exp(ar1(rng, (n, clock.n), 0.8, 0.15) - 0.15 ** 2 / 2)

    # O3: photochemistry in the afternoon, titration by NO2 at night and in the morning rush.
    o3_daily = np.exp(-0.4 * fast[None, :] + chol @ ar1(rng, (n, nd), 0.6, 0.15))
    o3_daily = _match_months(o3_daily, O3_MONTH, clock)
    o3_shape = 1.0 + 0.55 * diurnal_shape(clock.hour, 7.5, 15.5)
    o3_weekend = np.where(clock.weekday == 6, 1.06, np.where(clock.weekday == 5, 1.03, 0.985))
    o3 = clock.daily_to_steps(o3_daily) * (o3_shape * o3_weekend)[None, :]
    o3 = o3 * np.exp(ar1(rng, (n, clock.n), 0.8, 0.12) - 0.12 ** 2 / 2)

    return {"pm25": pm25, "pm10": pm10, "no2": no2, "o3": o3, "coarse": coarse,
            "dust": clock.daily_to_steps(dust_frac)}
