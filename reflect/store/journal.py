"""Journal: the store's public API. Screens, the CLI and scripts use only this.

Layout on disk, for a journal file PATH (`--db`, `REFLECT_DB`, or the XDG default):

    PATH                    TinyDB file: meta (schema version), stories
    PATH.lock               the lock file (flock), shared for reads, exclusive for writes
    PATH.d/entries/YYYY-MM.json   TinyDB file per month (UTC) of `occurred`
    PATH.d/index/XX.json    id -> month, sharded by a hash of the id (256 shards)
    PATH.d/drafts.json      TinyDB file: encounters in progress
    PATH.d/meetings.json    TinyDB file: supervision meetings, without their agendas
    PATH.d/agendas/ID.json  the agenda of meeting ID as it was (read only when asked for)
    PATH.d/pending.json     the intent of a write in progress (see below)
    PATH.d/backups/         rotating copies of each file's previous versions

Why this shape: one TinyDB file rewritten whole on every save costs time that grows
with the journal's age. Here a save rewrites one month, one index shard and a small
intent file, whatever the journal's size; opening at the newest entries and reading a
month touch only the months they need; finding an id anywhere reads one shard.

A save touches several files, and each is replaced atomically; to make the set
atomic too, the write is first recorded in `pending.json`, then applied, then the
intent removed. Whoever takes the lock next and finds an intent applies it again
(applying is idempotent), so a kill between files never loses an acknowledged entry
nor leaves the index pointing nowhere.

Every operation opens its files afresh under the lock: no stale TinyDB cache, no
stale next id, whatever other processes have written meanwhile.
"""

from __future__ import annotations

import errno
import getpass
import hashlib
import os
import shutil
from itertools import islice
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from reflect import paths
from reflect.domain.model import (
    Draft,
    Entry,
    EntryFilter,
    Meeting,
    Settings,
    Story,
    ValidationError,
    now,
)
from reflect.store import migrate
from reflect.store.storage import (
    AtomicJSONStorage,
    CorruptFile,
    FileLock,
    LockTimeout,
    atomic_write,
    backup_name,
    ensure_dir,
    read_json,
    read_table_text,
    read_tables,
    stale_temps,
    write_json,
)

KEEP_BACKUPS = 3
ENTRIES = "entries"


class JournalError(Exception):
    """Something the user must hear about, in one line."""


