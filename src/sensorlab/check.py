"""Instant, friendly feedback on lesson exercises: ``check.exercise``, ``check.hint``.

A lesson exercise has an id such as ``"03.2-daily-mean"`` (module, notebook, slug). Its checker
lives in ``sensorlab.exercises.m03`` and is found from the id. The student sees one plain
sentence saying what is right or what is wrong, in English or Korean (see
:mod:`sensorlab.messages`) -- never the checking code, never a traceback.

Lesson pattern (see ``lessons/CONTRIBUTING.md``)::

    daily = ...                                    # exercise cell: the student's answer
    check.exercise("03.2-daily-mean", daily)       # check cell: ○ / × in plain words
    daily = jongno["pm25"].resample("D").mean()    # solution cell (hidden), run by CI:
    check.solution("03.2-daily-mean", daily)       # fails loudly if the solution is wrong

A checker is registered with the ``kind`` of answer it takes (``kind=float``, ``kind=pd.Series``, a
:class:`~sensorlab.check_expect.OneNumber`): an answer of another kind is told so at once, before
the checker computes its (maybe slow) expected answer. The checkers are written with
:class:`~sensorlab.check_wording.Wrong` and the ``expect_*`` helpers of :mod:`sensorlab.check_expect`;
a student's function is run under a time limit (:mod:`sensorlab.check_time_limit`) and on copies of
its data (:mod:`sensorlab.check_inputs`).

Examples
--------
>>> from sensorlab.check_expect import expect_close
>>> @register("99.1-answer", kind=int, hints=("check.demo_hint",))
... def _answer(answer):
...     expect_close(answer, 42, "the answer")
>>> print(evaluate("99.1-answer", ...).text(lang="en"))
× 99.1-answer: You have not answered yet: replace the ... with your code, run the cell, then run this check again.
>>> print(evaluate("99.1-answer", 41).text(lang="en"))
× 99.1-answer: Not yet. the answer should be 42, but yours is 41. Stuck? Run check.hint("99.1-answer") for a hint.
>>> print(evaluate("99.1-answer", "42").text(lang="en"))
× 99.1-answer: Not yet. Your answer should be a whole number (such as 12), but it is the text "42" (in quotes). Write the number without quotes. Stuck? Run check.hint("99.1-answer") for a hint.
>>> bool(evaluate("99.1-answer", 42))
True
"""

from __future__ import annotations

import html
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from sensorlab.check_expect import expect_kind, kind_problem
from sensorlab.check_inputs import NOT_FROM_DATA, notebook_data_read
from sensorlab.check_time_limit import TookTooLong, time_limited
from sensorlab.check_wording import Wrong, kind_of, translate_values
from sensorlab.errors import SensorLabError
from sensorlab.messages import get_language, text

__all__ = ["MARK_RIGHT", "MARK_WRONG", "MARK_HINT", "Exercise", "Result", "register", "get_exercise", "evaluate",
           "exercise", "solution", "hint"]

#: Marks every font on a school machine has (Latin-1 ×, and ○ and ※ of KS X 1001, the Korean set):
#: the student's browser draws them, often on a Linux PC without an emoji font, where the emoji
#: check marks used before were empty boxes. ○/× is also how Korean classrooms mark right and wrong (OX 퀴즈).
MARK_RIGHT, MARK_WRONG, MARK_HINT = "○", "×", "※"

ID_PATTERN = re.compile(r"^(?P<module>\d\d)\.(?P<lesson>\d+)-[a-z0-9-]+$")


@dataclass(frozen=True)
class Exercise:
    """One registered exercise: its id, its checker, hint message keys, level and the kind of answer it takes."""

    id: str
    checker: Callable[[object], None]
    hints: tuple[str, ...] = ()
    level: str = "core"
    kind: object = None


@dataclass(frozen=True)
class Result:
    """The outcome of checking one answer: ``correct``, ``wrong``, ``unanswered`` or ``error``."""

    exercise_id: str
    status: str
    key: str
    values: dict

    def __bool__(self) -> bool:
        return self.status == "correct"

    def text(self, lang: str | None = None) -> str:
        """The sentence the student sees."""
        lang = lang or get_language()
        body = text(self.key, lang=lang, **translate_values(self.values, lang))
        if self.status == "wrong":
            body = f"{text('check.not_yet', lang=lang)} {body} {text('check.try_hint', lang=lang, id=self.exercise_id)}"
        icon = MARK_RIGHT if self else MARK_WRONG
        return f"{icon} {self.exercise_id}: {body}"

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        # Icon and words carry the meaning; colour only helps (blue/orange are colour-blind safe).
        colour = "#0072B2" if self else "#D55E00"
        return (f'<div style="border-left:4px solid {colour};padding:4px 8px;margin:2px 0">'
                f"{html.escape(self.text())}</div>")


_REGISTRY: dict[str, Exercise] = {}
_hints_shown: dict[str, int] = {}


