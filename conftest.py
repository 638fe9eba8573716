"""Shared by every test, doctest and lesson run: collection rules and a clean message language.

- Jupyter configuration files in ``src/sensorlab/jupyter/`` are executed by traitlets with names
  (``get_config``) that only exist there: doctest collection skips them.
- A test or doctest that chooses Korean (``messages.set_language("ko")``) must not leave the
  next one on the same worker reading Korean where it expects English.
- Lesson kernels (nbval) talk over Unix sockets, not TCP ports: a port jupyter_client found free
  can be taken by a kernel another test run starts before this one binds it (``ZMQError:
  Address already in use``), so two ``make test`` runs side by side raced for ports.
- Where ``../shared/real-data`` sits beside the repository (CI), it is the mirror of the real
  Seoul files for the whole run, so the lessons' real-data cells run on real data; a teacher's
  clone without it runs them on what is cached, or on the synthetic city.
"""

import os
import shutil
import tempfile
import uuid

import pytest

_SOCKETS: list[str] = []


def pytest_configure(config):
    from pathlib import Path

    real_data = Path(__file__).resolve().parent.parent / "shared" / "real-data"
    if real_data.is_dir():
        os.environ.setdefault("SENSORLAB_DATA_MIRROR", str(real_data))
    try:
        import nbval.kernel
        from jupyter_client.manager import KernelManager
    except ImportError:  # nbval absent: no lesson runs to configure
        return
    # short: a Unix socket path ends at 107 bytes
    _SOCKETS.append(tempfile.mkdtemp(prefix="sslk-"))

    class UnixSocketKernelManager(KernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.transport = "ipc"
            self.ip = os.path.join(_SOCKETS[0], f"k-{uuid.uuid4().hex[:10]}")

    nbval.kernel.KernelManager = UnixSocketKernelManager


def pytest_unconfigure(config):
    for folder in _SOCKETS:
        shutil.rmtree(folder, ignore_errors=True)

# A module's claims.py (tools/stated_numbers.py) is run by tests/test_stated_numbers.py, not collected.
collect_ignore_glob = ["src/sensorlab/jupyter/*/*.py", "lessons/claims.py", "lessons/*/claims.py"]


@pytest.fixture(autouse=True)
def _english_messages_by_default(monkeypatch):
    from sensorlab import messages

    monkeypatch.delenv(messages.ENV_VAR, raising=False)
    monkeypatch.setattr(messages, "_chosen", None)
