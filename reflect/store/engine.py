"""The entry engine: monthly files, the sharded id index, and the write intent.

Entries live in one TinyDB-shaped file per UTC month of `occurred`; an index maps each
id to its month, sharded by a hash of the id (256 small files). A save rewrites one
month, one shard and a small intent file, whatever the journal's size; reading a time
range touches only its months; finding an id reads one shard.

A write touches several files. Each new file is first written whole under a temp name
(with its backup copy); then the intent, naming every staged file, is recorded: that is
the commit point; then the temps are renamed into place and the intent removed. A
failure before the commit (a full disk) leaves the journal as it was, so a write
reported failed never appears later. Whoever takes the lock next and finds an intent
finishes its renames (renames only: it needs no free space, and repeating it is
harmless), so a kill between files never loses an entry nor leaves the index pointing
nowhere.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, TypeVar

from reflect.domain.model import Entry, ValidationError, now
from reflect.paths import Layout, backup_name, is_temp_name
from reflect.store.errors import JournalCorrupt, NotFound
from reflect.store.lock import Gate
from reflect.store.storage import (
    KEEP_BACKUPS,
    CorruptFile,
    Staged,
    dumps,
    fsync_dir,
    install,
    read_json,
    read_table_text,
    read_tables,
    stage,
    write_json,
)
from reflect.store import stamps
from reflect.store.snapshot import Snapshot, table_text_of, tables_of
from reflect.store.tables import next_key

if TYPE_CHECKING:
    from concurrent.futures import Future

    from reflect.store.packed import PackedPut  # an import's entries; a dict is a document

ENTRIES = "entries"
Doc = dict[str, Any]
R = TypeVar("R")


def shard_of(entry_id: str) -> str:
    """The index shard holding this id: two hex digits of its hash."""
    import hashlib  # here: opening the app looks up no id, and hashlib loads OpenSSL (about 2 ms)

    return hashlib.sha1(entry_id.encode("utf-8")).hexdigest()[:2]


def month_of(occurred_iso: str) -> str:
    try:
        dt = datetime.fromisoformat(occurred_iso)
        if occurred_iso.endswith("+00:00") and occurred_iso[4] == "-":
            return occurred_iso[:7]  # in UTC already: no conversion (an import files 25,000)
        if dt.tzinfo is None:
            dt = dt.astimezone()
        return dt.astimezone(timezone.utc).strftime("%Y-%m")
    except (ValueError, OverflowError):  # 9999-12-31T23:00-05:00 has no UTC month
        raise ValidationError("occurred", f"{occurred_iso} is out of range (years 1 to 9999 in UTC)") from None


def aware(dt: datetime | None) -> datetime | None:
    """A naive bound is local time, as everywhere else in reflect."""
    return dt.astimezone() if dt is not None and dt.tzinfo is None else dt


def _month_range(since: datetime | None, until: datetime | None, have: list[str]) -> list[str]:
    lo = since.astimezone(timezone.utc).strftime("%Y-%m") if since else None
    hi = until.astimezone(timezone.utc).strftime("%Y-%m") if until else None
    return [m for m in have if (lo is None or m >= lo) and (hi is None or m <= hi)]


def _when(doc: Doc) -> datetime:
    dt = datetime.fromisoformat(doc["occurred"])
    return dt if dt.tzinfo else dt.astimezone()


def _sort_docs(docs: list[R], newest_first: bool, doc: Callable[[R], Doc]) -> None:
    """Sort one month's records by when their documents happened.

    Stored times almost always share one UTC offset and length; then the ISO text sorts
    like the time itself and no parsing is needed (the export path reads every month).
    """
    if docs:
        first = doc(docs[0])["occurred"]
        n, tail = len(first), first[-6:]
        if tail[0] in "+-" and all(len(doc(d)["occurred"]) == n and doc(d)["occurred"].endswith(tail) for d in docs):
            docs.sort(key=lambda d: doc(d)["occurred"], reverse=newest_first)
            return
    docs.sort(key=lambda d: _when(doc(d)), reverse=newest_first)


def next_stamp(old: Doc | None) -> datetime:
    """`updated` for a save: now, but always later than the stored one, so two saves in
    one second still differ and a save's version (`Journal.save(expected=...)`) names one."""
    stamp = now()
    try:
        previous = datetime.fromisoformat(old["updated"]) if old and old.get("updated") else None
    except (TypeError, ValueError):
        previous = None
    if previous is not None and previous.tzinfo is not None and stamp <= previous:
        stamp = (previous + timedelta(seconds=1)).astimezone(stamp.tzinfo)
    return stamp


