"""Doctest collection over src/: skip the Jupyter configuration files, which traitlets executes
with names (``get_config``) that only exist there."""

collect_ignore_glob = ["sensorlab/jupyter/*/*.py"]
