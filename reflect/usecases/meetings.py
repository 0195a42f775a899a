"""The meeting record: what a board asks a supervision record to hold, and attestations.

A meeting is recorded from the review screen (`record_details` fills what the person
said about it) or back-filled from a paper record (`add_meeting`). Credential numbers come
from settings: the peer's own (`credential`) when the meeting is with the peer the
settings name, the supervisor's (`supervisor_credential`) when it is with that
supervisor; given ones win. `attest` records a person's word that the record is accurate,
bound to its content (`reflect.domain.attestation`): a record changed afterwards says so
wherever it is shown, and that attestation no longer counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from reflect.domain import attestation
from reflect.domain.agenda import default_since
from reflect.domain.fields import free_text, now
from reflect.domain.model import (
    ATTESTING_ROLES,
    MEETING_DELIVERIES,
    MEETING_KINDS,
    Attestation,
    Credentials,
    Meeting,
    ValidationError,
)
from reflect.store.errors import NotFound

if TYPE_CHECKING:
    from reflect.domain.privacy import Finding
    from reflect.domain.settings import Settings
    from reflect.store import Journal

UNIT = 15  # minutes: boards ask for the length in units of at least 15 minutes
MAX_MINUTES = 24 * 60  # one meeting, one day at most
KINDS = tuple(k for k in MEETING_KINDS if k)
DELIVERIES = tuple(d for d in MEETING_DELIVERIES if d)
FREE_TEXT = free_text(Meeting)  # summary, competence, growth_areas: checked for identifiers
SHORT = 8  # how many characters of an id a listing shows


def rounded_minutes(elapsed: timedelta) -> int:
    """A meeting's length from the time it took: to the nearest 15 minutes, at least 15."""
    units = int(elapsed.total_seconds() / 60 / UNIT + 0.5)
    return max(UNIT, min(MAX_MINUTES, units * UNIT))


def check_minutes(minutes: int, path: str = "minutes") -> int:
    if not 1 <= minutes <= MAX_MINUTES:
        raise ValidationError(path, f"a meeting's length in minutes, 1 to {MAX_MINUTES}")
    return minutes


