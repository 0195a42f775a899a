"""What the home list and header say (issue 9, items 10 and 11): search lists only
matching drafts; the week count is labelled as one and the real total is shown; the
"What was shared" column shows the part shared, or "held back"."""

from __future__ import annotations

from functools import partial

from datetime import datetime, timedelta, timezone

from textual.widgets import Label

from reflect.domain.model import Draft, Entry, Listen, Select, Share
from reflect.screens.app import ReflectApp
from reflect.screens.home import EntryList, HomeScreen
from reflect.store import Journal
from encounter_helpers import wait_for as shared_wait_for, home_ready

NOW = datetime(2024, 5, 15, 9, 0, tzinfo=timezone.utc)


def frozen() -> datetime:
    return NOW


wait_for = partial(shared_wait_for, seconds=10.0)


ready = home_ready


def row_ids(home: HomeScreen) -> list[str]:
    return [o.id for o in home.query_one(EntryList).options if o.id]


def row_text(home: HomeScreen, option_id: str) -> str:
    lst = home.query_one(EntryList)
    return str(lst.get_option(option_id).prompt)


def journal_of(n: int, matching: int) -> tuple[Journal, list[str]]:
    """`n` entries over two years, `matching` of them about the landlord; drafts besides."""
    journal = Journal()
    entries, hits = [], []
    for i in range(n):
        story = "the landlord again" if i % (n // matching) == 0 and len(hits) < matching else f"a walk {i}"
        entry = Entry(occurred=NOW - timedelta(days=2 * i + 1), person=f"P{i}", listen=Listen(story=story))
        entries.append(entry)
        if "landlord" in story:
            hits.append(entry.id)
    journal.import_records(entries)
    return journal, hits


async def test_search_lists_only_drafts_that_match_and_every_matching_entry() -> None:
    journal, hits = journal_of(316, 17)
    unrelated = [journal.save_draft(Draft(entry={"listen": {"story": f"unrelated draft {i}"}})) for i in range(31)]
    related = journal.save_draft(Draft(entry={"person": "Q", "listen": {"story": "Landlord called twice"}}))
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(100, 30)) as pilot:
        home = await ready(pilot)
        assert sum(i.startswith("draft:") for i in row_ids(home)) == 32  # all drafts without a search
        await pilot.press("slash", *"landlord", "enter")
        await wait_for(pilot, lambda: "matching" in str(home.query_one("#status").render()), "the search")
        ids = row_ids(home)
        assert [i for i in ids if i.startswith("draft:")] == [f"draft:{related.id}"]
        assert not any(f"draft:{d.id}" in ids for d in unrelated)
        assert [i.split(":", 1)[1] for i in ids if i.startswith("entry:")] == hits
        await pilot.press("slash", *" flag:crisis", "enter")  # a draft has no settled flags: none listed
        await wait_for(pilot, lambda: "crisis" in str(home.query_one("#status").render()), "the flag search")
        assert not any(i.startswith("draft:") for i in row_ids(home))


async def test_header_labels_the_sixteen_week_count_and_gives_the_real_total() -> None:
    journal, _ = journal_of(316, 17)
    app = ReflectApp(journal=journal, clock=frozen)
    async with app.run_test(size=(120, 40)) as pilot:
        home = await ready(pilot)
        summary = str(home.query_one("#week-summary", Label).render())
        data = list(home.query_one("#week-chart").data)
        recent = sum(data)
        assert 0 < recent < 316
        assert f"{recent} in 16 weeks" in summary and "316 in all" in summary  # not "{recent} in all"


async def test_what_was_shared_shows_the_part_shared_or_held_back() -> None:
    journal = Journal()
    held = Entry(occurred=NOW - timedelta(hours=1), person="A",
                 listen=Listen(story="Her brother's overdose last spring"), select=Select(decision="hold"))  # fmt: skip
    shared = Entry(occurred=NOW - timedelta(hours=2), person="B",
                   listen=Listen(story="Lost the flat on Monday"),
                   select=Select(decision="share", part="My first month in the shelter"),
                   share=Share(how="asked first, kept it short"))  # fmt: skip
    journal.import_records([held, shared])
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(120, 40)) as pilot:
        home = await ready(pilot)
        held_row = row_text(home, f"entry:{held.id}")
        assert "held back" in held_row
        assert held_row.index("held back") < held_row.index("Her brother")  # the story only as heard, after
        assert "heard: Her brother" in held_row
        shared_row = row_text(home, f"entry:{shared.id}")
        assert "My first month in the shelter" in shared_row and "Lost the flat" not in shared_row
