"""The story bank, driven by keys: write, edit, retire, and how each story landed."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from textual.widgets import DataTable, Input, TextArea

from reflect.screens.app import ReflectApp
from reflect.domain.model import Entry, Select, Share, Story
from reflect.screens.stories import StoryBankScreen, StoryEditor, count_usage, split_themes
from reflect.store import Journal
from tests.test_app_home import frozen, ready, wait_for

NOW = datetime(2024, 5, 15, 9, 0, tzinfo=timezone.utc)


async def open_bank(pilot) -> StoryBankScreen:
    await ready(pilot)
    await pilot.press("s")
    screen = pilot.app.screen
    assert isinstance(screen, StoryBankScreen)
    await wait_for(pilot, lambda: screen.ready and screen.usage is not None, "the story bank to load")
    return screen


def cells(screen: StoryBankScreen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_story_bank_round_trips_through_keys():
    journal = Journal()
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        bank = await open_bank(pilot)
        assert "No stories yet" in str(bank.query_one("#stories-status").render())

        # write one
        await pilot.press("n")
        assert isinstance(app.screen, StoryEditor)
        await pilot.press(*"The first year sober")
        await pilot.press("enter")  # title -> text
        assert isinstance(app.focused, TextArea)
        await pilot.press(*"Relapse was part of it, not the end.")
        await pilot.press("tab")
        await pilot.press(*"hope, relapse,  Hope , family")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(journal.stories()) == 1, "the story to be saved")
        story = journal.stories()[0]
        assert story.title == "The first year sober"
        assert story.text == "Relapse was part of it, not the end."
        assert story.themes == ["hope", "relapse", "family"]
        assert not story.retired
        await wait_for(pilot, lambda: bank.query_one(DataTable).row_count == 1, "the row")
        assert cells(bank)[0][:3] == ["in use", "The first year sober", "     0"]

        # edit it: only the title changes
        await pilot.press("e")
        assert isinstance(app.screen, StoryEditor)
        title = app.screen.query_one("#story-title", Input)
        title.value = ""
        await pilot.press(*"Year one")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: journal.stories()[0].title == "Year one", "the edit to be saved")
        edited = journal.stories()[0]
        assert (edited.id, edited.text, edited.themes) == (story.id, story.text, story.themes)

        # retire and bring back
        await pilot.press("r")
        await wait_for(pilot, lambda: journal.stories()[0].retired, "retire")
        assert journal.stories(include_retired=False) == []
        await wait_for(pilot, lambda: cells(bank) and cells(bank)[0][0] == "retired", "the retired row")
        await pilot.press("r")
        await wait_for(pilot, lambda: not journal.stories()[0].retired, "restore")

        await pilot.press("escape")
        assert not isinstance(app.screen, StoryBankScreen)


async def test_editor_cancel_and_empty_title_save_nothing():
    journal = Journal()
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_bank(pilot)
        await pilot.press("n", "ctrl+s")  # no title: refused, editor stays open
        assert isinstance(app.screen, StoryEditor)
        assert "title is needed" in str(app.screen.query_one("#story-error").render())
        await pilot.press(*"Not this one", "escape")
        assert isinstance(app.screen, StoryBankScreen)
        # Wait for something that does happen (every write the app began has finished),
        # then check that nothing was saved: a fixed pause could check too early.
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert journal.stories() == []


async def test_bank_shows_how_often_each_story_was_shared_and_how_it_landed():
    journal = Journal()
    used = journal.save_story(Story(title="Losing my job", themes=["work"]))
    unused = journal.save_story(Story(title="Quiet one"))

    def entry(hours: int, decision: str, response: str) -> Entry:
        return Entry(
            occurred=NOW - timedelta(hours=hours),
            select=Select(decision=decision, story_id=used.id),
            share=Share(response=response),
        )

    journal.import_records([
        entry(1, "share", "engaged"),
        entry(2, "share", "engaged"),
        entry(3, "share", "withdrew"),
        entry(4, "hold", "unknown"),  # held back: not a share
    ])
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        bank = await open_bank(pilot)
        rows = {r[1]: r for r in cells(bank)}
        assert rows["Losing my job"][2:] == ["     3", "2 engaged, 1 withdrew", "work"]
        assert rows["Quiet one"][2:4] == ["     0", ""]
        assert unused.id in bank.stories_shown


def test_usage_and_themes_helpers():
    docs = [
        {"select": {"story_id": "a", "decision": "share"}, "share": {"response": "neutral"}},
        {"select": {"story_id": "a", "decision": "undecided"}, "share": {"response": "engaged"}},
        {"select": {"story_id": None, "decision": "share"}},
    ]
    usage = count_usage(docs)
    assert list(usage) == ["a"] and usage["a"].shared == 1 and usage["a"].landed_text() == "1 neutral"
    assert split_themes(" a ,, b  c, A ") == ["a", "b c"]


async def test_long_titles_and_themes_are_cut_visibly_to_fit_80_columns():
    journal = Journal()
    journal.save_story(Story(title="The winter I lost my job and my flat in one month",
                             themes=["work", "housing", "shame", "hope"]))
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        bank = await open_bank(pilot)
        [row] = cells(bank)
        assert row[1].startswith("The winter I lost") and row[1].endswith("…")
        assert row[4].startswith("work,") and row[4].endswith("…")
        table = bank.query_one(DataTable)
        assert table.virtual_size.width <= 80  # no column runs off the screen
        await pilot.press("e")  # the editor still has it whole
        assert app.screen.query_one("#story-title", Input).value == "The winter I lost my job and my flat in one month"
