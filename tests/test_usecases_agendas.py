"""reflect.usecases.agendas, headless, on a real journal in tmp_path (no click, no textual)."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from reflect.domain.formats import ImportFormatError
from reflect.domain.model import Entry, Flags, Listen, Meeting, now
from reflect.domain.settings import Settings
from reflect.root import open_journal
from reflect.store import Journal
from reflect.usecases import agendas, exporting

UTC = timezone.utc


def make(eid: str, occurred: datetime, peer: str = "alex", **kw) -> Entry:
    kw.setdefault("listen", Listen(story=f"story {eid}"))
    return Entry(occurred=occurred, id=eid, peer=peer, **kw)


def cited(agenda, key: str) -> set[str]:  # noqa: ANN001
    return {i for item in agenda.section(key).items for i in item.entries}


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    j = open_journal(tmp_path / "journal.json")
    j.save_settings(Settings(peer="alex", supervisor="Dana"))
    return j


def test_private_entries_never_appear_unless_asked(journal: Journal) -> None:
    """Moved from test_agenda.py with its assertions: the rule now lives in the use case."""
    t = now()
    secret = make("p1", t - timedelta(days=1), flags=Flags(crisis=True, discuss=True), question="private q",
                  visibility="private", minutes=10)  # fmt: skip
    journal.save(secret)
    (a,) = agendas.journal_agendas(journal, until=t)
    assert a.cited() == []
    assert "private q" not in json.dumps(a.to_dict())
    (b,) = agendas.journal_agendas(journal, until=t, include_private=True)
    assert cited(b, "safety") == {"p1"} and [i.text for i in b.section("questions").items][0].startswith("private q")


def test_private_entries_stay_out_of_the_workload_comparison_too(journal: Journal) -> None:
    t = now()
    journal.save(make("prev-private", t - timedelta(days=20), visibility="private", minutes=30))
    journal.save(make("prev-shared", t - timedelta(days=21), minutes=5))
    (a,) = agendas.journal_agendas(journal, until=t)
    work = [i for i in a.section("wellbeing").items if i.text.startswith("Workload")][0]
    assert work.entries == ["prev-shared"] and "5 minutes" in work.text
    (b,) = agendas.journal_agendas(journal, until=t, include_private=True)
    work = [i for i in b.section("wellbeing").items if i.text.startswith("Workload")][0]
    assert work.entries == ["prev-shared", "prev-private"] and "35 minutes" in work.text


def test_one_agenda_per_peer_and_the_owner_when_the_window_is_empty(journal: Journal) -> None:
    t = now()
    assert [a.peer for a in agendas.journal_agendas(journal, until=t)] == ["alex"]
    journal.save(make("s1", t - timedelta(days=1), peer="sam", flags=Flags(celebrate=True)))
    got = agendas.journal_agendas(journal, until=t)
    assert [a.peer for a in got] == ["sam"] and cited(got[0], "wins") == {"s1"}


def test_unknown_peer_is_refused_and_known_ones_pass(journal: Journal) -> None:
    journal.save(make("s1", now() - timedelta(days=40), peer="sam"))
    agendas.check_journal_peer(journal, "alex")  # the owner
    agendas.check_journal_peer(journal, "sam")  # found among the entries
    # The message says how many peers there are and where to see them, never their names:
    # a peer's name can identify them to whoever reads the error (a screen share, a log).
    with pytest.raises(agendas.UnknownPeer) as caught:
        agendas.check_journal_peer(journal, "slam")
    message = str(caught.value)
    assert "'slam' in the journal" in message and "2 peers known" in message
    assert "reflect meeting list" in message
    assert "alex" not in message and "sam" not in message.replace("slam", "")


def _export_file(journal: Journal, path: Path, *, include_private: bool) -> Path:
    out = io.StringIO()
    exporting.write(out, exporting.select(journal, "json", include_private=include_private), exported_at=now())
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_agendas_from_export_files_apply_the_same_private_rule(journal: Journal, tmp_path: Path) -> None:
    t = now()
    journal.save(make("shared-1", t - timedelta(days=1), flags=Flags(celebrate=True)))
    journal.save(make("secret-1", t - timedelta(days=1), flags=Flags(crisis=True), visibility="private"))
    path = _export_file(journal, tmp_path / "alex.json", include_private=True)  # the file holds both
    (a,) = agendas.export_agendas([str(path)], journal, until=t)
    assert a.cited() == ["shared-1"]
    (b,) = agendas.export_agendas([str(path)], journal, until=t, include_private=True)
    assert set(b.cited()) == {"shared-1", "secret-1"}
    with pytest.raises(agendas.UnknownPeer, match="in .*alex.json") as caught:
        agendas.export_agendas([str(path)], journal, until=t, peer="nobody")
    assert "1 peer known" in str(caught.value) and "peers:" not in str(caught.value)


def test_a_malformed_export_file_is_named(journal: Journal, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "reflect-export", "version": 1, "entries": [{"occurred": 5}]}', encoding="utf-8")
    with pytest.raises(ImportFormatError, match="bad.json"):
        agendas.export_agendas([str(bad)], journal)


def test_read_exports_takes_the_peer_from_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "robin.jsonl"
    path.write_text(json.dumps({"id": "e1", "occurred": "2026-03-01T10:00:00+00:00"}) + "\n", encoding="utf-8")
    exported = agendas.read_exports([str(path)])
    assert exported.peers == {"robin"}
    (e,) = exported.load(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
    assert e.peer == "robin"


def test_schedule_helpers() -> None:
    after = datetime(2026, 6, 1, 9, tzinfo=UTC)
    assert agendas.next_meeting_for("", after) is None
    assert agendas.next_meeting_for("sometimes", after) is None  # unreadable counts as none
    assert agendas.unreadable_schedule("") is None
    assert "cannot be read" in (agendas.unreadable_schedule("sometimes") or "")
    when = agendas.next_meeting_for("every week on tuesday at 10:00", after)
    assert when is not None and when > after and when.astimezone(UTC).weekday() == 1


def test_meetings_give_follow_ups_and_the_window_start(journal: Journal) -> None:
    from reflect.domain.model import ActionItem

    t = now()
    journal.save_meeting(Meeting(held=t - timedelta(days=3), since=t - timedelta(days=17), until=t - timedelta(days=3),
                                 peer="alex", actions=[ActionItem(text="Call the housing office")]))  # fmt: skip
    (a,) = agendas.journal_agendas(journal, until=t)
    assert a.since == journal.meetings()[0].until
    assert [i.text for i in a.section("follow_ups").items][0].startswith("Call the housing office")
