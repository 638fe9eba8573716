"""The logger running in a notebook's background thread, which the notebook can always stop.

Module 02 runs the real logger (:func:`sensorlab.kit.logger.run_logger`) against the
simulator, or a real box, from inside a notebook; the thread is a daemon, so it also ends when
the kernel exits.

Examples
--------
>>> import tempfile
>>> out = tempfile.mkdtemp()
>>> with BackgroundLogger("sim://?seed=2&speed=0&duration=120&engine=diurnal", out, idle_exit=5) as logger:
...     stopped = logger.wait(timeout=60)
>>> logger.running, logger.stats["lines"] > 10
(False, True)
"""

from __future__ import annotations

import threading
from pathlib import Path

__all__ = ["BackgroundLogger"]


class BackgroundLogger:
    """The logger running in a background thread, with a stop button in code.

    Parameters
    ----------
    port : str
        A device path (``/dev/ttyUSB0``, ``COM3``) or pyserial URL (``sim://?seed=1&speed=60``).
    out : str or Path
        The log directory.
    idle_exit : float, optional
        Stop by itself after this many seconds without data (a finished simulation).

    Use it as a context manager, or call :meth:`start` and then always :meth:`stop`.
    """

    def __init__(self, port: str, out, idle_exit: float | None = 2.0, **options):
        self.port, self.out, self.idle_exit, self.options = port, Path(out), idle_exit, options
        self.stats: dict = {}
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _run(self) -> None:
        from sensorlab.kit.logger import run_logger

        try:
            self.stats = run_logger(self.port, self.out, quiet=True, idle_exit=self.idle_exit,
                                    stop=self._stop, **self.options)
        except BaseException as err:  # noqa: BLE001 - reported by stop(), never lost in a thread
            self.error = err

    def start(self) -> BackgroundLogger:
        """Start logging in the background (returns at once)."""
        if self.running:
            from sensorlab.messages import text

            raise RuntimeError(text("live.already_running", port=self.port))
        self._stop.clear()
        # a daemon thread never keeps a finished kernel alive
        self._thread = threading.Thread(target=self._run, name=f"logger {self.port}", daemon=True)
        self._thread.start()
        return self

    @property
    def running(self) -> bool:
        """Whether the logger thread is still running."""
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the logger stops by itself (``idle_exit``); True if it has stopped."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.running

    def stop(self, timeout: float = 10.0) -> dict:
        """Stop the logger (it flushes and closes its files) and return its counts."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                from sensorlab.messages import text

                raise RuntimeError(text("live.did_not_stop", port=self.port, timeout=timeout))
        if self.error is not None:
            raise self.error
        return self.stats

    def __enter__(self) -> BackgroundLogger:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
