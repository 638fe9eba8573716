"""Every sentence a student can see, in English and Korean, from one catalogue.

The catalogue is the JSON files in this folder (one per part of the package, so parts can
add their own without editing each other's): each maps a dotted key to ``{"en": ..., "ko": ...}``
with ``str.format`` fields. A Korean particle after a field is written in the field's format spec,
``{district:은}`` or ``{expected:.4g:이어야}``, and takes the form the value's reading asks for
(:mod:`sensorlab.messages.particles`): never ``은(는)``. No Korean (or English) student-facing sentence lives in logic code.

The language is chosen, in order, by the ``SENSORLAB_LANG`` environment variable (a teacher
can force a whole lab to Korean), then by :func:`set_language` (the first code cell of every
Korean notebook calls ``set_language("ko")``), then English.

Examples
--------
>>> text("check.correct", lang="en")
'Correct!'
>>> text("check.correct", lang="ko")
'정답이에요!'
>>> text("check.wrong_length", lang="en", expected=7, got=5)
'It should have 7 rows, but yours has 5.'
>>> _FORMATTER.format("{a:이어야} {b:이어야} {c:.1f:은} `{d:`을}", a=22, b=3, c=2.5, d="마포")
'22여야 3이어야 2.5는 `마포`를'
"""

from __future__ import annotations

import json
import os
import string
from functools import lru_cache
from importlib import resources

from sensorlab.messages.particles import CLOSERS, attach, is_particle

LANGUAGES = ("en", "ko")
ENV_VAR = "SENSORLAB_LANG"
_chosen: str | None = None

__all__ = ["LANGUAGES", "ENV_VAR", "catalogue", "get_language", "set_language", "text", "fields"]


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """All messages, merged from every ``*.json`` file of this folder.

    Raises
    ------
    ValueError
        If two files define the same key (the message would silently depend on load order).

    Examples
    --------
    >>> sorted(catalogue()["check.correct"])
    ['en', 'ko']
    """
    merged: dict[str, dict[str, str]] = {}
    origin: dict[str, str] = {}
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".json"):
            continue
        try:
            table = json.loads(entry.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            raise ValueError(f"message file {entry.name}: line {err.lineno}, column {err.colno}: {err.msg}") from err
        for key, texts in table.items():
            if key in merged:
                raise ValueError(f"message key {key!r} is defined in both {origin[key]} and {entry.name}")
            merged[key], origin[key] = texts, entry.name
    return merged


def set_language(lang: str) -> None:
    """Choose the language of messages for this session (``"en"`` or ``"ko"``).

    ``SENSORLAB_LANG``, when set, still wins, so a teacher can override every notebook.

    Examples
    --------
    >>> set_language("ko"); get_language(env={})
    'ko'
    >>> set_language("en")
    """
    global _chosen
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    _chosen = lang


def get_language(env: dict | None = None) -> str:
    """The language messages are shown in now.

    Examples
    --------
    >>> get_language(env={"SENSORLAB_LANG": "ko"})
    'ko'
    >>> get_language(env={"SENSORLAB_LANG": "ko_KR.UTF-8"})  # locale-style values work too
    'ko'
    """
    env = os.environ if env is None else env
    forced = env.get(ENV_VAR, "").strip().lower()[:2]
    if forced in LANGUAGES:
        return forced
    return _chosen or "en"


def fields(template: str) -> set[str]:
    """The ``{field}`` names a message template uses.

    Examples
    --------
    >>> sorted(fields("It should have {expected} rows, not {got}."))
    ['expected', 'got']
    """
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def text(key: str, lang: str | None = None, **values) -> str:
    """The message ``key`` in the current (or given) language, with ``values`` filled in.

    A message missing in Korean falls back to English rather than failing in class.

    Raises
    ------
    KeyError
        If no file of the catalogue defines ``key`` (a bug in the package, named plainly).
    """
    entry = catalogue().get(key)
    if entry is None:
        raise KeyError(f"no message {key!r} in the sensorlab message catalogue (src/sensorlab/messages/*.json)")
    lang = lang or get_language()
    template = entry.get(lang) or entry["en"]
    return _FORMATTER.format(template, **values)


class _ParticleFormatter(string.Formatter):
    """``str.format`` plus Korean particles in the spec: ``{v:은}``, ``{v:.1f:이어야}``, ``{v:\"을}``."""

    def format_field(self, value, format_spec: str):
        if not is_particle(format_spec):
            return super().format_field(value, format_spec)
        number_spec, _, particle = format_spec.rpartition(":")
        closers = particle[:len(particle) - len(particle.lstrip(CLOSERS))]
        shown = super().format_field(value, number_spec) + closers
        return attach(shown, particle[len(closers):])


_FORMATTER = _ParticleFormatter()
