"""The encounter screen driven from keys on the real app and a real journal in tmp_path."""

from __future__ import annotations

import json
import stat
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from textual.widgets import Input, Static, TextArea

from encounter_helpers import FROZEN, SIZE, encounter, new_app, settle, type_text
from reflect.domain.model import Entry, Story
from reflect.screens.encounter import EncounterScreen
from reflect.screens.privacy import PrivacyPrompt
from reflect.store import Journal


async def test_opens_on_listen_with_the_cursor_in_the_story() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = encounter(pilot)
        assert app.focused is screen.query_one("#story", TextArea)
        await type_text(pilot, "first keystroke")
        assert screen.query_one("#story", TextArea).text == "first keystroke"
        progress = str(screen.query_one("#progress", Static).render())
        for title in ("Listen", "Reflect", "Select", "Share"):
            assert title in progress


async def test_a_whole_encounter_typed_from_keys_is_stored_field_by_field() -> None:
    journal = Journal()
    story = journal.save_story(Story(title="Finding work again", text="How I went back to work.", themes=["work"]))
    journal.save_story(Story(title="Old part", retired=True))
    app = new_app(journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = encounter(pilot)
        # Listen: the story first, then the context row above it.
        await type_text(pilot, "They lost their job last week.\nThey feel stuck.")
        await pilot.press("tab")
        await type_text(pilot, "Getting back to a routine.")
        await pilot.press("tab")
        await type_text(pilot, "work, routine")
        await pilot.press("shift+tab", "shift+tab", "shift+tab")  # themes -> matters -> story -> minutes
        assert app.focused is screen.query_one("#minutes", Input)
        await type_text(pilot, "45")
        await pilot.press("shift+tab", "enter", "down", "enter")  # setting: group
        await pilot.press("shift+tab")
        await type_text(pilot, "JD")
        await pilot.press("shift+tab")
        assert app.focused is screen.query_one("#when", Input)
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "yesterday 3pm")
        await pilot.pause()
        assert "✗" not in str(screen.query_one("#when-hint", Static).render())
        # Reflect
        await pilot.press("ctrl+n")
        assert app.focused is screen.query_one("#experience", TextArea)
        await type_text(pilot, "I lost work once too.")
        await pilot.press("tab")
        await type_text(pilot, "A little anxious.")
        await pilot.press("tab")
        await type_text(pilot, "Reminded me how far I have come.")
        # Select
        await pilot.press("ctrl+n")
        await pilot.press("up", "up", "enter")  # decision: share
        await pilot.press("tab", "enter", "down", "enter")  # story bank: the first story
        await pilot.press("tab")
        await type_text(pilot, "How routine helped me.")
        await pilot.press("tab", "space", "down", "down", "space")  # instill hope, model a coping strategy
        await pilot.press("tab", "y", "tab", "y", "tab", "n", "tab", "space", "tab", "tab", "y")
        # Share
        await pilot.press("ctrl+n")
        await type_text(pilot, "Asked first, kept it short.")
        await pilot.press("tab", "enter", "up", "up", "up", "up", "enter")  # response: engaged
        await pilot.press("tab")
        await type_text(pilot, "Call the job centre.")
        await pilot.press("tab")
        await type_text(pilot, "Ask more about their week.")
        # Wrap-up
        await pilot.press("ctrl+n")
        await pilot.press("tab", "tab", "space", "tab", "tab", "space")  # discuss, celebrate
        await pilot.pause()
        await pilot.press("tab")
        assert app.focused is screen.query_one("#question", TextArea)
        await type_text(pilot, "Was sharing too soon?")
        await pilot.press("tab", "down", "enter")  # visibility: private
        await pilot.press("tab")
        await type_text(pilot, "jobs, first-visit")
        await pilot.press("tab", "space", "down", "down", "space")  # competencies I and III
        await pilot.press("tab", "3", "tab", "2", "tab", "4", "tab", "1")
        await pilot.press("tab", "space", "down", "down", "down", "space")  # change talk: desire, need
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, EncounterScreen)

    entries = journal.recent()
    assert len(entries) == 1
    e = entries[0]
    assert e.occurred == datetime(2025, 3, 13, 15, 0, tzinfo=timezone.utc)
    assert (e.person, e.setting, e.minutes) == ("JD", "group", 45)
    assert e.listen.story == "They lost their job last week.\nThey feel stuck."
    assert e.listen.matters == "Getting back to a routine."
    assert e.listen.themes == ["work", "routine"]
    assert e.reflect.experience == "I lost work once too."
    assert e.reflect.feelings == "A little anxious."
    assert e.reflect.impact == "Reminded me how far I have come."
    assert e.select.decision == "share"
    assert e.select.story_id == story.id
    assert e.select.part == "How routine helped me."
    assert e.select.purposes == ["instill hope", "model a coping strategy"]
    assert e.select.checks.to_dict() == {
        "their_need": True,
        "asked_permission": True,
        "brief": False,
        "returned_focus": True,
        "within_role": None,
        "settled": True,
    }
    assert e.share.how == "Asked first, kept it short."
    assert e.share.response == "engaged"
    assert e.share.next_steps == "Call the job centre."
    assert e.share.differently == "Ask more about their week."
    assert e.competencies == ["I", "III"]
    assert e.mi is not None
    assert e.mi.to_dict() == {
        "open_questions": 3,
        "affirmations": 2,
        "reflections": 4,
        "summaries": 1,
        "change_talk": ["desire", "need"],
    }
    assert e.flags.active() == ["discuss", "celebrate"]
    assert e.question == "Was sharing too soon?"
    assert e.visibility == "private"
    assert e.tags == ["jobs", "first-visit"]
    assert e.crisis is None
    assert journal.drafts() == []


