"""JupyterHub configuration of a Seoul Sensor Lab school server (JupyterHub 6.1).

One file for three ways of running a hub (see deploy/README.md):

- **The Littlest JupyterHub (TLJH)**: copy it to ``/opt/tljh/config/jupyterhub_config.d/``;
  TLJH keeps its own authenticator, proxy and systemd spawner (which enforces the memory and
  CPU limits), this file adds the course on top.
- **A plain hub** (``jupyterhub -f deploy/hub/jupyterhub_config.py``, proxy from
  ``deploy/hub/node_modules``): add an authenticator; limits are then advisory only.
- **tests/test_hub.py** loads it with ``load_subconfig`` and adds a test authenticator.

What it sets up:

- **roles** from a roster CSV (``username,role`` with role ``teacher`` or ``student``): groups
  ``teachers`` and ``students``, every listed user allowed to log in;
- **single-user servers** started with the curriculum's role configuration
  (:func:`sensorlab.lab.config_dir`: students see no formgrader or create-assignment, the
  formgrader server extension is off) and a site-wide ``nbgrader_config.py`` naming the course
  and the shared exchange;
- **the exchange** (``/srv/nbgrader/exchange``), world-writable with the sticky bit like
  ``/tmp``, as nbgrader documents for a shared server;
- **the curriculum pulled into each home** before every start: files of ``lessons/`` missing
  from ``~/sensor-lab/`` are copied in, nothing a student changed is overwritten (the rule
  nbgitpuller follows), so ``git pull`` in the curriculum folder reaches everyone at next login;
- **the course service** ``seoul-sensor-lab``: a Jupyter server running as the grader account
  on the course folder, with the formgrader; only the ``teachers`` group may open it;
- **per-user memory and CPU limits** (``Spawner.mem_limit``/``cpu_limit``): enforced by
  systemd under TLJH and by Kubernetes under Zero to JupyterHub; LocalProcessSpawner only
  passes them on as ``MEM_LIMIT``/``CPU_LIMIT``.

Settings come from environment variables of the hub process so the file itself never needs
editing (TLJH: ``/etc/systemd/system/jupyterhub.service.d/sensorlab.conf``, see the guide).
"""

import csv
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub when it reads this file)

HERE = Path(__file__).resolve().parent


def _setting(name, default):
    return os.environ.get(f"SENSORLAB_{name}", default)


COURSE_ID = "seoul-sensor-lab"
#: The Python of the users' environment (TLJH: /opt/tljh/user/bin/python), where sensorlab,
#: JupyterLab and nbgrader are installed; the hub itself may run in another environment.
PYTHON = _setting("PYTHON", sys.executable)
#: A clone of the curriculum repository (lessons/, grader/).
CURRICULUM = Path(_setting("CURRICULUM", str(HERE.parents[1])))
ROSTER = Path(_setting("ROSTER", "/srv/sensorlab/roster.csv"))
EXCHANGE = Path(_setting("EXCHANGE", "/srv/nbgrader/exchange"))
#: Jupyter configuration shared by every user (the site nbgrader_config.py), written here.
SITE_CONFIG = Path(_setting("SITE_CONFIG", "/srv/sensorlab/jupyter"))
#: OS account running the course service; by default the first teacher of the roster.
GRADER_USER = _setting("GRADER_USER", "")
COURSE_PORT = int(_setting("COURSE_PORT", "9999"))
LIMITS = {
    "student": (_setting("STUDENT_MEM", "1G"), float(_setting("STUDENT_CPU", "1"))),
    "teacher": (_setting("TEACHER_MEM", "2G"), float(_setting("TEACHER_CPU", "2"))),
}
BINDIR = Path(PYTHON).parent


def read_roster(path):
    """``{username: role}`` from a CSV with a ``username,role`` header; empty if absent."""
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    roster = {}
    for line, row in enumerate(rows, start=2):
        name = (row.get("username") or "").strip()
        role = (row.get("role") or "").strip().lower()
        if not name:
            continue
        if role not in LIMITS:
            raise ValueError(f"{path}, line {line}, column role: {role!r} is not teacher or student")
        roster[name] = role
    return roster


def role_config_dir(role):
    """The curriculum's Jupyter config folder for ``role``, asked of the users' Python (the
    hub's environment may not have sensorlab installed)."""
    return subprocess.check_output(
        [PYTHON, "-c", f"import sensorlab.lab as l; print(l.config_dir({role!r}))"],
        text=True).strip()


ROSTER_USERS = read_roster(ROSTER)
TEACHERS = sorted(u for u, r in ROSTER_USERS.items() if r == "teacher")
STUDENTS = sorted(u for u, r in ROSTER_USERS.items() if r == "student")
GRADER_USER = GRADER_USER or (TEACHERS[0] if TEACHERS else "")
ROLE_DIRS = {role: role_config_dir(role) for role in LIMITS}

