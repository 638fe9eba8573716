"""The school server, for real: JupyterHub + configurable-http-proxy on 127.0.0.1, real OS users.

One teacher and three students. The hub runs ``deploy/hub/jupyterhub_config.py`` (the school
server's configuration) with a password authenticator added. Everything goes through the hub:
its REST API (start servers, user tokens) and each user's own server behind the proxy:

1. the teacher, in the course service (``/services/seoul-sensor-lab/``, formgrader on), runs
   generate and release in a kernel with the toolkit's Python API;
2. each student's server fetches the assignment (nbgrader's assignment-list endpoints), the
   student writes answers through the contents API, executes the notebook in a kernel of
   their own server, and submits;
3. the teacher collects, autogrades with the toolkit (``sensorlab.grading.autograde``),
   generates and releases feedback;
4. each student's server fetches the feedback; its HTML is read through the contents API.

Needs root, jupyterhub and node/npm; skipped with the reason otherwise.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "hub"))
import harness  # noqa: E402

ASSIGNMENT = "01-sensor-box"
#: OS users of this run only: a second test run on the machine creates (and at its end deletes,
#: processes and all) users of its own, never these.
_RUN = uuid.uuid4().hex[:6]
TEACHER = f"sslteach{_RUN}"
STUDENTS = [f"sslstu{i}{_RUN}" for i in (1, 2, 3)]
SOURCE = harness.REPO / "grader" / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"




def _requirements() -> str | None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "needs root: it creates OS users and the hub spawns servers as them (CI runs as root)"
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        return "jupyterhub is not installed (pip install jupyterhub==6.1.1)"
    if not shutil.which("node") or not shutil.which("npm"):
        return "node/npm not installed: configurable-http-proxy needs Node"
    if not shutil.which("useradd"):
        return "useradd not found: cannot create the class's OS users"
    return None


def solutions() -> dict[str, str]:
    """grade_id -> the source notebook's answer code with the solution markers taken out."""
    nb = nbformat.read(SOURCE, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: re.sub(r"[ \t]*### (BEGIN|END) SOLUTION\n?", "", c.source)
            for c in nb.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")}


def max_points(kind: str | None = "code") -> float:
    """Points of the graded cells of ``kind`` (``None``: all, manual ones included)."""
    nb = nbformat.read(SOURCE, as_version=4)
    return sum(c.metadata["nbgrader"]["points"] for c in nb.cells
               if kind in (None, c.cell_type) and c.metadata.get("nbgrader", {}).get("grade"))


TEACHER_PREPARE = f"""
from sensorlab.grading import course
root = course.find_course()
api = course.api(root)
course.check(api.generate_assignment({ASSIGNMENT!r}), "generate")
course.check(api.release_assignment({ASSIGNMENT!r}), "release")
print(root)
"""

TEACHER_GRADE = f"""
import json
from nbgrader.api import Gradebook
from sensorlab.grading import course
root = course.find_course()
api = course.api(root)
course.check(api.collect({ASSIGNMENT!r}), "collect")
try:
    from sensorlab.grading.autograde import autograde
    via = "sensorlab.grading.autograde"
    outcomes = autograde(root, {ASSIGNMENT!r}, jobs=2, progress=False)
except ImportError:  # the toolkit's autograde not there: nbgrader's own, student by student
    via = "nbgrader"
    for student in api.get_submitted_students({ASSIGNMENT!r}):
        course.check(api.autograde({ASSIGNMENT!r}, student), "autograde " + student)
course.check(api.generate_feedback({ASSIGNMENT!r}), "generate_feedback")
course.check(api.release_feedback({ASSIGNMENT!r}), "release_feedback")
scores = {{}}
with Gradebook(course.load_config(root).CourseDirectory.db_url) as gb:
    for student in gb.students:
        sub = gb.find_submission({ASSIGNMENT!r}, student.id)
        scores[student.id] = [sub.code_score, sub.max_code_score]
print(json.dumps({{"via": via, "scores": scores}}))
"""

# The kernel that runs the notebook talks over Unix sockets: a TCP port found free can be taken
# by a kernel another test starts before this one binds it (ZMQError: Address already in use).
EXECUTE_NOTEBOOK = f"""
import os, tempfile
import nbclient, nbformat
from jupyter_client.manager import KernelManager
path = "{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
nb = nbformat.read(path, as_version=4)
km = KernelManager(kernel_name="python3", transport="ipc",
                   ip=os.path.join(tempfile.mkdtemp(prefix="k-"), "k"))
nbclient.NotebookClient(nb, km=km, timeout=60, allow_errors=True,
                        resources={{"metadata": {{"path": "{ASSIGNMENT}"}}}}).execute()
nbformat.write(nb, path)
print(sum(o.get("output_type") == "error" for c in nb.cells if c.cell_type == "code" for o in c.outputs))
"""


def answer(notebook: dict, answers: dict[str, str]) -> tuple[dict, int]:
    """The fetched notebook with ``answers`` written into its answer cells (by grade_id)."""
    filled = 0
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
            filled += 1
    return notebook, filled


def student_round(hub: harness.Hub, name: str, answers: dict[str, str]) -> dict:
    """Fetch, answer, execute and submit as ``name``, all through their own server."""
    server = hub.session(name)
    query = {"course_id": harness.COURSE_ID, "assignment_id": ASSIGNMENT}
    listed = server.ok("GET", "assignments", params={"course_id": harness.COURSE_ID})
    assert listed["success"], listed
    assert [a["assignment_id"] for a in listed["value"] if a["status"] == "released"] == [ASSIGNMENT]
    fetched = server.ok("POST", "assignments/fetch", params=query)
    assert any(a["status"] == "fetched" for a in fetched["value"]), fetched
    path = f"api/contents/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
    model = server.ok("GET", path)
    notebook, filled = answer(model["content"], answers)
    assert filled == len(answers)
    server.ok("PUT", path, json={"type": "notebook", "format": "json", "content": notebook})
    with server.kernel() as kernel:
        errors = int(kernel.run(EXECUTE_NOTEBOOK).strip().splitlines()[-1])
        whoami = kernel.run("import getpass; print(getpass.getuser())").strip()
    executed = server.ok("GET", path)["content"]
    submitted = server.ok("POST", "assignments/submit", params=query)
    assert submitted.get("success", True), submitted
    statuses = {a["status"] for a in submitted["value"]}
    assert "submitted" in statuses, submitted
    return {"errors": errors, "whoami": whoami, "executed": executed}


@pytest.fixture(scope="module")
def hub():
    reason = _requirements()
    if reason:
        pytest.skip(reason)
    error = harness.npm_ci()
    if error:
        pytest.skip(f"configurable-http-proxy not installable (registry unreachable?): {error}")
    with harness.Hub([TEACHER], STUDENTS) as running:
        yield running


@pytest.mark.slow
def test_class_round_trip_through_the_hub(hub):
    t0 = time.monotonic()
    # roles: groups from the roster, formgrader service for the teacher only
    groups = {g["name"]: g["users"] for g in hub.api("GET", "/groups").json()}
    assert groups["teachers"] == [TEACHER] and sorted(groups["students"]) == STUDENTS
    teacher = hub.session(TEACHER, f"/services/{harness.COURSE_ID}/")
    assert teacher.request("GET", "api/status").status_code == 200
    # the formgrader (its JSON API) answers in the course service and lists the assignment
    assert ASSIGNMENT in {a["name"] for a in teacher.ok("GET", "formgrader/api/assignments")}
    assert hub.session(STUDENTS[0], f"/services/{harness.COURSE_ID}/").request(
        "GET", "api/status").status_code == 403

    with ThreadPoolExecutor(len(STUDENTS)) as pool:
        start_times = list(pool.map(hub.start_server, STUDENTS))
    # the student role: formgrader extension off in students' own servers
    student = hub.session(STUDENTS[0])
    assert student.request("GET", "formgrader/api/assignments").status_code == 404
    lessons = student.ok("GET", "api/contents/sensor-lab/lessons")["content"]
    assert {e["name"] for e in lessons} >= {p.name for p in (harness.REPO / "lessons").iterdir()
                                            if not p.name.startswith(".")}

    phases = {"starts": time.monotonic() - t0}
    with teacher.kernel() as kernel:
        course_root = kernel.run(TEACHER_PREPARE).strip()
    assert course_root.startswith("/home/") and course_root.endswith("/course"), course_root

    phases["release"] = time.monotonic() - t0 - sum(phases.values())
    right = solutions()
    # sslstu1: every answer; sslstu2: only the checksum, the rest left as released; sslstu3: blank
    plans = {STUDENTS[0]: right, STUDENTS[1]: {"xor_checksum": right["xor_checksum"]}, STUDENTS[2]: {}}
    with ThreadPoolExecutor(len(STUDENTS)) as pool:
        rounds = dict(zip(STUDENTS, pool.map(lambda s: student_round(hub, s, plans[s]), STUDENTS)))
    for name, result in rounds.items():
        assert result["whoami"] == name  # the kernel runs as the student's own OS user
    assert rounds[STUDENTS[0]]["errors"] == 0
    assert rounds[STUDENTS[2]]["errors"] > 0  # NotImplementedError stubs
    for name in STUDENTS:  # the notebook saved (and then submitted) is the executed one
        assert all(c["execution_count"] for c in rounds[name]["executed"]["cells"]
                   if c["cell_type"] == "code"), name

    phases["students"] = time.monotonic() - t0 - sum(phases.values())
    with teacher.kernel() as kernel:
        graded = json.loads(kernel.run(TEACHER_GRADE).strip().splitlines()[-1])
    phases["grading"] = time.monotonic() - t0 - sum(phases.values())
    scores = graded["scores"]
    full, total = max_points(), max_points(None)
    assert set(scores) == set(STUDENTS), scores
    assert scores[STUDENTS[0]] == [full, full], scores
    assert 0 < scores[STUDENTS[1]][0] < full, scores
    assert scores[STUDENTS[2]][0] == 0, scores

    query = {"course_id": harness.COURSE_ID, "assignment_id": ASSIGNMENT}
    for name in STUDENTS:
        server = hub.session(name)
        server.ok("POST", "assignments/fetch_feedback", params=query)
        folder = server.ok("GET", f"api/contents/{ASSIGNMENT}/feedback")["content"]
        assert len(folder) == 1, folder  # one submission, one feedback (own cache, own HOME)
        html = server.ok("GET", f"api/contents/{folder[0]['path']}/{ASSIGNMENT}.html")["content"]
        assert ASSIGNMENT in html or "Assignment 01" in html
        # the first score is the notebook's: the autograded points, out of all points
        shown = re.search(r"Score:\s*([0-9.]+)\s*/\s*([0-9.]+)", html)
        assert shown and (float(shown[1]), float(shown[2])) == (scores[name][0], total), \
            (name, scores[name], shown and shown[0])
    print(f"\nhub round trip: autograde via {graded['via']}; server starts "
          f"{', '.join(f'{t:.1f}' for t in start_times)} s; phases "
          f"{', '.join(f'{k} {v:.0f} s' for k, v in phases.items())}; body {time.monotonic() - t0:.0f} s")


DEPLOY = harness.REPO / "deploy"
#: The heaviest lesson of modules 03-06 (benchmarks/bench_lessons.py), run as a student runs it.
HEAVY_LESSON = "03-exploring-the-city/05-city-explorer.ipynb"


def student_memory_limit() -> int:
    """The per-student memory limit the guide recommends (deploy/tljh/config.yaml), in bytes."""
    import yaml

    tljh = yaml.safe_load((DEPLOY / "tljh" / "config.yaml").read_text(encoding="utf-8"))
    return harness.parse_size(tljh["limits"]["memory"])


@pytest.mark.slow
def test_a_whole_lesson_runs_within_the_student_memory_limit(hub):
    """03.5 from top to bottom in a student's own server, held to the guide's per-student limit.

    The limit covers the student's server and every kernel it starts (a cgroup where the
    machine allows it, as systemd and Kubernetes do); the kernel must survive every cell and
    still hold the lesson's data at the end.
    """
    name = STUDENTS[-1]
    if not hub.api("GET", f"/users/{name}").json().get("servers", {}).get(""):
        hub.start_server(name)
    limit = student_memory_limit()
    cells = harness.code_cells(harness.REPO / "lessons" / HEAVY_LESSON)
    with harness.memory_limit(name, limit) as (how, failures, group):
        with hub.session(name).kernel() as kernel:
            pid = kernel.run("import os; print(os.getpid())").strip()
            if group:  # the kernel the server starts is inside the limit
                assert group in kernel.run("print(open('/proc/self/cgroup').read())")
            # the lesson's folder, as JupyterLab starts a kernel for a notebook in it
            kernel.run(f"os.chdir(os.path.expanduser('~/sensor-lab/lessons/{Path(HEAVY_LESSON).parent}'))")
            for cell in cells:
                kernel.run(cell)  # raises KernelDied if the limit killed it
            after = kernel.run("print(os.getpid(), len(readings))").split()
        hit = failures()
    assert after[0] == pid, "the kernel was restarted during the lesson"
    assert int(after[1]) > 1_000_000  # the whole year of the city, every site
    print(f"\n{HEAVY_LESSON} ran in {name}'s server under {limit / 2**20:.0f} MB ({how}); "
          f"times the limit was reached: {hit}")


def test_hub_config_reads_roster_roles_and_course_service(tmp_path, monkeypatch):
    """The school server's config, loaded as JupyterHub loads it (no hub started)."""
    from traitlets.config.loader import PyFileConfigLoader

    (tmp_path / "roster.csv").write_text("username,role\nkim,teacher\ns1,student\ns2,Student\n")
    for key, value in {"ROSTER": tmp_path / "roster.csv", "EXCHANGE": tmp_path / "exchange",
                       "SITE_CONFIG": tmp_path / "jupyter", "GRADER_USER": "root",
                       "DATA_DIR": tmp_path / "data"}.items():
        monkeypatch.setenv(f"SENSORLAB_{key}", str(value))
    c = PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY / "hub")).load_config()
    groups = c.JupyterHub.load_groups.get_value({})
    assert groups == {"teachers": {"users": ["kim"]}, "students": {"users": ["s1", "s2"]}}
    assert c.Authenticator.allowed_users.get_value(set()) == {"kim", "s1", "s2"}
    roles = c.JupyterHub.load_roles.get_value([])
    assert roles[0]["groups"] == ["teachers"]
    assert "access:services!service=seoul-sensor-lab" in roles[0]["scopes"]
    (service,) = c.JupyterHub.services.get_value([])
    assert service["user"] == "root" and service["command"][-1] == "--course"
    env = service["environment"]
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0].endswith(os.path.join("jupyter", "teacher"))
    assert env["SENSORLAB_DATA_DIR"] == str(tmp_path / "data")  # the class's real-data cache
    assert c.Spawner.cmd[-1].endswith("start_server.py")
    if os.geteuid() == 0:  # the exchange as nbgrader documents it for a shared server
        assert (tmp_path / "exchange").stat().st_mode & 0o7777 == 0o1777
        assert "seoul-sensor-lab" in (tmp_path / "jupyter" / "nbgrader_config.py").read_text()


