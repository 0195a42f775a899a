"""Growing as a peer worker: rating the twelve competencies, and development goals.

Headless, for `reflect rate`, `reflect goal` and the app's ratings and goals screens alike.
Every text a person types here (a goal, a check-in, a rating's note) goes through the same
identifier check as an entry's (`privacy.scan_fields`): the caller hears the field and the
kind, never the value, and decides whether to keep it (`anyway`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from reflect.domain import cycle
from reflect.domain.fields import ValidationError, now
from reflect.domain.growth import HIGH, LOW, CheckIn, Goal, Levels, Rating, level_problem

if TYPE_CHECKING:
    from reflect.store import Journal

NOT_RATED_WORDS = ("-", "none", "null", "not-rated", "")


class LooksIdentifying(ValueError):
    """Typed text that looks like an identifier: by field, the kinds found (never the value)."""

    def __init__(self, found: Mapping[str, list[str]]):
        self.found = dict(found)
        parts = "; ".join(f"{name} looks like {' and '.join(kinds)}" for name, kinds in self.found.items())
        super().__init__(parts)


def identifier_check(texts: Mapping[str, str]) -> None:
    """LooksIdentifying when any text looks like an identifier (`domain.privacy`)."""
    from reflect.domain.privacy import KINDS, scan_fields

    found: dict[str, list[str]] = {}
    for f in scan_fields({k: v for k, v in texts.items() if v}):
        kinds = found.setdefault(f.field, [])
        if KINDS[f.kind] not in kinds:
            kinds.append(KINDS[f.kind])
    if found:
        raise LooksIdentifying(found)


# --- ratings ---------------------------------------------------------------------------------


def parse_levels(pairs: Iterable[str]) -> dict[str, int | None]:
    """`I=3 II=4 XII=-` -> {"I": 3, "II": 4, "XII": None}; ValidationError names the pair's
    category (or the pair's position when there is none to name) and the problem."""
    out: dict[str, int | None] = {}
    for n, pair in enumerate(pairs, 1):
        key, sep, value = pair.partition("=")
        key = key.strip().upper()
        if not sep or key not in cycle.COMPETENCY_KEYS:  # what was typed is not quoted: it may be anything
            raise ValidationError(f"rating {n}", "expected CATEGORY=LEVEL with a category I..XII (e.g. III=4)")
        if key in out:
            raise ValidationError(key, "rated twice: give each category once")
        text = value.strip().lower()
        if text in NOT_RATED_WORDS:
            out[key] = None
            continue
        short = text.isascii() and text.isdigit() and len(text) <= 3  # never int() of 5,000 digits
        level = int(text) if short else text
        problem = level_problem(level)
        if problem is not None:
            got = f", got {level}" if short else ""
            raise ValidationError(key, f"expected {LOW} to {HIGH}, or - for not rated{got}")
        out[key] = level  # type: ignore[assignment]
    return out


def take_rating(
    journal: Journal,
    levels: Mapping[str, int | None],
    *,
    by: str = "self",
    rater: str = "",
    note: str = "",
    at: datetime | None = None,
    anyway: bool = False,
) -> Rating:
    """Record a rating of the categories given (the others: not rated)."""
    if not anyway:
        identifier_check({"note": note})
    rating = Rating.from_dict(
        {"at": (at or now()).isoformat(), "by": by, "rater": rater.strip(), "note": note.strip(),
         "ratings": Levels.from_dict(dict(levels)).to_dict()}
    )  # fmt: skip
    return journal.growth().save_rating(rating)


def ratings(journal: Journal) -> list[Rating]:
    """Every rating, oldest first."""
    return journal.growth().ratings()


def self_rated_since(journal: Journal, since: datetime | None) -> bool:
    """Whether the peer has rated themselves since `since` (ever, when None)."""
    return any(r.by == "self" and (since is None or r.at >= since) for r in ratings(journal))


# --- goals -------------------------------------------------------------------------------------


STATUSES_SHOWN = ("open",)


def add_goal(
    journal: Journal, text: str, *, competency: str = "", due: date | None = None, anyway: bool = False
) -> Goal:
    """A new open goal; ValidationError for empty text or an unknown category."""
    if not anyway:
        identifier_check({"text": text})
    goal = Goal.from_dict(
        {"text": text.strip(), "competency": competency.strip().upper(), "due": None if due is None else due.isoformat()}
    )
    return journal.growth().save_goal(goal)


def goals(journal: Journal, *, include_closed: bool = False) -> list[Goal]:
    """The open goals (every goal with `include_closed`), oldest first."""
    found = journal.growth().goals()
    return found if include_closed else [g for g in found if g.status == "open"]


def check_in(journal: Journal, goal_id: str, note: str, *, at: datetime | None = None, anyway: bool = False) -> Goal:
    """Add a dated note to a goal."""
    if not note.strip():
        raise ValidationError("note", "required: what to note")
    if not anyway:
        identifier_check({"note": note})
    entry = CheckIn(note=note.strip(), at=at or now())

    def add(g: Goal) -> None:
        if g.status != "open":
            raise ValidationError("ID", f"the goal is {g.status}: check-ins are for open goals")
        g.check_ins.append(entry)

    return journal.growth().change_goal(goal_id, add)


@dataclass(frozen=True)
class Closed:
    goal: Goal
    already: bool  # it had this status before


def close_goal(journal: Journal, goal_id: str, status: str, *, at: datetime | None = None) -> Closed:
    """Mark an open goal met (stamped `met_at`) or dropped; saying it again changes nothing.
    A closed goal stays as it was closed (ValidationError): a met goal is a win on the
    agenda, and dropping it would take the win away."""
    if status not in ("met", "dropped"):
        raise ValueError(status)
    seen: list[bool] = []

    def change(g: Goal) -> None:
        seen.append(g.status == status)
        if g.status == status:
            return
        if g.status != "open":
            raise ValidationError("ID", f"the goal is {g.status} already: a closed goal cannot be {status}")
        g.status = status
        g.met_at = (at or now()) if status == "met" else None

    goal = journal.growth().change_goal(goal_id, change)
    return Closed(goal, seen[0])
