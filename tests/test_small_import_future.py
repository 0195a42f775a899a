"""`reflect import` warns once when entries are dated in the future (issue 8, item 13):
a count and the position of the first, never a date or an id; the exit code is unchanged.

Old code: an import of entries dated years ahead said nothing."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from reflect.domain.formats import write_json
from reflect.domain.import_stream import BATCH
from reflect.domain.model import Entry, Listen
from reflect.usecases.importing import FutureDated, future_dated, parse
from reflect.store import Journal
from tests.cli_helpers import run

UTC = timezone.utc
PAST = datetime(2024, 3, 1, 10, tzinfo=UTC)
AHEAD = datetime(2999, 6, 1, 10, tzinfo=UTC)  # in the future whatever the clock says


def jsonl(*entries: Entry) -> str:
    return "".join(json.dumps(e.to_dict()) + "\n" for e in entries)


def test_one_warning_with_a_count_and_the_first_position() -> None:
    text = jsonl(
        Entry(occurred=PAST, id="past0001", listen=Listen(story="a")),
        Entry(occurred=AHEAD, id="ahead001", listen=Listen(story="b")),
        Entry(occurred=PAST, id="past0002", listen=Listen(story="c")),
        Entry(occurred=AHEAD, id="ahead002", listen=Listen(story="d")),
    )
    result = run("import", "-", input=text)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    warnings = [line for line in result.stderr.splitlines() if "future" in line]
    assert warnings == ["warning: 2 entries are dated in the future (the first: entry 2)"]
    assert "2999" not in result.stderr and "ahead00" not in result.stderr
    assert Journal().count() == 4  # warned, not refused

    again = run("import", "-", input=text)  # nothing added or replaced: nothing to warn of
    assert again.exit_code == 0 and "future" not in again.stderr


def test_a_dry_run_warns_and_an_import_of_the_past_does_not() -> None:
    ahead = jsonl(Entry(occurred=AHEAD, id="ahead001"))
    dry = run("import", "--dry-run", "-", input=ahead)
    assert dry.exit_code == 0 and "warning: 1 entry is dated in the future (the first: entry 1)" in dry.stderr
    past = run("import", "-", input=jsonl(Entry(occurred=PAST, id="past0001")))
    assert past.exit_code == 0 and "future" not in past.stderr


def test_future_dated_reads_the_clock_it_is_given() -> None:
    journal = Journal()
    doc = parse(journal, jsonl(Entry(occurred=PAST, id="p1"), Entry(occurred=datetime(2024, 3, 9, tzinfo=UTC), id="p2")),
                source="<test>")  # fmt: skip
    result = journal.import_records(doc.entries, dry_run=True)
    assert future_dated(doc, result, now=datetime(2024, 3, 5, tzinfo=UTC)) == FutureDated(1, 2)
    assert future_dated(doc, result, now=datetime(2024, 3, 10, tzinfo=UTC)) is None


def test_a_streamed_import_counts_positions_across_its_batches(tmp_path: Path) -> None:
    """An export document is read a batch of `import_stream.BATCH` at a time: the position
    named is the entry's in the whole input, not in its batch."""
    n = BATCH + 10
    entries = [Entry(occurred=AHEAD if k >= BATCH + 4 else PAST, id=f"e{k:07d}") for k in range(n)]
    doc = tmp_path / "in.json"
    with doc.open("w", encoding="utf-8") as out:
        write_json(out, entries, exported_at=PAST)
    result = run("import", str(doc))
    assert result.exit_code == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if "future" in line] == [
        f"warning: 6 entries are dated in the future (the first: entry {BATCH + 5})"
    ]
