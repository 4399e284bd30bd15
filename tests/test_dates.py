"""The date rules the screens share (`journal.dates`): typed text in, stored values out."""

from __future__ import annotations

import pytest

from journal.dates import (
    describe_when,
    local_start,
    local_time,
    parse_date,
    parse_part,
    parse_starts_at,
    parse_time,
    session_end,
    wall_time,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [(" 2026-02-28 ", "2026-02-28"), ("2028-02-29", "2028-02-29")],
)
def test_a_typed_date_is_stored_as_year_month_day(typed: str, stored: str) -> None:
    assert parse_date(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/01/2026", "Use a date like 2026-01-31 (year-month-day)."),
        ("28/02/2026", "Use a date like 2026-01-31 (year-month-day)."),
        ("2026-1-5", "Use a date like 2026-01-31 (year-month-day)."),
        ("2026-2-28", "Use a date like 2026-01-31 (year-month-day)."),
        ("2026-02-30", "There is no 2026-02-30: check the month and the day."),
        ("", "Use a date like 2026-01-31 (year-month-day)."),
    ],
)
def test_a_wrong_date_says_what_to_type(typed: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(typed)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("7:05", "07:05"), (" 23:59 ", "23:59"), ("23:59", "23:59"), ("00:00", "00:00")],
)
def test_a_typed_time_is_stored_on_the_24_hour_clock(typed: str, stored: str) -> None:
    assert parse_time(typed) == stored


@pytest.mark.parametrize("typed", ["24:00", "12:60", "07:60", "noon", "7", "7:5", "7 am", ""])
def test_a_wrong_time_says_what_to_type(typed: str) -> None:
    with pytest.raises(ValueError, match=r"^Use a time like 08:30 or 20:15 \(24-hour clock\)\.$"):
        parse_time(typed)


def test_a_start_is_a_date_and_a_time_and_names_each_wrong_part() -> None:
    assert parse_starts_at("2026-01-09", "9:05") == "2026-01-09T09:05"
    with pytest.raises(ValueError) as caught:
        parse_starts_at("2026-02-30", "25:00")
    assert str(caught.value).startswith("Date: There is no 2026-02-30")
    assert "Time: Use a time like" in str(caught.value)
    with pytest.raises(ValueError, match=r"^Time: "):
        parse_starts_at("2026-01-09", "9")


def test_a_part_of_a_form_is_parsed_or_its_problem_noted() -> None:
    problems: list[str] = []
    assert parse_part(parse_time, "9:05", "Time", problems) == "09:05" and problems == []
    assert parse_part(parse_date, "soon", "Date", problems) == ""
    assert len(problems) == 1 and problems[0].startswith("Date: ")


def test_wall_times_read_with_their_weekday() -> None:
    assert describe_when("2026-01-08T15:00") == "Thu 2026-01-08 15:00"
    assert local_start("2026-12-03T15:00") == "Thu 3 Dec 15:00"
    assert wall_time("2026-01-08T15:00") == "2026-01-08 15:00"


def test_unreadable_wall_times_are_shown_as_they_are_on_one_line() -> None:
    assert describe_when("soon\nish") == "soon ish"
    assert describe_when("2026-01-08Tlater") == "2026-01-08 later"
    assert local_start("next\x1bweek") == "next\\x1bweek"


def test_a_session_ends_its_length_after_it_starts() -> None:
    assert session_end("2026-01-08T15:00", 45) == "2026-01-08T15:45"
    assert session_end("2026-01-08T23:30", 60) == "2026-01-09T00:30"
    assert session_end("whenever", 60) == "whenever"


def test_stamps_are_shown_in_local_time(utc: None) -> None:
    assert local_time("2026-01-05T09:00:00.000000Z") == "2026-01-05 09:00"
    assert local_time("2026-01-05T09:00:00") == "2026-01-05 09:00"  # no zone: UTC
    assert local_time("2026-01-05T10:00:00+01:00") == "2026-01-05 09:00"
    assert local_time("yesterday\n") == "yesterday"
    assert local_time("") == ""
