"""Run the Tier A firmware on a Raspberry Pi (Tier B sensor box).

The ESP32 firmware in ``kits/firmware/`` runs unchanged: this script puts a Linux version
of MicroPython's ``machine`` module (``pi/machine.py``: pyserial for the PMS5003 on
``/dev/serial0``, the kernel's ``/dev/i2c-1`` for the SHT40) in front of it.

Usage, on the Pi, from the repository folder::

    python kits/firmware/pi/run_on_pi.py --name class3-pi            # KIT1 lines on screen
    python kits/firmware/pi/run_on_pi.py --name class3-pi --pty      # a virtual port to log

With ``--pty`` it prints a port name such as ``/dev/pts/3``; log it in a second terminal
with ``sensorlab log /dev/pts/3 --out logs/``, exactly like a Tier A box on USB.
"""

from __future__ import annotations

import argparse
import os
import sys
import tty
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # this machine.py first, then the firmware

import machine  # noqa: E402  (the Linux stand-in next to this file)
import main  # noqa: E402  (the ESP32 firmware)


def open_pty():
    """A pseudo-terminal pair; returns (write function, name of the port to log)."""
    master, slave = os.openpty()
    tty.setraw(slave)
    name = os.ttyname(slave)

    def emit(line: str) -> None:
        os.write(master, (line + "\n").encode("ascii"))

    return emit, name


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", help="node_id for the lines (default: pi + serial number)")
    parser.add_argument("--serial", default=machine.SERIAL_PORT,
                        help="PMS5003 port or pyserial URL (default /dev/serial0)")
    parser.add_argument("--counter", type=Path,
                        default=Path.home() / ".local" / "state" / "sensorlab" / "boot_id.txt",
                        help="file that keeps the boot counter")
    parser.add_argument("--pty", action="store_true", help="serve the lines on a virtual port")
    parser.add_argument("--seconds", type=float, help="stop after this long (default: never)")
    args = parser.parse_args(argv)
    args.counter.parent.mkdir(parents=True, exist_ok=True)
    emit = lambda line: print(line, flush=True)  # noqa: E731
    if args.pty:
        emit, name = open_pty()
        print(f"KIT1 lines on {name}  (log them: sensorlab log {name} --out logs/)", flush=True)
    uid = machine.unique_id()
    try:
        main.run(duration_ms=None if args.seconds is None else int(args.seconds * 1000),
                 clock=machine.CLOCK, uart=machine.UART(url=args.serial),
                 i2c=machine.I2C(1), emit=emit,
                 node_id=args.name or "pi-" + uid[-3:].hex(), counter_path=str(args.counter),
                 mem_free=machine.mem_available)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(cli())
