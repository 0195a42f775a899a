"""Wrap-up: one way to move and tick across the page (issue 9 item 6). Typing while a
flag has focus never ticks it; the letters go to the next text field; up and down move
between flags as they move in the lists; only space and enter tick. Keys without pauses."""

from __future__ import annotations

from textual.widgets import Checkbox

from encounter_helpers import SIZE, burst, encounter, new_app, settle, wait_for
from reflect.domain import cycle
from reflect.screens.encounter import EncounterScreen
from reflect.store import Journal


async def test_typing_on_a_flag_ticks_nothing_and_reaches_the_tags() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = encounter(pilot)
        await pilot.press(*"We met", "ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n", "down", "down")
        assert app.focused is screen.query_one("#flag-discuss", Checkbox)
        await burst(pilot, *"housing, outreach")
        await pilot.pause()
        assert not any(screen.query_one(f"#flag-{f}", Checkbox).value for f in cycle.FLAGS)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, EncounterScreen), "the save")
        await settle(pilot)
    [e] = Journal().recent()
    assert e.tags == ["housing", "outreach"]
    assert not any(e.flags.to_dict().values())


async def test_arrows_move_between_flags_and_space_ticks() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"We met", "ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n", "down", "space", "down", "down", "enter", "up", "up")
        await pilot.press("down", "down", "down", "space")  # boundary -> discuss -> self-care -> celebrate
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, EncounterScreen), "the save")
        await settle(pilot)
    [e] = Journal().recent()
    assert (e.flags.boundary, e.flags.self_care, e.flags.celebrate) == (True, True, True)
    assert (e.flags.crisis, e.flags.discuss) == (False, False)
