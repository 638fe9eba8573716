"""Module 03's checks, tried the way students answer: each right answer they really write passes,
and each of about ten wrong answers per exercise gets its own sentence (English and Korean) saying
what to change, never a vague "wrong value" when the mistake is recognisable."""

import unicodedata

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from sensorlab import check, messages, plotting  # noqa: E402
from sensorlab.datasets import load_city  # noqa: E402
from sensorlab.explore import plausible  # noqa: E402


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.delenv(messages.ENV_VAR, raising=False)
    messages.set_language("en")


@pytest.fixture(scope="module")
def city():
    return load_city(["pm25", "noise", "no2", "temperature"], truth=False)


@pytest.fixture(scope="module")
def r(city):
    return plausible(city.readings)


@pytest.fixture(scope="module")
def wd(city, r):
    return r.merge(city.sites[["site_id", "kind", "district", "district_ko"]], on="site_id")


def _wrong(exercise_id, answer, key):
    result = check.evaluate(exercise_id, answer)
    assert result.status == "wrong", (exercise_id, key, result.text())
    assert result.key == key, (exercise_id, key, result.text())
    english, korean = result.text("en"), result.text("ko")
    assert "Not yet." in english and "아직 아니에요." in korean
    assert english != korean  # the Korean sentence exists (no English fallback)
    return result


def _right(exercise_id, answer):
    result = check.evaluate(exercise_id, answer)
    assert result, result.text()


# --- 03.1.a one station ---------------------------------------------------------------------

def test_one_station_rights_and_wrongs(city, r, wd):
    ex = "03.1-jongno-station"
    mask = r["site_id"] == "ref-101"
    _right(ex, r[mask][["timestamp", "pm25"]])
    _right(ex, r.loc[mask, ["timestamp", "pm25"]])
    _right(ex, wd[wd["site_id"] == "ref-101"][["timestamp", "pm25"]])
    _wrong(ex, r[mask][["pm25", "timestamp"]], "m03.jongno_station.column_order")          # the order the task asks for
    _wrong(ex, mask, "m03.mask_not_rows")
    _wrong(ex, r.loc[mask, "pm25"], "m03.series_not_table")
    _wrong(ex, r[mask], "check.extra_column")
    _wrong(ex, r[["timestamp", "pm25"]], "m03.jongno_station.all_rows")
    _wrong(ex, r[r["site_id"] == "ref101"][["timestamp", "pm25"]], "m03.jongno_station.empty")
    _wrong(ex, r[r["site_id"] == "ref-102"][["timestamp", "pm25"]], "m03.jongno_station.other_site")
    raw = city.readings
    _wrong(ex, raw[raw["site_id"] == "ref-101"][["timestamp", "pm25"]], "m03.raw_readings")
    _wrong(ex, r[mask].set_index("timestamp")[["pm25"]], "m03.jongno_station.time_as_index")
    _wrong(ex, r[mask][["timestamp", "pm25"]].head(), "check.wrong_length")
    _wrong(ex, r[mask][["timestamp", "pm25"]].values.tolist(), "check.wrong_type")


# --- 03.1.b bad hours -----------------------------------------------------------------------

def test_bad_hours_rights_and_wrongs(wd):
    ex = "03.1-bad-hours"
    ref = wd["kind"] == "reference"
    right = int((ref & (wd["pm25"] > 35)).sum())
    _right(ex, right)
    _right(ex, float(right))
    _right(ex, len(wd[ref & (wd["pm25"] > 35)]))
    _wrong(ex, int((ref & (wd["pm25"] >= 35)).sum()), "m03.bad_hours.boundary")
    _wrong(ex, int((wd["pm25"] > 35).sum()), "m03.bad_hours.all_sites")
    _wrong(ex, int(((wd["kind"] == "street") & (wd["pm25"] > 35)).sum()), "m03.bad_hours.street")
    _wrong(ex, int((ref & (wd["pm25"] > 75)).sum()), "m03.bad_hours.very_bad_only")
    _wrong(ex, ref & (wd["pm25"] > 35), "m03.bad_hours.mask")
    _wrong(ex, wd[ref & (wd["pm25"] > 35)], "m03.bad_hours.count")
    _wrong(ex, right + 1, "check.wrong_value")
    _wrong(ex, str(right), "check.wrong_type_advice")
    _wrong(ex, right / ref.sum(), "check.wrong_type_advice")
    _wrong(ex, [right], "check.wrong_type_advice")  # a list is named as a list, with how to take one number out


# --- 03.1.c street sensors of Mapo-gu -------------------------------------------------------

def test_mapo_street_rights_and_wrongs(city):
    ex = "03.1-mapo-street-sites"
    s = city.sites
    street = s[(s["district"] == "Mapo-gu") & (s["kind"] == "street")]["site_id"]
    right = sorted(street)
    _right(ex, right)
    _right(ex, sorted(street.astype(str).tolist()))
    _wrong(ex, right[::-1], "check.wrong_order")
    _wrong(ex, sorted(s.loc[s["district"] == "Mapo-gu", "site_id"]), "m03.mapo_street.with_reference")
    _wrong(ex, street, "m03.mapo_street.not_a_list")
    _wrong(ex, street.to_numpy(), "m03.mapo_street.not_a_list")
    _wrong(ex, set(right), "m03.mapo_street.not_a_list")
    _wrong(ex, sorted(s.loc[(s["district"] == "Mapo") & (s["kind"] == "street"), "site_id"]), "m03.mapo_street.empty")
    _wrong(ex, sorted(s.loc[(s["district"] == "Jung-gu") & (s["kind"] == "street"), "site_id"]),
           "m03.mapo_street.wrong_sites")
    _wrong(ex, right[:2], "m03.mapo_street.wrong_sites")
    _wrong(ex, "sdot-106-01", "check.wrong_type")


# --- 03.2.a districts ranked by their stations ---------------------------------------------

def test_district_ranking_by_station_rights_and_wrongs(city, wd):
    ex = "03.2-mean-by-district"
    ref = wd[wd["kind"] == "reference"]
    right = ref.groupby("district")["pm25"].mean().sort_values(ascending=False)
    _right(ex, right)
    _right(ex, wd[wd["site_id"].astype(str).str.startswith("ref")].groupby("district")["pm25"].mean()
           .sort_values(ascending=False))
    _wrong(ex, wd.groupby("district")["pm25"].mean().sort_values(ascending=False),
           "m03.mean_by_district.with_street")                                  # the old, raw-sensor ranking
    street = wd[wd["kind"] == "street"]
    _wrong(ex, street.groupby("district")["pm25"].mean().sort_values(ascending=False),
           "m03.mean_by_district.street_only")
    _wrong(ex, right.sort_values(), "m03.highest_first")
    _wrong(ex, right.sort_index(), "check.wrong_order")
    _wrong(ex, ref.groupby("site_id", observed=True)["pm25"].mean().sort_values(ascending=False),
           "m03.mean_by_district.by_site")
    _wrong(ex, ref.groupby("district_ko")["pm25"].mean().sort_values(ascending=False), "m03.english_districts")
    _wrong(ex, ref.groupby("district")[["pm25"]].mean().sort_values("pm25", ascending=False), "m03.table_not_series")
    _wrong(ex, ref.groupby("district")["pm25"], "m03.no_summary")
    _wrong(ex, ref.groupby("district")["pm25"].median().sort_values(ascending=False), "check.wrong_value_at")
    _wrong(ex, right.head(5), "check.wrong_length")
    _wrong(ex, float(ref["pm25"].mean()), "check.wrong_type")


# --- 03.2.b daily means ---------------------------------------------------------------------

def test_daily_mean_rights_and_wrongs(city, r):
    ex = "03.2-daily-mean"
    station = r[r["site_id"] == "ref-101"].set_index("timestamp")
    _right(ex, station["pm25"].resample("D").mean())
    _right(ex, station.groupby(station.index.date)["pm25"].mean())   # the same Seoul days, labelled by date
    _wrong(ex, station["pm25"], "m03.daily_mean.not_resampled")
    _wrong(ex, station["pm25"].resample("MS").mean(), "m03.daily_mean.not_daily")
    _wrong(ex, station["pm25"].resample("W").mean(), "m03.daily_mean.not_daily")
    _wrong(ex, station["pm25"].resample("D"), "m03.no_summary")
    _wrong(ex, station[["pm25"]].resample("D").mean(), "m03.table_not_series")
    _wrong(ex, station["pm25"].resample("D").max(), "check.wrong_value_at")
    _wrong(ex, station["pm25"].tz_convert("UTC").resample("D").mean(), "m03.seoul_time")
    raw = city.readings[city.readings["site_id"] == "ref-101"].set_index("timestamp")["pm25"]
    if not raw.resample("D").mean().equals(station["pm25"].resample("D").mean()):
        _wrong(ex, raw.resample("D").mean(), "m03.raw_readings")
    daily = station["pm25"].resample("D").mean()
    other = r[r["site_id"] == "ref-102"].set_index("timestamp")["pm25"].resample("D").mean()
    # another station: its values are caught; where Jongno-gu's station went silent for whole days and the
    # other did not, the check names the first such day first (the NaN positions are compared before the values)
    _wrong(ex, other.where(daily.notna()), "check.wrong_value_at")
    if (daily.isna() & other.notna()).any():
        _wrong(ex, other, "check.should_be_empty")
    else:
        _wrong(ex, other, "check.wrong_value_at")
    _wrong(ex, float(station["pm25"].mean()), "check.wrong_type")


