"""reflect.usecases.exporting and importing, headless, on real journals in tmp_path."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from reflect.domain.formats import ImportFormatError
from reflect.domain.model import Entry, Listen, Meeting, Select, Story
from reflect.root import open_journal
from reflect.store import Conflict, Journal, NotFound
from reflect.usecases import exporting, importing

UTC = timezone.utc
AT = datetime(2024, 3, 1, 12, tzinfo=UTC)


def entry(n: int, **kw) -> Entry:
    kw.setdefault("listen", Listen(story=f"story number {n}"))
    return Entry(id=f"{n:08x}-0000-4000-8000-000000000000", occurred=datetime(2024, 3, n, 10, tzinfo=UTC), **kw)


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    j = open_journal(tmp_path / "journal.json")
    j.save(entry(1, select=Select(story_id="story-1")))
    j.save(entry(2))
    j.save(entry(3, visibility="private", listen=Listen(story="private matter")))
    j.save_story(Story(title="First job", id="story-1", text="how I got back", created=AT))
    j.save_story(Story(title="Unused", id="story-2", text="not used", created=AT))
    j.save_meeting(Meeting(id="m-1", held=datetime(2024, 3, 15, tzinfo=UTC), since=AT, until=AT))
    return j


def exported(journal: Journal, fmt: str = "json", **kw) -> tuple[exporting.Export, str]:
    chosen = exporting.select(journal, fmt, **kw)
    out = io.StringIO(newline=exporting.newline(fmt))
    exporting.write(out, chosen, exported_at=AT)
    return chosen, out.getvalue()


def test_private_entries_stay_out_and_are_counted(journal: Journal) -> None:
    chosen, text = exported(journal)
    doc = json.loads(text)
    assert [e["id"][:8] for e in doc["entries"]] == ["00000001", "00000002"]
    assert "private matter" not in text
    assert (chosen.written, chosen.left_out) == (2, 1)
    assert {s["id"] for s in doc["stories"]} == {"story-1", "story-2"} and [m["id"] for m in doc["meetings"]] == ["m-1"]


def test_include_private_takes_everything(journal: Journal) -> None:
    chosen, text = exported(journal, "jsonl", include_private=True)
    assert len(text.splitlines()) == 3 and "private matter" in text
    assert (chosen.written, chosen.left_out) == (3, 0)


def test_named_entries_go_out_even_if_private_with_only_their_stories(journal: Journal) -> None:
    chosen, text = exported(journal, ids=["00000003", entry(1).id])
    doc = json.loads(text)
    assert [e["id"][:8] for e in doc["entries"]] == ["00000001", "00000003"]
    assert [s["id"] for s in doc["stories"]] == ["story-1"] and doc["meetings"] == []
    assert chosen.left_out == 0
    with pytest.raises(NotFound):
        exporting.select(journal, "json", ids=["ffffffff"])


def test_a_window_selects_entries_and_meetings(journal: Journal) -> None:
    _, text = exported(journal, since=datetime(2024, 3, 2, tzinfo=UTC), until=datetime(2024, 3, 10, tzinfo=UTC))
    doc = json.loads(text)
    assert [e["id"][:8] for e in doc["entries"]] == ["00000002"] and doc["meetings"] == []


def test_csv_and_markdown_keep_the_rule(journal: Journal) -> None:
    _, text = exported(journal, "csv")
    assert len(list(csv.DictReader(io.StringIO(text)))) == 2 and "private matter" not in text
    _, md = exported(journal, "markdown")
    assert "story number 2" in md and "private matter" not in md and "First job" in md


# --- importing -----------------------------------------------------------------------------


def test_import_round_trip_with_warnings_as_data(journal: Journal, tmp_path: Path) -> None:
    journal.save(entry(4, listen=Listen(story="mail me at sam@example.org")))
    _, text = exported(journal, include_private=True)
    other = open_journal(tmp_path / "other" / "journal.json")
    doc = importing.parse(other, text, source="in.json")
    dry = importing.apply(other, doc, dry_run=True)
    assert len(dry.added) >= 4 and other.count() == 0  # a dry run writes nothing
    result = importing.apply(other, doc)
    assert other.count() == 4
    (warning,) = importing.changed_warnings(doc, result)
    assert warning.entry_id == entry(4).id and warning.fields == {"listen.story": ["an email address"]}
    assert "sam@example.org" not in warning.line() and warning.line().startswith(f"entry {entry(4).id}: listen.story")
    assert importing.summary(result).startswith("entries: 4 added, 0 unchanged; stories: 2 added")
    again = importing.apply(other, doc)
    assert importing.summary(again).startswith("entries: 0 added, 4 unchanged")
    assert importing.changed_warnings(doc, again) == []


def test_import_conflicts_are_refused_whole_unless_replace(journal: Journal) -> None:
    changed = entry(2, listen=Listen(story="other words"))
    doc = importing.parse(journal, json.dumps(changed.to_dict()), source="one.json")
    with pytest.raises(Conflict):
        importing.apply(journal, doc)
    assert journal.get(changed.id).listen.story == "story number 2"
    result = importing.apply(journal, doc, replace=True)
    assert result.replaced == [changed.id] and journal.get(changed.id).listen.story == "other words"
    assert importing.summary(result) == "entries: 0 added, 1 replaced, 0 unchanged"


def test_import_parse_errors_name_the_source(journal: Journal) -> None:
    with pytest.raises(ImportFormatError, match="bad.json"):
        importing.parse(journal, "[{", source="bad.json")
