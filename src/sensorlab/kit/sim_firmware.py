"""The box's own firmware (``kits/firmware/*.py``), loaded privately for the simulator.

The simulator does not copy the firmware's rules (pacing, warm-up, stale and range checks,
conversions, the KIT1 line): it runs the firmware's code, ``main.Firmware``, with simulated
sensors behind its UART and I2C (:mod:`sensorlab.kit.sim_sensors`) and a clock it may wind
forward. Each :func:`load_firmware` call gives a fresh copy of the modules, so a box may
change the settings a class may change (``REPORT_MS``) without touching another box, and a
test may load an edited copy of the firmware from another folder.

The firmware imports ``machine`` and ``gc`` as on a board; here they resolve to small
stand-ins (:class:`SimMachine`, a ``gc`` whose ``collect`` is free: CPython's full
collection costs far more than the board's), without touching ``sys.modules``.

Examples
--------
>>> fw = load_firmware(REPORT_MS=60000)
>>> fw.main.REPORT_MS, fw.main.FW_VERSION == load_firmware().main.FW_VERSION
(60000, True)
>>> clock = SimClock()
>>> clock.sleep_ms(250); clock.ticks_ms(), clock.ticks_diff(300, 250)
(250, 50)
"""

from __future__ import annotations

import builtins
import functools
import types
from importlib import resources
from pathlib import Path

from sensorlab.checkout import checkout_root
from sensorlab.errors import SensorLabError
from sensorlab.messages import text


def firmware_dir() -> Path | None:
    """The firmware this package runs: the copy the wheel carries, else the checkout's ``kits/firmware``.

    The source exists once, in ``kits/firmware`` (students flash it from there); ``setup.py``
    copies it into the wheel as ``sensorlab/kit/firmware`` for a ``pip install .`` with no
    checkout beside it. ``None`` when neither is there.
    """
    packaged = resources.files(__package__) / "firmware"
    if isinstance(packaged, Path) and (packaged / "main.py").is_file():
        return packaged
    root = checkout_root()
    if root is not None and (root / "kits" / "firmware" / "main.py").is_file():
        return root / "kits" / "firmware"
    return None


#: Where the simulated box's firmware is read from (see :func:`firmware_dir`).
FIRMWARE_DIR = firmware_dir()
#: The firmware's modules, in an order in which each one's imports are already loaded.
MODULES = ("kit1", "pms5003", "sht40", "bh1750", "boot_counter", "main")


class SimClock:
    """``time.ticks_ms``/``ticks_diff``/``sleep_ms`` on simulated milliseconds (no wrap)."""

    def __init__(self):
        self.elapsed = 0

    def ticks_ms(self) -> int:
        return self.elapsed

    @staticmethod
    def ticks_diff(end: int, begin: int) -> int:
        return end - begin

    def sleep_ms(self, ms: int) -> None:
        self.elapsed += ms


class SimMachine(types.ModuleType):
    """The few parts of MicroPython's ``machine`` the firmware touches when given its parts."""

    PWRON_RESET, HARD_RESET, WDT_RESET, DEEPSLEEP_RESET, SOFT_RESET, BROWNOUT_RESET = range(1, 7)

    def __init__(self):
        super().__init__("machine")
        self.cause = self.PWRON_RESET

    def reset_cause(self) -> int:
        return self.cause

    def unique_id(self) -> bytes:
        return b"\x24\x0a\xc4\x5e\xa1\x07"


@functools.lru_cache(maxsize=8)
def _compiled(folder: str) -> dict[str, types.CodeType]:
    codes = {}
    for name in MODULES:
        path = Path(folder) / f"{name}.py"
        codes[name] = compile(path.read_text(encoding="utf-8"), str(path), "exec")
    return codes


def load_firmware(folder: str | Path | None = None, **settings) -> types.SimpleNamespace:
    """A private copy of the firmware's modules (``.main``, ``.kit1``, ``.machine`` ...).

    ``settings`` overwrite the constants a class may change at the top of ``main.py``
    (``REPORT_MS=120000``); a name ``main.py`` does not define is refused.
    """
    if folder is None and FIRMWARE_DIR is None:
        raise SensorLabError(text("kit.firmware_not_installed"))
    folder = Path(folder) if folder is not None else FIRMWARE_DIR
    if not (folder / "main.py").is_file():
        raise SensorLabError(text("kit.firmware_missing", folder=folder))
    own: dict[str, types.ModuleType] = {
        "machine": SimMachine(),
        "gc": types.SimpleNamespace(collect=lambda: None, mem_free=lambda: 100_000)}

    def firmware_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and name in own:
            return own[name]
        return builtins.__import__(name, globals, locals, fromlist, level)

    names = dict(vars(builtins), __import__=firmware_import)
    for name, code in _compiled(str(folder.resolve())).items():
        module = types.ModuleType(f"sensorlab_firmware.{name}")
        module.__dict__.update(__builtins__=names, __file__=code.co_filename)
        exec(code, module.__dict__)
        own[name] = module
    main = own["main"]
    for key, value in settings.items():
        if not hasattr(main, key) or not key.isupper():
            raise ValueError(f"the firmware has no setting {key!r}")
        setattr(main, key, value)
    return types.SimpleNamespace(**own)
