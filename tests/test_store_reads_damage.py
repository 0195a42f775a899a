"""A read gives everything it can read, names what it could not, and exits 1 (issue 8,
items 8, 9 and 10, found again on main): a lost month file is named, never passed over;
one damaged file costs that file, never the whole journal; a bad date names its file."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from reflect.cli import main
from reflect.domain.model import now
from reflect.paths import Layout


def run(*args: str):  # noqa: ANN201
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


RECENT = now() - timedelta(days=1)  # in the review's window: a crisis Safety first must show
OLDER = now() - timedelta(days=70)  # another UTC month


def month(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m")


@pytest.fixture
def layout(db_path: Path, tmp_path: Path) -> Layout:
    """Two months: a recent crisis, an older entry; a goal, a rating, a training."""
    doc = [
        {"id": "recent-crisis", "peer": "alex", "occurred": RECENT.isoformat(timespec="seconds"),
         "flags": {"crisis": True}, "listen": {"story": "recent story"}},
        {"id": "older-entry", "peer": "alex", "occurred": OLDER.isoformat(timespec="seconds"),
         "listen": {"story": "older story"}},
    ]  # fmt: skip
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    for args in (["config", "peer", "alex"], ["import", str(path)], ["goal", "add", "listen more"],
                 ["rate", "I=3"], ["training", "add", "--title", "T", "--provider", "P",
                                   "--date", "2026-01-05", "--hours", "2", "--category", "ethics"]):  # fmt: skip
        result = run(*args)
        assert result.exit_code == 0, (args, result.stderr)
    return Layout(db_path)


def file_of(layout: Layout, when: datetime) -> Path:
    path = layout.month(month(when))
    assert path.exists()
    return path


def damage(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8")[:-20], encoding="utf-8")


def test_a_lost_month_file_is_named_by_list_export_and_review(layout: Layout) -> None:
    """Old code: exit 0 with the other month only, and no word of the lost one."""
    lost = file_of(layout, OLDER)
    lost.unlink()
    for args in (["list"], ["list", "--json"], ["export"], ["review", "--format", "text"]):
        result = run(*args)
        assert result.exit_code == 1, args
        assert lost.name in result.stderr and "missing" in result.stderr, args
    listed = run("list", "--json")
    assert [e["id"] for e in json.loads(listed.stdout)] == ["recent-crisis"]  # what could be read, given
    exported = json.loads(run("export").stdout)
    assert [e["id"] for e in exported["entries"]] == ["recent-crisis"]
    review = run("review", "--format", "text").stdout
    assert "Crisis encounter" in review.split("Boundaries")[0]
    assert f"Could not be read: {lost.name}" in review
    assert run("doctor", "--repair").exit_code == 0
    assert lost.exists()
    result = run("list", "--json")
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 2


def test_a_damaged_month_costs_that_month_only(layout: Layout) -> None:
    """Old code: list and export exit 1 with nothing of the other month, export half a document."""
    bad = file_of(layout, OLDER)
    damage(bad)
    listed = run("list")
    assert listed.exit_code == 1 and bad.name in listed.stderr
    assert "recent-c" in listed.stdout
    exported = run("export")
    assert exported.exit_code == 1 and bad.name in exported.stderr
    doc = json.loads(exported.stdout)  # a whole, valid document
    assert [e["id"] for e in doc["entries"]] == ["recent-crisis"] and doc["goals"] and doc["trainings"]
    for fmt in ("jsonl", "csv", "markdown"):
        result = run("export", "--format", fmt)
        assert result.exit_code == 1 and "recent story" in result.stdout and bad.name in result.stderr


@pytest.mark.parametrize("name", ["goals", "ratings", "trainings"])
def test_a_damaged_side_file_hides_neither_safety_first_nor_the_entries(layout: Layout, name: str) -> None:
    """Old code: review and export exit 1 with nothing (Safety first hidden by a goals file)."""
    bad = layout.parts / f"{name}.json"
    damage(bad)
    exported = run("export")
    assert exported.exit_code == 1 and bad.name in exported.stderr
    doc = json.loads(exported.stdout)
    assert {e["id"] for e in doc["entries"]} == {"recent-crisis", "older-entry"}
    review = run("review", "--format", "text")
    safety = review.stdout.split("Boundaries")[0]
    assert "Crisis encounter" in safety and "Nothing to raise" not in safety
    if name != "trainings":  # the agenda does not read trainings
        assert review.exit_code == 1 and bad.name in review.stderr
        assert f"Could not be read: {bad.name}" in review.stdout


def test_a_bad_date_in_a_month_file_names_the_file(layout: Layout) -> None:
    """Old code: "reflect: internal error (ValueError: month must be in 1..12)"."""
    bad = file_of(layout, OLDER)
    data = json.loads(bad.read_text(encoding="utf-8"))
    (row,) = data["entries"].values()
    row["occurred"] = "2026-13-45T99:00"
    bad.write_text(json.dumps(data), encoding="utf-8")
    for args in (["list"], ["export"], ["review", "--format", "text", "--since", OLDER.date().isoformat()]):
        result = run(*args)
        assert result.exit_code == 1, args
        assert "internal error" not in result.stderr, args
        assert bad.name in result.stderr, args
    assert "recent story" in run("export").stdout


def test_a_loss_acknowledged_by_doctor_is_no_longer_named(layout: Layout, db_path: Path) -> None:
    """Once doctor forgets the lost entries (by choice), reads stop naming their month."""
    from reflect.store import Journal

    lost = file_of(layout, OLDER)
    lost.unlink()
    for backup in layout.backup_dir.glob(f"{lost.name}.*"):
        backup.unlink()
    assert run("list").exit_code == 1
    Journal(db_path)._health.check(repair=True, forget_lost=True)  # noqa: SLF001 - as test_store_truth does
    result = run("list")
    assert result.exit_code == 0 and "recent-c" in result.stdout and lost.name not in result.stderr
