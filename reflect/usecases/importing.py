"""Importing records: read the input, write it whole or not at all, and what to warn about.

Parsing and writing are two steps so a command can hold Ctrl-C around the write alone.
Warnings come back as data (the entry, the field, the kind of identifier; never the
value), for the adapter to show; they never block an import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reflect.domain.formats import ImportDoc
    from reflect.domain.import_stream import Packed
    from reflect.domain.model import Entry, Meeting
    from reflect.domain.training import Training
    from reflect.store import ImportResult, Journal
    from reflect.store.importer import Progress


def parse(journal: Journal, text: str, *, source: str) -> ImportDoc:
    """The records in `text`, fully validated (`ImportFormatError` names the position).
    An entry without a peer takes the journal's owner."""
    from reflect.domain.formats import parse_import

    return parse_import(text, source=source, default_peer=journal.default_peer())


def apply(
    journal: Journal,
    doc: ImportDoc,
    *,
    replace: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    release: bool = False,
) -> ImportResult:
    """Write `doc` into the journal (nothing on a dry run): all of it, or on a conflict
    without `replace`, none of it (`Conflict`). `progress(done, total)` hears how far it
    is now and then (three units per entry), last with done == total. With `release`,
    each entry is let go as the store takes it in (`doc.entries` is empty afterwards), so
    a big import never holds its entries twice: take the `notes` first."""
    entries: Iterable[Entry] = _Released(doc.entries) if release else doc.entries
    return journal.import_records(
        entries, doc.stories, doc.meetings, replace=replace, dry_run=dry_run, progress=progress, worked=doc.worked,
        trainings=doc.trainings, ratings=doc.ratings, goals=doc.goals,
    )


@dataclass
class Prepared:
    """An input read, validated and checked for what to warn of, ready to `write`: its
    entries packed as they stream in (`reflect.domain.import_stream`), or, for a shape
    only the whole-text parse reads, in `doc.entries` as objects."""

    doc: ImportDoc
    packed: Packed | None
    notes: Notes


def read(
    journal: Journal,
    chunks: Iterable[str],
    *,
    source: str,
    whole: Callable[[], str],
    progress: Callable[[int], None] | None = None,
    now: datetime | None = None,
) -> Prepared:
    """The records of an input that arrives as `chunks` of text, validated whole before
    anything is written, with what to warn of (`notes`). An export document or an array of
    entries is read one entry at a time and kept packed, never as the whole text nor as
    objects; for any other shape, or any problem, `whole()` gives the whole text and
    `parse` reads it (so its error names the entry, field and kind as ever).
    `progress(characters)` hears how much has been read; `now`: the clock."""
    from reflect.domain.import_stream import stream_import
    from reflect.domain.model import now as clock

    streamed_notes = Notes({}, [])

    def observe(batch: list[Entry], first: int) -> None:
        streamed_notes.add_entries(batch, first, now)

    streamed = stream_import(
        chunks, default_peer=journal.default_peer(), imported_at=clock(), observe=observe, progress=progress
    )
    if streamed is None:
        doc = parse(journal, whole(), source=source)
        return Prepared(doc, None, notes(doc, now))
    found = notes(streamed.doc, now)  # its meetings, goals, ratings, trainings (no entries)
    found.warnings, found.future = streamed_notes.warnings, streamed_notes.future
    return Prepared(streamed.doc, streamed.entries, found)


