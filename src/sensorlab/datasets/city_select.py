"""Which part of the bundled city a lesson asks for: quantities, sites, districts, kind and days.

A lesson that looks at PM2.5 at one station should not hold every quantity of 125 sites in
memory (a class of 30 shares one school server). :func:`choose` turns the arguments of
:func:`~sensorlab.datasets.city.load_city` into the rows and columns to read, checking each
name against what the bundle has, so a typo gets a message naming the choices instead of an
empty table.

Examples
--------
>>> from sensorlab.datasets.city_layout import city_sites
>>> from sensorlab.datasets.city_clock import Clock
>>> clock = Clock.build("2024-01-01", "2024-01-31")
>>> part = choose(city_sites(), clock, quantities="pm25", districts=["종로구"], start="2024-01-02")
>>> part.quantities, part.site_ids[:2], part.steps
(['pm25'], ['ref-101', 'sdot-101-01'], slice(24, 744, None))
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sensorlab import messages
from sensorlab.datasets.city_clock import parse_date

KINDS = ("reference", "street", "colocated")


@dataclass(frozen=True)
class Part:
    """Rows and columns of the bundle to read."""

    quantities: list[str]
    site_index: np.ndarray  # positions in the bundle's (sorted) sites table
    site_ids: list[str]
    steps: slice  # time steps, a contiguous range


def _as_list(value) -> list | None:
    if value is None:
        return None
    return [value] if isinstance(value, str | int) else list(value)


def _unknown(what: str, given, choices, known=()) -> ValueError:
    """The error for names not in the bundle, offering first the known names nearest to them
    ('Mapo' -> 'Mapo-gu', '마포' -> '마포구', 'NO2' -> 'no2'), then ``choices``."""
    by_lower = {str(k).lower(): str(k) for k in known}
    nearest = [by_lower[m] for g in given for m in difflib.get_close_matches(str(g).lower(), by_lower, n=3)]
    offered = list(dict.fromkeys(nearest + [str(c) for c in choices]))
    return ValueError(messages.text("datasets.unknown_choice", what=what, given=", ".join(map(str, given)),
                                    choices=", ".join(offered)))


def _steps(times: pd.DatetimeIndex, start, end) -> slice:
    """Time steps from the first of day ``start`` to the last of day ``end`` (both inclusive)."""
    first, last = 0, len(times)
    if start is not None:
        first = int(times.searchsorted(_day(start, times.tz, "start")))
    if end is not None:
        last = int(times.searchsorted(_day(end, times.tz, "end") + pd.Timedelta(days=1)))
    if first >= last:
        raise ValueError(messages.text("datasets.empty_dates", start=start, end=end,
                                       first=f"{times[0]:%Y-%m-%d}", last=f"{times[-1]:%Y-%m-%d}"))
    return slice(first, last)


def _day(value, tz, what: str) -> pd.Timestamp:
    # pandas reads 20240301 as nanoseconds after 1970 and "March" as 1 March of year 1, so both
    # would silently load the whole year: a date must be a date object or a string with a year.
    day = parse_date(value, what, "datasets.bad_date")
    return (day.tz_localize(tz) if day.tzinfo is None else day.tz_convert(tz)).normalize()


def choose(sites: pd.DataFrame, clock, all_quantities=None, quantities=None, site_ids=None, districts=None,
           kind=None, start=None, end=None) -> Part:
    """The part of the bundle that ``load_city``'s arguments ask for (all of it by default).

    Parameters
    ----------
    sites : DataFrame
        The bundle's sites table, in its stored order.
    clock : Clock
        The bundle's time steps.
    all_quantities : list of str, optional
        Quantities the bundle holds, in its order (default: the city's).
    quantities, site_ids, districts, kind, start, end
        As in :func:`~sensorlab.datasets.city.load_city`; several filters keep the sites that
        pass all of them.
    """
    if all_quantities is None:
        from sensorlab.datasets.city_layout import QUANTITIES as all_quantities
    wanted = _as_list(quantities)
    if wanted is None:
        wanted = list(all_quantities)
    unknown = [q for q in wanted if q not in all_quantities]
    if unknown:
        raise _unknown("quantities", unknown, all_quantities, all_quantities)
    keep = np.ones(len(sites), dtype=bool)
    ids = _as_list(site_ids)
    if ids is not None:
        unknown = [s for s in ids if s not in set(sites["site_id"])]
        if unknown:
            raise _unknown("sites", unknown, ["ref-101", "sdot-101-01", "..."], sites["site_id"])
        keep &= sites["site_id"].isin(ids).to_numpy()
    names = _as_list(districts)
    if names is not None:
        known = set(sites["district"]) | set(sites["district_ko"])
        unknown = [d for d in names if d not in known]
        if unknown:
            raise _unknown("districts", unknown, ["Jongno-gu", "종로구", "..."], known)
        keep &= (sites["district"].isin(names) | sites["district_ko"].isin(names)).to_numpy()
    if kind is not None:
        if kind not in KINDS:
            raise _unknown("kind", [kind], KINDS)
        if kind == "colocated":  # the street sensors that stand beside a station, and those stations
            beside = sites["colocated_with"].dropna().astype(str)
            keep &= (sites["colocated_with"].notna() | sites["site_id"].astype(str).isin(beside)).to_numpy()
        else:
            keep &= (sites["kind"] == kind).to_numpy()
    index = np.flatnonzero(keep)
    if not len(index):
        raise ValueError(messages.text("datasets.no_sites", sites=ids, districts=names, kind=kind))
    # order of the user's list does not matter: rows stay in the bundle's (timestamp, site_id) order
    wanted = [q for q in all_quantities if q in wanted]
    return Part(quantities=wanted, site_index=index, site_ids=sites["site_id"].iloc[index].tolist(),
                steps=_steps(clock.times, start, end))
