"""The Journal's public API on a real journal in tmp_path: entries, months, the index,
imports, stories, meetings, drafts, settings and backups."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from reflect.domain.model import (
    ActionItem,
    Draft,
    Entry,
    EntryFilter,
    Flags,
    Listen,
    Meeting,
    Story,
)
from reflect.domain.settings import Settings
from reflect.store import Conflict, Journal, JournalCorrupt, NotFound
from reflect.store import migrate
from reflect.store.engine import shard_of as _shard
from reflect.store.storage import KEEP_BACKUPS

UTC = timezone.utc


def at(month: int, day: int, hour: int = 10, year: int = 2024) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=UTC)


def entry(when: datetime, text: str = "they talked about the week", **kw) -> Entry:
    return Entry(occurred=when, listen=Listen(story=text), **kw)


@pytest.fixture
def j(tmp_path: Path) -> Journal:
    return Journal(tmp_path / "journal.json", settings_path=tmp_path / "settings.json")


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_default_paths_come_from_the_environment(tmp_path: Path) -> None:
    j = Journal()
    assert j.path == tmp_path / "journal.json"
    assert j.settings_path == tmp_path / "settings.json"


def test_save_sets_recorded_once_and_updated_each_time_and_fills_the_peer(j: Journal) -> None:
    j.save_settings(Settings(peer="sam"))
    e = j.save(entry(at(3, 1)))
    first = j.get(e.id)
    assert first.peer == "sam" and first.recorded is not None and first.updated == first.recorded
    e.listen.story = "changed"
    j.save(e)
    again = j.get(e.id)
    assert again.recorded == first.recorded and again.updated >= first.updated
    assert again.listen.story == "changed"
    assert j.count() == 1


def test_moving_an_entry_to_another_month_keeps_it_only_there(j: Journal) -> None:
    e = j.save(entry(at(3, 31, 23)))
    e.occurred = at(4, 2)
    j.save(e)
    march = json.loads((j.entries_dir / "2024-03.json").read_text())["entries"]
    april = json.loads((j.entries_dir / "2024-04.json").read_text())["entries"]
    assert [d["id"] for d in march.values()] == []
    assert [d["id"] for d in april.values()] == [e.id]
    index = json.loads((j.index_dir / f"{_shard(e.id)}.json").read_text())
    assert index[e.id] == "2024-04"
    assert j.count() == 1 and j.check().ok


def test_months_are_utc_months_of_occurred(j: Journal) -> None:
    late = datetime(2024, 3, 31, 22, 0, tzinfo=timezone(timedelta(hours=-5)))  # 1 April UTC
    e = j.save(entry(late))
    assert (j.entries_dir / "2024-04.json").exists()
    assert j.get(e.id).occurred == late


def test_delete_removes_from_month_and_index(j: Journal) -> None:
    keep = j.save(entry(at(3, 1)))
    gone = j.save(entry(at(3, 2), text="to go"))
    removed = j.delete(gone.id[:8])
    assert removed.id == gone.id and removed.listen.story == "to go"
    assert not j.exists(gone.id) and j.exists(keep.id)
    with pytest.raises(NotFound):
        j.get(gone.id)
    with pytest.raises(NotFound):
        j.delete(gone.id)
    assert [e.id for e in j.entries()] == [keep.id]
    assert j.check().ok


def test_get_by_unique_prefix_and_ambiguous_prefix(j: Journal) -> None:
    a = j.save(entry(at(3, 1), id="abcd-1111"))
    j.save(entry(at(5, 1), id="abcd-2222"))
    assert j.get("abcd-1111").id == a.id
    assert j.get("abcd-1").id == a.id
    with pytest.raises(NotFound, match="matches 2 entries"):
        j.get("abcd")
    with pytest.raises(NotFound, match="no entry"):
        j.get("zzzz")


def test_recent_newest_first_across_months_with_offset(j: Journal) -> None:
    ids = []
    for m in (1, 2, 3):
        for d in (3, 1, 2):
            ids.append((at(m, d), j.save(entry(at(m, d))).id))
    newest_first = [i for _, i in sorted(ids, reverse=True)]
    assert [e.id for e in j.recent(4)] == newest_first[:4]
    assert [e.id for e in j.recent(4, offset=3)] == newest_first[3:7]
    assert [e.id for e in j.recent(50)] == newest_first
    assert Journal(j.path, settings_path=j.settings_path).recent(1)[0].id == newest_first[0]


def test_entries_since_until_edges_are_inclusive(j: Journal) -> None:
    edge_lo = j.save(entry(at(3, 1, 0))).id
    inside = j.save(entry(at(3, 15))).id
    edge_hi = j.save(entry(at(4, 30, 23))).id
    before = j.save(entry(at(3, 1, 0) - timedelta(seconds=1))).id
    after = j.save(entry(at(4, 30, 23) + timedelta(seconds=1))).id
    got = [e.id for e in j.entries(at(3, 1, 0), at(4, 30, 23))]
    assert got == [edge_lo, inside, edge_hi]
    assert [e.id for e in j.entries(at(3, 1, 0), at(4, 30, 23), newest_first=True)] == [edge_hi, inside, edge_lo]
    assert [e.id for e in j.entries()] == [before, edge_lo, inside, edge_hi, after]
    assert [e.id for e in j.entries(since=at(4, 30, 23))] == [edge_hi, after]
    assert [e.id for e in j.entries(until=at(3, 1, 0))] == [before, edge_lo]
    # a naive bound is local time (UTC in the tests)
    assert [e.id for e in j.entries(datetime(2024, 3, 15, 10), datetime(2024, 3, 15, 10))] == [inside]


def test_entries_sort_by_time_whatever_the_offset(j: Journal) -> None:
    plus2 = timezone(timedelta(hours=2))
    a = j.save(entry(datetime(2024, 3, 5, 11, 0, tzinfo=plus2))).id  # 09:00 UTC
    b = j.save(entry(datetime(2024, 3, 5, 10, 0, tzinfo=UTC))).id
    c = j.save(entry(datetime(2024, 3, 5, 9, 30, tzinfo=UTC))).id
    assert [e.id for e in j.entries()] == [a, c, b]


def test_private_entries_and_entry_dicts(j: Journal) -> None:
    shared = j.save(entry(at(3, 1)))
    private = j.save(entry(at(3, 2), visibility="private"))
    # The store returns every entry, private ones too; the rule "private entries stay out
    # unless asked for" is the use cases' (moved from here: with private entries left out,
    # only `shared` is listed).
    assert [e.id for e in j.entries()] == [shared.id, private.id]
    assert [d["visibility"] for d in j.entry_dicts()] == ["shared", "private"]
    dicts = list(j.entry_dicts())
    assert len(dicts) == 2 and dicts[0] == j.get(shared.id).to_dict()


def test_find_with_a_filter(j: Journal) -> None:
    crisis = j.save(entry(at(3, 1), text="a hard night", flags=Flags(crisis=True), tags=["Night"]))
    j.save(entry(at(3, 2), text="a good day", flags=Flags(celebrate=True)))
    old = j.save(entry(at(1, 2), text="hard start", flags=Flags(crisis=True)))
    assert [e.id for e in j.find(EntryFilter(flags=["crisis"]))] == [crisis.id, old.id]
    assert [e.id for e in j.find(EntryFilter(flags=["crisis"]), newest_first=False)] == [old.id, crisis.id]
    assert [e.id for e in j.find(EntryFilter(flags=["crisis"], since=at(2, 1)))] == [crisis.id]
    assert [e.id for e in j.find(EntryFilter(text="HARD"), limit=1)] == [crisis.id]
    assert [e.id for e in j.find(EntryFilter(tags=["night"]))] == [crisis.id]


# --- import -----------------------------------------------------------------------------


def test_import_added_unchanged_conflict_replace_and_dry_run(j: Journal) -> None:
    a = entry(at(3, 1), id="a", peer="sam")
    b = entry(at(4, 1), id="b", peer="sam")
    story = Story(title="the bus", id="s1", created=at(1, 1))
    first = j.import_records([a, b], [story])
    assert first.added == ["a", "b"] and first.stories["added"] == ["s1"]

    again = j.import_records([a, b], [story])
    assert again.added == [] and again.unchanged == ["a", "b"] and again.stories["unchanged"] == ["s1"]

    changed = entry(at(3, 1), id="a", peer="sam", text="different")
    new = entry(at(5, 1), id="c", peer="sam")
    before = snapshot(j.path.parent)
    with pytest.raises(Conflict) as caught:
        j.import_records([new, changed])
    assert caught.value.ids == ["a"]
    assert snapshot(j.path.parent) == before  # refused as a whole: not even "c"

    dry = j.import_records([new, changed], replace=True, dry_run=True)
    assert dry.dry_run and dry.added == ["c"] and dry.replaced == ["a"]
    dry_conflict = j.import_records([new, changed], dry_run=True)
    assert dry_conflict.conflicts == ["a"]
    assert snapshot(j.path.parent) == before  # dry runs write nothing

    done = j.import_records([new, changed], replace=True)
    assert done.added == ["c"] and done.replaced == ["a"]
    assert j.get("a").listen.story == "different" and j.exists("c")
    assert j.count() == 3 and j.check().ok


def test_import_finds_an_existing_id_in_any_month(j: Journal) -> None:
    for m in range(1, 13):
        j.save(entry(at(m, 3), id=f"id-{m}", peer="sam"))
    old = j.get("id-2")
    moved = Entry.from_dict(dict(old.to_dict(), occurred=at(11, 20).isoformat()))
    with pytest.raises(Conflict):
        j.import_records([moved])
    assert j.import_records([old]).unchanged == ["id-2"]
    j.import_records([moved], replace=True)
    assert j.get("id-2").occurred == at(11, 20) and j.count() == 12 and j.check().ok


def test_import_of_the_same_id_twice_in_one_input(j: Journal) -> None:
    a = entry(at(3, 1), id="dup", peer="sam")
    assert j.import_records([a, a]).added == ["dup"]
    assert j.count() == 1
    other = entry(at(3, 2), id="twice", peer="sam")
    other2 = entry(at(3, 2), id="twice", peer="sam", text="two")
    with pytest.raises(Conflict):
        j.import_records([other, other2])
    j.import_records([other, other2], replace=True)
    assert j.get("twice").listen.story == "two" and j.count() == 2


def test_an_id_twice_in_one_input_and_other_in_the_journal_is_one_conflict(j: Journal) -> None:
    """Given twice with other content, and other than the stored one too: told once."""
    j.save(entry(at(3, 2), id="twice", peer="sam", text="stored"))
    one, two = (entry(at(3, 2), id="twice", peer="sam", text=t) for t in ("one", "two"))
    assert j.import_records([one, two], dry_run=True).conflicts == ["twice"]


def test_import_fills_an_empty_peer_from_settings(j: Journal) -> None:
    j.save_settings(Settings(peer="robin"))
    j.import_records([entry(at(3, 1), id="p")])
    assert j.get("p").peer == "robin"


# --- stories, meetings, drafts, settings -------------------------------------------------


def test_stories_round_trip(j: Journal) -> None:
    s = j.save_story(Story(title="the bus stop", text="I waited", themes=["hope"], created=at(1, 1)))
    j.save_story(Story(title="Another", retired=True, created=at(1, 2)))
    assert j.get_story(s.id) == s
    assert [x.title for x in j.stories()] == ["the bus stop", "Another"]
    assert [x.title for x in j.stories(include_retired=False)] == ["the bus stop"]
    s.text = "I waited a long time"
    j.save_story(s)
    assert j.get_story(s.id).text == "I waited a long time" and len(j.stories()) == 2
    with pytest.raises(NotFound):
        j.get_story("nope")


def test_meetings_round_trip_and_action_done(j: Journal) -> None:
    m1 = Meeting(held=at(2, 1), since=at(1, 1), until=at(2, 1), peer="sam", supervisor="lee",
                 actions=[ActionItem(text="call back", due=date(2024, 2, 8))])
    m2 = Meeting(held=at(1, 1), since=at(12, 1, year=2023), until=at(1, 1), peer="kim")
    j.save_meeting(m1)
    j.save_meeting(m2)
    assert [m.id for m in j.meetings()] == [m2.id, m1.id]
    assert [m.id for m in j.meetings(peer="sam")] == [m1.id]
    assert j.last_meeting().id == m1.id and j.last_meeting("kim").id == m2.id
    done = j.set_action_done(m1.id, m1.actions[0].id)
    assert done.actions[0].done
    assert Journal(j.path, settings_path=j.settings_path).meetings()[1].actions[0].done
    with pytest.raises(NotFound):
        j.set_action_done(m1.id, "nope")
    assert j.meetings()[1] == done


def test_drafts_round_trip_newest_first_and_discard(j: Journal) -> None:
    d1 = j.save_draft(Draft(entry={"listen": {"story": "first"}}))
    d2 = j.save_draft(Draft(entry={"listen": {"story": "second"}}, step="reflect"))
    assert [d.id for d in j.drafts()] == [d2.id, d1.id]
    d1.entry["listen"]["story"] = "first, more"
    j.save_draft(d1)
    assert [d.id for d in j.drafts()] == [d1.id, d2.id]
    assert j.drafts()[0].entry["listen"]["story"] == "first, more"
    j.discard_draft(d1.id)
    assert [d.id for d in j.drafts()] == [d2.id]
    assert j.drafts()[0].step == "reflect"


def test_settings_defaults_and_save(j: Journal, tmp_path: Path) -> None:
    s = j.settings()
    assert s.peer == "" and s.crisis_lines  # the default lines
    assert j.default_peer()  # the OS user name when none is set
    s.peer, s.supervisor, s.schedule = "sam", "lee", "every 2 weeks on tuesday at 10:00"
    j.save_settings(s)
    again = Journal(j.path, settings_path=j.settings_path).settings()
    assert (again.peer, again.supervisor, again.schedule) == ("sam", "lee", s.schedule)
    assert j.default_peer() == "sam"
    assert json.loads((tmp_path / "settings.json").read_text())["peer"] == "sam"


# --- backups and health ------------------------------------------------------------------


def test_backups_rotate_and_keep_at_most_three_per_file(j: Journal) -> None:
    for day in range(1, 9):
        j.save(entry(at(3, day)))
        j.save_story(Story(title=f"s{day}"))
    names = sorted(p.name for p in j.backup_dir.iterdir())
    assert [n for n in names if n.startswith("2024-03.json.")] == [f"2024-03.json.{n}" for n in range(1, KEEP_BACKUPS + 1)]
    assert [n for n in names if n.startswith("journal.json.")] == [f"journal.json.{n}" for n in range(1, KEEP_BACKUPS + 1)]
    newest = json.loads((j.backup_dir / "2024-03.json.1").read_text())["entries"]
    older = json.loads((j.backup_dir / "2024-03.json.3").read_text())["entries"]
    # Backup 1 is the month as last written (issue 8: restoring it loses nothing acknowledged),
    # 3 the month two saves before.
    assert len(newest) == 8 and len(older) == 6


def test_check_counts_and_finds_an_index_out_of_step(j: Journal) -> None:
    for m in (1, 2):
        j.save(entry(at(m, 1)))
    j.save_story(Story(title="s"))
    report = j.check()
    assert report.ok and (report.entries, report.months, report.stories, report.schema) == (2, 2, 1, migrate.CURRENT)
    shard = next(j.index_dir.glob("*.json"))
    shard.write_text("{}")  # valid JSON, but the index lost its ids
    assert not j.check().ok
    assert "index is out of step" in " ".join(j.check().problems)
    assert j.check(repair=True).ok
    assert j.check().ok and all(j.exists(e.id) for e in j.entries())


# --- entry_json: stored text passed through for export ---------------------------------


def test_entry_json_is_the_canonical_encoding_of_entry_dicts(tmp_path):
    j = Journal(tmp_path / "j.json", settings_path=tmp_path / "s.json")
    for i, text in enumerate(["plain", "ünïcödé, \"quoted\": and\nnewline", "\u2028 line sep"]):
        j.save(Entry.from_dict({"occurred": f"2026-0{i + 1}-10T10:00:00+00:00", "listen": {"story": text}}))
    dicts = list(j.entry_dicts())
    texts = list(j.entry_json())
    assert [json.loads(t) for t in texts] == dicts
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    assert texts == [encode(d) for d in dicts]
    # the same selection rules as entry_dicts
    since = dicts[1]["occurred"]
    assert [json.loads(t)["id"] for t in j.entry_json(since=datetime.fromisoformat(since), newest_first=True)] == [
        d["id"] for d in reversed(dicts[1:])
    ]


def test_entry_json_reencodes_a_month_written_with_other_spacing(tmp_path):
    """A month file in TinyDB's own spaced layout still yields the canonical text."""
    j = Journal(tmp_path / "j.json", settings_path=tmp_path / "s.json")
    e = j.save(Entry.from_dict({"occurred": "2026-03-10T10:00:00+00:00", "listen": {"story": "a, b: c"}}))
    month = tmp_path / "j.json.d" / "entries" / "2026-03.json"
    month.write_text(json.dumps(json.loads(month.read_text())), encoding="utf-8")  # spaced
    assert ", " in month.read_text()
    (text,) = list(j.entry_json())
    assert text == json.dumps(e.to_dict(), ensure_ascii=False, separators=(",", ":"))


