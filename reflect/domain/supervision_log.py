"""The supervision log as data: the meetings of a window, their totals, the rules' checks.

Built from meeting records only (never a meeting's stored agenda, which may quote private
entries), with every free text masked for identifiers by kind (`[phone]`), as the agenda
masks the peer's words: a log is handed to a board. Each attestation says whether it still
holds (`attestation.standing`): a record changed after it was attested says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from reflect.domain.attestation import standing
from reflect.domain.model import iso
from reflect.domain.privacy import mask_identifiers
from reflect.domain.supervision_rules import Check, Pack, Source, Worked, evaluate, local_day

if TYPE_CHECKING:
    from reflect.domain.model import Meeting

FORMAT = "reflect-supervision-log"
VERSION = 1
_SCAN = 20_000  # characters of one free text kept and masked: a summary, not a book


def masked(text: str) -> str:
    """A free text as the log shows it: identifiers masked by kind, surrounding space trimmed."""
    cut = text.strip()
    return mask_identifiers(cut[:_SCAN]) + ("…" if len(cut) > _SCAN else "")


@dataclass(frozen=True)
class LoggedAttestation:
    role: str
    name: str
    at: datetime
    digest: str
    holds: bool  # False: the record changed after it was attested; it no longer counts

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "name": self.name, "at": iso(self.at), "digest": self.digest, "holds": self.holds}


@dataclass(frozen=True)
class LoggedAction:
    text: str
    owner: str
    due: date | None
    done: bool

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "owner": self.owner, "due": None if self.due is None else self.due.isoformat(), "done": self.done}


@dataclass(frozen=True)
class LoggedMeeting:
    """One meeting as the log carries it: what a board asks a supervision record to hold."""

    id: str
    held: datetime
    peer: str
    supervisor: str
    peer_credential: str
    supervisor_credential: str
    minutes: int
    kind: str
    delivery: str
    observed: bool
    summary: str
    competence: str
    growth_areas: str
    actions: tuple[LoggedAction, ...]
    attestations: tuple[LoggedAttestation, ...]

    @property
    def attested(self) -> bool:
        """Attested by the supervisor, and the attestation still holds."""
        return any(a.role == "supervisor" and a.holds for a in self.attestations)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "held": iso(self.held),
            "peer": self.peer,
            "supervisor": self.supervisor,
            "credentials": {"peer": self.peer_credential, "supervisor": self.supervisor_credential},
            "minutes": self.minutes,
            "kind": self.kind,
            "delivery": self.delivery,
            "observed": self.observed,
            "summary": self.summary,
            "competence": self.competence,
            "growth_areas": self.growth_areas,
            "actions": [a.to_dict() for a in self.actions],
            "attestations": [a.to_dict() for a in self.attestations],
        }


def logged(meeting: Meeting) -> LoggedMeeting:
    """A meeting record as the log shows it (free text masked; the agenda left out)."""
    return LoggedMeeting(
        id=meeting.id,
        held=meeting.held,
        peer=meeting.peer,
        supervisor=meeting.supervisor,
        peer_credential=meeting.credentials.peer,
        supervisor_credential=meeting.credentials.supervisor,
        minutes=meeting.minutes,
        kind=meeting.kind,
        delivery=meeting.delivery,
        observed=meeting.observed,
        summary=masked(meeting.summary),
        competence=masked(meeting.competence),
        growth_areas=masked(meeting.growth_areas),
        actions=tuple(LoggedAction(masked(a.text), masked(a.owner), a.due, a.done) for a in meeting.actions),
        attestations=tuple(
            LoggedAttestation(a.role, a.name, a.at, a.digest, holds) for a, holds in standing(meeting)
        ),
    )


@dataclass(frozen=True)
class Totals:
    meetings: int = 0
    minutes: int = 0
    individual_minutes: int = 0
    group_minutes: int = 0
    observed: int = 0

    def to_dict(self) -> dict[str, int]:
        return {
            "meetings": self.meetings,
            "minutes": self.minutes,
            "individual_minutes": self.individual_minutes,
            "group_minutes": self.group_minutes,
            "observed": self.observed,
        }


def totals(meetings: Sequence[LoggedMeeting]) -> Totals:
    """Counts over the meetings; a meeting recorded without a kind counts in `minutes` only."""
    return Totals(
        meetings=len(meetings),
        minutes=sum(m.minutes for m in meetings),
        individual_minutes=sum(m.minutes for m in meetings if m.kind == "individual"),
        group_minutes=sum(m.minutes for m in meetings if m.kind == "group"),
        observed=sum(1 for m in meetings if m.observed),
    )


@dataclass(frozen=True)
class RulesResult:
    name: str
    title: str
    source: Source
    checks: tuple[Check, ...]

    def to_dict(self) -> dict[str, Any]:
        return {  # the title is for pages; the JSON names the pack and its source
            "name": self.name,
            "source": self.source.to_dict(),
            "checks": [c.to_dict() for c in self.checks],
        }


@dataclass(frozen=True)
class SupervisionLog:
    """The whole log: `since` None means from the first meeting; `until` is the last day."""

    peer: str | None
    since: date | None
    until: date
    meetings: tuple[LoggedMeeting, ...]
    totals: Totals
    rules: RulesResult | None = None
    made: datetime | None = field(default=None, compare=False)  # when it was made (shown on the page)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document (`reflect/schema/supervision-log.schema.json`)."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "peer": self.peer,
            "since": None if self.since is None else self.since.isoformat(),
            "until": self.until.isoformat(),
            "meetings": [m.to_dict() for m in self.meetings],
            "totals": self.totals.to_dict(),
            "rules": None if self.rules is None else self.rules.to_dict(),
        }


def in_window(meeting: Meeting, since: date | None, until: date) -> bool:
    day = local_day(meeting.held)
    return (since is None or day >= since) and day <= until


def build(
    meetings: Sequence[Meeting],
    *,
    since: date | None,
    until: date,
    peer: str | None = None,
    pack: Pack | None = None,
    worked: Worked | None = None,
    made: datetime | None = None,
) -> SupervisionLog:
    """The log of `meetings` (one peer's, or all when the caller has checked that rules
    are not asked for several peers) held in the days `since..until`, oldest first, with
    `pack`'s checks when given."""
    chosen = sorted((m for m in meetings if in_window(m, since, until)), key=lambda m: m.held)
    shown = tuple(logged(m) for m in chosen)
    result = None
    if pack is not None:
        checks = evaluate(pack, list(meetings), since, until, worked)
        result = RulesResult(pack.name, pack.title, pack.source, tuple(checks))
    return SupervisionLog(peer, since, until, shown, totals(shown), result, made)
