"""Hours worked, recorded by week: what a ratio rule ("an hour of supervision per 20
hours worked") and a gap rule ("never more than 40 hours worked without it") count.

One record per peer and week; the week is named by its Monday. Kept in whole minutes
(37.5 hours is 2250), so a record is exact whatever a person typed. A week with no
record takes the `weekly_hours` setting (see `reflect.domain.settings`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from reflect.domain.fields import OPT_DATE, Record, ValidationError, _count, _join, count, declare, ident, parse_iso_date, record, text

MINUTES_A_WEEK = 7 * 24 * 60


def monday(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def _parse_week(d: dict[str, Any], key: str, path: str) -> date:
    day = parse_iso_date(d[key], _join(path, key))
    if day.weekday() != 0:
        raise ValidationError(_join(path, key), "must be a Monday (the start of the week)")
    return day


def _parse_minutes(d: dict[str, Any], key: str, path: str) -> int:
    value = _count(d, key, path)
    if value > MINUTES_A_WEEK:
        raise ValidationError(_join(path, key), f"at most {MINUTES_A_WEEK} (a week has 168 hours)")
    return value


@record("hours worked", order=("id", "peer", "week", "minutes"))
class WorkedWeek(Record):
    """The hours a peer worked in one week (Monday to Sunday), in minutes."""

    week: date = declare(OPT_DATE, default=None, label="Week", required="required: the Monday of the week", parse=_parse_week)
    id: str = ident()
    peer: str = text("Peer")
    minutes: int = count("Minutes worked", parse=_parse_minutes)

    @property
    def hours(self) -> float:
        return self.minutes / 60


def week_id(peer: str, week: date) -> str:
    """The id `reflect supervision worked` gives a week's record: one per peer and week."""
    return f"worked-{week.isoformat()}-{peer}"


def by_week(records: Iterable[WorkedWeek], peer: str | None = None) -> dict[date, float]:
    """Hours worked by Monday, for one peer (None: every record); of two records for one
    week (imported from elsewhere) the later one stands."""
    return {r.week: r.hours for r in records if peer is None or r.peer == peer}
