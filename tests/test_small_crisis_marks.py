"""The crisis mark on home rows and in the entry view follows the one crisis rule
(issue 8, item 3): a kept crisis record is a crisis even with the box unticked.

Old code: both read `entry.flags.crisis` alone, so such an entry showed no `!` while the
agenda and `flag:crisis` counted it as a crisis."""

from __future__ import annotations

from functools import partial

from datetime import datetime, timedelta, timezone

from reflect.domain.model import Crisis, Entry, Flags, Listen
from reflect.screens.app import ReflectApp
from reflect.screens.entry_view import EntryView, render_entry
from reflect.screens.home import EntryList, HomeScreen
from reflect.screens.widgets import entry_markers
from reflect.store import Journal
from encounter_helpers import wait_for as shared_wait_for

NOW = datetime(2024, 5, 15, 9, 0, tzinfo=timezone.utc)
RECORD_ONLY = Entry(occurred=NOW - timedelta(hours=3), id="recordonly01", person="Rae",
                    crisis=Crisis(["crisis-line"]), listen=Listen(story="a hard night"))  # fmt: skip
TICKED = Entry(occurred=NOW - timedelta(hours=4), id="ticked000001", person="Tam", flags=Flags(crisis=True))
CALM = Entry(occurred=NOW - timedelta(hours=5), id="calm00000001", person="Cal", listen=Listen(story="a walk"))


def frozen() -> datetime:
    return NOW


def test_markers_and_view_follow_the_rule() -> None:
    for entry, expected in ((RECORD_ONLY, True), (TICKED, True), (CALM, False)):
        assert ("!" in entry_markers(entry).plain) is expected, entry.id
        assert ("Flags: ! crisis" in render_entry(entry, NOW).plain) is expected, entry.id


wait_for = partial(shared_wait_for, seconds=10.0)


async def test_a_crisis_record_with_the_box_unticked_shows_the_mark_on_home_and_in_the_view() -> None:
    Journal().import_records([RECORD_ONLY, CALM])
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(100, 30)) as pilot:
        home = app.screen_stack[0]
        assert isinstance(home, HomeScreen)
        await wait_for(pilot, lambda: home.ready and home.glance_ready, "home to load")
        lst = home.query_one(EntryList)
        rows = {o.id: str(o.prompt) for o in lst.options if o.id}
        assert "!" in rows[f"entry:{RECORD_ONLY.id}"]
        assert "!" not in rows[f"entry:{CALM.id}"]
        lst.focus()
        lst.highlighted = [o.id for o in lst.options].index(f"entry:{RECORD_ONLY.id}")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EntryView), "the entry view")
        await pilot.pause()
        text = str(app.screen.query_one("#entry-text").render())
        assert "Flags: ! crisis" in text
