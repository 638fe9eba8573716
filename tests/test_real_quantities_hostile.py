"""fetch_sdot_daily/fetch_sdot_hourly_sample(quantities): a typo or a wrong type is named in the
catalogue's message before any file is read, never a traceback from inside the package."""

import pytest

from sensorlab.datasets import fetch_sdot_daily, fetch_sdot_hourly_sample
from sensorlab.errors import SensorLabError


@pytest.mark.parametrize("fetch", [fetch_sdot_daily, fetch_sdot_hourly_sample])
@pytest.mark.parametrize("given, named", [("PM25", "PM25"), ("pm2.5", "pm2.5"), ([], "[]"), (5, "5"),
                                          (2.5, "2.5"), ([None], "None")])
def test_a_quantity_the_table_lacks_is_named_with_the_valid_ones(fetch, given, named):
    with pytest.raises(SensorLabError) as raised:
        fetch(given)
    message = str(raised.value)
    assert f"no quantity called {named} " in message and "pm25, pm10, temperature" in message
    assert fetch.__name__ in message
