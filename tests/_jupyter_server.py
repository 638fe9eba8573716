"""Start the curriculum's JupyterLab for a test without racing another program for a port.

A port found free and passed to the server can be taken before the server binds it (another
test run beside this one starts servers and kernels all the time). So the server binds port 0
itself (the kernel picks a free port atomically) and the test reads the port back from the
server's runtime file ``jpserver-<pid>.json``. Its kernels talk over Unix sockets in a short
runtime folder for the same reason (``ZMQError: Address already in use`` otherwise).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from sensorlab.lab import lab_command


class JupyterLab:
    """A running JupyterLab (``make lab``'s command) on a port of its own choosing."""

    def __init__(self, root: str | Path, role: str, log: Path, token: str,
                 env: dict[str, str] | None = None, timeout: float = 120, **lab_kw):
        # short: a Unix socket path ends at 107 bytes; pytest's tmp paths are long
        self.runtime = Path(tempfile.mkdtemp(prefix="sslrt-"))
        cmd, lab_env = lab_command(str(root), 0, role, open_browser=False, token=token,
                                   extra=["--KernelManager.transport=ipc"], **lab_kw)
        lab_env = {**lab_env, **(env or {}), "JUPYTER_RUNTIME_DIR": str(self.runtime)}
        self.token, self.log = token, log
        self.proc = subprocess.Popen(cmd, env=lab_env, stdout=subprocess.DEVNULL, stderr=log.open("w"),
                                     start_new_session=True)
        self.port = self._wait(timeout)

    def _wait(self, timeout: float) -> int:
        info = self.runtime / f"jpserver-{self.proc.pid}.json"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited ({self.proc.returncode}): {self.log.read_text()[-2000:]}")
            try:
                port = json.loads(info.read_text())["port"]
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={self.token}", timeout=5)
                return port
            except (OSError, ValueError, KeyError, urllib.error.URLError):  # not written or not serving yet
                time.sleep(0.3)  # polling a condition with a deadline
        raise RuntimeError(f"JupyterLab did not start in {timeout} s: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        import os
        import signal

        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        shutil.rmtree(self.runtime, ignore_errors=True)
