"""The teacher's grading toolkit around nbgrader 0.9.6: ``sensorlab grade ...``.

nbgrader is the engine (gradebook, exchange, formgrader, feedback); these modules add what it
lacks for a real class: parallel and resilient autograding with per-submission limits and a
sandbox (:mod:`~sensorlab.grading.autograde`, :mod:`~sensorlab.grading.sandbox`), tamper and
corruption checks with visible flags (:mod:`~sensorlab.grading.precheck`), hidden tests decided
outside the student's kernel on plain data (:mod:`~sensorlab.grading.verdict`), feedback that
shows student output as text and never shows hidden tests (:mod:`~sensorlab.grading.feedback`), a class report
(:mod:`~sensorlab.grading.report`) and an Excel-safe export (:mod:`~sensorlab.grading.export`).
"""
