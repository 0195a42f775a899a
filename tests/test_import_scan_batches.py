"""Import checks its records for identifiers a batch at a time (`scan_many`), and says
exactly what checking them one by one said (issue 8, item 16)."""

from __future__ import annotations

import json
import random
from datetime import datetime, timezone

import pytest

from cli_helpers import run
from reflect.domain.model import Entry, Listen, Reflect
from reflect.domain.privacy import KINDS, scan_fields
from reflect.usecases import importing

SLIPS = ["call her on 555-123-4567", "wrote maria.g@example.org", "born on 03/14/1985", "MRN 00451234", ""]


def record(n: int, rng: random.Random) -> dict[str, object]:
    slip = rng.choice(SLIPS) if n % 3 == 0 else ""
    return {
        "id": f"{n:08x}-2222-4000-8000-000000000000",
        "occurred": f"2024-04-{n % 28 + 1:02d}T09:30:00+00:00",
        "person": rng.choice(["J", "M.G.", "Jane Smith"]),
        "listen": {"story": f"We talked for {n} minutes. {slip}", "matters": rng.choice(SLIPS), "themes": []},
    }


def expected(records: list[dict[str, object]]) -> list[str]:
    """The warning lines, from `scan_fields` record by record (the check before scan_many)."""
    lines = []
    for rec in records:
        entry = Entry.from_dict(rec)
        by_field: dict[str, list[str]] = {}
        for f in scan_fields(entry.text_fields()):
            kinds = by_field.setdefault(f.field, [])
            if KINDS[f.kind] not in kinds:
                kinds.append(KINDS[f.kind])
        if by_field:
            lines.append(importing.IdentifierWarning(entry.id, by_field).line())
    return lines


@pytest.mark.parametrize("batch", [2, 2000])
def test_import_warns_per_record_as_the_check_one_by_one_did(
    batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches closing between records (2) or holding all of them: the same lines, in order."""
    monkeypatch.setattr(importing, "_SCAN_BATCH", batch)
    records = [record(n, random.Random(n)) for n in range(1, 30)]
    result = run("import", "-", input=json.dumps(records))
    assert result.exit_code == 0, result.stderr
    warnings = [line.removeprefix("warning: ") for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == expected(records) and len(warnings) >= 10
    assert "555-123-4567" not in result.stderr and "Jane Smith" not in result.stderr


def test_identifier_warnings_across_batches_match_one_scan_per_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "_SCAN_BATCH", 3)
    rng = random.Random(8)
    entries = [
        Entry(id=f"e-{i}", occurred=datetime(2024, 3, 1, tzinfo=timezone.utc), person=rng.choice(["J", "Mary Jones", ""]),
              listen=Listen(story=rng.choice(SLIPS)), reflect=Reflect(impact=rng.choice(SLIPS)))
        for i in range(40)
    ]  # fmt: skip
    got = [w.line() for w in importing.identifier_warnings(entries)]
    assert got == expected([e.to_dict() for e in entries]) and len(got) >= 20
