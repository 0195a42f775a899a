"""The Growth screen, driven by keys typed without pauses at 80x24 (and 60x20): opened
from home and from the command palette, its content, NO_COLOR, and ctrl+x on it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual import events
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Static

from encounter_helpers import SIZE, home_ready, new_app, settle, wait_for
from growth_helpers import seed
from reflect.domain import cycle
from reflect.domain.growth import FRAMING
from reflect.domain.training_rules import shipped_pack
from reflect.screens.encounter import EncounterScreen
from reflect.screens.growth import SHADE_STYLES, SYMBOL_STYLES, GrowthScreen
from reflect.screens.home import HomeScreen
from reflect.store import Journal


PA_PEER = shipped_pack("pa-cps").requirements[0].label


async def burst(pilot: Pilot[object], *keys: str) -> None:
    """Every key queued at once, as a terminal delivers a fast typist's keys."""
    driver = pilot.app._driver
    assert driver is not None
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(pilot.app)
        driver.send_message(event)
    await pilot.pause()


def text_of(screen: GrowthScreen) -> str:
    return "\n".join(str(w.render()) for w in screen.query("#growth-body > Static"))


async def growth_shown(pilot: Pilot[object]) -> GrowthScreen:
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, GrowthScreen) and app.screen.view is not None, "the data")
    await pilot.pause()
    assert isinstance(app.screen, GrowthScreen)
    return app.screen


@pytest.fixture
def journal(db_path: Path) -> Journal:
    return seed(Journal(db_path))


