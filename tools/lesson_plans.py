"""Teacher-guide period plans checked against the notebooks' header times (for modules' claims.py).

A guide's plan is a schedule, not a measurement, so its minute ranges ("| 0–5 |") are
:func:`~tools.stated_numbers.plain`; :func:`plan_slots` returns them only after checking that each
plan runs without gaps from minute 0 to the end of the period, and :func:`check_periods` that the
notebooks a period covers fit in it by their own header times.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import nbformat

from tools import stated_numbers
from tools.lesson_manifest import parse_header

#: A class period in minutes.
PERIOD_MIN = 50


@cache
def header_minutes(folder: Path, stem: str) -> tuple[int, int]:
    """A notebook's header times (teaching, exercises) in minutes."""
    header = parse_header(nbformat.read(Path(folder) / f"{stem}.ipynb", as_version=4))
    return header.teaching, header.exercises


def check_periods(folder: Path, periods: dict[int, tuple[float, ...]], overhead: dict[int, int]) -> None:
    """Raise AssertionError unless each period's notebook time plus its overhead fits in :data:`PERIOD_MIN`.

    ``periods`` maps a period to ``(stem, share)`` pairs: the share of a notebook's header time the
    period covers (1 for the whole notebook, 0.5 when a notebook is split over two periods).
    """
    for period, parts in periods.items():
        used = sum(share * sum(header_minutes(folder, stem)) for stem, share in parts) + overhead.get(period, 0)
        if used > PERIOD_MIN:
            names = ", ".join(stem for stem, _ in parts)
            raise AssertionError(f"{Path(folder).name} teacher guide: period {period} ({names}) holds {used:g} "
                                 f"minutes of notebook time and set-up in a {PERIOD_MIN}-minute class; shorten "
                                 "the notebooks' header times or move a notebook to another period")


def notebook_minutes(folder: Path, stem: str, share: float = 1) -> float:
    """The minutes of a notebook's header time (teaching and exercises) that ``share`` of it covers."""
    return share * sum(header_minutes(folder, stem))


def period_parts(folder: Path, periods: dict[int, tuple[float, ...]], period: int) -> tuple[float, ...]:
    """The minutes of each notebook part a period covers, each followed by the whole notebook's minutes when split.

    What a guide's "| 2 | 04.2 from "Zeros" (20 of 35) and 04.3 … (25 of 50) |" row states.
    """
    out: tuple[float, ...] = ()
    for stem, share in periods[period]:
        part = notebook_minutes(folder, stem, share)
        out += (part,) if share == 1 else (part, notebook_minutes(folder, stem))
    return out


def state_period_rows(guide: str, folder: Path, periods: dict[int, tuple[float, ...]], rows: dict[int, str],
                      track: str = "") -> None:
    """Claim each row of a guide's period table: ``rows`` maps a period to its row text, whose ``{:g}`` fields
    are :func:`period_parts` of that period (one claim per row, named ``period_<N>[_<track>]_parts``).

    Called from a module's ``claims.py``, as :func:`tools.stated_numbers.states` is.
    """
    for period, text in rows.items():
        def row(period=period):
            return period_parts(folder, periods, period)
        row.__name__ = f"period_{period}{'_' + track if track else ''}_parts"
        stated_numbers.states(guide, text)(row)


def period_use(folder: Path, periods: dict[int, tuple[float, ...]], overhead: dict[int, int], period: int) -> float:
    """The minutes a period spends: its notebooks' shares of their header times plus its overhead."""
    return sum(notebook_minutes(folder, stem, share) for stem, share in periods[period]) + overhead.get(period, 0)


def spare_minutes(folder: Path, periods: dict[int, tuple[float, ...]], overhead: dict[int, int], period: int) -> float:
    """The minutes of a period left after its notebook time and overhead (what a plan may give to other work)."""
    return PERIOD_MIN - period_use(folder, periods, overhead, period)


def check_placed(folder: Path, periods: dict[int, tuple[float, ...]]) -> None:
    """Raise AssertionError unless every notebook of ``folder`` is placed in the periods, each exactly once in all.

    A notebook split over periods must have shares that add up to the whole of it, so no part of a
    notebook is left out of the plan and none is counted twice.
    """
    shares: dict[str, float] = {}
    for parts in periods.values():
        for stem, share in parts:
            shares[stem] = shares.get(stem, 0) + share
    stems = sorted(p.stem for p in Path(folder).glob("*.ipynb") if not p.name.endswith(".ko.ipynb"))
    missing = [s for s in stems if s not in shares]
    if missing:
        raise AssertionError(f"{Path(folder).name} teacher guide: no period holds {', '.join(missing)}")
    uneven = {s: v for s, v in shares.items() if abs(v - 1) > 1e-9}
    if uneven:
        raise AssertionError(f"{Path(folder).name} teacher guide: the periods cover "
                             + ", ".join(f"{v:.2f} of {s}" for s, v in uneven.items()) + " (each notebook once)")


