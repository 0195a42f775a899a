"""An empty encounter is refused, not saved as "(no text)" (issue 9 item 7): ctrl+s
says what is missing and saves nothing; once something is written it saves."""

from __future__ import annotations

from datetime import timedelta

from encounter_helpers import FROZEN, SIZE, burst, new_app, settle, wait_for
from reflect.domain.model import Entry
from reflect.screens.encounter import EncounterScreen
from reflect.store import Journal


async def test_an_empty_encounter_saves_nothing_and_says_why() -> None:
    journal = Journal()
    journal.import_records([Entry(occurred=FROZEN - timedelta(days=i), person=f"P{i}") for i in range(300)])
    app = new_app(journal)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        screen = app.screen
        await burst(pilot, "ctrl+s")
        await burst(pilot, *"JD", "backspace", "backspace", "ctrl+s")  # typed, then removed: still empty
        await settle(pilot)
        assert app.screen is screen
        assert any("Nothing to save" in n.message for n in app._notifications)
        assert Journal().count() == 300
        await burst(pilot, *"They came by", "ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, EncounterScreen), "the save")
        await settle(pilot)
    assert Journal().count() == 301
