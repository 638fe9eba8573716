"""Build hook: the box's firmware goes into the wheel, its source stays once in ``kits/firmware``.

Students flash ``kits/firmware/*.py`` (kits/README.md §5.3-5.5), and the simulator
(:mod:`sensorlab.kit.sim_firmware`) runs the very same files. A hub installs the package with
``pip install .``, where no checkout remains beside it, so the wheel carries a copy made at build
time in ``sensorlab/kit/firmware/``; an editable install reads the checkout instead. Everything
else about the package is declared in ``pyproject.toml``.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

#: The firmware in the checkout, and where its copy sits inside the package.
FIRMWARE = Path(__file__).resolve().parent / "kits" / "firmware"
PACKAGED_AS = ("sensorlab", "kit", "firmware")


class BuildPyWithFirmware(build_py):
    """``build_py`` that also copies the firmware's top-level ``*.py`` into the built package."""

    def run(self):
        super().run()
        if self.editable_mode:  # the editable package finds kits/firmware in the checkout itself
            return
        if not (FIRMWARE / "main.py").is_file():
            raise SystemExit(f"kits/firmware/main.py is missing from {FIRMWARE.parent.parent}: "
                             "the wheel cannot carry the box's firmware")
        target = Path(self.build_lib, *PACKAGED_AS)
        self.mkpath(str(target))
        for source in sorted(FIRMWARE.glob("*.py")):
            self.copy_file(str(source), str(target / source.name))


setup(cmdclass={"build_py": BuildPyWithFirmware})
