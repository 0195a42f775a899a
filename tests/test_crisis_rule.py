"""One rule for what a crisis entry is, used by the agenda and the filters (issue 8, item 3)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from reflect.cli import main
from reflect.domain.agenda import build_agenda
from reflect.domain.crisis import is_crisis, set_crisis, supervisor_notified
from reflect.domain.model import Crisis, Entry, EntryFilter, Flags, Listen, now
from reflect.domain.settings import Settings
from reflect.store import Journal

UTC = timezone.utc
MID = datetime(2026, 3, 8, 10, tzinfo=UTC)

TICKED = Entry(occurred=MID, id="ticked", flags=Flags(crisis=True), listen=Listen(story="a"))
RECORD_ONLY = Entry(occurred=MID, id="record-only", crisis=Crisis(["crisis-line"]), listen=Listen(story="b"))
CALM = Entry(occurred=MID, id="calm", listen=Listen(story="c"))


@pytest.mark.parametrize("entry, expected", [(TICKED, True), (RECORD_ONLY, True), (CALM, False)])
def test_the_rule_reads_the_same_on_an_entry_and_on_its_stored_dict(entry: Entry, expected: bool) -> None:
    assert is_crisis(entry) is expected and is_crisis(entry.to_dict()) is expected


def test_the_agenda_lists_exactly_the_entries_the_rule_names() -> None:
    a = build_agenda([TICKED, RECORD_ONLY, CALM], since=MID - timedelta(days=1), until=MID + timedelta(days=1))
    listed = {i for item in a.section("safety").items for i in item.entries}
    assert listed == {e.id for e in (TICKED, RECORD_ONLY, CALM) if is_crisis(e)}


def test_unticking_undoes_the_crisis_for_the_agenda_and_the_filter_alike() -> None:
    """Old code: unticking kept the crisis record, so the agenda listed what `flag:crisis` did not."""
    told = Entry(occurred=MID, id="told", flags=Flags(crisis=True), crisis=Crisis(["supervisor-notified"]))
    assert supervisor_notified(told) and supervisor_notified(told.to_dict())
    cleared = set_crisis(told, False)
    assert not is_crisis(cleared) and cleared.crisis is None and told.flags.crisis  # the original is untouched
    a = build_agenda([cleared], since=MID - timedelta(days=1), until=MID + timedelta(days=1))
    assert [i.entries for i in a.section("safety").items] == [[]]
    assert not EntryFilter(flags=["crisis"]).matches(cleared)
    assert is_crisis(set_crisis(CALM, True))



def test_list_flag_crisis_finds_what_the_agenda_lists(db_path: Path) -> None:
    j = Journal(db_path)
    j.save_settings(Settings(peer="alex"))
    j.save(Entry(occurred=now() - timedelta(days=1), id="record-only-1", peer="alex", crisis=Crisis(["crisis-line"])))
    result = CliRunner().invoke(main, ["list", "--flag", "crisis", "--json"], catch_exceptions=False)
    assert "record-only-1" in result.stdout
