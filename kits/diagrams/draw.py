"""Draw the kit wiring diagrams from ``wiring.toml`` (and print the guide's wiring tables).

Usage (from the repository root, with the project's Python)::

    python kits/diagrams/draw.py                 # rewrite kits/diagrams/tier-*.png
    python kits/diagrams/draw.py --out /tmp/x    # draw somewhere else
    python kits/diagrams/draw.py --table tier-a  # Markdown wiring table for kits/README.md
    python kits/diagrams/draw.py --lang ko       # Korean pages: kits/diagrams/tier-*.ko.png
    python kits/diagrams/draw.py --table tier-a --lang ko   # the table for kits/README.ko.md

Each diagram is an A4-landscape page: the board on the left with the pins in use, the
parts on the right, one coloured jumper per wire, pin names written at both ends (so a
black-and-white print still says what goes where), and notes in English with Korean names.
``--lang ko`` draws the Korean edition's pages (``*.ko.png``): the same drawing with the
title, notes, legend and wire descriptions in Korean (the ``*_ko`` keys of ``wiring.toml``);
part and pin names stay as printed on the boards.
"""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyBboxPatch  # noqa: E402

from sensorlab import plotting  # noqa: E402  (use_korean_font() below sets the Hangul font)

HERE = Path(__file__).resolve().parent
WIRING = HERE / "wiring.toml"
TIERS = ("tier-a", "tier-b")
FILES = {"tier-a": "tier-a-esp32.png", "tier-b": "tier-b-raspberry-pi.png"}

#: Jumper colours as drawn; every wire gets a dark outline so yellow and white show on paper.
COLOURS = {"red": "#d7191c", "black": "#1a1a1a", "green": "#1a9641", "blue": "#2b6cd4",
           "orange": "#f08c00", "purple": "#8e44ad", "yellow": "#f4d03f", "white": "#ffffff",
           "grey": "#9e9e9e"}
PITCH = 4.0  # vertical distance between pins, in drawing units
LANGS = ("en", "ko")
#: Colour names and fixed words of the Korean pages (part and pin names are never translated).
COLOURS_KO = {"red": "빨강", "black": "검정", "green": "초록", "blue": "파랑", "orange": "주황",
              "purple": "보라", "yellow": "노랑", "white": "흰색", "grey": "회색"}
WORDS = {"en": {"optional": " (optional)", "dashed": "dashed: optional part",
                "header": "| Part | Part pin | Board pin | Wire colour | Carries |"},
         "ko": {"optional": " (선택)", "dashed": "점선: 선택 부품",
                "header": "| 부품 | 부품 핀 | 보드 핀 | 선 색 | 하는 일 |"}}


def _text(item: dict, key: str, lang: str) -> str | list:
    """``item[key]``, or its Korean version ``item[key + "_ko"]`` on Korean pages."""
    return item[key + "_ko"] if lang == "ko" else item[key]


def file_name(key: str, lang: str = "en") -> str:
    """The PNG file of one tier's page: ``tier-a-esp32.png``, Korean ``tier-a-esp32.ko.png``."""
    return FILES[key] if lang == "en" else FILES[key].replace(".png", f".{lang}.png")


def load(path: Path = WIRING) -> dict:
    """Read the wiring source; check every wire names a known part pin and colour."""
    with open(path, "rb") as f:
        data = tomllib.load(f)
    for tier in TIERS:
        pins = {(p["name"], pin) for p in data[tier]["parts"] for pin in p["pins"]}
        for wire in data[tier]["wires"]:
            if (wire["part"], wire["part_pin"]) not in pins:
                raise ValueError(f"{path.name} [{tier}]: {wire['part']} has no pin "
                                 f"{wire['part_pin']!r}")
            if wire["colour"] not in COLOURS:
                raise ValueError(f"{path.name} [{tier}]: unknown colour {wire['colour']!r}")
            if "carries_ko" not in wire:
                raise ValueError(f"{path.name} [{tier}]: the wire {wire['part']} "
                                 f"{wire['part_pin']} has no carries_ko (Korean description)")
    return data


