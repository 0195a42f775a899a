"""A private crisis is counted in Safety first, without its text (issue 8, item 2)."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from reflect.cli import main
from reflect.domain.model import Crisis, Entry, Flags, Listen, now
from reflect.domain.settings import Settings
from reflect.store import Journal
from reflect.usecases import agendas, exporting

SECRET = "the night on the bridge"


def make(eid: str, occurred: datetime, **kw) -> Entry:  # noqa: ANN003
    kw.setdefault("listen", Listen(story=SECRET))
    return Entry(occurred=occurred, id=eid, peer="alex", person="J.R.", visibility="private", **kw)


@pytest.fixture
def journal(db_path: Path) -> Journal:
    j = Journal(db_path)
    j.save_settings(Settings(peer="alex", supervisor="Dana"))
    return j


def test_safety_first_says_a_private_crisis_exists_and_whether_the_supervisor_knows(journal: Journal) -> None:
    """Old code: "Safety first: Nothing to raise this time"."""
    t = now()
    journal.save(make("secret-crisis-1", t - timedelta(days=1), flags=Flags(crisis=True),
                      crisis=Crisis(["warm-handoff"], notes="called the line at 2am")))  # fmt: skip
    result = CliRunner().invoke(main, ["review", "--format", "text"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    safety = result.stdout.split("Boundaries")[0]
    assert "Nothing to raise" not in safety
    assert "1 crisis encounter in this window is private" in safety
    assert "The supervisor was not notified." in safety
    for leak in (SECRET, "J.R.", "2am", "secret-c"):
        assert leak not in result.stdout


def test_the_count_and_the_notified_share_in_every_source(journal: Journal, tmp_path: Path) -> None:
    t = now()
    told = Crisis(["supervisor-notified"], t - timedelta(hours=5))
    journal.save(make("p1", t - timedelta(days=1), flags=Flags(crisis=True), crisis=told))
    journal.save(make("p2", t - timedelta(days=2), crisis=Crisis(["crisis-line"])))  # a record without the tick
    journal.save(make("p3", t - timedelta(days=3), flags=Flags(discuss=True)))  # private, not a crisis
    (a,) = agendas.journal_agendas(journal, until=t)
    (item,) = a.section("safety").items
    assert item.text.startswith("2 crisis encounters in this window are private")
    assert "notified of 1 and not of 1" in item.text and item.entries == []
    assert SECRET not in json.dumps(a.to_dict())
    out = io.StringIO()
    exporting.write(out, exporting.select(journal, "json", include_private=True), exported_at=t)
    path = tmp_path / "alex.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    (b,) = agendas.export_agendas([str(path)], journal, until=t)
    assert [i.text for i in b.section("safety").items] == [item.text]
    (c,) = agendas.journal_agendas(journal, until=t, include_private=True)  # asked for: listed in full
    assert {i for it in c.section("safety").items for i in it.entries} == {"p1", "p2"}
