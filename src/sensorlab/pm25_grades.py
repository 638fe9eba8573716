"""The Korean PM2.5 grades (좋음/보통/나쁨/매우나쁨): the one table of limits every part uses.

The generator, lessons, checks, forecasts and figures all read the limits here (one science,
one table), so changing a limit changes it everywhere.

Examples
--------
>>> pm25_grade(12), pm25_grade(40, lang="ko")
('good', '나쁨')
>>> [upper for upper, *_ in PM25_GRADES[:-1]]
[15, 35, 75]
"""

from __future__ import annotations

__all__ = ["PM25_GRADES", "pm25_grade"]

#: Korean PM2.5 grades (µg/m³, inclusive upper bounds) as the city and AirKorea publish them.
PM25_GRADES = [(15, "good", "좋음", "#0072B2"), (35, "moderate", "보통", "#009E73"),
               (75, "bad", "나쁨", "#E69F00"), (float("inf"), "very bad", "매우나쁨", "#D55E00")]


def pm25_grade(value: float, lang: str = "en") -> str:
    """Return the Korean-scale PM2.5 grade of a concentration in µg/m³.

    Parameters
    ----------
    value : float
        PM2.5 concentration in µg/m³ (daily mean for the official grade).
    lang : {"en", "ko"}
        Language of the label.

    Examples
    --------
    >>> [pm25_grade(v) for v in (15, 16, 35, 36, 76)]
    ['good', 'moderate', 'moderate', 'bad', 'very bad']
    """
    for upper, en, ko, _ in PM25_GRADES:
        if value <= upper:
            return ko if lang == "ko" else en
    raise ValueError(f"not a concentration: {value!r}")
