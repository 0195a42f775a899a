"""`reflect show` takes any unique start of an id, however short (issue 9, item 15);
several matches are called ambiguous with their count, never listed."""

from __future__ import annotations

from datetime import datetime, timezone

from click.testing import CliRunner

from reflect.cli import main
from reflect.domain.model import Entry, Listen
from reflect.store import Journal

NOW = datetime(2024, 5, 15, 9, 0, tzinfo=timezone.utc)


def test_show_accepts_a_unique_prefix_of_any_length() -> None:
    journal = Journal()
    entries = [
        Entry(id="1cf0a9", occurred=NOW, person="A", listen=Listen(story="the one asked for")),
        Entry(id="2ab001", occurred=NOW, person="B", listen=Listen(story="secret two")),
        Entry(id="2ab002", occurred=NOW, person="C", listen=Listen(story="secret three")),
    ]
    journal.import_records(entries)
    runner = CliRunner()
    for prefix in ("1", "1c", "1cf", "1cf0a9"):
        result = runner.invoke(main, ["show", prefix])
        assert result.exit_code == 0, result.output
        assert "the one asked for" in result.output
    result = runner.invoke(main, ["show", "2ab"])
    assert result.exit_code != 0
    assert "ambiguous" in result.output and "2" in result.output
    assert "secret" not in result.output and "2ab001" not in result.output
    result = runner.invoke(main, ["show", "9"])
    assert result.exit_code != 0 and "no entry" in result.output