# --- the shared exchange and the site-wide nbgrader configuration ---------------------------
if os.geteuid() == 0:  # the hub as root (TLJH, a plain server); skipped in development
    EXCHANGE.mkdir(parents=True, exist_ok=True)
    EXCHANGE.chmod(0o1777)  # everyone writes, nobody removes another's files (like /tmp)
    SITE_CONFIG.mkdir(parents=True, exist_ok=True)
    (SITE_CONFIG / "nbgrader_config.py").write_text(
        "# Written by deploy/hub/jupyterhub_config.py at hub start; edits are overwritten.\n"
        "c = get_config()\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.Exchange.root = {str(EXCHANGE)!r}\n", encoding="utf-8")
    SITE_CONFIG.chmod(0o755)


def jupyter_env(role):
    """Environment giving a Jupyter server the curriculum's ``role`` and the course."""
    return {"JUPYTER_CONFIG_PATH": os.pathsep.join([ROLE_DIRS[role], str(SITE_CONFIG)]),
            "SENSORLAB_EXCHANGE": str(EXCHANGE),
            "PATH": os.pathsep.join([str(BINDIR), "/usr/local/bin", "/usr/bin", "/bin"])}


# --- who may log in, and as what -------------------------------------------------------------
c.Authenticator.allowed_users.update(set(ROSTER_USERS))
c.JupyterHub.load_groups.update({
    "teachers": {"users": TEACHERS},
    "students": {"users": STUDENTS},
})
c.JupyterHub.load_roles.extend([
    {"name": "sensorlab-teacher", "groups": ["teachers"], "description":
     "Teachers open the course service (formgrader) and see and restart their students' servers",
     "scopes": [f"access:services!service={COURSE_ID}", "list:users", "read:users!group=students",
                "admin:servers!group=students", "access:servers!group=students"]},
])


# --- the single-user servers -----------------------------------------------------------------
def copy_missing(src, dest, uid=None, gid=None):
    """Copy files of ``src`` that ``dest`` lacks; never overwrite (a student's work stays).

    Returns the number of files copied. ``uid``/``gid`` own what is created.
    """
    copied = 0
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if any(part in (".ipynb_checkpoints", "__pycache__") for part in rel.parts):
            continue
        target = dest / rel
        if path.is_dir():
            if not target.exists():
                target.mkdir(parents=True)
                if uid is not None:
                    os.chown(target, uid, gid)
        elif not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            if uid is not None:
                os.chown(target, uid, gid)
            copied += 1
    return copied


def before_start(spawner):
    """Give the server its role's environment and limits; pull the lessons into the home."""
    name = spawner.user.name
    groups = {g.name for g in spawner.user.groups}
    role = "teacher" if "teachers" in groups else "student"
    spawner.environment = {**spawner.environment, **jupyter_env(role), "SENSORLAB_ROLE": role}
    spawner.mem_limit, spawner.cpu_limit = LIMITS[role]
    lessons = CURRICULUM / "lessons"
    if lessons.is_dir():
        try:
            entry = pwd.getpwnam(name)
        except KeyError:  # not a system user (Kubernetes, DockerSpawner): nothing to fill here
            return
        dest = Path(entry.pw_dir) / "sensor-lab"
        if not dest.exists():
            dest.mkdir(parents=True)
            os.chown(dest, entry.pw_uid, entry.pw_gid)
        n = copy_missing(lessons, dest / "lessons", entry.pw_uid, entry.pw_gid)
        spawner.log.info("sensorlab: %d new lesson file(s) for %s (%s)", n, name, role)


c.Spawner.pre_spawn_hook = before_start
c.Spawner.cmd = [str(BINDIR / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.mem_limit, c.Spawner.cpu_limit = LIMITS["student"]
# A first start imports JupyterLab and nbgrader from a cold disk: allow for a slow server
# when 30 students log in in the same minute.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90

# --- the course service: formgrader for the teachers only ------------------------------------
if GRADER_USER:
    try:
        grader_home = Path(pwd.getpwnam(GRADER_USER).pw_dir)
    except KeyError:
        grader_home = Path("/home") / GRADER_USER
    course_dir = Path(_setting("COURSE_DIR", str(grader_home / "course")))
    c.JupyterHub.services.append({
        "name": COURSE_ID,
        "url": f"http://127.0.0.1:{COURSE_PORT}",
        "command": [PYTHON, str(HERE / "course_service.py")],
        "user": GRADER_USER,
        "cwd": str(grader_home),
        "oauth_no_confirm": True,
        # JupyterLab's first import from a cold disk can take a minute on a busy server;
        # the hub gives up (and exits) when the service is not up in this time
        "timeout": 120,
        "environment": {**jupyter_env("teacher"), "SENSORLAB_ROLE": "teacher",
                        "SENSORLAB_COURSE": str(course_dir),
                        "SENSORLAB_CURRICULUM": str(CURRICULUM)},
    })