def test_entry_json_refuses_a_garbled_month(tmp_path):
    j = Journal(tmp_path / "j.json", settings_path=tmp_path / "s.json")
    j.save(Entry.from_dict({"occurred": "2026-03-10T10:00:00+00:00"}))
    month = tmp_path / "j.json.d" / "entries" / "2026-03.json"
    month.write_bytes(month.read_bytes()[:-7])
    before = month.read_bytes()
    with pytest.raises(JournalCorrupt, match="2026-03.json"):
        list(j.entry_json())
    assert month.read_bytes() == before


def test_review_meetings_are_each_peers_last_and_those_with_open_actions(j: Journal) -> None:
    from reflect.domain.model import ActionItem, Meeting

    def meeting(day: int, peer: str, *done: bool) -> Meeting:
        held = at(2, day)
        return j.save_meeting(
            Meeting(held=held, since=held - timedelta(days=14), until=held, peer=peer,
                    actions=[ActionItem(text=f"a{day}-{n}", done=d) for n, d in enumerate(done)])
        )  # fmt: skip

    old_open = meeting(1, "sam", False, True)
    meeting(3, "sam", True)  # closed, not the last: not needed
    last_sam = meeting(5, "sam")
    last_ana = meeting(2, "ana", True)
    assert [m.id for m in j.review_meetings()] == [old_open.id, last_ana.id, last_sam.id]
    assert len(j.meetings()) == 4


