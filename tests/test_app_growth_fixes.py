"""The ratings and goals screens after review (issue 12): keys without pauses, what was
stored read back through a fresh Journal."""

from __future__ import annotations

from pathlib import Path

from encounter_helpers import SIZE, burst, home_ready, new_app, settle, wait_for
from reflect.screens.home import HomeScreen
from reflect.screens.ratings import RatingScreen
from reflect.store import Journal


async def test_enter_in_the_note_saves_the_rating(db_path: Path) -> None:
    app = new_app(Journal(db_path), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        await burst(pilot, "c", *"123451234512", *"after supervision", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "the rating to be saved")
        await settle(pilot)
    (rating,) = Journal(db_path).growth().ratings()
    assert rating.note == "after supervision" and rating.ratings.get("XII") == 2


async def test_every_way_out_of_a_typed_rating_warns_first(db_path: Path) -> None:
    app = new_app(Journal(db_path), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        await burst(pilot, "c", *"34", "escape")
        await settle(pilot)
        assert isinstance(app.screen, RatingScreen)  # warned, the ratings still there
        assert app.screen.levels()["II"] == 4
        await burst(pilot, "ctrl+q")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, RatingScreen)
        await burst(pilot, "escape", "escape")  # a second esc leaves without it
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        await burst(pilot, "c", "escape")  # nothing typed: leaves at once
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home again")
    assert Journal(db_path).growth().ratings() == []


async def test_goals_close_only_after_a_yes_and_an_empty_list_says_none_are_open(db_path: Path) -> None:
    from reflect.screens.goals import GoalsScreen
    from reflect.usecases import growth

    journal = Journal(db_path)
    growth.add_goal(journal, "Lead a group")
    app = new_app(Journal(db_path), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        await burst(pilot, "g", "m")
        await settle(pilot)
        await burst(pilot, "n")
        await settle(pilot)
        await burst(pilot, "d")
        await settle(pilot)
        await burst(pilot, "escape")  # the dialog's no
        await settle(pilot)
        assert [g.status for g in Journal(db_path).growth().goals()] == ["open"]
        await burst(pilot, "m", "y")
        await wait_for(pilot, lambda: Journal(db_path).growth().goals()[0].status == "met", "met")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GoalsScreen)
        row = str(screen.query_one("#goal-list").get_option_at_index(0).prompt)
        assert row.startswith("No open goals: A shows the met and dropped ones")
        await burst(pilot, "A", "d")
        await settle(pilot)
        assert isinstance(app.screen, GoalsScreen)  # no dialog: a closed goal stays closed
    assert [g.status for g in Journal(db_path).growth().goals()] == ["met"]
