"""The students-write-the-method checks (modules 04-06) against functions a student really writes:
tables where a Series is meant, generators, functions that raise or change their input, answers in
another container. A right answer passes; a wrong one gets a true sentence in English and Korean,
never "could not check"; the checker's held-out data survive a function that changes its input.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sensorlab import check, cleaning, stats

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _wrong(exercise_id, answer, key):
    result = check.evaluate(exercise_id, answer)
    assert result.status == "wrong", (exercise_id, result.status, result.text(lang="en"))
    assert result.key == key, (exercise_id, result.key, result.text(lang="en"))
    for lang in ("en", "ko"):
        sentence = result.text(lang=lang)
        assert "{" not in sentence and "could not check" not in sentence, sentence
    return result


def _spikes(series, window=5, n_mad=8, min_scale=1.0):
    return cleaning.flag_spikes(series, window=window, n_mad=n_mad, min_scale=min_scale)


def test_a_spike_detector_returning_a_one_column_table_is_told_to_return_the_column():
    _wrong("04.3-my-spikes", lambda s, **kw: _spikes(s, **kw).to_frame("spike"), "m04.my_method.frame")


def test_a_stuck_detector_returning_a_generator_is_told_it_is_a_generator_not_one_value():
    flags = lambda s, min_run=6: (f for f in cleaning.flag_stuck(s, min_run=min_run, include_first=True))
    result = _wrong("04.3-my-stuck", flags, "m04.my_method.generator")
    assert "<generator" not in result.text(lang="en")


def test_a_fit_that_raises_names_the_error_instead_of_could_not_check():
    result = _wrong("06.2-my-fit", lambda x, y: x / 0 + int("a"), "m06.raised")
    assert "ValueError" in result.text(lang="en") and "ValueError" in result.text(lang="ko")


def test_a_pairing_that_raises_names_the_error_instead_of_could_not_check():
    _wrong("06.1-my-pairs", lambda readings, sites, sensor_id: readings.loc["nowhere"], "m06.raised")


def test_a_pairing_that_changes_its_input_does_not_change_the_next_check():
    from tests.test_exercises_m06_methods import pairs_right

    def drops_everything(readings, sites, sensor_id):
        readings.drop(readings.index, inplace=True)
        sites.drop(sites.index, inplace=True)
        raise ValueError("nothing left")

    check.evaluate("06.1-my-pairs", drops_everything)
    assert check.evaluate("06.1-my-pairs", pairs_right), check.evaluate("06.1-my-pairs", pairs_right).text()


def test_a_fit_returned_as_a_series_or_array_of_two_passes():
    assert check.evaluate("06.2-my-fit", lambda x, y: pd.Series(np.polyfit(x, y, 1), index=["slope", "intercept"]))
    assert check.evaluate("06.2-my-fit", lambda x, y: np.polyfit(x, y, 1))


def test_a_daily_cycle_indexed_by_hour_labels_is_told_to_index_by_hour_number():
    cycle = lambda df, q: df.groupby(df["timestamp"].dt.hour)[q].mean().set_axis([f"{h:02d}:00" for h in range(24)])
    _wrong("05.1-my-daily-cycle", cycle, "m05.my_daily_cycle.index")


def test_a_block_interval_returned_as_an_array_of_two_passes():
    def block_ci(daily, statistic, block, n, seed):
        ci = stats.block_bootstrap_ci(daily, statistic, block=block, n=n, seed=seed)
        return np.array([ci.low, ci.high])

    assert check.evaluate("05.5-my-block-ci", block_ci)


#: What a notebook holds when a student's function reads it instead of its argument.
shown_pm = None


def test_a_detector_reading_the_notebooks_series_instead_of_its_argument_is_told_so():
    global shown_pm
    from sensorlab.exercises import m04

    shown_pm = m04.one_site_pm(m04.SPIKE_SITE)

    def my_spikes(series, window=5, n_mad=8, min_scale=1.0):
        return cleaning.flag_spikes(shown_pm, window=window, n_mad=n_mad, min_scale=min_scale)

    result = _wrong("04.3-my-spikes", my_spikes, "check.reads_notebook_data")
    assert "shown_pm" in result.text(lang="en") and "shown_pm" in result.text(lang="ko")


def test_a_function_reading_a_notebook_constant_and_right_still_passes():
    global shown_pm
    shown_pm = pd.Series([1.0, 2.0])   # a notebook variable the right function names but does not depend on
    assert check.evaluate("04.3-my-spikes", lambda s, **kw: _spikes(s, **kw) if shown_pm is not None else None)


def _time_split(table, test_start, gap_days):
    start = pd.Timestamp(test_start, tz=table.index.tz)
    return table[table.index < start - pd.Timedelta(days=gap_days)], table[table.index >= start]


def test_a_time_split_that_resets_the_index_is_told_to_keep_the_dates_not_that_it_learns_from_the_future():
    result = _wrong("07.3-my-time-split", lambda t, s, g: tuple(f.reset_index() for f in _time_split(t, s, g)),
                    "m07.my_split.index")
    assert "future" not in result.text(lang="en")


def test_a_time_split_returning_two_columns_is_told_they_are_series_not_that_it_returned_a_tuple():
    result = _wrong("07.3-my-time-split", lambda t, s, g: tuple(f["x"] for f in _time_split(t, s, g)),
                    "m07.my_split.not_frames")
    assert "Series" in result.text(lang="en") and "Series" in result.text(lang="ko")


def test_an_interval_with_an_empty_end_is_not_accepted():
    from sensorlab.exercises import m06

    low, high, _ = m06.bad_day_interval()
    _wrong("06.5-bad-day-interval", (float("nan"), high), "check.item_not_finite")  # names the empty end: item 1 is NaN


def test_pairs_of_numbers_from_sklearn_or_a_series_pass_the_line_checks():
    from sensorlab.exercises import m06, m08

    both = m08.paired()
    slope, intercept = np.polyfit(both["box"], both["station"], 1)
    for answer in ((np.array([slope]), np.float64(intercept)), pd.Series([slope, intercept])):
        assert check.evaluate("08.4-fit", answer), check.evaluate("08.4-fit", answer).text(lang="en")
    low, high, _ = m06.bad_day_interval()
    assert check.evaluate("06.5-bad-day-interval", pd.Series([low, high]))
    assert check.evaluate("06.2-my-fit", lambda x, y: (np.polyfit(x, y, 1)[:1], np.polyfit(x, y, 1)[1]))
