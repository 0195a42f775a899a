"""The review screen driven with Pilot at 80x24: keys in, stored meeting out.

`reflect review` is the app started on the review (`start="review"`); home reaches the
same screens with `r`.
"""

from __future__ import annotations

from functools import partial

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from reflect.usecases.agendas import journal_agendas
from reflect.domain.model import Crisis, Entry, Flags, Meeting, now
from reflect.screens.app import ReflectApp
from reflect.screens.entry_view import EntryView
from reflect.screens.help import HelpScreen
from reflect.screens.home import HomeScreen
from reflect.screens.review_dialogs import ActionDialog, NotesDialog
from reflect.screens.review_screen import ReviewScreen
from reflect.store import Journal
from review_helpers import review_app, review_journal
from encounter_helpers import wait_for as shared_wait_for


@pytest.fixture
def journal(db_path: Path) -> Journal:
    return review_journal(db_path)


wait_for = partial(shared_wait_for, seconds=8.0)


async def started(pilot) -> ReviewScreen:
    """Wait for the agendas to be read (on a worker) and the first review screen to show."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen), "the review screen")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def settle(pilot) -> None:
    """Let the review's writes (worker threads) finish and their messages arrive."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    await pilot.press(*("space" if c == " " else c for c in text))


def highlighted(app) -> str:
    return app.screen.query_one("#review-agenda", OptionList).highlighted_option.id


async def goto(pilot, section: str) -> None:
    """Walk with "]" (next section) until the highlight is in `section`."""
    for _ in range(8):
        if highlighted(pilot.app).startswith(f"i:{section}:"):
            return
        await pilot.press("right_square_bracket")
    raise AssertionError(f"never reached {section}: at {highlighted(pilot.app)}")


async def test_walk_mark_write_notes_add_action_and_record(journal: Journal):
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert highlighted(app) == "i:safety:0"  # safety first
        await pilot.press("space")
        assert "[x]" in str(screen.query_one("#review-agenda", OptionList).get_option("i:safety:0").prompt)

        await goto(pilot, "questions")
        await pilot.press("space")

        await pilot.press("n")
        assert isinstance(app.screen, NotesDialog)
        await type_text(pilot, "Talked through the handoff")
        await pilot.press("ctrl+s")
        assert app.screen is screen and screen.notes == "Talked through the handoff"

        await pilot.press("a")
        assert isinstance(app.screen, ActionDialog)
        await type_text(pilot, "Book crisis refresher")
        await pilot.press("enter")  # to owner (prefilled with the peer)
        await pilot.press("enter")  # to due
        await type_text(pilot, "in 2 weeks")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and [a.text for a in screen.actions] == ["Book crisis refresher"]

        await goto(pilot, "follow_ups")
        await pilot.press("x")
        await settle(pilot)
        assert [a.done for m in journal.meetings() for a in m.actions] == [False]  # closed only by recording

        await pilot.press("ctrl+r", "y", "ctrl+s")  # items left undiscussed: it asks first; then the details
        await settle(pilot)
    meetings = journal.meetings(with_agenda=True)
    assert len(meetings) == 2
    m = meetings[-1]
    assert m.peer == "alex" and m.supervisor == "Dana" and m.notes == "Talked through the handoff"
    assert [(a.text, a.owner, a.done) for a in m.actions] == [("Book crisis refresher", "alex", False)]
    assert m.actions[0].due == (now() + timedelta(days=14)).date()
    assert len(m.discussed) == 2
    assert m.discussed[0].startswith("Crisis encounter") and m.discussed[1].startswith("How do I end calls kindly?")
    assert m.agenda is not None and [s["key"] for s in m.agenda["sections"]][0] == "safety"
    assert m.agenda["sections"][0]["items"][0]["entries"] == ["crisis-entry-1"]
    assert app.return_value is not None and [x.id for x in app.return_value] == [m.id]
    assert [a.done for a in meetings[0].actions] == [True]  # closed by this meeting, which says so
    assert m.agenda["closed"] == [{"meeting": meetings[0].id, "action": "old-act", "text": m.agenda["closed"][0]["text"]}]
    assert m.agenda["closed"][0]["text"].startswith("Read the boundaries chapter")

    # The next review starts where this one's window ended; its open action comes back.
    later = now() + timedelta(minutes=5)
    journal.save(Entry(occurred=m.until + timedelta(minutes=1), id="after-1", peer="alex", flags=Flags(celebrate=True)))
    (nxt,) = journal_agendas(journal, until=later)
    assert nxt.since == m.until
    follow = [i.text for i in nxt.section("follow_ups").items]
    assert follow == [f for f in follow if f.startswith("Book crisis refresher")] and len(follow) == 1
    assert nxt.section("safety").empty
    assert [i.entries for i in nxt.section("wins").items] == [["after-1"]]


async def test_open_a_cited_entry_in_full(journal: Journal):
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, EntryView)
        source = str(app.screen.query_one("#entry-text", Static).render())
        assert "A hard night on the phone line" in source and "J.R." in source
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("enter")  # enter opens too
        await pilot.pause()
        assert isinstance(app.screen, EntryView)


