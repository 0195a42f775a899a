"""Home on a 25,000-entry journal: End reaches the oldest entry at once, paging costs the
same at any depth, and the list holds a bounded window (issue 9, item 16)."""

from __future__ import annotations

from functools import partial

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from reflect.domain.model import Entry, Listen
from reflect.screens.app import ReflectApp
from reflect.screens.home import PAGE, WINDOW, EntryList, HomeScreen
from reflect.store import Journal
from reflect.store import browse
from reflect.usecases import browsing
from encounter_helpers import wait_for as shared_wait_for, home_ready

SIZE = 25_000
NOW = datetime(2026, 1, 1, 9, 0, tzinfo=timezone.utc)
STEP = timedelta(hours=3)  # about 250 entries a month: a hundred month files


def frozen() -> datetime:
    return NOW


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A 25,000-entry journal (built once), and its ids newest first."""
    path = tmp_path_factory.mktemp("big") / "journal.json"
    journal = Journal(path, settings_path=path.with_name("settings.json"))
    ids: list[str] = []
    batch: list[Entry] = []
    for i in range(SIZE):
        entry = Entry(occurred=NOW - STEP * (i + 1), person=f"P{i}", listen=Listen(story=f"story number {i}"))
        ids.append(entry.id)
        batch.append(entry)
        if len(batch) == 5000:
            journal.import_records(batch)
            batch = []
    journal.import_records(batch)
    return path, ids


def open_big(big: tuple[Path, list[str]]) -> Journal:
    path, _ = big
    return Journal(path, settings_path=path.with_name("settings.json"))


wait_for = partial(shared_wait_for, seconds=10.0)


ready = home_ready


def highlighted(home: HomeScreen) -> str | None:
    option = home.query_one(EntryList).highlighted_option
    return option.id if option is not None else None


def shown(home: HomeScreen) -> list[str]:
    lst = home.query_one(EntryList)
    return [o.id.split(":", 1)[1] for o in lst.options if o.id and o.id.startswith("entry:")]


@pytest.fixture
def month_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Every month file read, in order: the store's own read function, wrapped to count."""
    reads: list[Path] = []
    real = browse.read_month_file

    def counting(path: Path) -> str | None:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(browse, "read_month_file", counting)
    yield reads


async def test_end_highlights_the_oldest_entry_at_once(big) -> None:  # type: ignore[no-untyped-def]
    _, ids = big
    app = ReflectApp(journal=open_big(big), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await ready(pilot)
        await pilot.press("end")
        await pilot.pause()
        assert highlighted(home) == f"entry:{ids[-1]}"
        assert shown(home) == ids[-len(shown(home)) :]  # the oldest rows, in order
        await pilot.press("home")
        await pilot.pause()
        assert shown(home)[:PAGE] == ids[:PAGE]


async def test_paging_up_from_the_oldest_moves_by_every_key_pressed(big) -> None:  # type: ignore[no-untyped-def]
    _, ids = big
    app = ReflectApp(journal=open_big(big), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await ready(pilot)
        await pilot.press("end", *["up"] * 70)  # crosses a page edge, no pause between keys
        await pilot.pause()
        assert highlighted(home) == f"entry:{ids[-1 - 70]}"
        rows = shown(home)
        start = ids.index(rows[0])
        assert rows == ids[start : start + len(rows)]  # one contiguous run, newest first
        await pilot.press(*["down"] * 30)
        await pilot.pause()
        assert highlighted(home) == f"entry:{ids[-1 - 40]}"


async def test_the_window_stays_bounded_while_paging_down(big, month_reads) -> None:  # type: ignore[no-untyped-def]
    _, ids = big
    app = ReflectApp(journal=open_big(big), clock=frozen)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await ready(pilot)
        await pilot.press(*["pagedown"] * 60)
        await pilot.pause()
        lst = home.query_one(EntryList)
        at = highlighted(home)
        assert at is not None and ids.index(at.split(":", 1)[1]) > 2 * WINDOW  # deep in the list
        assert len(home._entries) <= WINDOW and lst.option_count <= WINDOW + 1
        rows = shown(home)
        start = ids.index(rows[0])
        assert rows == ids[start : start + len(rows)]


def test_a_page_reads_the_same_few_month_files_at_any_depth(big, month_reads) -> None:  # type: ignore[no-untyped-def]
    """Walk the whole journal a page at a time, both ways, counting month files read."""
    _, ids = big
    b = browsing.browser(open_big(big))
    seen: list[str] = []
    per_page: list[int] = []
    after = None
    while True:
        month_reads.clear()
        page = browsing.older(b, after, PAGE)
        per_page.append(len(month_reads))
        seen += [e.id for e in page.entries]
        if page.oldest:
            break
        after = page.keys[-1]
    assert seen == ids
    assert max(per_page) <= 2  # the first page costs what the last one does
    month_reads.clear()
    oldest = browsing.newer(b, None, PAGE)
    assert [e.id for e in oldest.entries] == ids[-PAGE:] and len(month_reads) <= 2
    up: list[str] = []
    before = None
    per_page = []
    while True:
        month_reads.clear()
        page = browsing.newer(b, before, PAGE)
        per_page.append(len(month_reads))
        up = [e.id for e in page.entries] + up
        if page.newest:
            break
        before = page.keys[0]
    assert up == ids and max(per_page) <= 2
