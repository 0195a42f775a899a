"""The app shell and home screen, driven by keys on a real journal in tmp_path."""

from __future__ import annotations

from functools import partial

from datetime import datetime, timedelta, timezone

import pytest
from textual.widgets import Input, Sparkline, Static

from reflect.screens.app import ReflectApp
from reflect.domain.model import Draft, Entry, Flags, Listen
from reflect.domain.settings import Settings
from reflect.screens.entry_view import EntryView
from reflect.screens.help import HelpScreen
from reflect.screens.home import PAGE, EntryList, HomeScreen, week_start
from reflect.screens.query import QueryError, parse_query
from reflect.screens.stories import StoryBankScreen
from reflect.screens.widgets import ConfirmDialog
from reflect.store import Journal
from encounter_helpers import wait_for as shared_wait_for

NOW = datetime(2024, 5, 15, 9, 0, tzinfo=timezone.utc)


def frozen() -> datetime:
    return NOW


wait_for = partial(shared_wait_for, seconds=5.0)


def palette_offers(app: ReflectApp, title: str) -> bool:
    """The command palette is open and its highlighted command is `title`."""
    from textual.command import CommandList, CommandPalette

    palette = app.screen
    if not isinstance(palette, CommandPalette):
        return False
    option = palette.query_one(CommandList).highlighted_option
    return option is not None and str(option.prompt).startswith(title)


def home_of(app: ReflectApp) -> HomeScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, HomeScreen)
    return screen


async def ready(pilot) -> HomeScreen:
    home = home_of(pilot.app)
    await wait_for(pilot, lambda: home.ready and home.glance_ready, "home to load")
    await pilot.pause()
    return home


def rows(app: ReflectApp) -> list[tuple[str, str]]:
    """(option id, plain text) of every row in the home list."""
    lst = app.screen_stack[0].query_one(EntryList)
    return [(o.id or "", str(o.prompt)) for o in lst.options]


def entry_ids(app: ReflectApp) -> list[str]:
    return [i.split(":", 1)[1] for i, _ in rows(app) if i.startswith("entry:")]


@pytest.fixture
def journal() -> Journal:
    return Journal()


@pytest.fixture
def seeded(journal: Journal) -> dict[str, Entry]:
    """Three entries saved out of time order, with distinct flags and tags."""
    entries = {
        "old": Entry(occurred=NOW - timedelta(days=20), person="AB", setting="group",
                     listen=Listen(story="Talked about the housing waiting list"), tags=["group"]),
        "new": Entry(occurred=NOW - timedelta(hours=3), person="River",
                     listen=Listen(story="A hard night; we called the crisis line together"),
                     flags=Flags(crisis=True, discuss=True)),
        "mid": Entry(occurred=NOW - timedelta(days=2), person="K.T.", setting="phone",
                     listen=Listen(story="Celebrated ninety days"), flags=Flags(celebrate=True),
                     visibility="private"),
    }
    for key in ("old", "new", "mid"):
        journal.save(entries[key])
    return entries


async def test_home_lists_entries_newest_first_with_markers(seeded):
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert entry_ids(app) == [seeded["new"].id, seeded["mid"].id, seeded["old"].id]
        text = dict(rows(app))
        new_row = text[f"entry:{seeded['new'].id}"]
        assert "River" in new_row and "A hard night" in new_row
        assert "! ?" in new_row  # crisis and discuss slots, no colour needed
        mid_row = text[f"entry:{seeded['mid'].id}"]
        assert "★P" in mid_row and "phone" in mid_row
        assert "group" in text[f"entry:{seeded['old'].id}"]


async def test_empty_journal_says_how_to_start():
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert entry_ids(app) == []
        assert any("Press n" in text for _, text in rows(app))


