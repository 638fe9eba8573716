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

Examples
--------
>>> @register("99.1-answer", hints=("check.demo_hint",))
... def _answer(answer):
...     expect_type(answer, int)
...     expect_close(answer, 42, "the answer")
>>> print(evaluate("99.1-answer", ...).text(lang="en"))
× 99.1-answer: You have not answered yet: replace the ... with your code, run the cell, then run this check again.
>>> print(evaluate("99.1-answer", 41).text(lang="en"))
× 99.1-answer: Not yet. the answer should be 42, but yours is 41. Stuck? Run check.hint("99.1-answer") for a hint.
>>> bool(evaluate("99.1-answer", 42))
True
"""

from __future__ import annotations

import html
import importlib
import math
import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from sensorlab.errors import SensorLabError
from sensorlab.messages import catalogue, get_language, text

__all__ = ["MARK_RIGHT", "MARK_WRONG", "MARK_HINT", "Wrong", "Exercise", "Result", "register", "get_exercise", "evaluate", "exercise",
           "solution", "hint", "expect_type", "expect_close", "expect_pair", "expect_number_item", "expect_numbers",
           "expect_length", "expect_columns", "expect_series_close", "TookTooLong", "time_limit",
           "call_on_copies", "unit_slip", "rounded_to", "expect_exact_name"]

#: Marks every font on a school machine has (Latin-1 ×, and ○ and ※ of KS X 1001, the Korean set):
#: the student's browser draws them, often on a Linux PC without an emoji font, where the emoji
#: check marks used before were empty boxes. ○/× is also how Korean classrooms mark right and wrong (OX 퀴즈).
MARK_RIGHT, MARK_WRONG, MARK_HINT = "○", "×", "※"

ID_PATTERN = re.compile(r"^(?P<module>\d\d)\.(?P<lesson>\d+)-[a-z0-9-]+$")


class Wrong(Exception):
    """Raised by a checker to say what is wrong, as a message key plus its fields."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key, self.values = key, values


@dataclass(frozen=True)
class Exercise:
    """One registered exercise: its id, its checker, hint message keys and level."""

    id: str
    checker: Callable[[object], None]
    hints: tuple[str, ...] = ()
    level: str = "core"


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
        body = text(self.key, lang=lang, **_translate_values(self.values, lang))
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


def register(exercise_id: str, *, hints: tuple[str, ...] = (), level: str = "core"):
    """Decorator: register ``checker(answer)`` for ``exercise_id``.

    The checker returns nothing when the answer is right and raises :class:`Wrong` (usually via
    the ``expect_*`` helpers) when it is not. ``hints`` are message keys, shown one at a time.
    """
    if not ID_PATTERN.match(exercise_id):
        raise ValueError(f"exercise id {exercise_id!r} must look like '03.2-daily-mean'")
    if level not in ("core", "university"):
        raise ValueError(f"exercise {exercise_id}: level must be 'core' or 'university', not {level!r}")

    def decorate(checker):
        _REGISTRY[exercise_id] = Exercise(exercise_id, checker, tuple(hints), level)
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
        ex.checker(_limited(answer))
    except TookTooLong as late:
        return Result(exercise_id, "wrong", "check.too_slow", {"seconds": late.seconds})
    except OverflowError:  # 10**400 somewhere inside a list or table the checker turned into floats
        return Result(exercise_id, "wrong", "check.too_large_inside", {})
    except Wrong as wrong:
        name = _notebook_data_read(answer)
        if name and wrong.key not in _NOT_FROM_DATA:
            # the likeliest cause: it computes from the lesson's data, not from what the check gives it
            return Result(exercise_id, "wrong", "check.reads_notebook_data", {"name": name})
        return Result(exercise_id, "wrong", wrong.key, wrong.values)
    except SensorLabError:
        raise  # the data or the package is broken, not the answer: its message names the file
    except Exception as err:  # noqa: BLE001 - a strange answer must never show a traceback
        return Result(exercise_id, "error", "check.could_not_check",
                      {"got": _kind(answer), "problem": type(err).__name__})
    return Result(exercise_id, "correct", "check.correct", {})


# --- a student's function that never returns: a time limit per call -----------------------------

