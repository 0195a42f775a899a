"""A crisis brought in by `import` after the last meeting reaches the next agenda, and a
private one is counted once (issue 8, items 1 and 2, found again on main)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from reflect.cli import main
from reflect.domain.model import Meeting, now
from reflect.domain.settings import Settings
from reflect.store import Journal


def run(*args: str):  # noqa: ANN201
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def journal(db_path: Path) -> Journal:
    j = Journal(db_path)
    j.save_settings(Settings(peer="alex", supervisor="Dana"))
    held = now() - timedelta(minutes=1)
    j.save_meeting(Meeting(held=held, since=held - timedelta(days=14), until=held, peer="alex"))
    return j


def crisis(eid: str, occurred: datetime, **kw: object) -> dict[str, object]:
    return {"id": eid, "peer": "alex", "occurred": occurred.isoformat(timespec="seconds"),
            "flags": {"crisis": True}, "listen": {"story": "the night on the bridge"}, **kw}  # fmt: skip


def imported(tmp_path: Path, *entries: dict[str, object]) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(list(entries)), encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr


def safety(journal: Journal) -> str:
    result = run("review", "--format", "text")
    assert result.exit_code == 0, result.stderr
    return result.stdout.split("Boundaries")[0]


def yesterday_4pm() -> datetime:
    return (now() - timedelta(days=1)).replace(hour=16, minute=0, second=0, microsecond=0)


def test_a_crisis_imported_without_recorded_after_the_meeting_reaches_safety_first(journal: Journal, tmp_path: Path) -> None:
    """Old code: import set recorded = occurred, so "Nothing to raise this time"."""
    imported(tmp_path, crisis("imported-crisis-1", yesterday_4pm()))
    text = safety(journal)
    assert "Nothing to raise" not in text
    assert "after it happened" in text
    (doc,) = [e for e in journal.entry_dicts() if e["id"] == "imported-crisis-1"]
    assert datetime.fromisoformat(doc["recorded"]) >= now() - timedelta(minutes=1)
    imported(tmp_path, crisis("imported-crisis-1", yesterday_4pm()))  # the same document again: no conflict


def test_a_private_crisis_imported_late_is_counted_once(journal: Journal, tmp_path: Path) -> None:
    """Old code: "2 crisis encounters in this window are private" (one from each read)."""
    stamp = now().isoformat(timespec="seconds")
    imported(
        tmp_path,
        crisis("shared-crisis-1", yesterday_4pm(), recorded=stamp),
        crisis("private-crisis-1", yesterday_4pm() + timedelta(minutes=5), recorded=stamp, visibility="private"),
    )
    text = safety(journal)
    assert "1 crisis encounter in this window is private" in text
    assert "2 crisis encounters" not in text


def test_a_private_crisis_imported_without_recorded_is_counted(journal: Journal, tmp_path: Path) -> None:
    imported(tmp_path, crisis("private-crisis-2", yesterday_4pm(), visibility="private"))
    assert "1 crisis encounter in this window is private" in safety(journal)