def write(
    journal: Journal, prepared: Prepared, *, replace: bool = False, dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:  # fmt: skip
    """`apply` for what `read` gave: all of it, or on a conflict without `replace`, none
    of it (`Conflict`); nothing on a dry run. Entries read as objects are let go as the
    store takes them in."""
    if prepared.packed is None:
        return apply(journal, prepared.doc, replace=replace, dry_run=dry_run, progress=progress, release=True)
    doc = prepared.doc
    return journal.import_packed(
        prepared.packed, doc.stories, doc.meetings, replace=replace, dry_run=dry_run, progress=progress,
        worked=doc.worked, trainings=doc.trainings, ratings=doc.ratings, goals=doc.goals,
    )  # fmt: skip


class _Released:
    """A list's items, each dropped from it as it is handed on; sized, for progress."""

    def __init__(self, items: list[Entry]) -> None:
        self.items = items
        self.n = len(items)

    def __len__(self) -> int:
        return self.n

    def __iter__(self) -> Iterator[Entry]:
        items = self.items
        items.reverse()
        while items:
            yield items.pop()


@dataclass
class IdentifierWarning:
    """A record whose text looks like it holds an identifier: by field, the kinds found."""

    entry_id: str  # the record's id (an entry's, or a meeting's with `record` "meeting")
    fields: dict[str, list[str]] = field(default_factory=dict)  # field -> kinds, in words
    record: str = "entry"

    def line(self) -> str:
        parts = "; ".join(f"{name} looks like {' and '.join(kinds)}" for name, kinds in self.fields.items())
        return f"{self.record} {self.entry_id}: {parts}"


def _warnings(records: Iterable[tuple[str, dict[str, str]]], record: str) -> list[IdentifierWarning]:
    """One warning per (id, text fields) whose text looks like an identifier; never the value.

    The records are scanned `_SCAN_BATCH` at a time with `scan_many` (one joined text, not
    one scan per record), so the texts held at once stay a few megabytes."""
    from itertools import islice

    from reflect.domain.privacy import KINDS, scan_many

    out = []
    pending = iter(records)
    while batch := list(islice(pending, _SCAN_BATCH)):
        for (record_id, _), findings in zip(batch, scan_many([texts for _, texts in batch])):
            if not findings:
                continue
            warning = IdentifierWarning(record_id, record=record)
            for f in findings:
                kinds = warning.fields.setdefault(f.field, [])
                if KINDS[f.kind] not in kinds:
                    kinds.append(KINDS[f.kind])
            out.append(warning)
    return out


_SCAN_BATCH = 2000  # records per `scan_many` call: about 1.3 MB of typical entries' text


def identifier_warnings(entries: Iterable[Entry]) -> list[IdentifierWarning]:
    """One warning per entry whose text looks like an identifier; never the value."""
    return _warnings(((e.id, e.text_fields()) for e in entries), "entry")


def meeting_text_fields(meeting: Meeting) -> dict[str, str]:
    """A meeting's free text by field name (`actions[0].text` for an action): what a
    board may read, so checked for identifiers like an entry's text."""
    out = {name: getattr(meeting, name) for name in ("notes", "summary", "competence", "growth_areas")}
    out.update({f"actions[{i}].text": a.text for i, a in enumerate(meeting.actions)})
    return {k: v for k, v in out.items() if v}


def meeting_warnings(meetings: Iterable[Meeting]) -> list[IdentifierWarning]:
    """One warning per meeting whose free text looks like an identifier; never the value."""
    return _warnings(((m.id, meeting_text_fields(m)) for m in meetings), "meeting")


def changed_warnings(doc: ImportDoc, result: ImportResult) -> list[IdentifierWarning]:
    """The warnings for the entries and meetings this import adds or replaces (the others
    are already in)."""
    return notes(doc).changed_warnings(result)


@dataclass(frozen=True)
class FutureDated:
    """Entries this import adds or replaces that are dated later than now: how many, and
    the position in the input of the first (never a date or an id: a count to check)."""

    count: int
    first: int  # 1-based, as import errors number entries

    def line(self) -> str:
        are = "entry is" if self.count == 1 else "entries are"
        return f"{self.count} {are} dated in the future (the first: entry {self.first})"


def future_dated(doc: ImportDoc, result: ImportResult, now: datetime | None = None) -> FutureDated | None:
    """The entries this import adds or replaces whose encounter is dated in the future
    (`years.in_future`, the clock by default), or None. The import goes ahead: an entry
    written ahead is allowed, but usually a typo in the year, so the person hears of it."""
    return notes(doc, now).future_dated(result)


@dataclass
class Notes:
    """What an import warns about, worked out from its entries before the write (so the
    write can let each entry go): per entry id its identifier warning, and the positions
    of entries dated in the future. Only those the import adds or replaces are told."""

    warnings: dict[str, IdentifierWarning]
    future: list[tuple[int, str]]  # (1-based position, id)
    meetings: dict[str, IdentifierWarning] = field(default_factory=dict)  # by meeting id
    # The goals', ratings' and trainings' warnings: (the result's table, id) -> warning.
    others: dict[tuple[str, str], IdentifierWarning] = field(default_factory=dict)

    def changed_warnings(self, result: ImportResult) -> list[IdentifierWarning]:
        changed = set(result.added) | set(result.replaced)
        meetings = set(result.meetings.get("added", ())) | set(result.meetings.get("replaced", ()))
        out = [w for entry_id, w in self.warnings.items() if entry_id in changed] + [
            w for meeting_id, w in self.meetings.items() if meeting_id in meetings
        ]
        for (table, record_id), w in self.others.items():
            outcome = result.trainings if table == "trainings" else result.others.get(table, {})
            if record_id in set(outcome.get("added", [])) | set(outcome.get("replaced", [])):
                out.append(w)
        return out

    def future_dated(self, result: ImportResult) -> FutureDated | None:
        changed = set(result.added) | set(result.replaced)
        found = [i for i, entry_id in self.future if entry_id in changed]
        return FutureDated(len(found), found[0]) if found else None

    def add_entries(self, entries: list[Entry], first: int, now: datetime | None) -> None:
        """Note these entries' identifier warnings and future dates (`now`: the clock), the
        first of them at position `first + 1`: a whole input's, or a streamed batch's."""
        from reflect.domain.years import in_future

        self.warnings.update((w.entry_id, w) for w in identifier_warnings(entries))
        self.future.extend((first + i, e.id) for i, e in enumerate(entries, 1) if in_future(e.occurred, now))


def notes(doc: ImportDoc, now: datetime | None = None) -> Notes:
    """The identifier warnings and future dates of every entry in `doc` (`now`: the clock),
    and the identifier warnings of its meetings."""
    found = Notes({}, [], {w.entry_id: w for w in meeting_warnings(doc.meetings)}, _other_warnings(doc))
    found.add_entries(doc.entries, 0, now)
    return found


def _other_warnings(doc: ImportDoc) -> dict[tuple[str, str], IdentifierWarning]:
    """Goals (their text and check-ins), ratings (the note) and trainings (title, provider,
    notes, the certificate's file name) checked as entries are: warned of, never blocked."""
    def training_texts(t: Training) -> dict[str, str]:
        cert = t.certificate.name if t.certificate is not None else ""
        return {"title": t.title, "provider": t.provider, "notes": t.notes, "certificate.name": cert}

    found = {
        "goals": _warnings(((g.id, g.text_fields()) for g in doc.goals), "goal"),
        "ratings": _warnings(((r.id, {"note": r.note}) for r in doc.ratings), "rating"),
        "trainings": _warnings(((t.id, training_texts(t)) for t in doc.trainings), "training"),
    }
    return {(table, w.entry_id): w for table, ws in found.items() for w in ws}


def summary(result: ImportResult) -> str:
    """What an import did, by kind: "entries: 2 added, 1 unchanged; stories: 1 added"."""

    def counts(added: int, replaced: int, unchanged: int, conflicts: int) -> str:
        parts = [f"{added} added"]
        if replaced:
            parts.append(f"{replaced} replaced")
        parts.append(f"{unchanged} unchanged")
        if conflicts:
            parts.append(f"{conflicts} in conflict")
        return ", ".join(parts)

    entry_conflicts = len(set(result.conflicts) - {
        i for kind in (result.stories, result.meetings, result.worked, result.trainings, *result.others.values())
        for i in kind.get("conflicts", [])
    })  # fmt: skip
    line = "entries: " + counts(len(result.added), len(result.replaced), len(result.unchanged), entry_conflicts)
    for kind in ("stories", "meetings", "worked", "trainings", *result.others):
        o: dict[str, list[str]] = result.others.get(kind) or getattr(result, kind, None) or {}
        if any(o.get(k) for k in ("added", "replaced", "unchanged", "conflicts")):
            line += f"; {kind}: " + counts(
                len(o.get("added", [])), len(o.get("replaced", [])),
                len(o.get("unchanged", [])), len(o.get("conflicts", [])),
            )  # fmt: skip
    return line
