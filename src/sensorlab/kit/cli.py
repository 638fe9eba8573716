"""``sensorlab simulate`` and ``sensorlab log``: the sensor box and its logger from a shell.

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="sensorlab")
>>> register(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["log", "sim://?seed=1", "--out", "logs"])
>>> args.port, args.out, args.fsync_interval
('sim://?seed=1', 'logs', 1.0)
"""

from __future__ import annotations

import sys

from sensorlab.errors import SensorLabError
from sensorlab.kit.sim_faults import FAULTS
from sensorlab.messages import text

#: ``simulate --class --boxes`` at most: a school's class or two (a box-week is ~2 s of CPU).
MAX_CLASS_BOXES = 100


def _simulate_class(args) -> int:
    """``sensorlab simulate --class``: a class network logged into ``--out``."""
    from sensorlab.kit import classnet

    if not args.out:
        print(text("kit_cli.class_need_out"), file=sys.stderr)
        return 2
    args.lat = classnet.DEFAULT_LAT if args.lat is None else args.lat
    args.lon = classnet.DEFAULT_LON if args.lon is None else args.lon
    # a class has tens of boxes; 500 would run for about an hour and fill gigabytes
    checks = [("--boxes", args.boxes, 1 <= args.boxes <= MAX_CLASS_BOXES,
               f"1..{MAX_CLASS_BOXES}"),
              ("--weeks", args.weeks, 0 < args.weeks <= 52, "0 < weeks <= 52"),
              ("--lat", args.lat, -90 <= args.lat <= 90, "-90..90"),
              ("--lon", args.lon, -180 <= args.lon <= 180, "-180..180")]
    if args.period is not None:
        checks.append(("--period", args.period, args.period >= 1, ">= 1 s"))
    for what, value, ok, rule in checks:
        if not ok:
            print(text("kit_cli.class_bad", what=what, value=value, rule=rule), file=sys.stderr)
            return 2
    options = {"period_s": args.period} if args.period is not None else {}
    if args.start is not None:
        options["start"] = args.start
    if args.faults != "none":
        options["faults"] = args.faults
    try:
        counts = classnet.record_class(args.out, boxes=args.boxes, weeks=args.weeks,
                                       seed=args.seed, lat=args.lat, lon=args.lon, **options)
    except OSError as err:  # an --out that is a file, or a folder this account cannot write
        print(text("kit_cli.class_cannot_write", out=args.out, reason=err.strerror),
              file=sys.stderr)
        return 2
    except (ValueError, SensorLabError) as err:  # a bad --start or --faults, a full disk
        print(f"sensorlab simulate --class: {err}", file=sys.stderr)
        return 2
    print(text("kit_cli.class_recorded", boxes=args.boxes, weeks=f"{args.weeks:g}", lat=args.lat,
               lon=args.lon, site=counts["site"], lines=counts["lines"], rows=counts["rows"],
               rejects=counts["rejects"], out=args.out), file=sys.stderr)
    return 0


def _simulate(args) -> int:
    if args.class_network:
        return _simulate_class(args)
    if args.list_faults:
        # (a loop variable named `text` here once hid the message function for the whole
        # function, so every --pty run ended in UnboundLocalError)
        for name, (rate, unit, meaning) in FAULTS.items():
            print(f"{name:17s} {rate:<6g} {unit:9s} {meaning}")
        return 0
    from sensorlab.kit.sim_boot import next_boot_id
    from sensorlab.kit.simulator import simulate

    # a real box counts its boots in flash; a simulator started again is a new boot too,
    # so the logger can tell its lines from the last run's
    boot_id = args.boot if args.boot is not None else next_boot_id(args.node)
    emissions = simulate(seed=args.seed, faults=args.faults, duration_s=args.duration,
                         nodes=args.nodes, period_s=args.period,
                         start=args.start or "2025-01-06T00:00:00Z",
                         engine=args.engine, node_id=args.node, boot_id=boot_id)
    if args.pty:
        from sensorlab.kit.pty import serve_pty

        try:
            stats = serve_pty(emissions, speed=args.speed, link=args.link, truth=args.truth,
                              write_timeout=args.write_timeout, wait_reader=args.wait_reader)
        except KeyboardInterrupt:
            return 0
        print(text("kit_cli.simulated", lines=stats["lines"], delivered=stats["delivered"],
                   dropped=stats["dropped"], unplugs=stats["unplugs"]), file=sys.stderr)
        return 0
    from sensorlab.kit.sim_stream import Pacer, TruthWriter, utc_now

    import itertools

    emissions = iter(emissions)
    first = next(emissions, None)  # builds the truth model before the clock starts
    emissions = itertools.chain([first] if first is not None else [], emissions)
    pacer, truth = Pacer(args.speed), TruthWriter(args.truth)
    out = sys.stdout.buffer
    try:
        for e in emissions:
            pacer.wait(e.t)
            ok = bool(e.data) and e.sent
            if ok:
                out.write(e.data)
                out.flush()
            truth.write(e, delivered=ok, sent_utc=utc_now() if ok else "")
    except (KeyboardInterrupt, BrokenPipeError):
        pass
    finally:
        truth.close()
    return 0


