"""Find faulty sensor readings and flag them, never delete them.

Every ``flag_*`` function answers one question about a series of readings ("is this value
outside what the sensor can measure?", "is it a spike?") with a boolean Series of the same
index, ``True`` where the reading looks faulty. Nothing is removed: a flag can be inspected,
counted, scored against the truth and undone. :func:`flag_all` combines the checks into one
label per reading (``"none"``, ``"sentinel"``, ``"spike"`` ...), :func:`score_flags` compares
such labels with the truth of the synthetic city (:mod:`sensorlab.flag_scores`, re-exported
here), and :func:`mask_flagged` turns flagged
values into ``NaN`` only when a later step (a mean, a plot) needs that.

Examples
--------
One street sensor's PM2.5, hour by hour:

>>> import pandas as pd
>>> pm = pd.Series([12.0, 13.0, -999.0, 14.0, 0.0, 15.0, 240.0, 14.0, 13.0, 12.0])
>>> flag_sentinels(pm).tolist()
[False, False, True, False, False, False, False, False, False, False]
>>> flag_zeros(pm).tolist()
[False, False, False, False, True, False, False, False, False, False]
>>> flag_spikes(pm.where(pm > 0)).tolist()
[False, False, False, False, False, False, True, False, False, False]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# scoring flags against the truth is its own module; lessons find it here too
from sensorlab.flag_scores import compare_flags, score_flags  # noqa: F401

__all__ = [
    "SENSOR_RANGES", "SEOUL_RANGES", "SENTINELS", "SENSOR_SENTINELS", "FAULT_ORDER", "sensor_dictionary",
    "flag_missing", "flag_out_of_range", "flag_sentinels", "flag_zeros", "flag_spikes",
    "flag_stuck", "flag_network_fault", "flag_all", "score_flags", "compare_flags", "mask_flagged",
    "resample_with_gaps", "robust_scale", "fault_names",
]

#: What each sensor can physically report, as ``(low, high)`` in the unit of ``UNITS``.
#: Street sensors: the S-DoT field dictionary (sensor_data_information.csv, "표현범위");
#: gases: the full scale of the reference analysers; humidity: the definition of %RH.
SENSOR_RANGES: dict[str, tuple[float, float]] = {
    "pm25": (0.0, 1500.0),
    "pm10": (0.0, 1500.0),
    "temperature": (-50.0, 80.0),
    "humidity": (0.0, 100.0),
    "noise": (35.0, 85.0),
    "illuminance": (0.0, 120_000.0),
    "uv": (0.0, 16.0),
    "wind_speed": (0.0, 100.0),
    "no2": (0.0, 1.0),
    "o3": (0.0, 1.0),
}

#: What is plausible in Seoul's climate, tighter than what the sensor can report. Temperature:
#: Seoul's records are -23.1 °C (1927) and 39.6 °C (2018), plus a few degrees for a sunny
#: street box; humidity: the driest hour of Seoul's 2018 weather record was 10 %RH.
SEOUL_RANGES: dict[str, tuple[float, float]] = {
    "temperature": (-25.0, 45.0),
    "humidity": (10.0, 100.0),
}

#: Numbers loggers write when they have no value: S-DoT's ``-999`` and its longer cousin.
SENTINELS: tuple[float, ...] = (-999.0, -9999.0)

#: Extra error codes of particular sensors: a temperature/humidity chip that lost contact
#: reports its lowest possible temperature, -40.0 °C (and 100 %RH with it).
SENSOR_SENTINELS: dict[str, tuple[float, ...]] = {"temperature": (-40.0,)}

#: When several checks fire on one reading, the first in this order names it.
FAULT_ORDER: tuple[str, ...] = ("missing", "sentinel", "zero", "network_fault", "out_of_range",
                                "stuck", "spike")

_MAD_TO_SD = 1.4826  # MAD x 1.4826 estimates the standard deviation of normal noise


def fault_names(kinds, lang: str | None = None) -> list[str]:
    """Names of fault labels for a student to read, in the notebook's language.

    Labels such as ``"spike"`` stay the same in code and tables; figures show them through
    this function so a Korean notebook reads 튀는 값. Unknown labels come back unchanged.

    Examples
    --------
    >>> fault_names(["spike", "stuck", "no_such_label"], lang="en")
    ['spike', 'stuck', 'no_such_label']
    >>> fault_names(["spike", "sentinel"], lang="ko")
    ['튀는 값', '센티널 값']
    """
    from sensorlab import messages

    names = []
    for kind in kinds:
        key = f"m04.fault.{kind}"
        names.append(messages.text(key, lang=lang) if key in messages.catalogue() else str(kind))
    return names


def sensor_dictionary() -> pd.DataFrame:
    """The sensor dictionary as a table: quantity, unit, lowest and highest possible value.

    Returns
    -------
    pandas.DataFrame
        Columns ``quantity``, ``unit``, ``low``, ``high``; one row per entry of
        :data:`SENSOR_RANGES`.

    Examples
    --------
    >>> d = sensor_dictionary()
    >>> d[d["quantity"] == "noise"].to_dict("records")
    [{'quantity': 'noise', 'unit': 'dB(A)', 'low': 35.0, 'high': 85.0}]
    """
    from sensorlab.datasets.base import UNITS

    rows = [(q, UNITS[q], lo, hi) for q, (lo, hi) in SENSOR_RANGES.items()]
    return pd.DataFrame(rows, columns=["quantity", "unit", "low", "high"])


def _as_float(series) -> pd.Series:
    s = pd.Series(series)
    return pd.to_numeric(s, errors="coerce").astype("float64")


def flag_missing(series) -> pd.Series:
    """Flag readings that have no value (``NaN``).

    Examples
    --------
    >>> flag_missing(pd.Series([1.0, None, 3.0])).tolist()
    [False, True, False]
    """
    return _as_float(series).isna()


def flag_out_of_range(series, quantity: str | None = None, *, low: float | None = None,
                      high: float | None = None, ranges: dict | None = None) -> pd.Series:
    """Flag readings outside what the sensor can report.

    Parameters
    ----------
    series : pandas.Series
        Readings of one quantity.
    quantity : str, optional
        Name of the quantity (``"temperature"`` ...); its range comes from :data:`SENSOR_RANGES`.
    low, high : float, optional
        Override the dictionary's limits (both are inclusive: a value equal to ``high`` is fine).
    ranges : dict, optional
        The dictionary to look ``quantity`` up in: :data:`SENSOR_RANGES` (default, what the
        sensor can report) or :data:`SEOUL_RANGES` (what Seoul's weather can do).

    Returns
    -------
    pandas.Series of bool
        ``True`` below ``low`` or above ``high``. Missing values are not flagged here.

    Examples
    --------
    >>> t = pd.Series([21.5, 353.4, -60.0, None])
    >>> flag_out_of_range(t, "temperature").tolist()
    [False, True, True, False]
    >>> flag_out_of_range(pd.Series([21.5, 62.0]), "temperature", ranges=SEOUL_RANGES).tolist()
    [False, True]
    >>> flag_out_of_range(t, low=0, high=30).tolist()
    [False, True, True, False]
    """
    ranges = SENSOR_RANGES if ranges is None else ranges
    if quantity is not None:
        if quantity not in ranges:
            known = ", ".join(ranges)
            raise KeyError(f"no range for quantity {quantity!r} in the dictionary; known: {known}")
        dict_low, dict_high = ranges[quantity]
        low = dict_low if low is None else low
        high = dict_high if high is None else high
    if low is None and high is None:
        raise ValueError("give a quantity from the sensor dictionary, or low= and/or high=")
    s = _as_float(series)
    below = s < low if low is not None else pd.Series(False, index=s.index)
    above = s > high if high is not None else pd.Series(False, index=s.index)
    return below | above


def flag_sentinels(series, sentinels=SENTINELS) -> pd.Series:
    """Flag placeholder numbers such as ``-999`` that mean "no value".

    Examples
    --------
    >>> flag_sentinels(pd.Series([5.0, -999.0, -40.0])).tolist()
    [False, True, False]
    >>> flag_sentinels(pd.Series([5.0, -999.0, -40.0]), sentinels=[-40]).tolist()
    [False, False, True]
    """
    return _as_float(series).isin([float(v) for v in sentinels])


def flag_zeros(series) -> pd.Series:
    """Flag readings that are exactly zero.

    A dead particle counter or a reset humidity chip reports ``0``; real Seoul air never has
    exactly 0 µg/m³ of PM2.5 or 0 %RH. (For quantities where zero is normal, such as
    illuminance at night or wind speed, do not use this check.)

    Examples
    --------
    >>> flag_zeros(pd.Series([0.0, 0.4, None])).tolist()
    [True, False, False]
    """
    return _as_float(series).eq(0.0)


def robust_scale(values) -> float:
    """The spread of ``values`` measured by the median absolute deviation, scaled to an SD.

    Unlike the standard deviation, a few wild values barely move it.

    Examples
    --------
    >>> robust_scale([10, 11, 9, 10, 1000])
    1.4826
    """
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if v.size == 0:
        return float("nan")
    return float(_MAD_TO_SD * np.median(np.abs(v - np.median(v))))


def flag_spikes(series, window: int = 5, n_mad: float = 8.0, min_scale: float | None = None) -> pd.Series:
    """Flag short spikes: readings far from the median of their neighbours (a Hampel filter).

    For each reading, take the ``window`` readings centred on it, their median ``m`` and their
    spread ``s`` (the median absolute deviation from ``m``, x 1.4826 so it estimates a standard
    deviation). The reading is a spike when it lies more than ``n_mad * s`` from ``m``.

    Parameters
    ----------
    series : pandas.Series
        One sensor's readings in time order (one site only; see :func:`flag_all` for a table).
    window : int
        Odd number of readings in the moving window (5 = the reading and two on each side).
        A spike must be shorter than half the window to be caught.
    n_mad : float
        How many spreads away counts as a spike; larger flags fewer readings.
    min_scale : float, optional
        Smallest spread used, in the quantity's unit, so a flat stretch (spread 0) does not
        turn every small wiggle into a spike. Default: the noise implied by the typical change
        from one reading to the next over the whole series (median absolute step x 1.4826 / √2).

    Returns
    -------
    pandas.Series of bool

    Examples
    --------
    >>> s = pd.Series([20.0, 21.0, 20.5, 95.0, 21.5, 22.0, 21.0])
    >>> flag_spikes(s, window=5).tolist()
    [False, False, False, True, False, False, False]
    """
    if window < 3 or window % 2 == 0:
        raise ValueError(f"window must be an odd number of at least 3 readings, got {window}")
    s = _as_float(series)
    values = s.to_numpy()
    half = window // 2
    padded = np.concatenate([np.full(half, np.nan), values, np.full(half, np.nan)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, window)
    med = _window_median(windows)
    mad = _window_median(np.abs(windows - med[:, None]))  # Hampel: spread around this window's median
    if min_scale is None:
        min_scale = _step_noise(values)
    scale = np.fmax(_MAD_TO_SD * mad, min_scale)
    with np.errstate(invalid="ignore"):
        spike = np.abs(values - med) > n_mad * scale
    return pd.Series(spike & ~np.isnan(values), index=s.index)


def _step_noise(values: np.ndarray) -> float:
    """The typical change from one reading to the next, as a noise SD (at least the resolution)."""
    steps = np.abs(np.diff(values[~np.isnan(values)]))
    if steps.size == 0:
        return 1e-9
    typical = np.median(steps)
    if typical == 0:  # a flat, rounded series: use its resolution, the smallest step it takes
        typical = steps[steps > 0].min() if (steps > 0).any() else 1e-9
    # for noise of SD s, neighbours differ by s * sqrt(2) * 0.6745 in the median
    return float(_MAD_TO_SD * typical / np.sqrt(2))


def _window_median(windows: np.ndarray) -> np.ndarray:
    """Median of each row, skipping NaN (NaN for an all-NaN row); sorting is fast for short rows."""
    ordered = np.sort(windows, axis=1)  # NaN sort to the end
    count = (~np.isnan(windows)).sum(axis=1)
    rows = np.arange(len(windows))
    low = ordered[rows, np.maximum(count - 1, 0) // 2]
    high = ordered[rows, np.where(count > 0, count // 2, 0)]
    result = (low + high) / 2
    result[count == 0] = np.nan
    return result


def flag_stuck(series, min_run: int = 6, tolerance: float = 0.0, include_first: bool = False) -> pd.Series:
    """Flag a sensor that repeats the same value for too long (it has stopped measuring).

    Parameters
    ----------
    series : pandas.Series
        One sensor's readings in time order.
    min_run : int
        A run of at least this many equal readings in a row is stuck.
    tolerance : float
        Readings closer than this to the previous one count as equal.
    include_first : bool
        Also flag the first reading of the run. It is usually a genuine last measurement
        that the sensor then kept repeating, so by default only the repeats are flagged.

    Returns
    -------
    pandas.Series of bool

    Examples
    --------
    >>> s = pd.Series([3.0, 4.0, 4.0, 4.0, 4.0, 5.0, 5.0])
    >>> flag_stuck(s, min_run=4).tolist()
    [False, False, True, True, True, False, False]
    >>> flag_stuck(s, min_run=4, include_first=True).tolist()
    [False, True, True, True, True, False, False]
    """
    if min_run < 2:
        raise ValueError(f"min_run must be at least 2 readings, got {min_run}")
    s = _as_float(series)
    values = s.to_numpy()
    same = np.zeros(len(values), dtype=bool)
    if len(values) > 1:
        with np.errstate(invalid="ignore"):
            same[1:] = np.abs(np.diff(values)) <= tolerance
    run_id = np.cumsum(~same)  # a new run starts wherever a reading differs from the one before
    run_len = pd.Series(run_id).map(pd.Series(run_id).value_counts()).to_numpy()
    stuck = (run_len >= min_run) & ~np.isnan(values)
    if not include_first:
        stuck &= same
    return pd.Series(stuck, index=s.index)


def _time_codes(stamps: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Group number of each timestamp (-1 for none) and the distinct timestamps, in time order.

    By sorting the distinct instants and searching them, not by a hash table: a hash table
    sized for a million readings is about 50 MB in a student's kernel.
    """
    if not pd.api.types.is_datetime64_any_dtype(stamps):
        return pd.factorize(stamps)
    ticks = stamps.array.asi8 if hasattr(stamps.array, "asi8") else stamps.to_numpy().view("i8")
    timed = stamps.notna().to_numpy()
    uniques = np.unique(ticks[timed])
    codes = np.full(len(ticks), -1, dtype=np.int64)
    codes[timed] = np.searchsorted(uniques, ticks[timed])
    return codes, uniques


def flag_network_fault(frame: pd.DataFrame, quantity: str, *, low: float | None = None,
                       high: float | None = None, share: float = 0.5, min_sites: int = 3,
                       site_ids=None) -> pd.Series:
    """Flag readings taken while many sensors went wrong together (a network-wide fault).

    A reading is *implausible* when it lies outside ``[low, high]`` (by default the Seoul
    range of the quantity, else the sensor range). One implausible box is a broken box; when
    at least ``share`` of the sensors reporting at one timestamp are implausible together,
    the cause is the network (firmware, server, a bad batch), and their implausible readings
    at that timestamp are flagged. A sensor that kept working is not flagged.

    Parameters
    ----------
    frame : pandas.DataFrame
        Tidy readings with ``timestamp``, ``site_id`` and the ``quantity`` column.
    quantity : str
        Column to check (``"humidity"`` for S-DoT's April 2020 fault).
    low, high : float, optional
        Plausible band; default from :data:`SEOUL_RANGES`, else :data:`SENSOR_RANGES`.
    share : float
        Fraction of reporting sensors that must be implausible at once.
    min_sites : int
        Ignore timestamps with fewer reporting sensors than this.
    site_ids : list of str, optional
        Only these sites take part (e.g. the street sensors); the others are never flagged.

    Returns
    -------
    pandas.Series of bool
        Indexed like ``frame``.

    Examples
    --------
    Four sensors read about 60 %RH, then three of them read 4 %RH at the same time:

    >>> ts = pd.date_range("2020-04-01", periods=3, freq="1D", tz="Asia/Seoul")
    >>> rh = [60, 62, 58, 61,  59, 63, 57, 60,  4, 3, 5, 61]
    >>> frame = pd.DataFrame({"timestamp": ts.repeat(4), "site_id": ["a", "b", "c", "d"] * 3,
    ...                       "humidity": rh})
    >>> flag_network_fault(frame, "humidity").tolist()[-4:]
    [True, True, True, False]
    """
    for column in ("timestamp", "site_id", quantity):
        if column not in frame.columns:
            raise KeyError(f"flag_network_fault needs a {column!r} column; the table has {list(frame.columns)}")
    ranges = SEOUL_RANGES if quantity in SEOUL_RANGES else SENSOR_RANGES
    if low is None and high is None and quantity not in ranges:
        raise KeyError(f"no plausible range for {quantity!r}; give low= and/or high=")
    default_low, default_high = ranges.get(quantity, (None, None))
    low = default_low if low is None else low
    high = default_high if high is None else high
    values = _as_float(frame[quantity])
    taking_part = (frame["site_id"].isin(site_ids) if site_ids is not None
                   else pd.Series(True, index=frame.index))
    implausible = flag_out_of_range(values, low=low, high=high) & taking_part
    reporting = values.notna() & taking_part
    # counts per timestamp by bincount over the timestamps' codes: a groupby-transform of the
    # whole table would hold several full-length copies at once
    codes, uniques = _time_codes(frame["timestamp"])
    timed = codes >= 0  # a row without a timestamp is in no group
    n_implausible = np.bincount(codes[timed], weights=implausible.to_numpy()[timed], minlength=len(uniques))
    n_reporting = np.bincount(codes[timed], weights=reporting.to_numpy()[timed], minlength=len(uniques))
    down = (n_reporting >= min_sites) & (n_implausible >= share * n_reporting)
    network_down = np.zeros(len(frame), dtype=bool)
    network_down[timed] = down[codes[timed]]
    return pd.Series(network_down, index=frame.index) & implausible.astype(bool)


def flag_all(readings: pd.DataFrame, quantities=None, *, sites: pd.DataFrame | None = None,
             spike_window: int = 5, n_mad: float = 8.0, stuck_run: int = 6,
             network_share: float = 0.5) -> pd.DataFrame:
    """Run every check on every quantity and name the fault of each reading.

    Checks run per site in time order:

    1. ``missing``: no value.
    2. ``sentinel``: an error code (:data:`SENTINELS`, :data:`SENSOR_SENTINELS`; humidity
       beside a -40.0 °C temperature).
    3. ``zero``: exactly 0 where outdoor air cannot be 0 (PM, humidity, noise; temperature
       only when the humidity beside it is 0 too).
    4. ``network_fault``: :func:`flag_network_fault` (street sensors only, if ``sites`` is given).
    5. ``out_of_range``: outside :data:`SEOUL_RANGES` or else :data:`SENSOR_RANGES`.
    6. ``stuck`` (:func:`flag_stuck`; not for light and UV, which sit at their night level) and
    7. ``spike`` (:func:`flag_spikes`; not for light, UV and wind, which jump by nature),
       on what is left.

    Where several checks fire, the first in this list (:data:`FAULT_ORDER`) names the reading.

    Parameters
    ----------
    readings : pandas.DataFrame
        Tidy readings (``timestamp``, ``site_id``, one column per quantity).
    quantities : list of str, optional
        Columns to check; default every column found in :data:`SENSOR_RANGES`.
    sites : pandas.DataFrame, optional
        The sites table; when given, only street sensors (``kind != "reference"``) take part
        in the network-fault check.
    spike_window, n_mad, stuck_run, network_share
        Passed to :func:`flag_spikes`, :func:`flag_stuck` and :func:`flag_network_fault`.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``readings``; one column ``fault_<quantity>`` of labels from
        ``"none"`` and :data:`FAULT_ORDER`.

    Examples
    --------
    >>> ts = pd.date_range("2024-05-01", periods=8, freq="1h", tz="Asia/Seoul")
    >>> r = pd.DataFrame({"timestamp": ts, "site_id": "sdot-101-01",
    ...                   "pm25": [11.0, 12.0, -999.0, 14.0, 0.0, 13.0, None, 12.0]})
    >>> flag_all(r)["fault_pm25"].tolist()
    ['none', 'none', 'sentinel', 'none', 'zero', 'none', 'missing', 'none']
    """
    if quantities is None:
        quantities = [q for q in readings.columns if q in SENSOR_RANGES]
    for q in quantities:
        if q not in readings.columns:
            raise KeyError(f"no column {q!r} in the readings; columns are {list(readings.columns)}")
    # positional index: labels go back to the readings' order by position, not by a hash lookup
    used = ["timestamp", "site_id", *dict.fromkeys([*quantities, *(c for c in ("temperature", "humidity")
                                                                   if c in readings.columns)])]
    ordered = readings[used].reset_index(drop=True).sort_values(["site_id", "timestamp"], kind="stable")
    back = ordered.index.to_numpy()
    street = None
    if sites is not None:
        street = sites.loc[sites["kind"] != "reference", "site_id"].tolist()
    ranges = {**SENSOR_RANGES, **SEOUL_RANGES}
    none = pd.Series(False, index=ordered.index)
    result = pd.DataFrame(index=readings.index)
    for q in quantities:
        raw = _as_float(ordered[q])
        checks = {"missing": raw.isna(),
                  "sentinel": flag_sentinels(raw, SENTINELS + SENSOR_SENTINELS.get(q, ()))}
        if q == "humidity" and "temperature" in ordered.columns:
            checks["sentinel"] |= _as_float(ordered["temperature"]).eq(-40.0)
        if q in _ZERO_IS_FAULT:
            checks["zero"] = flag_zeros(raw)
        elif q == "temperature" and "humidity" in ordered.columns:
            checks["zero"] = flag_zeros(raw) & _as_float(ordered["humidity"]).eq(0.0)
        else:
            checks["zero"] = none
        usable = raw.where(~(checks["missing"] | checks["sentinel"] | checks["zero"]))
        del raw  # a float64 copy of the column: gone before the network-fault check's tables
        if q in ranges:
            frame = pd.DataFrame({"timestamp": ordered["timestamp"], "site_id": ordered["site_id"], q: usable})
            checks["network_fault"] = flag_network_fault(frame, q, low=ranges[q][0], high=ranges[q][1],
                                                         share=network_share, site_ids=street)
            checks["out_of_range"] = flag_out_of_range(usable, q, ranges=ranges)
            del frame
        else:
            checks["network_fault"] = checks["out_of_range"] = none
        usable = usable.where(~(checks["network_fault"] | checks["out_of_range"]))
        by_site = usable.groupby(ordered["site_id"], sort=False)
        if q in _RUNS_ARE_NORMAL:
            checks["stuck"] = none
        else:
            checks["stuck"] = by_site.transform(
                lambda s: flag_stuck(s, min_run=stuck_run, include_first=True)).astype(bool)
        if q in _JUMPS_ARE_NORMAL:
            checks["spike"] = none
        else:
            checks["spike"] = by_site.transform(lambda s: flag_spikes(s, window=spike_window, n_mad=n_mad)).astype(bool)
        # one byte per reading while labelling (an array of Python strings is 8 bytes a reading,
        # and pandas then copies it into its string type): the class's kernels share one server
        codes = np.zeros(len(ordered), dtype=np.int8)
        for code in range(len(FAULT_ORDER), 0, -1):  # earlier kinds overwrite later ones
            codes[checks[FAULT_ORDER[code - 1]].to_numpy()] = code
        in_order = np.empty_like(codes)
        in_order[back] = codes
        result[f"fault_{q}"] = _labels(in_order, ["none", *FAULT_ORDER], readings.index)
    return result


def _labels(codes: np.ndarray, names: list[str], index: pd.Index) -> pd.Series:
    """Label strings from int8 codes, in pandas' string type, built by Arrow without a Python string each."""
    import pyarrow as pa

    strings = pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(names, pa.large_string()))
    return pd.Series(pd.array(strings.cast(pa.large_string()), dtype=pd.StringDtype("pyarrow", na_value=np.nan)),
                     index=index)


