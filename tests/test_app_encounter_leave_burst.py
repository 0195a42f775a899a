"""Keys typed right after esc belong to the screen the peer goes back to: `n`, a story, esc,
`n`, another story, in one burst, gives two encounters, each with its own story. The keys
after esc used to reach the first story's field before esc was handled there ("firstnsecond"),
and the second encounter never opened."""

from __future__ import annotations

from textual.widgets import TextArea

from encounter_helpers import SIZE, burst, home_ready, settle, wait_for
from reflect.screens.app import ReflectApp
from reflect.screens.encounter import EncounterScreen
from reflect.store import Journal


async def test_keys_typed_after_esc_reach_the_next_screen_in_order() -> None:
    app = ReflectApp(Journal(), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        await burst(pilot, "n", *"first", "escape", "n", *"second")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the second encounter")
        await settle(pilot)
        assert app.screen.query_one("#story", TextArea).text == "second"
        await pilot.press("escape")
        await settle(pilot)
    stories = sorted(d.entry.get("listen", {}).get("story") for d in Journal().drafts())
    assert stories == ["first", "second"]

