"""What the instruments record: low-cost street sensors and reference stations.

Street (S-DoT-like) sensors turn the clean truth into raw readings the way the real network's
do (``research/data.md`` §4-5): per-sensor PM gain from about x0.3 to x1.7 (the measured
quantiles of raw gain against the city median), optical PM growth in humid air (κ-Köhler,
:func:`sensorlab.units.humidity_growth` with the measured effective κ), a warm bias that grows in sunshine, a dry humidity bias, slow gain drift on some
sensors, rounding to the feed's resolution, and then the faults at their real rates.
Reference stations add small instrument noise and short gaps.

Every function returns ``(values, labels)`` dicts keyed by quantity, arrays of shape
``(n_sites, n_steps)``; labels are codes of :data:`sensorlab.datasets.city_faults.LABELS`.

Examples
--------
>>> sample_gain(np.random.default_rng(0), 5).round(2)
array([1.11, 0.67, 0.24, 0.17, 1.29])
"""

from __future__ import annotations

import numpy as np

from sensorlab.datasets.city_clock import ar1
from sensorlab.datasets.city_faults import code, place_runs, place_runs_by_row, prone_shares, run_starts
from sensorlab.units import SENSOR_KAPPA, humidity_growth

#: Quantiles of the per-sensor PM2.5 gain. Measured against the city median (as in research/data.md
#: §5.4: p5 0.31, p95 1.74) drift, humidity growth and local air widen them, so the intrinsic
#: spread drawn here is a little narrower; `sensorlab data compare` checks the measured one.
GAIN_QUANTILES = ([0.0, 0.05, 0.25, 0.50, 0.75, 0.95, 1.0], [0.12, 0.27, 0.64, 1.00, 1.20, 1.50, 1.70])

#: Resolution of each quantity as the feeds report it (readings) and as the truth is kept.
#: Street PM is an hourly mean of the box's 2-minute whole-µg/m³ readings, so the real hourly
#: file is not whole (e.g. 9.43); the feed keeps 0.1 µg/m³. The stations report whole µg/m³.
RESOLUTION = {"pm25": 0.1, "pm10": 0.1, "temperature": 0.1, "humidity": 1.0, "noise": 1.0,
              "illuminance": 1.0, "uv": 0.1, "wind_speed": 0.1, "no2": 0.001, "o3": 0.001}
REFERENCE_RESOLUTION = {"pm25": 1.0, "pm10": 1.0}
TRUTH_RESOLUTION = {"pm25": 0.1, "pm10": 0.1, "temperature": 0.1, "humidity": 0.1, "noise": 0.1,
                    "illuminance": 1.0, "uv": 0.1, "wind_speed": 0.1, "no2": 0.0001, "o3": 0.0001}

