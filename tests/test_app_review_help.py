"""The review screen explains itself (issue 9, item 13): help on ? and f1, its commands in
the palette, the current section's heading always in view, and recording with items not
discussed asks first, naming how many (safety first).

On a 300-entry journal (a fortnight of a busy peer: 30 crises, 10 questions), built once
per module and copied for each test; keys go in without pauses.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import OptionList, Static

from reflect.domain.model import Crisis, Entry, Flags, Listen, now
from reflect.domain.settings import Settings
from reflect.screens.app import ReflectApp
from reflect.screens.help import HelpScreen
from reflect.screens.review_dialogs import ConfirmRecord
from reflect.screens.review_screen import ReviewScreen
from reflect.store import Journal

SIZE = 300


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("review-300")
    j = Journal(folder / "journal.json")
    t = now() - timedelta(hours=1)
    entries = []
    for n in range(SIZE):
        crisis = n % 10 == 0
        entries.append(
            Entry(
                occurred=t - timedelta(minutes=60 * n), id=f"e{n:05d}", peer="alex", person=f"P{n}",
                listen=Listen(story=f"Encounter number {n} at the drop-in"),
                flags=Flags(crisis=crisis), crisis=Crisis(["warm-handoff"]) if crisis else None,
                question=f"Question {n}: how do I hold this?" if n % 30 == 5 else "",
            )
        )  # fmt: skip
    for start in range(0, SIZE, 100):
        j.import_records(entries[start : start + 100])
    return folder


@pytest.fixture
def journal(built: Path, tmp_path: Path) -> Iterator[Journal]:
    folder = tmp_path / "j"
    shutil.copytree(built, folder)
    j = Journal(folder / "journal.json")
    j.save_settings(Settings(peer="alex", supervisor="Dana"))
    yield j


async def started(pilot) -> ReviewScreen:  # type: ignore[no-untyped-def]
    for _ in range(500):
        if isinstance(pilot.app.screen, ReviewScreen):
            break
        await pilot.pause(0.02)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def review_app(journal: Journal) -> ReflectApp:
    return ReflectApp(Journal(journal.path), start="review")


@pytest.mark.parametrize("key", ["question_mark", "f1"])
async def test_help_opens_on_the_review_with_its_keys(journal: Journal, key: str) -> None:
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = " ".join(str(app.screen.query_one("#help-keys", Static).render()).split())
        for words in ("Save the meeting record", "Mark the item discussed", "Next section", "Quit reflect"):
            assert words in keys, words
        assert "closed when the meeting is recorded" in keys  # what the marks mean
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_the_palette_holds_the_review_commands(journal: Journal) -> None:
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        titles = {c.title for c in app.get_system_commands(screen)}
        assert {"Record meeting", "Discussed", "Notes", "Action", "Done", "Section", "Open"} <= titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


def screen_lines(app: ReflectApp) -> list[str]:
    """The terminal's lines as a person reads them."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def heading_of_current_section(screen: ReviewScreen) -> str:
    here = screen.query_one("#review-agenda", OptionList).highlighted_option
    assert here is not None and here.id is not None
    key = here.id.split(":")[1]
    titles = [s.key for s in screen.agenda.sections]
    return f"{titles.index(key) + 1}. {screen.agenda.section(key).title}"


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
@pytest.mark.parametrize("jumps", [0, 2, 6])
async def test_the_current_sections_heading_stays_in_view_once(journal: Journal, jumps: int, size: tuple[int, int]) -> None:
    """The heading is in view however far the list scrolled (pinned above the list once its
    own row has gone), and only once: the pinned copy sat right above its row (failed before:
    "1. Safety first" twice, one above the other, on opening)."""
    app = review_app(journal)
    async with app.run_test(size=size) as pilot:
        screen = await started(pilot)
        keys = ["down"] * 25 + ["right_square_bracket"] * jumps if jumps else []
        if keys:
            await pilot.press(*keys)
        await settle(pilot)
        heading = heading_of_current_section(screen)
        shown = [line.strip() for line in screen_lines(app)]
        at = [line for line in shown if line == heading or line.startswith(heading + " · ")]
        assert len(at) == 1, shown  # with how far the meeting got in it, when it has items
        if jumps == 0:
            assert at[0] == f"{heading} · 0 of 30 discussed"


async def test_recording_with_items_not_discussed_asks_first_safety_first(journal: Journal) -> None:
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        total = sum(1 for item in screen._items.values() if not screen._placeholder(item))
        assert total >= 40
        await pilot.press("space", "ctrl+r")  # one item discussed
        await pilot.pause()
        ask = app.screen
        assert isinstance(ask, ConfirmRecord)
        question = str(ask.query_one("#confirm-question").render())
        assert f"{total - 1} of {total} items not discussed, 29 of them under Safety first" in question
        assert str(ask.query_one("#confirm-rows", Static).render()).splitlines()[0].startswith("  Safety first: Crisis")
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen
        assert Journal(journal.path).meetings() == []  # "n": nothing recorded
        await pilot.press("ctrl+r", "y", "ctrl+s")
        await settle(pilot)
    (meeting,) = Journal(journal.path).meetings()
    assert len(meeting.discussed) == 1


async def test_with_every_item_discussed_it_records_at_once(db_path: Path) -> None:
    j = Journal(db_path)
    j.save_settings(Settings(peer="alex"))
    j.save(Entry(occurred=now() - timedelta(days=1), id="q1", peer="alex", question="How do I end calls kindly?"))
    app = review_app(j)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        n = sum(1 for o in screen.query_one("#review-agenda", OptionList).options if not o.disabled)
        await pilot.press(*["space", "down"] * n, "ctrl+r", "ctrl+s")  # no question; then the details
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmRecord)
    (meeting,) = Journal(db_path).meetings()
    assert len(meeting.discussed) == sum(1 for i in screen._items.values() if not screen._placeholder(i))


def test_every_due_date_the_action_dialog_suggests_is_read() -> None:
    """The placeholder suggested "next friday", which the due-date reader refuses."""
    from reflect.domain.dates import parse_when
    from reflect.screens.review_dialogs import DUE_EXAMPLES, DUE_PLACEHOLDER

    for phrase in DUE_EXAMPLES:
        parse_when(phrase, end=True, future=True)  # raises DateError if it is not read
        assert f'"{phrase}"' in DUE_PLACEHOLDER
