"""Your data, in every module: your own box's log, your class's network, real S-DoT data.

Modules 03-08 each end by applying their method to data that is the student's own. All three
sources come as :class:`~sensorlab.datasets.base.SensorData`, the container of the synthetic
city, so the module's functions take them unchanged:

- :func:`my_data` -- the student's box's log folder when there is one (the folder given, or
  ``$SENSORLAB_MY_LOG``), the class network otherwise: a class of simulated boxes at the
  school (:func:`sensorlab.kit.classnet.record_class`), recorded once into the data cache and
  read back with :func:`~sensorlab.kit.readback.load_log`, as a class with hardware would;
- :func:`real_or_none` -- a real dataset (``fetch_sdot_daily`` ...) when it is cached or can be
  fetched; otherwise it prints the one command that fetches it and returns None, so the rest
  of the notebook still runs.

Examples
--------
>>> import tempfile
>>> from sensorlab.kit.classnet import record_class
>>> folder = tempfile.mkdtemp()
>>> _ = record_class(folder, boxes=2, weeks=0.02, seed=3)
>>> log = my_data(folder)
>>> sorted(log.readings["site_id"].unique()), list(log.sites["lat"].notna())
(['class-01', 'class-02'], [True, True])
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from sensorlab.datasets.base import SensorData
from sensorlab.errors import SensorLabError

#: A student's own log folder, for a notebook started without arguments (a teacher can set it
#: per student on a hub; a student can set it in a notebook cell).
MY_LOG_ENV = "SENSORLAB_MY_LOG"
#: The class network lessons use when no box log is given: small enough to record in seconds.
CLASS_BOXES, CLASS_WEEKS, CLASS_SEED = 6, 2.0, 0


def class_network_folder(boxes: int = CLASS_BOXES, weeks: float = CLASS_WEEKS,
                         seed: int = CLASS_SEED) -> Path:
    """The class network's log folder in the data cache, recorded the first time it is asked for.

    It is recorded into a private folder and renamed into place, so a class of students asking
    at the same moment never reads a half-written one.
    """
    from sensorlab.datasets.real_cache import cache_dir
    from sensorlab.kit.classnet import record_class

    folder = cache_dir() / "class-network" / f"seed{seed}-boxes{boxes}-weeks{weeks:g}"
    if (folder / "simulation.json").is_file():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".recording-", dir=folder.parent))
    try:
        record_class(scratch, boxes=boxes, weeks=weeks, seed=seed)
        try:
            scratch.rename(folder)
        except OSError:  # another student's recording landed first: theirs is the same
            if not (folder / "simulation.json").is_file():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return folder


def my_data(folder: str | Path | None = None, resample: str | None = "1h") -> SensorData:
    """Your box's log (``folder``, or ``$SENSORLAB_MY_LOG``); the class network when you have none.

    Parameters
    ----------
    folder : str or Path, optional
        The folder ``sensorlab log`` wrote to (one box, or a class's boxes in one folder).
    resample : str or None
        Average the ``ok`` readings onto this clock (default hourly, like the city and the
        real S-DoT data); None keeps every line with its ``status`` and ``uptime_ms``.
    """
    from sensorlab.kit.readback import load_log

    folder = folder or os.environ.get(MY_LOG_ENV) or class_network_folder()
    return load_log(folder, resample=resample)


def real_or_none(fetch: Callable[[], SensorData]) -> SensorData | None:
    """``fetch()`` (a real dataset), or None after printing why and the command that fetches it."""
    try:
        return fetch()
    except SensorLabError as err:
        print(err)
        return None
