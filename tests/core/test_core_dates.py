"""One rule for what a date is (``parse_dates`` and its Arrow fast path ``arrow_dates``).

Every stage that reads register dates -- the model's history features (in memory and
streamed), the roll-ups, the cohort builder, the estimates -- uses it, so a Dutch
``02-05-2019`` is 2 May 2019 everywhere.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from pv_identify.normalize.dates import arrow_dates, parse_dates


def test_parse_dates_reads_iso_and_dutch_day_first_in_one_column():
    got = parse_dates(pd.Series(["02-05-2019", "2019-05-03", "20/03/2019", "20.03.2019",
                                 "20190321", "kapot", None, ""]))
    assert got.tolist()[:5] == [pd.Timestamp(2019, 5, 2), pd.Timestamp(2019, 5, 3),
                                pd.Timestamp(2019, 3, 20), pd.Timestamp(2019, 3, 20),
                                pd.Timestamp(2019, 3, 21)]
    assert got.iloc[5:].isna().all()


def test_parse_dates_keeps_the_local_calendar_date_of_zoned_timestamps():
    late = pd.Series(pd.to_datetime(["2019-03-01 23:30"]).tz_localize("Europe/Amsterdam"))
    assert parse_dates(late).tolist() == [pd.Timestamp(2019, 3, 1, 23, 30)]


def test_arrow_dates_only_for_dates_and_naive_timestamps():
    assert arrow_dates(pa.array(["2019-05-02"])) is None
    assert arrow_dates(pa.array([dt.datetime(2019, 5, 2)], pa.timestamp("s", tz="UTC"))) is None
    assert arrow_dates(pd.Series([dt.date(2019, 5, 2)])) is None
    assert arrow_dates(pa.array([dt.date(1500, 1, 1)])) is None  # beyond nanoseconds
    got = arrow_dates(pa.array([dt.date(2019, 5, 2), None], pa.date64()))
    assert got.type == pa.timestamp("ns")
    assert got.to_pylist() == [dt.datetime(2019, 5, 2), None]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.dates(min_value=dt.date(1000, 1, 1),
                                              max_value=dt.date(2500, 12, 31))),
                min_size=1, max_size=12),
       st.sampled_from([pa.date32(), pa.date64(), pa.timestamp("ms"), pa.timestamp("us")]))
def test_arrow_fast_path_equals_parse_dates(days, kind):
    if pa.types.is_timestamp(kind):
        values = pa.array([None if d is None else dt.datetime(d.year, d.month, d.day)
                           for d in days], kind)
    else:
        values = pa.array(days, kind)
    expected = parse_dates(pd.Series(values.to_pandas(date_as_object=True,
                                                      timestamp_as_object=True),
                                     dtype=object))
    got = arrow_dates(values)
    if got is None:  # out of range: the pandas route gives NaT there
        low, high = pd.Timestamp.min.date(), pd.Timestamp.max.date()
        assert any(d is not None and not (low < d < high) for d in days)
        return
    pd.testing.assert_series_equal(
        pd.Series(got.to_numpy(zero_copy_only=False).astype("datetime64[ns]")),
        expected.reset_index(drop=True), check_names=False)
