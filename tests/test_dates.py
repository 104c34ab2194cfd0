"""Dates in news text, resolved against the publication date (geoevents.dates)."""

import datetime as dt

import pytest

from geoevents.dates import find_dates, find_time, parse_date

PUB = "2023-12-08"  # a Friday


def one(text, pub=PUB):
    ds = find_dates(text, pub)
    assert len(ds) == 1, ds
    d = ds[0]
    return (str(d.date), str(d.date_end) if d.date_end else None, d.time_precision)


@pytest.mark.parametrize("text, expected", [
    ("on Friday", ("2023-12-08", None, 1)),          # the publication day itself
    ("on Wednesday", ("2023-12-06", None, 1)),
    ("on Saturday", ("2023-12-02", None, 1)),        # never after publication
    ("last Friday", ("2023-12-01", None, 1)),
    ("yesterday", ("2023-12-07", None, 1)),
    ("the day before yesterday", ("2023-12-06", None, 1)),
    ("earlier today", ("2023-12-08", None, 1)),
    ("three days ago", ("2023-12-05", None, 1)),
    ("last week", ("2023-11-27", "2023-12-03", 2)),
    ("since last week", ("2023-11-27", "2023-12-08", 2)),
    ("earlier this month", ("2023-12-01", "2023-12-08", 3)),
    ("last month", ("2023-11-01", "2023-11-30", 3)),
    ("December 2", ("2023-12-02", None, 1)),
    ("Dec. 2", ("2023-12-02", None, 1)),
    ("2 December", ("2023-12-02", None, 1)),
    ("the 2nd of December", ("2023-12-02", None, 1)),
    ("Friday, December 8, 2023", ("2023-12-08", None, 1)),
    ("2023-11-30", ("2023-11-30", None, 1)),
    ("mid-October", ("2023-10-11", "2023-10-20", 2)),
    ("early November", ("2023-11-01", "2023-11-10", 2)),
    ("since mid-October", ("2023-10-15", "2023-12-08", 3)),
    ("since October 7", ("2023-10-07", "2023-12-08", 3)),
    ("in October", ("2023-10-01", "2023-10-31", 3)),
    ("between Dec 1 and Dec 4", ("2023-12-01", "2023-12-04", 2)),
])
def test_expressions(text, expected):
    assert one(text) == expected


def test_no_date_after_publication_rolls_back_a_year():
    # a report of 3 January about "28 December" means last year's
    assert one("clashes on 28 December", "2024-01-03") == ("2023-12-28", None, 1)
    assert one("on December 25") == ("2022-12-25", None, 1)
    # ... unless the year is stated
    assert one("on December 25, 2023") == ("2023-12-25", None, 1)


def test_offsets_cover_the_expression_with_its_preposition():
    text = "Rockets were fired around 4:15 a.m. on Friday, officials said."
    (d,) = find_dates(text, PUB)
    assert text[d.start:d.end] == d.text == "on Friday"


def test_modal_may_and_lowercase_months_are_not_dates():
    assert find_dates("this may be the start; they march on", PUB) == []


def test_relative_dates_need_a_publication_date():
    assert find_dates("on Friday, yesterday", None) == []
    assert [str(d.date) for d in find_dates("on 2 December 2023", None)] == ["2023-12-02"]


@pytest.mark.parametrize("text, hhmm", [
    ("around 4:15 a.m.", "04:15"), ("at 11 p.m.", "23:00"), ("at 23:40 local time", "23:40"),
    ("shortly after noon", "12:00"), ("at midnight", "00:00"), ("at 12:30 pm", "12:30"),
])
def test_times(text, hhmm):
    assert find_time(text)[0] == hhmm


def test_no_time():
    assert find_time("killed 12 people on 4 December") is None


@pytest.mark.parametrize("value, expected", [
    ("2023-12-08", dt.date(2023, 12, 8)), ("2023-12-08T04:15:00Z", dt.date(2023, 12, 8)),
    ("08 December 2023", dt.date(2023, 12, 8)), ("8-Dec-2023", dt.date(2023, 12, 8)),
    ("Dec 8, 2023", dt.date(2023, 12, 8)), ("2023/12/08", dt.date(2023, 12, 8)),
    ("25/12/2023", dt.date(2023, 12, 25)), ("12/25/2023", dt.date(2023, 12, 25)),
    ("03/04/2023", None), ("2023-02-30", None), ("yesterday", None), ("", None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected
