"""Home's rows hold only what the terminal can show of "What was shared" (issue 9, item 18).

The list measures and cuts each row as it draws it, a character at a time in Python when
the text is not all single-cell characters (an "…", a dash, a curly quote): rows of 200
characters of story made that about 10 ms of home's start. Rows now hold the width of the
terminal and a little more; the list cuts them where it did, and a wider terminal gets
rows cut for its width.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot

from reflect.domain.model import Entry, Listen, now
from reflect.screens.app import ReflectApp
from reflect.screens.home import EntryList, HomeScreen
from reflect.store import Journal
from encounter_helpers import home_ready, wait_for

# Not all single-cell: a curly quote and a dash, as real stories have.
STORY = "She said it’s been — " + " ".join(f"w{i:03d}" for i in range(80))


def shown(home: HomeScreen) -> str:
    """The list's first line as drawn: the newest entry's row."""
    return home.query_one(EntryList).render_line(0).text.rstrip()


async def started(pilot: Pilot) -> HomeScreen:
    home = await home_ready(pilot)
    assert isinstance(home, HomeScreen)
    return home


async def test_a_row_holds_what_the_terminal_shows_and_more_once_it_is_wider(db_path: Path) -> None:
    Journal(db_path).import_records([Entry(occurred=now() - timedelta(hours=2), person="Ana", listen=Listen(story=STORY))])
    app = ReflectApp(Journal(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        home = await started(pilot)
        row = str(home.query_one(EntryList).get_option_at_index(0).prompt)
        assert len(row) < 100, len(row)  # was 250: 200 characters of the story
        narrow = shown(home)
        assert narrow.endswith("…") and "heard: She said it’s been — w000" in narrow, narrow
        await pilot.resize_terminal(160, 30)
        await wait_for(pilot, lambda: len(shown(home)) > 140, "the rows cut for 160 columns")
        wide = shown(home)
        assert wide.endswith("…") and wide.startswith(narrow[:-1]), (narrow, wide)