#: Seconds one call of a student's function may take before the check stops it (a ``while True:``
#: with no way out, or a loop over 8,784 rows that calls pandas on each). Generous: the lessons'
#: own methods take well under a second, on a busy school machine too. ``$SENSORLAB_CHECK_TIME_LIMIT``
#: (seconds) overrides it; 0 turns the limit off.
TIME_LIMIT_S = 10.0


class TookTooLong(BaseException):
    """Raised inside a student's function that outran the time limit. A ``BaseException``, as
    ``KeyboardInterrupt`` is, so the student's own ``except Exception:`` does not swallow it."""

    def __init__(self, seconds: float):
        super().__init__(seconds)
        self.seconds = seconds


def time_limit() -> float:
    """The limit in seconds for one call of a student's function (0: none)."""
    import os

    raw = os.environ.get("SENSORLAB_CHECK_TIME_LIMIT", "").strip()
    try:
        return max(float(raw), 0.0) if raw else TIME_LIMIT_S
    except ValueError:
        return TIME_LIMIT_S


@contextmanager
def _deadline(seconds: float):
    """Raise :class:`TookTooLong` in the code run inside once ``seconds`` have passed (wall clock).

    A POSIX interval timer (``SIGALRM``) interrupts pure-Python loops between two steps; it re-fires
    every half second in case the student's code catches the first. Only the main thread can take
    signals (a notebook's cells run there); elsewhere, and where there is no ``setitimer``, no limit.
    A timer already set (a test runner's own timeout) is put back with the time it had left.
    """
    import signal
    import threading
    import time

    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise TookTooLong(seconds)

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, stop)
    earlier = signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if earlier[0] > 0:
            signal.setitimer(signal.ITIMER_REAL, max(earlier[0] - (time.monotonic() - started), 1e-3), earlier[1])


def _limited(answer):
    """``answer`` itself, or, if it is a function the student wrote, the same function with each call
    (and each step of a generator it returns) under the time limit: the checker's own work is not timed."""
    import functools
    import types

    if not isinstance(answer, (types.FunctionType, types.MethodType, functools.partial)):
        return answer
    seconds = time_limit()

    def steps(generator):
        import time

        end = time.monotonic() + seconds  # one budget from its first step: endless quick steps are stopped too
        while True:
            left = end - time.monotonic()
            if seconds and left <= 0:
                raise TookTooLong(seconds)
            with _deadline(left if seconds else 0):
                try:
                    item = next(generator)
                except StopIteration as stop:
                    return stop.value
            yield item

    @functools.wraps(answer)
    def limited(*args, **kwargs):
        with _deadline(seconds):
            got = answer(*args, **kwargs)
        return steps(got) if isinstance(got, types.GeneratorType) else got

    return limited


#: Verdicts about the function itself, true whatever data it reads.
_NOT_FROM_DATA = {"check.unanswered", "check.changes_input.added_column", "check.changes_input.removed_column",
                  "check.changes_input.rows", "check.changes_input.index", "check.changes_input.values_column",
                  "check.changes_input.values"}


def call_on_copies(function, *args, **kwargs):
    """``function(*args, **kwargs)`` on copies of its tables, series and arrays; :class:`Wrong` if it changed one.

    A student's method that adds a column to the table it is given, drops rows ``inplace=True`` or
    writes NaN into the series, changes the notebook's own data when the notebook calls it: the
    cells and checks after it then see other data. The checker's data stays as it was (only copies
    are handed over); the message names the argument and what changed. Errors the function raises
    reach the caller, which words them.
    """
    import numpy as np
    import pandas as pd

    copies = [a.copy() if isinstance(a, (pd.DataFrame, pd.Series, np.ndarray)) else a for a in args]
    got = function(*copies, **kwargs)
    names = _parameter_names(function)
    for n, (before, after) in enumerate(zip(args, copies)):
        change = _change(before, after)
        if change:
            key, values = change
            raise Wrong(f"check.changes_input.{key}", name=names[n] if n < len(names) else f"#{n + 1}", **values)
    return got


