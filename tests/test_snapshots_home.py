"""Snapshots at 80x24 with a frozen clock: home (with drafts), search, entry view, help, story bank.

Regenerate after a deliberate change with `pytest tests/test_snapshots_home.py --snapshot-update`
and look at the SVGs in tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from reflect.screens.app import ReflectApp
from reflect.domain.model import Draft, Entry, Flags, Listen, Reflect, Select, Share, Story
from reflect.screens.entry_view import EntryView
from reflect.screens.home import HomeScreen
from reflect.screens.stories import StoryBankScreen
from reflect.store import Journal

NOW = datetime(2024, 5, 15, 9, 0, tzinfo=timezone.utc)
SIZE = (80, 24)
PEOPLE = ["AB", "J.", "River", "M", "Sam", "K.T."]
TOPICS = ["housing", "her sister", "getting back to work", "a bad week", "the group", "sleep"]


def frozen() -> datetime:
    return NOW


@pytest.fixture
def journal(monkeypatch: pytest.MonkeyPatch) -> Journal:
    """A seeded journal whose every timestamp is fixed, so the pictures never drift."""
    monkeypatch.setattr("reflect.store.journal.now", frozen)
    j = Journal()
    story = Story(id="story-1", title="First year sober", themes=["hope", "relapse"], created=NOW)
    j.save_story(story)
    j.save_story(Story(id="story-2", title="Losing my job", themes=["work"], created=NOW, retired=True))
    entries = []
    for i in range(40):
        entries.append(Entry(
            id=f"entry-{i:03d}",
            occurred=NOW - timedelta(hours=9 + 31 * i),
            recorded=NOW, updated=NOW, peer="sam",
            person=PEOPLE[i % 6],
            setting=["one-to-one", "group", "phone", "text-or-chat", "outreach"][i % 5],
            listen=Listen(story=f"Talked about {TOPICS[i % 6]} and what might help next"),
            reflect=Reflect(experience="My own first winter in recovery"),
            select=Select(decision="share", story_id=story.id) if i % 4 == 0 else Select(),
            share=Share(response=["engaged", "neutral"][i % 2]) if i % 4 == 0 else Share(),
            flags=Flags(crisis=i % 11 == 0, boundary=i % 13 == 5, discuss=i % 3 == 0,
                        self_care=i % 5 == 1, celebrate=i % 7 == 2),
            visibility="private" if i % 9 == 4 else "shared",
            tags=["group"] if i % 5 == 1 else [],
        ))
    j.import_records(entries)
    j.save_draft(Draft(id="draft-1", entry={"person": "Q", "listen": {"story": "She said the new flat is cold and the landlord won't answer"}}))
    return j


async def home_ready(pilot) -> None:
    home = pilot.app.screen_stack[0]
    assert isinstance(home, HomeScreen)
    for _ in range(500):
        if home.ready and home.glance_ready:
            break
        await pilot.pause(0.01)
    await pilot.pause()


def test_home(snap_compare, journal):
    assert snap_compare(ReflectApp(journal=journal, clock=frozen), terminal_size=SIZE, run_before=home_ready)


def test_home_empty(snap_compare):
    assert snap_compare(ReflectApp(journal=Journal(), clock=frozen), terminal_size=SIZE, run_before=home_ready)


def test_home_search(snap_compare, journal):
    async def search(pilot) -> None:
        await home_ready(pilot)
        await pilot.press("slash", *"flag:discuss tag:group", "enter")
        home = pilot.app.screen_stack[0]
        for _ in range(500):
            if home.query_one("#status").render().plain.startswith(("1", "2", "3", "4", "5", "6", "7", "8", "9")):
                break
            await pilot.pause(0.01)
        await pilot.pause()

    assert snap_compare(ReflectApp(journal=journal, clock=frozen), terminal_size=SIZE, run_before=search)


def test_entry_view(snap_compare, journal):
    async def open_first(pilot) -> None:
        await home_ready(pilot)
        await pilot.press("down", "enter")  # past the draft to the newest entry
        view = pilot.app.screen
        assert isinstance(view, EntryView) and view.entry.select.story_id
        for _ in range(500):  # its story's title is read on a worker: wait for it, not for a fixed time
            if view.story_title is not None:
                break
            await pilot.pause(0.01)
        await pilot.pause()

    assert snap_compare(ReflectApp(journal=journal, clock=frozen), terminal_size=SIZE, run_before=open_first)


def test_help(snap_compare, journal):
    async def help_(pilot) -> None:
        await home_ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(ReflectApp(journal=journal, clock=frozen), terminal_size=SIZE, run_before=help_)


def test_story_bank(snap_compare, journal):
    async def bank(pilot) -> None:
        await home_ready(pilot)
        await pilot.press("s")
        screen = pilot.app.screen
        assert isinstance(screen, StoryBankScreen)
        for _ in range(500):
            if screen.ready and screen.usage is not None:
                break
            await pilot.pause(0.01)
        await pilot.pause()

    assert snap_compare(ReflectApp(journal=journal, clock=frozen), terminal_size=SIZE, run_before=bank)


def test_cursor_blink_is_off_in_snapshots(snap_compare) -> None:
    """The guard against the flaky snapshot: every snapshot test asks for `snap_compare`,
    which turns the blink off for any Input or TextArea made while it runs."""
    from textual.widgets import Input, TextArea

    assert Input().cursor_blink is False and TextArea().cursor_blink is False


def test_review(snap_compare, journal):
    """The review as a screen of the app: its header, theme and footer (r from home)."""
    from reflect.screens.review_round import ReviewOptions
    from reflect.screens.review_screen import ReviewScreen

    async def review(pilot) -> None:
        from textual.widgets import OptionList

        for _ in range(500):  # the screen, then its agenda mounted and filled (a worker builds it)
            screen = pilot.app.screen
            if isinstance(screen, ReviewScreen) and screen.query("#review-agenda"):
                if screen.query_one("#review-agenda", OptionList).option_count:
                    break
            await pilot.pause(0.01)
        await pilot.pause()

    app = ReflectApp(journal=journal, clock=frozen, start="review", review=ReviewOptions(until=NOW))
    assert snap_compare(app, terminal_size=SIZE, run_before=review)
