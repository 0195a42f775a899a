"""Merging records from elsewhere (an export, a backup) into the journal.

The same record again is a no-op; the same id with other content is a conflict, and a
conflict refuses the whole import (nothing written) unless the caller asked to replace.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reflect.domain.model import Entry, Meeting, Story, now
from reflect.domain.worked import WorkedWeek
from reflect.domain.training import Training
from reflect.store.engine import Engine, month_of
from reflect.store.errors import Conflict
from reflect.store.packed import PackedPut
from reflect.store.tables import Table, next_key, split_agenda

if TYPE_CHECKING:
    from reflect.domain.import_stream import Packed

Doc = dict[str, Any]


@dataclass
class ImportResult:
    """What an import did (or, on a dry run, would do), by record id."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    stories: dict[str, list[str]] = field(default_factory=dict)
    meetings: dict[str, list[str]] = field(default_factory=dict)
    dry_run: bool = False
    worked: dict[str, list[str]] = field(default_factory=dict)  # hours worked, by week
    trainings: dict[str, list[str]] = field(default_factory=dict)
    # Other small tables (ratings, goals): kind -> outcome -> ids, as `stories`.
    others: dict[str, dict[str, list[str]]] = field(default_factory=dict)


Progress = Callable[[int, int], None]
STEP = 1000  # entries between progress calls


@dataclass
class Incoming:
    """Entries made ready outside the lock: each a stored document with its peer, its UTC
    month known (so a date no month can hold is refused before anything is locked), and
    the ids given twice with other content."""

    docs: dict[str, Doc]
    months: dict[str, str]
    twice: list[str]
    repeated: int = 0  # entries given again under an id already seen (counted for progress)
    unstamped: set[str] = field(default_factory=set)  # came without `recorded`: stamped now


def prepare(
    entries: Iterable[Entry], peer: Callable[[], str], replace: bool, progress: Progress | None = None, total: int = 0
) -> Incoming:
    """The incoming entries by id, each with a peer; the same id twice with other content
    is a conflict unless `replace` (then the last wins). Needs no lock."""
    default: str | None = None
    incoming: dict[str, Doc] = {}
    twice: list[str] = []
    repeated = 0
    unstamped: set[str] = set()
    imported_at = now()
    for n, entry in enumerate(entries, 1):
        if not entry.peer:
            default = default if default is not None else peer()
            entry.peer = default
        if entry.recorded is None:  # new to this journal now: an agenda must see it (late)
            entry.recorded = imported_at
            unstamped.add(entry.id)
        doc = entry.to_dict()
        if entry.id in incoming:  # the same id twice in one input
            repeated += 1
            if incoming[entry.id] != doc:
                if replace:
                    incoming[entry.id] = doc
                elif entry.id not in twice:
                    twice.append(entry.id)
        else:
            incoming[entry.id] = doc
        if progress is not None and n % STEP == 0:
            progress(n, total)
    months = {entry_id: month_of(doc["occurred"]) for entry_id, doc in incoming.items()}
    return Incoming(incoming, months, twice, repeated, unstamped)


@dataclass
class PackedIncoming:
    """Entries that come packed (validated, each its stored JSON: `import_stream.Packed`),
    with the UTC month of each worked out outside the lock, as `prepare` does."""

    packed: Packed
    months: list[str]


def prepare_packed(packed: Packed) -> PackedIncoming:
    """The month of each packed entry (a date no month can hold is refused here, before
    anything is locked). Its ids are unique already: the reader refuses an id twice."""
    return PackedIncoming(packed, [month_of(o) for o in packed.occurred])


def _merge_entries(
    engine: Engine, incoming: Incoming | PackedIncoming, replace: bool, result: ImportResult,
    progress: Callable[[int], None] | None,
) -> tuple[list[Doc], list[PackedPut]]:  # fmt: skip
    """Compare the incoming entries with the journal's: what to write, as documents or
    as packed entries (a stored one is decoded only to compare it). One loop for both
    kinds, over each kind's ids, the document at a position and how to write it."""
    puts: list[Doc] = []
    out: list[PackedPut] = []
    ids: list[str]
    unstamped: set[str]
    twice: set[str]  # in conflict already (given twice with other content): told once
    doc_at: Callable[[int], Doc]
    put: Callable[[int], None]
    if isinstance(incoming, PackedIncoming):
        packed, months = incoming.packed, incoming.months
        ids, unstamped, twice = packed.ids, packed.unstamped, set()  # the reader refuses an id twice

        def doc_at(n: int) -> Doc:
            return json.loads(packed.texts[n])

        def put(n: int) -> None:
            out.append(PackedPut(ids[n], months[n], packed.texts[n], packed.updated[n]))

    else:
        ids, docs = list(incoming.docs), list(incoming.docs.values())
        unstamped, twice = incoming.unstamped, set(incoming.twice)
        result.conflicts.extend(incoming.twice)
        doc_at = docs.__getitem__

        def put(n: int) -> None:
            puts.append(docs[n])

    stored = engine.lookup(ids)
    for n, entry_id in enumerate(ids):
        if progress is not None and (n + 1) % STEP == 0:
            progress(n + 1)
        old = stored.get(entry_id)
        if old is None:
            result.added.append(entry_id)
        elif old == (doc := doc_at(n)) or (entry_id in unstamped and _same_but_stamps(old, doc)):
            result.unchanged.append(entry_id)
            continue
        elif replace:
            result.replaced.append(entry_id)
        else:
            if entry_id not in twice:
                result.conflicts.append(entry_id)
            continue
        put(n)
    return puts, out


