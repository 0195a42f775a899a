"""The meeting record (issue 11): attestations bound to the record's content, and what
happens when the stored record changes after it was attested.

Every check reads what is on disk through a fresh Journal; tampering is done as it would
be done: the stored meetings file edited in place, or a changed export imported with
--replace.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import pytest

from reflect.domain import attestation
from reflect.domain.model import ActionItem, Meeting, ValidationError
from reflect.domain.settings import Settings
from reflect.store import Journal
from reflect.usecases import meetings as uc
from reflect.usecases.reviewing import record_meeting

UTC = timezone.utc
HELD = datetime(2026, 11, 3, 14, 0, tzinfo=UTC)


@pytest.fixture
def journal(db_path: Path) -> Journal:
    j = Journal(db_path)
    j.save_settings(Settings(peer="alex", supervisor="Dana", credential="CPS-123", supervisor_credential="LCSW-9"))
    return j


def add(j: Journal, held: datetime = HELD, **kw: object) -> Meeting:
    details = uc.Details(minutes=60, kind="individual", delivery="video", observed=True, summary="Boundaries")
    return uc.add_meeting(j, held, details, **kw)  # type: ignore[arg-type]


def fresh(j: Journal) -> Journal:
    return Journal(j.path)


def test_rounded_minutes() -> None:
    assert [uc.rounded_minutes(timedelta(minutes=m)) for m in (0, 3, 8, 22, 23, 52, 53, 600)] == [
        15, 15, 15, 15, 30, 45, 60, 600,
    ]  # fmt: skip


def test_add_fills_the_window_and_the_credentials(journal: Journal) -> None:
    first = add(journal)
    second = add(journal, HELD + timedelta(days=7))
    stored = fresh(journal).meetings()
    assert [m.id for m in stored] == [first.id, second.id]
    a, b = stored
    assert a.since == HELD - timedelta(days=14) and a.until == HELD  # no meeting before: 14 days
    assert b.since == a.until and b.until == HELD + timedelta(days=7)  # from where the last window ended
    assert (a.peer, a.supervisor, a.minutes, a.kind, a.delivery, a.observed) == ("alex", "Dana", 60, "individual", "video", True)
    assert (a.credentials.peer, a.credentials.supervisor) == ("CPS-123", "LCSW-9")
    other = add(journal, peer="sam", supervisor="Lee")  # not the people settings name
    assert (other.credentials.peer, other.credentials.supervisor) == ("", "")


def test_an_attestation_holds_until_the_record_changes(journal: Journal) -> None:
    m = add(journal)
    done = uc.attest(journal, m.id[:6], "supervisor")
    assert not done.already and done.attestation.name == "Dana"
    stored = fresh(journal).get_meeting(m.id)
    assert [ok for _, ok in attestation.standing(stored)] == [True]
    assert uc.Standing.of(stored).counts("supervisor") and uc.Standing.of(stored).mark() == "attested (supervisor)"
    again = uc.attest(fresh(journal), m.id, "supervisor")
    assert again.already and len(fresh(journal).get_meeting(m.id).attestations) == 1
    uc.attest(journal, m.id, "peer")
    stored = fresh(journal).get_meeting(m.id)
    assert [(a.role, a.name, ok) for a, ok in attestation.standing(stored)] == [
        ("supervisor", "Dana", True), ("peer", "alex", True),
    ]  # fmt: skip  # a second attestation does not break the first


def test_editing_the_stored_file_breaks_the_attestation(journal: Journal) -> None:
    m = add(journal)
    uc.attest(journal, m.id, "supervisor")
    path = journal.meetings_path
    data = json.loads(path.read_text())
    (doc,) = data["meetings"].values()
    doc["minutes"] = 120  # an hour more on the record than was attested
    path.write_text(json.dumps(data))
    stored = fresh(journal).get_meeting(m.id)
    standing = uc.Standing.of(stored)
    assert standing.changed and not standing.counts("supervisor")
    assert standing.mark() == "CHANGED after attestation"
    # Attesting the record as it is now counts again; the broken one stays, saying so.
    uc.attest(fresh(journal), m.id, "supervisor")
    again = uc.Standing.of(fresh(journal).get_meeting(m.id))
    assert [ok for _, ok in again.attestations] == [False, True] and again.counts("supervisor")


def test_closing_an_action_later_does_not_break_the_attestation(journal: Journal) -> None:
    """A later meeting closes an earlier one's actions: that is follow-up, not a change of
    the record. (Failed before `done` was left out of the digest.)"""
    t = datetime.now(UTC).replace(microsecond=0)
    first = Meeting(held=t - timedelta(days=7), since=t - timedelta(days=21), until=t - timedelta(days=7),
                    peer="alex", actions=[ActionItem("Read the chapter", id="a1")])  # fmt: skip
    journal.save_meeting(first)
    uc.attest(journal, first.id, "supervisor")
    later = Meeting(held=t, since=first.until, until=t, peer="alex")
    record_meeting(fresh(journal), later, {(first.id, "a1"): "Read the chapter"})
    stored = fresh(journal).get_meeting(first.id)
    assert stored.actions[0].done
    assert not uc.Standing.of(stored).changed


def test_a_field_added_later_does_not_break_an_attestation(journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    """A later version adds a field to meetings: an old record reads with it empty, and
    what was attested before still holds. (Failed before empty values were left out.)"""
    m = add(journal)
    before = attestation.digest(m)
    plain = Meeting.to_dict
    monkeypatch.setattr(Meeting, "to_dict", lambda self: dict(plain(self), supervision_hours_note="", co_signers=[]))
    assert attestation.digest(m) == before
    assert attestation.digest(Meeting.from_dict(dict(plain(m), observed=False))) != before  # a real change


def test_attest_needs_a_name(db_path: Path) -> None:
    j = Journal(db_path)
    m = add(j, supervisor="")
    with pytest.raises(ValidationError) as caught:
        uc.attest(j, m.id, "supervisor")
    assert caught.value.path == "name"
    assert fresh(j).get_meeting(m.id).attestations == []


def test_a_meeting_from_before_the_record_fields_reads_and_shows(journal: Journal) -> None:
    from reflect.domain import meeting_render

    old = {
        "id": "0ld-meeting-0000", "peer": "alex", "supervisor": "Dana", "held": "2025-01-07T10:00:00+00:00",
        "since": "2024-12-24T10:00:00+00:00", "until": "2025-01-07T10:00:00+00:00", "notes": "Talked",
        "actions": [], "discussed": [], "agenda": None,
    }  # fmt: skip
    journal.import_records(meetings=[Meeting.from_dict(old)])
    stored = uc.find_meeting(fresh(journal), "0ld")
    assert (stored.minutes, stored.kind, stored.delivery, stored.attestations) == (0, "", "", [])
    text = meeting_render.markdown(stored)
    assert "not recorded (a meeting from before" in text and "## Notes\n\nTalked" in text


def test_a_plain_export_redacting_private_items_is_not_tampering(journal: Journal, tmp_path: Path) -> None:
    """An export leaves out agenda items (and their `discussed` marks) that cite private
    entries: the record read elsewhere still holds. (Failed while `discussed` was digested.)"""
    from click.testing import CliRunner

    from reflect.cli import main
    from reflect.domain.model import Entry

    t = datetime.now(UTC).replace(microsecond=0)
    journal.save(Entry(occurred=t - timedelta(days=2), id="secret-1", peer="alex", visibility="private",
                       question="Private worry"))  # fmt: skip
    item = {"text": "Private worry", "entries": ["secret-1"]}
    agenda = {"peer": "alex", "since": (t - timedelta(days=14)).isoformat(), "until": t.isoformat(), "next_meeting": None,
              "sections": [{"key": "questions", "title": "Questions to discuss", "items": [item]}]}  # fmt: skip
    m = Meeting(held=t, since=t - timedelta(days=14), until=t, peer="alex", discussed=["Private worry"], agenda=agenda)
    journal.save_meeting(m)
    uc.attest(journal, m.id, "supervisor")
    runner = CliRunner()
    shown = json.loads(runner.invoke(main, ["meeting", "show", m.id, "--json"]).stdout)
    assert shown["meeting"]["discussed"] == [] and shown["changed"] is False  # redacted, still holds
    exported = runner.invoke(main, ["export"]).stdout
    (doc,) = json.loads(exported)["meetings"]
    assert doc["discussed"] == [] and "Private worry" not in exported
    elsewhere = Journal(tmp_path / "elsewhere" / "journal.json")
    elsewhere.import_records(meetings=[Meeting.from_dict(doc)])
    assert not uc.Standing.of(elsewhere.get_meeting(m.id)).changed


def test_with_no_peer_set_the_credential_is_the_journal_owners_only(db_path: Path) -> None:
    j = Journal(db_path)
    j.save_settings(Settings(credential="CPS-7"))
    own = add(j)
    assert own.peer == j.default_peer() and own.credentials.peer == "CPS-7"
    other = add(j, HELD + timedelta(days=1), peer="sam")
    assert other.credentials.peer == ""  # (was "CPS-7": another peer was lent the owner's number)


def test_the_digest_of_a_record_stays_the_same_across_versions() -> None:
    """Stored attestations keep holding only if the digest of the same content never
    changes: this value was computed by the first version (canonical JSON of the pruned
    record), before the digest was made faster."""
    from datetime import date

    from reflect.domain.model import Credentials

    m = Meeting(
        held=HELD, since=HELD - timedelta(days=14), until=HELD, id="m-1", peer="alex", supervisor="Dana",
        notes="Wörds — “quoted”\n", minutes=60, kind="individual", delivery="video", observed=False,
        summary="Boundaries", credentials=Credentials("CPS-123", ""),
        actions=[ActionItem("Read the chapter", owner="peer", done=True, id="a1", due=date(2026, 11, 10)), ActionItem("", id="a2")],
    )  # fmt: skip
    expected = "sha256:c8f28d1b385078119ff0ee96e963ab526dd56899fefa610e9efd893216a37cc7"
    assert attestation.digest(m) == expected
    assert attestation.stored_digest(json.loads(json.dumps(m.to_dict()))) == expected  # as read from the store


def test_the_fast_pruning_keeps_the_general_rule() -> None:
    """The one-pass pruning agrees with the plain recursive rule on every kind of value."""
    import random

    def general(value: object) -> object:
        if isinstance(value, dict):
            out = {k: general(v) for k, v in value.items()}
            return {k: v for k, v in out.items() if not attestation._empty(v)}
        return [general(v) for v in value] if isinstance(value, list) else value

    rnd = random.Random(11)
    atoms = ["", "x", None, False, True, 0, 1, 0.0, -0.0, 1.5, [], {}, "0", ()]

    def value(depth: int) -> object:
        r = rnd.random()
        if depth > 3 or r < 0.5:
            return rnd.choice(atoms)
        if r < 0.75:
            return [value(depth + 1) for _ in range(rnd.randint(0, 3))]
        return {rnd.choice("abcdef"): value(depth + 1) for _ in range(rnd.randint(0, 4))}

    for _ in range(2000):
        doc = {k: value(0) for k in "abcdefgh"}
        assert attestation._pruned(doc) == general(doc)
def _edit_stored(journal: Journal, change: Callable[[dict[str, Any]], None]) -> uc.Standing:
    path = journal.meetings_path
    data = json.loads(path.read_text())
    (doc,) = data["meetings"].values()
    change(doc)
    path.write_text(json.dumps(data))
    (stored,) = fresh(journal).meetings()
    return uc.Standing.of(stored)


@pytest.mark.parametrize(
    "field,value",
    [("name", "Mallory"), ("role", "peer"), ("at", "2026-11-04T09:00:00+00:00")],
)
def test_changing_who_attested_or_when_breaks_the_attestation(journal: Journal, field: str, value: str) -> None:
    """An attestation binds its own role, name and time, not only the record's content."""
    m = add(journal)
    uc.attest(journal, m.id, "supervisor")
    standing = _edit_stored(journal, lambda doc: doc["attestations"][0].__setitem__(field, value))
    assert standing.changed and standing.mark() == "CHANGED after attestation"
    assert not standing.counts("supervisor") and not standing.counts("peer")


def test_the_same_instant_with_another_offset_is_the_same_record(journal: Journal) -> None:
    """`held` rewritten from 00:00 UTC to 01:00+01:00 is the same instant: still attested;
    an attestation stored before names were bound (the record's digest alone) still holds."""
    m = add(journal, HELD.replace(hour=0))
    uc.attest(journal, m.id, "supervisor")
    record = attestation.digest(fresh(journal).get_meeting(m.id))

    def rewrite(doc: dict[str, Any]) -> None:
        assert doc["held"] == "2026-11-03T00:00:00+00:00"
        doc["held"] = "2026-11-03T01:00:00+01:00"
        doc["attestations"].append({"role": "peer", "name": "alex", "at": "2026-11-03T10:00:00+00:00", "digest": record})

    standing = _edit_stored(journal, rewrite)
    assert [ok for _, ok in standing.attestations] == [True, True] and not standing.changed
