"""Shared fixtures: every test gets its own journal, settings and XDG folders in tmp_path."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Fewer garbage collections: a Textual app makes tens of thousands of short-lived
    objects per test, and with Python's default threshold (700) the collector took a fifth
    of the app tests' CPU (5.7 s of 27 s on test_app_home + test_app_encounter_wrapup),
    most of it walking the same imported modules again and again."""
    gc.set_threshold(20_000, 50, 100)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Everything imported while collecting lives to the end: keep it out of every later
    collection (gc.freeze moves it to the permanent generation)."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test may touch the real user's journal or settings."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("REFLECT_DB", str(tmp_path / "journal.json"))
    monkeypatch.setenv("REFLECT_CONFIG", str(tmp_path / "settings.json"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TZ", os.environ.get("REFLECT_TEST_TZ", "UTC"))
    time.tzset()  # setenv alone does not change the zone the process already read
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.json"


@pytest.fixture
def snap_compare(snap_compare, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Every snapshot with a steady cursor: a blinking one is caught lit or dark at random
    (it flaked about one run in four). Input and TextArea start with blinking off, on every
    screen, including those a test opens after the app started."""
    from textual.widgets import Input, TextArea

    monkeypatch.setattr(Input.cursor_blink, "_default", False)
    monkeypatch.setattr(TextArea.cursor_blink, "_default", False)
    return snap_compare
