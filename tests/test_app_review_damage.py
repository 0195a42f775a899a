"""The review screen opens on the agenda over a damaged side file, Safety first whole and
the damaged part named (issue 8, item 9): old code showed only an error."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from click.testing import CliRunner

from encounter_helpers import wait_for as shared_wait_for
from reflect.cli import main
from reflect.screens.review_screen import ReviewScreen
from review_helpers import review_app, review_journal

wait_for = partial(shared_wait_for, seconds=8.0)


async def test_a_damaged_goals_file_leaves_the_review_and_its_safety_first(db_path: Path) -> None:
    journal = review_journal(db_path)
    assert CliRunner().invoke(main, ["goal", "add", "listen more"]).exit_code == 0
    goals = journal.layout.goals
    goals.write_text(goals.read_text(encoding="utf-8")[:-15], encoding="utf-8")
    app = review_app(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen), "the review screen")
        agenda = pilot.app.screen.agenda
        assert "crisis-entry-1" in {i for item in agenda.section("safety").items for i in item.entries}
        assert any("goals.json" in item.text for item in agenda.section("growth").items)