#: Fault rates (share of sensor-days or readings), after research/data.md §5.5.
RATES = {
    "outage_days": 0.013,      # absent inside sensors' active span (real 1.3 %); median 4 days, p90 48
    "late_or_early": 0.10,     # sensors installed late or removed early (real grid: 3 % absent in all)
    "pm_zero_days": 0.03,      # raw PM exactly 0 (real 3.2 % PM2.5, 2.8 % PM10)
    "pm_zero_sensors": 0.36,   # ... all on these sensors (real: 36 % have any zero day)
    "pm_sentinel": 0.002,      # -999 (real 0.22 % of rows)
    "temp_spike_days": 0.00002,  # temperature > 50 °C on single sensors (none in the real file), besides ...
    "network_spike_share": 0.98,  # ... the network's glitch day (real: 841 of 861 sensors, 0.41 %)
    "temp_zero_days": 0.003,   # temperature and humidity exactly 0 (real 0.3 %) ...
    "temp_zero_sensors": 0.01,  # ... on about 1 % of sensors, for months (real: 6 of 861)
    # Sensors without T/RH on each of the network's two missing days, smaller share first. The
    # same units go silent (the second day's include the first's): in the real file 32 % and then
    # 40 % of the units lacked temperature on 29 and 30 November, and half the units miss no
    # temperature day at all; drawn independently, only 15 % of synthetic units missed none.
    "network_missing_shares": {"temperature": (0.32, 0.40), "humidity": (0.49, 0.69)},
    "th_sentinel": 0.0005,     # -40.0 °C with 100 %RH (developer notes, §1.3 of kits.md)
    "pm_spike": 0.0002,        # one-hour PM bursts (rarer than this would spoil the real daily r 0.94)
    "stuck_pm": 0.04,          # frozen PM runs, median 2 days (real: 10 % of consecutive sensor-days repeat)
    "stuck": 0.001,            # frozen temperature/humidity runs, median 12 h (real: 2 % of the
                               # units repeat a daily temperature on a day the network moved)
    "missing_hours": 0.004,    # single readings lost in transmission
    "lux_missing_sensors": 0.14, "lux_missing_days": 0.03, "lux_sentinel": 0.0002,
    "noise_missing_sensors": 0.07, "noise_missing_days": 0.015, "noise_zero_days": 0.011,
    "wind_reporting_sensors": 0.02,
    "network_fault_share": 0.99,  # real: every one of 849 units; here all but one in a hundred
    "ref_gaps_per_year": 6.0,  # reference gaps per instrument; median 8 h, p90 3 days
}


#: Issue 13 tuning (discriminator of ``discriminate.py``). PM2.5 units: one latent quality per
#: unit sets the size of its own daily error (quantiles of the real units' deviation from the
#: network median, less the spread the air itself has between districts), its persistence (the
#: share of slow error, interpolated over this range), its gain (poorer units read lower: real
#: Spearman gain / deviation SD -0.31) and its zero days (weight quality ** power).
OWN_SD_QUANTILES = ([0, .02, .05, .1, .2, .3, .4, .5, .6, .7, .8, .9, .95, .98, 1.0],
                    [0.02, 0.02, 0.03, 0.02, 0.02, 0.036, 0.126, 0.158, 0.28, 0.428, 0.639, 0.84, 1.081, 1.103, 1.401])
PM_SLOW_SHARE_RANGE = (0.05, 1.0)
PM_GAIN_QUALITY_LINK = 0.35
PM_ZERO_QUALITY_POWER = 3
#: Day-to-day response common to every unit (log SD); the co-located r depends on it.
PM_COMMON_RESPONSE_SD = 0.2
#: Spread of the units' response slope (log-log, around PM_RESPONSE_PIVOT µg/m³).
PM_RESPONSE_SLOPE_SD, PM_RESPONSE_PIVOT = 0.16, 15.0
#: Log-normal shape (sigma) of the units' own error, mirrored so the tail points low.
PM_OWN_SKEW = 0.4
#: Reference PM instruments' own day-to-day error (log SD, lag-1 0.5).
REFERENCE_PM_DAILY_SD = 0.12
#: Temperature: each unit's daily warm error is a slow AR(1) part (share drawn from
#: [TEMP_SLOW_SHARE_MIN, 1]) plus white days; its size is log-normal per unit.
TEMP_SLOW_SHARE_MIN, TEMP_SLOW_PHI, TEMP_DAY_SD, TEMP_DAY_SD_SPREAD = 0.9, 0.75, 0.3, 0.45
#: Temperature: each unit's steady warm offset, mean + scale * Student t(df): real units sit
#: close to the network median (IQR +-0.3 °C) with a few far off (5th percentile -1.0 °C).
TEMP_WARM_MEAN, TEMP_WARM_SCALE, TEMP_WARM_DF = 1.0, 0.25, 3.0
#: Humidity: the element's own error is a slow AR(1) part (share drawn from [RH_SLOW_SHARE_MIN,
#: 1]) plus white days (real deviation lag-1 median 0.455, IQR 0.37-0.54: at AR(1) 0.97 the
#: synthetic IQR was 0.31-0.59), and units far from the network's median offset are the
#: noisier ones (real Spearman |offset| / deviation SD 0.39). Daily size 1.2 %RH: deviation SD 1.88.
RH_SLOW_SHARE_MIN, RH_SLOW_PHI, RH_DAY_SD, RH_DAY_SD_SPREAD, RH_OFFSET_LINK = 0.8, 0.75, 1.2, 0.5, 0.6
#: Humidity elements read a few per cent high in proportion (|N(0, SD)|).
RH_SLOPE_SD = 0.02
#: Longest late start or early end of a unit (days, exclusive).
EDGE_MAX_DAYS = 81


