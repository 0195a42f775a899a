"""Reviewing with a peer: what a review changes is part of the meeting record.

Discussed marks, notes, new actions and the earlier actions closed in the meeting reach the
journal together, when the meeting is recorded (`record_meeting`); the meeting says which
earlier actions it closed. Until then they are a draft review (`keep_draft`), kept on disk
as the supervisor works, so that a crash or a quit loses nothing and the next review of
the same peer offers them back (`load_draft`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from reflect.domain.fields import iso, now, parse_iso_datetime
from reflect.domain.model import ActionItem, Meeting, ValidationError
from reflect.usecases.meetings import Details
from reflect.store.errors import JournalError, NotFound

if TYPE_CHECKING:
    from reflect.store import Journal

ActionRef = tuple[str, str]  # (meeting id, action id) of an earlier meeting's action
ItemRef = tuple[str, str]  # (section key, item text): an agenda item across rebuilds
CLOSED = "closed"  # the key, in a recorded meeting's agenda, of the earlier actions it closed


@dataclass
class ReviewDraft:
    """A review not yet recorded: everything the supervisor changed on the screen."""

    peer: str
    notes: str = ""
    discussed: list[ItemRef] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    done: list[ActionRef] = field(default_factory=list)
    saved: datetime | None = None
    details: Details | None = None  # the meeting record's details, as typed so far

    @property
    def empty(self) -> bool:
        return not (self.notes.strip() or self.discussed or self.actions or self.done) and (
            self.details is None or self.details.blank
        )

    def summary(self) -> str:
        """What it holds, in words: "2 discussed · notes: 3 lines · 1 action · 1 marked done"."""
        lines = len(self.notes.strip().splitlines())
        parts = [
            f"{len(self.discussed)} discussed",
            f"notes: {lines} line{'' if lines == 1 else 's'}" if lines else "no notes",
            f"{len(self.actions)} new action{'' if len(self.actions) == 1 else 's'}",
            f"{len(self.done)} marked done",
        ]
        if self.details is not None and not self.details.blank:
            parts.append("record details typed")
        return " · ".join(parts)

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.peer,
            "peer": self.peer,
            "notes": self.notes,
            "discussed": [list(d) for d in self.discussed],
            "actions": [a.to_dict() for a in self.actions],
            "done": [list(d) for d in self.done],
            "saved": iso(self.saved or now()),
            **({"details": self.details.to_dict()} if self.details is not None else {}),
        }

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> ReviewDraft:
        """The draft as stored; ValueError (or ValidationError) when it does not read."""

        def pairs(key: str) -> list[tuple[str, str]]:
            out = []
            for pair in doc.get(key) or []:
                if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
                    raise ValueError(f"{key}: expected [text, text], got {type(pair).__name__}")
                out.append((pair[0], pair[1]))
            return out

        notes = doc.get("notes", "")
        if not isinstance(notes, str):
            raise ValueError("notes: expected text")
        saved = doc.get("saved")
        details = doc.get("details")
        return cls(
            peer=str(doc.get("peer", doc.get("id", ""))),
            notes=notes,
            discussed=pairs("discussed"),
            actions=[ActionItem.from_dict(a) for a in doc.get("actions") or []],
            done=pairs("done"),
            saved=parse_iso_datetime(saved, "saved") if saved is not None else None,
            details=Details.from_dict(details) if details is not None else None,
        )


def load_draft(journal: Journal, peer: str) -> ReviewDraft | None:
    """The unrecorded review of `peer`, or None (none kept, or one that no longer reads)."""
    doc = journal.review_drafts().get(peer)
    if doc is None:
        return None
    try:
        draft = ReviewDraft.from_doc(doc)
    except (ValueError, ValidationError):
        return None
    return None if draft.empty else draft


def keep_draft(journal: Journal, draft: ReviewDraft) -> None:
    """Keep the review as it stands on the screen; an empty one leaves no draft."""
    if draft.empty:
        journal.review_drafts().discard(draft.peer)
    else:
        journal.review_drafts().put(draft.to_doc())


def discard_draft(journal: Journal, peer: str) -> None:
    journal.review_drafts().discard(peer)


def record_meeting(journal: Journal, meeting: Meeting, closed: Mapping[ActionRef, str] | None = None) -> Meeting:
    """Record the meeting and, with it, close the earlier actions marked done in it.

    The meeting is saved first, saying which actions it closed (in its agenda, under
    "closed"), then each action is marked done, then the draft review is dropped. An action
    another process removed meanwhile is skipped: the meeting still says it was closed; a
    drafts file that cannot be written does not undo the record.
    """
    closed = dict(closed or {})
    if closed:
        record = [{"meeting": m, "action": a, "text": text} for (m, a), text in closed.items()]
        meeting.agenda = dict(meeting.agenda or {}, **{CLOSED: record})
    journal.save_meeting(meeting)
    for meeting_id, action_id in closed:
        try:
            journal.set_action_done(meeting_id, action_id, True)
        except NotFound:
            continue
    try:
        discard_draft(journal, meeting.peer)
    except JournalError:  # a damaged drafts file: the meeting is recorded all the same
        pass
    return meeting


def closed_in(meeting: Meeting) -> list[ActionRef]:
    """The earlier actions a recorded meeting closed (its agenda must have been read)."""
    rows = (meeting.agenda or {}).get(CLOSED) or []
    return [(r["meeting"], r["action"]) for r in rows if isinstance(r, dict) and "meeting" in r and "action" in r]
