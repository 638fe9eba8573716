"""The kit wiring diagrams are drawn from kits/diagrams/wiring.toml, and the guide agrees.

Regenerates both images into a temporary folder, checks they match the committed ones (so
nobody edits the wiring without redrawing), and checks that every wire in the source is in
the guide's wiring table and every row of the table is in the source.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest

KITS = Path(__file__).resolve().parents[1] / "kits"
GUIDE = KITS / "README.md"
HEADINGS = {"tier-a": "### 5.2 Wiring table: Tier A", "tier-b": "### 6.1 Wiring table: Tier B"}


@pytest.fixture(scope="module")
def draw():
    spec = importlib.util.spec_from_file_location("kit_draw", KITS / "diagrams" / "draw.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def guide_table(heading: str) -> list[dict]:
    """Rows of the first Markdown table after ``heading`` in the guide, as dicts."""
    text = GUIDE.read_text(encoding="utf-8")
    assert heading in text, f"{GUIDE.name} lost its heading {heading!r}"
    lines = text.split(heading, 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    table = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        table.append([cell.strip() for cell in line.strip("|").split("|")])
    header, rows = table[0], [r for r in table[2:]]
    assert re.fullmatch(r"-+", table[1][0].strip(":")), table[1]
    return [dict(zip(header, row)) for row in rows]


def wire_key(part, part_pin, board_pin, colour):
    return (part.removesuffix(" (optional)"), part_pin, board_pin, colour)


@pytest.mark.parametrize("tier", ["tier-a", "tier-b"])
def test_guide_wiring_table_matches_the_source(draw, tier):
    data = draw.load()
    source = {wire_key(w["part"], w["part_pin"], w["board_pin"], w["colour"])
              for w in data[tier]["wires"]}
    guide = {wire_key(r["Part"], r["Part pin"], r["Board pin"], r["Wire colour"])
             for r in guide_table(HEADINGS[tier])}
    assert source - guide == set(), f"wires in wiring.toml missing from the guide: {source - guide}"
    assert guide - source == set(), f"guide rows not in wiring.toml: {guide - source}"
    # the guide's table is exactly what draw.py prints, optional markers included
    assert draw.table_markdown(data[tier]) in GUIDE.read_text(encoding="utf-8")


def test_firmware_pins_are_the_guide_pins():
    main = (KITS / "firmware" / "main.py").read_text()
    pins = dict(re.findall(r"^(PMS_TX_PIN|PMS_RX_PIN|I2C_SDA_PIN|I2C_SCL_PIN) = (\d+)", main, re.M))
    rows = {(r["Part"], r["Part pin"]): r["Board pin"] for r in guide_table(HEADINGS["tier-a"])}
    assert rows[("PMS5003", "RXD")] == f"GPIO{pins['PMS_TX_PIN']}"  # ESP32 TX -> sensor RX
    assert rows[("PMS5003", "TXD")] == f"GPIO{pins['PMS_RX_PIN']}"
    assert rows[("SHT40", "SDA")] == f"GPIO{pins['I2C_SDA_PIN']}"
    assert rows[("SHT40", "SCL")] == f"GPIO{pins['I2C_SCL_PIN']}"


def test_source_rejects_a_wire_to_a_pin_the_part_does_not_have(draw, tmp_path):
    bad = (KITS / "diagrams" / "wiring.toml").read_text().replace(
        'part_pin = "SCL"\nboard_pin = "GPIO22"', 'part_pin = "SCK"\nboard_pin = "GPIO22"', 1)
    (tmp_path / "wiring.toml").write_text(bad)
    with pytest.raises(ValueError, match="SHT40 has no pin 'SCK'"):
        draw.load(tmp_path / "wiring.toml")


def test_diagrams_regenerate_and_match_the_committed_images(draw, tmp_path):
    data = draw.load()
    for tier, name in draw.FILES.items():
        fresh = draw.draw(tier, data, tmp_path / name)
        new = mpimg.imread(fresh)
        assert new.shape[:2] == (1240, 1753)  # A4 landscape at 150 dpi
        # not blank: plenty of coloured (wire) pixels
        rgb = new[..., :3]
        coloured = (rgb.max(axis=2) - rgb.min(axis=2)) > 0.3
        assert coloured.mean() > 0.005, f"{name}: hardly any coloured wires drawn"
        committed = mpimg.imread(KITS / "diagrams" / name)
        assert committed.shape == new.shape, f"{name} is stale: run kits/diagrams/draw.py"
        # share of pixels that changed clearly: anti-aliasing may differ a little between
        # machines (~0 here); one wire recoloured changes about 0.2 % of the pixels
        changed = (np.abs(committed[..., :3] - rgb).max(axis=2) > 0.2).mean()
        assert changed < 0.0005, (f"{name} differs from wiring.toml ({changed:.2%} of pixels):"
                                  " run python kits/diagrams/draw.py")
