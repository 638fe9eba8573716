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
import os
import sys

from sensorlab import __version__
from sensorlab.errors import SensorLabError

# Modules with a ``register(subparsers)`` function, and the commands each adds; order is the
# order in ``--help``. The commands are listed here so that ``sensorlab log`` imports only its
# own part: the datasets part pulls in pandas (about 2 s on a school PC), and a logger
# restarted by a student must have its port open again within half a second.
PARTS = {
    "sensorlab.datasets.cli": ("data",),
    "sensorlab.kit.cli": ("simulate", "log"),
    "sensorlab.grading.cli": ("grade",),
}


def _command(argv: list[str]) -> str | None:
    """The subcommand named in ``argv`` (the first word that is not an option)."""
    return next((word for word in argv if not word.startswith("-")), None)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """Build the argument parser: every part's subcommands, or only the one ``argv`` names."""
    parser = argparse.ArgumentParser(
        prog="sensorlab",
        description="Seoul Sensor Lab: data, sensor-box and grading tools for the curriculum.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    command = None if argv is None else _command(argv)
    wanted = [name for name, commands in PARTS.items() if command in commands] or list(PARTS)
    for name in wanted:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
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
    except BrokenPipeError:
        # the reader left early (``sensorlab data fetch --list | head``): stop quietly, and
        # keep the interpreter's last flush at exit from failing on the closed pipe again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
