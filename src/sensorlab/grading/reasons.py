"""Sentences a teacher can act on, for flags and for nbgrader's own failures.

nbgrader ends every failure with "[ERROR] Please see the above traceback", which is what the
grader used to show as a flag's reason. :func:`nbgrader_failure` finds the error that
actually stopped it in nbgrader's log; :func:`action` says what to do about a flag, from the
message catalogue (``messages/grade.json``), in the teacher's language.

Examples
--------
>>> log = '''Traceback (most recent call last):
...     submitted_ids = [cell["metadata"]["nbgrader"]["grade_id"] for cell in nb.cells]
... KeyError: 'grade_id'
... [ERROR] There was an error processing assignment '01' for student 'bora'
... [ERROR] Please see the the above traceback for details on the specific errors on the above failures.'''
>>> nbgrader_failure(log, lang="en")
"nbgrader could not grade this notebook (KeyError: 'grade_id')"
>>> action("timed_out", lang="en").startswith("Probably an endless loop")
True
"""

from __future__ import annotations

import re

from sensorlab.messages import catalogue, text

_ERROR_LINE = re.compile(r"^\s*((?:[A-Za-z_][\w.]*\.)?[A-Z]\w*(?:Error|Exception|Exit|Interrupt)\b.*)$")
_NOISE = ("[ERROR]", "[WARNING]", "Traceback")


def nbgrader_failure(log: str, lang: str | None = None) -> str:
    """The sentence for a notebook nbgrader could not grade, naming the error that stopped it."""
    errors = [m.group(1).strip() for line in (log or "").splitlines()
              if not line.strip().startswith(_NOISE) and (m := _ERROR_LINE.match(line))]
    error = errors[-1][:200] if errors else "no error message"
    return text("grade.nbgrader_stopped", lang=lang, error=error)


def action(kind: str, lang: str | None = None) -> str:
    """What the teacher should do about a flag of this kind."""
    key = f"grade.flag.{kind}"
    return text(key if key in catalogue() else "grade.flag.other", lang=lang)
