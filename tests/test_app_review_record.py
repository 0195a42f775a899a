"""What a review changes is part of the meeting record (issue 9, item 4).

Keys go in without pauses, as a supervisor types; what was stored is read afterwards
through a fresh Journal. A done mark reaches the journal only by recording the meeting;
every way out asks first while something is not recorded; until it is recorded, the
review is a draft that a crash or a quit keeps and the next review offers back.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from reflect.screens.app import ReflectApp
from reflect.screens.review_dialogs import NotesDialog, ResumeDraft
from reflect.screens.review_screen import ReviewScreen
from reflect.store import Journal
from reflect.usecases.reviewing import closed_in, load_draft
from review_helpers import review_app, review_journal

FOLLOW_UP = "i:follow_ups:0"


@pytest.fixture
def journal(db_path: Path) -> Journal:
    return review_journal(db_path)


def stored(journal: Journal) -> Journal:
    """What is on disk, read by a process that shares nothing with the app."""
    return Journal(journal.path)


def old_action_done(journal: Journal) -> bool:
    (first, *_) = stored(journal).meetings()
    return first.actions[0].done


async def started(pilot) -> ReviewScreen:  # type: ignore[no-untyped-def]
    for _ in range(400):
        if isinstance(pilot.app.screen, (ReviewScreen, ResumeDraft)):
            break
        await pilot.pause(0.02)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, (ReviewScreen, ResumeDraft)), screen
    return screen  # type: ignore[return-value]


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def chars(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


def to_follow_up(screen: ReviewScreen) -> list[str]:
    """The "]" presses from the first item to the follow-ups section."""
    agenda = screen.query_one("#review-agenda", OptionList)
    heads = [o.id for o in agenda.options if o.id and o.id.startswith("s:")]
    return ["right_square_bracket"] * heads.index("s:follow_ups")


def warnings(app: ReflectApp) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "warning"]


async def test_a_done_mark_left_unrecorded_stays_open(journal: Journal) -> None:
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        await pilot.press(*to_follow_up(screen), "x", "escape", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, ReviewScreen)  # left, after one warning
    assert not old_action_done(journal)  # nothing reopened by hand: it was never closed
    assert len(stored(journal).meetings()) == 1


async def test_recording_closes_the_action_and_the_meeting_says_so(journal: Journal) -> None:
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        await pilot.press(*to_follow_up(screen), "x", "ctrl+r", "y", "ctrl+s")  # "y": the others were not discussed
        await settle(pilot)
    assert old_action_done(journal)
    first, recorded = stored(journal).meetings(with_agenda=True)
    assert closed_in(recorded) == [(first.id, "old-act")]
    assert load_draft(stored(journal), "alex") is None


@pytest.mark.parametrize("key", ["ctrl+q", "ctrl+c", "q", "escape"])
async def test_every_way_out_warns_before_losing_notes(journal: Journal, key: str) -> None:
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        await pilot.press("n", *chars("Talked it through"), "ctrl+s", key)
        await settle(pilot)
        assert app.is_running and app.screen is screen  # a warning, not an exit
        assert any("Not recorded yet" in w for w in warnings(app))
        assert screen.notes == "Talked it through"
        await pilot.press(key)  # the second press goes
        await settle(pilot)
        assert app.screen is not screen or not app.is_running
    kept = load_draft(stored(journal), "alex")
    assert kept is not None and kept.notes == "Talked it through"  # and it is kept for next time
    assert len(stored(journal).meetings()) == 1


async def test_ctrl_q_while_writing_notes_warns(journal: Journal) -> None:
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("n", *chars("half a thought"), "ctrl+q")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, NotesDialog)
        assert any("ctrl+q again" in w for w in warnings(app))
    kept = load_draft(stored(journal), "alex")
    assert kept is not None and kept.notes == "half a thought"  # typed, not yet kept with ctrl+s


async def test_nothing_to_lose_quits_at_once(journal: Journal) -> None:
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert not app.is_running
    assert app.return_value == []


async def test_a_draft_review_comes_back_after_a_crash(journal: Journal) -> None:
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        await pilot.press(
            "space",  # the crisis item discussed
            *to_follow_up(screen), "x",  # the earlier action marked done
            "a", *chars("Book a refresher"), "ctrl+s",
            "n", *chars("Went well"),  # typed, the dialog still open when it "crashes"
        )  # fmt: skip
        await settle(pilot)
    # The app ended without recording (a crash, a closed terminal): nothing is in the record...
    assert len(stored(journal).meetings()) == 1 and not old_action_done(journal)

    # ...and the next review offers it all back.
    again = review_app(journal)
    async with again.run_test(size=(80, 24)) as pilot:
        offer = await started(pilot)
        assert isinstance(offer, ResumeDraft)
        await pilot.press("enter")
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.notes == "Went well"
        assert screen.discussed == {"i:safety:0"}
        assert [a.text for a in screen.actions] == ["Book a refresher"]
        assert screen.done == {(stored(journal).meetings()[0].id, "old-act")}
        await pilot.press("ctrl+r", "y", "ctrl+s")
        await settle(pilot)
    first, recorded = stored(journal).meetings(with_agenda=True)
    assert recorded.notes == "Went well" and [a.text for a in recorded.actions] == ["Book a refresher"]
    assert recorded.discussed[0].startswith("Crisis encounter")
    assert closed_in(recorded) == [(first.id, "old-act")] and first.actions[0].done
    assert load_draft(stored(journal), "alex") is None  # recorded: no draft left


async def test_a_draft_review_can_be_discarded(journal: Journal) -> None:
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("space", "n", *chars("Old notes"), "ctrl+s")
        await settle(pilot)
    assert load_draft(stored(journal), "alex") is not None

    again = review_app(journal)
    async with again.run_test(size=(80, 24)) as pilot:
        assert isinstance(await started(pilot), ResumeDraft)
        await pilot.press("d")
        await settle(pilot)
        screen = again.screen
        assert isinstance(screen, ReviewScreen) and screen.notes == "" and not screen.discussed
    assert load_draft(stored(journal), "alex") is None


async def test_leaving_at_typing_speed_keeps_the_last_change(journal: Journal) -> None:
    """Keys and the two escapes in one burst: the draft holds the last change, written after
    the screen was gone."""
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("space", "n", *chars("quick words"), "ctrl+s", "escape", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, ReviewScreen)
    kept = load_draft(stored(journal), "alex")
    assert kept is not None and kept.notes == "quick words" and len(kept.discussed) == 1
    assert len(stored(journal).meetings()) == 1


async def test_a_damaged_draft_file_neither_blocks_the_review_nor_the_record(journal: Journal) -> None:
    path = journal.review_drafts().path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'{"review_drafts": {"1": ')
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        assert isinstance(screen, ReviewScreen)  # no draft offered: it does not read
        await pilot.press("space")
        await settle(pilot)
        assert app.screen is screen and any("Not kept as a draft" in w for w in warnings(app))
        await pilot.press("ctrl+r", "y", "ctrl+s")
        await settle(pilot)
        assert not any("Not recorded" in str(n.message) for n in app._notifications)
        assert not app.is_running  # recorded: the round is over
    assert len(stored(journal).meetings()) == 2
    assert path.read_bytes() == b'{"review_drafts": {"1": '  # left for doctor, never overwritten
