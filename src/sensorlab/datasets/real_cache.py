"""The real files on this computer: one cache, filled once, read by every ``fetch_*``.

A real file is looked for, in order, in

1. the cache: ``pooch.os_cache("sensorlab")`` (``~/.cache/sensorlab`` on Linux), or the folder
   named by ``SENSORLAB_DATA_DIR`` (a classroom server points every student at one shared,
   read-only folder that the teacher filled once);
2. the mirror named by ``SENSORLAB_DATA_MIRROR`` (a folder laid out like ``shared/real-data``),
   read in place;
3. the publisher's address, downloaded into the cache (sha256 checked, with a progress bar).

``sensorlab data fetch`` fills the cache ahead of class (:func:`fetch_dataset`). The cache is
laid out like the mirror: a file is kept under its registry name, except where the publisher
serves the plain bytes of a file the mirror gzips (``…csv.gz`` → ``…csv``). Every file is
checked against its sha256 each time it is used; a download goes to a temporary file beside
its place and is moved there only once its sha256 matches (pooch), so a broken or partial
download never lands in the cache.

Examples
--------
>>> sorted(DATASETS)
['sdot-daily', 'sdot-hourly', 'sdot-sites', 'seoul-bike', 'stations-daily']
>>> cache_names("seoul-air-daily/seoul_daily_air_2019.csv.gz")[1][0]
'seoul-air-daily/seoul_daily_air_2019.csv'
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pooch

from sensorlab import messages
from sensorlab.datasets.registry_real import MIRROR_ENV, REGISTRY, mirror_dir, station_file
from sensorlab.digest import sha256
from sensorlab.errors import DataFormatError, SensorLabError

CACHE_ENV = "SENSORLAB_DATA_DIR"
SDOT_DAILY_CSV = "sdot/sdot_daily_20200401_20201130.csv.gz"
SDOT_DAILY_RDA = "sdot/sdot.rda"
SDOT_SITES = ["sdot/sensor_longitude_latitude.csv", "sdot/sdot_sensor_model_district.csv"]

#: What ``sensorlab data fetch NAME`` gets: the files each ``fetch_*`` reads. S-DoT daily is
#: the mirror's CSV export, or (from the publisher, who serves no CSV) the R data file.
DATASETS: dict[str, list[str]] = {
    "sdot-daily": [SDOT_DAILY_CSV, *SDOT_SITES],
    "sdot-hourly": ["sdot/sdot_hourly_20200501.csv.gz", *SDOT_SITES],
    "sdot-sites": SDOT_SITES,
    "stations-daily": [station_file(year) for year in range(2014, 2023)],
    "seoul-bike": ["seoul-bike-uci/SeoulBikeData.csv"],
}


def dataset_files(name: str, mirror: Path | None) -> list[str]:
    """The registry keys ``sensorlab data fetch name`` gets from ``mirror`` (None: publisher)."""
    if name not in DATASETS:
        raise SensorLabError(messages.text("real.unknown_name", given=name,
                                           choices=", ".join(DATASETS)))
    keys = DATASETS[name]
    return keys if mirror is not None else [SDOT_DAILY_RDA if k == SDOT_DAILY_CSV else k
                                            for k in keys]


def cache_dir() -> Path:
    """The cache folder: ``$SENSORLAB_DATA_DIR``, else pooch's per-user cache for sensorlab."""
    value = os.environ.get(CACHE_ENV, "").strip()
    return Path(value).expanduser() if value else Path(pooch.os_cache("sensorlab"))


def cache_names(key: str) -> list[tuple[str, str]]:
    """``(name in the cache, sha256)`` of each form of ``key`` the cache may hold."""
    entry = REGISTRY[key]
    names = [(key, entry.sha256)]
    if entry.url_sha256 and entry.url_sha256 != entry.sha256:
        names.append((key.removesuffix(".gz"), entry.url_sha256))
    return names


def cached(key: str) -> Path | None:
    """The cached copy of ``key`` whose sha256 is the published one, or None."""
    for name, sha in cache_names(key):
        path = cache_dir() / name
        if path.is_file() and sha256(path) == sha:
            return path
    return None


def local_file(key: str) -> Path | None:
    """``key`` from the cache or the mirror, without the network; None if neither has it.

    Raises
    ------
    SensorLabError
        The mirror is set but lacks the file.
    DataFormatError
        The mirror's file is not the published one (names both hashes).
    """
    path = cached(key)
    if path is not None:
        return path
    mirror = mirror_dir()
    return None if mirror is None else _checked_mirror_file(key, mirror)