async def test_back_and_next_keep_what_was_typed() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = encounter(pilot)
        await type_text(pilot, "story text")
        await pilot.press("ctrl+n")
        await type_text(pilot, "my experience")
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n")
        await pilot.press("ctrl+b", "ctrl+b", "ctrl+b", "ctrl+b")
        assert screen.query_one("#story", TextArea).text == "story text"
        assert app.focused is screen.query_one("#story", TextArea)
        await type_text(pilot, " more")
        await pilot.press("ctrl+n")
        assert app.focused is screen.query_one("#experience", TextArea)
        assert screen.query_one("#experience", TextArea).text == "my experience"
        # The buttons at the foot of the page do the same.
        await pilot.press("tab", "tab", "tab")
        assert app.focused is screen.query_one("#back-reflect")
        await pilot.press("enter")
        assert screen.query_one("#story", TextArea).text == "story text more"
        await pilot.press("ctrl+s")
        await settle(pilot)
    [e] = Journal().recent()
    assert (e.listen.story, e.reflect.experience) == ("story text more", "my experience")


async def test_an_unreadable_date_is_shown_inline_and_never_guessed() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = encounter(pilot)
        await type_text(pilot, "story")
        screen.query_one("#when", Input).focus()
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "the day after the flood")
        await pilot.pause()
        hint = screen.query_one("#when-hint", Static)
        assert "✗" in str(hint.render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert app.focused is screen.query_one("#when", Input)
        assert Journal().count() == 0
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "2025-03-10 09:15")
        await pilot.pause()
        assert "✗" not in str(hint.render())
        await pilot.press("ctrl+s")
        await settle(pilot)
    [e] = Journal().recent()
    assert e.occurred == datetime(2025, 3, 10, 9, 15, tzinfo=timezone.utc)


async def test_default_when_is_the_app_clock() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("tab", *"routine", "ctrl+s")  # something written: an empty entry is refused
        await settle(pilot)
    [e] = Journal().recent()
    assert e.occurred == FROZEN
    assert e.listen.story == "" and e.person == ""  # empty fields are allowed


async def test_editing_an_entry_changes_only_that_entry() -> None:
    journal = Journal()
    saved = []
    for i in range(3):
        e = Entry(occurred=FROZEN - timedelta(days=i), person=f"P{i}")
        e.listen.story = f"story {i}"
        saved.append(journal.save(e))
    before = {e.id: json.dumps(journal.get(e.id).to_dict(), sort_keys=True) for e in saved}
    target = journal.get(saved[1].id)
    app = new_app(journal, start="home")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        results: list[Entry | None] = []
        app.push_screen(EncounterScreen(journal, entry=target), results.append)
        await pilot.pause()
        screen = encounter(pilot)
        assert screen.query_one("#story", TextArea).text == "story 1"
        await type_text(pilot, ", edited")
        await pilot.press("ctrl+n")
        await type_text(pilot, "new reflection")
        await settle(pilot)
        [draft] = journal.drafts()
        assert draft.entry_id == target.id
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert results and results[0] is not None and results[0].id == target.id
    assert journal.count() == 3
    after = journal.get(target.id)
    assert after.listen.story == "story 1, edited"
    assert after.reflect.experience == "new reflection"
    assert after.recorded == target.recorded
    assert after.person == "P1"
    for e in saved:
        if e.id != target.id:
            assert json.dumps(journal.get(e.id).to_dict(), sort_keys=True) == before[e.id]
    assert journal.drafts() == []


