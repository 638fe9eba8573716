"""Fault labels of the synthetic city and the run-placing helper the fault model uses.

Every reading of every quantity carries exactly one label (``truth["fault_<quantity>"]``). When
faults overlap, the later one in :data:`FAULTS` (after ``"none"``) wins, because it is the one
that decided the recorded value: an outage hides a stuck sensor, a sentinel replaces a drifted
value. The thresholded labels (``drift``, ``humidity_artifact``, ``warm_bias``) mark readings
whose systematic error exceeds a stated size; smaller errors of the same kind are labelled
``none`` (they are ordinary sensor error, left for calibration lessons).

Examples
--------
>>> rng = np.random.default_rng(0)
>>> mask = place_runs(rng, (10, 100), fraction=0.05, median=4, p90=10, max_len=20)
>>> bool(0.05 <= mask.mean() < 0.08)
True
>>> code("stuck") > code("drift")
True
"""

from __future__ import annotations

import numpy as np

#: Labels in precedence order (later wins where faults overlap), with their meaning.
FAULTS: dict[str, str] = {
    "none": "no fault: the reading is the instrument's ordinary response to the truth",
    "not_measured": "the site has no instrument for this quantity (gases at street sensors; "
                    "noise, light and UV at reference stations); the reading is NaN",
    "warm_bias": "street temperature whose systematic warm bias (sensor + sun on the box) exceeds 2 °C",
    "drift": "street PM whose slowly drifting gain has moved more than 10 % from its start",
    "humidity_artifact": "street optical PM inflated by more than 25 % by particle growth in humid air",
    "stuck": "the sensor repeats the value it had at the start of the run (hours to days)",
    "not_reporting": "street wind sensor that is installed but reports 0 (most of the network)",
    "zero": "the sensor reports exactly 0 for whole days",
    "spike": "a physically impossible value (temperature 55-360 °C for a day; PM burst for an hour)",
    "sentinel": "an error code in place of a value: -999 (PM, light), -40.0 °C with 100 %RH",
    "missing": "the value was not delivered (NaN) while the sensor was otherwise up",
    "network_fault": "network-wide humidity fault: most street sensors read 2-6 %RH, 4-22 April",
    "outage": "the whole sensor is absent for whole days (NaN in every quantity)",
}

LABELS = list(FAULTS)


def code(label: str) -> int:
    """Integer code of a fault label (its position in :data:`LABELS`)."""
    return LABELS.index(label)


def place_runs(rng: np.random.Generator, shape: tuple[int, int], fraction: float, median: float,
               p90: float, max_len: int, rows: np.ndarray | None = None,
               exclude: np.ndarray | None = None, stratified: bool = False) -> np.ndarray:
    """Boolean mask of runs along the last axis covering about ``fraction`` of the cells.

    Run lengths are log-normal with the given median and 90th percentile, at least 1 and at
    most ``max_len`` units; runs start at random rows (or among ``rows``) and times. Runs are
    added until the covered share reaches ``fraction``, so the rate is met for every seed.
    With ``stratified`` the lengths come in blocks of eight, one from each eighth of the
    log-normal, so a few dozen runs already have the stated median (a compare statistic).
    """
    n_rows, n_cols = shape
    mask = np.zeros(shape, dtype=bool)
    if fraction <= 0 or n_cols == 0:
        return mask
    rows = np.arange(n_rows) if rows is None else np.asarray(rows)
    if rows.size == 0:
        return mask
    sigma = max(np.log(p90 / median) / 1.2816, 1e-6)
    target = fraction * n_rows * n_cols
    covered = 0
    block: list[float] = []
    while covered < target:
        if stratified:
            if not block:
                from scipy.stats import norm

                block = list(norm.ppf((rng.permutation(8) + rng.uniform(size=8)) / 8.0))
            z = block.pop()
            draw = float(np.exp(np.log(median) + sigma * z))
        else:
            draw = rng.lognormal(np.log(median), sigma)
        # max_len may be a fraction of steps (hours x steps per hour at daily sampling): at least 1.
        length = int(np.clip(np.round(draw), 1, max(1, round(min(max_len, n_cols)))))
        row = int(rng.choice(rows))
        start = int(rng.integers(0, n_cols - length + 1))
        cells = mask[row, start:start + length]
        if exclude is not None and exclude[row, start:start + length].any():
            continue
        covered += int((~cells).sum())
        cells[:] = True
    return mask


def run_starts(mask: np.ndarray) -> np.ndarray:
    """Index of the first cell of the run each cell belongs to (along the last axis), else -1."""
    n = mask.shape[-1]
    idx = np.broadcast_to(np.arange(n), mask.shape)
    start = mask & ~np.concatenate([np.zeros(mask.shape[:-1] + (1,), bool), mask[..., :-1]], axis=-1)
    first = np.where(start, idx, -1)
    first = np.maximum.accumulate(first, axis=-1)
    return np.where(mask, first, -1)


def prone_shares(rng: np.random.Generator, n: int, share_of_sensors: float, total: float,
                 spread: float, cap: float = 0.6, weights: np.ndarray | None = None) -> np.ndarray:
    """Per-sensor fault shares: a few fault-prone sensors carry the whole ``total`` rate.

    In the real network faults sit in few sensors (36 % of S-DoT sensors have any PM zero day,
    most have none, a few have months of them): ``share_of_sensors`` of the sensors get a
    log-normal share (log-SD ``spread``, at most ``cap``), scaled so the network-wide mean is
    ``total``; the others get 0.
    """
    shares = np.zeros(n)
    k = min(n, max(1, int(round(share_of_sensors * n)))) if total > 0 else 0
    if k == 0:
        return shares
    p = None if weights is None else np.asarray(weights, float) / np.sum(weights)
    prone = rng.choice(n, size=k, replace=False, p=p)
    raw = rng.lognormal(0.0, spread, k)
    if weights is not None:  # the likelier sensors carry the larger shares
        raw = np.sort(raw)[np.argsort(np.argsort(np.asarray(weights)[prone]))]
    for _ in range(20):  # rescale, re-cap: the mean converges in a few rounds
        raw = np.minimum(raw * total * n / raw.sum(), cap)
    shares[prone] = raw
    return shares


def place_runs_by_row(rng: np.random.Generator, shape: tuple[int, int], shares: np.ndarray,
                      median: float, p90: float, max_len: int) -> np.ndarray:
    """Like :func:`place_runs`, with each row's own covered share ``shares[row]``."""
    mask = np.zeros(shape, dtype=bool)
    for row in np.flatnonzero(shares > 0):
        mask[row] = place_runs(rng, (1, shape[1]), float(shares[row]), median, p90, max_len)[0]
    return mask
