"""What the Growth screen shows, as one typed object built from counts and small tables.

A heatmap of the twelve SAMHSA competencies by month (how many encounters exercised
each), the peer's and the supervisor's ratings side by side over time (prompts for
discussion, not scores: `growth.FRAMING`), training progress against the chosen renewal
rules, and the open goals with their last check-in. Built from per-month `Tally`s, so
its cost does not grow with the number of entries. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from reflect.domain import cycle
from reflect.domain.growth import Goal, Rating
from reflect.domain.growth_tally import Tally
from reflect.domain.training_rules import Status

MONTHS_SHOWN = 12
RATINGS_SHOWN = 6  # the newest sittings, the peer's and the supervisor's together


def last_months(today: date, n: int = MONTHS_SHOWN) -> tuple[str, ...]:
    """The `n` months up to and including today's, oldest first, as `YYYY-MM`."""
    y, m = today.year, today.month
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return tuple(reversed(out))


@dataclass(frozen=True)
class HeatRow:
    key: str  # I..XII
    title: str
    counts: tuple[int, ...]  # one per month of the heatmap

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Heatmap:
    """Encounters that exercised each competency, by month (oldest first)."""

    months: tuple[str, ...]
    rows: tuple[HeatRow, ...]
    encounters: tuple[int, ...]  # all encounters of each month

    @property
    def peak(self) -> int:
        return max((n for r in self.rows for n in r.counts), default=0)


@dataclass(frozen=True)
class RatingColumn:
    """One sitting of ratings: whose, when, and each category's step (None: not rated)."""

    by: str  # "self" or "supervisor"
    at: datetime
    levels: tuple[int | None, ...]  # I..XII


@dataclass(frozen=True)
class TrainingBar:
    label: str
    done: float
    required: float


@dataclass(frozen=True)
class TrainingProgress:
    """Hours against the chosen rules' current cycle; `problem` says why there is none."""

    rules: str = ""
    start: date | None = None
    end: date | None = None
    days_left: int = 0
    bars: tuple[TrainingBar, ...] = ()
    problem: str = ""


@dataclass(frozen=True)
class OpenGoal:
    text: str
    competency: str
    due: date | None
    last_at: datetime | None
    last_note: str


@dataclass(frozen=True)
class GrowthView:
    today: date
    heatmap: Heatmap
    ratings: tuple[RatingColumn, ...]  # oldest first, at most RATINGS_SHOWN
    ratings_total: int  # how many sittings there are in all
    training: TrainingProgress
    goals: tuple[OpenGoal, ...]


def heatmap(months: tuple[str, ...], tallies: Mapping[str, Iterable[Tally]]) -> Heatmap:
    """The heatmap of `months` from each month's tallies (shared and private alike: the
    screen is the peer's own)."""
    merged = {m: Tally() for m in months}
    for m in months:
        for t in tallies.get(m, ()):
            merged[m].add(t)
    rows = tuple(
        HeatRow(key, title, tuple(merged[m].competencies.get(key, 0) for m in months))
        for key, title in cycle.COMPETENCIES
    )
    return Heatmap(months, rows, tuple(merged[m].encounters for m in months))


def rating_column(r: Rating) -> RatingColumn:
    """One sitting as a column of the twelve categories, I..XII (the screen and the portfolio)."""
    return RatingColumn(r.by, r.at, tuple(r.ratings.get(k) for k in cycle.COMPETENCY_KEYS))


def rating_columns(ratings: Iterable[Rating], shown: int = RATINGS_SHOWN) -> tuple[RatingColumn, ...]:
    every = sorted(ratings, key=lambda r: r.at)
    return tuple(rating_column(r) for r in every[-shown:])


def progress(status: Status) -> TrainingProgress:
    bars = [TrainingBar(ln.label, ln.done, ln.required) for ln in status.lines if ln.required > 0]
    bars.append(TrainingBar("Total", status.total_done, status.pack.total_hours))
    return TrainingProgress(status.pack.name, status.start, status.end, status.days_left, tuple(bars))


def open_goals(goals: Iterable[Goal]) -> tuple[OpenGoal, ...]:
    out = []
    for g in sorted((g for g in goals if g.status == "open"), key=lambda g: g.created):
        last = g.last_check_in
        out.append(OpenGoal(g.text, g.competency, g.due, last.at if last else None, last.note if last else ""))
    return tuple(out)