async def test_leaving_with_unrecorded_work_asks_twice_and_records_nothing(journal: Journal):
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("space", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)  # warned, still here
        await pilot.press("escape")
        await pilot.pause()
    assert len(journal.meetings()) == 1
    assert app.return_value == []


async def test_footer_names_the_bindings_and_fits_80_columns(journal: Journal):
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        shown = {b.binding.description for b in app.screen.active_bindings.values() if b.binding.show}
        # "Open" left the footer (enter opens too, and help lists it) so that Crisis fits whole
        assert {"Discussed", "Section", "Notes", "Action", "Done", "Record meeting", "Crisis"} <= shown
        [crisis] = [k for k in app.screen.query("FooterKey") if getattr(k, "description", "") == "Crisis"]
        assert crisis.region.right <= 80 and crisis.region.width >= len("^x Crisis")  # whole, not "^x Cr"
        agenda = app.screen.query_one("#review-agenda", OptionList)
        assert agenda.region.width == 80 and agenda.region.height >= 10


async def test_an_empty_section_has_nothing_to_tick_and_the_status_reads_plainly(journal: Journal):
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        screen = app.screen
        agenda = screen.query_one("#review-agenda", OptionList)
        status = screen.query_one("#review-status", Static)
        assert str(status.render()).splitlines()[0].startswith("0 discussed · no notes · no actions")
        assert "esc leaves" in str(status.render())
        await goto(pilot, "boundaries")  # nothing was flagged for boundaries
        prompt = agenda.get_option(highlighted(app)).prompt
        assert str(prompt) == "Nothing to raise this time."  # no [ ] box to tick
        await pilot.press("space", "o")
        await pilot.pause()
        assert screen.discussed == set() and app.screen is screen
        assert "[ ]" not in str(agenda.get_option(highlighted(app)).prompt)


async def test_wrapped_items_hang_under_their_text(journal: Journal):
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        agenda = app.screen.query_one("#review-agenda", OptionList)
        lines = ["".join(seg.text for seg in agenda.render_line(y)) for y in range(agenda.size.height)]
        [first] = [i for i, line in enumerate(lines) if "[ ]" in line and "Crisis" in line]
        start = lines[first].index("Crisis")
        assert lines[first + 1][:start].strip() == "" and lines[first + 1].strip()  # continuation, indented


async def test_a_note_and_an_action_are_counted_in_words(journal: Journal):
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        screen = app.screen
        await pilot.press("n")
        await type_text(pilot, "One line")
        await pilot.press("ctrl+s")
        await pilot.press("a")
        await type_text(pilot, "Call back")
        await pilot.press("ctrl+s")
        await pilot.pause()
        head = str(screen.query_one("#review-status", Static).render()).splitlines()[0]
        assert head.startswith("0 discussed · notes: 1 line · 1 action ")
        assert "(s)" not in head


async def test_a_failed_record_keeps_the_screen_and_what_was_written(journal: Journal):
    """A journal that cannot be written (here a damaged meetings file) must not crash the
    review and throw away the meeting's notes: the screen stays, and says why."""
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.press("n")
        await type_text(pilot, "Kept through a failure")
        await pilot.press("ctrl+s")
        damaged = b'{"meetings": {"1": '
        journal.meetings_path.write_bytes(damaged)
        await pilot.press("ctrl+r", "y", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen and screen.notes == "Kept through a failure"
        assert any("Not recorded" in str(n.message) for n in app._notifications)
        assert journal.meetings_path.read_bytes() == damaged


async def test_the_meeting_is_written_off_the_ui_thread(journal: Journal):
    app = review_app(journal)
    writers: list[threading.Thread] = []
    real = app.journal.save_meeting

    def save_meeting(meeting: Meeting) -> Meeting:
        writers.append(threading.current_thread())
        return real(meeting)

    app.journal.save_meeting = save_meeting  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("ctrl+r", "y", "ctrl+s")
        await settle(pilot)
    assert len(writers) == 1 and writers[0] is not threading.main_thread()
    assert len(journal.meetings()) == 2


async def test_home_opens_the_review_and_gets_it_back(journal: Journal):
    app = ReflectApp(Journal(journal.path))
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        await wait_for(pilot, lambda: home.ready, "home to load")
        shown = {b.binding.description for b in home.active_bindings.values() if b.binding.show}
        assert "Review" in shown  # in the footer
        await pilot.press("r")
        screen = await started(pilot)
        # The review is a screen of the app: its help, theme and stylesheet.
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys", Static).render())
        assert "Save the meeting record" in keys
        await pilot.press("escape")
        assert app.screen is screen
        dark = app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark is not dark
        assert any(src.endswith("reflect.tcss") for src, _ in app.stylesheet.source)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is home, "home to come back")
        assert app.is_running


async def test_a_journal_that_cannot_be_read_is_said_not_crashed_on(journal: Journal):
    """`reflect review` on a damaged meetings file: the app says why and stays until q."""
    journal.meetings_path.write_bytes(b'{"meetings": {"1": ')
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        status = app.screen.query_one("#review-start-status", Static)
        await wait_for(pilot, lambda: "cannot be built" in str(status.render()), "the reason to show")
        assert app.is_running and not isinstance(app.screen, ReviewScreen)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_value is None
