"""What a crisis entry is: one rule, used by the agenda, the list filters and search.

An entry is a crisis entry when its Crisis flag is ticked or it holds a crisis record
(what was done: actions, when the supervisor was told, notes). Safety comes first, so
either one is enough; unticking undoes it only together with the record (`untick`),
which is what the encounter form must do when the box is cleared. Works on an `Entry`
and on its stored dict alike, so a store or use case can select without building objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
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
