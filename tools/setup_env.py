"""Post-install steps of ``make install`` / ``make test`` that pip cannot express.

``python -m tools.setup_env`` checks that the Korean plotting font is usable and prints how
to switch JupyterLab to Korean. ``--test`` additionally installs what the browser tests need
(Debian's chromium) and the grading sandbox (Debian's bubblewrap) where this machine allows it,
and says clearly when it cannot.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys

CHROMIUM = "/usr/bin/chromium"
# A browser needs a Hangul font of its own to draw JupyterLab's Korean menus: school PCs have
# one (Malgun Gothic on Windows), a bare Linux test machine does not.
KOREAN_FONT = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf"


def _apt_install(what: str, packages: list[str], missing_means: str) -> str | None:
    """Install Debian ``packages`` as root with apt-get; ``None`` when done, else why not."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return f"{what}: not installed and cannot be installed here (needs root and apt-get); {missing_means}"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, timeout=600,
                       stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
                       check=True, env=env, timeout=900, stdout=subprocess.DEVNULL)
    except (subprocess.SubprocessError, OSError) as err:
        return f"{what}: installation failed ({err}); {missing_means}"
    return None


def ensure_chromium() -> str:
    """Install Debian's chromium (and a Korean font for it) for the browser tests if missing and possible."""
    if os.path.exists(CHROMIUM) and os.path.exists(KOREAN_FONT):
        return f"chromium: {CHROMIUM} (Korean font {KOREAN_FONT})"
    return (_apt_install("chromium", ["chromium", "fonts-nanum"], "browser tests will skip")
            or f"chromium: installed at {CHROMIUM}")


def ensure_bubblewrap() -> str:
    """Install Debian's bubblewrap, the sandbox every graded submission runs in (sensorlab.grading.sandbox)."""
    if shutil.which("bwrap"):
        return f"bubblewrap: {shutil.which('bwrap')}"
    return (_apt_install("bubblewrap", ["bubblewrap"],
                         "grading runs without its sandbox (sensorlab grade autograde says so)")
            or f"bubblewrap: installed at {shutil.which('bwrap')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.setup_env")
    parser.add_argument("--test", action="store_true", help="also prepare what the test suite needs")
    args = parser.parse_args(argv)
    import matplotlib

    matplotlib.use("Agg")
    from sensorlab.plotting import use_korean_font

    print(f"sensorlab: plotting font {use_korean_font()} ready (Hangul renders in every figure)")
    print("sensorlab: JupyterLab in Korean: Settings > Language > 한국어 (Korean)")
    if args.test:
        print("sensorlab: " + ensure_chromium())
        print("sensorlab: " + ensure_bubblewrap())
    return 0


if __name__ == "__main__":
    sys.exit(main())
