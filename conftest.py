"""Shared by every test, doctest and lesson run: collection rules and a clean message language.

- Jupyter configuration files in ``src/sensorlab/jupyter/`` are executed by traitlets with names
  (``get_config``) that only exist there: doctest collection skips them.
- A test or doctest that chooses Korean (``messages.set_language("ko")``) must not leave the
  next one on the same worker reading Korean where it expects English.
- Lesson kernels (nbval) talk over Unix sockets, not TCP ports: a port jupyter_client found free
  can be taken by a kernel another test run starts before this one binds it (``ZMQError:
  Address already in use``), so two ``make test`` runs side by side raced for ports.
- Test files are handed to the workers longest first (``tools/heaviest_first.py``), so no
  worker is left alone with a long file at the end of a run.
- Where ``../shared/real-data`` sits beside the repository (CI), it is the mirror of the real
  Seoul files for the whole run, so the lessons' real-data cells run on real data; a teacher's
  clone without it runs them on what is cached, or on the synthetic city.
"""

import os
import shutil
import tempfile
import uuid

import pytest

pytest_plugins = ["tools.heaviest_first"]

_SOCKETS: list[str] = []


def pytest_configure(config):
    from pathlib import Path

    real_data = Path(__file__).resolve().parent.parent / "shared" / "real-data"
    if real_data.is_dir():
        os.environ.setdefault("SENSORLAB_DATA_MIRROR", str(real_data))
    try:
        import nbval.kernel
        import nbval.plugin
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
    _keep_outputs_as_jupyter_shows_them(nbval.plugin)


def pytest_collection_finish(session):
    """Exempt what collection built from every later garbage collection.

    Checks give memory back with a full ``gc.collect()`` (sensorlab.memory.give_back), which a
    student's kernel needs; in a test process the imported libraries and collected tests are
    hundreds of thousands of objects that such a collection would walk after every check. They
    live until the run ends, so freezing them changes no test and leaks nothing.
    """
    import gc

    gc.freeze()


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


# --- Lesson runs feed the site (tools/build_site.py) ------------------------------------------
# nbval executes every lesson cell once; a notebook whose every cell passed is saved with the
# outputs it produced in build/executed/<path>, and `make site` puts it in the jupyter-cache it
# renders from, so the site does not execute the ~90 lesson notebooks a second time.
EXECUTED_LESSONS = os.environ.get("SENSORLAB_EXECUTED_LESSONS") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "build", "executed")
_CELL_FAILED: dict[str, bool] = {}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if type(item).__name__ == "IPyNbCell" and report.failed:
        _CELL_FAILED[item.parent.nodeid] = True
    return report


def pytest_runtest_teardown(item, nextitem):
    if type(item).__name__ != "IPyNbCell" or (nextitem is not None and nextitem.parent is item.parent):
        return
    notebook = item.parent
    cells = [i for i in notebook.session.items if i.parent is notebook] if notebook.session.items else []
    if _CELL_FAILED.pop(notebook.nodeid, False):
        # an earlier run of the same code would show the site outputs this lesson no longer gives
        _forget_executed(notebook)
        return
    code_cells = sum(cell.cell_type == "code" for cell in notebook.nb.cells)
    if len(cells) != code_cells or any(c.test_outputs is None and not c.options["skip"] for c in cells):
        return  # not run whole (-k, --lf, --deselect): not what the site shows
    _save_executed(notebook, cells)


def _keep_outputs_as_jupyter_shows_them(plugin):
    """Make nbval's recorded outputs what a notebook shows: clear_output and display updates applied.

    nbval keeps every output a cell ever sent (it ignores ``clear_output`` and
    ``update_display_data``), so the live plot would reach the site as its first frame. Only the
    record saved for the site changes: nbval compares NBVAL_CHECK_OUTPUT cells as before.
    """
    run_cell, next_message = plugin.IPyNbCell.runtest, plugin.IPyNbFile.get_kernel_message

    def runtest(self):
        self.parent._cell_running, self.parent._clear_pending, self.parent._displays = self, False, {}
        return run_cell(self)

    def get_kernel_message(self, *args, **kwargs):
        msg = next_message(self, *args, **kwargs)
        cell = getattr(self, "_cell_running", None)
        outs, kind, content = getattr(cell, "test_outputs", None), msg["msg_type"], msg["content"]
        if outs is None:
            return msg
        if kind == "clear_output":
            if content.get("wait"):
                self._clear_pending = True
            else:
                outs.clear()
        elif kind in ("display_data", "execute_result", "stream", "error"):
            if self._clear_pending:
                outs.clear()
                self._clear_pending = False
            display_id = content.get("transient", {}).get("display_id")
            if display_id:
                self._displays.setdefault(display_id, []).append(len(outs))
        elif kind == "update_display_data":
            for index in self._displays.get(content.get("transient", {}).get("display_id"), []):
                if index < len(outs):
                    outs[index]["data"], outs[index]["metadata"] = content["data"], content["metadata"]
        return msg

    plugin.IPyNbCell.runtest, plugin.IPyNbFile.get_kernel_message = runtest, get_kernel_message


def _executed_path(notebook):
    """Where a lesson's executed copy is saved for the site; None for a notebook that is no lesson."""
    path = os.path.abspath(str(notebook.fspath))
    repo = os.path.dirname(os.path.abspath(__file__))
    if not path.startswith(os.path.join(repo, "lessons") + os.sep):
        return None
    return os.path.join(EXECUTED_LESSONS, os.path.relpath(path, repo))


def _forget_executed(notebook):
    """Remove a failing lesson's saved run and leave ``<name>.failed``, for `make site` to drop it from its cache."""
    target = _executed_path(notebook)
    if target is not None:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(f"{target}.failed", "w", encoding="utf-8"):
            pass
        try:
            os.remove(target)
        except FileNotFoundError:
            pass


def _save_executed(notebook, cells):
    import copy

    import nbformat

    target = _executed_path(notebook)
    if target is None:
        return
    executed = copy.deepcopy(notebook.nb)
    code_cells = [c for c in executed.cells if c.cell_type == "code"]
    for cell, item in zip(code_cells, cells, strict=True):
        cell.outputs = item.test_outputs or []
    os.makedirs(os.path.dirname(target), exist_ok=True)
    partial = f"{target}.{os.getpid()}.part"
    nbformat.write(executed, partial)
    os.replace(partial, target)  # two workers never leave a half-written notebook
    try:
        os.remove(f"{target}.failed")
    except FileNotFoundError:
        pass
