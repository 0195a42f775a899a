"""The supervision log as data: the meetings of a window, their totals, the rules' checks.

Built from meeting records only (never a meeting's stored agenda, which may quote private
entries), with every free text masked for identifiers by kind (`[phone]`), as the agenda
masks the peer's words: a log is handed to a board. Each attestation says whether it still
holds (`attestation.standing`): a record changed after it was attested says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from reflect.domain.attestation import stored_holding
from reflect.domain.fields import spec_of
from reflect.domain.model import Meeting as MeetingRecord
from reflect.domain.model import iso
from reflect.domain.supervision_rules import Check, Pack, Source, Worked, evaluate, local_day

FORMAT = "reflect-supervision-log"
VERSION = 1
_SCAN = 20_000  # characters of one free text kept and masked: a summary, not a book


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


MEETING_KEYS = frozenset(f.name for f in spec_of(MeetingRecord).fields)


def complete(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored meeting in exactly `Meeting.to_dict()`'s shape: as it is when it has every
    field (the store writes that shape), else read and written once (a meeting stored
    before a field was added)."""
    if doc.keys() == MEETING_KEYS:
        return doc
    return MeetingRecord.from_dict(doc).to_dict()


def free_texts(docs: Iterable[dict[str, Any]]) -> list[str]:
    """The free text of stored meetings that the log shows, in the order `logged` reads it."""
    texts: list[str] = []
    for d in map(complete, docs):
        texts += [d["summary"], d["competence"], d["growth_areas"]]
        for a in d["actions"]:
            texts += [a["text"], a["owner"]]
    return texts


def _cut(text: str) -> str:
    return text.strip()[:_SCAN]


def masked(texts: Iterable[str]) -> dict[str, str]:
    """Each distinct text, as the log cuts it, masked for identifiers by kind the way
    `mask_identifiers` masks one, scanned together (`scan_many`: a scan costs more to start
    than to run on; owners and stock phrases repeat, and are scanned once)."""
    from reflect.domain.privacy import mask, scan_many

    unique = list(dict.fromkeys(c for c in map(_cut, texts) if c))
    found = scan_many([{"text": t} for t in unique])
    return {t: mask(t, findings) if findings else t for t, findings in zip(unique, found)}


def mask_all(texts: list[str], shown: Mapping[str, str] | None = None) -> list[str]:
    """Each text masked (`masked`), cut to a summary's length; `shown` is what `masked`
    gave for these texts and others (a caseload's logs scan once), any text it lacks
    scanned here."""
    cut = [_cut(t) for t in texts]
    missing = [c for c in cut if c and (shown is None or c not in shown)]
    if missing:
        shown = {**(shown or {}), **masked(missing)}
    return [(shown or {}).get(text, text) + ("…" if len(whole.strip()) > _SCAN else "") for text, whole in zip(cut, texts)]


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def logged(
    docs: Sequence[dict[str, Any]], shown_texts: Mapping[str, str] | None = None, held: Sequence[datetime] | None = None
) -> list[LoggedMeeting]:
    """Stored meetings (`Meeting.to_dict()` shape) as the log shows them: free text masked
    (`shown_texts`: `masked` already worked out), the agenda left out, each attestation
    with whether it still holds. `held`: each meeting's `held`, when already read."""
    docs = [complete(d) for d in docs]
    shown = iter(mask_all(free_texts(docs), shown_texts))
    when = iter(held) if held is not None else None
    out = []
    for d in docs:
        summary, competence, growth = next(shown), next(shown), next(shown)
        actions = []
        for a in d["actions"]:
            text_, owner = next(shown), next(shown)
            actions.append(LoggedAction(text_, owner, None if a["due"] is None else date.fromisoformat(a["due"]), a["done"]))
        holds = stored_holding(d, d["attestations"]) if d["attestations"] else []
        creds = d["credentials"]
        out.append(LoggedMeeting(
            id=d["id"], held=_at(d["held"]) if when is None else next(when), peer=d["peer"], supervisor=d["supervisor"],
            peer_credential=creds["peer"], supervisor_credential=creds["supervisor"], minutes=d["minutes"],
            kind=d["kind"], delivery=d["delivery"], observed=d["observed"], summary=summary,
            competence=competence, growth_areas=growth, actions=tuple(actions),
            attestations=tuple(
                LoggedAttestation(a["role"], a["name"], _at(a["at"]), a["digest"], ok)
                for a, ok in zip(d["attestations"], holds, strict=True)
            ),
        ))  # fmt: skip
    return out


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


def in_window(held: datetime, since: date | None, until: date) -> bool:
    day = local_day(held)
    return (since is None or day >= since) and day <= until


def build(
    docs: Sequence[dict[str, Any]],
    *,
    since: date | None,
    until: date,
    peer: str | None = None,
    pack: Pack | None = None,
    worked: Worked | None = None,
    made: datetime | None = None,
    shown_texts: Mapping[str, str] | None = None,
) -> SupervisionLog:
    """The log of the stored meetings `docs` (`Meeting.to_dict()` shape; one peer's, or
    all when the caller has checked that rules are not asked for several peers) held in
    the days `since..until`, oldest first, with `pack`'s checks when given (`shown_texts`:
    see `logged`)."""
    dated = [(at, d) for d in docs if in_window(at := _at(d["held"]), since, until)]
    dated.sort(key=lambda p: p[0])
    shown = tuple(logged([d for _, d in dated], shown_texts, [at for at, _ in dated]))
    result = None
    if pack is not None:
        checks = evaluate(pack, shown, since, until, worked)
        result = RulesResult(pack.name, pack.title, pack.source, tuple(checks))
    return SupervisionLog(peer, since, until, shown, totals(shown), result, made)
