"""The grading kernels' manager, client and nbgrader ``Execute``: sandboxed, quick to get ready.

:class:`SandboxedKernelManager` starts each kernel in :mod:`~sensorlab.grading.sandbox` (or
forked from the pre-imported :mod:`~sensorlab.grading.zygote`) and talks to it over Unix
sockets; :class:`ReadyKernelClient` knows a kernel is ready the moment it is (no fixed wait);
:class:`ResilientExecute` is nbgrader's ``Execute`` with both, a progress file and an output cap.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from pathlib import Path
from queue import Empty

import nbformat
import zmq
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from nbgrader.preprocessors import Execute

from sensorlab.grading import zygote
from sensorlab.grading.sandbox import ENV_VAR, Limits
from sensorlab.grading.verdict import EXPORT_MIME, META_KEY

PROGRESS_ENV = "SENSORLAB_GRADE_PROGRESS"
PIDFILE_ENV = "SENSORLAB_SANDBOX_PIDFILE"
SOCKETS_ENV = "SENSORLAB_KERNEL_SOCKETS"
#: How long the ``idle`` status of a ``kernel_info`` request may lag its reply before the
#: request is sent again (IOPub still connecting: the kernel published into the void).
_IOPUB_GRACE_S = 0.05
#: How often a kernel asked to shut down is checked for having ended.
_SHUTDOWN_POLL_S = 0.005


class ReadyKernelClient(AsyncKernelClient):
    """jupyter_client's client, but ready as soon as the kernel is.

    jupyter_client's ``wait_for_ready`` ends by waiting for IOPub to stay silent for 0.2 s, and
    asks ``kernel_info`` again only every 0.2 s while IOPub is still connecting: 0.2-0.4 s of
    every submission spent waiting. Here the kernel is ready when IOPub carries the ``idle``
    status of our last ``kernel_info`` request: IOPub is then connected and everything the
    kernel published before has arrived (one socket keeps its order).
    """

    def _context_default(self):
        context = super()._context_default()
        if os.environ.get(ENV_VAR):  # in a grading worker: every socket of this client is capped
            context.setsockopt(zmq.MAXMSGSIZE, largest_message(Limits.from_json(os.environ[ENV_VAR])))
        return context

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            asked = self.kernel_info()
            reply = await self._message(self.shell_channel, asked, deadline, timeout)
            try:  # just after the reply, unless IOPub is still connecting (then ask again)
                await self._message(self.iopub_channel, asked, time.monotonic() + _IOPUB_GRACE_S, timeout,
                                    state="idle")
            except TimeoutError:
                continue
            self._handle_kernel_info_reply(reply)
            return

    async def _message(self, channel, parent: str, until: float, timeout, state: str | None = None) -> dict:
        """The next message on ``channel`` answering ``parent`` (a status ``state`` if given)."""
        while True:
            try:
                msg = await channel.get_msg(timeout=max(0.001, min(1.0, until - time.monotonic())))
            except Empty:
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info") from None
                if time.monotonic() >= until:
                    if state is None:
                        raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds") from None
                    raise TimeoutError from None
                continue
            if msg["parent_header"].get("msg_id") == parent and (
                    state is None or msg["content"].get("execution_state") == state):
                return msg


def largest_message(limits: Limits) -> int:
    """Bytes of the largest message a grading worker accepts from a kernel.

    The output and export caps apply to messages already received and decoded: one 300 MB
    ``display`` made a worker hold a gigabyte. A larger message is refused by the socket itself
    (ZeroMQ drops it and reconnects); an honest export (up to ``export_mb``) fits twice over.
    """
    return (2 * limits.export_mb + 16) * 2**20


class SandboxedKernelManager(AsyncKernelManager):
    """Starts kernels behind ``python -m sensorlab.grading.sandbox`` when ``$SENSORLAB_SANDBOX`` holds limits.

    Kernels talk over Unix sockets in a folder of the submission's own (``$SENSORLAB_KERNEL_SOCKETS``)
    rather than TCP ports: no two kernels started at once can race for a port (ZMQError:
    Address already in use), and a kernel without any network (bubblewrap) is still reachable.
    Interrupts go as messages, since the kernel runs in a session of its own.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.client_factory = ReadyKernelClient
        folder = os.environ.get(SOCKETS_ENV)
        if folder:
            self.transport = "ipc"
            self.ip = os.path.join(folder, f"k-{uuid.uuid4().hex[:10]}")  # short: socket paths end at 107 bytes

    async def _async_finish_shutdown(self, waittime=None, pollinterval=0.1, restart=False):
        # jupyter_client checks every 0.1 s whether the kernel has ended: on average 50 ms of
        # every submission spent idle; a check costs one waitpid
        await super()._async_finish_shutdown(waittime, pollinterval=min(pollinterval, _SHUTDOWN_POLL_S),
                                             restart=restart)

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        if os.environ.get(ENV_VAR):
            self.kernel_spec.interrupt_mode = "message"
            if os.environ.get(zygote.ENV_VAR):  # forked from the pre-imported zygote, in bubblewrap
                # the client is standard library only: no site-packages, no sensorlab package to import
                return [sys.executable, "-I", "-S", zygote.__file__, "client", os.environ[zygote.ENV_VAR], "--"] + cmd
            cmd = [sys.executable, "-m", "sensorlab.grading.sandbox", "--"] + cmd
        return cmd


class ResilientExecute(Execute):
    """nbgrader's Execute, plus: sandboxed kernels, a progress file, and an output cap."""

    def __init__(self, *args, limits: Limits | None = None, **kwargs):
        kwargs["kernel_manager_class"] = SandboxedKernelManager
        super().__init__(*args, **kwargs)
        self._cell_bytes = 0
        self.output_cut = []
        if limits is None and os.environ.get(ENV_VAR):  # in a grading worker
            limits = Limits.from_json(os.environ[ENV_VAR])
        self._cap = limits.output_kb * 1024 if limits else None
        self._export_cap = limits.export_mb * 2**20 if limits else None

    def preprocess_cell(self, cell, resources, index):
        path = os.environ.get(PROGRESS_ENV)
        if path:
            source = cell.metadata.get(META_KEY, {}).get("source", cell.source)  # the cell as submitted
            Path(path).write_text(json.dumps({"index": index, "source": source}), encoding="utf-8")
        self._cell_bytes = 0
        return super().preprocess_cell(cell, resources, index)

    def output(self, outs, msg, display_id, cell_index):
        data = msg["content"].get("data") if msg["msg_type"] == "display_data" else None
        if self._export_cap is not None and isinstance(data, dict) and EXPORT_MIME in data:
            # a test cell's results for the grader: never shown, so not printed output; capped on its own
            if len(json.dumps(data)) > self._export_cap:
                data = {EXPORT_MIME: {"too_large_mb": self._export_cap // 2**20}}
                msg = {**msg, "content": {**msg["content"], "data": data}}
            return super().output(outs, msg, display_id, cell_index)
        cap = self._cap
        if cap is not None and msg["msg_type"] in ("stream", "display_data", "execute_result", "error"):
            self._cell_bytes += len(json.dumps(msg["content"]))
            if self._cell_bytes > cap:
                if cell_index not in self.output_cut:
                    self.output_cut.append(cell_index)
                    outs.append(nbformat.v4.new_output(
                        "stream", name="stderr", text=f"\n[output cut: more than {cap // 1024} kB]\n"))
                return None
        return super().output(outs, msg, display_id, cell_index)
