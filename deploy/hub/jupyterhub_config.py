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
- **the curriculum pulled into each home** at every start (``start_server.py``, run as the
  user): files of ``lessons/`` missing from ``~/sensor-lab/lessons`` are copied in, nothing a
  student changed is overwritten (nbgitpuller's rule), so a ``git pull`` of the curriculum
  folder reaches everyone at their next start;
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
#: The real-data cache every server reads (``sensorlab data fetch`` filled it once, as the
#: teacher); empty: each user's own cache.
DATA_DIR = _setting("DATA_DIR", "")
LIMITS = {
    "student": (_setting("STUDENT_MEM", "1280M"), float(_setting("STUDENT_CPU", "1"))),
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
    env = {"JUPYTER_CONFIG_PATH": os.pathsep.join([ROLE_DIRS[role], str(SITE_CONFIG)]),
           "SENSORLAB_EXCHANGE": str(EXCHANGE), "SENSORLAB_CURRICULUM": str(CURRICULUM),
           "PATH": os.pathsep.join([str(BINDIR), "/usr/local/bin", "/usr/bin", "/bin"])}
    return {**env, "SENSORLAB_DATA_DIR": DATA_DIR} if DATA_DIR else env


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
def before_start(spawner):
    """Give the server its role: the curriculum's role config, the course, the role's limits."""
    role = "teacher" if "teachers" in {g.name for g in spawner.user.groups} else "student"
    spawner.environment = {**spawner.environment, **jupyter_env(role), "SENSORLAB_ROLE": role}
    if role == "teacher":  # students keep Spawner.mem_limit/cpu_limit (TLJH: config.yaml limits)
        spawner.mem_limit, spawner.cpu_limit = LIMITS["teacher"]


c.Spawner.pre_spawn_hook = before_start
# start_server.py pulls the lessons into ~/sensor-lab as the user, then becomes
# jupyterhub-singleuser
c.Spawner.cmd = [PYTHON, str(HERE / "start_server.py")]
c.Spawner.default_url = "/lab"
if "mem_limit" not in c.Spawner:  # TLJH sets it from config.yaml (limits.memory) first
    c.Spawner.mem_limit = LIMITS["student"][0]
if "cpu_limit" not in c.Spawner:
    c.Spawner.cpu_limit = LIMITS["student"][1]
# A first start imports JupyterLab and nbgrader from a cold disk: allow for a slow server
# when 30 students log in in the same minute.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90

# --- the course service: formgrader for the teachers only ------------------------------------
def _home(user):
    try:
        return Path(pwd.getpwnam(user).pw_dir)
    except KeyError:
        return None


# The service runs as an existing OS account. Under TLJH the teacher's account
# (jupyter-<name>) appears at their first login: restart the hub after it (see the guide).
if GRADER_USER and _home(GRADER_USER) is None:
    print(f"sensorlab: no OS user {GRADER_USER!r} yet, so no course service this time",
          file=sys.stderr)
elif GRADER_USER:
    grader_home = _home(GRADER_USER)
    course_dir = Path(_setting("COURSE_DIR", str(grader_home / "course")))
    c.JupyterHub.services.append({
        "name": COURSE_ID,
        "url": f"http://127.0.0.1:{COURSE_PORT}",
        "command": [PYTHON, str(HERE / "start_server.py"), "--course"],
        "user": GRADER_USER,
        "cwd": str(grader_home),
        "oauth_no_confirm": True,
        # JupyterLab's first import from a cold disk can take a minute on a busy server;
        # the hub gives up (and exits) when the service is not up in this time
        "timeout": 120,
        "environment": {**jupyter_env("teacher"), "SENSORLAB_ROLE": "teacher",
                        "SENSORLAB_COURSE": str(course_dir)},
    })
