"""Snapshots at 80x24 with a frozen clock: each of the four steps, the wrap-up page, the crisis panel
and the privacy prompt.

Regenerate after a deliberate change with `pytest tests/test_snapshots_steps.py --snapshot-update`
and look at the SVGs in tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

import pytest

from encounter_helpers import SIZE, new_app
from reflect.domain.model import Story
from reflect.store import Journal


@pytest.fixture
def journal(monkeypatch: pytest.MonkeyPatch) -> Journal:
    # Drafts are written on a timer; keep "draft kept" out of the pictures so they never depend on timing.
    monkeypatch.setattr("reflect.screens.drafts.DRAFT_DELAY", 3600.0)
    j = Journal()
    j.save_story(Story(id="story-1", title="First year sober", text="What the first winter taught me.", themes=["hope"]))
    return j


async def _typed(pilot) -> None:
    """A little text on Listen, so the pictures show fields in use."""
    await pilot.pause()
    await pilot.press(*"They talked about the new flat.")
    await pilot.press("tab", *"Feeling safe at home")


def test_listen(snap_compare, journal: Journal) -> None:
    assert snap_compare(new_app(journal), terminal_size=SIZE, run_before=_typed)


def test_reflect(snap_compare, journal: Journal) -> None:
    assert snap_compare(new_app(journal), terminal_size=SIZE, press=["ctrl+n", *"It took me back."])


def test_select(snap_compare, journal: Journal) -> None:
    assert snap_compare(new_app(journal), terminal_size=SIZE, press=["ctrl+n", "ctrl+n", "up", "enter"])


def test_share(snap_compare, journal: Journal) -> None:
    assert snap_compare(new_app(journal), terminal_size=SIZE, press=["ctrl+n", "ctrl+n", "ctrl+n"])


def test_wrapup(snap_compare, journal: Journal) -> None:
    assert snap_compare(new_app(journal), terminal_size=SIZE, press=["ctrl+n"] * 4 + ["tab", "tab", "space"])


def test_crisis_panel(snap_compare, journal: Journal) -> None:
    assert snap_compare(new_app(journal), terminal_size=SIZE, press=["ctrl+x", "space"])


def test_privacy_prompt(snap_compare, journal: Journal) -> None:
    assert snap_compare(new_app(journal), terminal_size=SIZE, press=[*"call me at 555-123-4567", "ctrl+s"])
