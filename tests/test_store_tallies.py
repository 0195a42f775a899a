"""The per-month counts kept in tallies.json: a save keeps them current from the entry
alone; what changed a month otherwise (a delete, an import, another process) is counted
again; either way they equal a count of the month files."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from growth_helpers import NOW, entries
from reflect.domain.growth_tally import tally_of
from reflect.domain.model import Entry, Group
from reflect.store import Journal
from reflect.store.storage import read_tables


def recounted(j: Journal) -> dict[str, dict]:
    out = {}
    for month in j.tallies().names():
        docs = (read_tables(j.layout.month(month)) or {}).get("entries", {}).values()
        shared, private = tally_of(docs)
        out[month] = {"shared": shared.to_json(), "private": private.to_json()}
    return out


def kept_and_current(j: Journal) -> dict[str, dict]:
    """The kept counts of the months whose files have not changed since they were kept."""
    data = json.loads(j.layout.tallies.read_text())["months"]
    current = j.tallies().idents()
    return {m: {"shared": v["shared"], "private": v["private"]} for m, v in data.items() if v["file"] == current.get(m)}


@pytest.fixture
def journal(db_path: Path) -> Journal:
    j = Journal(db_path)
    j.import_records(entries(60))
    j.tallies().months()  # counted once, as the Growth screen or a portfolio does
    return j


def test_saves_keep_every_month_current_without_a_recount(journal: Journal) -> None:
    j = Journal(journal.path)
    first = j.get("e-00010")
    new = j.save(Entry(occurred=NOW - timedelta(hours=2), competencies=["I", "I", "IV"], minutes=30))
    # An edit that moves the entry to another month, makes it private and a group.
    moved = j.get("e-00010")
    moved.occurred = first.occurred - timedelta(days=40)
    moved.visibility = "private"
    moved.group = Group(headcount=7, theme="t")
    moved.competencies = ["XII"]
    j.save(moved)
    j.save(j.get(new.id))  # the same entry again: counted once
    brand_new_month = NOW + timedelta(days=62)
    j.save(Entry(occurred=brand_new_month, setting="phone"))
    kept = kept_and_current(j)
    assert kept == recounted(j)  # every month current: nothing would be counted again


def test_a_delete_leaves_its_month_to_a_recount_and_a_save_does_not_patch_it(journal: Journal) -> None:
    j = Journal(journal.path)
    gone = j.delete("e-00020")
    month = gone.occurred.astimezone().strftime("%Y-%m")
    assert month not in kept_and_current(j)  # stale: its file changed behind the counts
    j.save(Entry(occurred=gone.occurred, competencies=["V"]))  # a save there does not patch stale counts
    assert month not in kept_and_current(j)
    counted = j.tallies().months()
    assert {m: {"shared": s.to_json(), "private": p.to_json()} for m, (s, p) in counted.items()} == recounted(j)
    assert kept_and_current(j) == recounted(j)


def test_with_no_counts_kept_a_save_writes_none(db_path: Path) -> None:
    j = Journal(db_path)
    j.save(Entry(occurred=NOW))
    assert not j.layout.tallies.exists()
