"""A supervisor's caseload: one row per peer, whoever most needs attention first.

Pure: the use case (`usecases/caseload.py`) reads the packets and fills the rows; this
module holds what a row says, the order, and the JSON document
(`{"format": "reflect-caseload", "version": 1, ...}`, schema in
`reflect/schema/caseload.schema.json`).

The order, most urgent first (`ATTENTION`, then `sort_key`):
1. a crisis encounter since the last meeting that the supervisor was not told of;
2. a meeting overdue (by the rules, else the schedule), the longest overdue first;
3. action items past their due date;
4. crisis encounters since the last meeting (each one told);
5. supervision hours in the period short of the rules' target;
then the next meeting due soonest (none due: last), then the peer's name.

A crisis is counted, never quoted: a row holds how many there were, how many the
supervisor was not told of and how many are private, and no text of any entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from reflect.domain.fields import iso

FORMAT = "reflect-caseload"
VERSION = 1

# Why a row needs attention, in the order rows sort by (the JSON's "attention" codes).
ATTENTION = ("crisis-not-notified", "meeting-overdue", "actions-overdue", "crisis", "hours-short")
ATTENTION_TEXT = {
    "crisis-not-notified": "a crisis the supervisor was not told of",
    "meeting-overdue": "a meeting is overdue",
    "actions-overdue": "action items are overdue",
    "crisis": "crisis encounters since the last meeting",
    "hours-short": "supervision hours short of the target",
}


@dataclass(frozen=True)
class Case:
    """One peer: what a supervisor scans a caseload for."""

    peer: str
    packet: int  # the position (1-based) of the --from file it was read from
    last_meeting: datetime | None
    next_due: date | None  # the last day for the next meeting (rules), or the next scheduled one
    due_by: str  # "rules", "schedule" or "" (nothing says when)
    overdue_days: int  # days past next_due (0: not overdue)
    minutes: int  # supervision minutes in the period
    target_minutes: int | None  # what the rules ask in the period (None: no rule names minutes)
    crises: int  # crisis encounters since the last meeting (all of them, with no meeting)
    crises_not_notified: int
    crises_private: int  # of `crises`, how many are private (counted only)
    actions_open: int
    actions_overdue: int

    @property
    def attention(self) -> list[str]:
        """The reasons this peer needs attention, most urgent first (codes of ATTENTION)."""
        out = []
        if self.crises_not_notified:
            out.append("crisis-not-notified")
        if self.overdue_days > 0:
            out.append("meeting-overdue")
        if self.actions_overdue:
            out.append("actions-overdue")
        if self.crises and not self.crises_not_notified:
            out.append("crisis")
        if self.target_minutes is not None and self.minutes < self.target_minutes:
            out.append("hours-short")
        return out

    def sort_key(self) -> tuple[Any, ...]:
        reasons = set(self.attention)
        return (
            *(code not in reasons for code in ATTENTION),
            -self.overdue_days,
            -self.crises_not_notified,
            -self.actions_overdue,
            self.next_due or date.max,
            self.peer,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "peer": self.peer,
            "packet": self.packet,
            "last_meeting": None if self.last_meeting is None else iso(self.last_meeting),
            "next_due": None if self.next_due is None else self.next_due.isoformat(),
            "due_by": self.due_by or None,
            "overdue_days": self.overdue_days,
            "minutes": self.minutes,
            "target_minutes": self.target_minutes,
            "crises": self.crises,
            "crises_not_notified": self.crises_not_notified,
            "crises_private": self.crises_private,
            "actions_open": self.actions_open,
            "actions_overdue": self.actions_overdue,
            "attention": self.attention,
        }


@dataclass(frozen=True)
class Caseload:
    """The rows, sorted (`ordered`), and what they were measured against."""

    made: datetime
    today: date
    since: date  # the period the hours count
    until: date
    rules: str  # the pack's name ("" for none)
    rules_source: str  # whom the pack cites
    cases: list[Case] = field(default_factory=list)

    def ordered(self) -> list[Case]:
        return sorted(self.cases, key=Case.sort_key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "made": iso(self.made),
            "today": self.today.isoformat(),
            "period": {"since": self.since.isoformat(), "until": self.until.isoformat()},
            "rules": {"name": self.rules, "source": self.rules_source} if self.rules else None,
            "peers": [c.to_dict() for c in self.ordered()],
        }
