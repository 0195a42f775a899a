"""The next new encounter is built while the peer reads home, so `n` only mounts it: the
encounter opens on widgets built before `n`, with the When field at the time of `n`, and
keys typed right after `n` land in the story in order."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.widgets import Input, TextArea

from encounter_helpers import FROZEN, SIZE, burst, home_ready, settle, wait_for
from reflect.screens.app import ReflectApp
from reflect.screens.crisis import CrisisPanel
from reflect.screens.encounter import EncounterScreen
from reflect.screens.steps import show_when
from reflect.store import Journal


def clocked() -> tuple[ReflectApp, list[datetime]]:
    now = [FROZEN]
    return ReflectApp(Journal(), start="home", clock=lambda: now[0]), now


async def test_n_opens_the_encounter_built_ahead_with_the_time_of_n() -> None:
    app, now = clocked()
    async with app.run_test(size=SIZE) as pilot:
        home = await home_ready(pilot)
        await wait_for(pilot, lambda: home._next_encounter is not None, "the next encounter to be built")
        ahead = home._next_encounter
        now[0] = FROZEN + timedelta(hours=2, minutes=37)  # the peer read home for a while
        await burst(pilot, "n", *"kept in order")
        screen = app.screen
        assert screen is ahead and isinstance(screen, EncounterScreen) and screen.built_ahead
        assert screen.query_one("#story", TextArea).text == "kept in order"
        assert screen.query_one("#when", Input).value == show_when(now[0])
        await pilot.press("ctrl+s")
        await settle(pilot)
        [saved] = Journal().recent()
        assert saved.occurred == now[0] and saved.listen.story == "kept in order"
        # Home builds the next one again once it is back on top.
        await wait_for(pilot, lambda: home._next_encounter is not None, "the next encounter to be built again")
        assert home._next_encounter is not ahead


async def test_n_esc_n_and_ctrl_x_from_home() -> None:
    app, _now = clocked()
    async with app.run_test(size=SIZE) as pilot:
        home = await home_ready(pilot)
        await wait_for(pilot, lambda: home._next_encounter is not None, "the next encounter to be built")
        await burst(pilot, "n", *"first")
        await pilot.press("escape")
        await burst(pilot, "n", *"second")  # at once: this one is built at `n`
        second = app.screen
        assert isinstance(second, EncounterScreen) and not second.built_ahead
        assert second.query_one("#story", TextArea).text == "second"
        await pilot.press("escape")
        await wait_for(pilot, lambda: home._next_encounter is not None, "the next encounter to be built again")
        ahead = home._next_encounter
        await pilot.press("ctrl+x")
        assert isinstance(app.screen, CrisisPanel)
        assert app.screen_stack[-2] is ahead
        await settle(pilot)
    assert sorted(d.entry["listen"]["story"] for d in Journal().drafts()) == ["", "first", "second"]  # the crisis marks the third