# --- 03.2.c hour of day ---------------------------------------------------------------------

def test_hour_of_day_rights_and_wrongs(wd):
    ex = "03.2-hour-of-day"
    street = wd[wd["kind"] == "street"]
    _right(ex, street.groupby(street["timestamp"].dt.hour)["pm25"].mean())
    _wrong(ex, wd.groupby(wd["timestamp"].dt.hour)["pm25"].mean(), "m03.hour_of_day.all_sites")
    ref = wd[wd["kind"] == "reference"]
    _wrong(ex, ref.groupby(ref["timestamp"].dt.hour)["pm25"].mean(), "m03.hour_of_day.stations")
    _wrong(ex, street.groupby(street["timestamp"].dt.day_of_week)["pm25"].mean(), "m03.hour_of_day.day_of_week")
    utc = street["timestamp"].dt.tz_convert("UTC").dt.hour
    _wrong(ex, street.groupby(utc)["pm25"].mean(), "m03.seoul_time")
    _wrong(ex, street.groupby(street["timestamp"].dt.hour)["pm25"].max(), "check.wrong_value_at")
    _wrong(ex, street.groupby(street["timestamp"].dt.hour)[["pm25"]].mean(), "m03.table_not_series")
    _wrong(ex, street.groupby(street["timestamp"].dt.hour)["pm25"], "m03.no_summary")
    _wrong(ex, street.groupby(street["timestamp"].dt.month)["pm25"].mean(), "check.wrong_length")
    _wrong(ex, int(street.groupby(street["timestamp"].dt.hour)["pm25"].mean().idxmax()), "check.wrong_type")


# --- 03.3.a rolling mean --------------------------------------------------------------------

def test_rolling_mean_rights_and_wrongs(r):
    ex = "03.3-rolling-24h"
    hourly = r[r["site_id"] == "ref-101"].set_index("timestamp")["pm25"]
    _right(ex, hourly.rolling(24).mean())
    _right(ex, hourly.rolling(window=24).mean())
    _wrong(ex, hourly, "m03.rolling.not_smoothed")
    _wrong(ex, hourly.rolling(24, center=True).mean(), "check.empty_at_start")   # was "should be nan"
    _wrong(ex, hourly.rolling(24).sum(), "m03.rolling.sum")
    _wrong(ex, hourly.rolling("24h").mean(), "check.empty_at_start")
    _wrong(ex, hourly.rolling(24, min_periods=1).mean(), "check.empty_at_start")
    _wrong(ex, hourly.rolling(24, min_periods=20).mean(), "check.empty_at_start")
    _wrong(ex, hourly.resample("D").mean(), "m03.rolling.daily")
    _wrong(ex, hourly.rolling(24), "m03.no_summary")
    _wrong(ex, hourly.rolling(3).mean(), "check.empty_at_start")
    _wrong(ex, hourly.to_frame().rolling(24).mean(), "m03.table_not_series")


def test_a_centred_window_is_never_told_it_should_be_nan(r, monkeypatch):
    hourly = r[r["site_id"] == "ref-101"].set_index("timestamp")["pm25"]
    messages.set_language("ko")
    shown = check.evaluate("03.3-rolling-24h", hourly.rolling(24, center=True).mean()).text()
    assert "nan이어야" not in shown and "center=True" in shown


# --- 03.3.b a readable plot -----------------------------------------------------------------

