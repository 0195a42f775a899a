"""Recording a meeting asks what a board wants of the record (issue 11): length (from the
time the screen was open, rounded to 15 minutes), kind, delivery, observed, summary,
competence and areas to grow; credentials come from settings. Keys go in without pauses;
what was stored is read through a fresh Journal."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from reflect.domain.model import now
from reflect.domain.settings import Settings
from reflect.screens.privacy import PrivacyPrompt
from reflect.screens.review_record import RecordDialog
from reflect.screens.review_screen import ReviewScreen
from reflect.store import Journal
from review_helpers import review_app, review_journal
from test_app_review_record import chars, settle, started


@pytest.fixture
def journal(db_path: Path) -> Journal:
    j = review_journal(db_path)
    j.save_settings(Settings(peer="alex", supervisor="Dana", credential="CPS-123", supervisor_credential="LCSW-9"))
    return j


def recorded(journal: Journal):  # type: ignore[no-untyped-def]
    first, last = Journal(journal.path).meetings()
    return last


class Clock:
    """The app's clock, moved by the test: the screen opened at `start`, recorded later."""

    def __init__(self) -> None:
        self.at = now()

    def __call__(self) -> datetime:
        return self.at


async def test_the_details_reach_the_record(journal: Journal) -> None:
    app = review_app(journal)
    clock = Clock()
    app.now = clock  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        clock.at += timedelta(minutes=52)  # the meeting took 52 minutes: 45 on the record
        await pilot.press("ctrl+r", "y")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RecordDialog)
        assert dialog.typed().minutes == 45
        await pilot.press(
            "tab", "down", "enter",  # kind: group
            "tab", "down", "down", "enter",  # delivery: phone
            "tab", "space",  # observed
            "tab", *chars("Ending calls kindly"),
            "tab", *chars("Warm and clear"),
            "tab", *chars("Pacing"),
            "ctrl+s",
        )  # fmt: skip
        await settle(pilot)
        assert not app.is_running  # recorded: the round is over
    m = recorded(journal)
    assert (m.minutes, m.kind, m.delivery, m.observed) == (45, "group", "phone", True)
    assert (m.summary, m.competence, m.growth_areas) == ("Ending calls kindly", "Warm and clear", "Pacing")
    assert (m.credentials.peer, m.credentials.supervisor) == ("CPS-123", "LCSW-9")


async def test_the_length_can_be_typed_and_defaults_hold(journal: Journal) -> None:
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("ctrl+r", "y", *chars("90"), "enter")  # the length is selected: typing replaces it
        await pilot.pause()
        assert app.screen.focused is not None and app.screen.focused.id == "record-kind"  # enter moves on
        await pilot.press("ctrl+s")
        await settle(pilot)
    m = recorded(journal)
    assert (m.minutes, m.kind, m.delivery, m.observed) == (90, "individual", "in-person", False)


async def test_an_identifier_in_the_summary_asks_first(journal: Journal) -> None:
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        await pilot.press("ctrl+r", "y", "tab", "tab", "tab", "tab", *chars("Call 555-123-4567 back"), "ctrl+s")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, PrivacyPrompt)
        assert prompt.rows == [("summary", "phone")]
        await pilot.press("e")  # edit: back on the summary, the text as typed
        await pilot.pause()
        assert isinstance(app.screen, RecordDialog) and app.screen.focused is not None
        assert app.screen.focused.id == "record-summary"
        await pilot.press("ctrl+u", *chars("Calls"), "ctrl+s")  # the cursor at the end: clear the line
        await settle(pilot)
        assert screen.details is not None and screen.details.summary == "Calls"
    assert recorded(journal).summary == "Calls"


async def test_save_anyway_records_it(journal: Journal) -> None:
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("ctrl+r", "y", "tab", "tab", "tab", "tab", *chars("Call 555-123-4567"), "ctrl+s", "a")
        await settle(pilot)
    assert recorded(journal).summary == "Call 555-123-4567"


async def test_leaving_the_dialog_keeps_what_was_typed(journal: Journal) -> None:
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        await pilot.press("ctrl+r", "y", *chars("30"), "tab", "tab", "tab", "tab", *chars("Half"), "escape")
        await pilot.pause()
        assert app.screen is screen and len(Journal(journal.path).meetings()) == 1
        await pilot.press("ctrl+r", "y")
        await pilot.pause()
        assert isinstance(app.screen, RecordDialog)
        assert (app.screen.typed().minutes, app.screen.typed().summary) == (30, "Half")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert (recorded(journal).minutes, recorded(journal).summary) == (30, "Half")


async def test_the_dialog_fits_80_by_24_and_needs_a_length(journal: Journal) -> None:
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("ctrl+r", "y")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RecordDialog)
        for wid in ("#record-minutes", "#record-kind", "#record-delivery", "#record-observed",
                    "#record-summary", "#record-competence", "#record-growth-areas"):  # fmt: skip
            region = dialog.query_one(wid).region
            assert region.height >= 1 and 0 <= region.y and region.bottom <= 23, (wid, region)
        assert isinstance(app.screen_stack[-2], ReviewScreen)
        await pilot.press("backspace", "ctrl+s")  # no length: refused on the dialog
        await pilot.pause()
        assert app.screen is dialog and "Length" in str(dialog.query_one("#record-error").render())
    assert len(Journal(journal.path).meetings()) == 1


async def test_details_typed_come_back_after_a_crash(journal: Journal) -> None:
    from reflect.screens.review_dialogs import ResumeDraft
    from reflect.usecases.reviewing import load_draft

    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("ctrl+r", "y", *chars("60"), "tab", "tab", "tab", "tab", *chars("Pacing and breaks"))
        await settle(pilot)  # the dialog still open when the app ends
    kept = load_draft(Journal(journal.path), "alex")
    assert kept is not None and kept.details is not None
    assert (kept.details.minutes, kept.details.summary) == (60, "Pacing and breaks")
    assert len(Journal(journal.path).meetings()) == 1

    again = review_app(journal)
    async with again.run_test(size=(80, 24)) as pilot:
        offer = await started(pilot)
        assert isinstance(offer, ResumeDraft) and "record details typed" in offer.draft.summary()
        await pilot.press("enter", "ctrl+r", "y")
        await pilot.pause()
        assert isinstance(again.screen, RecordDialog)
        assert (again.screen.typed().minutes, again.screen.typed().summary) == (60, "Pacing and breaks")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert recorded(journal).summary == "Pacing and breaks"
    assert load_draft(Journal(journal.path), "alex") is None


async def test_opening_the_dialog_alone_leaves_nothing_to_keep(journal: Journal) -> None:
    """The prefilled length is not something typed: leaving asks nothing."""
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        await pilot.press("ctrl+r", "y", "escape")
        await settle(pilot)
        assert app.screen is screen and not screen._unsaved()
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not screen or not app.is_running
