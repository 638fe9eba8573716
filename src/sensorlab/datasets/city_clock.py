"""The time axis of the synthetic city, and the small building blocks every field shares.

The city is generated as daily latent processes (weather regimes, pollution episodes) that are
interpolated to the requested sampling and given their diurnal shapes. :class:`Clock` holds the
calendar of one run so every module reads hour of day, month and weekday the same way.

Examples
--------
>>> clock = Clock.build("2024-01-01", "2024-01-02", "1h")
>>> clock.n, clock.n_days, float(clock.hour[9]), int(clock.month[0])
(48, 2, 9.0, 1)
>>> curve = monthly_curve([10.0] * 12, clock)
>>> bool(np.allclose(curve, 10.0))
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from sensorlab.datasets.base import SEOUL_TZ

SEOUL_LAT = 37.55
SEOUL_LON = 126.99


@dataclass
class Clock:
    """Calendar of one generated period (all arrays have one entry per time step)."""

    times: pd.DatetimeIndex
    hour: np.ndarray        # local clock hour as a float (9.5 = 09:30 KST)
    day: np.ndarray         # index of the local day, 0 = first day
    t_days: np.ndarray      # time since the first local midnight, in days
    month: np.ndarray       # 1..12
    weekday: np.ndarray     # 0 = Monday ... 6 = Sunday
    doy: np.ndarray         # day of year, 1..366
    days: pd.DatetimeIndex  # the local days covered (midnights)

    @property
    def n(self) -> int:
        return len(self.times)

    @property
    def n_days(self) -> int:
        return len(self.days)

    @classmethod
    def build(cls, start, end, freq="1h") -> Clock:
        """Time steps from ``start`` 00:00 to the end of day ``end`` (inclusive), Seoul time."""
        start_ts, end_ts = parse_date(start, "start"), parse_date(end, "end")
        _step(freq)  # named before anything is drawn: "-1h" or "1W" would fail deep inside
        start_ts = start_ts.tz_localize(SEOUL_TZ) if start_ts.tzinfo is None else start_ts.tz_convert(SEOUL_TZ)
        end_ts = end_ts.tz_localize(SEOUL_TZ) if end_ts.tzinfo is None else end_ts.tz_convert(SEOUL_TZ)
        start_ts = start_ts.normalize()
        stop = end_ts.normalize() + pd.Timedelta(days=1)
        if stop <= start_ts:
            raise ValueError(f"end {end!r} is before start {start!r}")
        times = pd.date_range(start_ts, stop, freq=freq, inclusive="left", name="timestamp")
        days = pd.date_range(start_ts, stop, freq="1D", inclusive="left")
        elapsed = (times - start_ts).total_seconds().to_numpy() / 86400.0
        day = np.floor(elapsed).astype(np.int64)
        return cls(times=times, hour=(elapsed - day) * 24.0, day=day, t_days=elapsed,
                   month=times.month.to_numpy(), weekday=times.day_of_week.to_numpy(),
                   doy=times.day_of_year.to_numpy(), days=days)

    def daily_to_steps(self, values: np.ndarray) -> np.ndarray:
        """Linearly interpolate daily values (last axis = days, at noon) to every time step."""
        centres = np.arange(self.n_days) + 0.5
        values = np.asarray(values, dtype=float)
        if values.ndim == 1:
            return np.interp(self.t_days, centres, values)
        flat = values.reshape(-1, values.shape[-1])
        out = np.stack([np.interp(self.t_days, centres, row) for row in flat])
        return out.reshape(values.shape[:-1] + (self.n,))


def parse_date(value, what: str, message: str = "datasets.city_bad_date") -> pd.Timestamp:
    """``value`` as a Timestamp; a number or a string without a year is a mistake, not a date.

    pandas reads 20240401 as nanoseconds after 1970 (a city of 54 years) and "April" as a day
    of 1908: both are named instead, with ``message`` (``make_city``'s wording by default,
    ``load_city`` passes its own).
    """
    from sensorlab import messages
    from sensorlab.errors import ArgumentError

    bad = ArgumentError(messages.text(message, what=what, value=repr(value)))
    if isinstance(value, bool | int | float | np.number) or isinstance(value, str) and not re.search(r"\d{4}", value):
        raise bad
    try:
        day = pd.Timestamp(value)
    except (ValueError, TypeError) as error:
        raise bad from error
    if pd.isna(day):
        raise bad
    return day


def _step(freq) -> pd.Timedelta:
    """The sampling interval ``freq``: a fixed duration from 1 second to 1 day, else named."""
    from sensorlab import messages
    from sensorlab.errors import ArgumentError

    bad = ArgumentError(messages.text("datasets.city_bad_freq", value=repr(freq)))
    try:
        step = pd.Timedelta(to_offset(freq))
    except (ValueError, TypeError) as error:
        raise bad from error
    if not pd.Timedelta(seconds=1) <= step <= pd.Timedelta(days=1):
        raise bad
    return step


def monthly_curve(monthly: list[float] | np.ndarray, clock: Clock, iterations: int = 4) -> np.ndarray:
    """A smooth daily curve whose calendar-month means equal ``monthly`` (Jan..Dec), per day.

    Plain interpolation between mid-month values flattens the extremes (January would come
    out warmer than its mean), so the mid-month nodes are nudged until the means agree.
    """
    monthly = np.asarray(monthly, dtype=float)
    day_month = clock.days.month.to_numpy() - 1
    # Nodes on a three-year periodic axis so December and January join smoothly.
    day_pos = (clock.days.day_of_year.to_numpy() - 0.5) / 365.25 * 12.0
    node_pos = np.arange(-12, 24) + 0.5
    nodes = monthly.copy()
    for _ in range(iterations):
        curve = np.interp(day_pos, node_pos, np.tile(nodes, 3))
        present = np.unique(day_month)
        for m in present:
            nodes[m] += monthly[m] - curve[day_month == m].mean()
    return np.interp(day_pos, node_pos, np.tile(nodes, 3))


def ar1(rng: np.random.Generator, shape, phi: float, sd: float | np.ndarray) -> np.ndarray:
    """Stationary AR(1) series along the last axis with marginal standard deviation ``sd``."""
    shape = tuple(np.atleast_1d(shape))
    eps = rng.standard_normal(shape)
    out = np.empty(shape)
    out[..., 0] = eps[..., 0]
    if shape[-1] < 2:
        return out * sd
    innov = np.sqrt(1.0 - phi * phi)
    # A python loop over time steps would be slow for hourly data; lfilter runs it in C.
    from scipy.signal import lfilter
    out[..., 1:] = lfilter([innov], [1.0, -phi], eps[..., 1:], axis=-1,
                           zi=(phi * eps[..., :1]))[0]
    return out * sd


def diurnal_shape(hour: np.ndarray, t_min: float | np.ndarray, t_max: float | np.ndarray) -> np.ndarray:
    """A daily cycle from -1 (at ``t_min`` h) to +1 (at ``t_max`` h), cosine-shaped, asymmetric.

    The rise (morning to afternoon) is faster than the fall (evening and night), as for
    temperature and ozone.
    """
    rise = np.asarray(t_max - t_min, dtype=float)
    h = (hour - t_min) % 24.0
    rising = h <= rise
    out = np.where(rising, -np.cos(np.pi * h / rise), np.cos(np.pi * (h - rise) / (24.0 - rise)))
    return out


def solar_elevation_sin(clock: Clock, lat: float = SEOUL_LAT, lon: float = SEOUL_LON) -> np.ndarray:
    """Sine of the sun's elevation over Seoul at every step (negative at night)."""
    decl = np.deg2rad(23.44) * np.sin(2 * np.pi * (284 + clock.doy) / 365.0)
    solar_hour = clock.hour + (lon - 135.0) / 15.0  # KST is the 135° E meridian
    angle = np.deg2rad(15.0 * (solar_hour - 12.0))
    phi = np.deg2rad(lat)
    return np.sin(phi) * np.sin(decl) + np.cos(phi) * np.cos(decl) * np.cos(angle)
