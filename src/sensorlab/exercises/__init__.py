"""Checkers of the lesson exercises, one module per lesson module (``m00``, ``m03`` ...).

:func:`sensorlab.check.get_exercise` imports ``sensorlab.exercises.mNN`` when it first meets an
id starting with ``NN``; each module registers its checkers with :func:`sensorlab.check.register`.
Expected answers are computed here from the same data the lesson uses, never typed in.
"""
