"""reflect.usecases.listing, headless, on a real journal in tmp_path."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from reflect.domain.model import Entry, EntryFilter, Flags, Listen, Select, Story, ValidationError
from reflect.root import open_journal
from reflect.store import Journal, NotFound
from reflect.usecases import listing

UTC = timezone.utc


def entry(n: int, **kw) -> Entry:
    kw.setdefault("listen", Listen(story=f"story number {n}"))
    return Entry(id=f"{n:08x}-0000-4000-8000-000000000000", occurred=datetime(2024, 3, n, 10, tzinfo=UTC), **kw)


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    j = open_journal(tmp_path / "journal.json")
    j.save(entry(1, flags=Flags(crisis=True)))
    j.save(entry(2))
    j.save(entry(3, visibility="private", flags=Flags(crisis=True)))
    return j


def ids(listed: listing.Listed) -> list[int]:
    return [int(e.id[:8], 16) for e in listed.entries]


def test_for_scripts_private_entries_only_when_asked(journal: Journal) -> None:
    got = listing.entries_for_scripts(journal, EntryFilter(), include_private=False, limit=None)
    assert (ids(got), got.left_out) == ([2, 1], 1)
    got = listing.entries_for_scripts(journal, EntryFilter(), include_private=True, limit=None)
    assert (ids(got), got.left_out) == ([3, 2, 1], 0)
    got = listing.entries_for_scripts(journal, EntryFilter(flags=["private"]), include_private=False, limit=None)
    assert (ids(got), got.left_out) == ([3], 0)  # filtering on the flag is asking for them


def test_for_scripts_counts_what_is_left_out_beyond_the_limit(journal: Journal) -> None:
    got = listing.entries_for_scripts(journal, EntryFilter(flags=["crisis"]), include_private=False, limit=1)
    assert (ids(got), got.left_out, got.more) == ([1], 1, False)
    got = listing.entries_for_scripts(journal, EntryFilter(), include_private=False, limit=1)
    assert (ids(got), got.more) == ([2], True)


def test_for_the_owner_private_entries_show_and_more_is_said(journal: Journal) -> None:
    got = listing.entries_for_owner(journal, EntryFilter(), limit=2)
    assert (ids(got), got.more, got.left_out) == ([3, 2], True, 0)
    got = listing.entries_for_owner(journal, EntryFilter(), limit=None)
    assert (ids(got), got.more) == ([3, 2, 1], False)


def test_entry_by_id_full_prefix_empty_and_missing(journal: Journal) -> None:
    assert listing.entry_by_id(journal, entry(3).id).private  # named: shown whatever its visibility
    assert listing.entry_by_id(journal, "00000002").id == entry(2).id
    with pytest.raises(ValidationError, match="ID is empty"):
        listing.entry_by_id(journal, "  ")
    with pytest.raises(NotFound, match="no entry with id 'ffffffff'"):
        listing.entry_by_id(journal, "ffffffff")
    with pytest.raises(NotFound, match="matches 3 entries"):
        listing.entry_by_id(journal, "0000")


def test_story_of_and_delete(journal: Journal) -> None:
    journal.save_story(Story(title="First job", id="story-1", text="t", created=datetime(2023, 1, 1, tzinfo=UTC)))
    e = entry(4, select=Select(story_id="story-1"))
    journal.save(e)
    assert [s.title for s in listing.story_of(journal, e)] == ["First job"]
    assert listing.story_of(journal, entry(2)) == []
    listing.delete(journal, listing.entry_by_id(journal, e.id[:8]))
    assert not journal.exists(e.id) and journal.count() == 3
