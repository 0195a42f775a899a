"""A new encounter shows its first page at once (issue 9, item 18): only the page shown is
built before the first frame, each other page when first shown. The form still reads
and saves every field, keys typed at full speed still reach the right field, and a
crisis marked before the wrap-up page exists is kept. Keys are sent in bursts."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from textual.widgets import Checkbox

from encounter_helpers import SIZE, burst, encounter, home_ready, new_app, settle, wait_for
from reflect.domain.model import MI, Entry, Flags, Listen, Reflect, Select, Share
from reflect.screens.app import ReflectApp
from reflect.screens.crisis import CrisisPanel
from reflect.screens.encounter import EncounterScreen
from reflect.screens.footer import Footer
from reflect.screens.home import HomeScreen
from reflect.store import Journal

NOW = datetime(2024, 5, 15, 9, 0, tzinfo=timezone.utc)
STAMPS = ("recorded", "updated")


def frozen() -> datetime:
    return NOW


def whole_entry() -> Entry:
    """An entry with something in every page's fields."""
    return Entry(
        occurred=NOW - timedelta(hours=2), person="R.", setting="phone", minutes=45,
        listen=Listen(story="Lost the flat", matters="Staying housed", themes=["housing", "family"]),
        reflect=Reflect(experience="My own eviction", feelings="tight chest", impact="slowed down"),
        select=Select(decision="share", part="The shelter month", purposes=["hope"]),
        share=Share(how="asked first", response="engaged", next_steps="call the council"),
        competencies=["I", "III"], mi=MI(open_questions=2, reflections=3, change_talk=["wants a flat"]),
        flags=Flags(discuss=True, self_care=True), tags=["housing", "follow-up"], question="Was it too much?",
        visibility="private",
    )  # fmt: skip


@pytest.fixture
def journal() -> Journal:
    j = Journal()
    j.import_records([Entry(occurred=NOW - timedelta(hours=3 + i), person=f"P{i}", listen=Listen(story=f"earlier {i}"))
                      for i in range(300)])  # fmt: skip
    return j


async def test_a_new_encounter_builds_only_the_page_it_shows(journal: Journal) -> None:
    app = ReflectApp(journal, clock=frozen)
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        await burst(pilot, "n")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        screen = encounter(pilot)
        await settle(pilot)
        assert screen.built_pages == {"listen"}
        assert not screen.query("#flag-crisis")  # the wrap-up page is not built
        await burst(pilot, *"the story", "ctrl+n", *"mine too")
        await settle(pilot)
        assert screen.built_pages == {"listen", "reflect"}
        assert screen.query_one("#experience").text == "mine too"  # type: ignore[attr-defined]


async def test_an_entry_saved_before_its_other_pages_are_built_keeps_every_field() -> None:
    journal = Journal()
    entry = whole_entry()
    journal.import_records([entry])
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        await burst(pilot, "enter", "e", "ctrl+s")  # saved as it opened, one page built
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) or not isinstance(app.screen, EncounterScreen),
                       "the save")  # fmt: skip
        await settle(pilot)
    [saved] = Journal().recent()
    strip = lambda d: {k: v for k, v in d.items() if k not in STAMPS}  # noqa: E731
    assert strip(saved.to_dict()) == strip(entry.to_dict())
    assert Journal().drafts() == []


async def test_opening_and_leaving_an_entry_before_its_pages_are_built_keeps_no_draft() -> None:
    journal = Journal()
    journal.import_records([whole_entry()])
    app = ReflectApp(journal=Journal(), clock=frozen)
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        await burst(pilot, "enter", "e", "escape")
        await settle(pilot)
        await burst(pilot, "e", "ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n", "escape")  # every page built, nothing typed
        await settle(pilot)
    assert Journal().drafts() == []


async def test_a_crisis_marked_before_the_wrap_up_page_exists_is_kept_and_can_be_unticked() -> None:
    journal = Journal()
    app = new_app(journal)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        screen = encounter(pilot)
        await burst(pilot, *"They said they had a plan.", "ctrl+x")
        await wait_for(pilot, lambda: isinstance(app.screen, CrisisPanel), "the crisis panel")
        assert "wrapup" not in screen.built_pages
        await burst(pilot, "escape")  # closed: nothing recorded, the crisis stays marked
        await settle(pilot)
        await wait_for(pilot, lambda: bool(journal.drafts()), "the draft")
        [draft] = journal.drafts()
        assert draft.entry["flags"]["crisis"] is True
        assert "crisis" in str(screen.query_one("#status").render())
        await burst(pilot, "ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n")
        await settle(pilot)
        flag = screen.query_one("#flag-crisis", Checkbox)
        assert flag.value is True
        flag.value = False  # a mistake: unticked on the wrap-up page
        await settle(pilot)
        assert screen._form()["flags"]["crisis"] is False


async def test_moving_between_fields_keeps_the_footer_unless_its_keys_change(journal: Journal) -> None:
    app = ReflectApp(journal, clock=frozen)
    async with app.run_test(size=SIZE) as pilot:
        home = await home_ready(pilot)
        footer = home.query_one(Footer)
        assert "? Help" in " ".join(str(k.render()) for k in footer.children)
        await burst(pilot, "slash")  # in the search line "?" is typed: help is f1
        await settle(pilot)
        assert "f1 Help" in " ".join(str(k.render()) for k in footer.children)
        await burst(pilot, "escape", "tab")  # back to the list: "?" again
        await settle(pilot)
        assert "? Help" in " ".join(str(k.render()) for k in footer.children)
        await burst(pilot, "n")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        await settle(pilot)
        keys = list(encounter(pilot).query_one(Footer).children)
        await burst(pilot, "tab", "tab", "shift+tab")  # story, what matters, themes, back
        await settle(pilot)
        assert list(encounter(pilot).query_one(Footer).children) == keys  # not rebuilt