def quantize(values: np.ndarray, resolution: float) -> np.ndarray:
    """Round to ``resolution`` and return float32 exactly as the bundled files rebuild it."""
    scale = np.float32(round(1.0 / resolution))
    # "+ 0.0" turns -0.0 into 0.0, as the integers in the bundled files do.
    return (np.round(np.asarray(values, dtype=np.float64) * float(scale)) + 0.0).astype(np.float32) / scale


def sample_gain(rng: np.random.Generator, n: int) -> np.ndarray:
    """Per-sensor raw PM gain drawn from the measured S-DoT quantiles."""
    return np.interp(rng.uniform(size=n), *GAIN_QUANTILES)


def _slow_and_white(rng, slow_share: np.ndarray, n_days: int, phi: float) -> np.ndarray:
    """Unit-variance daily error per unit: a slow AR(1) part (``slow_share`` of the variance) plus white days."""
    n = len(slow_share)
    return (np.sqrt(slow_share) * ar1(rng, (n, n_days), phi, 1.0)
            + np.sqrt(1.0 - slow_share) * rng.standard_normal((n, n_days)))


def _exactly(rng, n: int, share: float, at_least: int = 0) -> np.ndarray:
    """Mask choosing round(share * n) of n sensors, so small networks keep the real rate."""
    mask = np.zeros(n, dtype=bool)
    k = min(n, max(at_least, int(round(share * n))))
    mask[rng.choice(n, size=k, replace=False)] = True
    return mask


def _labels(shape, measured: bool = True) -> np.ndarray:
    return np.full(shape, code("none") if measured else code("not_measured"), dtype=np.int8)


