"""Crisis comes first: one key from any step, the lines from settings, what was done, saved at once."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Checkbox, Input, SelectionList, Static

from encounter_helpers import FROZEN, SIZE, encounter, new_app, settle, type_text
from reflect.domain import cycle
from reflect.domain.settings import CrisisLine, Settings
from reflect.screens.crisis import CrisisPanel
from reflect.store import Journal


async def test_crisis_marked_on_listen_saves_the_entry_with_its_actions() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = encounter(pilot)
        await type_text(pilot, "They said they had a plan to end it.")
        await pilot.press("ctrl+x")
        await pilot.pause()
        panel = app.screen
        assert isinstance(panel, CrisisPanel)
        assert app.focused is panel.query_one("#crisis-actions", SelectionList)
        await pilot.press("space", "down", "down", "space", "down", "space")  # emergency, handoff, supervisor
        await pilot.pause()
        told = panel.query_one("#told-at", Input)
        assert told.value == "now"  # filled in visibly when "supervisor notified" is ticked
        await pilot.press("tab")
        assert app.focused is told
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "10 minutes ago")
        await pilot.press("tab")
        await type_text(pilot, "Stayed with them until the team arrived.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # The screen stays open so the reflection can be finished now or later.
        assert app.screen is screen
        await screen.action_goto("wrapup")  # built when first shown, ticked as ctrl+x marked it
        assert screen.query_one("#flag-crisis", Checkbox).value is True
        assert "saved" in str(screen.query_one("#status", Static).render())
        [e] = Journal().recent()
        assert e.flags.crisis is True
        assert e.listen.story == "They said they had a plan to end it."
        assert e.crisis is not None
        assert e.crisis.actions == ["emergency-services", "warm-handoff", "supervisor-notified"]
        assert e.crisis.supervisor_notified_at == FROZEN - timedelta(minutes=10)
        assert e.crisis.notes == "Stayed with them until the team arrived."
        assert Journal().drafts() == []
        # Finishing the reflection later saves the same entry again, not a second one.
        await screen.action_goto("listen")
        await pilot.press("ctrl+n")
        await type_text(pilot, "Shaken, and glad I called.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, type(screen))
    [again] = Journal().recent()
    assert again.id == e.id
    assert again.reflect.experience == "Shaken, and glad I called."
    assert again.crisis is not None and again.crisis.actions == e.crisis.actions
    assert Journal().drafts() == []


async def test_crisis_key_works_from_every_step_and_escape_always_closes() -> None:
    journal = Journal()
    journal.save_settings(Settings(crisis_lines=[CrisisLine("Samaritans", "call 116 123")]))
    app = new_app(journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = encounter(pilot)
        for step in range(5):
            await pilot.press("ctrl+x")
            await pilot.pause()
            panel = app.screen
            assert isinstance(panel, CrisisPanel), f"step {step}"
            text = " ".join(str(s.render()) for s in panel.query(Static))
            assert "Samaritans" in text and "call 116 123" in text
            assert cycle.CRISIS_GUIDANCE in text
            assert "988" not in text  # the configured lines replace the defaults
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen
            await pilot.press("ctrl+n")
        # Closing the panel keeps the crisis marked, saves nothing, and the peer can still leave.
        await screen.action_goto("wrapup")  # built when first shown, ticked as ctrl+x marked it
        assert screen.query_one("#flag-crisis", Checkbox).value is True
        assert journal.count() == 0
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, type(screen))
    [draft] = journal.drafts()
    assert draft.entry["flags"]["crisis"] is True


async def test_crisis_key_works_while_typing_in_a_field() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = encounter(pilot)
        screen.query_one("#person", Input).focus()
        await type_text(pilot, "AB")
        await pilot.press("ctrl+x")
        await pilot.pause()
        assert isinstance(app.screen, CrisisPanel)
        await pilot.click("#crisis-save")
        await settle(pilot)
        assert app.screen is screen
    [e] = Journal().recent()
    assert e.person == "AB" and e.flags.crisis and e.crisis is not None and e.crisis.actions == []


async def test_unreadable_supervisor_time_is_pointed_out_not_guessed() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = encounter(pilot)
        await pilot.press("ctrl+x")
        await pilot.pause()
        panel = app.screen
        assert isinstance(panel, CrisisPanel)
        panel.query_one("#told-at", Input).focus()
        await type_text(pilot, "when the moon rose")
        await pilot.pause()
        assert "✗" in str(panel.query_one("#told-hint", Static).render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is panel
        assert Journal().count() == 0
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen  # back on the form, nothing saved
        await screen.action_goto("wrapup")  # built when first shown, ticked as ctrl+x marked it
        assert screen.query_one("#flag-crisis", Checkbox).value is True
