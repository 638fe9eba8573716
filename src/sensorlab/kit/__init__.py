"""The sensor box in software: the KIT1 protocol, sensor frames, the simulator and the logger.

Protocol and frames are here; ``simulate``, ``lines``, ``truth_frame``, ``run_logger``,
``Ingest`` (bytes + arrival time -> the log), ``load_log`` and ``serve_pty`` load their modules
on first use.

Importing this package registers the ``sim://`` scheme with pyserial, so
``serial.serial_for_url("sim://?seed=1&faults=all&speed=0")`` opens a simulated box.

Examples
--------
>>> from sensorlab.kit import encode_line, parse_line
>>> parse_line(encode_line("box1", 1, 2, 3000, "sht40", "ok", {"t": 19.5})).fields
{'t': 19.5}
"""

from __future__ import annotations

import serial

from sensorlab.kit.frames import (
    BadFrameChecksum,
    BadFrameHeader,
    BadFrameLength,
    FrameError,
    decode_pms5003,
    decode_sds011,
    encode_pms5003,
    encode_sds011,
    scan_frames,
)
from sensorlab.kit.protocol import (
    REASONS,
    BadChecksum,
    BadField,
    BadFraming,
    BadHeader,
    BadValue,
    Duplicate,
    Kit1Error,
    Kit1Line,
    PartialAtOpen,
    TooLong,
    Truncated,
    checksum,
    encode_line,
    parse_line,
    verify_line,
)

#: Heavier parts (pandas, numpy), imported on first use so the logger starts fast.
_LAZY = {"simulate": "simulator", "lines": "simulator", "truth_frame": "simulator",
         "BoxSimulator": "simulator", "run_logger": "logger", "Ingest": "ingest", "load_log": "readback",
         "serve_pty": "pty", "parse_faults": "sim_faults", "FAULTS": "sim_faults"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"sensorlab.kit.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'sensorlab.kit' has no attribute {name!r}")


# pyserial looks for a module ``protocol_<scheme>`` in each listed package.
if "sensorlab.kit" not in serial.protocol_handler_packages:
    serial.protocol_handler_packages.append("sensorlab.kit")

__all__ = [
    "REASONS", "BadChecksum", "BadField", "BadFrameChecksum", "BadFrameHeader",
    "BadFrameLength", "BadFraming", "BadHeader", "BadValue", "Duplicate", "FrameError",
    "Kit1Error", "Kit1Line", "PartialAtOpen", "TooLong", "Truncated", "checksum",
    "decode_pms5003", "decode_sds011", "encode_line", "encode_pms5003", "encode_sds011",
    "parse_line", "scan_frames", "verify_line", *_LAZY,
]
