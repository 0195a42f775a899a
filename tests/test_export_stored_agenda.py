"""A meeting's stored agenda carries no private text out of a plain export (issue 8, item 4)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from reflect.cli import main
from reflect.domain.model import Crisis, Entry, Flags, Listen, Meeting, now
from reflect.domain.settings import Settings
from reflect.store import Journal
from reflect.usecases import agendas

PRIVATE = ("Robin-the-pseudonym", "the bridge story", "called at 2am", "Was I out of my depth?")


@pytest.fixture
def journal(db_path: Path) -> Journal:
    j = Journal(db_path)
    j.save_settings(Settings(peer="alex", supervisor="Dana"))
    t = now()
    j.save(Entry(
        occurred=t - timedelta(days=1), id="secret-1", peer="alex", person=PRIVATE[0],
        listen=Listen(story=PRIVATE[1]), flags=Flags(crisis=True), crisis=Crisis(["crisis-line"], notes=PRIVATE[2]),
        question=PRIVATE[3], visibility="private",
    ))  # fmt: skip
    j.save(Entry(occurred=t - timedelta(days=2), id="shared-1", peer="alex", question="How do I end calls kindly?"))
    # `reflect review --include-private`, then the meeting recorded as the review screen records it
    (a,) = agendas.journal_agendas(j, include_private=True)
    texts = [i.text for s in a.sections for i in s.items]
    j.save_meeting(Meeting(held=t, since=a.since, until=a.until, peer="alex", notes="Talked it through",
                           discussed=texts, agenda=a.to_dict()))  # fmt: skip
    return j


def test_a_plain_export_carries_no_private_text_from_a_stored_agenda(journal: Journal) -> None:
    """Old code: the private entry's person, story, crisis note and question were in the export."""
    result = CliRunner().invoke(main, ["export", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    for text in PRIVATE:
        assert text not in result.stdout
    (meeting,) = json.loads(result.stdout)["meetings"]
    assert meeting["notes"] == "Talked it through"
    cited = {e for s in meeting["agenda"]["sections"] for i in s["items"] for e in i["entries"]}
    assert "shared-1" in cited and "secret-1" not in cited
    assert any("How do I end calls kindly?" in t for t in meeting["discussed"])
    safety = meeting["agenda"]["sections"][0]["items"]
    assert [i["text"] for i in safety] == ["1 item about private entries left out."]


def test_asked_for_the_stored_agenda_goes_out_whole(journal: Journal) -> None:
    result = CliRunner().invoke(main, ["export", "--format", "json", "--include-private"], catch_exceptions=False)
    for text in PRIVATE:
        assert text in result.stdout
    assert journal.get_meeting(journal.meetings()[0].id).agenda is not None  # the journal keeps it whole


def test_an_item_citing_a_deleted_entry_stays_in_the_journal_only(journal: Journal) -> None:
    journal.delete("shared-1")
    result = CliRunner().invoke(main, ["export", "--format", "json"], catch_exceptions=False)
    assert "How do I end calls kindly?" not in result.stdout