def test_hub_config_refuses_an_unknown_role(tmp_path, monkeypatch):
    from traitlets.config.loader import PyFileConfigLoader

    (tmp_path / "roster.csv").write_text("username,role\nkim,teacher\ns1,studnet\n")
    monkeypatch.setenv("SENSORLAB_ROSTER", str(tmp_path / "roster.csv"))
    monkeypatch.setenv("SENSORLAB_EXCHANGE", str(tmp_path / "exchange"))
    monkeypatch.setenv("SENSORLAB_SITE_CONFIG", str(tmp_path / "jupyter"))
    with pytest.raises(Exception, match=r"roster.csv, line 3, column role: 'studnet'"):
        PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY / "hub")).load_config()


def test_start_server_pulls_lessons_without_overwriting(tmp_path):
    """What start_server.py does in every home: missing files in, a student's edits kept."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("start_server", DEPLOY / "hub" / "start_server.py")
    start_server = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(start_server)
    src, home = tmp_path / "lessons", tmp_path / "home"
    (src / "01-a").mkdir(parents=True)
    (src / "01-a" / "lesson.ipynb").write_text("new")
    (src / "README.md").write_text("readme")
    (home / "01-a").mkdir(parents=True)
    (home / "01-a" / "lesson.ipynb").write_text("my work")
    assert start_server.copy_missing(src, home) == 1
    assert (home / "01-a" / "lesson.ipynb").read_text() == "my work"
    assert (home / "README.md").read_text() == "readme"
    course = tmp_path / "course"
    added = start_server.pull_course(harness.REPO, course)
    assert "nbgrader_config.py" in added and f"source/{ASSIGNMENT}" in added
    assert start_server.pull_course(harness.REPO, course) == []  # the gradebook's folder is left alone


def test_deploy_yaml_parses_and_uses_known_keys():
    """The TLJH and Zero to JupyterHub files: valid YAML, keys that those tools accept
    (TLJH's config schema, tljh/config_schema.py; the chart's top-level keys). Not a deployment."""
    yaml = pytest.importorskip("yaml")
    tljh = yaml.safe_load((DEPLOY / "tljh" / "config.yaml").read_text())
    assert set(tljh) <= {"users", "limits", "user_environment", "https", "http", "services"}
    assert set(tljh["users"]) <= {"admin", "allowed", "banned", "extra_user_groups"}
    assert isinstance(tljh["limits"]["memory"], str) and isinstance(tljh["limits"]["cpu"], int)
    assert tljh["user_environment"]["default_app"] in ("jupyterlab", "classic")
    values = yaml.safe_load((DEPLOY / "z2jh" / "values.yaml").read_text())
    assert set(values) <= {"hub", "singleuser", "prePuller", "scheduling", "cull", "proxy", "ingress"}
    single = values["singleuser"]
    assert {"guarantee", "limit"} <= set(single["memory"]) and {"guarantee", "limit"} <= set(single["cpu"])
    assert single["cmd"][-1].endswith("deploy/hub/start_server.py")
    assert values["hub"]["services"]["seoul-sensor-lab"]["url"].startswith("http://")
    compile(values["hub"]["extraConfig"]["10-sensorlab-roles"], "extraConfig", "exec")
    kinds = [d["kind"] for d in yaml.safe_load_all((DEPLOY / "z2jh" / "course-service.yaml").read_text())]
    assert kinds == ["PersistentVolumeClaim", "PersistentVolumeClaim", "Secret", "Deployment", "Service"]