class JournalCorrupt(JournalError):
    def __init__(self, path: Path, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(
            f"{path} does not parse ({reason}); it was left untouched. "
            "Run `reflect doctor` to see the journal's state, `reflect doctor --repair` to restore it."
        )


class JournalTooNew(JournalError):
    pass


class JournalBusy(JournalError):
    pass


class NotFound(JournalError):
    pass


class Conflict(JournalError):
    def __init__(self, ids: list[str]):
        self.ids = ids
        shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        super().__init__(
            f"{len(ids)} record(s) already in the journal with different content: {shown} "
            "(use --replace to overwrite them)"
        )


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


@dataclass
class FileState:
    path: Path
    status: str  # ok | corrupt | missing
    detail: str = ""


@dataclass
class HealthReport:
    """What `reflect doctor` found, and what a repair did."""

    journal: Path
    schema: int | None = None
    entries: int = 0
    months: int = 0
    stories: int = 0
    meetings: int = 0
    drafts: int = 0
    files: list[FileState] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_entries(path: Path, docs: Iterable[dict[str, Any]]) -> None:
    """Every stored entry has a string id and occurred time; else the file is corrupt."""
    for doc in docs:
        if not (isinstance(doc.get("id"), str) and isinstance(doc.get("occurred"), str)):
            raise CorruptFile(path, "an entry without an id or an occurred time")


def _read_intent(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """A write intent as `_apply` needs it, or CorruptFile: doctor and replay read it alike."""
    intent = read_json(path)
    puts = intent.get("puts") if isinstance(intent, dict) else None
    deletes = intent.get("deletes") if isinstance(intent, dict) else None
    if not (
        isinstance(puts, list)
        and isinstance(deletes, list)
        and all(isinstance(d, dict) and isinstance(d.get("id"), str) and "occurred" in d for d in puts)
        and all(isinstance(i, str) for i in deletes)
    ):
        raise CorruptFile(path, "not a write intent (expected {puts: [...], deletes: [...]})")
    return puts, deletes


def _read_shard(path: Path) -> dict[str, str]:
    """One index shard: id -> month."""
    data = read_json(path)
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise CorruptFile(path, "not an index (expected an object of id -> month)")
    return data


def _read_agenda_file(path: Path) -> dict[str, Any] | None:
    """A meeting's agenda as it was: a plain JSON object (not a TinyDB file)."""
    data = read_json(path)
    if data is not None and not isinstance(data, dict):
        raise CorruptFile(path, "not an agenda (expected a JSON object)")
    return data


def _shard(entry_id: str) -> str:
    return hashlib.sha1(entry_id.encode("utf-8")).hexdigest()[:2]


def _month_of(occurred_iso: str) -> str:
    try:
        dt = datetime.fromisoformat(occurred_iso)
        if dt.tzinfo is None:
            dt = dt.astimezone()
        return dt.astimezone(timezone.utc).strftime("%Y-%m")
    except (ValueError, OverflowError):  # 9999-12-31T23:00-05:00 has no UTC month
        raise ValidationError("occurred", f"{occurred_iso} is out of range (years 1 to 9999 in UTC)") from None


def _month_range(since: datetime | None, until: datetime | None, have: list[str]) -> list[str]:
    lo = since.astimezone(timezone.utc).strftime("%Y-%m") if since else None
    hi = until.astimezone(timezone.utc).strftime("%Y-%m") if until else None
    return [m for m in have if (lo is None or m >= lo) and (hi is None or m <= hi)]


def _sort_key(doc: dict[str, Any]) -> datetime:
    dt = datetime.fromisoformat(doc["occurred"])
    return dt if dt.tzinfo else dt.astimezone()


def _aware(dt: datetime | None) -> datetime | None:
    """A naive bound is local time, as everywhere else in reflect."""
    return dt.astimezone() if dt is not None and dt.tzinfo is None else dt


def _sort_docs(docs: list[Any], newest_first: bool, doc: Any = lambda d: d) -> None:
    """Sort one month's documents (or records holding them, via `doc`) by when they happened.

    Stored times almost always share one UTC offset and length; then the ISO text sorts
    like the time itself and no parsing is needed (the export path reads every month).
    """
    if docs:
        first = doc(docs[0])["occurred"]
        n, tail = len(first), first[-6:]
        if tail[0] in "+-" and all(
            len(doc(d)["occurred"]) == n and doc(d)["occurred"].endswith(tail) for d in docs
        ):
            docs.sort(key=lambda d: doc(d)["occurred"], reverse=newest_first)
            return
    docs.sort(key=lambda d: _sort_key(doc(d)), reverse=newest_first)


def default_peer_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return ""


class Journal:
    """The journal of one peer worker: entries, stories, meetings, drafts and settings."""

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        settings_path: str | os.PathLike[str] | None = None,
        lock_timeout: float = 30.0,
    ):
        self.path = paths.journal_path(path)
        self.settings_path = paths.settings_path(settings_path)
        self.parts = paths.parts_dir(self.path)
        self.entries_dir = self.parts / "entries"
        self.index_dir = self.parts / "index"
        self.backup_dir = self.parts / "backups"
        self.drafts_path = self.parts / "drafts.json"
        self.meetings_path = self.parts / "meetings.json"
        self.agendas_dir = self.parts / "agendas"
        self.pending_path = self.parts / "pending.json"
        self._lock = FileLock(paths.lock_path(self.path), timeout=lock_timeout)
        self._ready = False

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    # --- locking and readiness ------------------------------------------------------

    @contextmanager
    def _locked(self, exclusive: bool) -> Iterator[None]:
        try:
            with self._lock.hold(exclusive):
                try:
                    yield
                except CorruptFile as exc:
                    raise JournalCorrupt(exc.path, exc.reason) from None
                except OSError as exc:
                    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO):
                        where = exc.filename or self.path
                        raise JournalError(
                            f"cannot use the journal at {where}: {exc.strerror or exc}; "
                            "files already written were left as they were"
                        ) from exc
                    raise
        except LockTimeout as exc:
            raise JournalBusy(
                f"{self.path} is locked by another reflect process; try again in a moment"
            ) from exc
        except OSError as exc:
            if exc.filename == str(self._lock.path):  # a read-only folder, say
                raise JournalError(
                    f"cannot use the journal at {self.path}: its lock file cannot be opened "
                    f"({exc.strerror or exc})"
                ) from exc
            raise

    @contextmanager
    def _reading(self) -> Iterator[None]:
        # A pending intent (left by a killed writer) must be applied before anyone reads.
        # Writers remove their intent before they release the lock, so one seen under the
        # shared lock belongs to a writer that died meanwhile: finish it and look again.
        for _attempt in range(5):
            if not self._ready or self.pending_path.exists():
                with self._locked(True):
                    self._prepare()
            with self._locked(False):
                if self.pending_path.exists():
                    continue
                yield
                return
        raise JournalBusy(f"{self.path} is being written; try again in a moment")

    @contextmanager
    def _writing(self) -> Iterator[None]:
        with self._locked(True):
            self._prepare()
            yield

    def _prepare(self) -> None:
        """Under the exclusive lock: create, migrate, or finish an interrupted write."""
        if not self._ready:
            ensure_dir(self.path.parent)
            main = self._read_main()
            if main is None:
                ensure_dir(self.parts)
                self._write_main({"meta": {"1": {"schema": migrate.CURRENT, "created": now().isoformat()}}})
            else:
                version = migrate.version_of(main)
                if version > migrate.CURRENT:
                    raise JournalTooNew(
                        f"{self.path} was written by a newer reflect (journal schema {version}); "
                        f"this reflect reads schema {migrate.CURRENT} and older. Upgrade reflect; "
                        "the journal was left untouched."
                    )
                if version < migrate.CURRENT:
                    self._migrate(main, version)
            self._sweep_temps()
            self._ready = True
        if self.pending_path.exists():
            puts, deletes = _read_intent(self.pending_path)
            self._apply(puts, deletes, logged=True)
            self._sweep_temps()

    def _sweep_temps(self) -> None:
        """Remove temp files a killed writer left (exclusive lock held: none is live)."""
        for tmp in self._stale_temps():
            try:
                tmp.unlink()
            except OSError:
                pass

    def _stale_temps(self) -> list[Path]:
        ours = stale_temps([self.parts, self.entries_dir, self.index_dir, self.agendas_dir, self.backup_dir])
        # Beside the main file only our own temps: the folder may be shared with other programs.
        mine = f".{self.path.name}."
        return ours + [p for p in stale_temps([self.path.parent]) if p.name.startswith(mine)]

    def _migrate(self, main: dict[str, Any], version: int) -> None:
        stamp = now().strftime("%Y%m%dT%H%M%S")
        dest = self.path.with_name(f"{self.path.name}.backup-schema{version}-{stamp}")
        ensure_dir(dest)
        shutil.copy2(self.path, dest / self.path.name)
        if self.parts.exists():
            shutil.copytree(self.parts, dest / self.parts.name, dirs_exist_ok=True)
        for root, dirs, files in os.walk(dest):  # the copy is as private as the journal
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o700)
            for f in files:
                os.chmod(os.path.join(root, f), 0o600)
        ensure_dir(self.parts)
        while version < migrate.CURRENT:
            try:
                migrate.UPGRADES[version](self, main)
            except ValidationError as exc:
                raise JournalError(
                    f"cannot upgrade {self.path} from schema {version}: {exc}; "
                    f"nothing was changed (a copy is in {dest})"
                ) from None
            version += 1
            main = self._read_main() or {}

    # --- the main file ------------------------------------------------------------

    def _read_main(self) -> dict[str, Any] | None:
        return read_tables(self.path)

    def _write_main(self, data: dict[str, Any]) -> None:
        write_json(self.path, data, backup_dir=self.backup_dir, keep=KEEP_BACKUPS)

    def _db(self, path: Path, keep: int = KEEP_BACKUPS) -> TinyDB:
        """A TinyDB opened for one operation (never cached: see the module docstring)."""
        return TinyDB(path, storage=AtomicJSONStorage, backup_dir=self.backup_dir, keep=keep)

    # --- entries: reading -------------------------------------------------------------

    def _month_path(self, month: str) -> Path:
        return self.entries_dir / f"{month}.json"

    def _months(self) -> list[str]:
        try:
            names = os.listdir(self.entries_dir)
        except FileNotFoundError:
            return []
        return sorted(n[:-5] for n in names if n.endswith(".json") and not n.startswith("."))

    def _month_tables(self, month: str) -> dict[str, Any] | None:
        """A month file as parsed and checked: every entry has a string id and time."""
        path = self._month_path(month)
        data = read_tables(path)
        _check_entries(path, ((data or {}).get(ENTRIES) or {}).values())
        return data

    def _month_docs(self, month: str) -> list[dict[str, Any]]:
        return list(((self._month_tables(month) or {}).get(ENTRIES) or {}).values())

    def _month_texts(self, month: str) -> list[tuple[dict[str, Any], str]]:
        """A month's entries with their stored JSON text, checked as `_month_tables` checks."""
        path = self._month_path(month)
        records = read_table_text(path, ENTRIES) or []
        _check_entries(path, (doc for doc, _ in records))
        return records

    def _shard_data(self, shard: str) -> dict[str, str]:
        return _read_shard(self.index_dir / f"{shard}.json")

    def _locate(self, entry_id: str) -> str | None:
        return self._shard_data(_shard(entry_id)).get(entry_id)

    def _get_doc(self, entry_id: str) -> dict[str, Any] | None:
        month = self._locate(entry_id)
        if month is None:
            return None
        for doc in self._month_docs(month):
            if doc.get("id") == entry_id:
                return doc
        return None

    def _lookup(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """The stored documents of these ids (those that exist), reading each index
        shard and each month file once however many ids share them."""
        by_shard: dict[str, list[str]] = {}
        for entry_id in ids:
            by_shard.setdefault(_shard(entry_id), []).append(entry_id)
        by_month: dict[str, set[str]] = {}
        for shard, members in by_shard.items():
            data = self._shard_data(shard)
            for entry_id in members:
                month = data.get(entry_id)
                if month is not None:
                    by_month.setdefault(month, set()).add(entry_id)
        found: dict[str, dict[str, Any]] = {}
        for month, wanted in by_month.items():
            for doc in self._month_docs(month):
                if doc["id"] in wanted:
                    found[doc["id"]] = doc
        return found

    def get(self, entry_id: str) -> Entry:
        """The entry with this id, or with this unique id prefix (as `reflect list` shows)."""
        with self._reading():
            doc = self._get_doc(entry_id)
            if doc is None:
                matches: list[str] = []
                if len(entry_id) >= 4:
                    for name in sorted(os.listdir(self.index_dir)) if self.index_dir.exists() else []:
                        if name.endswith(".json"):
                            shard = self._shard_data(name[:-5])
                            matches += [i for i in shard if i.startswith(entry_id)]
                if len(matches) > 1:
                    raise NotFound(f"{entry_id!r} matches {len(matches)} entries; give more of the id")
                if matches:
                    doc = self._get_doc(matches[0])
            if doc is None:
                raise NotFound(f"no entry with id {entry_id!r}")
            return Entry.from_dict(doc)

    def exists(self, entry_id: str) -> bool:
        with self._reading():
            return self._locate(entry_id) is not None

    def entry_dicts(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        *,
        newest_first: bool = False,
        include_private: bool = True,
    ) -> Iterator[dict[str, Any]]:
        """Stored entries as contract dicts, in time order, reading one month at a time.

        No conversion to objects. The lock is held while each month is read; months are
        read in order and never all at once.
        """
        for doc, _ in self.entry_records(since, until, newest_first=newest_first, include_private=include_private, with_text=False):
            yield doc

    def entry_json(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        *,
        newest_first: bool = False,
        include_private: bool = True,
    ) -> Iterator[str]:
        """Stored entries as their compact JSON text (the export path), as `entry_dicts` selects.

        Month files hold each entry exactly as `json.dumps(entry.to_dict(), ensure_ascii=False,
        separators=(",", ":"))` writes it, so the text is passed through as stored instead of
        being parsed into objects and encoded again: export costs about one read.
        """
        for _, text in self.entry_records(since, until, newest_first=newest_first, include_private=include_private, with_text=True):
            yield text  # type: ignore[misc]

    def entry_records(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        *,
        newest_first: bool = False,
        include_private: bool = True,
        with_text: bool = False,
    ) -> Iterator[tuple[dict[str, Any], str | None]]:
        """(document, its stored JSON text, or None without `with_text`) in time order.

        The one selection `entry_dicts` and `entry_json` share; export uses it directly to
        look at each document (is it private?) and still pass its text through."""
        since, until = _aware(since), _aware(until)
        with self._reading():
            months = _month_range(since, until, self._months())
        if newest_first:
            months.reverse()
        for month in months:
            with self._reading():
                records: list[tuple[dict[str, Any], str | None]] = (
                    self._month_texts(month) if with_text else [(d, None) for d in self._month_docs(month)]
                )  # type: ignore[assignment]
            _sort_docs(records, newest_first, lambda r: r[0])
            for doc, text in records:
                if not include_private and doc.get("visibility") == "private":
                    continue
                if since is not None or until is not None:
                    when = _sort_key(doc)
                    if (since is not None and when < since) or (until is not None and when > until):
                        continue
                yield doc, text

    def entries(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        *,
        newest_first: bool = False,
        include_private: bool = True,
    ) -> Iterator[Entry]:
        """Entries with `since <= occurred <= until`, in time order."""
        for doc in self.entry_dicts(since, until, newest_first=newest_first, include_private=include_private):
            yield Entry.from_dict(doc)

    def recent(self, limit: int = 50, offset: int = 0) -> list[Entry]:
        """The newest entries, newest first: reads only as many months as it needs, and
        builds objects only for the rows returned (home pages through with `offset`)."""
        page = islice(self.entry_dicts(newest_first=True), offset, offset + max(limit, 0))
        return [Entry.from_dict(doc) for doc in page]

    def find(self, flt: EntryFilter, *, limit: int | None = None, newest_first: bool = True) -> list[Entry]:
        """Entries that pass the filter, newest first unless asked otherwise."""
        out: list[Entry] = []
        for entry in self.entries(flt.since, flt.until, newest_first=newest_first):
            if flt.matches(entry):
                out.append(entry)
                if limit is not None and len(out) >= limit:
                    break
        return out

    def count(self) -> int:
        with self._reading():
            return sum(len(self._month_docs(m)) for m in self._months())

    # --- entries: writing ----------------------------------------------------------

    def default_peer(self) -> str:
        return self.settings().peer or default_peer_name()

    def save(self, entry: Entry) -> Entry:
        """Insert or replace an entry by id. Sets `recorded` (first save) and `updated` (now)."""
        with self._writing():
            stamp = now()
            old = self._get_doc(entry.id)
            entry.recorded = (
                datetime.fromisoformat(old["recorded"]) if old and old.get("recorded") else entry.recorded or stamp
            )
            entry.updated = stamp
            if not entry.peer:
                entry.peer = self.default_peer()
            doc = Entry.from_dict(entry.to_dict()).to_dict()  # validate, normalise
            self._apply(puts=[doc], deletes=[])
        return entry

    def delete(self, entry_id: str) -> Entry:
        """Remove an entry; returns what was removed so a caller can say which."""
        with self._writing():
            entry = self.get(entry_id)
            self._apply(puts=[], deletes=[entry.id])
            return entry

    def _apply(self, puts: list[dict[str, Any]], deletes: list[str], *, logged: bool = False) -> None:
        """Write entries and remove ids across months and index shards, atomically as a set.

        Lock held. Every file the write touches is read (and so known to parse) before the
        intent is recorded, so a corrupt file refuses the write with nothing changed
        rather than leaving an intent nobody can finish. Idempotent: applying the same
        intent twice gives the same files.
        """
        if not puts and not deletes:
            return
        by_id: dict[str, dict[str, Any]] = {}
        for doc in puts:  # the same id twice: the last one wins, and is stored once
            by_id.pop(doc["id"], None)
            by_id[doc["id"]] = doc
        puts = list(by_id.values())
        targets = {doc["id"]: _month_of(doc["occurred"]) for doc in puts}
        gone = [i for i in dict.fromkeys(deletes) if i not in targets]
        shards: dict[str, dict[str, str]] = {}
        for entry_id in [*targets, *gone]:
            shard = _shard(entry_id)
            if shard not in shards:
                shards[shard] = self._shard_data(shard)
        # Which month files change: where each id is now, and where it goes.
        changes: dict[str, tuple[set[str], list[dict[str, Any]]]] = {}
        for entry_id in [*targets, *gone]:
            current = shards[_shard(entry_id)].get(entry_id)
            if current is not None:
                changes.setdefault(current, (set(), []))[0].add(entry_id)
        for doc in puts:
            remove, add = changes.setdefault(targets[doc["id"]], (set(), []))
            remove.add(doc["id"])
            add.append(doc)
        months = {month: self._month_tables(month) for month in sorted(changes)}
        if not logged:
            write_json(self.pending_path, {"puts": puts, "deletes": gone})
        for month, (remove, add) in sorted(changes.items()):
            self._rewrite_month(month, months[month], remove, add)
        for shard, data in shards.items():
            before = dict(data)
            for entry_id, month in targets.items():
                if _shard(entry_id) == shard:
                    data[entry_id] = month
            for entry_id in gone:
                if _shard(entry_id) == shard:
                    data.pop(entry_id, None)
            if data != before or not (self.index_dir / f"{shard}.json").exists():
                write_json(self.index_dir / f"{shard}.json", data)
        try:
            self.pending_path.unlink()
        except FileNotFoundError:
            pass

    def _rewrite_month(
        self, month: str, data: dict[str, Any] | None, remove: set[str], add: list[dict[str, Any]]
    ) -> None:
        path = self._month_path(month)
        data = dict(data or {})
        table = {k: v for k, v in (data.get(ENTRIES) or {}).items() if v.get("id") not in remove}
        next_id = max((int(k) for k in table), default=0) + 1
        for doc in add:
            table[str(next_id)] = doc
            next_id += 1
        if not table and data.get(ENTRIES) is None and not path.exists():
            return
        data[ENTRIES] = table
        write_json(path, data, backup_dir=self.backup_dir, keep=KEEP_BACKUPS)

    def import_records(
        self,
        entries: Iterable[Entry] = (),
        stories: Iterable[Story] = (),
        meetings: Iterable[Meeting] = (),
        *,
        replace: bool = False,
        dry_run: bool = False,
    ) -> ImportResult:
        """Add validated records. The same record again is a no-op; the same id with other
        content is a conflict, refused as a whole (nothing written) unless `replace`."""
        result = ImportResult(dry_run=dry_run)
        with self._writing():
            peer = None
            incoming: dict[str, dict[str, Any]] = {}
            for entry in entries:
                if not entry.peer:
                    peer = peer if peer is not None else self.default_peer()
                    entry.peer = peer
                doc = entry.to_dict()
                if entry.id in incoming:  # the same id twice in one input
                    if incoming[entry.id] != doc:
                        if replace:
                            incoming[entry.id] = doc
                        elif entry.id not in result.conflicts:
                            result.conflicts.append(entry.id)
                    continue
                incoming[entry.id] = doc
            stored = self._lookup(list(incoming))
            puts: list[dict[str, Any]] = []
            for entry_id, doc in incoming.items():
                old = stored.get(entry_id)
                if old is None:
                    result.added.append(entry_id)
                    puts.append(doc)
                elif old == doc:
                    result.unchanged.append(entry_id)
                elif replace:
                    result.replaced.append(entry_id)
                    puts.append(doc)
                elif entry_id not in result.conflicts:
                    result.conflicts.append(entry_id)
            main = self._read_main() or {}
            meeting_file = read_tables(self.meetings_path) or {}
            stored_meetings = {d.get("id"): d for d in (meeting_file.get("meetings") or {}).values()}
            tables = {"stories": dict(main.get("stories") or {}), "meetings": dict(meeting_file.get("meetings") or {})}
            agendas: dict[str, dict[str, Any]] = {}
            for kind, records in (("stories", stories), ("meetings", meetings)):
                table = tables[kind]
                by_id = {v.get("id"): k for k, v in table.items()}
                outcome: dict[str, list[str]] = {"added": [], "unchanged": [], "replaced": [], "conflicts": []}
                for rec in records:
                    doc = rec.to_dict()
                    if kind == "meetings":
                        old_doc = stored_meetings.get(rec.id)
                        if old_doc is not None:
                            old_doc = dict(old_doc, agenda=self._agenda(rec.id))
                        agenda = doc.pop("agenda", None)
                        doc["agenda"] = None
                        full = dict(doc, agenda=agenda)
                        same = old_doc == full
                    else:
                        same = by_id.get(rec.id) is not None and table[by_id[rec.id]] == doc
                    key = by_id.get(rec.id)
                    if key is None:
                        outcome["added"].append(rec.id)
                        table[str(max((int(k) for k in table), default=0) + 1)] = doc
                    elif same:
                        outcome["unchanged"].append(rec.id)
                        continue
                    elif replace:
                        outcome["replaced"].append(rec.id)
                        table[key] = doc
                    else:
                        outcome["conflicts"].append(rec.id)
                        result.conflicts.append(rec.id)
                        continue
                    if kind == "meetings" and agenda is not None:
                        agendas[rec.id] = agenda
                setattr(result, kind, outcome)
            if result.conflicts and not dry_run:
                raise Conflict(result.conflicts)
            if dry_run:
                return result
            self._apply(puts=puts, deletes=[])
            if result.stories["added"] or result.stories["replaced"]:
                main["stories"] = tables["stories"]
                self._write_main(main)
            if result.meetings["added"] or result.meetings["replaced"]:
                for meeting_id, agenda in agendas.items():
                    self._write_agenda(meeting_id, agenda)
                meeting_file["meetings"] = tables["meetings"]
                write_json(self.meetings_path, meeting_file, backup_dir=self.backup_dir, keep=KEEP_BACKUPS)
        return result

    # --- stories and meetings (small tables in the main file) --------------------------

    def _table_docs(self, name: str) -> list[dict[str, Any]]:
        main = self._read_main() or {}
        return list((main.get(name) or {}).values())

    def _upsert(self, name: str, doc: dict[str, Any]) -> None:
        with self._writing():
            db = self._db(self.path)
            db.table(name).upsert(doc, Query().id == doc["id"])

    def stories(self, *, include_retired: bool = True) -> list[Story]:
        with self._reading():
            docs = self._table_docs("stories")
        stories = [Story.from_dict(d) for d in docs]
        stories = [s for s in stories if include_retired or not s.retired]
        return sorted(stories, key=lambda s: (s.retired, s.title.casefold()))

    def get_story(self, story_id: str) -> Story:
        for story in self.stories():
            if story.id == story_id:
                return story
        raise NotFound(f"no story with id {story_id!r}")

    def save_story(self, story: Story) -> Story:
        doc = Story.from_dict(story.to_dict()).to_dict()
        self._upsert("stories", doc)
        return story

    def _agenda_path(self, meeting_id: str) -> Path:
        safe = hashlib.sha1(meeting_id.encode("utf-8")).hexdigest()
        return self.agendas_dir / f"{safe}.json"

    def _agenda(self, meeting_id: str) -> dict[str, Any] | None:
        return _read_agenda_file(self._agenda_path(meeting_id))

    def _write_agenda(self, meeting_id: str, agenda: dict[str, Any]) -> None:
        write_json(self._agenda_path(meeting_id), agenda, backup_dir=self.backup_dir, keep=1)

    def _write_meetings(self, meetings: list[Meeting]) -> None:
        """Replace the meetings file (lock held; used by the schema upgrade)."""
        table: dict[str, dict[str, Any]] = {}
        for n, meeting in enumerate(meetings, 1):
            doc = meeting.to_dict()
            agenda = doc.pop("agenda")
            doc["agenda"] = None
            if agenda is not None:
                self._write_agenda(meeting.id, agenda)
            table[str(n)] = doc
        write_json(self.meetings_path, {"meetings": table}, backup_dir=self.backup_dir, keep=KEEP_BACKUPS)

    def meetings(self, peer: str | None = None, *, with_agenda: bool = False) -> list[Meeting]:
        """Recorded supervision meetings, oldest first.

        Each meeting's agenda as it was is kept in a file of its own and read only with
        `with_agenda` (export, the meeting record): preparing a review needs the windows
        and open actions, and should not parse years of agendas to get them.
        """
        with self._reading():
            data = read_tables(self.meetings_path) or {}
            docs = list((data.get("meetings") or {}).values())
            if with_agenda:
                docs = [dict(d, agenda=self._agenda(d.get("id", ""))) for d in docs]
        out = [Meeting.from_dict(d) for d in docs]
        if peer:
            out = [m for m in out if m.peer == peer]
        return sorted(out, key=lambda m: m.held)

    def review_meetings(self) -> list[Meeting]:
        """The meetings a review needs, oldest first: each peer's last, and every meeting
        with an action still open. Filtering the stored documents before building objects
        keeps preparing a review cheap after years of fortnightly supervision."""
        with self._reading():
            data = read_tables(self.meetings_path) or {}
        docs = list((data.get("meetings") or {}).values())
        last: dict[str, tuple[datetime, dict[str, Any]]] = {}
        keep: dict[int, dict[str, Any]] = {}
        for doc in docs:
            try:
                held = _aware(datetime.fromisoformat(doc["held"]))
            except (KeyError, TypeError, ValueError):
                keep[id(doc)] = doc  # let Meeting.from_dict name the problem
                continue
            peer = doc.get("peer") or ""
            if peer not in last or held >= last[peer][0]:
                last[peer] = (held, doc)
            if any(isinstance(a, dict) and not a.get("done") for a in doc.get("actions") or []):
                keep[id(doc)] = doc
        for _, doc in last.values():
            keep[id(doc)] = doc
        return sorted((Meeting.from_dict(d) for d in keep.values()), key=lambda m: m.held)

    def get_meeting(self, meeting_id: str) -> Meeting:
        """One meeting with its agenda as it was."""
        for meeting in self.meetings():
            if meeting.id == meeting_id:
                with self._reading():
                    meeting.agenda = self._agenda(meeting_id)
                return meeting
        raise NotFound(f"no meeting with id {meeting_id!r}")

    def last_meeting(self, peer: str | None = None) -> Meeting | None:
        found = self.meetings(peer)
        return found[-1] if found else None

    def save_meeting(self, meeting: Meeting) -> Meeting:
        """Insert or replace a meeting by id. Its agenda, when given, is stored beside it;
        a meeting saved with no agenda keeps the one already stored (the record of what
        was on the table does not change when an action is later marked done)."""
        doc = Meeting.from_dict(meeting.to_dict()).to_dict()
        agenda = doc.pop("agenda")
        doc["agenda"] = None
        with self._writing():
            if agenda is not None:
                self._write_agenda(meeting.id, agenda)
            db = self._db(self.meetings_path)
            db.table("meetings").upsert(doc, Query().id == doc["id"])
        return meeting

    def set_action_done(self, meeting_id: str, action_id: str, done: bool = True) -> Meeting:
        with self._writing():
            for meeting in self.meetings():
                if meeting.id == meeting_id:
                    for action in meeting.actions:
                        if action.id == action_id:
                            action.done = done
                            return self.save_meeting(meeting)
            raise NotFound(f"no action {action_id!r} in meeting {meeting_id!r}")

    # --- drafts ---------------------------------------------------------------------

    def drafts(self) -> list[Draft]:
        """Encounters in progress, newest first."""
        with self._reading():
            data = read_tables(self.drafts_path) or {}
        out = []
        for doc in reversed(list((data.get("drafts") or {}).values())):  # ties: last saved first
            try:
                out.append(Draft.from_dict(doc))
            except ValidationError:
                continue  # a draft we cannot read is still on disk for doctor to show
        return sorted(out, key=lambda d: d.saved, reverse=True)

    def save_draft(self, draft: Draft) -> Draft:
        draft.saved = now()
        doc = draft.to_dict()
        with self._writing():
            # Re-inserted at the end, so file order is save order: `saved` has whole
            # seconds, and two drafts saved within one still list newest first.
            data = read_tables(self.drafts_path) or {}
            table = {k: v for k, v in (data.get("drafts") or {}).items() if v.get("id") != draft.id}
            table[str(max((int(k) for k in table), default=0) + 1)] = doc
            data["drafts"] = table
            write_json(self.drafts_path, data, backup_dir=self.backup_dir, keep=1)
        return draft

    def discard_draft(self, draft_id: str) -> None:
        with self._writing():
            if self.drafts_path.exists():
                db = self._db(self.drafts_path, keep=1)
                db.table("drafts").remove(Query().id == draft_id)

    # --- settings ---------------------------------------------------------------------

    def settings(self) -> Settings:
        try:
            data = read_json(self.settings_path)
        except CorruptFile as exc:
            raise JournalCorrupt(exc.path, exc.reason) from None
        if data is None:
            return Settings()
        try:
            return Settings.from_dict(data)
        except ValidationError as exc:
            raise JournalError(
                f"{self.settings_path}: {exc}; it was left untouched. Correct it, or run "
                "`reflect doctor --repair` to restore its last good copy"
            ) from None

    def save_settings(self, settings: Settings) -> Settings:
        doc = Settings.from_dict(settings.to_dict()).to_dict()
        with self._locked(True):
            write_json(self.settings_path, doc, backup_dir=self.settings_path.parent / "backups", keep=KEEP_BACKUPS)
        return settings

    # --- health -----------------------------------------------------------------------

    def _data_files(self) -> list[Path]:
        files = [self.path]
        if self.entries_dir.exists():
            files += sorted(self.entries_dir.glob("*.json"))
        if self.index_dir.exists():
            files += sorted(self.index_dir.glob("*.json"))
        if self.drafts_path.exists():
            files.append(self.drafts_path)
        if self.meetings_path.exists():
            files.append(self.meetings_path)
        if self.agendas_dir.exists():
            files += sorted(self.agendas_dir.glob("*.json"))
        if self.pending_path.exists():
            files.append(self.pending_path)
        return files

    def _check_file(self, path: Path, source: Path | None = None) -> bool:
        """Read `source` (default: `path` itself, else a backup of it) as the journal reads
        the kind of file `path` is; CorruptFile if it would not do. False when missing."""
        source = source or path
        if not source.exists():
            return False
        if path == self.settings_path:
            problem = self._settings_problem(source)
            if problem:
                raise CorruptFile(source, problem)
        elif path.parent == self.entries_dir:
            _check_entries(source, ((read_tables(source) or {}).get(ENTRIES) or {}).values())
        elif path.parent == self.index_dir:
            _read_shard(source)
        elif path.parent == self.agendas_dir:
            _read_agenda_file(source)
        elif path == self.pending_path:
            _read_intent(source)
        else:
            read_tables(source)
        return True

    def check(self, *, repair: bool = False) -> HealthReport:
        """Read every file; report what is wrong. With `repair`, restore each unreadable
        file from its newest backup that parses (the bad file is kept beside it), set
        aside an intent that cannot be read, finish an interrupted write, rebuild the
        id index from the month files, remove leftover temp files, tighten modes."""
        report = HealthReport(journal=self.path)
        stamp = f"{now():%Y%m%dT%H%M%S}"
        with self._locked(True):
            bad: list[Path] = []
            for path in self._data_files():
                try:
                    self._check_file(path)
                    report.files.append(FileState(path, "ok"))
                except CorruptFile as exc:
                    report.files.append(FileState(path, "corrupt", exc.reason))
                    report.problems.append(f"{path}: {exc.reason}")
                    bad.append(path)
            settings_problem = self._settings_problem(self.settings_path)
            if settings_problem:  # listed only when bad: it lives apart from the journal
                report.files.append(FileState(self.settings_path, "corrupt", settings_problem))
                report.problems.append(f"{self.settings_path}: {settings_problem}")
                bad.append(self.settings_path)
            private = [(p, 0o600) for p in self._data_files() + [self._lock.path]]
            private += [(d, 0o700) for d in (self.parts, self.entries_dir, self.index_dir, self.backup_dir)]
            for path, want in private:
                mode = path.stat().st_mode & 0o777 if path.exists() else 0
                if mode & 0o077:
                    report.problems.append(f"{path}: open to others (mode {mode:o}); should be {want:o}")
                    if repair:
                        os.chmod(path, want)
                        report.repaired.append(f"{path}: mode set to {want:o}")
            if not self.path.exists():
                report.files.insert(0, FileState(self.path, "missing"))
            if repair:
                for path in bad:
                    if path == self.pending_path:
                        # An intent that does not parse cannot be finished. Each file it
                        # would have changed was replaced whole or not at all, so the
                        # journal is whole without it; the index is checked below.
                        aside = path.with_name(f"{path.name}.corrupt-{stamp}")
                        path.rename(aside)
                        report.repaired.append(f"{path}: set aside as {aside.name} (an unfinished write that cannot be read)")
                        continue
                    restored = self._restore(path)
                    if restored:
                        report.repaired.append(f"{path}: restored from {restored}")
                    elif path.parent == self.index_dir:
                        path.rename(path.with_name(f"{path.name}.corrupt-{stamp}"))
                        report.repaired.append(f"{path}: set aside; the index is rebuilt below")
                    else:
                        report.problems.append(f"{path}: no readable backup; left as it is")
            try:
                main = self._read_main()
                report.schema = migrate.version_of(main) if main is not None else None
                report.stories = len((main or {}).get("stories") or {})
            except CorruptFile:
                pass
            try:
                report.meetings = len((read_tables(self.meetings_path) or {}).get("meetings") or {})
            except CorruptFile:
                pass
            if self.pending_path.exists():
                report.problems.append("an interrupted write is waiting to be finished")
                if repair:
                    try:
                        self._prepare()
                        report.repaired.append("finished the interrupted write")
                    except (CorruptFile, JournalError) as exc:
                        report.problems.append(f"could not finish the interrupted write: {exc}")
            temps = self._stale_temps()
            if temps:
                report.problems.append(f"{len(temps)} temp file(s) left by an interrupted write")
                if repair:
                    self._sweep_temps()
                    report.repaired.append(f"removed {len(temps)} leftover temp file(s)")
            # Index against months: every entry findable, no id pointing nowhere.
            actual: dict[str, str] = {}
            months = self._months()
            report.months = len(months)
            for month in months:
                try:
                    docs = self._month_docs(month)
                except CorruptFile:
                    continue
                for doc in docs:
                    actual[doc["id"]] = month
            report.entries = len(actual)
            indexed: dict[str, str] = {}
            if self.index_dir.exists():
                for p in self.index_dir.glob("*.json"):
                    try:
                        indexed.update(self._shard_data(p.stem))
                    except CorruptFile:
                        pass
            if indexed != actual:
                missing = len(set(actual) - set(indexed))
                stray = len(set(indexed) - set(actual))
                moved = sum(1 for k in set(actual) & set(indexed) if actual[k] != indexed[k])
                report.problems.append(
                    f"the id index is out of step ({missing} missing, {stray} stray, {moved} misplaced)"
                )
                if repair:
                    self._rebuild_index(actual)
                    report.repaired.append("rebuilt the id index")
            try:
                data = read_tables(self.drafts_path) or {}
                report.drafts = len(data.get("drafts") or {})
            except CorruptFile:
                pass
        if repair:
            report.problems = [p for p in report.problems if "no readable backup" in p or "could not" in p]
        return report

    def _settings_problem(self, path: Path) -> str | None:
        """Why a settings file (or a backup of it) cannot be used, or None when it reads."""
        try:
            data = read_json(path)
            if data is not None:
                Settings.from_dict(data)
        except CorruptFile as exc:
            return exc.reason
        except ValidationError as exc:
            return str(exc)
        except OSError as exc:
            return exc.strerror or str(exc)
        return None

    def _restore(self, path: Path) -> Path | None:
        """Put back the newest backup of `path` that reads whole, checked as `path` itself
        would be; the bad file is kept beside it as NAME.corrupt-STAMP. None when no backup will do."""
        folder = self.settings_path.parent / "backups" if path == self.settings_path else self.backup_dir
        for n in range(1, KEEP_BACKUPS + 1):
            candidate = folder / backup_name(path, n)
            try:
                if not self._check_file(path, candidate):
                    continue
            except CorruptFile:
                continue
            raw = candidate.read_bytes()
            path.rename(path.with_name(path.name + f".corrupt-{now():%Y%m%dT%H%M%S}"))
            atomic_write(path, raw)
            return candidate
        return None

    def _rebuild_index(self, actual: dict[str, str]) -> None:
        shards: dict[str, dict[str, str]] = {f"{i:02x}": {} for i in range(256)}
        for entry_id, month in actual.items():
            shards[_shard(entry_id)][entry_id] = month
        for shard, data in shards.items():
            path = self.index_dir / f"{shard}.json"
            if data or path.exists():
                write_json(path, data)