@pytest.mark.parametrize("garble", ['{"entries":{"1":DOC,}}', '{"entries":{"1":DOC},}', '{"entries":{"1":DOC}} x'])
def test_entry_json_refuses_what_json_loads_refuses(tmp_path, garble):
    """The pass-through scanner is no more lenient than the parser every other read uses."""
    j = Journal(tmp_path / "j.json", settings_path=tmp_path / "s.json")
    e = j.save(Entry.from_dict({"occurred": "2026-03-10T10:00:00+00:00"}))
    month = tmp_path / "j.json.d" / "entries" / "2026-03.json"
    month.write_text(garble.replace("DOC", json.dumps(e.to_dict(), separators=(",", ":"))), encoding="utf-8")
    with pytest.raises(JournalCorrupt, match="2026-03.json"):
        list(j.entry_json())


def test_recent_pages_with_offset_and_limit(j: Journal) -> None:
    saved = [j.save(entry(at(m, d))) for m in (1, 2) for d in (1, 2, 3)]
    newest_first = [e.id for e in reversed(saved)]
    assert [e.id for e in j.recent(2)] == newest_first[:2]
    assert [e.id for e in j.recent(3, offset=2)] == newest_first[2:5]
    assert [e.id for e in j.recent(10, offset=5)] == newest_first[5:]
    assert j.recent(0) == []