def _checked_mirror_file(key: str, mirror: Path) -> Path:
    path, expected = mirror / key, REGISTRY[key].sha256
    if not path.is_file():
        raise SensorLabError(messages.text("real.not_in_mirror", path=path, env=MIRROR_ENV,
                                           mirror=mirror))
    got = sha256(path)
    if got != expected:
        raise DataFormatError(messages.text("real.sha_mismatch", expected=expected, got=got),
                              path=path)
    return path


def real_file(key: str, dataset: str) -> Path:
    """A verified copy of ``key``: cached, else the mirror's, else downloaded into the cache.

    ``dataset`` names what ``sensorlab data fetch`` would get, for the message when the file
    cannot be had.
    """
    path = local_file(key)
    if path is not None:
        return path
    if REGISTRY[key].url is None:
        raise SensorLabError(messages.text("real.not_fetched", file=key, name=dataset))
    return download(key, dataset=dataset)


def _copier(source: Path, progress):
    """A pooch downloader that copies ``source`` (the mirror's file), updating ``progress``."""

    def copy(url, output_file, pooch_):
        with open(source, "rb") as src, open(output_file, "wb") as dst:
            while chunk := src.read(1 << 16):
                dst.write(chunk)
                progress.update(len(chunk))
    return copy


def download(key: str, dataset: str, mirror: Path | None = None, progress: bool = True) -> Path:
    """Put ``key`` into the cache from ``mirror`` (if given) or the publisher; a no-op if there.

    Raises
    ------
    SensorLabError
        No network, no space, a folder that cannot be written, or a sha256 that is not the
        published one; each message names the file, and nothing is left in the cache.
    """
    from tqdm import tqdm

    already = cached(key)
    if already is not None:
        return already
    entry = REGISTRY[key]
    if mirror is not None:
        source = _checked_mirror_file(key, mirror)
        name, sha, url = key, entry.sha256, str(source)
        size = source.stat().st_size
    else:
        if entry.url is None:
            raise SensorLabError(messages.text("real.no_publisher", file=key, env=MIRROR_ENV))
        name, sha = cache_names(key)[-1]
        url, size = entry.url, None
    target = cache_dir() / name
    bar = tqdm(total=size, desc=Path(name).name, unit="B", unit_scale=True, ncols=79,
               disable=not progress, leave=False)
    downloader = (_copier(source, bar) if mirror is not None
                  else pooch.HTTPDownloader(progressbar=bar if progress else False))
    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel("WARNING")  # pooch announces every download on stderr; the bar says it
    try:
        path = Path(pooch.retrieve(url, known_hash=f"sha256:{sha}", fname=target.name,
                                   path=target.parent, downloader=downloader))
        _readable_by_all(path)
        return path
    except ValueError:  # pooch: the sha256 of what arrived is not the published one
        raise SensorLabError(messages.text("real.download_mismatch", file=key, url=url,
                                           expected=sha)) from None
    except OSError as err:  # requests' errors are OSErrors too
        raise SensorLabError(_os_error_text(err, key, url, dataset, target)) from None
    finally:
        logger.setLevel(level)
        bar.close()


def _readable_by_all(path: Path) -> None:
    """Give ``path`` the mode a new file gets here: pooch's temporary file is 0600, so a
    teacher's ``sensorlab data fetch`` into a shared cache would hide it from every student."""
    mask = os.umask(0)
    os.umask(mask)
    try:
        os.chmod(path, 0o666 & ~mask)
    except PermissionError:  # another account's fetch put it there a moment before: theirs
        pass


def _os_error_text(err: OSError, key: str, url: str, dataset: str, target: Path) -> str:
    import requests

    if isinstance(err, requests.HTTPError):  # the server answered, but not with the file
        return messages.text("real.http_error", file=key, url=url, status=err.response.status_code,
                             env=MIRROR_ENV)
    if isinstance(err, requests.RequestException):
        return messages.text("real.no_network", file=key, url=url, reason=type(err).__name__,
                             name=dataset, env=MIRROR_ENV)
    if err.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        free = shutil.disk_usage(_existing(target)).free / 1e6
        return messages.text("real.disk_full", file=key, folder=target.parent, free=free,
                             env=CACHE_ENV)
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return messages.text("real.cache_unwritable", file=key, folder=target.parent,
                             name=dataset, env=CACHE_ENV)
    return messages.text("real.save_failed", file=key, folder=target.parent, reason=err)


def _existing(path: Path) -> Path:
    while not path.exists():
        path = path.parent
    return path