def _same_but_stamps(old: Doc, doc: Doc) -> bool:
    """The stored entry is this one, which came without stamps (the journal gave its own)."""
    keep = ("recorded", "updated")
    return {k: v for k, v in old.items() if k not in keep} == {k: v for k, v in doc.items() if k not in keep}


def _merge_table(
    table: Table, rows: dict[str, Doc], records: Iterable[Any], replace: bool, result: ImportResult
) -> tuple[dict[str, list[str]], dict[str, Doc]]:
    """Merge records into `rows` (changed in place); the outcome by id, and the agendas
    of meetings added or replaced."""
    by_id = {v.get("id"): k for k, v in rows.items()}
    stored = {v.get("id"): v for v in rows.values()}
    outcome: dict[str, list[str]] = {"added": [], "unchanged": [], "replaced": [], "conflicts": []}
    agendas: dict[str, Doc] = {}
    for rec in records:
        doc = rec.to_dict()
        agenda = None
        if table.agenda_path is not None:
            old = stored.get(rec.id)
            same = old is not None and dict(old, agenda=table.agenda(rec.id)) == doc
            doc, agenda = split_agenda(doc)
        else:
            same = rec.id in by_id and rows[by_id[rec.id]] == doc
        key = by_id.get(rec.id)
        if key is None:
            outcome["added"].append(rec.id)
            rows[next_key(rows)] = doc
        elif same:
            outcome["unchanged"].append(rec.id)
            continue
        elif replace:
            outcome["replaced"].append(rec.id)
            rows[key] = doc
        else:
            outcome["conflicts"].append(rec.id)
            result.conflicts.append(rec.id)
            continue
        if agenda is not None:
            agendas[rec.id] = agenda
    return outcome, agendas


def merge(
    engine: Engine,
    stories_table: Table,
    meetings_table: Table,
    incoming: Incoming | PackedIncoming,
    stories: Iterable[Story],
    meetings: Iterable[Meeting],
    *,
    replace: bool,
    dry_run: bool,
    progress: Callable[[int], None] | None = None,
    worked: Iterable[WorkedWeek] = (),
    worked_table: Table | None = None,
    trainings: tuple[Table, Iterable[Training]] | None = None,
    others: Iterable[tuple[str, Table, Iterable[Any]]] = (),
) -> ImportResult:
    """Add records made ready by `prepare` (exclusive lock held by the caller): read each
    index shard and month file the entries touch once, then write them all in one `apply`.
    `progress(k)` says how many entries have been compared with the journal."""
    result = ImportResult(dry_run=dry_run)
    puts, packed = _merge_entries(engine, incoming, replace, result, progress)
    main = stories_table.load()
    meeting_file = meetings_table.load()
    story_rows, meeting_rows = stories_table.rows(main), meetings_table.rows(meeting_file)
    result.stories, _ = _merge_table(stories_table, story_rows, stories, replace, result)
    result.meetings, agendas = _merge_table(meetings_table, meeting_rows, meetings, replace, result)
    worked_rows = worked_table.rows(main) if worked_table is not None else {}
    if worked_table is not None:  # kept in the main file beside the stories: one write for both
        result.worked, _ = _merge_table(worked_table, worked_rows, worked, replace, result)
    worked_changed = bool(result.worked and (result.worked["added"] or result.worked["replaced"]))
    training_file: dict[str, Any] = {}
    training_rows: dict[str, Doc] = {}
    if trainings is not None:
        training_file = trainings[0].load()
        training_rows = trainings[0].rows(training_file)
        result.trainings, _ = _merge_table(trainings[0], training_rows, trainings[1], replace, result)
    staged_others = []
    for kind, table, records in others:  # each a file of its own: staged alongside
        data = table.load()
        rows = table.rows(data)
        result.others[kind], _ = _merge_table(table, rows, records, replace, result)
        if result.others[kind]["added"] or result.others[kind]["replaced"]:
            staged_others.append(table.staged(data, rows))
    if result.conflicts and not dry_run:
        raise Conflict(result.conflicts)
    if dry_run:
        return result
    # One commit for the whole import: a full disk or a kill part-way leaves all of it or none.
    files: list[tuple[Path, bytes, int]] = []
    if worked_changed and worked_table is not None:
        main[worked_table.name] = worked_rows
    if result.stories["added"] or result.stories["replaced"] or worked_changed:
        files.append(stories_table.staged(main, story_rows))
    if result.meetings["added"] or result.meetings["replaced"]:
        for meeting_id, agenda in agendas.items():
            files += meetings_table.staged_agenda(meeting_id, agenda)
        files.append(meetings_table.staged(meeting_file, meeting_rows))
    if trainings is not None and (result.trainings["added"] or result.trainings["replaced"]):
        files.append(trainings[0].staged(training_file, training_rows))
    files += staged_others
    engine.apply(puts, [], files=files, packed=packed)
    return result