def _log(args) -> int:
    from sensorlab.errors import SensorLabError
    from sensorlab.kit.logger import run_logger

    if args.port is None and args.vid_pid is None:
        print(text("kit_cli.need_port"), file=sys.stderr)
        return 2
    code = 0
    try:
        stats = run_logger(args.port, args.out, vid_pid=args.vid_pid,
                           serial_number=args.serial_number, baudrate=args.baud,
                           quiet=args.quiet, fsync_interval=args.fsync_interval,
                           idle_exit=args.idle_exit, hold_mb=args.hold_mb)
    except SensorLabError as err:  # a busy port or node, a disk that stayed full: one message
        print(f"sensorlab log: {err}", file=sys.stderr)
        stats, code = getattr(err, "stats", None), 1
    if stats is not None and (not args.quiet or code):
        print(text("kit_cli.logged", lines=stats["lines"], rows=stats["rows"],
                   rejects=stats["rejects"], reconnects=stats["reconnects"], out=args.out),
              file=sys.stderr)
    return code


def register(subparsers) -> None:
    """Add ``simulate`` and ``log`` to the ``sensorlab`` command."""
    p = subparsers.add_parser(
        "simulate", help="run a simulated sensor box (KIT1 lines, seeded faults)",
        description="Run a seeded virtual box that sends the same KIT1 lines as the firmware. "
                    "Without --pty the lines go to stdout. With --pty a pseudo-terminal is "
                    "opened and its device path printed on the first line of stdout (and again "
                    "after each simulated unplug, since a replugged box may get a new path).")
    p.add_argument("--pty", action="store_true", help="serve the box on a pseudo-terminal")
    p.add_argument("--link", help="with --pty: keep this symlink pointing at the current pty")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--faults", default="none",
                   help="fault spec: all, none, or name[:rate],... (see --list-faults)")
    p.add_argument("--list-faults", action="store_true", help="list the faults and exit")
    p.add_argument("--speed", type=float, default=1.0,
                   help="simulated seconds per real second; 0 = as fast as possible")
    p.add_argument("--duration", type=float, default=None, help="simulated seconds (default: "
                   "forever)")
    p.add_argument("--nodes", type=int, default=1, help="boxes sharing the stream")
    p.add_argument("--node", default="sim-01",
                   help="the box's node id (with --nodes > 1 the boxes are sim-01 .. sim-NN)")
    p.add_argument("--boot", type=int, default=None,
                   help="boot id of the first boot (default: one more than the last run of "
                        "this node, like a real box's boot counter)")
    p.add_argument("--period", type=float, default=None,
                   help="seconds between reports (default: the firmware's REPORT_MS, 10 s; "
                        "with --class 300 s)")
    p.add_argument("--start", default=None, help="time of second 0 (default "
                   "2025-01-06T00:00:00Z; with --class 2025-03-03 00:00 in Seoul)")
    p.add_argument("--engine", choices=["auto", "city", "diurnal"], default="auto",
                   help="truth model: the synthetic city (auto: when available) or the small "
                        "diurnal model")
    p.add_argument("--truth", help="write the truth file (clean values, fault labels) here")
    p.add_argument("--write-timeout", type=float, default=0.05,
                   help="with --pty: seconds to wait for a reader before dropping a line")
    p.add_argument("--wait-reader", type=float, default=0.0, metavar="SECONDS",
                   help="with --pty: wait up to this long for a reader on each new pty")
    p.add_argument("--class", dest="class_network", action="store_true",
                   help=text("kit_cli.class_help"))
    p.add_argument("--boxes", type=int, default=8, help=text("kit_cli.class_boxes_help", default=8))
    p.add_argument("--weeks", type=float, default=3.0,
                   help=text("kit_cli.class_weeks_help", default=3))
    p.add_argument("--lat", type=float, default=None, help=text("kit_cli.class_place_help"))
    p.add_argument("--lon", type=float, default=None, help=text("kit_cli.class_place_help"))
    p.add_argument("--out", help=text("kit_cli.class_out_help"))
    p.set_defaults(func=_simulate)

    q = subparsers.add_parser(
        "log", help="log a sensor box's KIT1 lines to daily long-format CSV files",
        description="Read KIT1 lines from a serial port (device path or pyserial URL such as "
                    "sim://?seed=1), write <out>/<YYYY-MM-DD>.csv (UTC days), rejects.csv and "
                    "events.csv. Ctrl-C stops cleanly.")
    q.add_argument("port", nargs="?", help="device path or pyserial URL")
    q.add_argument("--out", required=True, help="log directory")
    q.add_argument("--vid-pid", help="find the port by USB ids, e.g. 10C4:EA60 or 1A86:7523")
    q.add_argument("--serial-number", help="with --vid-pid: the adapter's serial number")
    q.add_argument("--baud", type=int, default=115200)
    q.add_argument("--quiet", action="store_true", help="no status line")
    q.add_argument("--fsync-interval", type=float, default=1.0,
                   help="seconds between fsyncs (at most 2)")
    q.add_argument("--idle-exit", type=float, default=None,
                   help="stop after this many seconds without data")
    q.add_argument("--hold-mb", type=float, default=64.0,
                   help="while the disk is full, hold up to this many MB of lines in memory "
                        "and write them when space returns (then stop with an error)")
    q.set_defaults(func=_log)


def main(argv: list[str] | None = None) -> int:
    """Run just the kit commands (``python -m sensorlab.kit.cli simulate ...``)."""
    import argparse

    parser = argparse.ArgumentParser(prog="sensorlab")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