def table_markdown(tier: dict, lang: str = "en") -> str:
    """The Markdown wiring table the guide (``lang="ko"``: the Korean guide) shows for one tier."""
    words = WORDS[lang]
    rows = [words["header"], "|---|---|---|---|---|"]
    for w in tier["wires"]:
        part = w["part"] + (words["optional"] if w.get("optional") else "")
        colour = w["colour"] if lang == "en" else f"{COLOURS_KO[w['colour']]} ({w['colour']})"
        rows.append(f"| {part} | {w['part_pin']} | {w['board_pin']} | {colour} | "
                    f"{_text(w, 'carries', lang)} |")
    return "\n".join(rows)


def _box(ax, x, y, w, h, face, dashed=False):
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.4,rounding_size=1.2",
                                facecolor=face, edgecolor="#333333", linewidth=1.6,
                                linestyle="--" if dashed else "-"))


def _route(wires, board_y, part_pin_y):
    """Give each wire its own vertical channel so that wires never cross each other's turns.

    Wires going up take channels left to right from the highest board pin down; wires
    going down, from the lowest board pin up (then no vertical run cuts a horizontal one
    of the same group).
    """
    up = [w for w in wires if part_pin_y[(w["part"], w["part_pin"])] >= board_y[w["board_pin"]]]
    down = [w for w in wires if w not in up]
    up.sort(key=lambda w: (-board_y[w["board_pin"]], -part_pin_y[(w["part"], w["part_pin"])]))
    down.sort(key=lambda w: (board_y[w["board_pin"]], part_pin_y[(w["part"], w["part_pin"])]))
    return up + down


