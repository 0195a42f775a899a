"""The agenda function on crafted entries: one test per rule of the issue."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, timedelta, timezone

import jsonschema
import pytest

from reflect.domain import cycle
from reflect.domain.agenda import (
    NOTHING,
    SECTIONS,
    build_agenda,
    build_agendas,
    default_since,
    document,
)
from reflect.domain.agenda_render import markdown, text
from reflect.domain.formats import schema_path
from reflect.domain.model import MI, ActionItem, Checks, Crisis, Entry, Flags, Listen, Meeting, Reflect, Select, Share, Story

UTC = timezone.utc
SINCE = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
UNTIL = datetime(2026, 3, 15, 0, 0, tzinfo=UTC)
MID = datetime(2026, 3, 8, 10, 0, tzinfo=UTC)


def entry(eid: str, occurred: datetime = MID, peer: str = "alex", **kw) -> Entry:
    kw.setdefault("listen", Listen(story=f"story of {eid}"))
    return Entry(occurred=occurred, id=eid, peer=peer, **kw)


def agenda(entries, **kw):
    kw.setdefault("since", SINCE)
    kw.setdefault("until", UNTIL)
    kw.setdefault("peer", "alex")
    return build_agenda(entries, kw.pop("meetings", ()), **kw)


def texts(a, key: str) -> list[str]:
    return [i.text for i in a.section(key).items]


def cited(a, key: str) -> set[str]:
    return {i for item in a.section(key).items for i in item.entries}


def test_sections_in_order_with_titles_and_empty_ones_kept():
    a = agenda([])
    assert [(s.key, s.title) for s in a.sections] == list(SECTIONS)
    assert [s.key for s in a.sections] == [
        "safety", "boundaries", "questions", "follow_ups", "skills", "growth", "wellbeing", "wins"
    ]  # fmt: skip
    for s in a.sections:
        assert texts(a, s.key) == [NOTHING] and s.empty
    assert a.cited() == []


def test_safety_lists_every_crisis_with_actions_and_says_plainly_what_is_missing():
    told = datetime(2026, 3, 8, 11, 30, tzinfo=UTC)
    done = entry("c1", crisis=Crisis(["warm-handoff", "supervisor-notified"], told), flags=Flags(crisis=True))
    nothing = entry("c2", MID + timedelta(hours=1), flags=Flags(crisis=True))
    unnotified = entry("c3", MID + timedelta(hours=2), crisis=Crisis(["crisis-line"]))
    calm = entry("n1", MID + timedelta(hours=3))
    a = agenda([calm, unnotified, nothing, done])
    items = a.section("safety").items
    assert [i.entries for i in items] == [["c1"], ["c2"], ["c3"]]  # time order, not input order
    assert "Warm handoff made" in items[0].text and "Supervisor notified" in items[0].text
    assert "not notified" not in items[0].text and "11:30" in items[0].text
    assert "No action was recorded." in items[1].text
    assert "The supervisor was not notified." in items[1].text
    assert "Crisis line contacted with the person" in items[2].text
    assert "The supervisor was not notified." in items[2].text


def test_boundaries_flags_and_failed_checks_on_shares_only():
    flagged = entry("b1", flags=Flags(boundary=True))
    failed = entry(
        "b2", MID + timedelta(hours=1),
        select=Select("share", "s1", checks=Checks(asked_permission=False, brief=False, within_role=True)),
    )  # fmt: skip
    held = entry("b3", MID + timedelta(hours=2), select=Select("hold", checks=Checks(asked_permission=False)))
    a = agenda([flagged, failed, held], stories=[Story("Losing my job", id="s1")])
    items = a.section("boundaries").items
    assert [i.entries for i in items] == [["b1"], ["b2"]]
    assert "boundaries" in items[0].text
    assert cycle.CHECK_CONCERNS["asked_permission"] in items[1].text
    assert cycle.CHECK_CONCERNS["brief"] in items[1].text
    assert cycle.CHECK_CONCERNS["within_role"] not in items[1].text
    assert '"Losing my job"' in items[1].text


def test_questions_in_the_peers_own_words():
    asked = entry("q1", question="How do I say no to a ride   home?", flags=Flags(discuss=True))
    flagged = entry("q2", MID + timedelta(hours=1), flags=Flags(discuss=True))
    a = agenda([asked, flagged])
    items = a.section("questions").items
    assert items[0].text.startswith("How do I say no to a ride   home?")
    assert items[0].entries == ["q1"]
    assert items[1].entries == ["q2"] and "story of q2" in items[1].text


def test_follow_ups_are_open_actions_from_earlier_meetings_of_that_peer():
    mine = Meeting(
        held=SINCE - timedelta(days=1), since=SINCE - timedelta(days=15), until=SINCE, peer="alex",
        actions=[
            ActionItem("Read the boundaries chapter", id="a1", owner="alex", due=date(2026, 3, 10)),
            ActionItem("Already done", id="a2", done=True),
        ],
    )  # fmt: skip
    other = Meeting(held=SINCE, since=SINCE, until=SINCE, peer="sam", actions=[ActionItem("Sam's task")])
    later = Meeting(held=UNTIL + timedelta(days=1), since=SINCE, until=UNTIL, peer="alex", actions=[ActionItem("Future")])
    a = agenda([], meetings=[other, later, mine])
    items = a.section("follow_ups").items
    assert len(items) == 1
    assert items[0].text.startswith("Read the boundaries chapter")
    assert "owner: alex" in items[0].text and "10 Mar 2026" in items[0].text
    assert items[0].action == (mine.id, "a1") and items[0].entries == []


def test_skills_competencies_story_use_and_mi_as_prompts():
    e1 = entry(
        "k1", competencies=["III", "VIII"], select=Select("share", "s1"), share=Share(response="engaged"),
        mi=MI(open_questions=4, reflections=8, change_talk=["desire"]),
    )  # fmt: skip
    e2 = entry("k2", MID + timedelta(hours=1), competencies=["III"], select=Select("share", "s1"), share=Share(response="withdrew"))
    e3 = entry("k3", MID + timedelta(hours=2), select=Select("hold"), mi=MI(open_questions=4, reflections=0))
    a = agenda([e1, e2, e3], stories=[Story("First job", id="s1")])
    items = a.section("skills").items
    by_start = {i.text.split(":")[0]: i for i in items}
    assert by_start["Exercised III. " + cycle.COMPETENCY_TITLES["III"]].entries == ["k1", "k2"]
    assert by_start["Exercised VIII. " + cycle.COMPETENCY_TITLES["VIII"]].entries == ["k1"]
    missing = by_start["Not exercised in this window"]
    assert cycle.COMPETENCY_TITLES["I"] in missing.text and cycle.COMPETENCY_TITLES["III"] not in missing.text
    story = by_start["Story use"]
    assert "shared a part of their story in 2 encounters, held back in 1" in story.text
    assert story.entries == ["k1", "k2", "k3"]
    assert "engaged 1, withdrew 1" in by_start["How the sharing landed"].text
    assert '"First job" (2)' in by_start["Stories most used"].text
    assert "open questions 8" in by_start["MI counts over 2 encounters"].text
    ratio = by_start["Reflections to questions"]
    assert "about 1.0 reflections to each open question" in ratio.text
    assert "1:1 is fair, 2:1 good" in ratio.text and "not a score" in ratio.text
    assert ratio.entries == ["k1", "k3"]


def test_wellbeing_self_care_in_their_words_and_workload_beside_previous_window():
    tired = entry("w1", flags=Flags(self_care=True), reflect=Reflect(impact="It brought back my own hospital stay."), minutes=50)
    other = entry("w2", MID + timedelta(hours=1), minutes=30)
    before = entry("p1", SINCE - timedelta(days=3), minutes=20)
    long_ago = entry("p0", SINCE - timedelta(days=30), minutes=99)
    a = agenda([tired, other], previous_entries=[before, long_ago, tired])
    items = a.section("wellbeing").items
    assert items[0].entries == ["w1"]
    assert 'In their words: "It brought back my own hospital stay."' in items[0].text
    work = items[1]
    assert work.text.startswith("Workload: 2 encounters, 80 minutes in this window; 1 encounter, 20 minutes in the previous 14 days")
    assert work.entries == ["w1", "w2", "p1"]


def test_only_the_workload_item_cites_entries_outside_the_window():
    inside = entry("in", flags=Flags(crisis=True, celebrate=True), competencies=["II"])
    outside = entry("out", SINCE - timedelta(days=1), flags=Flags(crisis=True, celebrate=True), competencies=["II"])
    a = agenda([inside, outside], previous_entries=[inside, outside])
    for s in a.sections:
        for item in s.items:
            if item.text.startswith("Workload"):
                assert item.entries == ["in", "out"]
            else:
                assert "out" not in item.entries


def test_wins_celebrations_and_the_persons_next_steps():
    win = entry("v1", flags=Flags(celebrate=True), share=Share(next_steps="Called the housing office"))
    steps = entry("v2", MID + timedelta(hours=1), share=Share(next_steps="Went to a meeting"))
    a = agenda([win, steps])
    items = a.section("wins").items
    assert items[0].entries == ["v1"] and "Called the housing office" in items[0].text
    assert items[0].text.startswith("Celebrate")
    assert items[1].entries == ["v2"] and "Went to a meeting" in items[1].text


def test_the_agenda_builds_from_every_entry_it_is_given():
    """Which entries may be seen is the use case's rule, written once in
    reflect.usecases.visibility (the private-entries test is in test_usecases_agendas.py);
    the domain gets them already selected and leaves none out."""
    secret = entry("p1", flags=Flags(crisis=True, discuss=True), question="private q", visibility="private", minutes=10)
    b = agenda([secret], previous_entries=[secret])
    assert cited(b, "safety") == {"p1"} and texts(b, "questions")[0].startswith("private q")
    (c,) = build_agendas(lambda lo, hi: [secret], since=SINCE, until=UNTIL)
    assert c.peer == "alex" and cited(c, "safety") == {"p1"}


def test_entries_exactly_on_the_edges_are_in_and_just_outside_are_not():
    edges = [
        entry("at-since", SINCE, flags=Flags(celebrate=True)),
        entry("at-until", UNTIL, flags=Flags(celebrate=True)),
        entry("before", SINCE - timedelta(seconds=1), flags=Flags(celebrate=True)),
        entry("after", UNTIL + timedelta(seconds=1), flags=Flags(celebrate=True)),
    ]
    a = agenda(edges, previous_entries=edges)
    assert cited(a, "wins") == {"at-since", "at-until"}
    # The previous window is [since - length, since): "at-since" is not counted twice.
    work = [i for i in a.section("wellbeing").items if i.text.startswith("Workload")][0]
    assert work.entries == ["at-since", "at-until", "before"]


def test_several_peers_get_one_agenda_each_with_their_own_entries():
    es = [
        entry("a1", peer="alex", flags=Flags(crisis=True)),
        entry("s1", peer="sam", flags=Flags(celebrate=True)),
        entry("z1", SINCE - timedelta(days=2), peer="zoe", flags=Flags(celebrate=True)),  # outside
    ]
    agendas = build_agendas(lambda lo, hi: [e for e in es if lo <= e.occurred <= hi], since=SINCE, until=UNTIL)
    assert [a.peer for a in agendas] == ["alex", "sam"]
    assert agendas[0].cited() == ["a1"]
    assert cited(agendas[1], "wins") == {"s1"} and "a1" not in agendas[1].cited()


def test_default_window_starts_where_the_last_meetings_window_ended():
    last = Meeting(held=MID + timedelta(days=1), since=SINCE - timedelta(days=14), until=MID, peer="alex")
    assert default_since(last, UNTIL) == MID
    assert default_since(None, UNTIL) == UNTIL - timedelta(days=14)
    es = [
        entry("old", MID - timedelta(hours=1), flags=Flags(celebrate=True)),
        entry("new", MID + timedelta(hours=1), flags=Flags(celebrate=True)),
    ]
    got = build_agendas(lambda lo, hi: [e for e in es if lo <= e.occurred <= hi], [last], until=UNTIL)
    assert [a.since for a in got] == [MID]
    assert cited(got[0], "wins") == {"new"}


def test_empty_window_with_a_named_peer_still_gets_an_agenda():
    got = build_agendas(lambda lo, hi: [], since=SINCE, until=UNTIL, peer="alex")
    assert len(got) == 1 and got[0].peer == "alex"
    assert all(s.empty for s in got[0].sections)
    assert build_agendas(lambda lo, hi: [], since=SINCE, until=UNTIL) == []
    assert [a.peer for a in build_agendas(lambda lo, hi: [], since=SINCE, until=UNTIL, fallback_peers=["me"])] == ["me"]


def test_json_document_fits_the_schema_and_renderers_keep_every_section():
    es = [
        entry("c1", flags=Flags(crisis=True, self_care=True), minutes=30, competencies=["VIII"]),
        entry("q1", MID + timedelta(hours=1), question="What now?", select=Select("share", checks=Checks(brief=False))),
    ]
    a = agenda(es, previous_entries=es, next_meeting=datetime(2026, 3, 17, 10, tzinfo=UTC))
    doc = json.loads(json.dumps(document([a])))
    schema = json.loads(schema_path("agenda").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(doc)
    assert doc["format"] == "reflect-agenda" and doc["version"] == 1
    assert doc["agendas"][0]["next_meeting"] == "2026-03-17T10:00:00+00:00"
    bad = json.loads(json.dumps(doc))
    bad["agendas"][0]["sections"].reverse()
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    md = markdown(a)
    for n, (_key, title) in enumerate(SECTIONS, 1):
        assert f"## {n}. {title}" in md
        assert f"{n}. {title}" in text(a)
    assert "c1" in md and "What now?" in md and "Next meeting: Tue 17 Mar 2026 10:00" in md


def test_agenda_module_is_pure():
    import subprocess

    code = "import reflect.domain.agenda, reflect.domain.agenda_render, sys; print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tinydb')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_peers_own_full_stop_is_not_doubled() -> None:
    e = Entry.from_dict(
        {"id": "c1", "peer": "alex", "occurred": "2026-11-10T10:00:00+00:00", "listen": {"story": "No way forward."},
         "flags": {"crisis": True, "boundary": True, "self_care": True, "celebrate": True}}
    )  # fmt: skip
    (agenda,) = build_agendas(lambda lo, hi: [e], until=datetime(2026, 11, 12, tzinfo=timezone.utc), peer="alex")
    texts = [i.text for s in agenda.sections for i in s.items]
    assert any("No way forward." in t for t in texts)
    assert not any(".." in t for t in texts), [t for t in texts if ".." in t]
