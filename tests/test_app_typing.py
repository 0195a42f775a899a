"""Typing at full speed: keys pressed before the encounter is ready, and right after Tab,
reach the field that will have focus, in order, never another (issue 9 item 2).

Keys are sent as one burst (all queued before the app handles the first), on a journal
of 300 entries, and the stored entry is read
back through a fresh Journal."""

from __future__ import annotations

from datetime import timedelta

import pytest

from encounter_helpers import FROZEN, SIZE, burst, new_app, settle, wait_for
from reflect.domain.model import Entry
from reflect.screens.encounter import EncounterScreen
from reflect.store import Journal

STORY = "he wants to quit his job"


@pytest.fixture
def journal() -> Journal:
    j = Journal()
    entries = []
    for i in range(300):
        e = Entry(occurred=FROZEN - timedelta(hours=i), person=f"P{i}")
        e.listen.story = f"an earlier encounter {i}"
        entries.append(e)
    j.import_records(entries)
    return j


async def _saved(pilot) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    await wait_for(pilot, lambda: not isinstance(app.screen, EncounterScreen), "the save")
    await settle(pilot)


def _newest() -> Entry:
    [e] = [e for e in Journal().recent(400) if not e.listen.story.startswith("an earlier")]
    return e


async def test_typing_right_after_n_goes_into_the_story(journal: Journal) -> None:
    app = new_app(journal, start="home")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await burst(pilot, "n", *STORY, "ctrl+s")
        await _saved(pilot)
    e = _newest()
    assert e.listen.story == STORY
    assert e.occurred == FROZEN  # When was not typed into


async def test_typing_as_reflect_new_starts_goes_into_the_story(journal: Journal) -> None:
    app = new_app(journal, start="new")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, *STORY, "ctrl+s")
        await _saved(pilot)
    e = _newest()
    assert e.listen.story == STORY and e.occurred == FROZEN


async def test_text_typed_right_after_tab_lands_in_the_next_field(journal: Journal) -> None:
    app = new_app(journal, start="new")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        await burst(
            pilot, *"first second", "tab", *"second field", "tab", *"work, hope",
            "shift+tab", "shift+tab", "shift+tab", *"12", "shift+tab", "shift+tab", *"JD",
            "ctrl+n", *"mine too", "tab", *"stirred", "ctrl+s",
        )  # fmt: skip
        await _saved(pilot)
    e = _newest()
    assert e.listen.story == "first second"
    assert e.listen.matters == "second field"
    assert e.listen.themes == ["work", "hope"]
    assert (e.minutes, e.person) == (12, "JD")
    assert (e.reflect.experience, e.reflect.feelings) == ("mine too", "stirred")
