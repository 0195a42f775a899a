"""A text search never gives partial results over a damaged month (issue 8): a month whose
text lacks the word is still known to be whole, or the search names the damaged file (and,
unlike the plain `reflect list`, which gives the other months, gives nothing)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from cli_helpers import one_line_error, run
from reflect.domain.model import Entry, Listen
from reflect.store import Journal

UTC = timezone.utc


@pytest.fixture
def journal(db_path: Path) -> Journal:
    j = Journal(db_path)
    j.import_records([
        Entry(id="a1", occurred=datetime(2026, 1, 5, 10, tzinfo=UTC), listen=Listen(story="apple pie")),
        Entry(id="b1", occurred=datetime(2026, 2, 5, 10, tzinfo=UTC), listen=Listen(story="banana split")),
    ])  # fmt: skip
    return j


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:30])  # the word "apple" is cut off with the rest


def _flip_in_place(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    raw[raw.index(b'"story"')] = ord("{")  # same size, no longer JSON; "apple" stays
    path.write_bytes(bytes(raw))


@pytest.mark.parametrize("damage", [_truncate, _flip_in_place])
@pytest.mark.parametrize("word", ["banana", "cherry", "apple"])
def test_search_names_a_damaged_month_whatever_the_word(journal: Journal, damage, word: str) -> None:  # noqa: ANN001
    """Old code: `list --search banana` printed February's entry and exit 0, and
    `--search cherry` said "no entries match", over a damaged January."""
    damage(journal.layout.month("2026-01"))
    one_line_error(run("list", "--search", word), "2026-01.json", "does not parse", code=1)
    listed = run("list")  # the plain list gives the other months, names the damaged one, exits 1
    assert listed.exit_code == 1 and "2026-01.json" in listed.stderr and "b1" in listed.stdout


def test_a_whole_month_without_the_word_is_not_parsed(journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    """The search stays a raw-text test: a month reflect wrote (its stamp names the file)
    that lacks the word is ruled out unparsed."""
    import reflect.store.browse as browse

    parsed: list[Path] = []
    real = browse._decode_month
    monkeypatch.setattr(browse, "_decode_month", lambda path, text: parsed.append(path) or real(path, text))
    result = run("list", "--search", "cherry")
    assert result.exit_code == 0 and "no entries match" in result.stderr
    assert parsed == []


def test_a_month_written_by_an_older_reflect_is_checked_then_searched(journal: Journal) -> None:
    """No stamps (a journal of an older reflect): each month lacking the word is parsed once
    to know it is whole, and the search answers as before."""
    journal.layout.stamps.unlink()
    result = run("list", "--search", "banana")
    assert result.exit_code == 0 and "b1" in result.stdout and "a1" not in result.stdout
