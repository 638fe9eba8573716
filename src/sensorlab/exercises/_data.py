"""The data the checkers compute expected answers from, loaded once per session.

A checker runs in the student's own kernel, beside the lesson's data: it loads only the
quantities it checks (and the truth only where a cleaning is scored), so a lesson and its
checks together stay within a student's memory on a shared school server.
"""

from __future__ import annotations

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
    that is no district with the sentence saying so (both as :class:`~sensorlab.check.Wrong`).

    Examples
    --------
    >>> district_answer("은평구"), district_answer(" mapo-gu ")
    ('Eunpyeong-gu', 'Mapo-gu')
    """
    from sensorlab.check import Wrong
    from sensorlab.datasets import stations

    table = stations()
    by_name = {**dict(zip(table["district"].str.lower(), table["district"])),
               **dict(zip(table["district_ko"], table["district"]))}
    said = answer.strip()
    if said.lower() in by_name:
        return by_name[said.lower()]
    english = {n.lower().removesuffix("-gu"): n for n in table["district"]}
    if said.lower() in english:
        raise Wrong("m00.my_district.add_gu", name=english[said.lower()])
    korean = {n[:-1]: n for n in table["district_ko"]}  # every Korean district name ends in its one syllable, gu
    if said in korean:
        raise Wrong("m00.my_district.add_gu_ko", name=korean[said])
    raise Wrong("m00.my_district.unknown", got=answer)
