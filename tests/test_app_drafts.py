"""Nothing typed is ever lost: drafts on disk while typing, on leaving, on quitting; resumed word for word."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, Select, Static, TextArea

from encounter_helpers import SIZE, encounter, new_app, settle, type_text, wait_for
from reflect.domain.model import Draft
from reflect.screens.encounter import EncounterScreen
from reflect.screens.steps import PAGES
from reflect.screens.home import HomeScreen
from reflect.store import Journal

STORY = "Line one, with  two spaces.\n\n  indented line, tab & ünïcode - ok "
MATTERS = "What matters:\nstaying housed"


async def _type_an_encounter(pilot) -> EncounterScreen:
    screen = encounter(pilot)
    await type_text(pilot, STORY)
    await pilot.press("tab")
    await type_text(pilot, MATTERS)
    screen.query_one("#person", Input).focus()
    await type_text(pilot, "R.")
    await pilot.press("ctrl+n")
    await type_text(pilot, "It reminded me of my first year.")
    await pilot.press("ctrl+n", "ctrl+n")  # on Share
    await type_text(pilot, "Briefly, then asked again")
    return screen


async def test_an_app_stopped_mid_entry_leaves_a_draft_a_new_app_resumes_word_for_word() -> None:
    journal = Journal()
    app = new_app(journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _type_an_encounter(pilot)
        app.exit()  # quit without saving, straight after the last keystroke
        await pilot.pause()
    assert journal.count() == 0
    [draft] = journal.drafts()
    assert draft.step == "share"
    assert draft.entry_id is None
    assert draft.entry["listen"]["story"] == STORY

    app2 = new_app(journal, start="home")
    async with app2.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app2.push_screen(EncounterScreen(journal, draft=draft))
        await pilot.pause()
        screen = encounter(pilot)
        assert screen.query_one("#how", TextArea).text == "Briefly, then asked again"
        assert app2.focused is screen.query_one("#how", TextArea)  # the step it was on
        await type_text(pilot, "!")
        await screen.action_goto("listen")  # the other pages are built when first shown
        await screen.action_goto("reflect")
        assert screen.query_one("#story", TextArea).text == STORY
        assert screen.query_one("#matters", TextArea).text == MATTERS
        assert screen.query_one("#person", Input).value == "R."
        assert screen.query_one("#experience", TextArea).text == "It reminded me of my first year."
        await pilot.press("ctrl+s")
        await settle(pilot)
    [e] = journal.recent()
    assert e.id == draft.entry["id"]
    assert e.listen.story == STORY
    assert e.share.how == "Briefly, then asked again!"
    assert journal.drafts() == []


async def test_typing_writes_a_draft_without_leaving() -> None:
    journal = Journal()
    app = new_app(journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_text(pilot, "still typing")
        drafts = []
        for _ in range(100):  # the draft timer fires on its own, DRAFT_DELAY after a change
            await pilot.pause(0.1)
            await app.workers.wait_for_complete()
            drafts = journal.drafts()
            if drafts and drafts[0].entry["listen"]["story"] == "still typing":
                break
        [draft] = drafts
        assert draft.entry["listen"]["story"] == "still typing"
        assert app.screen is encounter(pilot)


async def test_escape_leaves_at_once_keeps_the_draft_and_returns_none() -> None:
    journal = Journal()
    app = new_app(journal, start="home")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        results: list = []
        app.push_screen(EncounterScreen(journal), results.append)
        await pilot.pause()
        await type_text(pilot, "half a thought")
        await pilot.press("escape")
        await pilot.pause()
        assert results == [None]
        assert not isinstance(app.screen, EncounterScreen)
        [draft] = journal.drafts()
        assert draft.entry["listen"]["story"] == "half a thought"


async def test_leaving_an_untouched_form_leaves_no_draft() -> None:
    journal = Journal()
    app = new_app(journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n", "ctrl+b")
        await pilot.press("escape")
        await settle(pilot)
    assert journal.drafts() == []
    assert journal.count() == 0


async def test_every_kind_of_field_survives_a_draft() -> None:
    journal = Journal()
    app = new_app(journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = encounter(pilot)
        for page in PAGES[::-1]:  # each page is built when first shown
            await screen.action_goto(page)
        screen.query_one("#when", Input).value = "not a date at all"
        screen.query_one("#setting", Select).value = "phone"
        screen.query_one("#minutes", Input).value = "20"
        screen.query_one("#themes", Input).value = "grief, hope"
        screen.query_one("#part", TextArea).text = "the part"
        screen.query_one("#decision-hold").value = True
        screen.query_one("#check-settled").value = False
        screen.query_one("#purposes").select("dispel stigma")
        screen.query_one("#flag-self_care", Checkbox).value = True
        screen.query_one("#competencies").select("VIII")
        screen.query_one("#mi-reflections", Input).value = "5"
        screen.query_one("#visibility-private").value = True
        screen.query_one("#tags", Input).value = "night shift"
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    [draft] = journal.drafts()
    app2 = new_app(journal, start="home")
    async with app2.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app2.push_screen(EncounterScreen(journal, draft=draft))
        await pilot.pause()
        s = encounter(pilot)
        assert s.query_one("#when", Input).value == "not a date at all"
        unbuilt = s._form()  # the pages not shown yet are read from the draft itself
        for page in PAGES:
            await s.action_goto(page)
        form = s._form()
        assert form == unbuilt
        assert form["setting"] == "phone" and form["minutes"] == 20
        assert form["listen"]["themes"] == ["grief", "hope"]
        assert form["select"]["decision"] == "hold"
        assert form["select"]["part"] == "the part"
        assert form["select"]["checks"]["settled"] is False
        assert form["select"]["purposes"] == ["dispel stigma"]
        assert form["flags"]["self_care"] is True
        assert form["competencies"] == ["VIII"]
        assert form["mi"]["reflections"] == 5
        assert form["visibility"] == "private"
        assert form["tags"] == ["night shift"]


async def test_a_draft_for_a_saved_entry_replaces_that_entry() -> None:
    journal = Journal()
    app = new_app(journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_text(pilot, "original")
        await pilot.press("ctrl+s")
        await settle(pilot)
    [e] = journal.recent()
    draft = Draft(entry={**e.to_dict(), "listen": {"story": "changed", "matters": "", "themes": []}}, entry_id=e.id)
    journal.save_draft(draft)
    app2 = new_app(journal, start="home")
    async with app2.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app2.push_screen(EncounterScreen(journal, draft=journal.drafts()[0]))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
    [after] = journal.recent()
    assert after.id == e.id and after.listen.story == "changed" and after.recorded == e.recorded
    assert journal.drafts() == []


async def test_a_draft_that_cannot_be_written_is_said_and_written_once_it_can() -> None:
    """A failed draft write must not count the text as kept: the screen says so, and once the
    journal can be written again the last characters typed reach the disk, without more typing."""
    journal = Journal()
    app = new_app(journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = encounter(pilot)
        home = app.screen_stack[0]
        assert isinstance(home, HomeScreen)
        await wait_for(pilot, lambda: home.ready, "home (beneath) to finish reading")
        journal.drafts_path.mkdir(parents=True)  # a folder where the drafts file belongs: every write fails
        status = screen.query_one("#status", Static)
        await type_text(pilot, "the last words")
        await wait_for(pilot, lambda: "draft NOT kept" in str(status.render()), "the screen to say the draft failed")
        assert any("could not be written" in str(n.message) for n in app._notifications)
        assert screen.kept_draft_id is None

        journal.drafts_path.rmdir()  # the failure is cleared
        await wait_for(
            pilot,
            lambda: [d.entry["listen"]["story"] for d in journal.drafts()] == ["the last words"],
            "the retry to write the draft",
        )
        await wait_for(pilot, lambda: "draft kept" in str(status.render()), "the status to say the draft is kept")
        assert "NOT" not in str(status.render())
        assert screen.kept_draft_id == journal.drafts()[0].id