_ZERO_IS_FAULT = {"pm25", "pm10", "humidity", "noise"}
_RUNS_ARE_NORMAL = {"illuminance", "uv"}  # a light sensor sits at its night level for hours
_JUMPS_ARE_NORMAL = {"illuminance", "uv", "wind_speed"}  # sunrise and gusts jump by nature


def mask_flagged(readings: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``readings`` where every flagged value is ``NaN``; rows are kept.

    Parameters
    ----------
    readings : pandas.DataFrame
        Tidy readings.
    flags : pandas.DataFrame
        Labels from :func:`flag_all` (``fault_<quantity>`` columns) or booleans with the
        quantity names as columns.

    Examples
    --------
    >>> r = pd.DataFrame({"site_id": ["a", "a"], "pm25": [-999.0, 12.0]})
    >>> labels = pd.DataFrame({"fault_pm25": ["sentinel", "none"]})
    >>> mask_flagged(r, labels)["pm25"].tolist()
    [nan, 12.0]
    """
    out = readings.copy(deep=False)  # copy-on-write: only the masked columns become new arrays
    for column in flags.columns:
        q = column.removeprefix("fault_")
        if q not in out.columns:
            continue
        flagged = flags[column]
        bad = flagged.astype(bool) if flagged.dtype == bool else flagged.astype(str).ne("none")
        out.loc[bad.to_numpy(), q] = np.nan
    return out


def resample_with_gaps(readings: pd.DataFrame, freq: str = "1D", quantities=None,
                       min_coverage: float = 0.75) -> pd.DataFrame:
    """Average readings into longer steps per site, keeping gaps visible as ``NaN``.

    A daily mean built from three hours of data is not a daily mean: a step whose share of
    non-missing readings is below ``min_coverage`` gets ``NaN``. Every site gets every step
    between the first and last timestamp, so a gap is a row of ``NaN`` rather than a row
    that silently is not there.

    Parameters
    ----------
    readings : pandas.DataFrame
        Tidy readings at a regular step (``timestamp``, ``site_id``, quantities).
    freq : str
        The new, longer step (``"1D"``, ``"1h"``, ``"1W"`` ...).
    quantities : list of str, optional
        Columns to average; default every numeric column except ``site_id``/``timestamp``.
    min_coverage : float
        Needed share (0–1) of the readings that the step should contain.

    Returns
    -------
    pandas.DataFrame
        Columns ``timestamp``, ``site_id``, the quantities and ``coverage_<quantity>``.

    Examples
    --------
    >>> ts = pd.date_range("2024-05-01", periods=48, freq="1h", tz="Asia/Seoul")
    >>> pm = [10.0] * 24 + [20.0] * 6 + [None] * 18
    >>> r = pd.DataFrame({"timestamp": ts, "site_id": "s1", "pm25": pm})
    >>> resample_with_gaps(r, "1D")[["pm25", "coverage_pm25"]].values.tolist()
    [[10.0, 1.0], [nan, 0.25]]
    """
    if quantities is None:
        quantities = [c for c in readings.columns
                      if c not in ("timestamp", "site_id") and pd.api.types.is_numeric_dtype(readings[c])]
    timestamps = pd.to_datetime(readings["timestamp"])
    steps = timestamps.sort_values().drop_duplicates().diff().dropna()
    if steps.empty:
        raise ValueError("resample_with_gaps needs at least two distinct timestamps to know the sampling step")
    base = steps.median()
    offset = pd.tseries.frequencies.to_offset(freq)
    # fixed steps (hours, days) hold a known number of readings; calendar steps (months) vary
    expected = pd.Timedelta(offset) / base if isinstance(offset, pd.offsets.Tick) else None
    frames = []
    for site, group in readings.assign(timestamp=timestamps).groupby("site_id", sort=True):
        g = group.set_index("timestamp").sort_index()[quantities].apply(pd.to_numeric, errors="coerce")
        grid = pd.date_range(g.index.min(), g.index.max(), freq=base)
        g = g.reindex(grid.union(g.index))
        means = g.resample(freq).mean()
        counts = g.resample(freq).count()
        sizes = expected if expected is not None else g.resample(freq).size()
        coverage = counts.div(sizes, axis=0).clip(upper=1.0)
        out = means.where(coverage >= min_coverage).join(coverage.add_prefix("coverage_"))
        out.insert(0, "site_id", site)
        frames.append(out)
    return pd.concat(frames).rename_axis("timestamp").reset_index()
