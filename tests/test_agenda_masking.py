"""Identifiers saved with "Save anyway" reach no agenda whole (issue 8, item 6)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from reflect.domain.privacy import MASKS
from click.testing import CliRunner

from reflect.cli import main
from reflect.domain.model import Crisis, Entry, Flags, Listen, Reflect, Share, now
from reflect.domain.settings import Settings
from reflect.store import Journal

VALUES = {
    "phone": "555-123-4567",
    "email": "jo.doe@example.org",
    "ssn": "123-45-6789",
    "url": "https://example.org/jo",
}


@pytest.fixture
def journal(db_path: Path) -> Journal:
    j = Journal(db_path)
    j.save_settings(Settings(peer="alex", supervisor="Dana"))
    t = now()
    j.save(Entry(
        occurred=t - timedelta(days=1), id="crisis-1", peer="alex",
        listen=Listen(story=f"Gave my number {VALUES['phone']} to them"),
        flags=Flags(crisis=True, self_care=True, celebrate=True), question=f"Should I have emailed {VALUES['email']}?",
        crisis=Crisis(["crisis-line"], notes=f"their SSN {VALUES['ssn']} came up"),
        reflect=Reflect(impact=f"I looked at {VALUES['url']} all night"),
        share=Share(next_steps=f"call {VALUES['phone']} tomorrow"),
    ))  # fmt: skip
    return j


@pytest.mark.parametrize("fmt", ["markdown", "json", "text"])
def test_agenda_output_masks_each_flagged_span_by_kind(journal: Journal, fmt: str) -> None:
    """Old code: every value came out verbatim."""
    result = CliRunner().invoke(main, ["review", "--format", fmt], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    for kind, value in VALUES.items():
        assert value not in result.stdout, kind
        assert MASKS[kind] in result.stdout, kind  # e.g. "[phone]", "[SSN]", "[web address]"


def test_the_screen_reads_the_same_masked_items(journal: Journal) -> None:
    from reflect.usecases.agendas import journal_agendas

    (a,) = journal_agendas(journal)
    texts = " ".join(i.text for s in a.sections for i in s.items)
    assert "[phone]" in texts and VALUES["phone"] not in texts