@pytest.mark.parametrize(
    ("query", "want"),
    [
        ("flag:crisis", ["new"]),
        ("flag:private", ["mid"]),
        ("flag:celebrate flag:private", ["mid"]),
        ("tag:group", ["old"]),
        ("housing", ["old"]),
        ("CRISIS LINE", ["new"]),
        ("since:2024-05-10", ["new", "mid"]),
        ("until:2024-05-01", ["old"]),
    ],
)
async def test_search_filters_the_list(seeded, query, want):
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await ready(pilot)
        await pilot.press("slash")
        assert app.focused is home.query_one("#search", Input)
        await pilot.press(*query, "enter")
        expected = [seeded[k].id for k in want]
        await wait_for(pilot, lambda: entry_ids(app) == expected, f"results of {query!r}")
        assert app.focused is home.query_one(EntryList)
        status = str(home.query_one("#status", Static).render())
        assert "matching" in status
        await pilot.press("escape")  # clears the search: everything is back
        await wait_for(pilot, lambda: len(entry_ids(app)) == 3, "the search to clear")


async def test_search_mistake_is_explained_and_keeps_the_list(seeded):
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await ready(pilot)
        await pilot.press("slash", *"flag:sad", "enter")
        await pilot.pause()
        status = str(home.query_one("#status", Static).render())
        assert "no flag 'sad'" in status
        assert len(entry_ids(app)) == 3


async def test_list_pages_in_more_as_the_peer_scrolls(journal):
    entries = [
        Entry(occurred=NOW - timedelta(hours=i), person=f"P{i}", listen=Listen(story=f"story {i}"))
        for i in range(PAGE * 2 + 7)
    ]
    journal.import_records(entries)
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await ready(pilot)
        assert len(entry_ids(app)) == PAGE
        for _ in range(4):
            await pilot.press("end")
            await pilot.pause(0.05)
        await wait_for(pilot, lambda: home._exhausted and len(entry_ids(app)) == len(entries), "every page")
        assert entry_ids(app) == [e.id for e in entries]  # newest first, no duplicates
        # reading an entry deep in the list and coming back keeps the place
        lst = home.query_one(EntryList)
        await pilot.press("end")
        at = lst.highlighted_option.id
        assert at == f"entry:{entries[-1].id}"
        await pilot.press("enter")
        assert isinstance(app.screen, EntryView) and app.screen.entry.id == entries[-1].id
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is home, "home to come back")
        await app.workers.wait_for_complete()  # the drafts re-read after the view has run
        await pilot.pause()
        assert lst.highlighted_option.id == at and len(entry_ids(app)) == len(entries)


async def test_draft_rows_come_first_and_can_be_discarded(journal, seeded):
    keep = journal.save_draft(Draft(entry={"listen": {"story": "Keep me: the cold flat and the landlord"}}))
    gone = journal.save_draft(Draft(entry={"person": "Q", "listen": {"story": "Throw me away please"}}))
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        ids = [i for i, _ in rows(app) if i]
        assert set(ids[:2]) == {f"draft:{gone.id}", f"draft:{keep.id}"}  # drafts before entries
        assert "Throw me away please" in dict(rows(app))[f"draft:{gone.id}"]
        lst = home_of(app).query_one(EntryList)
        assert lst.highlighted_option.id in set(ids[:2])
        if lst.highlighted_option.id != f"draft:{gone.id}":
            await pilot.press("down")
        assert lst.highlighted_option.id == f"draft:{gone.id}"
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep it after all
        assert {d.id for d in journal.drafts()} == {gone.id, keep.id}
        await pilot.press("d")
        await pilot.press("y")
        await wait_for(pilot, lambda: f"draft:{gone.id}" not in dict(rows(app)), "the draft row to go")
        assert [d.id for d in journal.drafts()] == [keep.id]
        assert len(entry_ids(app)) == 3


async def test_discard_key_does_nothing_on_an_entry(seeded, journal):
    journal.save_draft(Draft(entry={"listen": {"story": "still here"}}))
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("down")  # from the draft to the first entry
        assert home_of(app).query_one(EntryList).highlighted_option.id.startswith("entry:")
        await pilot.press("d")
        assert isinstance(app.screen, HomeScreen)
        assert len(journal.drafts()) == 1


