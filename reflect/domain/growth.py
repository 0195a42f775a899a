"""Growth records: competency ratings (the peer's own and the supervisor's) and development goals.

SAMHSA invites peers to assess their own work against the twelve Core Competency
categories and supervisors to appraise it; no validated scale exists, and peers rate
themselves higher than supervisors do. So a rating here is a prompt to set beside the
other person's, for discussion, never a score: every screen and output that shows one
says so (`FRAMING`). Each field is declared once (reflect.domain.fields), like an entry's.

Pure: no textual, no tinydb, no disk.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from reflect.domain import cycle
from reflect.domain.fields import (
    DATETIME,
    NUMBER,
    OPT_DATE,
    OPT_DATETIME,
    RECORDS,
    TEXT,
    Record,
    ValidationError,
    _join,
    choice,
    declare,
    ident,
    kind_of,
    now,
    record,
    spec_of,
    sub,
    text,
)

FRAMING = "Ratings are prompts for discussion, not scores."

# The steps of the scale, in plain words: shown wherever a rating is taken.
SCALE: tuple[tuple[int, str], ...] = (
    (1, "New to me: I have not done this yet, or only with a lot of help"),
    (2, "Starting: I do this now and then, with support"),
    (3, "Growing: I do this often and can say how I do it"),
    (4, "Steady: I do this well in most situations"),
    (5, "Sharing it: I could help another peer learn this"),
)
SCALE_WORDS: dict[int, str] = {n: words.split(":", 1)[0] for n, words in SCALE}
LOW, HIGH = SCALE[0][0], SCALE[-1][0]
NOT_RATED = "not rated"

RATERS: tuple[str, ...] = ("self", "supervisor")
RATER_LABELS: dict[str, str] = {"self": "the peer", "supervisor": "the supervisor"}
GOAL_STATUSES: tuple[str, ...] = ("open", "met", "dropped")
GOAL_COMPETENCIES: tuple[str, ...] = ("", *cycle.COMPETENCY_KEYS)  # "" is none


def level_problem(value: Any) -> str | None:
    """Why `value` is not a step of the scale (or null, not rated), or None when it is."""
    if value is None or (type(value) is int and LOW <= value <= HIGH):
        return None
    got = repr(value) if type(value) is int else kind_of(value)
    return f"expected a whole number from {LOW} to {HIGH}, or null (not rated), got {got}"


def parse_level(d: dict[str, Any], key: str, path: str) -> int | None:
    """One category's rating: 1..5, or null for not rated."""
    value = d.get(key)
    problem = level_problem(value)
    if problem is not None:
        raise ValidationError(_join(path, key), problem)
    return value


def _level(key: str) -> Any:
    return declare(NUMBER, default=None, label=f"{key}. {cycle.COMPETENCY_TITLES[key]}", parse=parse_level,
                   help=f"{LOW} to {HIGH}, or null: not rated")  # fmt: skip


@record("the ratings", path="ratings")
class Levels(Record):
    """A rating of each SAMHSA category, I..XII: a step of the scale, or None (not rated)."""

    I: int | None = _level("I")  # noqa: E741 - the categories' own numerals
    II: int | None = _level("II")
    III: int | None = _level("III")
    IV: int | None = _level("IV")
    V: int | None = _level("V")
    VI: int | None = _level("VI")
    VII: int | None = _level("VII")
    VIII: int | None = _level("VIII")
    IX: int | None = _level("IX")
    X: int | None = _level("X")
    XI: int | None = _level("XI")
    XII: int | None = _level("XII")

    def get(self, key: str) -> int | None:
        value: int | None = getattr(self, key)
        return value

    def rated(self) -> dict[str, int]:
        """The categories rated, in I..XII order."""
        return {k: v for k in cycle.COMPETENCY_KEYS if (v := self.get(k)) is not None}


if tuple(f.name for f in spec_of(Levels).fields) != cycle.COMPETENCY_KEYS:  # pragma: no cover
    raise TypeError("Levels must declare the SAMHSA categories of cycle.COMPETENCIES, in order")


