"""Keys people use to get about: q leaves where nothing is typed, help lists each key once,
the light theme's draft colour reads, and a date error stays on its line (issue 9, item 15)."""

from __future__ import annotations

from functools import partial

from collections.abc import Callable

import pytest
from textual.color import Color
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Static

from encounter_helpers import SIZE, new_app, settle
from reflect.screens.encounter import EncounterScreen
from reflect.screens.help import HelpScreen
from reflect.screens.home import EntryList, HomeScreen
from reflect.screens.stories import StoryBankScreen
from reflect.store import Journal
from encounter_helpers import wait_for as shared_wait_for


wait_for = partial(shared_wait_for, seconds=30.0)


def help_rows(pilot: Pilot[object]) -> list[str]:
    screen = pilot.app.screen
    assert isinstance(screen, HelpScreen)
    return [line.split()[0] for line in str(screen.query_one("#help-keys", Static).render()).splitlines() if line.strip()]


async def test_q_on_the_story_bank_goes_back_home() -> None:
    """Failed before: q did nothing on the story bank (only escape went back)."""
    app = new_app(start="home")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.ready, "home")
        await pilot.press("s", "q")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.is_running  # q went back; it did not quit


async def test_help_on_the_encounter_lists_tab_once() -> None:
    """Failed before: "tab" (the binding) and "tab / shift+tab" (the screen's own line)."""
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        await pilot.press("f1")
        await settle(pilot)
        rows = help_rows(pilot)
        assert rows.count("tab") == 1 and rows.count("shift+tab") == 1, rows


async def test_ctrl_q_right_after_typing_in_an_encounter_keeps_the_text_as_a_draft() -> None:
    """Failed before: the draft was written as the fields were taken down, so it missed
    (or lost entirely) the text typed just before ctrl+q."""
    from test_app_crisis_anywhere import burst

    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        await pilot.pause()
        await burst(pilot, *"Lost", "ctrl+q")
    [draft] = Journal().drafts()
    assert draft.entry["listen"]["story"] == "Lost"


async def test_an_unreadable_date_stays_on_its_line_beside_the_status() -> None:
    """Failed before: the error wrapped onto a second line the row has no room for."""
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        screen = app.screen
        screen.query_one("#when").focus()
        await pilot.press("ctrl+a", "ctrl+k", *"the third blue moon of the never year after next")
        await settle(pilot)
        hint = screen.query_one("#when-hint", Static)
        status = screen.query_one("#status", Static)
        lines = hint.render_lines(hint.region.reset_offset)
        assert len(lines) == 1 and lines[0].text.rstrip().endswith("…"), [line.text for line in lines]
        assert not hint.region.overlaps(status.region)


async def test_draft_rows_read_in_the_light_theme() -> None:
    """Failed before: textual-light's orange $warning on its light grey was 1.5:1."""
    app = new_app(start="home")
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "textual-light"
        await pilot.pause()
        variables = app.theme_variables
        warning = Color.parse(variables["warning"])
        for name in ("background", "surface", "panel"):
            ground = Color.parse(variables[name])
            assert _contrast(warning, ground) >= 4.5, (name, variables["warning"], variables[name])
        # The highlighted row too: a light band, not the dark blue block (dark amber on it).
        entries = app.screen.query_one(EntryList)
        band = entries.get_component_styles("option-list--option-highlighted").background
        under = Color.parse(variables["surface"])
        assert _contrast(warning, under + band) >= 4.4, (band, under + band)


def _contrast(a: Color, b: Color) -> float:
    """The WCAG contrast ratio of two colours (4.5 is the floor for text)."""

    def lum(c: Color) -> float:
        def ch(v: int) -> float:
            x = v / 255
            return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

        r, g, bl = c.rgb
        return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(bl)

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


async def test_text_boxes_grow_with_the_terminal() -> None:
    """Failed before: at 120x40 the boxes kept the 5 and 7 lines sized for 80x24."""
    heights = {}
    for size in (SIZE, (120, 40)):
        app = new_app()
        async with app.run_test(size=size) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
            await settle(pilot)
            screen = app.screen
            heights[size] = (screen.query_one("#story").outer_size.height, screen.query_one("#matters").outer_size.height)
    assert heights[SIZE] == (7, 5)  # 80x24 as before
    assert heights[(120, 40)] == (11, 8)  # 28% and 20% of the height


def assert_hanging_indent(keys: Static) -> None:
    """Each line of the help's keys: a key, then its text two columns on; or a wrapped line
    indented to that text column (never under the keys)."""
    shown = [strip.text.rstrip() for strip in keys.render_lines(Region(0, 0, keys.size.width, keys.size.height))]
    first = shown[0]
    width = first.index("  ", len(first) - len(first.lstrip()))  # the key column's right edge
    wrapped = 0
    for line in shown:
        if line[:width].strip():
            assert line[width : width + 2] == "  ", line
        else:
            assert line[: width + 2].strip() == "" and line.strip(), line
            wrapped += 1
    assert wrapped  # some text is long enough to wrap, at either size


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_help_keeps_the_indent_of_wrapped_lines(size: tuple[int, int]) -> None:
    """Failed before at 60 columns: help wrapped its text to a 50-column column by hand, the
    box was narrower, and Textual wrapped those lines again from the left edge, under the keys."""
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        await pilot.press("f1")
        await settle(pilot)
        assert_hanging_indent(app.screen.query_one("#help-keys", Static))


async def test_help_wraps_again_when_the_terminal_narrows() -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        await pilot.press("f1")
        await settle(pilot)
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert_hanging_indent(app.screen.query_one("#help-keys", Static))