async def test_privacy_prompt_names_field_and_kind_and_save_anyway_saves() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = encounter(pilot)
        await type_text(pilot, "She said: call me at 555-123-4567")
        await pilot.press("ctrl+s")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, PrivacyPrompt)
        shown = " ".join(str(s.render()) for s in prompt.query("Static")) + str(
            prompt.query_one("OptionList").get_option_at_index(0).prompt
        )
        assert "phone number" in shown and "the person's story" in shown
        assert "555" not in shown
        # Edit goes back to the field with the number selected.
        await pilot.press("e")
        await pilot.pause()
        assert app.screen is screen
        story = screen.query_one("#story", TextArea)
        assert app.focused is story
        assert story.selected_text == "555-123-4567"
        assert Journal().count() == 0
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PrivacyPrompt)
        await pilot.press("a")
        await settle(pilot)
        assert not isinstance(app.screen, EncounterScreen)
    [e] = Journal().recent()
    assert e.listen.story == "She said: call me at 555-123-4567"


async def test_a_pseudonym_that_looks_like_a_full_name_is_pointed_out() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = encounter(pilot)
        screen.query_one("#person", Input).value = "Maria Gonzalez"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PrivacyPrompt)
        await pilot.press("enter")  # edit the highlighted field
        await pilot.pause()
        assert app.focused is screen.query_one("#person", Input)


def _editor_script(tmp_path: Path) -> Path:
    script = tmp_path / "fake-editor"
    seen = tmp_path / "seen.txt"
    where = tmp_path / "where.txt"
    script.write_text(
        f'#!/bin/sh\necho "$1" > "{where}"\ncat "$1" > "{seen}"\nprintf "written in the editor\\nsecond line\\n" > "$1"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


async def test_editor_round_trip(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(_editor_script(tmp_path)))
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    temp_before = set(Path(tempfile.gettempdir()).glob("reflect-*.md"))
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = encounter(pilot)
        await type_text(pilot, "typed first")
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert (tmp_path / "seen.txt").read_text() == "typed first"
        assert screen.query_one("#story", TextArea).text == "written in the editor\nsecond line"
        # ctrl+e in a one-line field keeps its usual meaning (end of line), no editor.
        (tmp_path / "seen.txt").unlink()
        screen.query_one("#person", Input).focus()
        await pilot.press("ctrl+e")
        assert not (tmp_path / "seen.txt").exists()
        await pilot.press("ctrl+s")
        await settle(pilot)
    [e] = Journal().recent()
    assert e.listen.story == "written in the editor\nsecond line"
    assert set(Path(tempfile.gettempdir()).glob("reflect-*.md")) <= temp_before  # the journal text is not left behind
    # The file went in the runtime folder paths.editor_temp_dir() names, and was removed after.
    edited = Path((tmp_path / "where.txt").read_text().strip())
    assert edited.parent == runtime and edited.name.startswith("reflect-") and not edited.exists()


async def test_a_failing_editor_changes_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("VISUAL", str(tmp_path / "no-such-editor"))
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = encounter(pilot)
        await type_text(pilot, "keep me")
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert screen.query_one("#story", TextArea).text == "keep me"
        assert app.screen is screen


async def test_privacy_prompt_buttons_name_their_keys() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_text(pilot, "call me at 555-123-4567")
        await pilot.press("ctrl+s")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, PrivacyPrompt)
        labels = [str(b.label) for b in prompt.query("Button")]
        assert labels == ["Edit (e)", "Save anyway (a)"]
        assert "esc" in str(prompt.query_one("#privacy-why", Static).render())


async def test_next_and_back_are_dimmed_where_there_is_no_page_to_go_to() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = encounter(pilot)
        assert screen.check_action("prev_step", ()) is None
        assert screen.check_action("next_step", ()) is True
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n")
        await pilot.pause()
        assert screen._page == "wrapup"
        assert screen.check_action("next_step", ()) is None
        assert screen.check_action("prev_step", ()) is True
        await pilot.press("ctrl+n")  # nothing happens, nothing breaks
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert screen._page == "share"


async def test_a_clipped_competency_title_is_shown_whole_when_highlighted() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = encounter(pilot)
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n")
        comps = screen.query_one("#competencies")
        comps.focus()
        await pilot.pause()
        full = screen.query_one("#competency-full", Static)
        await pilot.press("home", *["down"] * 6)  # VII, the longest title
        await pilot.pause()
        assert "VII. Provides information about skills related to health, wellness, and recovery" in str(full.render())
        await pilot.press("down")  # VIII fits on its line: nothing repeated
        await pilot.pause()
        assert str(full.render()).strip() == ""
        await pilot.press("up", "tab")  # leaving the list clears it
        await pilot.pause()
        assert str(full.render()).strip() == ""


async def test_footer_names_f1_for_help_while_typing_since_question_mark_is_text() -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        [help_binding] = [b for b in app.BINDINGS if b.action == "help"]
        assert isinstance(app.focused, TextArea)
        assert app.get_key_display(help_binding) == "f1"
        await pilot.press("question_mark")  # typed into the story, as a peer expects
        assert app.focused.text == "?"
        await pilot.press("f1")
        await pilot.pause()
        from reflect.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        assert app.get_key_display(help_binding) == "?"  # off a text field, ? is the key again
