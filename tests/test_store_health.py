"""`doctor --repair`: what a repair leaves standing is decided by what it could not do,
never by the wording of a message (a path can hold any words)."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from reflect.domain.model import Entry, Listen
from reflect.store import Journal


def _journal(folder: Path) -> Journal:
    j = Journal(folder / "journal.json", settings_path=folder / "settings.json")
    j.save(Entry(occurred=datetime(2024, 3, 1, 10, tzinfo=timezone.utc), listen=Listen(story="a week")))
    return j


def test_a_repaired_problem_is_gone_whatever_words_its_path_holds(tmp_path: Path) -> None:
    # The old code kept any problem whose text held "could not" or "no readable backup".
    j = _journal(tmp_path / "could not" / "no readable backup")
    os.chmod(j.path, 0o644)
    found = j.check()
    assert [p for p in found.problems if "open to others" in p]
    repaired = j.check(repair=True)
    assert repaired.ok, repaired.problems
    assert any("mode set to 600" in r for r in repaired.repaired)
    assert os.stat(j.path).st_mode & 0o777 == 0o600


def test_a_file_with_no_readable_backup_is_still_a_problem_after_repair(tmp_path: Path) -> None:
    j = _journal(tmp_path)
    j.drafts_path.write_text("{torn", encoding="utf-8")
    repaired = j.check(repair=True)
    # named relative to the journal's folder (issue 8, item 10)
    assert repaired.problems == ["journal.json.d/drafts.json: no readable backup; left as it is"]
    assert j.drafts_path.read_text(encoding="utf-8") == "{torn"


def test_an_id_stored_in_two_month_files_is_found_and_one_copy_kept(tmp_path: Path) -> None:
    """A lost index shard before a move left an id in two months; doctor did not see it."""
    import json

    j = _journal(tmp_path)
    [entry] = list(j.entries())
    moved = Entry.from_dict({**entry.to_dict(), "occurred": "2024-04-02T10:00:00+00:00"})
    april = j.layout.month("2024-04")  # the copy the index does not name, as a crash might leave it
    april.parent.mkdir(parents=True, exist_ok=True)
    april.write_text(json.dumps({"entries": {"1": moved.to_dict()}}), encoding="utf-8")
    april.chmod(0o600)
    found = j.check()
    assert any(f"entry {entry.id} is stored twice" in p for p in found.problems), found.problems
    repaired = j.check(repair=True)
    assert repaired.ok, repaired.problems
    assert [e.id for e in j.entries()] == [entry.id]
    assert j.get(entry.id).occurred == entry.occurred  # the copy the index named is the one kept


def test_a_damaged_review_draft_is_reported_by_doctor(tmp_path: Path) -> None:
    j = _journal(tmp_path)
    path = j.review_drafts().path
    path.write_text('{"review_drafts": {"1": ', encoding="utf-8")
    path.chmod(0o600)
    found = j.check()
    assert any(p.startswith("journal.json.d/review-drafts.json: not valid JSON") for p in found.problems), found.problems
