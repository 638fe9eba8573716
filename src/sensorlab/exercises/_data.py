"""The data the checkers compute expected answers from, loaded once per session.

A checker runs in the student's own kernel, beside the lesson's data: it loads only the
quantities it checks (and the truth only where a cleaning is scored), so a lesson and its
checks together stay within a student's memory on a shared school server.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=1)
def part(*quantities: str, kind: str | None = None, truth: bool = False):
    """Only ``quantities`` of the bundled city (of one ``kind`` of site), with the truth if asked."""
    from sensorlab.datasets import load_city

    return load_city(list(quantities), kind=kind, truth=truth)


@lru_cache(maxsize=1)
def readings(quantity: str = "pm25"):
    """One quantity of the city's readings with impossible values hidden, as module 03 uses them."""
    from sensorlab.explore import plausible

    return plausible(part(quantity).readings)


@lru_cache(maxsize=1)
def readings_with_sites(quantity: str = "pm25"):
    """:func:`readings` joined with each site's kind and district."""
    return readings(quantity).merge(part(quantity).sites[["site_id", "kind", "district"]], on="site_id", how="left")


def district_answer(answer: str) -> str:
    """The English name (``"Eunpyeong-gu"``) of the district a student named in English or Korean.

    A name without its ending ("Mapo", "마포") is answered with the whole name to write; a name
    that is no district with the sentence saying so (both as :class:`~sensorlab.check_wording.Wrong`).

    Examples
    --------
    >>> district_answer("은평구"), district_answer(" mapo-gu ")
    ('Eunpyeong-gu', 'Mapo-gu')
    """
    from sensorlab.check_wording import Wrong
    from sensorlab.datasets import stations

    table = stations()
    by_name = {_district_key(n): n for n in table["district"]}
    by_name.update({_district_key(ko): en for ko, en in zip(table["district_ko"], table["district"])})
    said = _district_key(answer)
    if said in by_name:
        return by_name[said]
    english = {_district_key(n.removesuffix("-gu")): n for n in table["district"]}
    if said in english:
        raise Wrong("m00.my_district.add_gu", name=english[said])
    korean = {n[:-1]: n for n in table["district_ko"]}  # every Korean district name ends in its one syllable, gu
    if said in korean:
        raise Wrong("m00.my_district.add_gu_ko", name=korean[said])
    raise Wrong("m00.my_district.unknown", got=answer)


def _district_key(name: str) -> str:
    """How a district name is compared: NFKC (so NFD Hangul pasted from a macOS file name and
    full-width letters match), lower case, no quotes typed inside the string, no city in front,
    no spaces or dashes of any kind ("Mapo gu", "mapogu" and "마포 구" are all Mapo-gu)."""
    from sensorlab.datasets.base import CITY_NAMES

    name = unicodedata.normalize("NFKC", str(name)).strip().strip("\"'“”‘’「」『』").strip().lower()
    name = next((name[len(city):] for city in CITY_NAMES if name.startswith(city)), name).lstrip(" ,")
    return "".join(c for c in name if not (c.isspace() or unicodedata.category(c) == "Pd"))
