"""Due dates entered in Seoul time, stored as nbgrader stores them (naive UTC), shown back.

nbgrader keeps an assignment's due date as a naive UTC timestamp and parses the teacher's text
with ``dateutil``, which does not know ``KST`` and reads ``+0900`` after a time zone name
wrongly: ``"2026-03-20 17:00:00 KST"`` became 17:00 UTC, nine hours late, without a word.
:func:`parse_due` reads what a Korean teacher types (no zone means Seoul time) and refuses
anything it cannot read with a sentence saying what it accepts.

Examples
--------
>>> parse_due("2026-03-20 17:00")
datetime.datetime(2026, 3, 20, 8, 0)
>>> parse_due("2026-03-20 17:00:00 KST") == parse_due("2026-03-20T17:00+0900") == parse_due("2026-03-20 17:00 +09:00")
True
>>> parse_due("2026-03-20 17:00 Asia/Seoul") == parse_due("2026-03-20 08:00 UTC")
True
>>> parse_due("2026/03/20 17:00 KST") == parse_due("2026. 3. 20. 17:00") == parse_due("2026-03-20 17:00")
True
>>> seoul_text(parse_due("2026-03-20 17:00"))
'2026-03-20 17:00 KST'
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sensorlab.errors import SensorLabError
from sensorlab.messages import text

SEOUL = ZoneInfo("Asia/Seoul")
# 2026-03-20, 2026/03/20 and 2026.03.20 (or "2026. 3. 20.", as Korean documents write it)
_FORM = re.compile(r"^\s*(\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2})\.?(?:[ T]+(\d{1,2}:\d{2}(?::\d{2})?))?\s*(.*?)\s*$")
_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})?$")
_NAMES = {"": SEOUL, "KST": SEOUL, "UTC": dt.timezone.utc, "Z": dt.timezone.utc, "GMT": dt.timezone.utc}


def _zone(name: str) -> dt.tzinfo:
    if name.upper() in _NAMES:
        return _NAMES[name.upper()]
    offset = _OFFSET.match(name)
    if offset:
        sign = -1 if offset.group(1) == "-" else 1
        return dt.timezone(sign * dt.timedelta(hours=int(offset.group(2)), minutes=int(offset.group(3) or 0)))
    if "/" in name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise ValueError(name)


def parse_due(value: str) -> dt.datetime:
    """A due date as the naive UTC instant nbgrader stores; no zone means Seoul time.

    Accepts ``YYYY-MM-DD HH:MM[:SS]`` (``/`` or ``.`` between the date's parts, a ``T`` before the time), optionally followed by ``KST``,
    ``Asia/Seoul`` (any IANA zone name), ``UTC``, or an offset ``+09:00`` / ``+0900``; a date
    alone means the end of that day (23:59:59) in Seoul.
    """
    match = _FORM.match(value or "")
    try:
        if not match:
            raise ValueError(value)
        day, time, zone = match.groups()
        tz = _zone(zone)
        local = dt.datetime.fromisoformat(f"{dt.date.fromisoformat(_pad(day))} {time or '23:59:59'}")
    except ValueError:
        raise SensorLabError(text("grade.due_unreadable", value=value)) from None
    return local.replace(tzinfo=tz).astimezone(dt.timezone.utc).replace(tzinfo=None)


def _pad(day: str) -> str:
    return "-".join(part.strip().zfill(2) for part in re.split(r"[-/.]", day))


def seoul_text(stored: dt.datetime) -> str:
    """A stored (naive UTC) due date as Seoul time, e.g. ``2026-03-20 17:00 KST``."""
    local = stored.replace(tzinfo=dt.timezone.utc).astimezone(SEOUL)
    return local.strftime("%Y-%m-%d %H:%M" + (":%S" if local.second else "") + " KST")


def utc_text(stored: dt.datetime) -> str:
    """A stored (naive UTC) due date as UTC, e.g. ``2026-03-20 08:00 UTC``."""
    return stored.strftime("%Y-%m-%d %H:%M" + (":%S" if stored.second else "") + " UTC")


def set_due(root, assignment: str, value: str | None) -> dt.datetime | None:
    """Store ``value`` (Seoul time unless it says otherwise) as the due date of ``assignment``;
    with ``value=None`` only read it. Return the stored date (naive UTC) or None."""
    from nbgrader.api import MissingEntry

    from sensorlab.grading import course

    due = parse_due(value) if value is not None else None
    with course.gradebook(root) as gb:
        if due is not None:
            return gb.update_or_create_assignment(assignment, duedate=due).duedate
        try:
            return gb.find_assignment(assignment).duedate
        except MissingEntry:
            return None


def describe(assignment: str, stored: dt.datetime | None) -> str:
    """The sentence that shows a due date back to the teacher, in Seoul time and as stored."""
    if stored is None:
        return text("grade.due_none", assignment=assignment)
    return text("grade.due_set", assignment=assignment, seoul=seoul_text(stored), utc=utc_text(stored))
