"""The KIT1 checksum followed byte by byte, for module 01's checksums-by-hand lesson.

Examples
--------
>>> from sensorlab.kit import checksum
>>> byte_table("KIT1,a,1,1,0,sys,hb").iloc[-1]["running_xor_hex"], checksum("KIT1,a,1,1,0,sys,hb")
('45', '45')
"""

from __future__ import annotations

import pandas as pd

__all__ = ["byte_table"]


def byte_table(text: str) -> pd.DataFrame:
    """Each character of ``text`` with its ASCII code in decimal, hex and binary, and the running XOR.

    The last row's ``running_xor_hex`` is the KIT1 checksum of ``text`` (the part of a line
    between ``$`` and ``*``), so students can follow the calculation byte by byte.

    Examples
    --------
    >>> byte_table("AB")[["char", "code", "binary", "running_xor_hex"]]
      char  code    binary running_xor_hex
    0    A    65  01000001              41
    1    B    66  01000010              03
    """
    rows, running = [], 0
    for char in text:
        code = ord(char)
        if code > 127:
            raise ValueError(f"character {char!r} at position {len(rows)} is not ASCII")
        running ^= code
        rows.append({"char": char, "code": code, "hex": f"{code:02X}", "binary": f"{code:08b}",
                     "running_xor": running, "running_xor_hex": f"{running:02X}"})
    return pd.DataFrame(rows, columns=["char", "code", "hex", "binary", "running_xor", "running_xor_hex"])