def street_readings(rng: np.random.Generator, truth: dict[str, np.ndarray], clock, sun_clear: np.ndarray,
                    network_fault: np.ndarray, network_days: dict[str, np.ndarray]) -> tuple[dict, dict, dict]:
    """Raw street-sensor readings and labels from the clean truth (arrays ``(n, steps)``).

    ``sun_clear`` is sunshine 0..1 per step (warms the box); ``network_fault`` marks the steps
    of the network-wide humidity fault; ``network_days`` the day indices of the other
    network-wide events (``temperature_spike``, ``t_missing``, ``rh_missing``). Returns ``(values, labels, params)``.
    """
    # scipy.stats takes about two seconds to import: only making a city needs it, not load_city
    from scipy.stats import norm

    n, t = truth["pm25"].shape
    day = clock.day
    # Steps per hour, a fraction at coarser sampling (0.5 two-hourly), so runs keep their hours.
    sph = t / max(clock.n_days * 24, 1)
    values, labels = {}, {}

    # --- systematic sensor error -------------------------------------------------------------
    gain_z = rng.standard_normal(n)
    # One growth model for the curriculum (units.humidity_growth); units differ a little.
    kappa = SENSOR_KAPPA * rng.uniform(0.8, 1.2, n)
    offset = rng.normal(0.0, 0.3, n)
    drift_rate = np.where(rng.uniform(size=n) < 0.15, rng.choice([-1, 1], n) * rng.uniform(0.15, 0.5, n), 0.0)
    drift = 1.0 + drift_rate[:, None] * (clock.t_days / 365.0)[None, :]
    growth = humidity_growth(truth["humidity"], kappa[:, None])
    # Day-to-day response changes. Every unit is the same optical model, so most of it is
    # common to the network (the day's particle mix and humidity fool all of them alike): real
    # sensors follow the network median closely (daily r 0.94) but the beta-gauge stations
    # only loosely (co-located r 0.65).
    common = ar1(rng, clock.n_days, 0.7, 1.0)
    # Scaled to its stated size in every period, so the co-located r does not swing by seed.
    common = PM_COMMON_RESPONSE_SD * (common - common.mean()) / max(common.std(), 1e-9)
    # Each unit's own daily error. One latent quality rank per unit sets its size, persistence
    # and (below) its zero days, as in the real network, where the noisy units are the ones
    # whose error wanders slowly and that report zeros (Spearman with the error SD: lag-1 0.82,
    # zero share 0.75). Sizes follow the quantiles of the real units' deviations from the
    # network median, less the spread the air itself has between districts.
    # Stratified, so every network (and the co-located few) gets its share of each quality.
    quality = (rng.permutation(n) + rng.uniform(size=n)) / n
    own_sd = np.interp(quality, *OWN_SD_QUANTILES)
    slow_rank = norm.cdf(0.8 * norm.ppf(quality) + 0.6 * rng.standard_normal(n))
    slow_share = np.interp(slow_rank, [0.0, 1.0], PM_SLOW_SHARE_RANGE)[:, None]
    link = PM_GAIN_QUALITY_LINK
    gain = np.interp(norm.cdf(-link * norm.ppf(quality) + np.sqrt(1 - link ** 2) * gain_z), *GAIN_QUANTILES)
    own = (np.sqrt(slow_share) * ar1(rng, (n, clock.n_days), 0.95, 1.0)
           + np.sqrt(1.0 - slow_share) * ar1(rng, (n, clock.n_days), 0.15, 1.0))
    if PM_OWN_SKEW > 0:  # real noisy units drop low more than they jump high (skew -0.35)
        own = -(np.exp(PM_OWN_SKEW * own) - np.exp(PM_OWN_SKEW ** 2 / 2)) / np.sqrt(
            (np.exp(PM_OWN_SKEW ** 2) - 1) * np.exp(PM_OWN_SKEW ** 2))
    day_err = (common[None, :] + own * own_sd[:, None])[:, day]
    # Units differ in how steeply they respond: some read relatively high on polluted days, some
    # low (real units' log deviation against the log network median: slope IQR -0.07 to 0.09).
    slope = PM_RESPONSE_SLOPE_SD * rng.standard_normal(n)
    response = slope[:, None] * np.log(np.maximum(truth["pm25"], 1.0) / PM_RESPONSE_PIVOT)
    noise = np.exp(ar1(rng, (n, t), 0.7, 0.06) + day_err + response)
    pm25 = truth["pm25"] * gain[:, None] * drift * growth * noise + offset[:, None] + rng.normal(0, 0.4, (n, t))
    coarse = truth["pm10"] - truth["pm25"]
    gain10 = gain * np.exp(rng.normal(0.0, 0.1, n))
    pm10 = ((truth["pm25"] * growth + 0.55 * coarse) * 1.25 * gain10[:, None] * drift * noise
            + offset[:, None] + rng.normal(0, 1.5, (n, t)))
    values["pm25"] = quantize(np.maximum(pm25, 0.1), RESOLUTION["pm25"])
    values["pm10"] = quantize(np.maximum(pm10, values["pm25"]), RESOLUTION["pm10"])
    pm_label = _labels((n, t))
    pm_label[np.abs(drift - 1.0) > 0.10] = code("drift")
    pm_label[growth > 1.25] = code("humidity_artifact")
    labels["pm25"], labels["pm10"] = pm_label, pm_label.copy()

    warm = TEMP_WARM_MEAN + TEMP_WARM_SCALE * rng.standard_t(TEMP_WARM_DF, n)
    radiative = rng.uniform(0.5, 2.0, n)
    # Sun, wind and shade on the box vary from day to day (real daily deviations from the
    # network median: SD about 0.4 °C).
    t_slow = rng.uniform(TEMP_SLOW_SHARE_MIN, 1.0, (n, 1))
    t_day = (_slow_and_white(rng, t_slow, clock.n_days, TEMP_SLOW_PHI)
             * rng.lognormal(np.log(TEMP_DAY_SD), TEMP_DAY_SD_SPREAD, (n, 1)))
    t_bias = warm[:, None] + radiative[:, None] * sun_clear[None, :] + t_day[:, day]
    values["temperature"] = quantize(truth["temperature"] + t_bias + ar1(rng, (n, t), 0.5, 0.3), 0.1)
    labels["temperature"] = _labels((n, t))
    labels["temperature"][t_bias > 2.0] = code("warm_bias")
    dry = rng.gamma(4.0, 1.0, n)
    # A warmer box reads drier (about 1.5 %RH per °C of its own day-to-day warm error), and the
    # humidity element wanders slowly on its own (real deviation from the network: lag-1 0.46).
    rh_slow = rng.uniform(RH_SLOW_SHARE_MIN, 1.0, (n, 1))
    z_offset = norm.ppf((np.argsort(np.argsort(np.abs(dry - np.median(dry)))) + 0.5) / n)
    z_size = RH_OFFSET_LINK * z_offset + np.sqrt(1 - RH_OFFSET_LINK ** 2) * rng.standard_normal(n)
    rh_day = (_slow_and_white(rng, rh_slow, clock.n_days, RH_SLOW_PHI)
              * np.exp(np.log(RH_DAY_SD) + RH_DAY_SD_SPREAD * z_size)[:, None])
    rh_slope = np.abs(rng.normal(0.0, RH_SLOPE_SD, (n, 1)))
    values["humidity"] = quantize(np.clip(truth["humidity"] * (1 + rh_slope) - dry[:, None] - 1.5 * t_day[:, day] + rh_day[:, day]
                                         + rng.normal(0, 1.5, (n, t)), 0, 100), 1.0)
    labels["humidity"] = _labels((n, t))

    values["noise"] = quantize(truth["noise"] + rng.normal(0, 0.5, (n, t)), 1.0)
    labels["noise"] = _labels((n, t))
    values["illuminance"] = quantize(truth["illuminance"] * np.exp(rng.normal(0, 0.05, (n, t))), 1.0)
    labels["illuminance"] = _labels((n, t))
    values["uv"] = quantize(truth["uv"] * np.exp(rng.normal(0, 0.05, (n, t))), 0.1)
    labels["uv"] = _labels((n, t))

    reporting = _exactly(rng, n, RATES["wind_reporting_sensors"], at_least=1)
    wind = np.where(reporting[:, None], truth["wind_speed"] * np.exp(rng.normal(0, 0.1, (n, t))), 0.0)
    values["wind_speed"] = quantize(wind, 0.1)
    labels["wind_speed"] = _labels((n, t))
    labels["wind_speed"][~reporting] = code("not_reporting")

    # --- faults, in precedence order (a later fault overwrites value and label) --------------
    def apply(quantities, mask, value, label):
        for q in quantities:
            v = value(q) if callable(value) else value
            values[q][mask] = v if np.ndim(v) == 0 else v[mask]
            labels[q][mask] = code(label)

    n_days = clock.n_days
    per_day = lambda m: m[:, day]  # noqa: E731 - day mask to step mask

    for group, share, median, p90 in ((["pm25", "pm10"], RATES["stuck_pm"], 48, 168),
                                      (["temperature", "humidity"], RATES["stuck"], 12, 48)):
        mask = place_runs(rng, (n, t), share, median=median * sph, p90=p90 * sph, max_len=2 * p90 * sph)
        starts = run_starts(mask)
        rows = np.broadcast_to(np.arange(n)[:, None], (n, t))
        for q in group:
            held = values[q][rows[mask], starts[mask]]
            values[q][mask] = held
            labels[q][mask] = code("stuck")

    # Zero days sit in few sensors, as in the real network (36 % of sensors have any PM zero
    # day; runs median 1 day, p90 10; a temperature/humidity zero is a sensor dead for months).
    zero_share = prone_shares(rng, n, RATES["pm_zero_sensors"], RATES["pm_zero_days"], spread=1.4, weights=quality ** PM_ZERO_QUALITY_POWER)
    zero_pm = per_day(place_runs_by_row(rng, (n, n_days), zero_share, median=1.5, p90=10, max_len=140))
    apply(["pm25", "pm10"], zero_pm, 0.0, "zero")
    th_share = prone_shares(rng, n, RATES["temp_zero_sensors"], RATES["temp_zero_days"], spread=0.3)
    zero_th = per_day(place_runs_by_row(rng, (n, n_days), th_share, median=90, p90=120, max_len=150))
    apply(["temperature", "humidity"], zero_th, 0.0, "zero")
    zero_noise = per_day(place_runs(rng, (n, n_days), RATES["noise_zero_days"], median=2, p90=5, max_len=10))
    apply(["noise"], zero_noise, 0.0, "zero")

    spike_days = place_runs(rng, (n, n_days), RATES["temp_spike_days"], median=1, p90=1, max_len=1)
    # The real network had one glitch day when nearly every sensor reported 55-360 °C (3 April).
    spike_days[:, network_days["temperature_spike"]] |= (rng.uniform(size=n) < RATES["network_spike_share"])[:, None]
    level = rng.uniform(55.0, 360.0, (n, n_days))[:, day] * rng.uniform(0.9, 1.1, (n, t))
    apply(["temperature"], per_day(spike_days), quantize(level, 0.1), "spike")
    burst = rng.uniform(size=(n, t)) < RATES["pm_spike"]
    factor = rng.uniform(5.0, 30.0, (n, t))
    apply(["pm25", "pm10"], burst, lambda q: quantize(values[q] * factor + 100.0, RESOLUTION[q]), "spike")

    sentinel = place_runs(rng, (n, t), RATES["pm_sentinel"], median=3 * sph, p90=12 * sph, max_len=24 * sph)
    apply(["pm25", "pm10"], sentinel, -999.0, "sentinel")
    th_sentinel = place_runs(rng, (n, t), RATES["th_sentinel"], median=3 * sph, p90=12 * sph, max_len=24 * sph)
    apply(["temperature"], th_sentinel, np.float32(-40.0), "sentinel")
    apply(["humidity"], th_sentinel, 100.0, "sentinel")
    apply(["illuminance"], rng.uniform(size=(n, t)) < RATES["lux_sentinel"], -999.0, "sentinel")

    lost = rng.uniform(size=(n, t)) < RATES["missing_hours"]
    apply(["pm25", "pm10", "temperature", "humidity", "noise", "illuminance", "uv", "wind_speed"],
          lost, np.nan, "missing")
    no_lux = _exactly(rng, n, RATES["lux_missing_sensors"])
    lux_gap = per_day(place_runs(rng, (n, n_days), RATES["lux_missing_days"], median=4, p90=30, max_len=90))
    apply(["illuminance"], no_lux[:, None] | lux_gap, np.nan, "missing")
    no_noise = _exactly(rng, n, RATES["noise_missing_sensors"])
    noise_gap = per_day(place_runs(rng, (n, n_days), RATES["noise_missing_days"], median=4, p90=30, max_len=90))
    apply(["noise"], no_noise[:, None] | noise_gap, np.nan, "missing")

    # Whole days without temperature and humidity on part of the network (real: 1-2 such days).
    for q, days in (("temperature", network_days["t_missing"]), ("humidity", network_days["rh_missing"])):
        gone = np.zeros((n, n_days), dtype=bool)
        shares = np.asarray(RATES["network_missing_shares"][q][:len(days)])
        gone[:, days] = rng.uniform(size=(n, 1)) < shares[None, :]
        apply([q], per_day(gone), np.nan, "missing")

    # Exactly so many units stay unaffected (drawn by chance, a 100-unit network often kept none,
    # and lesson 04.4 asks whether the one that kept working can be trusted).
    affected = ~_exactly(rng, n, 1.0 - RATES["network_fault_share"], at_least=1)
    nf = affected[:, None] & network_fault[None, :]
    # The faulty firmware reported one network-wide level a day (2-6 %RH), a unit or so apart
    # between sensors, as the real daily file shows.
    level = rng.integers(2, 7, n_days)[day][None, :] + rng.integers(-1, 2, (n, t)) * (rng.uniform(size=(n, t)) < 0.2)
    apply(["humidity"], nf, np.clip(level, 2, 6).astype(np.float32), "network_fault")

    # Spread over all sensors: concentrating them (real: 15 % of sensors have any) merged runs
    # and doubled the median outage length, a compare statistic.
    outage = place_runs(rng, (n, n_days), RATES["outage_days"], median=4, p90=48, max_len=94, stratified=True)
    # Some sensors join the network late or leave it early (absent at one end of the period).
    edge = np.flatnonzero(rng.uniform(size=n) < RATES["late_or_early"])
    for i in edge:
        length = int(min(rng.integers(10, EDGE_MAX_DAYS), n_days - 1))
        if rng.uniform() < 0.5:
            outage[i, :length] = True
        else:
            outage[i, n_days - length:] = True
    outage = per_day(outage)
    apply(list(values), outage, np.nan, "outage")

    params = {"gain": gain, "kappa": kappa, "offset": offset, "drift_rate": drift_rate,
              "warm_bias": warm, "radiative_bias": radiative, "dry_bias": dry,
              "wind_reporting": reporting, "network_fault_affected": affected}
    return values, labels, params


