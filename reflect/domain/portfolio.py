"""A peer's portfolio: numbers and the peer's own records, never the people they serve.

For a move to mentor, trainer or supervisor (domain.md, "Career"): encounters by setting
and by month (group and individual apart), supervision hours, training by category,
the competencies exercised, ratings over time (prompts, not scores) and goals met.

What goes in, and what never does:
- Entries only as counts from per-month tallies: no pseudonym, story, quote, theme, tag
  or any other text of an entry ever reaches a portfolio. Private entries are left out
  of every count; the portfolio says how many were left out, as one number.
- Meetings only as minutes by kind (individual, group, not recorded): no notes, summary,
  actions, names or agenda.
- Trainings as a board asks for them: date, title, provider, hours, category (courses
  are the peer's own record, and about courses, not people); never their notes.
- Ratings as their steps and dates, who rated (the peer or the supervisor), no note.
- Goals met with their text (the peer's own words about their own growth), unless the
  identifier check finds something in it, then withheld; never a check-in's note.

Pure: built by `reflect.usecases.portfolio` from the store's tallies and small tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reflect.domain import cycle
from reflect.domain.growth_view import RatingColumn

FORMAT = "reflect-portfolio"
VERSION = 1
FORMATS: tuple[str, ...] = ("markdown", "html", "json")
WITHHELD = "(withheld: the goal's text looks like it holds an identifier)"


@dataclass(frozen=True)
class MonthRow:
    month: str  # YYYY-MM
    individual: int
    group: int
    headcount: int  # people in the month's groups, added up
    individual_minutes: int
    group_minutes: int


@dataclass(frozen=True)
class SupervisionHours:
    meetings: int
    individual_minutes: int
    group_minutes: int
    other_minutes: int  # kind not recorded

    @property
    def minutes(self) -> int:
        return self.individual_minutes + self.group_minutes + self.other_minutes


@dataclass(frozen=True)
class Course:
    day: date
    title: str
    provider: str
    hours: float
    category: str


@dataclass(frozen=True)
class CategoryHours:
    category: str
    hours: float
    courses: int


@dataclass(frozen=True)
class GoalMet:
    met: date
    text: str
    competency: str


@dataclass(frozen=True)
class Portfolio:
    peer: str
    since: date | None
    until: date
    made: datetime | None
    encounters: int
    individual: int
    group: int
    headcount: int
    private_left_out: int
    by_setting: tuple[tuple[str, int], ...]
    by_month: tuple[MonthRow, ...]
    competencies: tuple[tuple[str, int], ...]  # I..XII, each with the encounters that exercised it
    supervision: SupervisionHours
    training: tuple[CategoryHours, ...]
    courses: tuple[Course, ...]
    ratings: tuple[RatingColumn, ...]  # oldest first
    goals_met: tuple[GoalMet, ...]
    goals_open: int

    @property
    def training_hours(self) -> float:
        return sum(c.hours for c in self.training)


def hours(minutes: int) -> float:
    """Minutes as hours, to the quarter hour a board counts in (0.25 steps, rounded)."""
    return round(minutes / 15) / 4


def number(x: float) -> int | float:
    """A whole number as an int in JSON, else the float."""
    return int(x) if float(x).is_integer() else x


def to_json(p: Portfolio) -> dict[str, Any]:
    """The portfolio as `reflect portfolio --format json` writes it (reflect/schema/portfolio.schema.json)."""
    s = p.supervision
    return {
        "format": FORMAT,
        "version": VERSION,
        "peer": p.peer,
        "window": {"since": p.since.isoformat() if p.since else None, "until": p.until.isoformat()},
        "made": p.made.isoformat() if p.made else None,
        "encounters": {
            "total": p.encounters, "individual": p.individual, "group": p.group, "group_headcount": p.headcount,
            "private_not_counted": p.private_left_out,
            "by_setting": [{"setting": k, "count": n} for k, n in p.by_setting],
            "by_month": [
                {"month": m.month, "individual": m.individual, "group": m.group, "group_headcount": m.headcount,
                 "individual_minutes": m.individual_minutes, "group_minutes": m.group_minutes}
                for m in p.by_month
            ],
        },  # fmt: skip
        "supervision": {
            "meetings": s.meetings, "minutes": s.minutes, "hours": number(hours(s.minutes)),
            "individual_minutes": s.individual_minutes, "group_minutes": s.group_minutes,
            "other_minutes": s.other_minutes,
        },  # fmt: skip
        "training": {
            "hours": number(p.training_hours),
            "by_category": [{"category": c.category, "hours": number(c.hours), "courses": c.courses} for c in p.training],
            "courses": [
                {"date": c.day.isoformat(), "title": c.title, "provider": c.provider, "hours": number(c.hours),
                 "category": c.category}
                for c in p.courses
            ],
        },  # fmt: skip
        "competencies": [
            {"key": k, "title": cycle.COMPETENCY_TITLES[k], "encounters": n} for k, n in p.competencies
        ],
        "ratings": [
            {"at": r.at.isoformat(), "by": r.by, "ratings": dict(zip(cycle.COMPETENCY_KEYS, r.levels, strict=True))}
            for r in p.ratings
        ],
        "goals": {
            "met": [{"met": g.met.isoformat(), "text": g.text, "competency": g.competency} for g in p.goals_met],
            "open": p.goals_open,
        },
    }
