"""The ``sensorlab`` command: one entry point, one subcommand per part of the kit.

Each part registers its own subcommands (``sensorlab data ...``, ``sensorlab simulate``,
``sensorlab log``, ``sensorlab grade ...``) through a ``register(subparsers)`` function
in its ``cli`` module, listed in ``PARTS`` below.

Examples
--------
>>> main(["--version"])
sensorlab 0.1.0
0
"""

from __future__ import annotations

import argparse
import importlib
import sys

from sensorlab import __version__
from sensorlab.errors import SensorLabError

# Modules with a ``register(subparsers)`` function; order is the order in ``--help``.
PARTS = [
    "sensorlab.datasets.cli",
    "sensorlab.kit.cli",
    "sensorlab.grading.cli",
]


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every part's subcommands."""
    parser = argparse.ArgumentParser(
        prog="sensorlab",
        description="Seoul Sensor Lab: data, sensor-box and grading tools for the curriculum.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in PARTS:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        print(f"sensorlab {__version__}")
        return 0
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except SensorLabError as err:
        print(f"sensorlab: error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
