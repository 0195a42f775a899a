"""What a crisis entry is: one rule, used by the agenda, the list filters and search.

An entry is a crisis entry when its Crisis flag is ticked or it holds a crisis record
(what was done: actions, when the supervisor was told, notes). Safety comes first, so
either one is enough; unticking undoes it only together with the record (`untick`),
which is what the encounter form must do when the box is cleared. Works on an `Entry`
and on its stored dict alike, so a store or use case can select without building objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:
    from reflect.domain.model import Entry

Record = Union["Entry", Mapping[str, Any]]


def is_crisis(record: Record) -> bool:
    """True for a crisis entry: the Crisis flag ticked, or a crisis record kept."""
    if isinstance(record, Mapping):
        flags = record.get("flags")
        return (isinstance(flags, Mapping) and flags.get("crisis") is True) or record.get("crisis") is not None
    return record.flags.crisis or record.crisis is not None


def supervisor_notified(record: Record) -> bool:
    """True when the crisis record says the supervisor was told (an action or a time)."""
    if isinstance(record, Mapping):
        crisis = record.get("crisis")
        if not isinstance(crisis, Mapping):
            return False
        actions = crisis.get("actions")
        return crisis.get("supervisor_notified_at") is not None or (
            isinstance(actions, list) and "supervisor-notified" in actions
        )
    c = record.crisis
    return c is not None and (c.supervisor_notified_at is not None or "supervisor-notified" in c.actions)


def set_crisis(entry: Entry, ticked: bool) -> Entry:
    """`entry` with the Crisis box as the person left it: cleared, the crisis record goes
    too, so that unticking undoes the crisis everywhere (agenda, filters, search)."""
    flags = replace(entry.flags, crisis=ticked)  # type: ignore[type-var]
    return replace(entry, flags=flags, crisis=entry.crisis if ticked else None)  # type: ignore[type-var]


def changed_at(entry: Entry) -> datetime:
    """When the entry was last written: updated, else recorded, else when it happened."""
    return entry.updated or entry.recorded or entry.occurred


@dataclass(frozen=True)
class PrivateCrisis:
    """A private crisis entry as the agenda may speak of it: that it exists, when it
    happened and was written (to place it in a window), and whether the supervisor was
    told. None of its text: privacy stays the peer's choice, safety still comes first."""

    peer: str
    occurred: datetime
    changed: datetime
    notified: bool
    id: str = ""  # the entry's id: the same entry found twice (in the window, and late) counts once

    @classmethod
    def of(cls, record: Record, *, default_peer: str = "") -> PrivateCrisis:
        if isinstance(record, Mapping):
            occurred = _time(record.get("occurred"))
            assert occurred is not None, "a stored entry has its time"
            changed = _time(record.get("updated")) or _time(record.get("recorded")) or occurred
            peer = record.get("peer")
            entry_id = record.get("id")
            return cls(peer if isinstance(peer, str) and peer else default_peer, occurred, changed,
                       supervisor_notified(record), entry_id if isinstance(entry_id, str) else "")  # fmt: skip
        return cls(record.peer or default_peer, record.occurred, changed_at(record), supervisor_notified(record), record.id)


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.astimezone()