def draw(key: str, data: dict, out: Path, lang: str = "en") -> Path:
    """Draw one tier's wiring diagram to ``out`` (PNG, 150 dpi, A4 landscape), in ``lang``."""
    plotting.use_korean_font()
    tier = data[key]
    wires = tier["wires"]
    fig = plt.figure(figsize=(11.69, 8.27))
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    ax.axis("off")

    # parts on the right, stacked from the top, one pin every PITCH units (y grows upward;
    # the page is laid out from y = 0 at the top down to negative y)
    part_pin_y, top = {}, -12.0
    for part in tier["parts"]:
        h = PITCH * len(part["pins"]) + 5
        dashed = part.get("optional", False)
        _box(ax, 72, top - h, 20, h, "#f7f7f7" if dashed else "#eef5ff", dashed)
        ax.text(82, top - 1.8, part["name"], ha="center", va="center", fontsize=13,
                weight="bold")
        ax.text(82, top - 4.2, part["name_ko"], ha="center", va="center", fontsize=9.5,
                color="#444444")
        for i, pin in enumerate(part["pins"]):
            y = top - 7.5 - i * PITCH
            part_pin_y[(part["name"], pin)] = y
            ax.plot([70.5, 72], [y, y], color="#333333", lw=2, solid_capstyle="butt")
            ax.text(73, y, pin, ha="left", va="center", fontsize=10.5, family="DejaVu Sans Mono")
        top -= h + 3.5
    parts_bottom = top + 3.5

    # board pins in the order that keeps wires short: by the mean height of their partners
    board_pins: dict[str, list[float]] = {}
    for w in wires:
        board_pins.setdefault(w["board_pin"], []).append(part_pin_y[(w["part"], w["part_pin"])])
    order = sorted(board_pins, key=lambda p: -sum(board_pins[p]) / len(board_pins[p]))
    h = PITCH * len(order) + 9
    b_top = min(-12.0, (-12.0 + parts_bottom) / 2 + h / 2)
    _box(ax, -1, b_top - h, 28, h, "#e8f3e8")
    ax.text(13, b_top - 2, tier["board"], ha="center", va="center", fontsize=11, weight="bold")
    ax.text(13, b_top - 4.6, tier["board_ko"], ha="center", va="center", fontsize=9.5,
            color="#444444")
    board_y = {}
    for i, pin in enumerate(order):
        y = b_top - 8.5 - i * PITCH
        board_y[pin] = y
        ax.plot([27, 28.5], [y, y], color="#333333", lw=2, solid_capstyle="butt")
        ax.text(26, y, pin, ha="right", va="center", fontsize=10.5, family="DejaVu Sans Mono")
    ax.text(13, b_top - h - 2.6, _text(tier, "board_note", lang), ha="center", va="center", fontsize=9,
            style="italic")
    bottom = min(parts_bottom, b_top - h - 4)

    # wires: out of the board, along a channel of their own, into the part
    ranked = _route(wires, board_y, part_pin_y)
    channel = {id(w): 32 + (66 - 32) * (i + 0.5) / len(ranked) for i, w in enumerate(ranked)}
    # optional wires first, so shared stretches of wire show the solid (required) one
    for w in sorted(wires, key=lambda w: not w.get("optional")):
        x = channel[id(w)]
        yb, yp = board_y[w["board_pin"]], part_pin_y[(w["part"], w["part_pin"])]
        xs, ys = [28.5, x, x, 70.5], [yb, yb, yp, yp]
        style = (0, (3, 1.5)) if w.get("optional") else "-"
        ax.plot(xs, ys, color="#1a1a1a", lw=4.6, solid_joinstyle="round", linestyle=style)
        ax.plot(xs, ys, color=COLOURS[w["colour"]], lw=3.0, solid_joinstyle="round",
                linestyle=style)
        ax.plot([28.5, 70.5], [yb, yp], "o", color="#333333", ms=5, ls="none")

    # legend (one entry per colour) and notes under the drawing
    seen: dict[str, str] = {}
    for w in wires:
        seen.setdefault(w["colour"], _text(w, "carries", lang).split(" (")[0])
    names = COLOURS_KO if lang == "ko" else {c: c for c in COLOURS}
    entries = [(COLOURS[c], "-", f"{names[c]}: {t}") for c, t in seen.items()]
    if any(w.get("optional") for w in wires):
        entries.append(("#bbbbbb", (0, (3, 1.5)), WORDS[lang]["dashed"]))
    y = bottom - 3
    for i, (colour, style, text) in enumerate(entries):
        row, col = divmod(i, 2)
        lx, ly = 3 + col * 48, y - row * 2.6
        ax.plot([lx, lx + 3.5], [ly, ly], color="#1a1a1a", lw=4.6, linestyle=style)
        ax.plot([lx, lx + 3.5], [ly, ly], color=colour, lw=3.0, linestyle=style)
        ax.text(lx + 4.5, ly, text, va="center", fontsize=9.5)
    y -= 2.6 * ((len(entries) + 1) // 2) + 1
    notes = "\n".join("• " + n for n in _text(tier, "notes", lang))
    ax.text(3, y, notes, ha="left", va="top", fontsize=9.5, linespacing=1.6)
    y -= 2.9 * len(tier["notes"]) + 1

    # fit the page: the whole layout, centred, at one scale, A4 landscape
    height = -y
    width = max(100.0, height * 11.69 / 8.27)
    ax.set_xlim(50 - width / 2, 50 + width / 2)
    ax.set_ylim(y, 0)
    ax.set_aspect("equal", adjustable="box")
    # the page's own language big, the other below it (a mixed class reads either)
    title, subtitle = (tier["title"], tier["title_ko"]) if lang == "en" else (tier["title_ko"], tier["title"])
    ax.text(50, -3.5, title, ha="center", va="center", fontsize=20, weight="bold")
    ax.text(50, -7.3, subtitle, ha="center", va="center", fontsize=14, color="#444444")
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=150, metadata={"Software": None})
    plt.close(fig)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the PNG files")
    parser.add_argument("--table", choices=TIERS, help="print a tier's Markdown wiring table")
    parser.add_argument("--lang", choices=LANGS, default="en",
                        help="language of the pages (ko: tier-*.ko.png) or of the table")
    args = parser.parse_args(argv)
    data = load()
    if args.table:
        print(table_markdown(data[args.table], args.lang))
        return 0
    for key in TIERS:
        print(draw(key, data, args.out / file_name(key, args.lang), args.lang))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