async def test_enter_on_a_draft_resumes_it_word_for_word(journal):
    draft = journal.save_draft(Draft(entry={
        "occurred": (NOW - timedelta(hours=1)).isoformat(),
        "person": "Q",
        "listen": {"story": "She said the new flat is cold and the landlord won't answer"},
    }))
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        from reflect.screens.encounter import EncounterScreen
        from textual.widgets import TextArea

        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter screen")
        screen = app.screen
        await pilot.pause()
        texts = [t.text for t in screen.query(TextArea)]
        assert draft.entry["listen"]["story"] in texts


async def test_entry_view_shows_the_whole_entry(seeded):
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("down", "enter")  # the second newest: K.T., private
        assert isinstance(app.screen, EntryView)
        assert app.screen.entry.id == seeded["mid"].id
        text = str(app.screen.query_one("#entry-text", Static).render())
        assert "Celebrated ninety days" in text
        assert "K.T." in text and "private" in text and "★ celebrate" in text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_e_on_entry_view_opens_the_encounter_screen_on_that_entry(seeded):
    from reflect.screens.encounter import EncounterScreen

    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("enter", "e")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter screen")
        assert app.screen._entry_arg.id == seeded["new"].id


async def test_n_opens_a_new_encounter_and_start_new_goes_straight_there():
    from reflect.screens.encounter import EncounterScreen

    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "n to open a new encounter")
        assert app.screen._entry_arg is None and app.screen._draft_arg is None

    app = ReflectApp(journal=Journal(), start="new", clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "start='new'")
        assert isinstance(app.screen_stack[0], HomeScreen)  # leaving it lands on home


def test_start_must_be_known():
    with pytest.raises(ValueError):
        ReflectApp(journal=Journal(), start="elsewhere")


async def test_glance_counts_weeks_and_names_the_next_meeting(journal):
    this_week = week_start(NOW)
    journal.import_records([
        Entry(occurred=this_week + timedelta(hours=1)),
        Entry(occurred=this_week + timedelta(hours=2)),
        Entry(occurred=this_week - timedelta(days=3)),  # last week
        Entry(occurred=this_week - timedelta(weeks=20)),  # before the chart
    ])
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await ready(pilot)
        data = list(home.query_one("#week-chart", Sparkline).data)
        assert len(data) == 16 and data[-1] == 2 and data[-2] == 1 and sum(data) == 3
        assert "2 this week" in str(home.query_one("#week-summary").render())
        assert "reflect config schedule" in str(home.query_one("#next-meeting", Static).render())


async def test_glance_names_the_next_meeting_from_the_schedule(journal):
    dates = pytest.importorskip("reflect.domain.dates")
    journal.save_settings(Settings(schedule="FREQ=WEEKLY;BYDAY=TH;BYHOUR=10;BYMINUTE=0;BYSECOND=0"))
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await ready(pilot)
        line = str(home.query_one("#next-meeting", Static).render())
        assert line.startswith("Next supervision:"), line
        nxt = dates.next_meeting(journal.settings().schedule, after=NOW)
        assert nxt is not None and dates.format_when(nxt, now=NOW) in line


async def test_theme_toggle_is_saved_and_restored(journal):
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        dark = app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark is not dark
        want = app.theme
        await wait_for(pilot, lambda: journal.settings().theme == want, "the theme to be saved")
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.theme == want


