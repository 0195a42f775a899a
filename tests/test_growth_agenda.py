"""Growth on the agenda: ratings over time, what changed in skills, goals, group workload.

A real journal in tmp_path, the agenda built by the use case the review screen and
`reflect review` share; the JSON checked against the shipped agenda schema."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jsonschema
import pytest

from reflect.domain.agenda import Agenda, document
from reflect.domain.formats import schema_path
from reflect.domain.growth import CheckIn, Goal, Levels, Rating
from reflect.domain.model import Entry, Group, Listen, Meeting
from reflect.domain.settings import Settings
from reflect.store import Journal
from reflect.usecases import agendas

UNTIL = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
MET = UNTIL - timedelta(days=14)  # the last meeting reviewed up to here
DAY = timedelta(days=1)


def texts(agenda: Agenda, key: str) -> list[str]:
    return [i.text for i in agenda.section(key).items]


def make(eid: str, occurred: datetime, **kw) -> Entry:  # noqa: ANN003
    return Entry(occurred=occurred, id=eid, peer="alex", listen=Listen(story=f"story {eid}"), **kw)


@pytest.fixture
def journal(db_path: Path) -> Journal:
    j = Journal(db_path)
    j.save_settings(Settings(peer="alex"))
    j.save_meeting(Meeting(held=MET, since=MET - 14 * DAY, until=MET, peer="alex"))
    return j


def agenda_of(journal: Journal) -> Agenda:
    (agenda,) = agendas.journal_agendas(journal, until=UNTIL)
    data = json.loads(schema_path("agenda").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(data).validate(document([agenda]))
    return agenda


def test_ratings_over_time_show_what_moved_and_where_the_two_differ_most(journal: Journal):
    growth = journal.growth()
    growth.save_rating(Rating(at=MET - 20 * DAY, ratings=Levels(I=2, II=3, III=3, VIII=2)))
    growth.save_rating(Rating(at=MET - 2 * DAY, by="supervisor", rater="Dana", ratings=Levels(I=1, II=3, III=5, VIII=4)))
    before = agenda_of(journal)
    assert any(t.startswith("No self-rating since the last meeting") for t in texts(before, "skills"))

    growth.save_rating(Rating(at=UNTIL - 3 * DAY, ratings=Levels(I=3, II=3, III=2, VIII=4)))
    skills = texts(agenda_of(journal), "skills")
    (moved,) = [t for t in skills if t.startswith("Ratings by the peer that moved")]
    assert "I. Engages peers in collaborative and caring relationships 2 to 3" in moved
    assert "III. Shares lived experiences of recovery 3 to 2" in moved and "VIII." in moved
    assert "; II." not in moved  # rated 3 both times
    (gaps,) = [t for t in skills if t.startswith("Where the peer's and the supervisor's latest ratings differ most")]
    assert gaps.index("III. Shares") < gaps.index("I. Engages")  # 2 vs 5 before 3 vs 1
    assert "(peer 2, supervisor 5)" in gaps and "VIII." not in gaps  # equal: no difference
    assert all(t.endswith("Ratings are prompts for discussion, not scores.") for t in (moved, gaps))
    assert not any(t.startswith("No self-rating") for t in skills)
    assert not any("supervisor that moved" in t for t in skills)  # the supervisor rated once


def test_categories_newly_exercised_are_those_the_window_before_did_not_use(journal: Journal):
    journal.save(make("old", MET - 3 * DAY, competencies=["I", "II"], recorded=MET - 3 * DAY, updated=MET - 3 * DAY))
    journal.save(make("new", UNTIL - DAY, competencies=["II", "VIII"]))
    (item,) = [i for i in agenda_of(journal).section("skills").items if i.text.startswith("Newly exercised")]
    assert item.text == "Newly exercised (not in the window before): VIII. Helps peers to manage crises."
    assert item.entries == ["new"]


def test_open_goals_with_their_last_check_in_and_a_goal_met_is_a_win(journal: Journal):
    growth = journal.growth()
    growth.save_goal(Goal(
        text="Ask before sharing my story", competency="III", created=MET - 30 * DAY,
        check_ins=[CheckIn("asked once", at=MET - 10 * DAY), CheckIn("asked every time this week", at=UNTIL - DAY)],
    ))  # fmt: skip
    growth.save_goal(Goal(text="Lead a group", created=UNTIL - 2 * DAY))
    growth.save_goal(Goal(text="Finish the ethics course", created=MET - 9 * DAY, status="met", met_at=UNTIL - 4 * DAY))
    growth.save_goal(Goal(text="Old win", created=MET - 40 * DAY, status="met", met_at=MET - 5 * DAY))
    growth.save_goal(Goal(text="Learn Spanish", created=MET - 40 * DAY, status="dropped"))
    agenda = agenda_of(journal)
    keys = [s.key for s in agenda.sections]
    assert keys.index("growth") == keys.index("skills") + 1
    assert agenda.section("growth").title == "Growth and development"
    first, second = texts(agenda, "growth")
    assert first.startswith("Goal: Ask before sharing my story (III. Shares lived experiences of recovery).")
    assert first.endswith(f"Last check-in Thu 19 Nov 2026: asked every time this week.")
    assert second == "Goal: Lead a group. No check-in yet."
    assert texts(agenda, "wins") == ["Goal met Mon 16 Nov 2026: Finish the ethics course."]


def test_goal_text_is_masked_like_every_text_the_peer_typed(journal: Journal):
    journal.growth().save_goal(Goal(text="Call Jo back at 555-123-4567", created=MET))
    (item,) = texts(agenda_of(journal), "growth")
    assert "555" not in item and "[phone]" in item


def test_workload_counts_group_encounters_by_headcount_and_minutes_apart(journal: Journal):
    journal.save(make("one", UNTIL - DAY, minutes=30))
    journal.save(make("g1", UNTIL - 2 * DAY, minutes=60, setting="group", group=Group(8, "holidays")))
    journal.save(make("g2", UNTIL - 3 * DAY, minutes=90, group=Group(5, "grief")))
    journal.save(make("g3", UNTIL - 4 * DAY, minutes=45, setting="group"))  # a group, not counted
    (work,) = [t for t in texts(agenda_of(journal), "wellbeing") if t.startswith("Workload")]
    assert work.startswith(
        "Workload: 4 encounters, 225 minutes [individual: 1 encounter, 30 minutes; "
        "groups: 3, 195 minutes, 13 people in all, 1 not counted, 1 peer to 6.5 participants a group on average]"
        " in this window;"
    )
    assert "holidays" not in work  # themes are not workload


def test_a_peers_export_carries_their_ratings_and_goals_to_the_supervisors_agenda(journal: Journal, tmp_path: Path):
    from reflect.usecases import exporting

    journal.growth().save_goal(Goal(text="Lead a group", created=UNTIL - 2 * DAY))
    journal.save(make("one", UNTIL - DAY))
    path = tmp_path / "alex.json"
    with path.open("w", encoding="utf-8") as out:
        exporting.write(out, exporting.select(journal, "json"), exported_at=UNTIL)
    (agenda,) = agendas.export_agendas([str(path)], journal, until=UNTIL)
    assert texts(agenda, "growth") == ["Goal: Lead a group. No check-in yet."]