@record("a rating", order=("id", "at", "by", "rater", "ratings", "note"))
class Rating(Record):
    """One sitting of ratings, by the peer (self) or their supervisor: a prompt, not a score."""

    at: datetime = declare(DATETIME, default_factory=now, label="At", help="when the rating was taken")
    id: str = ident()
    by: str = choice("By", RATERS, "self", help="self: the peer's own; supervisor: the supervisor's")
    rater: str = text("Rater", help="the supervisor's name (optional)")
    ratings: Levels = sub(Levels, "Ratings", help="each category 1 to 5, or null: not rated")
    note: str = text("Note", free_text=True, help="what the rating is about, in a line")


@record("a check-in", order=("at", "note"))
class CheckIn(Record):
    """A dated note on how a goal is going."""

    note: str = declare(TEXT, label="Note", required="required: what to note", free_text=True)
    at: datetime = declare(DATETIME, default_factory=now, label="At")


@record("a goal", order=("id", "text", "competency", "due", "created", "status", "met_at", "check_ins"))
class Goal(Record):
    """A development goal the peer sets, with dated check-ins; met goals are wins."""

    text: str = declare(TEXT, label="Goal", required="required: what the goal is", free_text=True)
    id: str = ident()
    competency: str = choice("Competency", GOAL_COMPETENCIES, "", help="the SAMHSA category I..XII it grows, or none")
    due: date | None = declare(OPT_DATE, default=None, label="Due")
    created: datetime = declare(DATETIME, default_factory=now, label="Created")
    status: str = choice("Status", GOAL_STATUSES, "open")
    met_at: datetime | None = declare(OPT_DATETIME, default=None, label="Met")
    check_ins: list[CheckIn] = declare(RECORDS, default_factory=list, label="Check-ins", record=CheckIn)

    @property
    def last_check_in(self) -> CheckIn | None:
        return max(self.check_ins, key=lambda c: c.at) if self.check_ins else None

    def text_fields(self) -> dict[str, str]:
        """The goal's free text by field (for the identifier check)."""
        out = {"text": self.text} if self.text else {}
        for i, c in enumerate(self.check_ins):
            if c.note:
                out[f"check_ins[{i}].note"] = c.note
        return out


def scale_line(n: int | None) -> str:
    """How a step reads in a list: "3 Growing", or "not rated"."""
    return NOT_RATED if n is None else f"{n} {SCALE_WORDS[n]}"


def latest(ratings: Iterable[Rating], by: str, until: datetime | None = None) -> Rating | None:
    """Each category's latest rating by `by` taken by `until` (any time when None), as one
    rating dated by the newest sitting: a sitting that rates only some categories leaves the
    others at their earlier ratings, not "not rated" (README: each category's latest)."""
    found = sorted((r for r in ratings if r.by == by and (until is None or r.at <= until)), key=lambda r: r.at)
    if not found:
        return None
    newest = found[-1]
    levels: dict[str, int] = {}
    for r in found:
        levels.update(r.ratings.rated())
    if levels == newest.ratings.rated():
        return newest
    return Rating(at=newest.at, id=newest.id, by=newest.by, rater=newest.rater, note=newest.note,
                  ratings=Levels(**levels))  # fmt: skip


def moved(before: Rating | None, after: Rating | None) -> list[tuple[str, int, int]]:
    """(category, from, to) for each category rated in both whose rating changed."""
    if before is None or after is None:
        return []
    out = []
    for key in cycle.COMPETENCY_KEYS:
        a, b = before.ratings.get(key), after.ratings.get(key)
        if a is not None and b is not None and a != b:
            out.append((key, a, b))
    return out


def differences(mine: Rating | None, theirs: Rating | None) -> list[tuple[str, int, int]]:
    """(category, self, supervisor) where both rated and they differ, the widest gap first."""
    if mine is None or theirs is None:
        return []
    out = []
    for key in cycle.COMPETENCY_KEYS:
        a, b = mine.ratings.get(key), theirs.ratings.get(key)
        if a is not None and b is not None and a != b:
            out.append((key, a, b))
    return sorted(out, key=lambda t: (-abs(t[1] - t[2]), cycle.COMPETENCY_KEYS.index(t[0])))