async def test_no_color_is_respected(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = ReflectApp(journal=Journal(), clock=frozen)
    assert app.no_color


async def test_help_lists_keys_and_the_marker_legend(seeded):
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys", Static).render())
        for text in ("Journal a new encounter", "Search and filter entries", "Discard the highlighted draft",
                     "Your story bank", "Switch between light and dark", "Open the highlighted entry"):
            assert text in keys
        legend = str(app.screen.query_one("#help-markers", Static).render())
        assert "! " in legend and "crisis" in legend and "P " in legend and "private" in legend
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


async def test_every_home_binding_is_in_the_command_palette(seeded):
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await ready(pilot)
        titles = {c.title for c in app.get_system_commands(home)}
        for binding in HomeScreen.BINDINGS + ReflectApp.BINDINGS:
            assert binding.description in titles, binding.description
            assert binding.id, binding
        # and the palette runs them: open the story bank by name
        await pilot.press("ctrl+p")
        await pilot.press(*"Stories")
        await wait_for(pilot, lambda: palette_offers(app, "Stories"), "the palette to offer Stories")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, StoryBankScreen), "the palette to open stories")


async def test_q_quits(seeded):
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


# --- the search syntax, without the app --------------------------------------------------


def test_parse_query_reads_words_flags_tags_and_dates():
    flt = parse_query('cold flat flag:crisis flag:self-care tag:Group since:2024-05-01 "landlord said"', now=NOW)
    assert flt.text == "cold flat landlord said"
    assert flt.flags == ["crisis", "self_care"]
    assert flt.tags == ["Group"]
    assert flt.since is not None and flt.since.date().isoformat() == "2024-05-01"
    assert parse_query("", now=NOW).text == "" and parse_query("   ").flags == []
    assert parse_query("http://x").text == "http://x"  # an unknown key: is just text


@pytest.mark.parametrize("bad", ['flag:sad', 'flag:', '"unclosed', "since:2024-06-01 until:2024-05-01"])
def test_parse_query_explains_mistakes(bad):
    with pytest.raises(QueryError):
        parse_query(bad, now=NOW)


async def test_leaving_an_encounter_highlights_the_draft_it_kept(seeded, journal):
    from reflect.screens.encounter import EncounterScreen

    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await ready(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter screen")
        await pilot.pause()
        await pilot.press(*"Half a story", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and home._drafts, "the draft row")
        [draft] = journal.drafts()
        lst = home.query_one(EntryList)
        await wait_for(pilot, lambda: lst.highlighted_option.id == f"draft:{draft.id}", "the draft highlighted")
        await pilot.press("enter")  # enter resumes what was just left, not the entry above
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the draft to reopen")
        await pilot.pause()
        assert app.screen.query_one("#story").text == "Half a story"


async def test_entry_view_puts_no_colon_after_a_question(seeded, journal):
    from reflect.domain.model import Checks, Select

    entry = seeded["new"]
    entry.select = Select(decision="share", checks=Checks(within_role=True, brief=False))
    journal.save(entry)
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, EntryView)
        text = str(app.screen.query_one("#entry-text", Static).render())
        assert "Is it within my role? yes" in text
        assert "?:" not in text
        assert "Decision: " in text  # ordinary labels keep their colon


def test_search_status_says_flagged_and_tagged():
    from reflect.screens.query import describe

    flt = parse_query("flag:crisis flag:private tag:group", now=NOW)
    assert describe(flt) == "flagged crisis, private, tagged group"


async def test_help_wraps_long_lines_under_the_text_column(seeded):
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        keys = str(app.screen.query_one("#help-keys", Static).render()).splitlines()
        [at] = [i for i, line in enumerate(keys) if "Open the highlighted entry" in line]
        column = keys[at].index("Open")
        follow = keys[at + 1]
        assert follow[:column].strip() == "" and "draft" in follow  # the rest hangs under the text
        assert all(len(line) <= 72 for line in keys)  # nothing left for the box to wrap again
        assert "Focus Next" not in "\n".join(keys) and "Next field" in "\n".join(keys)


def test_an_unreadable_search_date_is_quoted_once() -> None:
    with pytest.raises(QueryError) as caught:
        parse_query("since:blorp")
    assert str(caught.value).count("blorp") == 1 and str(caught.value).startswith("cannot read the date 'blorp'")
