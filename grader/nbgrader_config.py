"""nbgrader configuration of the Seoul Sensor Lab course (nbgrader 0.9.6).

Every path is relative to this folder, so the course works wherever the repository is cloned.
On a shared school server, point ``Exchange.root`` at a world-writable folder such as
``/srv/nbgrader/exchange`` (see README.md); everything else stays as it is.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821 (provided by nbgrader when it reads this file)

HERE = Path(__file__).resolve().parent

c.CourseDirectory.course_id = "seoul-sensor-lab"
c.CourseDirectory.root = str(HERE)
c.CourseDirectory.db_url = f"sqlite:///{HERE / 'gradebook.db'}"
# The language of the release, in this one place: SENSORLAB_COURSE_LANG=ko generates, releases,
# autogrades and gives feedback from the Korean sources in source-ko/ (same assignment names and
# grade ids, so the gradebook is the same whichever language a class gets). `sensorlab grade ...
# --lang ko` sets it too.
COURSE_LANG = os.environ.get("SENSORLAB_COURSE_LANG", "en").strip().lower()[:2] or "en"
if COURSE_LANG not in ("en", "ko"):
    raise ValueError(f"SENSORLAB_COURSE_LANG must be 'en' or 'ko', not {COURSE_LANG!r}")
c.CourseDirectory.source_directory = "source-ko" if COURSE_LANG == "ko" else "source"
# Local exchange inside the course (git-ignored); a school server overrides this with
# SENSORLAB_EXCHANGE=/srv/nbgrader/exchange.
c.Exchange.root = os.environ.get("SENSORLAB_EXCHANGE", str(HERE / "exchange"))
if "SENSORLAB_EXCHANGE" not in os.environ and not os.path.isdir(c.Exchange.root):
    # A fresh clone has no exchange, and nbgrader's release, fetch and collect (and the
    # formgrader's buttons for them) need it to exist; writable by everyone on this machine,
    # sticky like /tmp, as nbgrader's own instructions set it up.
    try:
        os.mkdir(c.Exchange.root)
        os.chmod(c.Exchange.root, 0o1777)
    except OSError:
        pass  # a read-only checkout: nbgrader then says plainly that the exchange is missing

# One cell may run this long before it is interrupted (infinite loops); `sensorlab grade
# autograde` adds a limit per submission, memory and output caps and a sandbox on top.
c.Execute.timeout = 30
# Hidden tests are decided outside the student's kernel, on the values it exports
# (sensorlab.grading.verdict): a student's objects, patches and IPython hooks cannot pass them.
from sensorlab.grading.outside import autograde_preprocessors  # noqa: E402

c.Autograde.autograde_preprocessors = autograde_preprocessors()
# Feedback never shows hidden tests or their expected values, whoever generates it (`sensorlab
# grade feedback`, plain `nbgrader generate_feedback`, the formgrader's button): nbgrader's own
# feedback renders the autograded notebook, hidden tests included (nbgrader issue #917).
c.GenerateFeedback.preprocessors = ["sensorlab.grading.feedback.HideHiddenTests",
                                    "nbgrader.preprocessors.GetGrades",
                                    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor"]
# Students who delete a test cell get it back instead of a "needs manual grade" forever.
c.OverwriteCells.add_missing_cells = True
# Keep huge outputs (a print in a loop) out of the autograded notebooks and the feedback.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 40

# Late penalties, in this one place: percent of the score taken off per day late (started
# days), capped at 100 %. Due dates are set per assignment in the gradebook (formgrader).
c.AssignLatePenalties.plugin_class = "sensorlab.grading.late.PercentPerDayLate"
c.PercentPerDayLate.percent_per_day = 10.0

# nbgrader's collect warns "cheating attempt?" about every submission whose file owner is not
# the student id, which on one machine (a shared account) is all of them. `sensorlab grade
# collect` turns this check off and checks owners itself where it means something (submissions
# from more than one account). For plain `nbgrader collect` or the formgrader's Collect button,
# SENSORLAB_CHECK_OWNER=0 silences it.
c.CollectApp.check_owner = c.ExchangeCollect.check_owner = os.environ.get("SENSORLAB_CHECK_OWNER", "1") != "0"
