"""A real JupyterHub on 127.0.0.1 with real OS users, for tests/test_hub.py and bench_hub.py.

The hub loads ``deploy/hub/jupyterhub_config.py`` (what a school server runs) and adds only
what a test needs: a password authenticator, free ports, the proxy from
``deploy/hub/node_modules`` and an admin service token for the test driver. Everything the
test does goes through the hub's REST API and the users' own Jupyter servers behind the proxy.

Needs root (it creates OS users and the hub spawns servers as them). The venv's Python lives
under ``/root`` (mode 700) here: :func:`open_path_for_users` makes the path components
traversable (``o+x``, not listable) for the run and :meth:`PathModes.restore` puts the old
modes back.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
HUB_DIR = REPO / "deploy" / "hub"
CHP = HUB_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
COURSE_ID = "seoul-sensor-lab"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def npm_ci(lock_dir: Path = HUB_DIR) -> str | None:
    """Install configurable-http-proxy once (xdist workers wait on a lock); an error or None."""
    import fcntl

    npm = shutil.which("npm")
    with open(lock_dir / ".npm-ci.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if CHP.exists():
            return None
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=lock_dir,
                              capture_output=True, text=True, timeout=300)
        return None if done.returncode == 0 else f"`npm ci` failed: {done.stderr[-500:]}"


#: Modes of the folders opened for the test users, shared by every test run on this machine:
#: the first run to open a folder records its mode, the last run still using it restores it (a
#: run that restored alone locked out the users of a run still going).
_MODES_STATE = Path(tempfile.gettempdir()) / "sslhub-path-modes.json"


@contextmanager
def _modes_state():
    import fcntl

    with open(_MODES_STATE.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            state = json.loads(_MODES_STATE.read_text())
        except (OSError, ValueError):
            state = {"runs": [], "modes": {}}
        state["runs"] = [pid for pid in state["runs"] if _alive(pid)]  # runs that were killed
        yield state
        _MODES_STATE.write_text(json.dumps(state))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


class PathModes:
    """Modes changed to let other users reach the venv's Python; restored by the last run using them."""

    def restore(self) -> None:
        with _modes_state() as state:
            state["runs"] = [pid for pid in state["runs"] if pid != os.getpid()]
            if not state["runs"]:
                for path, mode in sorted(state["modes"].items(), key=lambda item: -len(item[0])):
                    Path(path).chmod(mode)
                state["modes"] = {}


def open_path_for_users(*targets: Path) -> PathModes:
    """Add ``o+x`` to every ancestor directory of ``targets`` that lacks it."""
    with _modes_state() as state:
        state["runs"].append(os.getpid())
        for target in targets:
            for directory in reversed(Path(target).resolve().parents):
                mode = stat.S_IMODE(directory.stat().st_mode)
                if not mode & stat.S_IXOTH:
                    state["modes"].setdefault(str(directory), mode)
                    directory.chmod(mode | stat.S_IXOTH)
    return PathModes()


def add_user(name: str) -> None:
    remove_user(name)  # a user left behind by a killed run
    subprocess.run(["useradd", "-m", "-s", "/bin/bash", name], check=True, capture_output=True)


def remove_user(name: str) -> None:
    if shutil.which("pkill"):  # only this test user's processes (a server the hub left behind)
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
    subprocess.run(["userdel", "-r", "-f", name], capture_output=True)


#: How a hub, its proxy or the course service says a port was taken between our check and its bind.
_PORT_IN_USE = "already in use"
_PORT_ATTEMPTS = 3


class PortTaken(RuntimeError):
    """A port chosen for the hub was taken by another program before the hub bound it."""