def test_labelled_plot_rights_and_wrongs(r):
    ex = "03.3-labelled-plot"
    temperature = r[r["site_id"] == "ref-101"].set_index("timestamp")["temperature"]
    daily = temperature.resample("D").mean()

    def plot(series=daily, ylabel=None, title="Daily mean temperature, Jongno-gu station, 2024", xlabel=None):
        ax = plotting.time_series(series, "temperature")
        if ylabel is not None:
            ax.set_ylabel(ylabel)
        if xlabel is not None:
            ax.set_xlabel(xlabel)
        ax.set_title(title)
        return ax

    _right(ex, plot())
    _right(ex, plot(ylabel="기온 (℃)"))                 # the one-character Celsius sign of Korean keyboards
    _right(ex, plot(series=daily.dropna()))
    ax = daily.plot()
    ax.set_ylabel("Temperature (°C)")
    ax.set_title("ref-101, 2024")
    _right(ex, ax)
    _wrong(ex, plot(title=""), "m03.labelled_plot.no_title")
    _wrong(ex, plot(ylabel=""), "m03.labelled_plot.no_ylabel")
    _wrong(ex, plot(ylabel="Temperature"), "m03.labelled_plot.no_unit")
    _wrong(ex, plot(xlabel=""), "m03.labelled_plot.no_xlabel")
    _wrong(ex, plot(series=temperature), "m03.labelled_plot.hourly")
    pm = r[r["site_id"] == "ref-101"].set_index("timestamp")["pm25"].resample("D").mean()
    _wrong(ex, plot(series=pm), "m03.labelled_plot.not_temperature")
    _wrong(ex, plot().figure, "m03.labelled_plot.figure")
    _wrong(ex, plt.plot(daily.index, daily.to_numpy()), "m03.labelled_plot.lines")
    _wrong(ex, plt.subplots()[1], "m03.labelled_plot.no_line")
    _wrong(ex, "plot", "check.wrong_type")
    plt.close("all")


# --- 03.4.a site means ----------------------------------------------------------------------

def test_site_means_rights_and_wrongs(city, r):
    ex = "03.4-site-means"
    per_site = r.groupby("site_id", observed=True)["pm25"].mean().reset_index()
    right = city.sites[["site_id", "lat", "lon"]].merge(per_site, on="site_id")
    _right(ex, right)
    _right(ex, per_site.merge(city.sites[["site_id", "lat", "lon"]], on="site_id"))   # merged the other way round
    _wrong(ex, r.groupby("site_id", observed=True)["pm25"].mean(), "m03.site_means.series")
    _wrong(ex, right.set_index("site_id"), "m03.site_means.index")
    _wrong(ex, right.drop(columns="lat"), "check.missing_column")
    _wrong(ex, right.merge(city.sites[["site_id", "kind"]], on="site_id"), "check.extra_column")
    stations = right[right["site_id"].astype(str).str.startswith("ref")]
    _wrong(ex, stations, "m03.site_means.one_kind")
    _wrong(ex, right.rename(columns={"lat": "lon", "lon": "lat"}), "m03.lat_lon_swapped")
    _wrong(ex, right.assign(pm25=right["pm25"] + 1), "check.wrong_value_at")
    raw = city.readings.groupby("site_id", observed=True)["pm25"].mean().reset_index()
    _wrong(ex, city.sites[["site_id", "lat", "lon"]].merge(raw, on="site_id"), "m03.raw_readings")
    median = r.groupby("site_id", observed=True)["pm25"].median().reset_index()
    _wrong(ex, city.sites[["site_id", "lat", "lon"]].merge(median, on="site_id"), "check.wrong_value_at")


# --- 03.4.b district centres ----------------------------------------------------------------

def test_district_centres_rights_and_wrongs(city):
    ex = "03.4-district-centres"
    s = city.sites
    right = s.groupby("district")[["lat", "lon"]].mean()
    _right(ex, right)
    _right(ex, s.groupby("district")[["lon", "lat"]].mean())
    _wrong(ex, right.reset_index(), "m03.district_centres.district_column")
    _wrong(ex, s.groupby("district_ko")[["lat", "lon"]].mean(), "m03.english_districts")
    _wrong(ex, right.rename(columns={"lat": "lon", "lon": "lat"}), "m03.lat_lon_swapped")
    _wrong(ex, s[s["kind"] == "reference"].groupby("district")[["lat", "lon"]].mean(),
           "m03.district_centres.stations_only")
    _wrong(ex, s.groupby("district")[["lat", "lon"]].median(), "check.wrong_value_at")
    _wrong(ex, s.groupby("district")["lat"].mean(), "check.wrong_type")
    _wrong(ex, s.groupby("site_id")[["lat", "lon"]].mean(), "check.wrong_length")
    _wrong(ex, s.groupby("district")[["lat"]].mean(), "check.missing_column")


