"""``sensorlab data ...``: look at the bundled city and compare it with the real files.

- ``sensorlab data info``: what the bundled synthetic year holds (sites, period, quantities
  with units, fault labels, files and their sha256 check).
- ``sensorlab data compare [--real PATH] [--seed N]``: every target statistic, real against
  synthetic, with its tolerance; exits 1 if any is outside or n/a (not computable from the
  city). Then the discriminator check
  (:mod:`sensorlab.datasets.discriminate`): the cross-validated ROC AUC of a random forest
  telling synthetic street sensors from real S-DoT ones, and the features that give them away
  (printed, not judged in the exit status).
- ``sensorlab data fetch [NAME ...|--all|--list]``: the real files into the cache, once
  (:mod:`sensorlab.datasets.fetch_command`).

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="sensorlab")
>>> register(parser.add_subparsers(dest="command"))
>>> parser.parse_args(["data", "compare", "--seed", "3"]).seed
3
"""

from __future__ import annotations

import os
from pathlib import Path

from sensorlab.checkout import checkout_root
from sensorlab.errors import SensorLabError
from sensorlab.messages import text


def default_real() -> Path | None:
    """The real files beside a development checkout (``../shared/real-data``), if there are any.

    A pip-installed package has no checkout around it (:func:`~sensorlab.checkout.checkout_root`
    is ``None``): ``data compare`` then reads ``$SENSORLAB_DATA_MIRROR`` or the download cache.
    """
    root = checkout_root()
    folder = root.parent / "shared" / "real-data" if root is not None else None
    return folder if folder is not None and folder.is_dir() else None


def register(subparsers) -> None:
    """Add ``data info``, ``data compare`` and ``data fetch`` to the ``sensorlab`` command."""
    data = subparsers.add_parser("data", help="datasets: the bundled synthetic city and the real files")
    data_sub = data.add_subparsers(dest="data_command", metavar="DATA_COMMAND")
    data.set_defaults(func=lambda args: (data.print_help(), 2)[1])

    info = data_sub.add_parser("info", help="describe the bundled synthetic year")
    info.set_defaults(func=run_info)

    compare = data_sub.add_parser("compare", help="real vs synthetic target statistics, with tolerances")
    compare.add_argument("--real", metavar="PATH", type=Path,
                         help="folder of the real files laid out like shared/real-data "
                              "(default: $SENSORLAB_DATA_MIRROR, else ../shared/real-data, else download)")
    compare.add_argument("--seed", type=int, help="compare make_city(seed=N) instead of the bundled year")
    compare.add_argument("--no-discriminator", action="store_true",
                         help="skip the discriminator check (a random forest telling synthetic street "
                              "sensors from real S-DoT ones; about 20 s)")
    compare.set_defaults(func=run_compare)

    from sensorlab.datasets.fetch_command import add_parser

    add_parser(data_sub)


def run_info(args) -> int:
    from sensorlab.datasets.base import UNITS
    from sensorlab.datasets.city import QUANTITIES, load_city
    from sensorlab.datasets.city_faults import FAULTS
    from sensorlab.datasets.city_bundle_files import BUNDLE_FILES, bundle_dir

    city = load_city()  # verifies the sha256 of every file first
    r = city.readings
    kinds = city.sites["kind"].value_counts()
    print(f"Bundled synthetic city (seed {city.meta['seed']}, generator v{city.meta['generator_version']})")
    print(f"  period   {r['timestamp'].min():%Y-%m-%d %H:%M} .. {r['timestamp'].max():%Y-%m-%d %H:%M} "
          f"(Asia/Seoul), every {city.meta['freq']}")
    print(f"  sites    {kinds.get('reference', 0)} reference stations, {kinds.get('street', 0)} street sensors")
    print(f"  readings {len(r):,} rows")
    print("  quantity      unit        present  faulty")
    for q in QUANTITIES:
        faults = city.truth[f"fault_{q}"]
        measured = faults != "not_measured"
        faulty = (measured & (faults != "none")).sum() / max(int(measured.sum()), 1)
        print(f"  {q:<12}  {UNITS[q]:<10}  {r[q].notna().mean():6.1%}  {faulty:6.1%}")
    print("  fault labels: " + ", ".join(FAULTS))
    folder = bundle_dir()
    print(f"  files in {folder} (sha256 checked against registry.txt):")
    for name in BUNDLE_FILES:
        print(f"    {name:<18} {(folder / name).stat().st_size / 1e6:6.2f} MB")
    print(f"  {city.attribution}")
    return 0


def run_compare(args) -> int:
    from sensorlab.datasets.compare import SOURCES, compare, format_table, real_statistics

    if args.seed is not None:  # a seed make_city cannot use is named before anything is read
        from sensorlab.datasets.city_layout import check_city_arguments

        check_city_arguments(args.seed)
    if args.real is not None:
        if not args.real.is_dir():
            raise SensorLabError(text("datasets.real_not_folder", path=args.real))
        os.environ["SENSORLAB_DATA_MIRROR"] = str(args.real)
    elif not os.environ.get("SENSORLAB_DATA_MIRROR") and default_real() is not None:
        os.environ["SENSORLAB_DATA_MIRROR"] = str(default_real())
    # The real files first: without them a student should not wait for a whole year to be made.
    real = real_statistics()
    city = None
    if args.seed is not None:
        from sensorlab.datasets.city import BUNDLED_PARAMS, make_city

        city = make_city(args.seed, **BUNDLED_PARAMS)
    table = compare(city, real)
    what = f"make_city(seed={args.seed})" if city is not None else "the bundled year (load_city)"
    print(f"Synthetic: {what}. Real: " + "; ".join(SOURCES.values()))
    print(format_table(table))
    if not args.no_discriminator:
        from sensorlab.datasets.discriminate import discriminator_checks, format_checks

        if city is None:
            from sensorlab.datasets.city import load_city

            city = load_city()
        print()
        print(format_checks(discriminator_checks(city)))
    return 0 if bool(table["ok"].all()) else 1