class Hub:
    """A running hub; use as a context manager (stops everything and removes the users)."""

    def __init__(self, teachers: list[str], students: list[str], python: str = sys.executable):
        self.teachers, self.students, self.python = teachers, students, python
        self.token = secrets.token_hex(16)
        self.proc = None
        self.modes = PathModes()

    # -- start and stop ------------------------------------------------------------------------
    def __enter__(self) -> "Hub":
        try:
            self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start(self) -> None:
        # the exchange and the site config must reach every user: /var/tmp, since /tmp has
        # been seen without o+x on this shared machine (and CI images may mount it noexec)
        self.shared = Path(tempfile.mkdtemp(prefix="sslhub-", dir="/var/tmp" if Path("/var/tmp").is_dir() else None))
        self.shared.chmod(0o755)
        self.workdir = self.shared / "hub"
        self.workdir.mkdir(mode=0o700)
        self.modes = open_path_for_users(Path(self.python).resolve(), Path(self.python).parent, REPO,
                                         self.shared / "exchange")
        for name in self.teachers + self.students:
            add_user(name)
        roster = self.workdir / "roster.csv"
        roster.write_text("username,role\n" + "".join(
            f"{n},teacher\n" for n in self.teachers) + "".join(f"{n},student\n" for n in self.students))
        # A port found free can be taken by another program (another test run beside this one)
        # before the hub, the proxy or the course service binds it: start again on new ports.
        for attempt in range(1, _PORT_ATTEMPTS + 1):
            try:
                self._launch(roster)
                return
            except PortTaken:
                if attempt == _PORT_ATTEMPTS:
                    raise

    def _launch(self, roster: Path) -> None:
        self.port, self.hub_port, self.api_port, self.course_port = (free_port() for _ in range(4))
        self.url = f"http://127.0.0.1:{self.port}"
        config = self.workdir / "test_config.py"
        config.write_text(f"""
c = get_config()
load_subconfig({str(HUB_DIR / 'jupyterhub_config.py')!r})
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {self.port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {self.hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{self.api_port}"
c.ConfigurableHTTPProxy.command = [{str(CHP)!r}]
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {secrets.token_hex(8)!r}
c.JupyterHub.db_url = "sqlite:///{self.workdir / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = {str(self.workdir / 'cookie_secret')!r}
c.JupyterHub.services.append({{"name": "test-driver", "api_token": {self.token!r}}})
c.JupyterHub.load_roles.append({{"name": "test-driver", "services": ["test-driver"],
    "scopes": ["admin:users", "admin:servers", "tokens", "list:services", "read:services",
               "admin:groups", "read:roles"]}})
""")
        env = dict(os.environ,
                   SENSORLAB_PYTHON=self.python, SENSORLAB_CURRICULUM=str(REPO),
                   SENSORLAB_ROSTER=str(roster), SENSORLAB_EXCHANGE=str(self.shared / "exchange"),
                   SENSORLAB_SITE_CONFIG=str(self.shared / "jupyter"),
                   SENSORLAB_COURSE_PORT=str(self.course_port),
                   PATH=str(Path(self.python).parent) + os.pathsep + os.environ.get("PATH", ""))
        if getattr(self, "log", None):
            self.log.close()
        self.log = open(self.workdir / "hub.log", "w")
        self.proc = subprocess.Popen([self.python, "-m", "jupyterhub", "-f", str(config)],
                                     cwd=self.workdir, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while not self._listening():
            if self.proc.poll() is not None or _PORT_IN_USE in self.log_tail(200_000):
                taken = _PORT_IN_USE in self.log_tail(200_000)
                self._stop_hub()
                if taken:
                    raise PortTaken(self.log_tail())
                raise RuntimeError(f"the hub exited ({self.proc.returncode}):\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the hub did not answer in 120 s:\n{self.log_tail()}")
            time.sleep(0.3)  # polling a condition with a deadline, not a sleep as synchronisation

    def _listening(self) -> bool:
        """Our hub answers our token, and our own processes listen on every port we chose (not
        another program that took one of them: a hub beside this one answers /hub/api/ too)."""
        import psutil

        try:
            if requests.get(f"{self.url}/hub/api/user", timeout=5,
                            headers={"Authorization": f"token {self.token}"}).status_code != 200:
                return False
        except requests.RequestException:  # not listening yet, or too busy to answer
            return False
        try:
            hub = psutil.Process(self.proc.pid)
            ours = {hub.pid} | {child.pid for child in hub.children(recursive=True)}
        except psutil.NoSuchProcess:
            return False
        listening = {conn.laddr.port for conn in psutil.net_connections(kind="tcp")
                     if conn.status == psutil.CONN_LISTEN and conn.pid in ours}
        wanted = {self.port, self.hub_port, self.api_port} | ({self.course_port} if self.teachers else set())
        return wanted <= listening

    def _stop_hub(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # the hub stops the servers, the service and the proxy
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log_tail(self, chars: int = 6000) -> str:
        try:
            return (self.workdir / "hub.log").read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def __exit__(self, *exc) -> None:
        try:
            self._stop_hub()
        finally:
            for name in self.teachers + self.students:
                remove_user(name)
            self.modes.restore()
            if getattr(self, "log", None):
                self.log.close()
            if getattr(self, "shared", None):
                shutil.rmtree(self.shared, ignore_errors=True)

    # -- the hub's REST API --------------------------------------------------------------------
    def api(self, method: str, path: str, **kw) -> requests.Response:
        kw.setdefault("timeout", 60)
        return requests.request(method, f"{self.url}/hub/api{path}",
                                headers={"Authorization": f"token {self.token}"}, **kw)

    def start_server(self, name: str, timeout: float = 120) -> float:
        """Ask the hub to start ``name``'s server; wait until ready; return the seconds taken."""
        t0 = time.monotonic()
        r = self.api("POST", f"/users/{name}/server")
        assert r.status_code in (201, 202), (r.status_code, r.text)
        while True:
            model = self.api("GET", f"/users/{name}").json()
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                return time.monotonic() - t0
            if not model.get("pending") and not server:
                raise RuntimeError(f"{name}'s server failed to start:\n{self.log_tail()}")
            if time.monotonic() - t0 > timeout:
                raise RuntimeError(f"{name}'s server not ready in {timeout} s:\n{self.log_tail()}")
            time.sleep(0.25)

    def user_token(self, name: str) -> str:
        r = self.api("POST", f"/users/{name}/tokens", json={"note": "test", "expires_in": 3600})
        assert r.status_code in (200, 201), (r.status_code, r.text)
        return r.json()["token"]

    def session(self, name: str, prefix: str | None = None) -> "Server":
        """A client of ``name``'s own server (or of a service at ``prefix``) as that user."""
        return Server(self.url, prefix or f"/user/{name}/", self.user_token(name))


class Server:
    """A Jupyter server behind the proxy, called with one user's token."""

    def __init__(self, hub_url: str, prefix: str, token: str):
        self.base = hub_url + prefix
        self.ws_base = self.base.replace("http://", "ws://", 1)
        self.headers = {"Authorization": f"token {token}"}

    def request(self, method: str, path: str, **kw) -> requests.Response:
        kw.setdefault("timeout", 120)
        return requests.request(method, self.base + path, headers=self.headers,
                                allow_redirects=False, **kw)

    def ok(self, method: str, path: str, **kw):
        r = self.request(method, path, **kw)
        assert r.status_code < 300, (method, path, r.status_code, r.text[:2000])
        return r.json() if r.content else None

    @contextmanager
    def kernel(self):
        """A kernel in this server; shut down afterwards."""
        kid = self.ok("POST", "api/kernels", json={"name": "python3"})["id"]
        try:
            yield Kernel(self, kid)
        finally:
            self.request("DELETE", f"api/kernels/{kid}")


def _message(frame: str | bytes) -> dict:
    """A kernel message from a websocket frame: text, or binary when it carries buffers (widgets).

    Binary frames (jupyter_server's ``serialize_binary_message``): a count ``n`` and ``n``
    offsets, big-endian uint32, then the message JSON and its buffers at those offsets.
    """
    if isinstance(frame, str):
        return json.loads(frame)
    count = int.from_bytes(frame[:4], "big")
    offsets = [int.from_bytes(frame[4 * i:4 * i + 4], "big") for i in range(1, count + 1)]
    return json.loads(frame[offsets[0]:offsets[1] if count > 1 else None])


class KernelDied(RuntimeError):
    """The kernel stopped in the middle of a run (killed, e.g. by a memory limit)."""


class Kernel:
    """Run code in a server's kernel over its websocket (the channel JupyterLab uses)."""

    def __init__(self, server: Server, kid: str):
        import websocket

        self.session = uuid.uuid4().hex
        self.ws = websocket.create_connection(
            f"{server.ws_base}api/kernels/{kid}/channels?session_id={self.session}",
            header=[f"{k}: {v}" for k, v in server.headers.items()], timeout=300)

    def run(self, code: str) -> str:
        """Execute ``code``; return its stdout; raise with the traceback on an error."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": "test", "session": self.session,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
        out, error, replied, idle = [], None, False, False
        while not (replied and idle):
            msg = _message(self.ws.recv())
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] in ("restarting", "dead"):
                # the server announces it without our msg_id: the kernel was killed (out of memory?)
                raise KernelDied(f"the kernel died ({msg['content']['execution_state']}) while running:\n"
                                 f"{code[:300]}\nstdout so far:\n{''.join(out)[-2000:]}")
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "error":
                error = "\n".join(msg["content"]["traceback"])
            elif kind == "execute_reply":
                replied = True
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
        if error:
            raise RuntimeError(f"kernel error:\n{error}\nstdout:\n{''.join(out)}")
        return "".join(out)


def code_cells(notebook: Path) -> list[str]:
    """The code cells of a lesson notebook, in order (what a student runs top to bottom)."""
    import nbformat

    return [c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"]


def user_pids(name: str) -> list[int]:
    """Every process of OS user ``name`` (their Jupyter server and its kernels)."""
    import pwd

    import psutil

    uid = pwd.getpwnam(name).pw_uid
    return [p.pid for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real == uid]


def _memory_cgroup_root() -> Path | None:
    """Our own cgroup v1 memory folder, if we may make child groups in it (root)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if "memory" in controllers.split(","):
            folder = Path("/sys/fs/cgroup/memory") / path.lstrip("/")
            if folder.is_dir() and os.access(folder, os.W_OK) and (folder / "cgroup.procs").exists():
                return folder
    return None


def parse_size(text: str) -> int:
    """Bytes of a systemd/Kubernetes-style size: ``1G``, ``1536M``, ``512Mi``."""
    units = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    text = text.strip().removesuffix("i").removesuffix("B")
    return int(float(text[:-1]) * units[text[-1].upper()]) if text[-1].upper() in units else int(text)


@contextmanager
def memory_limit(name: str, limit: int):
    """Hold every process of user ``name`` (and the kernels they start later) to ``limit`` bytes.

    As root with a cgroup v1 memory controller (what systemd's ``MemoryMax`` and a Kubernetes
    pod limit use): a child cgroup with ``memory.limit_in_bytes``; the kernel's OOM killer then
    kills the biggest process in it, as on the school server. Otherwise ``RLIMIT_AS`` on the
    processes (inherited by the kernels they start): a cruder bound on address space, not
    resident memory, so it is set to the limit plus the address space the idle server had.
    Yields ``(how, read_failures, group)``: ``"cgroup"`` or ``"rlimit"``, a function returning
    how many times the group hit its limit (cgroup only; 0 otherwise), and the group's name
    (as ``/proc/<pid>/cgroup`` shows it; ``None`` without a cgroup).
    """
    import psutil

    pids = user_pids(name)
    root = _memory_cgroup_root()
    if root is not None:
        group = root / f"sensorlab-{name}-{uuid.uuid4().hex[:8]}"
        group.mkdir()
        try:
            # cgroup v1 leaves a moved process's memory charged to its old group; where it cannot
            # bring it along (move_charge_at_immigrate refused), the group gets the limit less
            # what the processes already hold, so server + new kernels still add up to ``limit``
            try:
                (group / "memory.move_charge_at_immigrate").write_text("3")
                held = 0
            except OSError:
                held = sum(psutil.Process(pid).memory_info().rss for pid in pids)
            (group / "memory.limit_in_bytes").write_text(str(limit - held))
            for pid in pids:
                (group / "cgroup.procs").write_text(str(pid))
            yield "cgroup", lambda: int((group / "memory.failcnt").read_text()), group.name
        finally:
            for pid in (group / "cgroup.procs").read_text().split():
                try:
                    (root / "cgroup.procs").write_text(pid)
                except OSError:  # exited meanwhile
                    pass
            group.rmdir()
        return
    for pid in pids:
        proc = psutil.Process(pid)
        vms = proc.memory_info().vms
        proc.rlimit(psutil.RLIMIT_AS, (vms + limit, vms + limit))
    yield "rlimit", lambda: 0, None
