"""Late penalties for nbgrader: a percentage of the score per started day, set in one place.

``grader/nbgrader_config.py`` selects this plugin and its rate::

    c.AssignLatePenalties.plugin_class = "sensorlab.grading.late.PercentPerDayLate"
    c.PercentPerDayLate.percent_per_day = 10.0

Examples
--------
>>> plugin = PercentPerDayLate(percent_per_day=10.0)
>>> plugin.late_submission_penalty("alice", 8.0, 0)
0.0
>>> plugin.late_submission_penalty("alice", 8.0, 3600)      # one started day: 10 %
0.8
>>> plugin.late_submission_penalty("alice", 8.0, 30 * 86400)  # never more than the score
8.0
"""

from __future__ import annotations

import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float


class PercentPerDayLate(LateSubmissionPlugin):
    """Take ``percent_per_day`` % of the score off for each started day late."""

    percent_per_day = Float(10.0, help="Percent of the score removed per started day late.").tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        if not total_seconds_late or total_seconds_late <= 0:
            return 0.0
        days = math.ceil(total_seconds_late / 86400)
        return round(min(score, score * self.percent_per_day / 100 * days), 4)
