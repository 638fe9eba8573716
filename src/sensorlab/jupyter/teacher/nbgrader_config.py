"""nbgrader configuration of the teacher's JupyterLab: the course in ``grader/``.

``make lab ROLE=teacher`` starts JupyterLab at the repository root, where nbgrader would find
no configuration and the formgrader would show an empty course. This file sits on the teacher
role's Jupyter config path, so nbgrader (formgrader, assignment list, create-assignment) loads
the course's own ``nbgrader_config.py``: ``$SENSORLAB_COURSE`` if set, else the repository's
``grader/``. Not imported by Python: traitlets executes it with ``get_config``/``load_subconfig``.
"""

from sensorlab.grading.course import CONFIG_FILE, find_course

c = get_config()  # noqa: F821 (provided by traitlets when it reads this file)
load_subconfig(CONFIG_FILE, path=str(find_course()))  # noqa: F821
