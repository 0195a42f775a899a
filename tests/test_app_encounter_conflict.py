"""Saving an entry that another process deleted or replaced since it was opened: the app
used to save over it, undoing the delete or the replacement. Now every save carries the
version it started from, and a conflict asks: keep mine as a copy, take theirs, overwrite.
A screen never conflicts with its own earlier save (ctrl+s again, the crisis panel's save).

"Another process" is a second `Journal` on the same files; what was stored is read back
through a fresh one."""

from __future__ import annotations

from textual.pilot import Pilot

from encounter_helpers import FROZEN, SIZE, new_app, settle, wait_for
from reflect.domain.model import Entry
from reflect.screens.conflict import ConflictPrompt
from reflect.screens.crisis import CrisisPanel
from reflect.screens.encounter import EncounterScreen
from reflect.screens.home import HomeScreen
from reflect.store import Journal

STORY = "T talked about the waiting list"


def _stored() -> Entry:
    entry = Entry(occurred=FROZEN, person="T")
    entry.listen.story = STORY
    Journal().import_records([entry])
    return entry


async def _edit_then_save(pilot: Pilot, meanwhile: object) -> ConflictPrompt:
    """Open the entry for editing, let `meanwhile` run (the other process), type and ctrl+s:
    the choice appears, and nothing has been saved yet."""
    app = pilot.app
    await pilot.pause()
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
    meanwhile()  # type: ignore[operator]
    await pilot.press(*" and mine", "ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.screen, ConflictPrompt), "the conflict choice")
    prompt = app.screen
    assert isinstance(prompt, ConflictPrompt)
    text = " ".join(str(s.render()) for s in prompt.query("Static"))
    assert "waiting" not in text and "T" not in text.split()  # names nothing from either version
    return prompt


async def _choose(pilot: Pilot, key: str) -> None:
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HomeScreen), "back home")
    await settle(pilot)


async def test_take_theirs_leaves_a_deleted_entry_deleted() -> None:
    entry = _stored()
    app = new_app(start="home")
    async with app.run_test(size=SIZE) as pilot:
        prompt = await _edit_then_save(pilot, lambda: Journal().delete(entry.id))
        assert prompt.deleted
        assert Journal().recent() == []  # nothing saved while the choice is open
        await _choose(pilot, "t")
    assert Journal().recent() == []
    assert Journal().drafts() == []


async def test_keep_mine_as_a_copy_when_another_process_replaced_it() -> None:
    entry = _stored()
    theirs = Entry.from_dict(entry.to_dict())
    theirs.listen.story = "their version"
    app = new_app(start="home")
    async with app.run_test(size=SIZE) as pilot:
        prompt = await _edit_then_save(pilot, lambda: Journal().save(theirs))
        assert not prompt.deleted
        await _choose(pilot, "c")
    stored = {e.id: e.listen.story for e in Journal().recent()}
    assert stored[entry.id] == "their version"
    [mine] = [story for id_, story in stored.items() if id_ != entry.id]
    assert mine == STORY + " and mine"


async def test_overwrite_stores_mine() -> None:
    entry = _stored()
    theirs = Entry.from_dict(entry.to_dict())
    theirs.listen.story = "their version"
    app = new_app(start="home")
    async with app.run_test(size=SIZE) as pilot:
        await _edit_then_save(pilot, lambda: Journal().save(theirs))
        await _choose(pilot, "o")
    [e] = Journal().recent()
    assert e.id == entry.id and e.listen.story == STORY + " and mine"


async def test_overwrite_restores_a_deleted_entry() -> None:
    entry = _stored()
    app = new_app(start="home")
    async with app.run_test(size=SIZE) as pilot:
        await _edit_then_save(pilot, lambda: Journal().delete(entry.id))
        await _choose(pilot, "o")
    [e] = Journal().recent()
    assert e.id == entry.id and e.listen.story == STORY + " and mine"


async def test_a_new_encounter_saved_twice_never_conflicts_with_itself() -> None:
    app = new_app(start="home")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        await pilot.press(*STORY, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "back home")
        await settle(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter again")
        await pilot.press(*" and more", "ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, EncounterScreen), "leaving")
        assert not isinstance(app.screen, ConflictPrompt)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    [e] = Journal().recent()
    assert e.listen.story == STORY + " and more"


async def test_the_crisis_save_then_ctrl_s_never_conflicts_with_itself() -> None:
    app = new_app(start="home")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        await pilot.press(*STORY, "ctrl+x")
        await wait_for(pilot, lambda: isinstance(app.screen, CrisisPanel), "the crisis panel")
        await pilot.press("space", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "back to the encounter")
        await settle(pilot)
        assert [e.listen.story for e in Journal().recent()] == [STORY]
        await pilot.press(*" and after", "ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, EncounterScreen), "leaving")
        assert not isinstance(app.screen, ConflictPrompt)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    [e] = Journal().recent()
    assert e.listen.story == STORY + " and after" and e.crisis is not None


async def test_a_resumed_draft_remembers_the_version_it_started_from() -> None:
    """An edit left as a draft, the entry deleted elsewhere, the draft resumed and saved: asks."""
    entry = _stored()
    app = new_app(start="home")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        await pilot.press(*" and mine", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "back home")
        await settle(pilot)
        assert len(Journal().drafts()) == 1
        Journal().delete(entry.id)
        home = app.screen
        assert isinstance(home, HomeScreen)
        # Home follows other processes' changes on its own: let it take in the delete first,
        # or the enter below can land while the list is being refilled (seen in CI).
        await wait_for(pilot, lambda: all(e.id != entry.id for e in home._entries), "home to drop the entry")
        await settle(pilot)
        await pilot.press("home", "enter")  # drafts come first: resume the draft just kept
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the draft resumed")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictPrompt), "the conflict choice")
        assert Journal().recent() == []
        await _choose(pilot, "t")
    assert Journal().recent() == [] and Journal().drafts() == []
