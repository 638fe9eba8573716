"""A clever student cannot reach anything but their own submission while being graded.

One batch of assignment 01 is graded by ``sensorlab.grading.autograde`` (real nbgrader, real
kernels, real bubblewrap and cgroups where the machine has them) with an honest student and
submissions that: are symlinks to the gradebook and to a classmate's notebook; hold a link to a
root-only file outside the course and a fifo; plant links in their working folder for the
grader to follow; look for the hidden tests in the repository and the grader's scratch folder;
print the environment (a canary is set in the grading command's environment); start six
children that each hold memory. The course's files must be untouched, no hidden-test line and
no canary may reach any autograded notebook or feedback file, and the six children together
must stay under the submission's memory cap.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import sqlite3
import stat
import sys
from pathlib import Path

import nbformat
import pytest

from sensorlab.grading import course, treecap
from sensorlab.grading.autograde import SOCKETS_ENV, SandboxedKernelManager
from sensorlab.grading.sandbox import Limits, bwrap_works, is_root
from tools import grading_proof as proof

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
import corpus  # noqa: E402
import _grading_proofs as proofs  # noqa: E402

A = corpus.ASSIGNMENT
CANARY = "SENSORLAB_TEST_CANARY"
CANARY_VALUE = "canary-7f3a9c-never-in-feedback"
SECRET = "TOP-SECRET-outside-the-course-41c2"
MEMORY_MB = 1280
CHILD_MB = 300
LIMITS = Limits(timeout_s=180, cell_timeout_s=40, memory_mb=MEMORY_MB, cpu_s=60, output_kb=256)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux sandbox")

# Each child allocates and reports; once every allocation is over (the cgroup's OOM killer may
# have ended some children meanwhile), the living ones are asked to answer again: those answers
# come from children holding their memory at the same moment.
SIX_CHILDREN = f"""
import os, time
_kids = []
for _i in range(6):
    _up_r, _up_w = os.pipe()
    _down_r, _down_w = os.pipe()
    if os.fork() == 0:
        try:
            os.close(_up_r)
            os.close(_down_w)
            _block = b"x" * ({CHILD_MB} * 1024 * 1024)   # written, so really resident
            os.write(_up_w, b"1")
            os.read(_down_r, 1)
            os.write(_up_w, b"2")
            time.sleep(5)
        finally:
            os._exit(0)
    os.close(_up_w)
    os.close(_down_r)
    _kids.append((_up_r, _down_w))
_allocated = sum(os.read(_r, 1) == b"1" for _r, _w in _kids)   # b"" when a child was killed
for _r, _w in _kids:
    try:
        os.write(_w, b"g")
    except OSError:
        pass
_held = sum(os.read(_r, 1) == b"2" for _r, _w in _kids)
print("children holding {CHILD_MB} MB at once:", _held, "(allocated:", _allocated, ")")
"""

FIND_HIDDEN = """
import glob, os, sensorlab
_found = []
_repo = os.path.dirname(os.path.dirname(os.path.dirname(sensorlab.__file__)))
_paths = glob.glob(_repo + "/grader/source*/*/*.ipynb")
_up = os.getcwd()
for _ in range(8):
    _up = os.path.dirname(_up)
    _paths += glob.glob(_up + "/*.db") + glob.glob(_up + "/private/*") + glob.glob(_up + "/in/*/*/*")
    _paths += glob.glob(_up + "/*/source/*/*.ipynb") + glob.glob(_up + "/course/source/*/*.ipynb")
_paths += glob.glob("/tmp/sensorlab-grade-*/**", recursive=True)
for _p in _paths:
    try:
        _found.append(open(_p, "rb").read().decode("utf-8", "replace"))
    except Exception as _e:
        print("blocked:", type(_e).__name__)
print("FOUND", len(_found))
for _t in _found:
    print(_t)