# --- 03.5.a the loudest night ---------------------------------------------------------------

def test_loudest_night_accepts_the_district_in_english_or_korean(city, wd):
    ex = "03.5-noisiest-district"
    hour = wd["timestamp"].dt.hour
    night = wd[(hour >= 22) | (hour < 6)].groupby("district")["noise"].mean()
    loudest = night.idxmax()
    korean = city.sites.set_index("district")["district_ko"].drop_duplicates()[loudest]
    for answer in (loudest, korean, unicodedata.normalize("NFD", korean), f" {loudest} ", f"{korean}\n", loudest.upper()):
        _right(ex, answer)


def test_every_district_name_is_known_in_both_scripts():
    """'은평구' was 'not one of Seoul's 25 districts': the checker knew English names only."""
    from sensorlab.datasets.base import stations
    from sensorlab.exercises._data import district_answer

    table = stations()
    for english, korean in zip(table["district"], table["district_ko"]):
        assert district_answer(english) == english
        assert district_answer(korean) == english
        assert district_answer(unicodedata.normalize("NFD", korean)) == english


def test_loudest_night_wrongs(wd):
    ex = "03.5-noisiest-district"
    hour = wd["timestamp"].dt.hour
    night = wd[(hour >= 22) | (hour < 6)].groupby("district")["noise"].mean()
    quietest = night.idxmin()
    _wrong(ex, quietest, "m03.noisiest.not_max")
    _wrong(ex, "은평구" if night.idxmax() != "Eunpyeong-gu" else "마포구", "m03.noisiest.not_max")
    result = _wrong(ex, "마포", "m00.my_district.add_gu_ko")
    assert "마포구" in result.text("ko") and "마포구" in result.text("en")
    assert "Mapo-gu" in _wrong(ex, "Mapo", "m00.my_district.add_gu").text("en")
    assert "Mapo-gu" in _wrong(ex, "mapo gu", "m03.district_spelling").text("en")
    _wrong(ex, "Gotham", "m00.my_district.unknown")
    _wrong(ex, night, "m03.noisiest.series")
    _wrong(ex, float(night.max()), "m03.noisiest.number")
    _wrong(ex, [night.idxmax()], "m03.noisiest.list")
    whole_day = wd.groupby("district")["noise"].mean().idxmax()
    if whole_day != night.idxmax():
        _wrong(ex, whole_day, "m03.noisiest.whole_day")


# --- 03.5.b weekday minus weekend NO2 -------------------------------------------------------

def test_weekend_no2_rights_and_wrongs(wd):
    ex = "03.5-weekend-no2"
    ref = wd[wd["kind"] == "reference"]
    day = ref["timestamp"].dt.day_of_week
    diff = ref[day < 5].groupby("district")["no2"].mean() - ref[day >= 5].groupby("district")["no2"].mean()
    _right(ex, diff.sort_values(ascending=False))
    _right(ex, (wd[wd["timestamp"].dt.day_of_week < 5].groupby("district")["no2"].mean()
                - wd[wd["timestamp"].dt.day_of_week >= 5].groupby("district")["no2"].mean()).sort_values(ascending=False))
    _wrong(ex, (-diff).sort_values(ascending=False), "m03.weekend_no2.reversed")
    _wrong(ex, diff.sort_values(), "m03.highest_first")
    _wrong(ex, diff, "check.wrong_order")
    sunday = (ref[day != 6].groupby("district")["no2"].mean()
              - ref[day == 6].groupby("district")["no2"].mean()).sort_values(ascending=False)
    _wrong(ex, sunday, "m03.weekend_no2.sunday_only")
    ratio = (ref[day < 5].groupby("district")["no2"].mean()
             / ref[day >= 5].groupby("district")["no2"].mean()).sort_values(ascending=False)
    _wrong(ex, ratio, "check.wrong_value_at")
    _wrong(ex, diff.to_frame().sort_values("no2", ascending=False), "m03.table_not_series")
    _wrong(ex, diff.sort_values(ascending=False).head(3), "check.wrong_length")
    _wrong(ex, float(diff.mean()), "check.wrong_type")
    _wrong(ex, ref.groupby("district")["no2"], "m03.no_summary")
