"""nbgrader configuration of ``make lab`` (both roles): the course in ``grader/``.

``make lab`` starts JupyterLab at the repository root, where nbgrader would find no
configuration: the teacher's formgrader would show an empty course and a student's assignment
list no course. This file sits on the Jupyter config path of both roles
(:func:`sensorlab.lab.lab_command`), so nbgrader loads the course's own ``nbgrader_config.py``:
``$SENSORLAB_COURSE`` if set, else the repository's ``grader/``. On a JupyterHub the site's own
``nbgrader_config.py`` (``deploy/``) names the course and the shared exchange, so this file
steps aside there. Not imported by Python: traitlets executes it with ``get_config`` and
``load_subconfig``.
"""

import os

from sensorlab.grading.course import CONFIG_FILE, find_course

c = get_config()  # noqa: F821 (provided by traitlets when it reads this file)
if "JUPYTERHUB_SERVICE_PREFIX" not in os.environ:
    load_subconfig(CONFIG_FILE, path=str(find_course()))  # noqa: F821
