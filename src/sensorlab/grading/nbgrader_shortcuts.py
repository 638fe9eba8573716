"""Faster nbgrader inside a one-submission grading worker, with the same grades.

Each shortcut patches nbgrader (or SQLite, SQLAlchemy, jsonschema) only in the forked worker
that grades one submission against its scratch copy of the gradebook, and is only safe there:
the process and its scratch gradebook end together. :func:`speed_up_nbgrader` applies them all.
"""

from __future__ import annotations

__all__ = ["speed_up_nbgrader"]


def speed_up_nbgrader() -> None:
    """Apply every shortcut below (call once, in the worker, before nbgrader opens a gradebook)."""
    scratch_gradebook_without_fsync()
    one_engine_per_gradebook_file()
    tables_made_once()
    schema_checked_once()


def scratch_gradebook_without_fsync() -> None:
    """In this one-submission process, SQLite neither syncs nor journals to disk.

    Its only database is the scratch copy of the gradebook, thrown away after the grades are
    read back (the parent records them in the course's gradebook): nbgrader commits some 30
    times per submission, and each sync to disk cost 7 ms on a busy machine.
    """
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "connect")
    def _no_sync(dbapi_connection, connection_record):
        dbapi_connection.execute("PRAGMA synchronous=OFF")
        dbapi_connection.execute("PRAGMA journal_mode=MEMORY")


def one_engine_per_gradebook_file() -> None:
    """nbgrader opens the gradebook ten times per submission, each with an engine of its own,
    so every query was compiled anew each time, and each close dropped the connection; in this
    one-submission process they share one engine, its compiled statements and its connections
    (the process and its scratch gradebook end together)."""
    from nbgrader import api

    engines: dict = {}
    make = api.create_engine

    def create_engine(url, *args, **kwargs):
        key = (str(url), repr(args), repr(sorted(kwargs.items())))
        if key not in engines:
            engine = engines[key] = make(url, *args, **kwargs)
            engine.dispose = lambda *args, **kwargs: None  # Gradebook.close: keep the connection
        return engines[key]

    api.create_engine = create_engine


def tables_made_once() -> None:
    """Every gradebook nbgrader opens lists the database's tables and creates the missing ones
    (some 20 queries); in this one-submission process, where the engine is shared
    (:func:`one_engine_per_gradebook_file`), only the first open of a file does."""
    from types import SimpleNamespace

    from nbgrader import api

    made: dict = {}
    create_all, inspect = api.Base.metadata.create_all, api.inspect

    def create_all_once(bind=None, **kwargs):
        if bind is None or id(bind) not in made:
            create_all(bind=bind, **kwargs)
            if bind is not None:
                made[id(bind)] = (bind, inspect(bind).get_table_names())  # the engine kept: its id stays its own

    def inspect_once(subject, *args, **kwargs):
        if id(subject) in made:
            return SimpleNamespace(get_table_names=lambda: list(made[id(subject)][1]))
        return inspect(subject, *args, **kwargs)

    api.Base.metadata.create_all = create_all_once
    api.inspect = inspect_once


def schema_checked_once() -> None:
    """nbgrader validates every cell's metadata with ``jsonschema.validate``, which first checks
    the schema itself against its meta-schema: 40 times per notebook, a third of a worker's CPU.
    Here the schema is checked once; each cell is validated exactly as before."""
    from types import SimpleNamespace

    import jsonschema
    from nbgrader.nbgraderformat import common

    validators: dict = {}

    def validate(instance, schema):
        key = id(schema)
        if key not in validators:
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            validators[key] = (schema, cls(schema))  # the schema kept alive: its id stays its own
        error = jsonschema.exceptions.best_match(validators[key][1].iter_errors(instance))
        if error is not None:
            raise error

    common.jsonschema = SimpleNamespace(validate=validate)