def checked_plan(folder: Path, periods: dict[int, tuple[float, ...]], overhead: dict[int, int],
                 *tracks: dict[int, tuple[float, ...]]) -> int:
    """The number of periods of a guide's plan, after checking that every period (of ``periods`` and of each
    other track, e.g. a high-school class that skips a notebook) fits and that ``periods`` places every notebook."""
    for plan in (periods, *tracks):
        check_periods(folder, plan, overhead)
    check_placed(folder, periods)
    return len(periods)


def plan_slots(guide: Path, periods: int) -> list[str]:
    """The "| 0–5 |" ranges of a guide's plans, checked to run without gaps from 0 to :data:`PERIOD_MIN`."""
    text = Path(guide).read_text(encoding="utf-8")
    slots = [(int(a), int(b)) for a, b in re.findall(r"^\| (\d+)–(\d+) \|", text, flags=re.M)]
    at, ended = 0, 0
    for start, end in slots:
        if start != at or end <= start:
            raise AssertionError(f"{guide.name}: the plan goes from minute {at} to {start}–{end}")
        at = 0 if end == PERIOD_MIN else end
        ended += end == PERIOD_MIN
    if ended != periods or at != 0:
        raise AssertionError(f"{guide.name}: expected {periods} plans each ending at minute {PERIOD_MIN}")
    return [f"| {a}–{b} |" for a, b in slots]


def assignment_points(assignment: str) -> float:
    """The points of an nbgrader assignment's English source (``grader/source/<name>/<name>.ipynb``)."""
    path = Path(__file__).resolve().parents[1] / "grader" / "source" / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(path, as_version=4)
    return sum(c.metadata.get("nbgrader", {}).get("points", 0) for c in nb.cells)


def assignment_points_split(assignment: str) -> tuple[float, float]:
    """The autograded and the manually graded points of an nbgrader assignment's English source."""
    path = Path(__file__).resolve().parents[1] / "grader" / "source" / assignment / f"{assignment}.ipynb"
    graded = [c.metadata["nbgrader"] for c in nbformat.read(path, as_version=4).cells
              if c.metadata.get("nbgrader", {}).get("grade")]
    manual = sum(g.get("points", 0) for g in graded if g.get("solution"))
    return sum(g.get("points", 0) for g in graded) - manual, manual


@dataclass(frozen=True)
class ModulePlan:
    """A teacher guide's plan as its module's ``claims.py`` declares it.

    ``periods`` places every notebook (the longest track, e.g. with the university notebook); ``tracks`` are
    other classes' plans (e.g. a high-school class that skips it) that share some periods with ``periods``.
    """

    periods: dict[int, tuple[float, ...]]
    overhead: dict[int, int]
    tracks: dict[str, dict[int, tuple[float, ...]]] = field(default_factory=dict)

    @property
    def plans(self) -> int:
        """How many period plans (0-to-50 tables) the guide shows: each period once, each track's own periods too."""
        return len(self.periods) + sum(parts != self.periods.get(p) for track in self.tracks.values()
                                       for p, parts in track.items())


def module_plan(folder: Path) -> ModulePlan:
    """The plan (``PERIODS``, ``OVERHEAD``, optional ``TRACKS``) a module's ``claims.py`` declares for its guide.

    The claims run in a registry of their own, so loading them here adds nothing to the stated-number checks.
    """
    path = Path(folder) / "claims.py"
    stated_numbers._current.append(stated_numbers.Registry(Path(folder)))
    try:
        spec = importlib.util.spec_from_file_location(f"_lesson_plan_{Path(folder).name}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        stated_numbers._current.pop()
    if not hasattr(module, "PERIODS"):
        raise AssertionError(f"{path}: declares no PERIODS, so its teacher guide's plan is not checked")
    return ModulePlan(dict(module.PERIODS), getattr(module, "OVERHEAD", {}), getattr(module, "TRACKS", {}))


def periods_holding(periods: dict[int, tuple[float, ...]], stem: str) -> tuple[int, ...]:
    """The periods that cover any part of notebook ``stem``."""
    return tuple(p for p, parts in periods.items() if stem in dict(parts))


def guide_slots(folder: Path, periods: dict[int, tuple[float, ...]], tracks: dict | None = None) -> list[str]:
    """The "| 0–5 |" ranges of a module's English and Korean guides, each checked to show one plan per period,
    and the Korean plans checked to keep the English minutes (the editions are kept in step)."""
    plans = ModulePlan(periods, {}, tracks or {}).plans
    english, korean = (plan_slots(Path(folder) / guide, plans) for guide in ("teacher-guide.md", "teacher-guide.ko.md"))
    for at, (en, ko) in enumerate(zip(english, korean)):
        if en != ko:
            raise AssertionError(f"{Path(folder).name} teacher guide: row {at + 1} of the plans is {en} in English "
                                 f"but {ko} in Korean")
    return english + korean
