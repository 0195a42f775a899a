"""Crisis from anywhere, at typing speed: one key opens the panel on every screen, and
the keys typed right after it land in the panel (issue 9, items 3 and 8).

Keys go in as a terminal sends them: all queued at once, with no pause for the app to
catch up between them (`burst`), unlike `pilot.press`, which waits for idle after each.
"""

from __future__ import annotations

from functools import partial

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Footer, SelectionList, Static

from encounter_helpers import FROZEN, SIZE, new_app, settle
from reflect.domain.model import Entry, Listen, Meeting
from reflect.domain.settings import Settings
from reflect.screens.crisis import CrisisPanel
from reflect.screens.encounter import EncounterScreen
from reflect.screens.entry_view import EntryView
from reflect.screens.help import HelpScreen
from reflect.screens.home import HomeScreen
from reflect.screens.review_screen import ReviewScreen
from reflect.screens.stories import StoryBankScreen
from reflect.store import Journal
from encounter_helpers import wait_for as shared_wait_for

ENTRIES = 300  # the size of a working journal in issue 9; the keys do not depend on it


wait_for = partial(shared_wait_for, seconds=30.0)


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




async def open_home(pilot: Pilot[object]) -> HomeScreen:
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.ready, "home")
    await pilot.pause()
    assert isinstance(app.screen, HomeScreen)
    return app.screen


async def crisis_from(pilot: Pilot[object], beneath: type) -> None:
    """ctrl+x then keys at once: the panel opens over a new encounter and takes them all."""
    app = pilot.app
    before = app.screen
    assert isinstance(before, beneath)
    await burst(pilot, "ctrl+x", "space", "down", "down", "space", "ctrl+s")
    # The encounter stays open over the screen the crisis came from, saved.
    assert isinstance(app.screen, EncounterScreen)
    assert app.screen_stack[-2] is before
    await burst(pilot, "escape")
    await wait_for(pilot, lambda: app.screen is before, "back where the crisis came from")


async def test_ctrl_x_on_home_opens_the_panel_on_a_new_encounter(journal: Journal) -> None:
    app = new_app(Journal(journal.path), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await open_home(pilot)
        await crisis_from(pilot, HomeScreen)
    assert stored_crises(journal) == [["emergency-services", "warm-handoff"]]


async def test_ctrl_x_on_the_story_bank_opens_the_panel(journal: Journal) -> None:
    app = new_app(Journal(journal.path), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await open_home(pilot)
        await burst(pilot, "s")
        await wait_for(pilot, lambda: isinstance(app.screen, StoryBankScreen), "the story bank")
        await crisis_from(pilot, StoryBankScreen)
    assert stored_crises(journal) == [["emergency-services", "warm-handoff"]]


async def test_ctrl_x_on_an_entry_view_opens_the_panel(journal: Journal) -> None:
    app = new_app(Journal(journal.path), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await open_home(pilot)
        await burst(pilot, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EntryView), "the entry view")
        await crisis_from(pilot, EntryView)
    assert stored_crises(journal) == [["emergency-services", "warm-handoff"]]


async def test_ctrl_x_on_the_review_opens_the_panel_and_keeps_the_review(journal: Journal) -> None:
    app = new_app(Journal(journal.path), start="review")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review")
        await pilot.pause()
        await crisis_from(pilot, ReviewScreen)
    assert stored_crises(journal) == [["emergency-services", "warm-handoff"]]


async def test_ctrl_x_inside_the_panel_does_not_open_a_second(journal: Journal) -> None:
    app = new_app(Journal(journal.path), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await open_home(pilot)
        await burst(pilot, "ctrl+x", "ctrl+x")
        assert isinstance(app.screen, CrisisPanel)
        assert sum(isinstance(s, EncounterScreen) for s in app.screen_stack) == 1
        assert sum(isinstance(s, CrisisPanel) for s in app.screen_stack) == 1
        assert app.focused is app.screen.query_one("#crisis-actions", SelectionList)


@pytest.mark.parametrize("start", ["home", "stories", "entry", "review"])
async def test_help_and_footer_show_the_crisis_key_everywhere(journal: Journal, start: str) -> None:
    app = new_app(Journal(journal.path), start="review" if start == "review" else "home")
    async with app.run_test(size=(120, 40)) as pilot:
        if start == "review":
            await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review")
        else:
            await open_home(pilot)
            if start != "home":
                await burst(pilot, "s" if start == "stories" else "enter")
                kind = StoryBankScreen if start == "stories" else EntryView
                await wait_for(pilot, lambda: isinstance(app.screen, kind), start)
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        assert "^x" in "".join(str(w.render()) for w in footer.query("*")), start
        await burst(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys", Static).render())
        assert "^x  Crisis" in keys, keys
