"""Saving text that holds two kinds of identifier in one field: the privacy prompt lists
each and the entry saves (it used to exit the app with DuplicateID), from a new
encounter, after the crisis panel's save, and when editing an imported entry."""

from __future__ import annotations

from encounter_helpers import FROZEN, SIZE, new_app, settle, type_text, wait_for
from reflect.domain.model import Entry
from reflect.screens.crisis import CrisisPanel
from reflect.screens.encounter import EncounterScreen
from reflect.screens.privacy import PrivacyPrompt
from reflect.store import Journal

TWO_KINDS = "T gave me 555-867-5309 and t@example.com"


async def _save_anyway(pilot) -> None:  # type: ignore[no-untyped-def]
    """ctrl+s, then the prompt lists both findings in the story; `a` saves."""
    app = pilot.app
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.screen, PrivacyPrompt), "the privacy prompt")
    rows = [str(app.screen.query_one("OptionList").get_option_at_index(i).prompt) for i in range(2)]
    assert "phone number" in rows[0] + rows[1] and "email" in rows[0] + rows[1]
    await pilot.press("a")
    await wait_for(pilot, lambda: not isinstance(app.screen, (PrivacyPrompt, EncounterScreen)), "leaving")
    await settle(pilot)


async def test_a_new_encounter_with_a_phone_and_an_email_saves() -> None:
    app = new_app(start="home")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        await type_text(pilot, TWO_KINDS)
        await _save_anyway(pilot)
    [e] = Journal().recent()
    assert e.listen.story == TWO_KINDS


async def test_saving_again_after_the_crisis_panel_saved() -> None:
    app = new_app(start="home")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        await type_text(pilot, TWO_KINDS)
        await pilot.press("ctrl+x")
        await wait_for(pilot, lambda: isinstance(app.screen, CrisisPanel), "the crisis panel")
        await pilot.press("space", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "back to the encounter")
        await settle(pilot)
        await _save_anyway(pilot)
    [e] = Journal().recent()
    assert e.listen.story == TWO_KINDS and e.flags.crisis and e.crisis is not None
    assert e.crisis.actions == ["emergency-services"]


async def test_editing_an_imported_entry_with_a_phone_and_an_email_saves() -> None:
    entry = Entry(occurred=FROZEN, person="T")
    entry.listen.story = TWO_KINDS
    Journal().import_records([entry])
    app = new_app(start="home")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        await type_text(pilot, " (imported)")
        await _save_anyway(pilot)
    [e] = Journal().recent()
    assert e.id == entry.id and e.listen.story == TWO_KINDS + " (imported)"
