"""At 60x20 every field can be reached and is seen when it has focus (issue 9, item 15):
Tab through each page of the encounter, the crisis panel and home, and the focused widget
is on screen, inside what its container shows. Keys in bursts, a 300-entry journal."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from textual.app import App
from textual.geometry import Region

from encounter_helpers import burst, encounter, home_ready, settle, wait_for
from reflect.domain.model import Entry, Listen
from reflect.screens.app import ReflectApp
from reflect.screens.crisis import CrisisPanel
from reflect.screens.encounter import EncounterScreen
from reflect.screens.home import EntryList
from reflect.screens.steps import PAGES
from reflect.store import Journal

NARROW = (60, 20)
NOW = datetime(2024, 5, 15, 9, 0, tzinfo=timezone.utc)


def frozen() -> datetime:
    return NOW


@pytest.fixture
def journal() -> Journal:
    j = Journal()
    j.import_records([Entry(occurred=NOW - timedelta(hours=i), person=f"P{i}", listen=Listen(story=f"story {i}"))
                      for i in range(300)])  # fmt: skip
    return j


def assert_focused_in_view(app: App[object], where: str) -> None:
    widget = app.focused
    assert widget is not None, where
    geometry = app.screen.find_widget(widget)
    screen = Region(0, 0, *NARROW)
    shown = geometry.region.intersection(geometry.clip).intersection(screen)
    assert shown.area > 0, f"{where}: {widget!r} is off screen"
    if geometry.region.height <= geometry.clip.height:
        assert shown == geometry.region, f"{where}: {widget!r} is cut ({shown} of {geometry.region})"


async def tab_through(pilot, where: str, count: int) -> None:  # type: ignore[no-untyped-def]
    seen = []
    for _ in range(count):
        await burst(pilot, "tab")
        await settle(pilot)
        assert_focused_in_view(pilot.app, where)
        if pilot.app.focused in seen:
            break  # round once
        seen.append(pilot.app.focused)


async def test_every_encounter_field_is_seen_when_focused_at_60x20(journal: Journal) -> None:
    app = ReflectApp(journal, clock=frozen)
    async with app.run_test(size=NARROW) as pilot:
        await home_ready(pilot)
        await tab_through(pilot, "home", 3)
        app.screen.query_one(EntryList).focus()  # n in the search line is typed
        await settle(pilot)
        await burst(pilot, "n")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        screen = encounter(pilot)
        for page in PAGES:
            await screen.action_goto(page)
            await settle(pilot)
            assert_focused_in_view(app, page)
            await tab_through(pilot, page, 40)
        await burst(pilot, "ctrl+x")
        await wait_for(pilot, lambda: isinstance(app.screen, CrisisPanel), "the crisis panel")
        await settle(pilot)
        assert_focused_in_view(app, "crisis panel")
        await tab_through(pilot, "crisis panel", 8)


async def test_the_context_row_shows_every_field_at_60x20(journal: Journal) -> None:
    app = ReflectApp(journal, start="new", clock=frozen)
    async with app.run_test(size=NARROW) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        await settle(pilot)
        screen = encounter(pilot)
        for wid in ("when", "person", "setting", "minutes"):
            region = screen.query_one(f"#{wid}").region
            assert Region(0, 0, *NARROW).contains_region(region), (wid, region)


async def test_the_crisis_key_shows_in_home_s_footer_at_60x20(journal: Journal) -> None:
    from reflect.screens.footer import Footer

    app = ReflectApp(journal, clock=frozen)
    async with app.run_test(size=NARROW) as pilot:
        home = await home_ready(pilot)
        await settle(pilot)
        footer = home.query_one(Footer)
        crisis = [k for k in footer.children if "Crisis" in str(k.render())]
        assert crisis, "no crisis key in the footer"
        geometry = home.find_widget(crisis[0])
        assert Region(0, 0, *NARROW).contains_region(geometry.region.intersection(geometry.clip))
        assert geometry.region.intersection(geometry.clip) == geometry.region  # whole, not cut


async def _crisis_key_in_view(screen: object) -> bool:
    from reflect.screens.footer import Footer

    footer = screen.query_one(Footer)  # type: ignore[attr-defined]
    crisis = [k for k in footer.children if "Crisis" in str(k.render())]
    if not crisis:
        return False
    geometry = screen.find_widget(crisis[0])  # type: ignore[attr-defined]
    seen = geometry.region.intersection(geometry.clip)
    return Region(0, 0, *NARROW).contains_region(seen) and seen == geometry.region


async def test_the_crisis_key_shows_whole_in_every_screen_s_footer_at_60x20(journal: Journal) -> None:
    """Safety first: at 60 columns the review's own keys filled its footer and pushed
    `^x Crisis` off the edge (the key worked, but nothing on screen said so). Narrow, the
    crisis key leads every footer."""
    app = ReflectApp(journal, clock=frozen)
    async with app.run_test(size=NARROW) as pilot:
        await home_ready(pilot)
        await settle(pilot)
        assert await _crisis_key_in_view(app.screen), "home"
        await pilot.press("r")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReviewScreen", "the review")
        await settle(pilot)
        assert await _crisis_key_in_view(app.screen), "review"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        await settle(pilot)
        assert await _crisis_key_in_view(app.screen), "encounter"
