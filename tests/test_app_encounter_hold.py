"""Holding back is a recorded outcome with its own questions (issue 9 item 9): Select
hides the story part, purposes and the six checks and asks why; Share drops "how I
shared it" and "how it landed" and asks what the person did next. Keys in bursts."""

from __future__ import annotations

from textual.widgets import Label

from encounter_helpers import SIZE, burst, encounter, new_app, settle, wait_for
from reflect.domain.model import Entry
from reflect.screens.encounter import EncounterScreen
from reflect.screens.entry_view import render_entry
from reflect.store import Journal

HIDDEN_ON_HOLD = ("story-choice", "part", "purposes", "check-their_need", "check-settled", "how", "response")


async def test_holding_back_asks_why_and_what_happened_next() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        screen = encounter(pilot)
        await burst(pilot, *"They wanted to be heard", "ctrl+n", "ctrl+n")
        await settle(pilot)
        assert not screen.query_one("#held_back_because").display  # undecided: not asked
        await burst(pilot, "up", "enter")
        await settle(pilot)
        for wid in HIDDEN_ON_HOLD[:-2]:
            assert not screen.query_one(f"#{wid}").display, wid
        assert not screen.query_one("#heading-select-checks").display
        assert screen.query_one("#held_back_because").display
        await burst(pilot, "tab", *"too raw for me today", "ctrl+n", *"called their sister")
        await settle(pilot)
        for wid in HIDDEN_ON_HOLD[-2:]:  # on Share, built when first shown
            assert not screen.query_one(f"#{wid}").display, wid
        label = str(screen.query_one("#label-next_steps", Label).render())
        assert "did next" in label
        await burst(pilot, "ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, EncounterScreen), "the save")
        await settle(pilot)
    [e] = Journal().recent()
    assert e.select.decision == "hold"
    assert e.select.held_back_because == "too raw for me today"
    assert e.share.next_steps == "called their sister"
    assert e.share.how == "" and e.select.part == ""
    assert "Why I held back: too raw for me today" in render_entry(e, e.occurred).plain


async def test_changing_back_to_share_shows_the_sharing_fields_again() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        screen = encounter(pilot)
        # hold, then share, then on to Share (built when first shown)
        await burst(pilot, "ctrl+n", "ctrl+n", "up", "enter", "up", "enter", "ctrl+n")
        await settle(pilot)
        for wid in HIDDEN_ON_HOLD:
            assert screen.query_one(f"#{wid}").display, wid
        assert not screen.query_one("#held_back_because").display


def test_an_old_entry_reads_with_no_reason_to_hold_back() -> None:
    old = {"occurred": "2025-03-14T15:00:00+00:00", "select": {"decision": "hold"}}
    assert Entry.from_dict(old).select.held_back_because == ""
