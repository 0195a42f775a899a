"""Finding entries: lists by filter, and one entry by its id or the start of it.

`entries_for_scripts` (`list --json`) keeps the private rule (`visibility`); the table
(`entries_for_owner`) is the owner's own view of their journal, where private entries
show, marked; an entry named by id is shown whatever its visibility: it was asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reflect.domain.model import ValidationError
from reflect.usecases.visibility import Selection

if TYPE_CHECKING:
    from reflect.domain.model import Entry, EntryFilter, Story
    from reflect.usecases.damage import Damaged
    from reflect.store import Journal


@dataclass
class Listed:
    """The entries found, newest first, and what was not in them."""

    entries: list[Entry] = field(default_factory=list)
    left_out: int = 0  # private entries that matched but were not asked for
    more: bool = False  # more entries matched than the limit let through


def entries_for_scripts(
    journal: Journal, flt: EntryFilter, *, include_private: bool, limit: int | None, damaged: Damaged | None = None
) -> Listed:
    """The entries matching `flt`, newest first, at most `limit` (None: all). Private ones
    only when asked for: `include_private`, or filtering on the private flag. Month files
    missing or damaged are named in `damaged` (when given) and the others listed."""
    selection = Selection(include_private or "private" in flt.flags)
    out = Listed()
    for entry in journal.entries(flt.since, flt.until, newest_first=True, skip_damaged=damaged):
        if not flt.matches(entry) or not selection.keep(entry):
            continue
        if limit is None or len(out.entries) < limit:
            out.entries.append(entry)
        else:
            out.more = True
    out.left_out = selection.left_out
    return out


def entries_for_owner(journal: Journal, flt: EntryFilter, *, limit: int | None, damaged: Damaged | None = None) -> Listed:
    """The entries matching `flt`, newest first, at most `limit`: private ones included
    (the owner's table marks them). `damaged` as in `entries_for_scripts`."""
    found = journal.find(flt, limit=None if limit is None else limit + 1, skip_damaged=damaged)
    more = limit is not None and len(found) > limit
    return Listed(found[:limit] if limit is not None else found, more=more)


def entry_by_id(journal: Journal, entry_id: str) -> Entry:
    """The entry with this id or unique id prefix; `NotFound` names what went wrong."""
    if not entry_id.strip():
        raise ValidationError("", "ID is empty: give an entry's id or the start of it (see `reflect list`)")
    return journal.get(entry_id)


def story_of(journal: Journal, entry: Entry) -> list[Story]:
    """The story `entry` selected, if it still exists (to show it by its title)."""
    used = entry.select.story_id
    return [s for s in journal.stories() if s.id == used] if used else []


def delete(journal: Journal, entry: Entry) -> Entry:
    """Remove `entry` from the journal."""
    journal.delete(entry.id)
    return entry
