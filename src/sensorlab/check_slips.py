"""Two slips a student makes with a right answer: the wrong unit (1,000 or 100 times, kelvin), or rounded.

An answer that is the expected one in another unit, or the expected one rounded to 0, 1 or 2
decimal places, is not "wrong" in the way a wrong method is: the ``expect_*`` helpers
(:mod:`sensorlab.check_expect`) and the checkers name the slip instead of only the mismatch.
"""

from __future__ import annotations

__all__ = ["unit_slip", "rounded_to"]


#: Unit slips a student makes, as (what the answer is, given the right one) -> advice message key.
_UNIT_SLIPS = ((lambda x: x / 1000, "check.unit.thousand_smaller"), (lambda x: x * 1000, "check.unit.thousand_larger"),
               (lambda x: x * 100, "check.unit.percent_given"), (lambda x: x / 100, "check.unit.share_given"),
               (lambda x: x + 273.15, "check.unit.kelvin"))


def rounded_to(got, expected) -> int | None:
    """The decimal places (0, 1 or 2) ``got`` is ``expected`` rounded to (numbers or arrays, NaN ignored), else None.

    >>> rounded_to(-11.2, -11.1836), rounded_to([24.0, 4.1], [24.46, 4.125]), rounded_to(24.0, 24.0), rounded_to(1.0, 0.96)
    (1, None, None, None)
    """
    import numpy as np

    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    both = np.isfinite(got) & np.isfinite(expected)
    if got.shape != expected.shape or not both.any() or np.array_equal(got[both], expected[both]):
        return None
    got, expected = got[both], expected[both]
    for d in (0, 1, 2):
        # rtol: float32 data rounded by pandas differs from numpy's float64 rounding by 1e-8
        if not np.allclose(got, np.round(expected, d), rtol=1e-6, atol=1e-9):
            continue
        # 1.0 where 0.96 is right says "perfect", a claim of its own: a rounding keeps a digit of
        # each value (no 0 for 0.4) and shows its last decimal somewhere (no 1.0 "to 1 place")
        if (np.all(np.abs(expected) >= 1) if d == 0 else
                not np.allclose(got, np.round(got, d - 1), rtol=1e-6, atol=1e-9)):
            return d
    return None


def unit_slip(got, expected) -> str | None:
    """The advice key naming a unit slip that turns ``expected`` into ``got`` (numbers or arrays, NaN
    ignored): µg/m³ written as mg/m³ (1,000 times), a percentage for a share (100 times), kelvin for °C.

    Examples
    --------
    >>> unit_slip(0.0241, 24.1), unit_slip(2410.0, 24.1), unit_slip(296.45, 23.3), unit_slip(24.0, 24.1)
    ('check.unit.thousand_smaller', 'check.unit.percent_given', 'check.unit.kelvin', None)
    """
    import numpy as np

    try:
        got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return None
    both = np.isfinite(got) & np.isfinite(expected)
    if got.shape != expected.shape or not both.any() or not np.any(expected[both] != 0):
        return None
    got, expected = got[both], expected[both]
    return next((key for slip, key in _UNIT_SLIPS if np.allclose(got, slip(expected), rtol=1e-3, atol=1e-9)), None)