async def test_p_on_home_opens_growth_with_every_part(journal: Journal) -> None:
    app = new_app(Journal(journal.path), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        await burst(pilot, "p")
        screen = await growth_shown(pilot)
        text = text_of(screen)
        lines = text.splitlines()
        # The heatmap: the last twelve months up to the clock's (14 March 2025), category II
        # exercised in every encounter of every month; the All row counts them.
        assert "Competencies exercised by month, Apr 2024 to Mar 2025" in text
        row = next(ln for ln in lines if ln.startswith("II "))
        every = next(ln for ln in lines if ln.startswith("All "))
        assert re.findall(r"\d+", row[5:]) == every.split()[1:] and len(every.split()) == 13
        assert row[5:9] == "█  8" and row.endswith("▒  3")  # the peak shaded full; 3 of 9: a half
        # Ratings side by side, with the framing; training bars against pa-cps; open goals.
        assert FRAMING in text and "superv." in text and "01 Sep" in text
        assert "pa-cps: cycle 15 Jan 2024 to 14 Jan 2026, 306 days left" in text
        assert "Ethics" in text and "3/3 h met" in text and "13.5/36 h" in text
        assert "Ask before I share (III, due 01 Jun 2025)" in text and "last check-in 05 Jan 2025" in text
        assert "Co-lead a group" not in text  # met: not an open goal
        await burst(pilot, "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home again")


async def test_heatmap_counts_are_the_entries_of_each_month(journal: Journal) -> None:
    """The counts come from the kept tallies; a new entry in this month changes them."""
    from datetime import timedelta

    from growth_helpers import NOW
    from reflect.domain.model import Entry

    Journal(journal.path).save(Entry(occurred=NOW - timedelta(hours=1), competencies=["VII"]))
    app = new_app(Journal(journal.path), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        await burst(pilot, "p")
        screen = await growth_shown(pilot)
        assert screen.view is not None
        vii = next(r for r in screen.view.heatmap.rows if r.key == "VII")
        docs = list(Journal(journal.path).entry_dicts())
        want = [sum(1 for d in docs if d["occurred"][:7] == m and "VII" in d["competencies"])
                for m in screen.view.heatmap.months]  # fmt: skip
        assert list(vii.counts) == want and want[-1] >= 1


async def test_the_command_palette_opens_growth(journal: Journal) -> None:
    app = new_app(Journal(journal.path), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        await pilot.press("ctrl+p", *"Growth")
        await wait_for(pilot, lambda: "Growth" in str(app.screen.query("*").last().render()) or True, "the palette")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await growth_shown(pilot)


async def test_ctrl_x_on_growth_opens_the_crisis_panel(journal: Journal) -> None:
    app = new_app(Journal(journal.path), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        await burst(pilot, "p", "ctrl+x", "space", "down", "down", "space", "ctrl+s")
        await settle(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the crisis encounter")
        assert isinstance(app.screen_stack[-2], GrowthScreen)
        await settle(pilot)
    marked = [e for e in Journal(journal.path).recent(500) if e.flags.crisis and e.crisis is not None]
    assert [e.crisis.actions for e in marked if e.crisis] == [["emergency-services", "warm-handoff"]]


async def test_no_color_reads_by_symbols_and_numbers(journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = new_app(Journal(journal.path), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        await burst(pilot, "p")
        screen = await growth_shown(pilot)
        svg = app.export_screenshot()
        bars = str(screen.query_one("#growth-training", Static).render())
    colours = [c for style in SHADE_STYLES + SYMBOL_STYLES for c in re.findall(r"on #([0-9a-f]{6})", style)]
    assert len(colours) == 8
    assert not any(c in svg for c in colours)  # no shading colour on screen
    assert "█" in svg and "░" in svg and "&#160;&#160;9" in svg  # the shade symbols and the counts
    assert "████░░░░" in bars and "13.5/36 h" in bars  # bars: filled and empty blocks, and the hours


async def test_at_60x20_nothing_is_cut(journal: Journal) -> None:
    app = new_app(Journal(journal.path), start="home")
    async with app.run_test(size=(60, 20)) as pilot:
        await home_ready(pilot)
        await burst(pilot, "p")
        screen = await growth_shown(pilot)
        body = screen.query_one("#growth-body", VerticalScroll)
        assert body.max_scroll_x == 0  # every line fits the width
        grid = screen.query_one("#growth-heatmap", Static)
        rows = [ln for ln in str(grid.render()).splitlines() if ln[:5].strip() in ("", "All", *cycle.COMPETENCY_KEYS)]
        assert len(rows) == 14 and all(len(ln) <= grid.size.width for ln in rows)  # month names, I..XII, All
        table = screen.query_one("#growth-ratings", Static)
        rows = [ln for ln in str(table.render()).splitlines() if ln[:5].strip() in ("", *cycle.COMPETENCY_KEYS)]
        assert len(rows) == 14 and all(len(ln) <= table.size.width for ln in rows)
        bars = str(screen.query_one("#growth-training", Static).render())
        assert all(len(ln) <= 56 for ln in bars.splitlines())  # every bar's line whole, the names too:
        assert PA_PEER in bars.splitlines()
        await burst(pilot, "end")
        await wait_for(pilot, lambda: body.scroll_y == body.max_scroll_y > 0, "the end of the screen")
        await pilot.pause()
        shown = app.export_screenshot()
        assert "Promotes growth and development" in shown.replace("&#160;", " ")


def test_growth_snapshot(snap_compare, journal: Journal) -> None:  # type: ignore[no-untyped-def]
    async def open_growth(pilot: Pilot[object]) -> None:
        await home_ready(pilot)
        await pilot.press("p")
        await growth_shown(pilot)

    assert snap_compare(new_app(Journal(journal.path), start="home"), terminal_size=SIZE, run_before=open_growth)


def test_growth_snapshot_scrolled(snap_compare, journal: Journal) -> None:  # type: ignore[no-untyped-def]
    async def open_growth(pilot: Pilot[object]) -> None:
        await home_ready(pilot)
        await pilot.press("p")
        await growth_shown(pilot)
        await pilot.press("pagedown")
        await pilot.pause()

    assert snap_compare(new_app(Journal(journal.path), start="home"), terminal_size=SIZE, run_before=open_growth)

