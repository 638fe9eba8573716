"""Where each real Seoul file lives, its sha256, and where to get it (mirror or publisher).

Every file is known by its path relative to the mirror (the layout of ``shared/real-data``),
with the sha256 from PROVENANCE.md, and, where the publisher serves it, a raw GitHub address
pinned to a commit with the sha256 of the bytes served there. The two hashes differ where the
mirror holds a gzip of the original bytes. :mod:`sensorlab.datasets.real_cache` gets the files.

Examples
--------
>>> entry = REGISTRY["seoul-bike-uci/SeoulBikeData.csv"]
>>> entry.url
'https://raw.githubusercontent.com/Aerglo/bike-sharing/4669f6a7392b289b01fd1b8fefb36ea9194ee6ae/SeoulBikeData.csv'
>>> entry.url_sha256 == entry.sha256   # copied byte for byte
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sensorlab.errors import SensorLabError

MIRROR_ENV = "SENSORLAB_DATA_MIRROR"

SDOT_REPO = ("seoul-iotdata/SDOT", "e5934039d8a80295a76601143a5f9338da4071d8")
SDOT_BASIC_REPO = ("seoul-iotdata/S-DoT_Data_Analysis_Basic", "5072f4e4f2991d4a9234c9a004c068ff68a25a1d")
SDOT_SAMPLE_REPO = ("seoul-iotdata/S-DoT_SampleData", "67ef3686c48ffa319592106ad06fb225b8884763")
AIR_REPO = ("SeojinSeojin/aai2009", "789257b5e5431ce113e727e30bb8164a117a6339")
BIKE_REPO = ("Aerglo/bike-sharing", "4669f6a7392b289b01fd1b8fefb36ea9194ee6ae")


def raw_url(repo: tuple[str, str], path: str) -> str:
    """The raw GitHub address of ``path`` in ``repo`` = (owner/name, commit).

    >>> raw_url(("seoul-iotdata/SDOT", "abc123"), "data/sdot.rda")
    'https://raw.githubusercontent.com/seoul-iotdata/SDOT/abc123/data/sdot.rda'
    """
    name, commit = repo
    return f"https://raw.githubusercontent.com/{name}/{commit}/{path}"


@dataclass(frozen=True)
class RealFile:
    """One real file: where it sits in the mirror and where the publisher serves it.

    ``url`` is None where no publisher address serves these bytes (the S-DoT daily CSV is an
    export of an R data file, see ``sdot/sdot.rda``).
    """

    path: str
    sha256: str
    url: str | None = None
    url_sha256: str | None = None


def _entry(path, sha, repo=None, source=None, source_sha=None):
    url = raw_url(repo, source) if repo else None
    return path, RealFile(path, sha, url, source_sha or (sha if url else None))


_AIR_XLSX = {
    2014: "e763d2afafc9b0465c729299e7ac94278499bdce5f3f3940a61736593b94a3e8",
    2015: "526f332a7eaad70dd8ac31a904de24560a858b0bae8fdda700f657a8a07ff59e",
    2016: "3b6695a75e90e012301d3189b85830fca057abfec713ad64156b431e9bd31919",
    2017: "68b586c1f3bb210ec91e3395cd11751ac620c6b3be758c91d78b2c8ea8ba28dd",
}
# (gzip in the mirror, original CSV at the publisher's address)
_AIR_CSV = {
    2018: ("c2e010652e38cc796ff87c26fd2c1bf56a68182e9de33e08276166930d5a915d",
           "aab746659bc242c228558554aa188e2368944abaa6ae4119d5d4a82236f9e0ae"),
    2019: ("09d2f18831e619088d504b1afd8297125d08b5d63c6521dc652541c3a2e007f2",
           "3a79435aa8e8eeaeb848244746da7c2506ac35f043767303e56f70b7e1f99305"),
    2020: ("9b16219e7b18e79d0bebb6506a12cd91876a126ef0a3cb3e6e8e6bba0c3665f0",
           "de585360f41ed5f5735cb0174f2461c12ce46cabea7791c878557946ce5f273b"),
    2021: ("af7364e0fe171dfc5213b44bd572c67c5a4c249f72c070115e5301ccdd0f7161",
           "d0f6f898e58fabf4aa4fb1981c09100a31110474250e5344128440811334ca1d"),
    2022: ("9059d90e4295abdeb90cfb2176f1f2ac0a04fcf1b19c87c4b34f78a381671c67",
           "a26518461bb814456b0b942d90788904a30258d9fb81a7332b7d629ae16ef3fb"),
}

REGISTRY: dict[str, RealFile] = dict([
    _entry("sdot/sdot.rda", "80813b86f9064fe9ec8d5503d926df634458297e6e5e58b3ab6e47be853b79a0",
           SDOT_REPO, "data/sdot.rda"),
    _entry("sdot/sdot_daily_20200401_20201130.csv.gz",
           "7f4f5c08fbc5d3f6efc15cd6b893024f73c1fc57ecc9bf39df5eeb544f862471"),
    _entry("sdot/sdot_hourly_20200501.csv.gz",
           "7e093c2e47a78e2ca334b5ca207e4c339a5c73cd07fb0f4ef0a963fb608a572d",
           SDOT_BASIC_REPO, "data/sdot_20200507.csv",
           "c9e42ceea0343badf716aec198fce5db645e4c835bd0a6d0cb91fbf6d10fa585"),
    _entry("sdot/sdot_sensor_model_district.csv",
           "8bd672661d821a46a3570a054ae2e61f4201e025ff1be160f048f7ec6e7f563c",
           SDOT_BASIC_REPO, "data/model.csv"),
    _entry("sdot/sensor_longitude_latitude.csv",
           "106f80d43a1221595db6078a778842b47d41dc003852f9d32c0ca5eb2f2cb148",
           SDOT_SAMPLE_REPO, "data_info/sensor_longitude_latitude.csv"),
    _entry("seoul-bike-uci/SeoulBikeData.csv",
           "189f94438e307c6c7506c170204ceb9cb4d5f7fe4e76599a82520b25963485af",
           BIKE_REPO, "SeoulBikeData.csv"),
    *(_entry(f"seoul-air-daily/seoul_daily_air_{y}.xlsx", sha, AIR_REPO,
             f"data/rawfiles/seoul-air/{y}.xlsx") for y, sha in _AIR_XLSX.items()),
    *(_entry(f"seoul-air-daily/seoul_daily_air_{y}.csv.gz", gz, AIR_REPO,
             f"data/rawfiles/seoul-air/{y}.csv", raw) for y, (gz, raw) in _AIR_CSV.items()),
])


def station_file(year: int) -> str:
    """Registry key of the official daily station file of ``year``.

    >>> station_file(2016), station_file(2020)
    ('seoul-air-daily/seoul_daily_air_2016.xlsx', 'seoul-air-daily/seoul_daily_air_2020.csv.gz')
    """
    if year in _AIR_XLSX:
        return f"seoul-air-daily/seoul_daily_air_{year}.xlsx"
    if year in _AIR_CSV:
        return f"seoul-air-daily/seoul_daily_air_{year}.csv.gz"
    raise SensorLabError(f"no official daily station file for {year}: years 2014-2022 are available")


def mirror_dir() -> Path | None:
    """The local mirror folder named by ``SENSORLAB_DATA_MIRROR``, or None."""
    value = os.environ.get(MIRROR_ENV, "").strip()
    return Path(value).expanduser() if value else None
