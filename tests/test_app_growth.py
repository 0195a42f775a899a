"""The ratings and goals screens, and a group encounter, driven by keys at 80x24 without
pauses between them; what was stored is read back through a fresh Journal."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from encounter_helpers import SIZE, burst, home_ready, new_app, settle, wait_for
from review_helpers import review_app, review_journal
from reflect.domain.model import Entry, Group, Listen
from reflect.screens.goals import GoalsScreen
from reflect.screens.home import HomeScreen
from reflect.screens.ratings import RatingScreen
from reflect.screens.review_screen import ReviewScreen
from reflect.store import Journal


async def test_a_self_rating_typed_in_one_burst_lands_row_by_row(db_path: Path) -> None:
    app = new_app(Journal(db_path), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        await burst(pilot, "c", *"342-5", "down", "down", "right")  # VI, VII
        screen = app.screen
        assert isinstance(screen, RatingScreen)
        text = "\n".join(str(w.render()) for w in screen.query("Static"))
        assert "Ratings are prompts for discussion, not scores." in text and "3 Growing" in text
        await burst(pilot, "left", "left", "tab", "4", "ctrl+s")  # VIII back to not rated; IX 4
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "the rating to be saved")
        await settle(pilot)
    (rating,) = Journal(db_path).growth().ratings()
    assert rating.by == "self"
    assert rating.ratings.rated() == {"I": 3, "II": 4, "III": 2, "V": 5, "IX": 4}
    assert rating.note == ""


async def test_the_last_digit_moves_to_the_note_and_the_note_is_kept(db_path: Path) -> None:
    app = new_app(Journal(db_path), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        await burst(pilot, "c", *"123451234512", *"after supervision", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "the rating to be saved")
        await settle(pilot)
    (rating,) = Journal(db_path).growth().ratings()
    assert [rating.ratings.get(k) for k in ("I", "V", "VI", "XII")] == [1, 5, 1, 2]
    assert rating.note == "after supervision"


async def test_the_supervisors_rating_is_taken_in_the_review(db_path: Path) -> None:
    journal = review_journal(db_path)
    app = review_app(journal)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review screen")
        await pilot.pause()
        skills = [i.text for i in app.screen.agenda.section("skills").items]
        assert any(t.startswith("No self-rating since the last meeting") for t in skills)
        await burst(pilot, "s", *"2-3", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), "back on the review")
        await settle(pilot)
    (rating,) = Journal(db_path).growth().ratings()
    assert (rating.by, rating.rater, rating.ratings.rated()) == ("supervisor", "Dana", {"I": 2, "III": 3})


async def test_goals_added_checked_in_and_met_by_keys(db_path: Path) -> None:
    app = new_app(Journal(db_path), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        await burst(pilot, "g", "a", *"Ask before I share", "tab", *"iii", "tab", *"2026-12-01", "enter")
        await wait_for(pilot, lambda: len(Journal(db_path).growth().goals()) == 1, "the goal")
        await burst(pilot, "c", *"asked every time", "enter")
        await wait_for(pilot, lambda: Journal(db_path).growth().goals()[0].check_ins != [], "the check-in")
        screen = app.screen
        assert isinstance(screen, GoalsScreen)
        row = str(screen.query_one("#goal-list").get_option_at_index(0).prompt)
        assert "Ask before I share" in row and "asked every time" in row
        await burst(pilot, "a", *"call 555-123-4567", "enter")
        await pilot.pause()
        assert app.focused is screen.query_one("#goal-text", Input)  # refused once, said why
        assert len(Journal(db_path).growth().goals()) == 1
        await burst(pilot, "escape", "m", "y")
        await wait_for(pilot, lambda: Journal(db_path).growth().goals()[0].status == "met", "met")
        await settle(pilot)
    (goal,) = Journal(db_path).growth().goals()
    assert (goal.text, goal.competency, str(goal.due)) == ("Ask before I share", "III", "2026-12-01")
    assert goal.met_at is not None and [c.note for c in goal.check_ins] == ["asked every time"]


async def test_a_group_encounter_keeps_its_headcount_and_theme(db_path: Path) -> None:
    app = new_app(Journal(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await burst(pilot, *"Holiday group", "ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n")
        await pilot.pause()
        screen.set_focus(screen.query_one("#group-theme", Input))
        await burst(pilot, *"coping with holidays", "tab", *"12", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "the save")
        await settle(pilot)
    (entry,) = Journal(db_path).recent()
    assert entry.group == Group(headcount=12, theme="coping with holidays")


async def test_home_counts_this_weeks_group_encounters_apart(db_path: Path) -> None:
    from encounter_helpers import FROZEN

    journal = Journal(db_path)
    journal.save(Entry(occurred=FROZEN, listen=Listen("one")))
    journal.save(Entry(occurred=FROZEN, listen=Listen("two"), group=Group(6, "")))
    app = new_app(journal, start="home")
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        summary = str(app.screen.query_one("#week-summary").render())
        assert summary.startswith(" 2 this week (1 in groups)")


def test_the_entry_view_shows_the_group() -> None:
    from encounter_helpers import FROZEN

    from reflect.screens.entry_view import render_entry

    shown = str(render_entry(Entry(occurred=FROZEN, listen=Listen("x"), group=Group(7, "holidays")), FROZEN))
    assert "7 people" in shown.splitlines()[0] and "Theme: holidays" in shown


async def test_c_and_g_typed_in_homes_search_line_are_letters(db_path: Path) -> None:
    app = new_app(Journal(db_path), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        await burst(pilot, "slash", *"cg")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#search", Input).value == "cg"


async def test_the_palette_offers_the_ratings_and_goals_and_their_screens_keys(db_path: Path) -> None:
    app = new_app(Journal(db_path), start="home")
    async with app.run_test(size=SIZE) as pilot:
        home = await home_ready(pilot)
        titles = {c.title for c in app.get_system_commands(home)}
        assert {"Rate competencies", "Goals"} <= titles
        await burst(pilot, "g")
        await pilot.pause()
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Add", "Check in", "Met", "Drop", "All"} <= titles