def reference_readings(rng: np.random.Generator, truth: dict[str, np.ndarray], clock) -> tuple[dict, dict]:
    """Reference-station readings: the truth with small instrument noise and short gaps."""
    n, t = truth["pm25"].shape
    noise_sd = {"pm25": 1.5, "pm10": 2.5, "no2": 0.0008, "o3": 0.0008,
                "temperature": 0.1, "humidity": 1.0, "wind_speed": 0.1}
    values, labels = {}, {}
    for q, sd in noise_sd.items():
        v = truth[q] + rng.normal(0.0, sd, (n, t))
        v = np.maximum(v, 0.0) if q != "temperature" else v
        if q in ("pm25", "pm10"):
            v = v * np.exp(ar1(rng, (n, clock.n_days), 0.5, REFERENCE_PM_DAILY_SD)[:, clock.day])
        values[q] = quantize(np.minimum(v, 100.0) if q == "humidity" else v, REFERENCE_RESOLUTION.get(q, RESOLUTION[q]))
        labels[q] = _labels((n, t))
    # Instruments fail separately: PM2.5, PM10, the gas analysers, the weather mast.
    share = RATES["ref_gaps_per_year"] * 12.3 / 8760.0
    for group in (["pm25"], ["pm10"], ["no2", "o3"], ["temperature", "humidity", "wind_speed"]):
        steps_per_hour = t / max(clock.n_days * 24, 1)  # a fraction at coarser sampling, as above
        gap = place_runs(rng, (n, t), share, median=8 * steps_per_hour, p90=72 * steps_per_hour,
                         max_len=53 * 24 * steps_per_hour)
        for q in group:
            values[q][gap] = np.nan
            labels[q][gap] = code("missing")
    return values, labels
