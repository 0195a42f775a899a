"""`reflect portfolio`: counts from the journal, never a person's text, in every format;
the JSON against its schema, the HTML parsed strictly (and rendered by Chromium where
it is installed), the CLI through CliRunner and through the installed `reflect`."""

from __future__ import annotations

import json
import os
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path

import jsonschema
import pytest

from cli_helpers import one_line_error, run, snapshot
from growth_helpers import MARKER, NOW, PERSON, seed
from test_cli_process import reflect_cmd
from reflect.domain import cycle
from reflect.domain.fields import free_text
from reflect.domain.model import Entry
from reflect.domain.formats import schema_path
from reflect.domain.portfolio import WITHHELD
from reflect.store import Journal
from reflect.usecases.portfolio import portfolio

SCHEMA = jsonschema.Draft202012Validator(
    json.loads(schema_path("portfolio").read_text(encoding="utf-8")), format_checker=jsonschema.FormatChecker()
)
FORMATS = ("markdown", "html", "json")


@pytest.fixture
def journal(db_path: Path) -> Journal:
    return seed(Journal(db_path))


def shared_docs(journal: Journal) -> list[dict]:
    return [d for d in Journal(journal.path).entry_dicts() if d["visibility"] != "private"]


def test_the_markers_are_in_the_journal_so_the_next_test_can_fail(journal: Journal) -> None:
    """Every free-text field of an entry (by the declarations) holds the marker, and so do
    stories, meetings, check-ins and notes: a plain export shows them."""
    fields = free_text(Entry)
    assert "listen.story" in fields and "group.theme" in fields and "crisis.notes" in fields
    docs = list(Journal(journal.path).entry_dicts())
    for path in fields:
        if path == "person":
            continue
        holding = []
        for d in docs:
            value: object = d
            for part in path.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            holding.append(MARKER in json.dumps(value))
        assert any(holding), path
    exported = run("export", "--format", "json", "--include-private")
    assert exported.exit_code == 0, exported.stderr
    text = exported.stdout
    for needle in ("story text", "notes 0", "summary", "check-in one", "rating note", "training notes", "action", PERSON):
        assert needle in text, needle


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_text_of_a_person_served_in_any_format(journal: Journal, fmt: str) -> None:
    result = run("portfolio", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert MARKER not in out and PERSON not in out
    assert "Zqx" not in out.replace("\\u", "")
    # The peer's own records that belong in a portfolio: a goal met, the courses.
    assert "Co-lead a group" in out and "Ethics for peer workers" in out and "Recovery college" in out
    assert "Ask before I share" not in out  # open, not met: counted only


def test_counts_are_the_shared_entries(journal: Journal) -> None:
    doc = json.loads(run("portfolio", "--format", "json").stdout)
    SCHEMA.validate(doc)
    docs = shared_docs(journal)
    enc = doc["encounters"]
    every = list(Journal(journal.path).entry_dicts())
    assert enc["total"] == len(docs) and enc["private_not_counted"] == len(every) - len(docs) > 0
    assert enc["group"] == sum(1 for d in docs if d.get("group") or d["setting"] == "group")
    assert enc["group"] + enc["individual"] == enc["total"]
    assert enc["group_headcount"] == sum((d.get("group") or {}).get("headcount", 0) for d in docs)
    assert {r["setting"]: r["count"] for r in enc["by_setting"]} == Counter(d["setting"] for d in docs)
    months = Counter(d["occurred"][:7] for d in docs)
    assert {r["month"]: r["individual"] + r["group"] for r in enc["by_month"]} == months
    used = Counter(k for d in docs for k in set(d["competencies"]))
    assert {c["key"]: c["encounters"] for c in doc["competencies"]} == {k: used.get(k, 0) for k in cycle.COMPETENCY_KEYS}
    assert doc["supervision"] == {"meetings": 4, "minutes": 270, "hours": 4.5, "individual_minutes": 45 + 75,
                                  "group_minutes": 60, "other_minutes": 90}  # fmt: skip
    assert doc["training"]["by_category"] == [{"category": "elective", "hours": 4.5, "courses": 1},
                                              {"category": "ethics", "hours": 3, "courses": 1},
                                              {"category": "peer", "hours": 6, "courses": 1}]  # fmt: skip
    assert [(r["by"], r["ratings"]["I"]) for r in doc["ratings"]] == [("self", 3), ("supervisor", 2), ("self", 4)]
    assert doc["goals"] == {"met": [{"met": "2024-12-12", "text": "Co-lead a group", "competency": "X"}], "open": 2}


def test_since_counts_from_that_day_inside_its_month(journal: Journal) -> None:
    since = date(2024, 10, 10)
    p = portfolio(Journal(journal.path), since=since, today=NOW.date())
    start = datetime(2024, 10, 10, tzinfo=timezone.utc)
    docs = [d for d in shared_docs(journal) if datetime.fromisoformat(d["occurred"]) >= start]
    assert p.encounters == len(docs) and p.by_month[0].month == "2024-10"
    assert p.by_month[0].individual + p.by_month[0].group == sum(1 for d in docs if d["occurred"][:7] == "2024-10")
    assert p.supervision.meetings == 4 and [c.title for c in p.courses] == ["Trauma-informed support", "Motivational interviewing"]
    assert [r.by for r in p.ratings] == ["self"]
    doc = json.loads(run("portfolio", "--since", "2024-10-10", "--format", "json").stdout)
    assert doc["window"]["since"] == "2024-10-10" and doc["encounters"]["total"] == len(docs)


def test_a_goal_that_looks_like_it_names_someone_is_withheld(journal: Journal) -> None:
    from reflect.usecases import growth

    j = Journal(journal.path)
    goal = growth.add_goal(j, "Call Mary Jones at 555-123-4567 weekly", anyway=True)
    growth.close_goal(j, goal.id, "met")
    out = run("portfolio", "--format", "markdown").stdout
    assert "555" not in out and "Mary" not in out and WITHHELD in out


def test_html_is_one_strict_self_contained_page(journal: Journal) -> None:
    from reflect.usecases import training

    training.add(Journal(journal.path), {"title": "<script>alert(1)</script> & more", "provider": "A \x1b[31m B",
                                         "date": "2025-01-02", "hours": 1, "category": "elective"})  # fmt: skip
    page = run("portfolio", "--format", "html").stdout
    root = ET.fromstring(page.split("\n", 1)[1])  # well-formed XML after the doctype
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    assert root.find("x:head/x:style", ns) is not None
    assert not root.findall(".//x:script", ns) and not root.findall(".//x:link", ns) and not root.findall(".//x:img", ns)
    assert "@media print" in page and "Content-Security-Policy" in page and "http://" not in page.replace(
        "http://www.w3.org/1999/xhtml", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page and "\x1b" not in page and "\\x1b" in page
    titles = [th.text for th in root.iterfind(".//x:h2", ns)]
    assert titles == ["Encounters", "Supervision", "Training", "Competencies exercised", "Ratings over time", "Goals met"]


CHROMIUM = "/usr/bin/chromium"


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no {CHROMIUM} here to render the page")
def test_html_renders_in_headless_chromium(journal: Journal, tmp_path: Path) -> None:
    page = tmp_path / "portfolio.html"
    assert run("portfolio", "--format", "html", "-o", str(page)).exit_code == 0
    profile = tmp_path / "chromium-profile"
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout.decode()
    assert "<h1>Portfolio:" in dom and "Competencies exercised" in dom and "Co-lead a group" in dom
    assert "<script" not in dom and MARKER not in dom


def test_output_file_and_messages(journal: Journal, tmp_path: Path) -> None:
    target = tmp_path / "out" / "p.md"
    target.parent.mkdir()
    result = run("portfolio", "--format", "markdown", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert "wrote the portfolio" in result.stderr and target.read_text().startswith("# Portfolio")
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_bad_input_is_one_line_and_the_journal_unchanged(journal: Journal, tmp_path: Path) -> None:
    before = snapshot(tmp_path / "journal.json.d")
    one_line_error(run("portfolio", "--format", "json", "--since", "the day after never"), "--since", code=2)
    assert run("portfolio", "--format", "pdf").exit_code == 2
    assert snapshot(tmp_path / "journal.json.d") == before


def test_tallies_are_kept_and_a_changed_month_is_counted_again(journal: Journal) -> None:
    j = Journal(journal.path)
    first = portfolio(j, today=NOW.date())
    kept = json.loads(j.layout.tallies.read_text())
    assert kept["version"] == 1 and set(kept["months"]) == set(j.tallies().names())
    # A kept count is what is read (a month whose file did not change is not read again) ...
    month = first.by_month[0].month
    kept["months"][month]["shared"]["individual"] += 1000
    j.layout.tallies.write_text(json.dumps(kept))
    assert portfolio(j, today=NOW.date()).by_month[0].individual == first.by_month[0].individual + 1000
    # ... a save keeps it current from the entry alone (no recount) ...
    occurred = datetime.fromisoformat(month + "-02T12:00:00+00:00")
    saved = j.save(Entry(occurred=occurred, competencies=["XI"]))
    assert portfolio(j, today=NOW.date()).by_month[0].individual == first.by_month[0].individual + 1001
    # ... and a month whose file changed otherwise (a delete) is counted again.
    j.delete(saved.id)
    again = portfolio(j, today=NOW.date())
    assert again.by_month[0].individual == first.by_month[0].individual
    # A damaged tallies file costs a recount only.
    j.layout.tallies.write_text("{not json")
    assert portfolio(j, today=NOW.date()) == again


def test_portfolio_through_the_installed_reflect(journal: Journal) -> None:
    done = subprocess.run(reflect_cmd() + ["portfolio", "--format", "json"], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    SCHEMA.validate(doc)
    assert doc["format"] == "reflect-portfolio" and doc["encounters"]["total"] == len(shared_docs(journal))
    assert MARKER.encode() not in done.stdout


def test_an_empty_journal_has_an_empty_portfolio() -> None:
    doc = json.loads(run("portfolio", "--format", "json").stdout)
    SCHEMA.validate(doc)
    assert doc["encounters"]["total"] == 0 and doc["training"]["courses"] == [] and doc["goals"]["met"] == []
    assert len(doc["competencies"]) == 12 and run("portfolio", "--format", "html").exit_code == 0

