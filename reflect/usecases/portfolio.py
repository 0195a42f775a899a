"""The peer's portfolio, headless: one call, one typed `Portfolio` (see its module for
what goes in and what never does).

Encounters come from the kept per-month tallies (`Journal.tallies`), so the cost does not
grow with the number of entries; only a `since` day inside a month has that one month
counted from its entries. Private entries are left out of every count (their number is
given). The rest is read from the small tables: meetings, trainings, ratings, goals.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

from reflect.domain import cycle
from reflect.domain.growth_tally import Tally, tally_of
from reflect.domain.growth_view import rating_column
from reflect.domain.portfolio import (
    WITHHELD,
    CategoryHours,
    Course,
    GoalMet,
    MonthRow,
    Portfolio,
    SupervisionHours,
)

if TYPE_CHECKING:
    from reflect.store import Journal


def _month_start(month: str) -> datetime:
    return datetime(int(month[:4]), int(month[5:7]), 1, tzinfo=timezone.utc)


def _next_month(month: str) -> datetime:
    y, m = int(month[:4]), int(month[5:7])
    return datetime(y + (m == 12), 1 if m == 12 else m + 1, 1, tzinfo=timezone.utc)


def _goal_text(text: str) -> str:
    from reflect.domain.privacy import scan_fields

    return WITHHELD if scan_fields({"text": text}) else text


def portfolio(
    journal: Journal, *, since: date | None = None, today: date | None = None, made: datetime | None = None
) -> Portfolio:
    """The portfolio from `since` (the first record when None) to `today`."""
    from reflect.usecases.training import trainings

    today = today or date.today()
    start = None if since is None else datetime.combine(since, time()).astimezone()
    book = journal.tallies()
    first = None if start is None else start.astimezone(timezone.utc).strftime("%Y-%m")
    wanted = [m for m in book.names() if first is None or m >= first]
    counted = book.months(wanted)
    if start is not None and first in counted and start > _month_start(first):
        # The first month only from `since` on: counted from its entries.
        docs = journal.entry_dicts(start, _next_month(first) - timedelta(microseconds=1))
        counted[first] = tally_of(docs)

    total, left_out = Tally(), 0
    rows = []
    for month in sorted(counted):
        shared, private = counted[month]
        total.add(shared)
        left_out += private.encounters
        if shared.encounters:
            rows.append(MonthRow(month, shared.individual, shared.group, shared.headcount,
                                 shared.individual_minutes, shared.group_minutes))  # fmt: skip

    minutes = {"individual": 0, "group": 0, "": 0}
    held = [m for m in journal.meetings() if start is None or m.held >= start]
    for m in held:
        minutes[m.kind if m.kind in minutes else ""] += m.minutes

    done = sorted(
        (t for t in trainings(journal) if (since is None or t.date >= since) and t.date <= today),
        key=lambda t: (t.date, t.id),
    )
    categories: dict[str, list[float]] = {}
    for t in done:
        categories.setdefault(t.category, []).append(t.hours)

    growth = journal.growth()
    ratings = [r for r in growth.ratings() if start is None or r.at >= start]
    goals = growth.goals()
    met = sorted(
        (g for g in goals if g.status == "met" and g.met_at is not None and (start is None or g.met_at >= start)),
        key=lambda g: g.met_at or datetime.min,
    )

    settings = journal.settings()
    return Portfolio(
        peer=settings.peer or journal.default_peer(),
        since=since,
        until=today,
        made=made,
        encounters=total.encounters,
        individual=total.individual,
        group=total.group,
        headcount=total.headcount,
        private_left_out=left_out,
        by_setting=tuple((s, total.settings[s]) for s in dict.fromkeys([*cycle.SETTINGS, *sorted(total.settings)])
                         if s in total.settings),  # fmt: skip
        by_month=tuple(rows),
        competencies=tuple((k, total.competencies.get(k, 0)) for k in cycle.COMPETENCY_KEYS),
        supervision=SupervisionHours(len(held), minutes["individual"], minutes["group"], minutes[""]),
        training=tuple(CategoryHours(c, sum(h), len(h)) for c, h in sorted(categories.items())),
        courses=tuple(Course(t.date, t.title, t.provider, t.hours, t.category) for t in done),
        ratings=tuple(rating_column(r) for r in ratings),
        goals_met=tuple(
            GoalMet((g.met_at or datetime.min).date(), _goal_text(g.text), g.competency) for g in met
        ),
        goals_open=sum(1 for g in goals if g.status == "open"),
    )
