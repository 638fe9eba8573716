"""Start JupyterLab for the curriculum, as a student or as a teacher.

``make lab`` runs ``python -m sensorlab.lab``; the browser tests and the school-server
configuration use the same function, so what is tested is what classrooms get.

- **student** (default): nbgrader's instructor tools (formgrader, create-assignment) are
  hidden and the formgrader server extension is off; the assignment list stays.
- **teacher**: everything nbgrader offers.

In both roles the Jupyter news pop-up and update check are off: classrooms are often
offline and a pop-up on 40 screens at once costs a lesson its first minutes.

Examples
--------
>>> cmd, env = lab_command(root="/srv/course", port=8899, role="student", open_browser=False)
>>> cmd[1:4]
['-m', 'jupyterlab', '--ip=127.0.0.1']
>>> env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0].endswith("student")
True
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib import resources

ROLES = ("student", "teacher")


def config_dir(role: str) -> str:
    """The folder of Jupyter configuration (labconfig, server config) for a role."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    return str(resources.files("sensorlab") / "jupyter" / role)


def common_config_dir() -> str:
    """Jupyter configuration both roles share on one machine (nbgrader finds the course)."""
    return str(resources.files("sensorlab") / "jupyter" / "common")


def lab_command(root: str, port: int = 8888, role: str = "student", open_browser: bool = True,
                default_url: str = "/lab/tree/lessons", token: str | None = None,
                extra: list[str] | None = None) -> tuple[list[str], dict[str, str]]:
    """Return the command line and environment that start the curriculum's JupyterLab."""
    env = dict(os.environ)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        p for p in (config_dir(role), common_config_dir(), os.environ.get("JUPYTER_CONFIG_PATH", "")) if p)
    cmd = [sys.executable, "-m", "jupyterlab", "--ip=127.0.0.1", f"--port={port}",
           f"--ServerApp.root_dir={root}", f"--ServerApp.open_browser={open_browser}",
           f"--LabApp.default_url={default_url}",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if token is not None:
        cmd.append(f"--IdentityProvider.token={token}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers and CI run as root; school PCs never need it
    return cmd + list(extra or []), env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sensorlab.lab", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=os.getcwd(), help="folder shown in the file browser")
    parser.add_argument("--port", type=int, default=8888)
    parser.add_argument("--role", choices=ROLES, default="student")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    args = parser.parse_args(argv)
    cmd, env = lab_command(args.root, args.port, args.role, open_browser=not args.no_browser)
    os.execvpe(cmd[0], cmd, env)
    return 0  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
