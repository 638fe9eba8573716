"""``sensorlab data fetch``: put the real files into the cache once, before class.

- ``sensorlab data fetch NAME ...`` or ``--all``: download each dataset's files into the cache
  (from ``SENSORLAB_DATA_MIRROR`` when set, else from the publishers), with a progress bar and
  the sha256 checked; files already cached are left alone. Prints each file, the sizes and the
  time taken.
- ``sensorlab data fetch --list``: what the cache holds, dataset by dataset, with sizes.

The cache is ``SENSORLAB_DATA_DIR`` if set, else pooch's per-user cache
(:func:`sensorlab.datasets.real_cache.cache_dir`).
"""

from __future__ import annotations

import time

from sensorlab import messages
from sensorlab.datasets import real_cache
from sensorlab.datasets.registry_real import mirror_dir
from sensorlab.errors import SensorLabError


def add_parser(data_sub) -> None:
    """Add ``fetch`` to the ``sensorlab data`` subcommands."""
    fetch = data_sub.add_parser("fetch", help="download the real Seoul files into the cache, once")
    fetch.add_argument("names", nargs="*", metavar="NAME",
                       help=f"dataset(s) to fetch: {', '.join(real_cache.DATASETS)}")
    fetch.add_argument("--all", action="store_true", help="fetch every dataset")
    fetch.add_argument("--list", action="store_true", help="show what the cache holds, with sizes")
    fetch.add_argument("--quiet", action="store_true", help="no progress bar")
    fetch.set_defaults(func=run_fetch)


def _mb(path) -> float:
    return path.stat().st_size / 1e6


def run_fetch(args) -> int:
    if args.list:
        return list_cache()
    choices = ", ".join(real_cache.DATASETS)
    if not args.all and not args.names:
        raise SensorLabError(messages.text("real.nothing_asked", choices=choices))
    names = list(real_cache.DATASETS) if args.all else list(dict.fromkeys(args.names))
    mirror = mirror_dir()
    # every name checked before anything is downloaded
    keys = list(dict.fromkeys(k for name in names for k in real_cache.dataset_files(name, mirror)))
    owner = {k: name for name in reversed(names) for k in real_cache.dataset_files(name, mirror)}
    source = str(mirror) if mirror is not None else messages.text("real.source_publisher")
    print(messages.text("real.fetch_from", cache=real_cache.cache_dir(), source=source), flush=True)
    start, new, new_mb, total_mb = time.perf_counter(), 0, 0.0, 0.0
    for key in keys:
        had = real_cache.cached(key)
        path = had or real_cache.download(key, owner[key], mirror=mirror, progress=not args.quiet)
        mb = _mb(path)
        total_mb += mb
        if had is None:
            new, new_mb = new + 1, new_mb + mb
        print(messages.text("real.had" if had else "real.got", file=key, mb=mb), flush=True)
    print(messages.text("real.summary", files=len(keys), mb=total_mb, new=new, new_mb=new_mb,
                        seconds=time.perf_counter() - start))
    return 0


def list_cache() -> int:
    """Print every dataset's files: cached (size), damaged or missing; the total cached."""
    print(messages.text("real.list_header", cache=real_cache.cache_dir()))
    total = 0.0
    for name in real_cache.DATASETS:
        rows, size, complete = [], 0.0, True
        for key in real_cache.DATASETS[name]:
            if key == real_cache.SDOT_DAILY_CSV and real_cache.cached(key) is None \
                    and real_cache.cached(real_cache.SDOT_DAILY_RDA) is not None:
                key = real_cache.SDOT_DAILY_RDA  # fetched from the publisher, who serves the R file
            path = real_cache.cached(key)
            if path is not None:
                size += _mb(path)
                rows.append(messages.text("real.list_file_ready", file=key, mb=_mb(path)))
                continue
            complete = False
            damaged = any((real_cache.cache_dir() / n).is_file() for n, _ in real_cache.cache_names(key))
            rows.append(messages.text("real.list_file_damaged" if damaged else "real.list_file_missing",
                                      file=key))
        state = (messages.text("real.state_ready", mb=size) if complete
                 else messages.text("real.state_missing", name=name))
        print(messages.text("real.list_dataset", name=name, state=state))
        print("\n".join(rows))
    for key in real_cache.REGISTRY:
        path = real_cache.cached(key)
        total += 0.0 if path is None else _mb(path)
    print(messages.text("real.list_total", mb=total))
    return 0