"""


FILL_MB = 24 * 60
# Writes 60 MB files (under the 64 MB a file may hold) into its working copy until the disk is
# full or FILL_MB are written, then frees them.
FILLS_DISK = f"""
import os
_mb = 0
try:
    for _i in range({FILL_MB // 60}):
        with open(f"fill-{{_i}}.bin", "wb") as _f:
            for _j in range(60):
                _f.write(bytes(2**20))
                _mb += 1
except OSError as _e:
    print("stopped:", type(_e).__name__)
for _name in os.listdir("."):
    if _name.startswith("fill-"):
        os.remove(_name)
print("wrote MB:", _mb)
"""


def _plants_links(ctx):
    return (f"import os\nfor _i, _t in enumerate({ctx['targets']!r}):\n"
            "    try:\n        os.symlink(_t, f'planted-{_i}.txt')\n"
            "    except Exception as _e:\n        print('blocked:', type(_e).__name__)\n"
            "os.symlink('planted-0.txt', '01-sensor-box.ipynb.lnk')\n")


def _hidden_lines(source) -> list[str]:
    lines = []
    for cell in source.cells:
        text = cell.source
        while "### BEGIN HIDDEN TESTS" in text:
            block, text = text.split("### BEGIN HIDDEN TESTS", 1)[1].split("### END HIDDEN TESTS", 1)
            lines += [ln.strip() for ln in block.splitlines() if len(ln.strip()) > 12]
    assert lines, "assignment 01 has hidden tests to look for"
    return lines


def _all_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _grade(base: Path, use_sandbox: bool = True) -> dict:
    generated = proofs.generated_course(base / "course", A)
    root, source, good = generated.root, generated.source, generated.good
    outside = base / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(SECRET)
    secret.chmod(0o600)
    gradebook = root / "gradebook.db"
    classmate = proof.place_submission(root, A, "good", good)
    source_nb = root / "source" / A / f"{A}.ipynb"
    ctx = {"targets": [str(secret), str(gradebook), str(classmate), str(source_nb)]}
    # the notebook itself is a link: to the gradebook, to a classmate's notebook, to the source
    for name, target in (("link_gradebook", gradebook), ("link_classmate", classmate), ("link_source", source_nb)):
        folder = root / "submitted" / name / A
        folder.mkdir(parents=True)
        (folder / f"{A}.ipynb").symlink_to(target)
    (root / "submitted" / "link_folder").symlink_to(root / "submitted" / "good")  # a whole folder linked
    # an honest notebook beside a link to a root-only file, a link to the gradebook and a fifo
    folder = proof.place_submission(root, A, "links_beside", good).parent
    (folder / "notes.txt").symlink_to(secret)
    (folder / "gb.db").symlink_to(gradebook)
    os.mkfifo(folder / "pipe")
    extra = {"plants_links": _plants_links(ctx), "finds_hidden": FIND_HIDDEN,
             "prints_env": "import os\nprint(dict(os.environ))\n", "six_children": SIX_CHILDREN, "fills_disk": FILLS_DISK}
    for name, code in extra.items():
        proof.place_submission(root, A, name, corpus._answer(good, "sds011_ugm3", code + corpus.CORRECT_SDS))
    before = {p: (p.read_bytes(), stat.S_IMODE(p.stat().st_mode)) for p in (classmate, source_nb, secret)}
    os.environ[CANARY] = CANARY_VALUE
    try:
        from sensorlab.grading.autograde import Grader

        grader = Grader(root, A, jobs=2, limits=LIMITS, progress=False)
        if not use_sandbox:  # what grading did before bubblewrap and cgroups (for the record)
            grader.isolate = grader.use_cgroups = False
        outcomes = grader.run()
    finally:
        del os.environ[CANARY]
    course.check(course.api(root).generate_feedback(A), "generate_feedback")
    return {"root": root, "outcomes": outcomes, "scores": proof.read_scores(root, A), "before": before,
            "secret": secret, "hidden": _hidden_lines(source), "max": proof.autograded_tests(source)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return _grade(tmp_path_factory.mktemp("sandbox"))


def _printed(graded, student: str) -> str:
    nb = nbformat.read(str(graded["root"] / "autograded" / student / A / f"{A}.ipynb"), as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "sds011_ugm3")
    return "".join(o.get("text", "") for o in cell.outputs)


@pytest.mark.slow
def test_links_write_nothing_outside_the_submission_and_the_gradebook_survives(graded):
    for path, (data, mode) in graded["before"].items():
        assert path.read_bytes() == data and stat.S_IMODE(path.stat().st_mode) == mode, path
    with sqlite3.connect(graded["root"] / "gradebook.db") as db:
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert db.execute("select count(*) from submitted_assignment").fetchone()[0] == len(graded["outcomes"])
    full = graded["max"]
    assert {t: graded["scores"]["good"][t] for t in full} == full
    for name in ("link_gradebook", "link_classmate", "link_source", "link_folder"):  # a link is no submission
        assert "corrupt" in graded["outcomes"][name].kinds, graded["outcomes"][name].flags
        assert sum(graded["scores"][name][t] for t in full) == 0, name
    beside = graded["outcomes"]["links_beside"]
    assert "tampered" in beside.kinds
    assert {t: graded["scores"]["links_beside"][t] for t in full} == full
    reason = next(f.reason for f in beside.flags if f.kind == "tampered")
    assert "notes.txt" in reason and "gb.db" in reason and "pipe" in reason, reason


@pytest.mark.slow
def test_no_secret_no_hidden_test_and_no_canary_reaches_any_output(graded):
    root = graded["root"]
    text = _all_text(root / "autograded") + _all_text(root / "feedback")
    assert SECRET not in text
    assert CANARY_VALUE not in text and CANARY not in text
    leaked = [line for line in graded["hidden"] if line in _all_text(root / "feedback")]
    assert not leaked, leaked[:3]
    for student in ("finds_hidden", "plants_links", "prints_env"):  # their own autograded copy too
        printed = _printed(graded, student)
        assert not [line for line in graded["hidden"] if line in printed], student
    assert "FOUND 0" in _printed(graded, "finds_hidden"), _printed(graded, "finds_hidden")[:800]
    assert not list((root / "autograded" / "plants_links" / A).glob("planted-*"))
    for student in ("finds_hidden", "plants_links", "prints_env"):
        assert {t: graded["scores"][student][t] for t in graded["max"]} == graded["max"], student


@pytest.mark.slow
def test_environment_is_home_path_lang_and_what_grading_sets(graded):
    printed = _printed(graded, "prints_env")
    env = eval(printed.strip().splitlines()[-1])  # a dict repr the kernel printed
    teacher_only = set(env) - {"HOME", "PATH", "LANG", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                               "MKL_NUM_THREADS", "SENSORLAB_STUDENT_ID", "PWD"}
    # ipykernel adds its own display settings; nothing else from the grading command passes
    assert teacher_only <= {"CLICOLOR", "CLICOLOR_FORCE", "FORCE_COLOR", "GIT_PAGER", "PAGER", "TERM",
                            "MPLBACKEND", "PYDEVD_USE_FRAME_EVAL"}, teacher_only
    assert env["SENSORLAB_STUDENT_ID"] == "prints_env"


@pytest.mark.slow
def test_six_children_cannot_together_exceed_the_submission_memory_cap(graded):
    if not treecap.available():
        pytest.skip("no writable cgroup here: memory is capped per process only (see protections())")
    printed = _printed(graded, "six_children")
    assert "children holding" in printed, (graded["outcomes"]["six_children"].flags, printed[-500:])
    held = int(printed.split("children holding")[1].split(":")[1].split()[0])
    assert held * CHILD_MB < MEMORY_MB, printed
    assert held < 6


@pytest.mark.slow
def test_a_submission_cannot_fill_the_graders_disk(graded):
    if not (is_root() and bwrap_works()):
        pytest.skip("the working copy is a capped tmpfs only as root with bubblewrap (protections() says so)")
    printed = _printed(graded, "fills_disk")
    assert "wrote MB:" in printed, (graded["outcomes"]["fills_disk"].flags, printed[-500:])
    wrote = int(printed.split("wrote MB:")[1].split()[0])
    assert wrote <= LIMITS.disk_mb < FILL_MB, printed
    assert {t: graded["scores"]["fills_disk"][t] for t in graded["max"]} == graded["max"]


@pytest.mark.slow
def test_sandbox_is_bubblewrap_where_available():
    if not bwrap_works():
        pytest.skip("bubblewrap cannot run here: grading falls back to per-process limits (protections() says so)")
    from sensorlab.grading.sandbox import protections

    assert "bubblewrap sandbox" in protections() and "MISSING" not in protections() or not is_root()


def test_many_kernels_started_at_once_all_start(tmp_path, monkeypatch):
    """Twelve grading kernels start together on a busy machine; each answers over its own sockets."""
    monkeypatch.setenv(SOCKETS_ENV, str(tmp_path))

    async def one(i: int) -> str:
        km = SandboxedKernelManager(kernel_name="python3")
        await km.start_kernel()
        try:
            client = km.client()
            client.start_channels()
            await client.wait_for_ready(timeout=180)
            reply = await client.execute_interactive(f"print({i} * 2)", timeout=180, store_history=False)
            client.stop_channels()
            return f"{km.transport}:{reply['content']['status']}"
        finally:
            await km.shutdown_kernel(now=True)

    async def many():
        return await asyncio.gather(*(one(i) for i in range(12)))

    # a thread of its own: an earlier test on this worker (a browser test) may leave an event loop running here
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, many()).result() == ["ipc:ok"] * 12


NOT_ROOT_GRADING = """
import json, sys
from pathlib import Path
import nbformat
sys.path[:0] = [{hostile!r}, {repo!r}]  # the hostile corpus; tools/ (repository tooling)
import corpus
from sensorlab.grading import course
from tools import grading_proof as proof
from sensorlab.grading.autograde import Grader
from sensorlab.grading.sandbox import Limits, protections
A = corpus.ASSIGNMENT
sys.path.insert(0, {tests!r})
import _grading_proofs as proofs
generated = proofs.generated_course(Path({base!r}) / "course", A, origin=Path({grader!r}))
root, source, good = generated.root, generated.source, generated.good
proof.place_submission(root, A, "good", good)
proof.place_submission(root, A, "finds_hidden", corpus._answer(good, "sds011_ugm3", {find!r} + corpus.CORRECT_SDS))
grader = Grader(root, A, jobs=2, limits=Limits(timeout_s=180, cell_timeout_s=40), progress=False)
outcomes = grader.run()
nb = nbformat.read(str(root / "autograded" / "finds_hidden" / A / f"{{A}}.ipynb"), as_version=4)
cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {{}}).get("grade_id") == "sds011_ugm3")
print(json.dumps({{"isolate": grader.isolate, "zygote": grader.use_zygote, "protections": protections(),
                  "scores": proof.read_scores(root, A), "max": proof.autograded_tests(source),
                  "printed": "".join(o.get("text", "") for o in cell.outputs),
                  "flags": {{s: o.kinds for s, o in outcomes.items()}}}}))
