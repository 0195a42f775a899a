"""Entries journaled or changed after the last meeting reach the next agenda, marked late
(issue 8, item 1): from the local journal and from `--from` export files."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from reflect.cli import main
from reflect.domain.model import Entry, Flags, Listen, Meeting, now
from reflect.domain.settings import Settings
from reflect.store import Journal
from reflect.usecases import agendas, exporting


def run(*args: str):  # noqa: ANN201
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def make(eid: str, occurred: datetime, peer: str = "alex", **kw) -> Entry:  # noqa: ANN003
    kw.setdefault("listen", Listen(story=f"story {eid}"))
    return Entry(occurred=occurred, id=eid, peer=peer, **kw)


def cited(agenda, key: str) -> set[str]:  # noqa: ANN001
    return {i for item in agenda.section(key).items for i in item.entries}


@pytest.fixture
def journal(db_path: Path) -> Journal:
    j = Journal(db_path)
    j.save_settings(Settings(peer="alex", supervisor="Dana"))
    return j


class Clock:
    """The store's clock, moved by hand: stamps are kept to the second."""

    def __init__(self) -> None:
        self.t = now() - timedelta(hours=1)

    def __call__(self) -> datetime:
        self.t += timedelta(seconds=5)
        return self.t


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr("reflect.store.engine.now", c)
    return c


def LATER() -> datetime:  # noqa: N802
    """A review a minute from now."""
    return now() + timedelta(minutes=1)


def _met(journal: Journal, held: datetime) -> None:
    journal.save_meeting(Meeting(held=held, since=held - timedelta(days=14), until=held, peer="alex"))


def test_a_crisis_journaled_after_the_meeting_reaches_safety_first_marked_late(journal: Journal) -> None:
    """The reproduction: a meeting, then a crisis dated yesterday 4pm. Old code: "Nothing to raise"."""
    t = now()
    _met(journal, t - timedelta(minutes=1))  # times are kept to the second: a minute before `review`
    yesterday = (t - timedelta(days=1)).replace(hour=16, minute=0, second=0, microsecond=0)
    journal.save(make("late-crisis-0001", yesterday, flags=Flags(crisis=True)))
    result = run("review", "--format", "text")
    assert result.exit_code == 0, result.stderr
    safety = result.stdout.split("Boundaries")[0]
    assert "late-cri" in safety or "Crisis encounter" in safety
    assert "Nothing to raise" not in safety
    assert "after it happened" in safety
    (a,) = agendas.journal_agendas(journal)
    assert cited(a, "safety") == {"late-crisis-0001"}
    (item,) = a.section("safety").items
    assert "Journaled " in item.text and "after it happened." in item.text


def test_entries_written_before_the_meeting_stay_reviewed_and_later_ones_wait(journal: Journal, clock: Clock) -> None:
    t = now()
    journal.save(make("old-crisis", t - timedelta(days=30), flags=Flags(crisis=True)))  # before the meeting
    _met(journal, clock())
    journal.save(make("future-crisis", now() + timedelta(days=3), flags=Flags(crisis=True)))
    journal.save(make("late-question", t - timedelta(days=40), question="Was I too direct?"))
    (a,) = agendas.journal_agendas(journal, until=LATER())
    assert cited(a, "safety") == set()  # reviewed already; the future one waits for its window
    assert cited(a, "questions") == {"late-question"}
    assert "after it happened" in a.section("questions").items[0].text


def test_a_changed_entry_is_marked_changed_after_the_meeting(journal: Journal, clock: Clock) -> None:
    t = now()
    journal.save(make("edited", t - timedelta(days=30)))
    _met(journal, clock())
    e = journal.get("edited")
    e.flags = Flags(crisis=True)
    journal.save(e)
    (a,) = agendas.journal_agendas(journal, until=LATER())
    (item,) = a.section("safety").items
    assert item.entries == ["edited"] and "after the last meeting" in item.text


def test_without_a_meeting_the_window_alone_decides(journal: Journal) -> None:
    journal.save(make("old-crisis", now() - timedelta(days=30), flags=Flags(crisis=True)))
    (a,) = agendas.journal_agendas(journal)
    assert cited(a, "safety") == set()


def test_private_late_entries_stay_out_unless_asked(journal: Journal, clock: Clock) -> None:
    _met(journal, clock())
    journal.save(make("late-secret", now() - timedelta(days=20), question="private q", visibility="private"))
    (a,) = agendas.journal_agendas(journal, until=LATER())
    assert "private q" not in json.dumps(a.to_dict())
    (b,) = agendas.journal_agendas(journal, include_private=True, until=LATER())
    assert cited(b, "questions") == {"late-secret"}


def test_export_files_carry_the_stamps_and_the_same_rule_holds(journal: Journal, tmp_path: Path) -> None:
    t = now()
    _met(journal, t - timedelta(minutes=1))  # times are kept to the second: a minute before `review`
    journal.save(make("late-crisis", t - timedelta(days=1, hours=3), flags=Flags(crisis=True)))
    out = io.StringIO()
    exporting.write(out, exporting.select(journal, "json"), exported_at=now())
    path = tmp_path / "alex.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    (a,) = agendas.export_agendas([str(path)], journal)
    assert cited(a, "safety") == {"late-crisis"}
    assert "after it happened" in a.section("safety").items[0].text
    result = run("review", "--format", "json", "--from", str(path))
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    safety = doc["agendas"][0]["sections"][0]
    assert [i["entries"] for i in safety["items"]] == [["late-crisis"]]
