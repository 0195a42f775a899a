"""Home follows other processes' changes without ctrl+r (issue 9, item 5): a second
Journal adds, changes and deletes entries and changes the schedule while the app runs."""

from __future__ import annotations

from functools import partial

from datetime import datetime, timedelta, timezone

from textual.widgets import Static

from reflect.domain.model import Entry, Listen
from reflect.domain.settings import Settings
from reflect.screens.app import ReflectApp
from reflect.screens.home import EntryList, HomeScreen
from reflect.store import Journal
from encounter_helpers import wait_for as shared_wait_for

NOW = datetime(2024, 5, 15, 9, 0, tzinfo=timezone.utc)


def frozen() -> datetime:
    return NOW


wait_for = partial(shared_wait_for, seconds=16.0)


def rows(home: HomeScreen) -> dict[str, str]:
    return {o.id: str(o.prompt) for o in home.query_one(EntryList).options if o.id}


async def test_the_list_and_the_glance_follow_another_process() -> None:
    mine = Journal()
    first = Entry(occurred=NOW - timedelta(days=1), person="A", listen=Listen(story="first story"))
    doomed = Entry(occurred=NOW - timedelta(days=2), person="B", listen=Listen(story="to be deleted"))
    mine.import_records([first, doomed])
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(100, 30)) as pilot:
        home = app.screen_stack[0]
        assert isinstance(home, HomeScreen)
        await wait_for(pilot, lambda: home.ready and home.glance_ready, "home")
        await pilot.press("down", "up")
        other = Journal()  # another process's journal object: the app is not told
        added = other.save(Entry(occurred=NOW - timedelta(hours=1), person="C", listen=Listen(story="just added")))
        await wait_for(pilot, lambda: f"entry:{added.id}" in rows(home), "the new entry")
        changed = other.get(first.id)
        changed.person = "Z"
        other.save(changed)
        await wait_for(pilot, lambda: " Z " in rows(home).get(f"entry:{first.id}", ""), "the changed entry")
        other.delete(doomed.id)
        await wait_for(pilot, lambda: f"entry:{doomed.id}" not in rows(home), "the deleted entry to go")
        other.save_settings(Settings(schedule="FREQ=WEEKLY;BYDAY=TH;BYHOUR=10;BYMINUTE=0;BYSECOND=0"))
        meeting = home.query_one("#next-meeting", Static)
        await wait_for(pilot, lambda: "Next supervision" in str(meeting.render()), "the new schedule")
        assert app.screen is home
