"""The years reflect holds, declared once, and the checks every date-time passes at the door.

A date-time outside this range breaks something downstream: 0001-01-01 has no local
time east of UTC and 9999-12-31 none west of it (OverflowError in `list` and the app),
a year before 1000 files into `999-05.json`, which sorts after 2024, and a window
compared with the one before it must stay inside the calendar. Wide enough for any
real encounter, narrow enough that every conversion reflect makes stays valid.

Pure: stdlib only.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

__all__ = ["FUTURE_GRACE", "MAX_YEAR", "MIN_YEAR", "RANGE_PROBLEM", "date_problem", "datetime_problem", "in_future"]

MIN_YEAR = 1900
MAX_YEAR = 2999

#: The problem named in messages; it never repeats the value (which may be 10 MB, or identifying).
RANGE_PROBLEM = f"out of range (reflect holds dates from {MIN_YEAR} to {MAX_YEAR})"

#: How far ahead of the clock an encounter may be dated before it counts as in the future:
#: a clock a little behind another machine's should not warn.
FUTURE_GRACE = timedelta(minutes=5)


def date_problem(day: date) -> str | None:
    """Why reflect cannot hold this day, or None."""
    return None if MIN_YEAR <= day.year <= MAX_YEAR else RANGE_PROBLEM


def datetime_problem(dt: datetime) -> str | None:
    """Why reflect cannot hold this date-time, or None: its own year and, when it has an
    offset, its UTC year (the store files entries by UTC month) must be in range."""
    if not MIN_YEAR <= dt.year <= MAX_YEAR:
        return RANGE_PROBLEM
    if dt.tzinfo is not None and not MIN_YEAR <= dt.astimezone(timezone.utc).year <= MAX_YEAR:
        return RANGE_PROBLEM  # astimezone cannot overflow: the year is at least 1900 and at most 2999
    return None


def in_future(occurred: datetime, now: datetime | None = None, *, grace: timedelta = FUTURE_GRACE) -> bool:
    """True when an encounter is dated later than `now` (default: the clock) by more than
    `grace`, so the app and import can warn; a naive time is taken as local."""
    if now is None:
        now = datetime.now(timezone.utc)
    if occurred.tzinfo is None:
        occurred = occurred.astimezone()
    if now.tzinfo is None:
        now = now.astimezone()
    return occurred - now > grace