def register(exercise_id: str, *, hints: tuple[str, ...] = (), level: str = "core", kind=None):
    """Decorator: register ``checker(answer)`` for ``exercise_id``.

    The checker returns nothing when the answer is right and raises :class:`Wrong` (usually via
    the ``expect_*`` helpers) when it is not. ``hints`` are message keys, shown one at a time.
    ``kind`` is the kind of answer the checker takes, checked before it is called (see
    :func:`~sensorlab.check_expect.expect_kind`): a type, a tuple of types or a
    :class:`~sensorlab.check_expect.OneNumber`; ``None`` when the checker looks at the kind itself.
    A kind that cannot be checked is a ``ValueError`` when the module registering it is imported.
    """
    if not ID_PATTERN.match(exercise_id):
        raise ValueError(f"exercise id {exercise_id!r} must look like '03.2-daily-mean'")
    if level not in ("core", "university"):
        raise ValueError(f"exercise {exercise_id}: level must be 'core' or 'university', not {level!r}")
    problem = kind_problem(kind) if kind is not None else None
    if problem:
        raise ValueError(f"exercise {exercise_id}: kind={kind!r} cannot be checked: {problem}")

    def decorate(checker):
        _REGISTRY[exercise_id] = Exercise(exercise_id, checker, tuple(hints), level, kind)
        return checker

    return decorate


def get_exercise(exercise_id: str) -> Exercise:
    """The registered exercise, importing ``sensorlab.exercises.mNN`` for module ``NN`` on demand."""
    if exercise_id not in _REGISTRY:
        match = ID_PATTERN.match(exercise_id)
        if match:
            try:
                importlib.import_module(f"sensorlab.exercises.m{match['module']}")
            except ModuleNotFoundError:
                pass
    if exercise_id not in _REGISTRY:
        raise KeyError(text("check.unknown_exercise", id=exercise_id))
    return _REGISTRY[exercise_id]


def evaluate(exercise_id: str, answer) -> Result:
    """Check ``answer`` and return a :class:`Result` (nothing is displayed).

    The checker's temporary tables are handed back to the system afterwards (a checker runs
    in the student's kernel, beside the lesson's data).
    """
    from sensorlab.memory import give_back

    try:
        return _evaluate(exercise_id, answer)
    finally:
        give_back()


def _evaluate(exercise_id: str, answer) -> Result:
    try:
        ex = get_exercise(exercise_id)
    except KeyError:
        return Result(exercise_id, "error", "check.unknown_exercise", {"id": exercise_id})
    if answer is ... or answer is None:
        return Result(exercise_id, "unanswered", "check.unanswered", {})
    try:
        given = time_limited(answer)
        if ex.kind is not None:  # told before the checker computes its expected answer
            expect_kind(given, ex.kind)
        ex.checker(given)
    except TookTooLong as late:
        return Result(exercise_id, "wrong", "check.too_slow", {"seconds": late.seconds})
    except OverflowError:  # 10**400 somewhere inside a list or table the checker turned into floats
        return Result(exercise_id, "wrong", "check.too_large_inside", {})
    except Wrong as wrong:
        name = notebook_data_read(answer)
        if name and wrong.key not in NOT_FROM_DATA:
            # the likeliest cause: it computes from the lesson's data, not from what the check gives it
            return Result(exercise_id, "wrong", "check.reads_notebook_data", {"name": name})
        return Result(exercise_id, "wrong", wrong.key, wrong.values)
    except SensorLabError:
        raise  # the data or the package is broken, not the answer: its message names the file
    except Exception as err:  # noqa: BLE001 - a strange answer must never show a traceback
        return Result(exercise_id, "error", "check.could_not_check",
                      {"got": kind_of(answer), "problem": type(err).__name__})
    return Result(exercise_id, "correct", "check.correct", {})


def _show(obj) -> None:
    try:
        from IPython.display import display
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with every lesson environment
        print(obj.text() if isinstance(obj, Result) else obj)
        return
    if get_ipython() is None:
        print(obj.text() if isinstance(obj, Result) else obj)
    else:
        display(obj)


def exercise(exercise_id: str, answer) -> None:
    """Check a student's answer and show ○ or × with what is right or wrong, in plain words."""
    _show(evaluate(exercise_id, answer))


def solution(exercise_id: str, answer) -> None:
    """Check a lesson's own solution; raise ``AssertionError`` (failing CI) if it does not pass."""
    result = evaluate(exercise_id, answer)
    if not result:
        raise AssertionError(f"the solution of {exercise_id} does not pass its own check: {result.text(lang='en')}")
    _show(Result(exercise_id, "correct", "check.solution_ok", {}))


class _Hint(str):
    def __repr__(self) -> str:
        return str(self)


def hint(exercise_id: str, number: int | None = None) -> None:
    """Show the next hint for an exercise (or hint ``number``, counting from 1)."""
    ex = get_exercise(exercise_id)
    total = len(ex.hints)
    if number is None:
        number = _hints_shown.get(exercise_id, 0) + 1
    if total == 0 or number > total:
        _show(_Hint(f"{MARK_HINT} " + text("check.no_more_hints", id=exercise_id)))
        return
    _hints_shown[exercise_id] = max(number, _hints_shown.get(exercise_id, 0))
    header = text("check.hint_header", n=number, total=total)
    _show(_Hint(f"{MARK_HINT} {header} {text(ex.hints[number - 1])}"))

