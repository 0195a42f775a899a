"""Dates people type in When (issue 9 item 14, the encounter part): the hint shows the
date a phrase resolved to, every phrase the form suggests works, and a time in the
future (tomorrow 10am) gets a word. Keys in bursts."""

from __future__ import annotations

import re

from textual.widgets import Input, Static

from encounter_helpers import FROZEN, SIZE, burst, encounter, new_app, wait_for
from reflect.domain.fields import FormItem
from reflect.screens.encounter import EncounterScreen
from reflect.screens.steps import FORM, parse_when, when_problem


async def _when(pilot, phrase: str) -> str:  # type: ignore[no-untyped-def]
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
    screen = encounter(pilot)
    # Editing keys are bindings, resolved after the key has bubbled to the app: press them
    # one at a time, then type the phrase as a burst.
    await pilot.press("shift+tab", "shift+tab", "shift+tab", "shift+tab", "ctrl+a", "ctrl+k")
    await burst(pilot, *phrase)
    await pilot.pause()
    assert app.focused is screen.query_one("#when", Input)
    return str(screen.query_one("#when-hint", Static).render())


async def test_the_hint_shows_the_date_a_phrase_resolved_to() -> None:
    app = new_app()  # the clock is Fri 14 Mar 2025 10:30
    async with app.run_test(size=SIZE) as pilot:
        hint = await _when(pilot, "yesterday 3pm")
    assert hint == "→ Thu 13 Mar 15:00"


async def test_an_encounter_time_in_the_future_gets_a_word() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        hint = await _when(pilot, "tomorrow 10am")
        assert "→ Sat 15 Mar 10:00" in hint and "future" in hint
        assert encounter(pilot).query_one("#when-hint").has_class("-warning")


def _suggested(text: str) -> list[str]:
    """The phrases a placeholder or a problem line suggests ("try yesterday 3pm, 2 hours ago")."""
    text = text.split("try ", 1)[1] if "try " in text else text
    return [p.strip(" .") for p in re.split(r",| or ", text) if p.strip(" .")]


def test_every_phrase_the_form_suggests_for_when_can_be_read() -> None:
    item: FormItem = next(i for i in FORM["context"] if i.id == "when")
    phrases = _suggested(item.placeholder) + _suggested(when_problem("")) + _suggested(when_problem("the flood"))
    assert {"now", "yesterday 3pm", "2 hours ago", "2025-03-14 15:00"} <= set(phrases), phrases
    for phrase in phrases:
        parse_when(phrase, now=FROZEN)  # raises DateError for a suggestion that does not work
