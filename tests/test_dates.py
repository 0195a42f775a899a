"""reflect.domain.dates: typed dates, the end-of-day rule, schedules and labels.

Every test pins `now`/`after`, so results do not depend on the clock or the machine's zone.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, datetime, time, timedelta, timezone

import pytest
from dateutil.rrule import rrulestr

from reflect.domain.dates import (
    SCHEDULE_ANCHOR,
    DateError,
    describe_schedule,
    format_when,
    next_meeting,
    parse_schedule,
    parse_when,
)

UTC = timezone.utc
NOW = datetime(2026, 11, 4, 12, 0, tzinfo=UTC)  # a Wednesday
END = (23, 59, 59, 999999)


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0, tz=UTC) -> datetime:
    return datetime(y, mo, d, h, mi, s, us, tzinfo=tz)


def when(text: str, **kw) -> datetime:
    return parse_when(text, now=kw.pop("now", NOW), **kw)


# --- parse_when: forms --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-03", at(2026, 11, 3)),
        ("2026-11-03T14:30", at(2026, 11, 3, 14, 30)),
        ("2026-11-03 14:30", at(2026, 11, 3, 14, 30)),
        ("2026-11-03T14:30:15", at(2026, 11, 3, 14, 30, 15)),
        ("2026-11-03T14:30:00+01:00", at(2026, 11, 3, 13, 30)),
        ("2026-11-03T14:30:00Z", at(2026, 11, 3, 14, 30)),
        ("2026-11-03t14:30z", at(2026, 11, 3, 14, 30)),
        ("2026-11-03 3pm", at(2026, 11, 3, 15)),
    ],
)
def test_iso_dates_and_datetimes(text: str, expected: datetime) -> None:
    assert when(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", NOW),
        ("today", at(2026, 11, 4)),
        ("yesterday", at(2026, 11, 3)),
        ("tomorrow", at(2026, 11, 5)),
        ("3 days ago", at(2026, 11, 1)),
        ("1 day ago", at(2026, 11, 3)),
        ("0 days ago", at(2026, 11, 4)),
        ("2 weeks ago", at(2026, 10, 21)),
        ("a week ago", at(2026, 10, 28)),
        ("2 months ago", at(2026, 9, 4)),
        ("a month ago", at(2026, 10, 4)),
        ("1 year ago", at(2025, 11, 4)),
        ("last week", at(2026, 10, 28)),
        ("last month", at(2026, 10, 4)),
        ("5 minutes ago", at(2026, 11, 4, 11, 55)),
        ("a minute ago", at(2026, 11, 4, 11, 59)),
        ("an hour ago", at(2026, 11, 4, 11)),
        ("3 hours ago", at(2026, 11, 4, 9)),
        ("36 hours ago", at(2026, 11, 3, 0)),
    ],
)
def test_keywords_and_ago(text: str, expected: datetime) -> None:
    assert when(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wednesday", date(2026, 11, 4)),  # today counts
        ("tuesday", date(2026, 11, 3)),
        ("thursday", date(2026, 10, 29)),  # most recent past one
        ("tue", date(2026, 11, 3)),
        ("last wednesday", date(2026, 10, 28)),  # strictly before today
        ("last tuesday", date(2026, 11, 3)),
        ("last thursday", date(2026, 10, 29)),
        ("this monday", date(2026, 11, 2)),  # this Monday-Sunday week
        ("this friday", date(2026, 11, 6)),
        ("this sunday", date(2026, 11, 8)),
    ],
)
def test_weekdays(text: str, expected: date) -> None:
    assert when(text) == datetime.combine(expected, datetime.min.time(), tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yesterday 3pm", at(2026, 11, 3, 15)),
        ("yesterday at 3pm", at(2026, 11, 3, 15)),
        ("3pm yesterday", at(2026, 11, 3, 15)),
        ("tuesday 3pm", at(2026, 11, 3, 15)),
        ("last tuesday at 15:30", at(2026, 11, 3, 15, 30)),
        ("last wednesday 9am", at(2026, 10, 28, 9)),
        ("today 9:15am", at(2026, 11, 4, 9, 15)),
        ("today 12am", at(2026, 11, 4, 0)),
        ("today 12pm", at(2026, 11, 4, 12)),
        ("today noon", at(2026, 11, 4, 12)),
        ("tomorrow 8:05 p.m.", at(2026, 11, 5, 20, 5)),
        ("2 days ago 17:45:30", at(2026, 11, 2, 17, 45, 30)),
        ("3pm", at(2026, 11, 4, 15)),
        ("at 3pm", at(2026, 11, 4, 15)),
        ("15:30", at(2026, 11, 4, 15, 30)),
        ("  YESTERDAY   3PM ", at(2026, 11, 3, 15)),
        ("Last  Tuesday,  at 15:30", at(2026, 11, 3, 15, 30)),
    ],
)
def test_times_attach_to_day_phrases(text: str, expected: datetime) -> None:
    assert when(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 nov", at(2026, 11, 3)),
        ("tue 3 nov 14:30", at(2026, 11, 3, 14, 30)),
        ("3 Nov 2025 14:30", at(2025, 11, 3, 14, 30)),
        ("3rd november 2025", at(2025, 11, 3)),
        ("nov 3 2025", at(2025, 11, 3)),
    ],
)
def test_calendar_days(text: str, expected: datetime) -> None:
    assert when(text) == expected


# --- parse_when: the end-of-day rule ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-11-03", date(2026, 11, 3)),
        ("today", date(2026, 11, 4)),
        ("yesterday", date(2026, 11, 3)),
        ("3 days ago", date(2026, 11, 1)),
        ("last week", date(2026, 10, 28)),
        ("last tuesday", date(2026, 11, 3)),
        ("3 nov 2025", date(2025, 11, 3)),
    ],
)
def test_end_true_gives_the_last_instant_of_a_day(text: str, day: date) -> None:
    start = when(text)
    end = when(text, end=True)
    assert (start.date(), start.time()) == (day, datetime.min.time())
    assert end.date() == day and (end.hour, end.minute, end.second, end.microsecond) == END
    assert end - start == timedelta(days=1, microseconds=-1)


@pytest.mark.parametrize("text", ["now", "3 hours ago", "yesterday 3pm", "2026-11-03T14:30", "3pm"])
def test_end_true_leaves_exact_times_alone(text: str) -> None:
    assert when(text, end=True) == when(text)


# --- parse_when: zones --------------------------------------------------------------


def test_result_is_in_the_zone_of_now() -> None:
    plus2 = timezone(timedelta(hours=2))
    now = datetime(2026, 11, 4, 1, 0, tzinfo=plus2)  # still 3 Nov in UTC
    got = parse_when("yesterday 3pm", now=now)
    assert got.tzinfo is plus2
    assert (got.date(), got.hour) == (date(2026, 11, 3), 15)
    assert parse_when("today", now=now) == datetime(2026, 11, 4, tzinfo=plus2)
    # An explicit offset keeps the instant, shown in the zone of now.
    assert parse_when("2026-11-03T14:30Z", now=now) == datetime(2026, 11, 3, 16, 30, tzinfo=plus2)
    assert parse_when("2026-11-03T14:30Z", now=now).utcoffset() == timedelta(hours=2)


def test_days_keep_their_own_offset_across_daylight_saving() -> None:
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        london = zoneinfo.ZoneInfo("Europe/London")
    except zoneinfo.ZoneInfoNotFoundError:  # pragma: no cover - no tz database
        pytest.skip("no tz database")
    now = datetime(2026, 3, 30, 12, 0, tzinfo=london)  # BST began on 29 March
    start = parse_when("3 days ago", now=now)
    assert (start.hour, start.utcoffset()) == (0, timedelta(0))
    assert parse_when("today", now=now).utcoffset() == timedelta(hours=1)
    # Hours ago are elapsed time, not wall-clock arithmetic.
    ago = parse_when("36 hours ago", now=now)
    assert now.astimezone(UTC) - ago.astimezone(UTC) == timedelta(hours=36)
    assert (ago.day, ago.hour) == (28, 23)  # 23:00 GMT, not 00:00


def test_default_now_is_local_and_aware() -> None:
    got = parse_when("today")
    assert got.tzinfo is not None
    assert got.time() == datetime.min.time()
    assert abs(parse_when("now") - datetime.now(UTC)) < timedelta(seconds=5)


# --- parse_when: errors -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "blorp",
        "2026-13-45",
        "2026-02-30",
        "2026-11-03T25:00",
        "yesterdayy",
        "3 dayz ago",
        "a few days ago",
        "3 days",
        "next tuesday",
        "last",
        "13pm",
        "0am",
        "25:00",
        "today 9",
        "yesterday at",
        "now 3pm",
        "3 hours ago 3pm",
        "mon 3 nov 2026",  # 3 Nov 2026 is a Tuesday
        "31 feb",
        "tuesday tuesday",
    ],
)
def test_unreadable_dates_raise_and_quote_the_input(text: str) -> None:
    with pytest.raises(DateError) as err:
        when(text)
    message = str(err.value)
    assert message.startswith(f"cannot read the date {text!r}")
    assert "yesterday, 3 days ago, last tuesday or tuesday 3pm" in message
    assert isinstance(err.value, ValueError)


def test_errors_say_why_when_they_can() -> None:
    with pytest.raises(DateError, match="is a Tuesday"):
        when("mon 3 nov 2026")
    with pytest.raises(DateError, match="month must be in 1..12"):
        when("2026-13-45")


# --- format_when ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dt", "label"),
    [
        (at(2026, 11, 4, 14, 30), "today 14:30"),
        (at(2026, 11, 4, 0, 0), "today 00:00"),
        (at(2026, 11, 3, 9, 0), "yesterday 09:00"),
        (at(2026, 11, 5, 10, 0), "tomorrow 10:00"),
        (at(2026, 11, 2, 14, 30), "Mon 2 Nov 14:30"),
        (at(2026, 1, 1, 8, 5), "Thu 1 Jan 08:05"),
        (at(2026, 12, 24, 18, 0), "Thu 24 Dec 18:00"),
        (at(2025, 11, 3, 14, 30), "3 Nov 2025 14:30"),
        (at(2027, 1, 2, 9, 0), "2 Jan 2027 09:00"),
    ],
)
def test_format_when(dt: datetime, label: str) -> None:
    assert format_when(dt, now=NOW) == label


def test_format_when_shows_local_time() -> None:
    plus2 = timezone(timedelta(hours=2))
    now = datetime(2026, 11, 4, 12, 0, tzinfo=plus2)
    assert format_when(at(2026, 11, 3, 23, 30), now=now) == "today 01:30"
    assert re.fullmatch(r".+ \d\d:\d\d", format_when(at(2026, 11, 3, 23, 30)))  # default now: local


@pytest.mark.parametrize(
    "dt",
    [at(2026, 11, 4, 14, 30), at(2026, 11, 3, 9), at(2026, 11, 5, 10), at(2026, 2, 28, 7, 45), at(2024, 2, 29, 23, 59)],
)
def test_parse_when_reads_format_when_labels_back(dt: datetime) -> None:
    assert when(format_when(dt, now=NOW)) == dt


# --- parse_schedule -----------------------------------------------------------------

ANCHOR = "DTSTART:20260105T000000\n"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("weekly", "FREQ=WEEKLY;BYDAY=MO"),
        ("fortnightly", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
        ("every week on tuesday at 10:00", "FREQ=WEEKLY;BYDAY=TU;BYHOUR=10;BYMINUTE=0"),
        ("every 2 weeks on tuesday at 10:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;BYHOUR=10;BYMINUTE=0"),
        ("Every 2 Weeks on Tuesday at 10am", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;BYHOUR=10;BYMINUTE=0"),
        ("every other friday at 2pm", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;BYHOUR=14;BYMINUTE=0"),
        ("every tuesday", "FREQ=WEEKLY;BYDAY=TU"),
        ("every week on monday and thursday at 9:30", "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=9;BYMINUTE=30"),
        ("every 4 weeks on thursday", "FREQ=WEEKLY;INTERVAL=4;BYDAY=TH"),
        ("monthly", "FREQ=MONTHLY;BYMONTHDAY=1"),
        ("every month on the first monday at 9am", "FREQ=MONTHLY;BYDAY=+1MO;BYHOUR=9;BYMINUTE=0"),
        ("every month on the last friday", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("every month on the 15th at 13:00", "FREQ=MONTHLY;BYMONTHDAY=15;BYHOUR=13;BYMINUTE=0"),
        ("every day at noon", "FREQ=DAILY;BYHOUR=12;BYMINUTE=0"),
    ],
)
def test_schedule_phrases(text: str, rule: str) -> None:
    assert parse_schedule(text) == ANCHOR + "RRULE:" + rule


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("FREQ=WEEKLY;BYDAY=TU;BYHOUR=10", ANCHOR + "RRULE:FREQ=WEEKLY;BYDAY=TU;BYHOUR=10"),
        ("RRULE:FREQ=WEEKLY;BYDAY=TU;BYHOUR=10", ANCHOR + "RRULE:FREQ=WEEKLY;BYDAY=TU;BYHOUR=10"),
        ("rrule:freq=monthly;byday=1mo", ANCHOR + "RRULE:FREQ=MONTHLY;BYDAY=+1MO"),
        (
            "DTSTART:20261124T100000\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
            "DTSTART:20261124T100000\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
        ),
        ("  FREQ=WEEKLY;COUNT=3  ", ANCHOR + "RRULE:FREQ=WEEKLY;COUNT=3"),
    ],
)
def test_schedule_rrules(text: str, canonical: str) -> None:
    assert parse_schedule(text) == canonical


@pytest.mark.parametrize(
    "text",
    [
        "weekly",
        "every other friday at 2pm",
        "every month on the first monday at 9am",
        "FREQ=WEEKLY;BYDAY=TU;BYHOUR=10",
        "DTSTART;TZID=Europe/London:20260601T100000\nRRULE:FREQ=WEEKLY;UNTIL=20270101T000000Z",
        "every 2 weeks on tuesday at 10:00 starting 2026-11-24",
    ],
)
def test_canonical_schedules_read_back_unchanged_and_rrulestr_accepts_them(text: str) -> None:
    canonical = parse_schedule(text)
    assert parse_schedule(canonical) == canonical
    rule = rrulestr(canonical)
    after = NOW if rule._dtstart.tzinfo else NOW.replace(tzinfo=None)
    expected = rule.after(after)
    got = next_meeting(canonical, after=NOW)
    assert got is not None and got.replace(tzinfo=None if not rule._dtstart.tzinfo else got.tzinfo) == expected


def test_empty_schedule_means_none() -> None:
    assert parse_schedule("") == ""
    assert parse_schedule("   ") == ""
    assert next_meeting("", after=NOW) is None
    assert describe_schedule("") == "no schedule"


@pytest.mark.parametrize(
    "text",
    [
        "sometimes",
        "biweekly",  # twice a week or every two weeks? we do not guess
        "weekly-ish",
        "every 0 weeks",
        "every week on",
        "every week on the first monday",
        "monthly on tuesday",
        "monthly 15",
        "every month on the 32nd",
        "every tuesday at 9",  # 9am or 9pm?
        "every 2 weeks on tuesday at 25:00",
        "every week starting 2026-02-30",
        "FREQ=HOURLY",
        "FREQ=WEEKLY;INTERVAL=0",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;BOGUS=1",
        "FREQ=WEEKLY;;BYDAY=TU",
        "DTSTART:2026\nRRULE:FREQ=WEEKLY",
        "RRULE:FREQ=WEEKLY\nRRULE:FREQ=DAILY",
        "FREQ=WEEKLY\nEXDATE:20261110T000000",
    ],
)
def test_unreadable_schedules_raise_and_quote_the_text(text: str) -> None:
    with pytest.raises(DateError) as err:
        parse_schedule(text)
    message = str(err.value)
    assert message.startswith(f"cannot read the schedule {text!r}")
    assert "every 2 weeks on tuesday at 10:00" in message and "FREQ=WEEKLY" in message


def test_schedule_errors_say_why_for_rrules() -> None:
    with pytest.raises(DateError, match="INTERVAL must be"):
        parse_schedule("FREQ=WEEKLY;INTERVAL=0")
    with pytest.raises(DateError, match="FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY"):
        parse_schedule("FREQ=MINUTELY")


# --- next_meeting -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        ("weekly", at(2026, 11, 9)),
        ("every week on wednesday at 10:00", at(2026, 11, 11, 10)),  # 10:00 today has passed
        ("every week on wednesday at 13:00", at(2026, 11, 4, 13)),
        ("every 2 weeks on tuesday at 10:00", at(2026, 11, 10, 10)),
        ("every other friday at 2pm", at(2026, 11, 13, 14)),
        ("monthly", at(2026, 12, 1)),
        ("every month on the first monday at 9am", at(2026, 12, 7, 9)),
        ("every month on the last friday", at(2026, 11, 27)),
        ("every 4 weeks on thursday", at(2026, 11, 12)),
        ("FREQ=WEEKLY;BYDAY=TU;BYHOUR=10", at(2026, 11, 10, 10)),
    ],
)
def test_next_meeting(schedule: str, expected: datetime) -> None:
    assert next_meeting(schedule, after=NOW) == expected
    assert next_meeting(parse_schedule(schedule), after=NOW) == expected


def test_next_meeting_is_strictly_after() -> None:
    first = next_meeting("every week on tuesday at 10:00", after=NOW)
    assert first == at(2026, 11, 10, 10)
    assert next_meeting("every week on tuesday at 10:00", after=first) == at(2026, 11, 17, 10)
    assert next_meeting("every week on tuesday at 10:00", after=first - timedelta(microseconds=1)) == first


def test_every_two_weeks_is_anchored_whatever_day_you_ask() -> None:
    """The same fortnightly grid from every starting point: stable dates for the agenda."""
    schedule = "every 2 weeks on tuesday at 10:00"
    first = at(2026, 1, 6, 10)  # the Tuesday of the anchor's week
    assert SCHEDULE_ANCHOR.weekday() == 0
    seen = set()
    for hours in range(0, 24 * 60, 7):  # sixty days, at odd hours
        after = NOW + timedelta(hours=hours)
        got = next_meeting(schedule, after=after)
        assert got is not None and got > after
        assert got - after <= timedelta(days=14)
        assert (got - first).days % 14 == 0 and got.time() == first.time()
        seen.add(got)
    assert len(seen) >= 4


def test_starting_moves_the_fortnightly_grid() -> None:
    on = next_meeting("every 2 weeks on tuesday at 10:00", after=NOW)
    off = next_meeting("every 2 weeks on tuesday at 10:00 starting 2026-11-17", after=NOW)
    assert off - on == timedelta(days=7)
    assert next_meeting("every 2 weeks on tuesday at 10:00 starting 2026-11-17", after=off) == off + timedelta(days=14)


def test_floating_times_are_wall_times_in_the_zone_of_after() -> None:
    plus2 = timezone(timedelta(hours=2))
    after = datetime(2026, 11, 4, 12, 0, tzinfo=plus2)
    got = next_meeting("every week on tuesday at 10:00", after=after)
    assert got == datetime(2026, 11, 10, 10, 0, tzinfo=plus2)
    assert got.tzinfo is plus2


def test_zoned_dtstart_keeps_its_zone() -> None:
    schedule = "DTSTART;TZID=Europe/London:20260601T100000\nRRULE:FREQ=WEEKLY;BYDAY=TU"
    got = next_meeting(schedule, after=at(2026, 7, 1))
    assert got == at(2026, 7, 7, 9)  # 10:00 BST
    assert got.tzinfo is UTC


def test_no_meeting_left() -> None:
    assert next_meeting("FREQ=WEEKLY;COUNT=3", after=NOW) is None
    assert next_meeting("DTSTART:20261001T100000\nRRULE:FREQ=WEEKLY;UNTIL=20261020T100000", after=NOW) is None


def test_next_meeting_rejects_unreadable_schedules() -> None:
    with pytest.raises(DateError, match="'sometimes'"):
        next_meeting("sometimes", after=NOW)


def test_next_meeting_default_after_is_now() -> None:
    got = next_meeting("every day at noon")
    assert got is not None and got.tzinfo is not None
    assert timedelta(0) < got - datetime.now(UTC) <= timedelta(days=1, seconds=5)


# --- describe_schedule ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "words"),
    [
        ("weekly", "every week on Monday"),
        ("fortnightly", "every 2 weeks on Monday"),
        ("every 2 weeks on tuesday at 10:00", "every 2 weeks on Tuesday at 10:00"),
        ("every other friday at 2pm", "every 2 weeks on Friday at 14:00"),
        ("every week on monday and thursday at 9:30", "every week on Monday and Thursday at 09:30"),
        ("every 4 weeks on thursday", "every 4 weeks on Thursday"),
        ("monthly", "every month on the 1st"),
        ("every month on the first monday at 9am", "every month on the first Monday at 09:00"),
        ("every month on the last friday", "every month on the last Friday"),
        ("every month on the 22nd", "every month on the 22nd"),
        ("every day at noon", "every day at 12:00"),
        ("FREQ=WEEKLY;BYDAY=TU;BYHOUR=10", "every week on Tuesday at 10:00"),
        ("DTSTART:20261124T100000\nRRULE:FREQ=WEEKLY;INTERVAL=2", "every 2 weeks on Tuesday at 10:00"),
        ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=2", "every year on 2 Mar"),
        ("FREQ=WEEKLY;BYDAY=TU;COUNT=3", "every week on Tuesday, 3 times in all"),
        ("FREQ=WEEKLY;BYDAY=TU;UNTIL=20270101T000000", "every week on Tuesday, until 1 Jan 2027"),
        ("FREQ=MONTHLY;BYSETPOS=1;BYDAY=MO,TU", "FREQ=MONTHLY;BYSETPOS=1;BYDAY=MO,TU"),  # shown, not misdescribed
    ],
)
def test_describe_schedule(schedule: str, words: str) -> None:
    assert describe_schedule(schedule) == words


def test_describe_rejects_unreadable_schedules() -> None:
    with pytest.raises(DateError):
        describe_schedule("sometimes")


# --- hygiene ------------------------------------------------------------------------


def test_dates_imports_neither_textual_nor_tinydb() -> None:
    code = "import sys, reflect.domain.dates; print(sorted(m for m in ('textual', 'tinydb') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- future phrases (due dates) ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("in 2 weeks", date(2026, 12, 6)), ("in 3 days", date(2026, 11, 25)), ("in a month", date(2026, 12, 22)),
     ("in 1 year", date(2027, 11, 22))],
)
def test_in_n_units_counts_forward(text: str, expected: date) -> None:
    now = datetime(2026, 11, 22, 9, 30, tzinfo=timezone.utc)  # a Sunday
    assert parse_when(text, now=now) == datetime.combine(expected, time.min, tzinfo=timezone.utc)


def test_a_bare_weekday_is_the_coming_one_only_when_asked_for_the_future() -> None:
    now = datetime(2026, 11, 22, 9, 30, tzinfo=timezone.utc)  # a Sunday
    assert parse_when("friday", now=now).date() == date(2026, 11, 20)
    assert parse_when("friday", now=now, future=True).date() == date(2026, 11, 27)
    assert parse_when("sunday", now=now, future=True).date() == date(2026, 11, 22)
    assert parse_when("last friday", now=now, future=True).date() == date(2026, 11, 20)


def test_an_every_other_week_phrase_counts_from_the_day_it_is_set() -> None:
    """Issue 9, item 14: "every 2 weeks on tuesday" was anchored to 2026-01-05, so set on
    Monday 30 Nov 2026 its next meeting was 8 Dec, skipping the Tuesday right after."""
    from datetime import date as day

    from reflect.domain.settings import parse_value

    monday = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
    schedule = parse_value("schedule", "every 2 weeks on tuesday at 10:00", today=day(2026, 11, 30))
    assert schedule.startswith("DTSTART:20261201T000000")  # the first Tuesday from that day on
    from reflect.domain import dates

    first = dates.next_meeting(schedule, after=monday)
    assert first is not None and first.date() == day(2026, 12, 1)
    second = dates.next_meeting(schedule, after=first)
    assert second is not None and second.date() == day(2026, 12, 15)
    # Set on the Wednesday instead, the first is the Tuesday after.
    later = parse_value("schedule", "every 2 weeks on tuesday at 10:00", today=day(2026, 12, 2))
    nxt = dates.next_meeting(later, after=datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc))
    assert nxt is not None and nxt.date() == day(2026, 12, 8)
