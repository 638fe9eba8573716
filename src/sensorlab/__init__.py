"""Seoul Sensor Lab: the package the lessons, the grader and the kits import.

One data path runs through it: a sensor box (or its simulator) speaks KIT1 lines,
the logger writes long-format CSV, the loaders return tidy wide DataFrames, and the
lessons clean, explore and model them.

Examples
--------
>>> import sensorlab
>>> sensorlab.__version__
'0.1.0'
"""

__version__ = "0.1.0"

from sensorlab.errors import DataFormatError, SensorLabError  # noqa: E402

__all__ = ["DataFormatError", "SensorLabError", "__version__"]