def stored_version(doc: Doc) -> datetime | None:
    """The version of a stored entry: its `updated` stamp (None when unreadable)."""
    try:
        value = datetime.fromisoformat(doc["updated"])
    except (KeyError, TypeError, ValueError):
        return None
    return value if value.tzinfo else value.astimezone()


STAGE_ALONE = 8  # a write of more files than this stages them on STAGE_THREADS threads
STAGE_THREADS = 8


def _stage_all(writes: Iterable[tuple[Path, bytes, int]], backup_dir: Path, many: bool) -> list[Staged]:
    """Stage each (path, bytes, backups kept), in order. With `many`, on threads: each
    stage ends in an fsync, and a file system commits fsyncs that wait together at once
    (an import of 25,000 entries stages about 500 files). At most 2 x STAGE_THREADS
    files' bytes wait at a time. On any failure every file staged is removed again."""
    if not many:
        out: list[Staged] = []
        try:
            for path, data, keep in writes:
                out.append(stage(path, data, backup_dir=backup_dir if keep else None, keep=keep))
        except BaseException:
            for s in out:
                s.discard()
            raise
        return out
    from concurrent.futures import ThreadPoolExecutor  # only a big write needs it

    futures: list[Future[Staged]] = []
    pool = ThreadPoolExecutor(STAGE_THREADS, thread_name_prefix="reflect-stage")
    try:
        for path, data, keep in writes:
            futures.append(pool.submit(stage, path, data, backup_dir=backup_dir if keep else None, keep=keep))
            if len(futures) > 2 * STAGE_THREADS:
                futures[-2 * STAGE_THREADS - 1].result()  # raises the first failure; bounds memory
        return [f.result() for f in futures]
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        for f in futures:
            if f.done() and not f.cancelled() and f.exception() is None:
                f.result().discard()
        raise
    finally:
        pool.shutdown(wait=True)


