"""Search tests the stored text before building entries, finds exactly what the filter
finds, and stops at the page (issue 9, item 17); home and `reflect list --search` use it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from reflect.cli import main as cli
from reflect.domain.model import Crisis, Entry, EntryFilter, Flags, Listen, Reflect, Share
from reflect.store import Journal
from reflect.store import browse
from reflect.usecases import browsing

NOW = datetime(2026, 1, 1, 9, 0, tzinfo=timezone.utc)

AWKWARD = [
    'He said "stop" and left',
    "a back\\slash, then \\\" a quote",
    "Straße und STRASSE",
    '","peer":"sam',
    "experience of the hospital",
    "İstanbul ΣΊΣΥΦΟΣ ﬁne",
    "tab\there and a\nnewline",
    "{\"id\":\"x\"}",
    "15 minutes, true or null",
]
NEEDLES = [
    "stop", '"stop"', "back\\slash", '\\" a', "strasse", "straße", "peer", '"peer":"sam', "sam",
    "experience", "hospital", "response", "15", "true", "null", "istanbul", "σίσυφος", "fine",
    "\t", "here and a\nnewline", "newline", "{", '"id"', "x", "group", "first", "follow",
    "minutes", "occurred", "2025", "visibility", "shared",
]


def awkward_entries() -> list[Entry]:
    out = []
    for i, text in enumerate(AWKWARD * 3):
        at = NOW - timedelta(days=11 * i, hours=i)
        entry = Entry(occurred=at, person=text[:8], setting="hospital", minutes=15, tags=["first", text[-5:]])
        if i % 3 == 0:
            entry.listen = Listen(story=text, themes=["grief", text[:4]])
        elif i % 3 == 1:
            entry.reflect = Reflect(experience=text)
            entry.share = Share(how="ask, share, ask", response="engaged")
        else:
            entry.flags = Flags(crisis=True)
            entry.crisis = Crisis(notes=text)
        out.append(entry)
    return out


@pytest.fixture
def journal() -> Journal:
    j = Journal()
    j.import_records(awkward_entries())
    return j


@pytest.mark.parametrize("needle", NEEDLES)
def test_search_finds_exactly_what_the_filter_finds(journal: Journal, needle: str) -> None:
    flt = EntryFilter(text=needle)
    want = [e.id for e in journal.find(flt)]
    assert [e.id for e in browsing.search(journal, flt, None)] == want
    b = browsing.browser(journal)
    assert [e.id for e in browsing.older(b, None, 1000, flt).entries] == want
    with_flag = EntryFilter(text=needle, flags=["crisis"])
    assert [e.id for e in browsing.search(journal, with_flag, None)] == [e.id for e in journal.find(with_flag)]


def test_stored_text_is_what_the_filter_searches(journal: Journal) -> None:
    for doc in journal.entry_dicts():
        assert browsing.stored_text(doc) == "\n".join(Entry.from_dict(doc).text_fields().values())


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which way each month was decoded: "all" (every entry) or "n" (n entries hit)."""
    seen: list[str] = []
    real_all, real_at = browse._decode_month, browse._decode_at

    def all_(path: Path, text: str) -> list[dict[str, object]]:
        seen.append("all")
        return real_all(path, text)

    def at(path: Path, text: str, starts: list[int]) -> list[dict[str, object]]:
        seen.append(str(len(set(starts))))
        return real_at(path, text, starts)

    monkeypatch.setattr(browse, "_decode_month", all_)
    monkeypatch.setattr(browse, "_decode_at", at)
    return seen


def many(n: int, odd_one: str) -> list[Entry]:
    out = []
    for i in range(n):
        story = odd_one if i == n // 3 else f"we talked about the week {i}"
        out.append(Entry(occurred=NOW - timedelta(hours=7 * i), person="J.", setting="hospital",
                         listen=Listen(story=story), reflect=Reflect(experience="calm")))  # fmt: skip
    return out


def test_a_rare_word_builds_only_the_entry_that_holds_it(decoded: list[str]) -> None:
    journal = Journal()
    journal.import_records(many(1500, "the zebra crossing"))
    found = browsing.search(journal, EntryFilter(text="ZEBRA"), 50)
    assert [e.listen.story for e in found] == ["the zebra crossing"]
    assert decoded == ["1"]  # one month held the word; only its one entry was decoded


@pytest.mark.parametrize("word", ["experience", "hospital", "j."])
def test_a_word_only_in_field_names_or_other_values_decodes_nothing(decoded: list[str], word: str) -> None:
    journal = Journal()
    journal.import_records(many(1500, "nothing special"))
    assert browsing.search(journal, EntryFilter(text=word), 50) == [] or word == "j."
    assert all(d == "0" for d in decoded) if word != "j." else all(d != "all" for d in decoded)


def test_a_common_word_stops_at_the_page(decoded: list[str]) -> None:
    journal = Journal()
    journal.import_records(many(1500, "x"))
    found = browsing.search(journal, EntryFilter(text="talked"), 50)
    assert len(found) == 50
    assert len(decoded) <= 2  # the newest month or two, not all twelve


def test_cli_list_search_uses_it_and_says_what_matched(journal: Journal) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["list", "--search", "STRASSE", "--limit", "0"])
    assert result.exit_code == 0, result.output
    want = journal.find(EntryFilter(text="strasse"))
    assert len(want) == 3 and all(e.id[:8] in result.output for e in want)
    result = runner.invoke(cli, ["list", "--search", "response"])
    assert "no entries match" in result.output


def test_a_rare_flag_reads_only_the_month_that_has_it(decoded: list[str]) -> None:
    journal = Journal()
    entries = many(1500, "x")
    entries[700].flags = Flags(crisis=True)
    journal.import_records(entries)
    found = browsing.search(journal, EntryFilter(flags=["crisis"]), 50)
    assert [e.id for e in found] == [entries[700].id]
    assert decoded == ["all"]  # one month parsed, the other eighteen only tested as text


def test_a_month_that_does_not_parse_is_journal_corrupt_naming_the_file() -> None:
    from reflect.store import JournalCorrupt

    journal = Journal()
    journal.import_records(many(30, "x"))
    month = sorted(journal.layout.entries_dir.glob("*.json"))[-1]
    month.write_text('{"entries":{"1":{"id":"a","occ', encoding="utf-8")
    with pytest.raises(JournalCorrupt, match=month.name):
        browsing.older(browsing.browser(journal), None, 50)
    with pytest.raises(JournalCorrupt, match=month.name):
        browsing.search(journal, EntryFilter(text="occ"), 50)  # a word the broken text holds
