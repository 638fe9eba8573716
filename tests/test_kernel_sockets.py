"""Kernels the test suite starts talk over Unix sockets, so two test runs never race for a port."""

from __future__ import annotations

import os
import stat

import pytest


def test_lesson_kernels_use_unix_sockets():
    """nbval's kernels (every lesson run) bind sockets in a folder, not TCP ports, and answer."""
    nbval_kernel = pytest.importorskip("nbval.kernel", reason="nbval is not installed")
    kernel = nbval_kernel.RunningKernel("python3")
    try:
        info = kernel.km.get_connection_info()
        assert info["transport"] == "ipc", info
        sockets = [f"{info['ip']}-{info[name]}" for name in ("shell_port", "iopub_port", "control_port")]
        assert all(stat.S_ISSOCK(os.stat(path).st_mode) for path in sockets), sockets
        msg_id = kernel.execute_cell_input("print(6 * 7)", allow_stdin=False)
        kernel.await_reply(msg_id, timeout=60)  # raises if the request was aborted
        streams = []
        while True:
            msg = kernel.get_message("iopub", timeout=60)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                streams.append(msg["content"]["text"])
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        assert "".join(streams).strip() == "42"
    finally:
        kernel.stop()