def check_entries(path: Path, docs: Iterable[Doc]) -> None:
    """Every stored entry has a string id and an occurred time that reads (and its other
    stamps read); else the file is corrupt, named as doctor names it, not an internal error."""
    for doc in docs:
        if not (isinstance(doc.get("id"), str) and isinstance(doc.get("occurred"), str)):
            raise CorruptFile(path, "an entry without an id or an occurred time")
        for key in _STAMPS:
            value = doc.get(key)
            if value is None and key != "occurred":
                continue
            try:
                datetime.fromisoformat(value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                raise CorruptFile(path, f"an entry whose {key} is not a date and time") from None


_STAMPS = ("occurred", "recorded", "updated")


@dataclass
class Intent:
    """A committed write: which files to rename into place, and what it does to entries
    (id -> month put, ids deleted), which doctor uses to know which ids should exist."""

    files: list[tuple[Path, Path, Path | None, int]]  # (target, its temp, backup 1's temp, backups kept)
    puts: dict[str, str]
    deletes: list[str]
    legacy: list[Doc] | None = None  # an intent of reflect before staging: the documents


_MONTH_NAME = re.compile(r"\d{4}-\d{2}\.json")
_SHARD_NAME = re.compile(r"[0-9a-f]{2}\.json")
_AGENDA_NAME = re.compile(r"[0-9a-f]{40}\.json")


def _target(layout: Layout, name: object) -> Path | None:
    """A staged file's target from its name in the intent: only files of this journal."""
    if not isinstance(name, str):
        return None
    if name == "main":
        return layout.main
    folder, _, base = name.rpartition("/")
    if folder == "entries" and _MONTH_NAME.fullmatch(base):
        return layout.entries_dir / base
    if folder == "index" and _SHARD_NAME.fullmatch(base):
        return layout.index_dir / base
    if folder == "agendas" and _AGENDA_NAME.fullmatch(base):
        return layout.agendas_dir / base
    if folder == "" and base in (layout.meetings.name, layout.drafts.name, layout.stamps.name):
        return layout.parts / base
    return None


def intent_name(layout: Layout, path: Path) -> str:
    return "main" if path == layout.main else path.relative_to(layout.parts).as_posix()


def read_intent(layout: Layout) -> Intent:
    """The recorded write, checked whole (CorruptFile otherwise): doctor and replay read it
    alike. Every name in it must be a file of this journal or a temp beside one."""
    path = layout.pending
    data = read_json(path)
    bad = CorruptFile(path, "not a write intent reflect recorded")
    if not isinstance(data, dict):
        raise bad
    puts, deletes, files = data.get("puts"), data.get("deletes"), data.get("files")
    if (
        files is None
        and isinstance(puts, list)
        and isinstance(deletes, list)
        and all(isinstance(d, dict) and isinstance(d.get("id"), str) and "occurred" in d for d in puts)
        and all(isinstance(i, str) for i in deletes)
    ):  # written by reflect before staging: the documents themselves, applied again
        try:
            months = {d["id"]: month_of(d["occurred"]) for d in puts}
        except (ValidationError, TypeError):
            raise bad from None
        return Intent([], months, deletes, legacy=puts)
    if not (
        isinstance(puts, dict)
        and all(isinstance(k, str) and isinstance(v, str) and _MONTH_NAME.fullmatch(v + ".json") for k, v in puts.items())
        and isinstance(deletes, list)
        and all(isinstance(i, str) for i in deletes)
        and isinstance(files, list)
    ):
        raise bad
    out: list[tuple[Path, Path, Path | None, int]] = []
    for item in files:
        if not (isinstance(item, list) and len(item) == 4):
            raise bad
        target = _target(layout, item[0])
        temp, backup, keep = item[1], item[2], item[3]
        if not (isinstance(keep, int) and 0 <= keep <= KEEP_BACKUPS and (keep > 0) == (backup is not None)):
            raise bad
        if target is None or not (isinstance(temp, str) and is_temp_name(temp) and "/" not in temp):
            raise bad
        if backup is not None and not (
            isinstance(backup, str) and is_temp_name(backup) and "/" not in backup
            and backup.startswith(f".{backup_name(target, 1)}.")
        ):
            raise bad
        if not temp.startswith(f".{target.name}."):
            raise bad
        out.append((target, target.parent / temp, layout.backup_dir / backup if backup else None, keep))
    return Intent(out, puts, deletes)


def read_shard(path: Path) -> dict[str, str]:
    """One index shard: id -> month."""
    data = read_json(path)
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise CorruptFile(path, "not an index (expected an object of id -> month)")
    return data


class Engine:
    """Entries on disk. Methods without a lock of their own expect the caller to hold it."""

    def __init__(self, layout: Layout, gate: Gate):
        self.layout = layout
        self.gate = gate

    # --- reading ------------------------------------------------------------------------

    def months(self) -> list[str]:
        try:
            return self.layout.months(os.listdir(self.layout.entries_dir))
        except FileNotFoundError:
            return []

    def missing_months(self, have: list[str]) -> list[str]:
        """Months `stamps.json` says reflect wrote (files are never removed) that are not
        among `have`: lost files, which a read must name rather than pass over."""
        names = [f"{m}.json" for m in stamps.read(self.layout) if isinstance(m, str)]
        present = set(have)
        return [m for m in self.layout.months([n for n in names if _MONTH_NAME.fullmatch(n)]) if m not in present]

    def month_tables(self, month: str) -> dict[str, Any] | None:
        """A month file as parsed and checked: every entry has a string id and time."""
        path = self.layout.month(month)
        data = read_tables(path)
        check_entries(path, ((data or {}).get(ENTRIES) or {}).values())
        return data

    def month_docs(self, month: str) -> list[Doc]:
        return list(((self.month_tables(month) or {}).get(ENTRIES) or {}).values())

    def month_texts(self, month: str) -> list[tuple[Doc, str]]:
        """A month's entries with their stored JSON text, checked as `month_tables` checks."""
        path = self.layout.month(month)
        records = read_table_text(path, ENTRIES) or []
        check_entries(path, (doc for doc, _ in records))
        return records

    def shard(self, shard: str) -> dict[str, str]:
        return self.shards([shard])[shard]

    def shards(self, names: Iterable[str]) -> dict[str, dict[str, str]]:
        """These index shards (id -> month). A shard whose file is missing (never written,
        or lost) is rebuilt in memory from the month files, all missing ones in one pass,
        so a lookup, and the write that needs an id's current month, never take a lost
        shard for "no such id"; the next write of that shard stores it."""
        out: dict[str, dict[str, str]] = {}
        missing: set[str] = set()
        for name in dict.fromkeys(names):
            data = read_json(self.layout.shard(name))
            if data is None:
                missing.add(name)
                out[name] = {}
                continue
            if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
                raise CorruptFile(self.layout.shard(name), "not an index (expected an object of id -> month)")
            out[name] = data
        if missing:
            for month in self.months():
                for doc in self.month_docs(month):
                    shard = shard_of(doc["id"])
                    if shard in missing:
                        out[shard][doc["id"]] = month
        return out

    def locate(self, entry_id: str) -> str | None:
        return self.shard(shard_of(entry_id)).get(entry_id)

    def get_doc(self, entry_id: str) -> Doc | None:
        month = self.locate(entry_id)
        if month is None:
            return None
        return next((doc for doc in self.month_docs(month) if doc.get("id") == entry_id), None)

    def find_doc(self, entry_id: str) -> Doc:
        """The entry with this id, or with this unique id prefix of 4 or more characters
        (as `reflect list` shows ids); NotFound otherwise."""
        doc = self.get_doc(entry_id)
        if doc is None and len(entry_id) >= 4:
            every = self.shards(f"{n:02x}" for n in range(256))
            matches = [i for data in every.values() for i in data if i.startswith(entry_id)]
            if len(matches) > 1:
                raise NotFound(f"{entry_id!r} matches {len(matches)} entries; give more of the id")
            if matches:
                doc = self.get_doc(matches[0])
        if doc is None:
            raise NotFound(f"no entry with id {entry_id!r}")
        return doc

    def indexed(self) -> dict[str, str]:
        """Every id the readable shards hold (doctor compares it with the months)."""
        out: dict[str, str] = {}
        for p in self.layout.index_dir.glob("*.json") if self.layout.index_dir.exists() else []:
            try:
                out.update(self.shard(p.stem))
            except CorruptFile:
                pass
        return out

    def lookup(self, ids: list[str]) -> dict[str, Doc]:
        """The stored documents of these ids (those that exist), reading each index shard
        and each month file once however many ids share them."""
        by_shard: dict[str, list[str]] = {}
        for entry_id in ids:
            by_shard.setdefault(shard_of(entry_id), []).append(entry_id)
        by_month: dict[str, set[str]] = {}
        for shard, data in self.shards(by_shard).items():
            for entry_id in by_shard[shard]:
                month = data.get(entry_id)
                if month is not None:
                    by_month.setdefault(month, set()).add(entry_id)
        found: dict[str, Doc] = {}
        for month, wanted in by_month.items():
            for doc in self.month_docs(month):
                if doc["id"] in wanted:
                    found[doc["id"]] = doc
        return found

    def records(
        self,
        since: datetime | None,
        until: datetime | None,
        *,
        newest_first: bool,
        with_text: bool,
        skip_damaged: list[Path] | None = None,
    ) -> Iterator[tuple[Doc, str | None]]:
        """(document, its stored JSON text or None) in time order, one month at a time and
        never all at once, every month as it was at one instant: the month files are opened
        in one hold of the shared lock (see `snapshot`), so entries moved between months
        meanwhile are seen once, where they were. Nothing is opened until the first item is
        asked for; the files are closed when the iterator is exhausted or closed.

        With `skip_damaged` (a list), a month file that does not read, or that reflect
        wrote and is gone (`missing_months`), is left out and appended to it, so one
        damaged month costs a listing or an export only that month; without, a damaged
        one raises (a missing one is passed over, as doctor reports it)."""
        since, until = aware(since), aware(until)
        with self.gate.reading():
            months = _month_range(since, until, self.months())
            if skip_damaged is not None:  # a month reflect wrote and that is gone: named, not passed over
                skip_damaged.extend(self.layout.month(m) for m in _month_range(since, until, self.missing_months(months)))
            if newest_first:
                months.reverse()
            snap = Snapshot([(m, self.layout.month(m)) for m in months])
        with snap:
            yield from self._snapshot_records(
                snap, months, since, until, newest_first=newest_first, with_text=with_text, skip_damaged=skip_damaged
            )

    def _snapshot_records(
        self,
        snap: Snapshot,
        months: list[str],
        since: datetime | None,
        until: datetime | None,
        *,
        newest_first: bool,
        with_text: bool,
        skip_damaged: list[Path] | None = None,
    ) -> Iterator[tuple[Doc, str | None]]:
        bounded = since is not None or until is not None
        for month in months:
            path, raw = self.layout.month(month), snap.raw(month)
            records: list[tuple[Doc, str | None]]
            try:
                if raw is None:
                    records = []
                elif with_text:
                    records = list(table_text_of(raw, path, ENTRIES))
                else:
                    records = [(d, None) for d in (tables_of(raw, path).get(ENTRIES) or {}).values()]
                check_entries(path, (doc for doc, _ in records))
            except CorruptFile as exc:  # read outside the lock: say it as the lock would
                if skip_damaged is None:
                    raise JournalCorrupt(exc.path, exc.reason) from None
                skip_damaged.append(exc.path)
                continue
            finally:
                del raw
            _sort_docs(records, newest_first, lambda r: r[0])
            for doc, text in records:
                if bounded:
                    when = _when(doc)
                    if (since is not None and when < since) or (until is not None and when > until):
                        continue
                yield doc, text

    # --- writing ------------------------------------------------------------------------

    def save(self, entry: Entry, default_peer: Callable[[], str]) -> Doc | None:
        """Insert or replace `entry` by id (exclusive lock held), setting `recorded` (kept
        from the stored one, else first save) and `updated` (now), and a missing peer.
        Returns the stored document it replaced, if any."""
        old = self.get_doc(entry.id)
        stamp = next_stamp(old)
        entry.recorded = (
            datetime.fromisoformat(old["recorded"]) if old and old.get("recorded") else entry.recorded or stamp
        )
        entry.updated = stamp
        if not entry.peer:
            entry.peer = default_peer()
        self.apply([Entry.from_dict(entry.to_dict()).to_dict()], [])  # validated, normalised
        return old

    def replay(self) -> None:
        """Finish the write a killed process committed (exclusive lock held): rename what
        it staged into place. A temp already gone was renamed before the kill."""
        intent = read_intent(self.layout)
        if intent.legacy is not None:
            self.apply(intent.legacy, intent.deletes)  # records a staged intent over it
        else:
            self.finish(intent)

    def finish(self, intent: Intent) -> None:
        folders: set[Path] = set()
        for target, temp, backup, keep in intent.files:
            if install(target, temp, backup, self.layout.backup_dir, keep):
                folders.add(target.parent)
                if backup is not None:
                    folders.add(self.layout.backup_dir)
        for folder in sorted(folders):
            fsync_dir(folder)  # the renames are durable before the intent goes
        try:
            # Not fsynced: an intent that comes back after a power cut finds its temps
            # gone and does nothing.
            self.layout.pending.unlink()
        except FileNotFoundError:
            pass

    def apply(
        self,
        puts: list[Doc],
        deletes: list[str],
        *,
        files: Iterable[tuple[Path, bytes, int]] = (),
        packed: list[PackedPut] | None = None,
    ) -> None:
        """Write entries and remove ids across months and index shards, atomically as a set,
        with `files` (path, bytes, backups kept) of the same write (an import's stories and
        meetings) in the same set. `packed`: more entries to write, each already its stored
        JSON (an import's), spliced into the month files as they are (over `puts` of the
        same id).

        Exclusive lock held. Every file the write touches is read (and so known to parse)
        and every new file written under a temp name before the intent is recorded, so a
        corrupt file or a full disk refuses the write with nothing changed.
        """
        files = list(files)
        packed = packed or []
        if not puts and not deletes and not files and not packed:
            return
        by_id: dict[str, Doc] = {}
        for doc in puts:  # the same id twice: the last one wins, and is stored once
            by_id.pop(doc["id"], None)
            by_id[doc["id"]] = doc
        for p in packed:  # a packed entry wins over a document of its id
            by_id.pop(p.id, None)
        puts = list(by_id.values())
        targets = {doc["id"]: month_of(doc["occurred"]) for doc in puts}
        targets.update((p.id, p.month) for p in packed)
        gone = [i for i in dict.fromkeys(deletes) if i not in targets]
        where = {entry_id: shard_of(entry_id) for entry_id in [*targets, *gone]}  # each id hashed once
        shards = self.shards(where.values())
        # Which month files change: where each id is now, and where it goes.
        changes: dict[str, tuple[set[str], list[Doc | PackedPut]]] = {}
        for entry_id, shard in where.items():
            current = shards[shard].get(entry_id)
            if current is not None:
                changes.setdefault(current, (set(), []))[0].add(entry_id)
        items: list[Doc | PackedPut] = [*puts, *packed]
        for item in items:
            item_id = item["id"] if isinstance(item, dict) else item.id
            remove, add = changes.setdefault(targets[item_id], (set(), []))
            remove.add(item_id)
            add.append(item)
        newest: dict[Path, tuple[str, str | None]] = {}  # month file -> (month, its newest change)

        def month_writes() -> Iterator[tuple[Path, bytes, int]]:
            # One month at a time, read (so known to parse) and serialised once: a big
            # import never holds every month's old and new content at once.
            for month, (remove, add) in sorted(changes.items()):
                written = self.month_bytes(month, self.month_tables(month), remove, add)
                if written is not None:
                    path = self.layout.month(month)
                    newest[path] = (month, written[1])
                    yield path, written[0], KEEP_BACKUPS

        changed: set[str] = set()  # the shards whose content changes (no copy of each kept to compare)
        for entry_id, month in targets.items():
            shard_data = shards[where[entry_id]]
            if shard_data.get(entry_id) != month:
                shard_data[entry_id] = month
                changed.add(where[entry_id])
        for entry_id in gone:
            if shards[where[entry_id]].pop(entry_id, None) is not None:
                changed.add(where[entry_id])
        shard_writes = [
            (self.layout.shard(shard), dumps(data), 0)
            for shard, data in shards.items()
            if shard in changed or not self.layout.shard(shard).exists()
        ]
        staged: list[Staged] = []
        try:
            many = len(changes) + len(shard_writes) + len(files) > STAGE_ALONE
            staged = _stage_all(chain(month_writes(), shard_writes, files), self.layout.backup_dir, many)
            if newest:  # the months' stamps, naming the very files staged, in the same commit
                written = {
                    newest[s.path][0]: (newest[s.path][1], stamps.identity(os.stat(s.temp)))
                    for s in staged
                    if s.path in newest
                }
                fresh = stamps.updated(stamps.read(self.layout), written)
                staged.append(stage(self.layout.stamps, dumps(fresh)))
            # The staged files' names are durable before the commit names them. (A backup
            # copy lost to a power cut costs only that backup: install skips it.)
            for folder in sorted({s.temp.parent for s in staged}):
                fsync_dir(folder)
            intent = {
                "puts": targets,
                "deletes": gone,
                "files": [
                    [intent_name(self.layout, s.path), s.temp.name, s.backup.name if s.backup else None, s.keep]
                    for s in staged
                ],
            }
            write_json(self.layout.pending, intent)  # the commit point
        except BaseException:
            for s in staged:
                s.discard()
            raise
        self.finish(Intent([(s.path, s.temp, s.backup, s.keep) for s in staged], targets, gone))

    def month_bytes(
        self, month: str, data: dict[str, Any] | None, remove: set[str], add: list[Doc | PackedPut]
    ) -> tuple[bytes, str | None] | None:
        """The month file's new bytes and its newest change (`stamps`), or None when nothing
        is to be written. Entries that come packed are spliced in as the bytes they are:
        the file is exactly what `dumps` of its documents gives, without encoding them again."""
        spliced = not all(isinstance(a, dict) for a in add) and not set(data or {}) - {ENTRIES}
        if not spliced:
            add = [a if isinstance(a, dict) else json.loads(a.text) for a in add]
        after = self.month_after(month, data, remove, add)
        if after is None:
            return None
        if not spliced:
            return dumps(after), stamps.newest_change(after[ENTRIES].values())
        table: dict[str, Doc | PackedPut] = after[ENTRIES]
        key = json.encoder.encode_basestring  # what `dumps` does with a key (a string), without its overhead
        parts = [b"%s:%s" % (key(k).encode(), dumps(v) if isinstance(v, dict) else v.text) for k, v in table.items()]
        changed = (v if isinstance(v, dict) else {"updated": v.updated} for v in table.values())
        return b'{"entries":{' + b",".join(parts) + b"}}", stamps.newest_change(changed)

    def month_after(
        self, month: str, data: dict[str, Any] | None, remove: set[str], add: Sequence[Doc | PackedPut]
    ) -> dict[str, Any] | None:
        """The month file's new content, or None when nothing is to be written. A packed
        entry in `add` is kept as it is (`month_bytes` splices its bytes in)."""
        path = self.layout.month(month)
        data = dict(data or {})
        table = {k: v for k, v in (data.get(ENTRIES) or {}).items() if v.get("id") not in remove}
        key = int(next_key(table))
        for doc in add:
            table[str(key)] = doc
            key += 1
        if not table and data.get(ENTRIES) is None and not path.exists():
            return None
        data[ENTRIES] = table
        return data

    def rebuild_index(self, actual: dict[str, str]) -> None:
        """Write every shard from `actual` (id -> month), as doctor found the months."""
        shards: dict[str, dict[str, str]] = {f"{i:02x}": {} for i in range(256)}
        for entry_id, month in actual.items():
            shards[shard_of(entry_id)][entry_id] = month
        for shard, data in shards.items():
            path = self.layout.shard(shard)
            if data or path.exists():
                write_json(path, data)
