"""A time limit on each call of a student's function, so a check never hangs on an endless loop.

:func:`time_limited` wraps the function a student hands to a check; the check's own work is not
timed. :func:`sensorlab.check.evaluate` turns :class:`TookTooLong` into a sentence saying so.
"""

from __future__ import annotations

from contextlib import contextmanager

__all__ = ["TIME_LIMIT_S", "TookTooLong", "time_limit", "time_limited"]

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


def time_limited(answer):
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