@dataclass
class Details:
    """What the person says about a meeting, beyond when and with whom."""

    minutes: int
    kind: str = "individual"
    delivery: str = "in-person"
    observed: bool = False
    summary: str = ""
    competence: str = ""
    growth_areas: str = ""

    @property
    def blank(self) -> bool:
        """Nothing typed beyond the prefilled length and the usual kind and delivery."""
        return (self.kind, self.delivery, self.observed) == ("individual", "in-person", False) and not (
            self.summary.strip() or self.competence.strip() or self.growth_areas.strip()
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> Details:
        """Details as kept in a draft review; ValueError when one does not read."""
        if not isinstance(doc, Mapping):
            raise ValueError("details: expected an object")
        out = cls(minutes=0)
        for f in fields(cls):
            value = doc.get(f.name, getattr(out, f.name))
            want = {"minutes": int, "observed": bool}.get(f.name, str)
            if not isinstance(value, want) or (want is int and isinstance(value, bool)):
                raise ValueError(f"details.{f.name}: expected {want.__name__}")
            setattr(out, f.name, value)
        return out

    def check(self) -> Details:
        """Itself, when every value is one a meeting takes; else ValidationError naming the field."""
        check_minutes(self.minutes)
        if self.kind not in KINDS:
            raise ValidationError("kind", f"one of {', '.join(KINDS)}")
        if self.delivery not in DELIVERIES:
            raise ValidationError("delivery", f"one of {', '.join(DELIVERIES)}")
        return self


def owner_settings(journal: Journal) -> Settings:
    """The settings, with `peer` the journal's own peer even when unset (the OS user name),
    as the agenda names them: whose `credential` it is."""
    settings = journal.settings()
    return replace(settings, peer=settings.peer or journal.default_peer())


def credentials_for(settings: Settings, peer: str, supervisor: str) -> Credentials:
    """The credential numbers settings hold for these two people (only for the people they
    name: a supervisor recording a meeting with another peer does not lend them theirs)."""
    return Credentials(
        peer=settings.credential if peer == settings.peer else "",
        supervisor=settings.supervisor_credential if supervisor == settings.supervisor else "",
    )


def record_details(meeting: Meeting, details: Details, settings: Settings) -> Meeting:
    """`meeting` with the details and the credentials from settings filled in."""
    details.check()
    return replace(  # type: ignore[type-var]  # @record makes it a dataclass
        meeting,
        minutes=details.minutes, kind=details.kind, delivery=details.delivery, observed=details.observed,
        summary=details.summary.strip(), competence=details.competence.strip(),
        growth_areas=details.growth_areas.strip(),
        credentials=credentials_for(settings, meeting.peer, meeting.supervisor),
    )  # fmt: skip


def identifier_findings(fields: dict[str, str]) -> list[Finding]:
    """Findings in a meeting's free text (`FREE_TEXT` name to text); never the values."""
    from reflect.domain.privacy import scan_fields

    return scan_fields({k: v for k, v in fields.items() if k in FREE_TEXT})


def with_control_characters(fields: dict[str, str]) -> list[str]:
    """The free-text fields holding a control character other than newline and tab (an
    escape sequence would recolour or rewrite a terminal that shows the record)."""
    return [k for k, v in fields.items() if any((ord(c) < 32 and c not in "\n\t") or 127 <= ord(c) < 160 for c in v)]


def free_text_of(meeting: Meeting) -> dict[str, str]:
    return {name: getattr(meeting, name) for name in FREE_TEXT}


def add_meeting(
    journal: Journal,
    held: datetime,
    details: Details,
    *,
    peer: str | None = None,
    supervisor: str | None = None,
    credentials: Credentials | None = None,
) -> Meeting:
    """Record a meeting held at `held` without the review screen (a paper record).

    Peer and supervisor default to settings. The window it reviewed runs from where that
    peer's previous meeting's window ended (the last 14 days when there is none) to
    `held`, as the review screen's would have; it stores no agenda. Credentials not given
    come from settings (`credentials_for`)."""
    settings = owner_settings(journal)
    peer = (peer if peer is not None else settings.peer).strip()
    supervisor = (supervisor if supervisor is not None else settings.supervisor).strip()
    before = [m for m in journal.meetings(peer) if m.held < held]
    since = default_since(before[-1] if before else None, held)
    meeting = record_details(Meeting(held=held, since=since, until=held, peer=peer, supervisor=supervisor), details, settings)
    if credentials is not None:
        meeting.credentials = Credentials(
            peer=credentials.peer or meeting.credentials.peer,
            supervisor=credentials.supervisor or meeting.credentials.supervisor,
        )
    journal.save_meeting(meeting)
    return meeting


def find_meeting(journal: Journal, prefix: str) -> Meeting:
    """The meeting whose id is `prefix` or starts with it, with its stored agenda;
    NotFound says when none or several match (how many, never which)."""
    prefix = prefix.strip()
    if not prefix:
        raise NotFound("a meeting id is needed (the first characters `reflect meeting list` shows)")
    ids = [m.id for m in journal.meetings()]
    found = [i for i in ids if i == prefix] or [i for i in ids if i.startswith(prefix)]
    if len(found) > 1:
        raise NotFound(f"{prefix!r} is ambiguous: it matches {len(found)} meetings; give more of the id")
    if not found:
        raise NotFound(f"no meeting with id {prefix!r}")
    return journal.get_meeting(found[0])


@dataclass(frozen=True)
class Standing:
    """Where a meeting's attestations stand: each with whether it still holds."""

    attestations: tuple[tuple[Attestation, bool], ...]

    @classmethod
    def of(cls, meeting: Meeting) -> Standing:
        return cls(tuple(attestation.standing(meeting)))

    @property
    def changed(self) -> bool:
        """Changed after it was attested: some attestation no longer holds."""
        return any(not ok for _, ok in self.attestations)

    def counts(self, role: str) -> bool:
        """Attested by someone in `role`, and the record is as they attested it."""
        return any(a.role == role and ok for a, ok in self.attestations)

    def mark(self) -> str:
        """A word for a listing: "changed", "attested", or "" (never attested)."""
        if self.changed:
            return "CHANGED after attestation"
        roles = [r for r in ATTESTING_ROLES if self.counts(r)]
        return f"attested ({', '.join(roles)})" if roles else ""


@dataclass(frozen=True)
class Attested:
    """What `attest` did: the meeting as saved, the attestation, and whether one by the
    same person in the same role already held (then nothing was added)."""

    meeting: Meeting
    attestation: Attestation
    already: bool
    named_differently: bool  # the name is not the one the meeting gives for that role


def attest(
    journal: Journal, meeting_id: str, role: str, name: str | None = None, at: datetime | None = None
) -> Attested:
    """Record `name`'s word, as `role`, that the meeting is accurate as it now stands.

    The name defaults to the one settings give for the role (peer, supervisor);
    ValidationError when there is none. A second attestation by the same person in the
    same role that still holds adds nothing; one that no longer holds (the record changed)
    is kept, and the new one is added beside it."""
    if role not in ATTESTING_ROLES:
        raise ValidationError("role", f"one of {', '.join(ATTESTING_ROLES)}")
    settings = journal.settings()
    name = (name if name is not None else getattr(settings, role)).strip()
    if not name:
        raise ValidationError(
            "name", f"no {role} name: give --name, or set it once with `reflect config {role} NAME`"
        )
    from reflect.domain.settings import check_name

    name = check_name("name", name)
    target = find_meeting(journal, meeting_id)
    made: list[Attested] = []

    def sign(meeting: Meeting) -> Meeting:
        same = [a for a, ok in attestation.standing(meeting) if a.role == role and a.name == name and ok]
        named = getattr(meeting, role).strip()
        different = bool(named) and named.casefold() != name.casefold()
        if same:
            made.append(Attested(meeting, same[0], True, different))
            return meeting
        stamp = at or now()
        current = attestation.bound(attestation.digest(meeting), role, name, stamp.isoformat())
        att = Attestation(role=role, name=name, at=stamp, digest=current)
        meeting.attestations.append(att)
        made.append(Attested(meeting, att, False, different))
        return meeting

    journal.change_meeting(target.id, sign)
    return made[-1]