"""


def _as_nobody(args: list[str], **kwargs):
    import pwd
    import subprocess

    nobody = pwd.getpwnam("nobody")
    return subprocess.run(["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups",
                           *args], capture_output=True, text=True, **kwargs)


@pytest.mark.slow
@pytest.mark.skipif(not is_root(), reason="needs root to run the grader as another, non-root account")
def test_a_teacher_who_is_not_root_grades_in_bubblewrap_and_is_told_what_is_missing():
    """Not root (a teacher's own account on a hub) where the kernel allows user namespaces: each
    kernel starts in bubblewrap through exec (the pre-imported fork server needs root), hidden
    tests stay out of reach, and the summary says what root would add."""
    import json
    import shutil

    probe = _as_nobody(["bwrap", "--unshare-user", "--ro-bind", "/", "/", "--unshare-pid", "true"])
    if probe.returncode != 0:
        pytest.skip(f"this kernel refuses user namespaces to other accounts: {probe.stderr.strip()}")
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="sensorlab-teacher-"))  # the account's own folder (pytest's is root's only)
    shutil.chown(base, "nobody")
    script = NOT_ROOT_GRADING.format(hostile=str(Path(__file__).parent / "hostile"), tests=str(Path(__file__).parent),
                                     base=str(base), repo=str(Path(__file__).resolve().parents[1]),
                                     find=FIND_HIDDEN, grader=str(course.find_course()))
    path = os.pathsep.join([os.path.dirname(sys.executable), "/usr/local/bin", "/usr/bin", "/bin"])
    env = {"PATH": path, "HOME": str(base), "LANG": "C.UTF-8", "TMPDIR": str(base)}
    sys.path.insert(0, str(Path(__file__).parent / "hub"))
    import harness  # the hub tests' helper: lets another account reach this Python (pyenv under /root)

    modes = harness.open_path_for_users(Path(sys.executable).resolve(), Path(sys.executable).parent)
    try:
        done = _as_nobody([sys.executable, "-c", script], cwd=base, env=env, timeout=900)
    finally:
        modes.restore()
        shutil.rmtree(base, ignore_errors=True)
    assert done.returncode == 0, done.stderr[-3000:]
    said = json.loads(done.stdout.strip().splitlines()[-1])
    assert said["isolate"] is True and said["zygote"] is False
    assert "bubblewrap sandbox" in said["protections"] and "MISSING" in said["protections"]
    assert "not root" in said["protections"] and "no bubblewrap" not in said["protections"]
    for student in ("good", "finds_hidden"):
        assert {t: said["scores"][student][t] for t in said["max"]} == said["max"], said
    assert "FOUND 0" in said["printed"], said["printed"][:2000]
    source = nbformat.read(str(course.find_course() / "source" / A / f"{A}.ipynb"), as_version=4)
    assert not [line for line in _hidden_lines(source) if line in said["printed"]]
