"""From a fresh clone to a running JupyterLab: how long does a teacher wait?

Clones this repository into a temporary folder, then for each installer (uv, and the
pure-pip fallback) runs ``make lab`` with empty package caches and times until the
server answers HTTP. Prints seconds per installer and the pip/uv ratio.

Run: ``python benchmarks/bench_setup.py`` (needs network access to the package registry).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def time_to_lab(installer: str, port: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
        env = dict(os.environ, UV_CACHE_DIR=str(Path(tmp) / "uv-cache"), PIP_NO_CACHE_DIR="1",
                   BROWSER="true")
        start = time.perf_counter()
        proc = subprocess.Popen(["make", "lab", f"PORT={port}", f"INSTALLER={installer}"], cwd=clone,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"make lab exited with {proc.returncode} ({installer})")
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=1)
                    return time.perf_counter() - start
                except (urllib.error.URLError, ConnectionError, OSError):
                    time.sleep(0.25)
                if time.perf_counter() - start > 600:
                    raise RuntimeError("JupyterLab did not start within 10 minutes")
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


def main() -> int:
    if not shutil.which("make"):
        print("make is not installed")
        return 1
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    uv = time_to_lab("uv", 8871)
    print(f"fresh clone -> running JupyterLab, uv installer:  {uv:6.1f} s")
    pip = time_to_lab("pip", 8872)
    print(f"fresh clone -> running JupyterLab, pip installer: {pip:6.1f} s")
    print(f"pip / uv: {pip / uv:.2f}x   target: each under 120 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