def _parameter_names(function) -> list[str]:
    """The names the student gave the function's positional parameters (``readings``, ``series``)."""
    import inspect

    try:
        return [p.name for p in inspect.signature(function).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return []


def _change(before, after) -> tuple[str, dict] | None:
    """What a student's function did to a table, series or array it was given, as a message key's end and
    its fields; None if nothing changed."""
    import numpy as np
    import pandas as pd

    if isinstance(before, np.ndarray):
        return None if np.array_equal(before, after, equal_nan=before.dtype.kind in "fc") else ("values", {})
    if not isinstance(before, (pd.DataFrame, pd.Series)):
        return None
    if isinstance(before, pd.DataFrame):
        added = [c for c in after.columns if c not in before.columns]
        if added:
            return "added_column", {"column": str(added[0])}
        removed = [c for c in before.columns if c not in after.columns]
        if removed:
            return "removed_column", {"column": str(removed[0])}
    if len(before) != len(after):
        return "rows", {"before": len(before), "after": len(after)}
    if not before.index.equals(after.index):
        return "index", {}
    if isinstance(before, pd.Series):
        return None if before.equals(after) else ("values", {})
    changed = next((c for c in before.columns if not before[c].equals(after[c])), None)
    return None if changed is None else ("values_column", {"column": str(changed)})


def _notebook_data_read(answer) -> str | None:
    """The name of a table or series of the notebook that the function ``answer`` reads, else None.

    A student's own method is run on data the lesson never showed; one that reads the notebook's
    ``pm`` or ``daily`` instead of its argument answers about the lesson's data, whatever it is given.
    """
    import numpy as np
    import pandas as pd

    code, names = getattr(answer, "__code__", None), set()
    stack = [code] if code is not None else []
    while stack:  # the function's own names and those of the lambdas and comprehensions inside it
        one = stack.pop()
        names.update(one.co_names)
        stack.extend(c for c in one.co_consts if hasattr(c, "co_names"))
    notebook = getattr(answer, "__globals__", {})
    return next((n for n in sorted(names) if isinstance(notebook.get(n), (pd.DataFrame, pd.Series, np.ndarray))
                 and np.size(notebook[n]) > 1), None)


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


# --- helpers a checker uses to say what is wrong --------------------------------------------

_KINDS = {"Series": "check.kind.series", "DataFrame": "check.kind.dataframe", "str": "check.kind.text",
          "list": "check.kind.list", "tuple": "check.kind.list", "dict": "check.kind.dict",
          "bool": "check.kind.bool", "bool_": "check.kind.bool", "ndarray": "check.kind.array",
          "DatetimeIndex": "check.kind.index", "Index": "check.kind.index", "Figure": "check.kind.figure",
          "Axes": "check.kind.axes", "ellipsis": "check.kind.ellipsis", "Timestamp": "check.kind.timestamp",
          "NoneType": "check.kind.nothing", "set": "check.kind.set",
          # `answer = my_function` without brackets: the function itself, not what it returns
          "function": "check.kind.function", "method": "check.kind.function",
          "builtin_function_or_method": "check.kind.function"}


class _Kind(str):
    """A type name the message layer translates (``check.kind.*`` keys), maybe with the value shown."""

    shown: str | None = None


def _kind(obj_or_type) -> _Kind:
    name = obj_or_type.__name__ if isinstance(obj_or_type, type) else type(obj_or_type).__name__
    return _Kind(_KINDS.get(name, name))


def _scalar(answer):
    """``answer`` as a Python number if it is one number (numpy scalars and 0-d arrays too), else None."""
    import numpy as np

    if isinstance(answer, (bool, np.bool_)):
        return None
    if isinstance(answer, np.ndarray) and answer.ndim == 0 and answer.dtype.kind in "iuf":
        answer = answer.item()
    if isinstance(answer, (int, np.integer)):
        return int(answer)
    if isinstance(answer, (float, np.floating)):
        return float(answer)
    return None


def _missing(answer) -> str | None:
    """How pandas shows ``answer`` if it is an empty value (``"NaN"``, ``"NA"``, ``"NaT"``), else None."""
    import pandas as pd

    if answer is pd.NA:
        return "NA"
    if answer is pd.NaT:
        return "NaT"
    number = _scalar(answer)
    return "NaN" if isinstance(number, float) and math.isnan(number) else None


def _infinite(answer) -> str | None:
    """``"inf"`` or ``"-inf"`` if ``answer`` is an infinite number, else None."""
    number = _scalar(answer)
    return f"{number}" if isinstance(number, float) and math.isinf(number) else None


def _too_large(answer) -> str | None:
    """How many digits a whole number too large for a float has (``10**400``: ``"401"``), else None."""
    number = _scalar(answer)
    if isinstance(number, int):
        try:
            float(number)
        except OverflowError:
            return str(len(str(abs(number))))
    return None


def _given(answer) -> _Kind:
    """What the student gave, in their terms: 'a number with a decimal point (12.5)', 'the text "12"'."""
    number = _scalar(answer)
    if _missing(answer) or _infinite(answer):  # NaN is no "number with a decimal point", NAType no word for a student
        kind = _Kind("check.kind.empty_value" if _missing(answer) else "check.kind.infinite_value")
        kind.shown = _missing(answer) or _infinite(answer)
        return kind
    if _too_large(answer):
        kind = _Kind("check.kind.too_large_value")
        kind.shown = _too_large(answer)
        return kind
    if number is None and not isinstance(answer, str):
        return _kind(answer)
    if isinstance(answer, str):
        kind, shown = _Kind("check.kind.text_value"), answer if len(answer) <= 40 else answer[:37] + "..."
    elif isinstance(number, int):
        kind, shown = _Kind("check.kind.whole_number_value"), str(number)
    else:
        kind, shown = _Kind("check.kind.decimal_value"), f"{number:.6g}"
    kind.shown = shown
    return kind


def _is(answer, wanted: type) -> bool:
    import numpy as np
    import pandas as pd

    if wanted is float:
        return _scalar(answer) is not None
    if wanted is int:
        number = _scalar(answer)
        return number is not None and (isinstance(number, int) or float(number).is_integer())  # 12.0 counts as 12
    if wanted is list:
        return (isinstance(answer, (list, tuple, pd.Index, pd.Series))
                or isinstance(answer, np.ndarray) and answer.ndim == 1)
    if isinstance(answer, (bool, np.bool_)) and wanted is not bool:
        return False
    return isinstance(answer, wanted)


def _number_text(value: float) -> str:
    """A number as a student reads it: 24530 for a count (``.4g`` would show 2.453e+04), 19.8 for a reading."""
    if math.isfinite(value) and abs(value) >= 1e4:
        return f"{value:.0f}" if value.is_integer() else f"{value:.1f}"
    return f"{value:.4g}"


def _translate_values(values: dict, lang: str) -> dict:
    out = {}
    for name, value in values.items():
        if isinstance(value, _Kind):
            if not value.startswith("check.kind."):
                out[name] = f"`{value}`"
            else:
                out[name] = text(value, lang=lang, value=value.shown)
        elif isinstance(value, str) and value in catalogue():
            out[name] = text(value, lang=lang)  # a label the checker named by message key
        elif isinstance(value, float):
            out[name] = _number_text(value)
        else:
            out[name] = value
    return out


#: What a student is told to do when an answer of one kind was needed and another was given.
_ADVICE = {("number", "text"): "check.advice.remove_quotes", ("whole", "text"): "check.advice.remove_quotes",
           ("whole", "decimal"): "check.advice.count_is_whole",
           **{(want, got): "check.advice.one_number" for want in ("number", "whole")
              for got in ("series", "dataframe", "list", "array", "index")}}
_GROUP = {"check.kind.text_value": "text", "check.kind.decimal_value": "decimal", "check.kind.series": "series",
          "check.kind.dataframe": "dataframe", "check.kind.list": "list", "check.kind.array": "array",
          "check.kind.index": "index"}


def expect_type(answer, types, what: str | None = None) -> None:
    """Raise :class:`Wrong` unless ``answer`` is of a kind the exercise can use.

    ``float`` accepts any one number (``12``, ``12.5``, ``np.float32``, a 0-d array); ``int``
    accepts a whole number in any of those forms (``12.0`` too); ``list`` accepts any sequence
    of the items (tuple, 1-d array, Index, Series). The message names what was wanted and what
    was given, with its value: "a whole number (such as 12), but it is a number with a decimal
    point (12.5)".

    Examples
    --------
    >>> import numpy as np
    >>> expect_type(np.float32(2.5), float); expect_type(12.0, int); expect_type(np.array(3), int)
    >>> try:
    ...     expect_type(12.5, int)
    ... except Wrong as wrong:
    ...     print(text(wrong.key, lang="en", **_translate_values(wrong.values, "en")))
    Your answer should be a whole number (such as 12), but it is a number with a decimal point (12.5). A count has no decimal point: did you take a mean, or divide, where you should count?
    """
    wanted = types if isinstance(types, tuple) else (types,)
    if (int in wanted or float in wanted) and (_missing(answer) or _infinite(answer) or _too_large(answer)):
        if float in wanted and _missing(answer) == "NaN":
            return  # expect_close says what the NaN should have been
        _refuse_non_finite(answer)
    if any(_is(answer, t) for t in wanted):
        return
    expected = ("check.kind.any_number" if float in wanted else
                "check.kind.whole_number" if int in wanted else _kind(wanted[0]))
    got = _given(answer)
    advice = _ADVICE.get(({"check.kind.any_number": "number", "check.kind.whole_number": "whole"}.get(expected),
                          _GROUP.get(got)))
    if advice:
        raise Wrong("check.wrong_type_advice", expected=_Kind(expected), got=got, advice=advice)
    raise Wrong("check.wrong_type", expected=_Kind(expected), got=got)


def _refuse_non_finite(answer) -> None:
    """Raise :class:`Wrong` saying an empty (NaN, NA, NaT) or infinite answer is what it is."""
    if _missing(answer):
        raise Wrong("check.empty_answer", got=_missing(answer))
    if _infinite(answer):
        raise Wrong("check.infinite_answer", got=_infinite(answer))
    if _too_large(answer):
        raise Wrong("check.too_large_answer", digits=_too_large(answer))


def expect_close(got, expected, what: str, rtol: float = 1e-3, atol: float = 1e-6) -> None:
    """Raise :class:`Wrong` unless the number ``got`` is close to ``expected``.

    ``what`` names the quantity for the student: a message key (translated) or plain text.
    """
    if math.isfinite(float(expected)):
        if _missing(got) != "NaN":
            _refuse_non_finite(got)
    if math.isnan(float(got)) and not math.isnan(float(expected)):
        raise Wrong("check.empty_value", what=what, expected=float(expected))
    if not math.isclose(float(got), float(expected), rel_tol=rtol, abs_tol=atol):
        slip = unit_slip(float(got), float(expected))
        if slip:
            raise Wrong("check.wrong_value_unit", what=what, expected=float(expected), got=float(got), advice=slip)
        digits = rounded_to(float(got), float(expected))
        if digits is not None:
            raise Wrong("check.rounded", what=what, expected=float(expected), got=float(got), digits=digits)
        raise Wrong("check.wrong_value", what=what, expected=float(expected), got=float(got))


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


def expect_number_item(item, position, whole: bool = False) -> float:
    """``item`` (the ``position``-th of a student's sequence: a 1-based count or a label) as a float;
    :class:`Wrong` naming the item and what it is when it is not one finite number (a whole one if
    ``whole``): the text "12" in quotes, None, a list in the list, a number too large for a float.

    Examples
    --------
    >>> try:
    ...     expect_number_item("12.5", 2)
    ... except Wrong as wrong:
    ...     print(text(wrong.key, lang="en", **_translate_values(wrong.values, "en")))
    Item 2 of your answer should be one number (such as 12 or 12.5), but it is the text "12.5" (in quotes). Write the number without quotes.
    """
    if _missing(item) is None and _infinite(item) is None and _too_large(item) is None and _is(item, int if whole else float):
        return float(_scalar(item))
    if _too_large(item):
        raise Wrong("check.item_too_large", position=position, digits=_too_large(item))
    if _missing(item) or _infinite(item):
        raise Wrong("check.item_not_finite", position=position, got=_given(item))
    expected = _Kind("check.kind.whole_number" if whole else "check.kind.any_number")
    got = _given(item)
    advice = ("check.advice.remove_quotes" if isinstance(item, str) else
              "check.advice.count_is_whole" if whole and _scalar(item) is not None else "check.advice.no_advice")
    raise Wrong("check.item_wrong_type", position=position, expected=expected, got=got, advice=advice)


def expect_numbers(answer, whole: bool = False) -> list[float]:
    """The items of the sequence ``answer`` (list, tuple, 1-d array, Series) as floats, each checked by
    :func:`expect_number_item` (a Series' items named by their labels)."""
    import pandas as pd

    expect_type(answer, list)
    if isinstance(answer, pd.Series):
        return [expect_number_item(v, str(k), whole) for k, v in answer.items()]
    return [expect_number_item(v, n, whole) for n, v in enumerate(answer, 1)]


def expect_pair(answer, wrong_key: str) -> tuple[float, float]:
    """Two finite numbers from ``answer``: a tuple, list, array or Series of two, each a number or a
    one-value array (scikit-learn's ``coef_``); :class:`Wrong` ``wrong_key`` for any other shape.

    Examples
    --------
    >>> import numpy as np
    >>> expect_pair((np.array([0.9]), np.float64(4.0)), "m08.fit.shape")
    (0.9, 4.0)
    """
    import numpy as np
    import pandas as pd

    if (not isinstance(answer, (tuple, list, np.ndarray, pd.Series))  # np.ndim fails on (array, float)
            or isinstance(answer, np.ndarray) and answer.ndim != 1 or len(answer) != 2):
        raise Wrong(wrong_key)
    values = []
    for n, item in enumerate(answer.iloc if isinstance(answer, pd.Series) else answer, 1):
        if np.size(item) == 1 and not isinstance(item, str) and np.ndim(item) > 0:
            item = np.asarray(item).reshape(-1)[0]
        if np.ndim(item) > 0:
            raise Wrong(wrong_key)  # a list or a table in the pair: not the two numbers asked for
        values.append(expect_number_item(item, n))
    return values[0], values[1]


def expect_exact_name(got, names) -> None:
    """Raise :class:`Wrong` when the text ``got`` is one of ``names`` only once the spaces typed around it
    and its capitals are set aside (``"sdot-101-01 "``, ``"Stuck"``): the message shows both, so a
    student sees the difference that "is not one of them" hides. Anything else is left to the checker.

    >>> try:
    ...     expect_exact_name("sdot-101-01 ", ["sdot-101-01", "sdot-102-01"])
    ... except Wrong as wrong:
    ...     print(text(wrong.key, lang="ko", **_translate_values(wrong.values, "ko")))
    "sdot-101-01 "은 "sdot-101-01"과 거의 같아요. 자료에 쓰인 그대로 쓰세요(앞뒤 빈칸 없이, 대소문자도 그대로).
    """
    if not isinstance(got, str):
        return
    names = [str(n) for n in names]
    if got in names:
        return
    near = next((n for n in names if n.strip().casefold() == got.strip().casefold()), None)
    if near is not None:
        raise Wrong("check.name_spelling", got=got, name=near)


def expect_length(answer, expected: int) -> None:
    """Raise :class:`Wrong` unless ``answer`` has ``expected`` rows/items."""
    if len(answer) != expected:
        raise Wrong("check.wrong_length", expected=expected, got=len(answer))


def expect_columns(frame, expected) -> None:
    """Raise :class:`Wrong` naming the first expected column ``frame`` lacks, or any extra one."""
    missing = [c for c in expected if c not in frame.columns]
    if missing:
        raise Wrong("check.missing_column", column=missing[0])
    extra = [c for c in frame.columns if c not in expected]
    if extra:
        raise Wrong("check.extra_column", column=extra[0])


def _labels(index):
    """The index's labels without categorical categories: a student who loaded other sites than
    the checker (or cast ``site_id`` to str) groups into the same labels over other categories."""
    import pandas as pd

    return index.astype(index.categories.dtype) if isinstance(index, pd.CategoricalIndex) else index


def _edge_runs(empty) -> tuple[int, int]:
    """How many values are empty at the start and at the end of a boolean mask."""
    import numpy as np

    if empty.all():
        return len(empty), 0
    return int(np.argmax(~empty)), int(np.argmax(~empty[::-1]))


def _compare_empty(got, want, labels, what: str, empty_reason: str) -> None:
    """Raise :class:`Wrong` saying where the empty (NaN) values of ``got`` and ``want`` differ.

    NaN is never printed as a value a student should give: the message says which values should be
    empty and why (``empty_reason``, a message key), or which of theirs are empty and should not be.
    """
    import numpy as np

    empty_got, empty_want = np.isnan(got), np.isnan(want)
    if (empty_got == empty_want).all():
        return
    start_want, end_want = _edge_runs(empty_want)
    start_got, end_got = _edge_runs(empty_got)
    i = int(np.argmax(empty_got != empty_want))
    if i < start_want or i >= len(want) - end_want:  # the empty run at an edge is off, as a window's is
        key = "check.empty_at_edges" if end_want else "check.empty_at_start"
        advice = "check.empty_centred" if end_got > end_want else "check.empty_count"
        raise Wrong(key, what=what, start=start_want, end=end_want, reason=empty_reason,
                    got_start=start_got, got_end=end_got, advice=advice)
    if empty_want[i]:
        raise Wrong("check.should_be_empty", what=what, label=str(labels[i]), got=float(got[i]), reason=empty_reason)
    raise Wrong("check.should_not_be_empty", what=what, label=str(labels[i]), expected=float(want[i]))


def _seoul_labels(answer, expected):
    """``answer`` labelled like ``expected`` when its time labels are the same wall-clock times without
    their time zone (``tz_localize(None)``: still right); :class:`Wrong` when they lost it otherwise."""
    import pandas as pd

    got, want = answer.index, expected.index
    if not (isinstance(got, pd.DatetimeIndex) and isinstance(want, pd.DatetimeIndex)
            and got.tz is None and want.tz is not None):
        return answer
    if got.equals(want.tz_localize(None)):
        return answer.set_axis(want)
    raise Wrong("check.time_zone_dropped", zone=str(want.tz))


def expect_series_close(answer, expected, what: str, rtol: float = 1e-3,
                        empty_reason: str = "check.empty_reason.no_value") -> None:
    """Raise :class:`Wrong` unless the Series ``answer`` matches ``expected`` (index and values).

    Empty (NaN) values are compared by position: ``empty_reason`` (a message key) says why the
    expected ones are empty, e.g. ``"check.empty_reason.window"`` for a rolling window not yet full.

    Examples
    --------
    >>> import pandas as pd
    >>> hours = pd.Series([10.0, 20, 30, 40])
    >>> try:
    ...     expect_series_close(hours.rolling(3, center=True).mean(), hours.rolling(3).mean(), "the mean",
    ...                         empty_reason="check.empty_reason.window")
    ... except Wrong as wrong:
    ...     print(text(wrong.key, lang="ko", **_translate_values(wrong.values, "ko")))
    the mean: 처음 2개 값은 창(window)이 아직 다 차지 않아서 비어 있어야(NaN) 하는데, 답은 앞에서 1개, 끝에서 1개가 비어 있어요. 끝이 비는 것은 가운데 맞춘 창(center=True) 때문이에요. 이 문제의 창은 각 시각에서 끝나요.
    """
    import numpy as np

    expect_type(answer, type(expected))
    answer = _seoul_labels(answer, expected)
    if len(answer) != len(expected) and len(answer) == int(expected.notna().sum()) and expected.isna().any():
        raise Wrong("check.empty_dropped", n=int(expected.isna().sum()), reason=empty_reason)
    expect_length(answer, len(expected))
    if not _labels(answer.index).equals(_labels(expected.index)):
        if set(map(str, answer.index)) == set(map(str, expected.index)):
            raise Wrong("check.wrong_order")
        first = next(str(i) for i in expected.index if i not in answer.index)
        raise Wrong("check.wrong_index", label=first)
    try:
        got = answer.to_numpy(dtype=float)
    except (TypeError, ValueError, OverflowError):  # text, a list, a number too large for a float in a cell
        got = np.array([np.nan if _missing(v) else expect_number_item(v, str(k)) for k, v in answer.items()])
    want = expected.to_numpy(dtype=float)
    _compare_empty(got, want, expected.index, what, empty_reason)
    bad = ~np.isclose(got, want, rtol=rtol, equal_nan=True)
    if bad.any():
        i = int(np.argmax(bad))
        slip = unit_slip(got, want)
        if slip:
            raise Wrong("check.wrong_value_at_unit", what=what, label=str(expected.index[i]),
                        expected=float(want[i]), got=float(got[i]), advice=slip)
        digits = rounded_to(got, want)
        if digits is not None:
            raise Wrong("check.rounded_at", what=what, label=str(expected.index[i]), expected=float(want[i]),
                        got=float(got[i]), digits=digits)
        raise Wrong("check.wrong_value_at", what=what, label=str(expected.index[i]),
                    expected=float(want[i]), got=float(got[i]))
