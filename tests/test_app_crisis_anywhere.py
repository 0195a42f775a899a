"""Crisis from anywhere, at typing speed: one key opens the panel on every screen, and
the keys typed right after it land in the panel (issue 9, items 3 and 8).

Keys go in as a terminal sends them: all queued at once, with no pause for the app to
catch up between them (`burst`), unlike `pilot.press`, which waits for idle after each.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot

from encounter_helpers import FROZEN, SIZE, new_app, settle, wait_for
from reflect.domain.model import Entry, Listen, Meeting
from reflect.domain.settings import Settings
from reflect.screens.encounter import EncounterScreen
from reflect.store import Journal

ENTRIES = 300  # the size of a working journal in issue 9; the keys do not depend on it


async def burst(pilot: Pilot[object], *keys: str) -> None:
    """Queue every key at once, as a terminal delivers keys typed quickly, then settle."""
    driver = pilot.app._driver
    assert driver is not None
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(pilot.app)
        driver.send_message(event)
    await settle(pilot)


@pytest.fixture
def journal(db_path: Path) -> Journal:
    j = Journal(db_path)
    j.save_settings(Settings(peer="alex", supervisor="Dana"))
    start = FROZEN - timedelta(days=ENTRIES)
    entries = [
        Entry(occurred=start + timedelta(days=i), id=f"e{i:04}", peer="alex", person=f"P{i % 17}",
              listen=Listen(story=f"Story number {i}"))
        for i in range(ENTRIES)
    ]  # fmt: skip
    j.import_records(entries)
    j.save_meeting(Meeting(held=FROZEN - timedelta(days=20), since=FROZEN - timedelta(days=40),
                           until=FROZEN - timedelta(days=20), peer="alex"))  # fmt: skip
    return j


def stored_crises(journal: Journal) -> list[list[str]]:
    """The crisis actions of every entry marked crisis, read through a fresh Journal."""
    fresh = Journal(journal.path)
    return [e.crisis.actions for e in fresh.recent(ENTRIES + 10) if e.flags.crisis and e.crisis is not None]


async def test_keys_typed_right_after_ctrl_x_in_an_encounter_reach_the_panel(journal: Journal) -> None:
    """Failed before: the panel focused its list through the app's queue, behind the keys."""
    app = new_app(Journal(journal.path))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        await pilot.pause()
        await burst(pilot, "ctrl+x", "down", "space", "ctrl+s")
        assert isinstance(app.screen, EncounterScreen)
    assert stored_crises(journal) == [["crisis-line"]]
