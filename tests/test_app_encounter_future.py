"""Saving an encounter dated in the future asks first (issue 8, item 13's app part): change
the date or save anyway, like the privacy prompt. Keys in bursts, with no pause between
ctrl+s and the answer."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input

from encounter_helpers import FROZEN, SIZE, burst, encounter, new_app, settle, wait_for
from reflect.screens.encounter import EncounterScreen
from reflect.screens.future_date import FutureDatePrompt
from reflect.store import Journal


async def _write_and_date(pilot, phrase: str) -> None:  # type: ignore[no-untyped-def]
    """A story typed, then When set to `phrase` (the story field has focus at the start)."""
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
    await burst(pilot, *"talked it through")
    await pilot.press("shift+tab", "shift+tab", "shift+tab", "shift+tab", "ctrl+a", "ctrl+k")
    await burst(pilot, *phrase)
    assert app.focused is encounter(pilot).query_one("#when", Input)


async def test_a_future_date_asks_and_save_anyway_saves_it() -> None:
    """Old code: ctrl+s saved the entry dated tomorrow without a word."""
    app = new_app()  # the clock is Fri 14 Mar 2025 10:30
    async with app.run_test(size=SIZE) as pilot:
        await _write_and_date(pilot, "tomorrow 10am")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, FutureDatePrompt)  # asked, before anything was saved
        assert Journal().recent() == []
        await pilot.press("a")
        await wait_for(pilot, lambda: not isinstance(app.screen, (FutureDatePrompt, EncounterScreen)), "leaving")
        await settle(pilot)
    [e] = Journal().recent()
    assert e.listen.story == "talked it through" and e.occurred > FROZEN + timedelta(hours=12)


async def test_change_the_date_goes_back_to_when_and_saves_nothing_until_then() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await _write_and_date(pilot, "tomorrow 10am")
        await pilot.press("ctrl+s", "d")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "back to the encounter")
        await settle(pilot)
        assert app.focused is encounter(pilot).query_one("#when", Input)
        assert Journal().recent() == []
        await pilot.press("ctrl+a", "ctrl+k")
        await burst(pilot, *"yesterday 3pm")
        await pilot.press("ctrl+s")  # a past date: saved, nothing asked
        await wait_for(pilot, lambda: not isinstance(app.screen, (FutureDatePrompt, EncounterScreen)), "leaving")
        await settle(pilot)
    [e] = Journal().recent()
    assert e.occurred < FROZEN


async def test_escape_goes_back_to_the_entry_unsaved() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await _write_and_date(pilot, "2025-03-20 09:00")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, FutureDatePrompt), "the future-date prompt")
        assert "in the future" in str(app.screen.query_one("#future-title").render())
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "back to the encounter")
        await settle(pilot)
    assert Journal().recent() == []


async def test_the_crisis_save_is_not_held_up_but_says_the_date_is_ahead() -> None:
    """Safety first: the crisis panel saves at once, then says When is after now."""
    from reflect.screens.crisis import CrisisPanel

    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await _write_and_date(pilot, "tomorrow 10am")
        await pilot.press("ctrl+x")
        await wait_for(pilot, lambda: isinstance(app.screen, CrisisPanel), "the crisis panel")
        await pilot.press("space", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "back to the encounter")
        await settle(pilot)
        said = [n.message for n in app._notifications]
    [e] = Journal().recent()
    assert e.flags.crisis and e.occurred > FROZEN + timedelta(hours=12)
    assert any("When is after now" in m for m in said), said
