"""Shared by every test, doctest and lesson run: collection rules and a clean message language.

- Jupyter configuration files in ``src/sensorlab/jupyter/`` are executed by traitlets with names
  (``get_config``) that only exist there: doctest collection skips them.
- A test or doctest that chooses Korean (``messages.set_language("ko")``) must not leave the
  next one on the same worker reading Korean where it expects English.
"""

import pytest

# A module's claims.py (tools/stated_numbers.py) is run by tests/test_stated_numbers.py, not collected.
collect_ignore_glob = ["src/sensorlab/jupyter/*/*.py", "lessons/claims.py", "lessons/*/claims.py"]


@pytest.fixture(autouse=True)
def _english_messages_by_default(monkeypatch):
    from sensorlab import messages

    monkeypatch.delenv(messages.ENV_VAR, raising=False)
    monkeypatch.setattr(messages, "_chosen", None)
