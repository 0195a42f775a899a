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
