"""`reflect doctor`: read every file of the journal as the commands read it, say what is
wrong, and repair it.

What should exist is known from more than one place: the id index and a committed write
intent name every acknowledged entry and its month, and every file kept with backups has
a backup 1 equal to it as last written. So a repair finishes a committed write, sets
aside an intent that cannot be read, puts back each unreadable or missing file from its
newest backup that reads (the bad file kept beside it), and rebuilds the index from the
months while keeping every id it could not find: those are named, one by one, and the
report is not ok while any is missing. Each step replaces files whole, so a repair killed
half-way is finished by the next one. Whether a problem outlasts a repair is recorded
where it is found, never guessed from its wording. Every message names the file
relative to the journal's folder and never quotes a value from inside it.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reflect import paths
from reflect.domain.model import Draft, Entry, Meeting, Story, ValidationError, now
from reflect.domain.training import Training
from reflect.domain.growth import Goal, Rating
from reflect.domain.worked import WorkedWeek
from reflect.store import migrate, stamps
from reflect.store.engine import ENTRIES, Engine, month_of, read_intent, read_shard, shard_of
from reflect.store.errors import JournalError
from reflect.store.lock import Gate
from reflect.store.settings import SettingsFile
from reflect.store.storage import (
    DIR_MODE,
    FILE_MODE,
    KEEP_BACKUPS,
    CorruptFile,
    atomic_write,
    dumps,
    ensure_dir,
    read_bytes,
    read_tables,
    rotate_backups,
)
from reflect.store.tables import Table, read_agenda_file

_MONTH = re.compile(r"(\d{4}-\d{2})\.json")
_BACKUP = re.compile(r"(.+\.json)\.(\d+)")


@dataclass
class FileState:
    path: Path
    status: str  # ok | corrupt | missing
    detail: str = ""


@dataclass
class HealthReport:
    """What `reflect doctor` found, and what a repair did. `lost` names every acknowledged
    entry (by id) that is not in the journal and could not be brought back."""

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
    lost: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.lost


class _Findings:
    """Problems as found, each marked by whether a repair leaves it standing."""

    def __init__(self) -> None:
        self.items: list[tuple[str, bool]] = []

    def add(self, text: str, *, lasting: bool = False) -> None:
        self.items.append((text, lasting))

    def after(self, repair: bool) -> list[str]:
        return [text for text, lasting in self.items if lasting or not repair]


def _docs(path: Path, data: dict[str, Any] | None, table: str) -> Iterator[tuple[str, Any]]:
    rows = (data or {}).get(table) or {}
    yield from rows.items()


def _check_records(path: Path, rows: Iterator[tuple[str, Any]], kind: str, build: Callable[[Any], object]) -> None:
    """Each document builds as the commands build it; the field named, never its value."""
    for key, doc in rows:
        try:
            build(doc)
        except ValidationError as exc:
            raise CorruptFile(path, f"{kind} {key}: {exc.path or 'the record'} does not fit the record") from None
        except (TypeError, ValueError, KeyError, AttributeError, OverflowError):
            raise CorruptFile(path, f"{kind} {key} does not fit the record") from None


class Health:
    def __init__(
        self, gate: Gate, engine: Engine, settings: SettingsFile, stories: Table, meetings: Table, drafts: Table
    ):
        self.layout = gate.layout
        self.gate = gate
        self.engine = engine
        self.settings = settings
        self.stories = stories
        self.meetings = meetings
        self.drafts = drafts
        self._staged: set[Path] = set()  # temps of a committed write a plain check leaves waiting

    # --- names -------------------------------------------------------------------------------

    def name(self, path: Path) -> str:
        """A file as messages name it: relative to the journal's folder where it is inside;
        the settings file, which lives apart from the journal, by its whole path."""
        if path == self.settings.path or Path(path).parent == self.settings.backup_dir:
            return str(path)
        try:
            return Path(path).relative_to(self.layout.main.parent).as_posix()
        except ValueError:
            return str(path)

    def backup_dir(self, path: Path) -> Path:
        return self.settings.backup_dir if path == self.settings.path else self.layout.backup_dir

    def backups(self, path: Path) -> list[Path]:
        folder = self.backup_dir(path)
        return [folder / paths.backup_name(path, n) for n in range(1, KEEP_BACKUPS + 1)]

    # --- what exists, and what should ----------------------------------------------------------

    def data_files(self) -> list[Path]:
        lay = self.layout
        files = [lay.main] if os.path.lexists(lay.main) else []
        for folder in (lay.entries_dir, lay.index_dir):
            if folder.exists():
                files += sorted(p for p in folder.glob("*.json") if not p.name.startswith("."))
        files += [p for p in (lay.drafts, lay.meetings, lay.review_drafts, lay.trainings) if os.path.lexists(p)]
        files += [p for p in (lay.ratings, lay.goals) if os.path.lexists(p)]
        if lay.agendas_dir.exists():
            files += sorted(lay.agendas_dir.glob("*.json"))
        return files

    def backed_up(self) -> list[Path]:
        """Files that have a backup, so were written by reflect and should still exist."""
        lay = self.layout
        out: list[Path] = []
        names = sorted(os.listdir(lay.backup_dir)) if lay.backup_dir.is_dir() else []
        for name in names:
            m = _BACKUP.fullmatch(name)
            if not m:
                continue
            base = m.group(1)
            if base == lay.main.name:
                out.append(lay.main)
            elif base in (lay.meetings.name, lay.drafts.name, lay.review_drafts.name, lay.trainings.name, lay.ratings.name, lay.goals.name):
                out.append(lay.parts / base)
            elif _MONTH.fullmatch(base):
                out.append(lay.entries_dir / base)
            elif re.fullmatch(r"[0-9a-f]{40}\.json", base):
                out.append(lay.agendas_dir / base)
        settings_backups = self.settings.backup_dir
        if any(settings_backups.glob(paths.backup_name(self.settings.path, 1))) if settings_backups.is_dir() else False:
            out.append(self.settings.path)
        return list(dict.fromkeys(out))

    def check_file(self, path: Path, source: Path | None = None) -> bool:
        """Read `source` (default: `path` itself, else a backup of it) as the journal reads
        the kind of file `path` is, each record built as the commands build it;
        CorruptFile if it would not do. False when missing."""
        lay = self.layout
        source = source or path
        if not os.path.lexists(source):
            return False
        if path == self.settings.path:
            read_bytes(source)  # a link or a device is refused before it is parsed
            problem = SettingsFile.problem(source)
            if problem:
                raise CorruptFile(source, "not valid settings")
        elif path.parent == lay.entries_dir:
            month = _MONTH.fullmatch(path.name)
            data = read_tables(source)

            def entry(doc: Any) -> None:
                built = Entry.from_dict(doc)
                if month and month_of(built.to_dict()["occurred"]) != month.group(1):
                    raise ValidationError("occurred", "in another month's file")

            _check_records(source, _docs(source, data, ENTRIES), "entry", entry)
        elif path.parent == lay.index_dir:
            shard = read_shard(source)
            for entry_id, where in shard.items():
                if not _MONTH.fullmatch(where + ".json") or shard_of(entry_id) + ".json" != path.name:
                    raise CorruptFile(source, "an index record that does not fit")
        elif path.parent == lay.agendas_dir:
            read_agenda_file(source)
        elif path == lay.pending:
            read_intent(lay)
        elif path == lay.meetings:
            _check_records(source, _docs(source, read_tables(source), "meetings"), "meeting", Meeting.from_dict)
        elif path == lay.drafts:
            _check_records(source, _docs(source, read_tables(source), "drafts"), "draft", Draft.from_dict)
        elif path == lay.trainings:
            _check_records(source, _docs(source, read_tables(source), "trainings"), "training", Training.from_dict)
        elif path in (lay.ratings, lay.goals):
            kind, build = ("rating", Rating.from_dict) if path == lay.ratings else ("goal", Goal.from_dict)
            _check_records(source, _docs(source, read_tables(source), kind + "s"), kind, build)
        elif path == lay.main:
            data = read_tables(source)
            _check_records(source, _docs(source, data, "stories"), "story", Story.from_dict)
            _check_records(source, _docs(source, data, "worked"), "hours worked", WorkedWeek.from_dict)
        else:
            read_tables(source)
        return True

    # --- the check -------------------------------------------------------------------------

    def check(self, *, repair: bool = False, forget_lost: bool = False) -> HealthReport:
        """Every file read as the commands read it; with `repair`, everything that can be
        put right put right. `forget_lost` drops ids that cannot be recovered from the
        index (after they were reported), so the journal is ok again without them."""
        lay = self.layout
        report = HealthReport(journal=lay.main)
        found = _Findings()
        self._staged = set()
        stamp = f"{now():%Y%m%dT%H%M%S}"
        with self.gate.locked(True):
            expected = self._pending(repair, report, found, stamp)
            bad: list[Path] = []
            for path in self.data_files():
                try:
                    self.check_file(path)
                    report.files.append(FileState(path, "ok"))
                except CorruptFile as exc:
                    report.files.append(FileState(path, "corrupt", exc.reason))
                    found.add(f"{self.name(path)}: {exc.reason}")
                    bad.append(path)
            if os.path.lexists(self.settings.path):
                try:
                    self.check_file(self.settings.path)
                except CorruptFile as exc:  # listed only when bad: it lives apart from the journal
                    report.files.append(FileState(self.settings.path, "corrupt", exc.reason))
                    found.add(f"{self.name(self.settings.path)}: {exc.reason}")
                    bad.append(self.settings.path)
            gone = [p for p in self.backed_up() if not os.path.lexists(p)]
            if not os.path.lexists(lay.main) and lay.main not in gone:
                report.files.insert(0, FileState(lay.main, "missing"))
            for path in gone:
                report.files.append(FileState(path, "missing"))
                found.add(f"{self.name(path)}: missing, though reflect wrote it (a backup of it is kept)")
            if repair:
                bad = self._repair_files(bad + gone, stamp, report, found)
            self._fresh_backups(repair, set(bad), report, found)
            self._modes(repair, report, found)
            self._count(report)
            if lay.trainings not in bad:
                self._certificates(found)
            temps = [t for t in self.gate.stale_temps() + self._settings_temps() if t not in self._staged]
            if temps:
                found.add(f"{len(temps)} temp file(s) left by an interrupted write")
                if repair:
                    for tmp in temps:
                        try:
                            tmp.unlink()
                        except FileNotFoundError:
                            pass
                    report.repaired.append(f"removed {len(temps)} leftover temp file(s)")
            self._index(repair, forget_lost, expected, {p for p in bad if p.parent == lay.entries_dir}, set(gone), report, found)
        report.problems = found.after(repair)
        return report

    def _settings_temps(self) -> list[Path]:
        """Temp files a killed settings write left (beside it, and in its backups folder).
        Settings are written under the journal's exclusive lock, which the caller holds."""
        path = self.settings.path
        out: list[Path] = []
        for folder, prefix in ((path.parent, f".{path.name}."), (self.settings.backup_dir, f".{path.name}.1.")):
            try:
                names = os.listdir(folder)
            except (FileNotFoundError, NotADirectoryError):
                continue
            out += [folder / n for n in names if n.startswith(prefix) and paths.is_temp_name(n)]
        return out

    def _pending(self, repair: bool, report: HealthReport, found: _Findings, stamp: str) -> dict[str, str]:
        """A write left recorded: finished (committed) or set aside (unreadable). Returns
        the ids it puts and their months: they should exist afterwards."""
        lay = self.layout
        if not os.path.lexists(lay.pending):
            return {}
        try:
            intent = read_intent(lay)
        except CorruptFile as exc:
            report.files.append(FileState(lay.pending, "corrupt", exc.reason))
            found.add(f"{self.name(lay.pending)}: {exc.reason}")
            if repair:
                # An intent that does not read cannot be finished. Each file it would have
                # changed was replaced whole or not at all, so the journal is whole without it.
                aside = paths.corrupt_path(lay.pending, stamp)
                os.replace(lay.pending, aside)
                report.repaired.append(
                    f"{self.name(lay.pending)}: set aside as {aside.name} (an unfinished write that cannot be read)"
                )
            return {}
        report.files.append(FileState(lay.pending, "ok"))
        found.add("an interrupted write is waiting to be finished")
        if not repair:  # the next reader finishes it: its ids are not missing, its temps not stale
            self._staged = {t for _, temp, backup, _ in intent.files for t in (temp, backup) if t is not None}
            return {}
        if repair:
            try:
                self.gate.prepare()
                report.repaired.append("finished the interrupted write")
            except (CorruptFile, JournalError, ValidationError, OSError) as exc:
                reason = exc.reason if isinstance(exc, CorruptFile) else type(exc).__name__
                found.add(f"{self.name(lay.pending)}: could not finish the interrupted write ({reason})", lasting=True)
        return dict(intent.puts)

    def _repair_files(self, bad: list[Path], stamp: str, report: HealthReport, found: _Findings) -> list[Path]:
        """Put back what can be; returns the files still bad."""
        left: list[Path] = []
        for path in bad:
            restored = self._restore(path, stamp)
            if restored:
                report.repaired.append(f"{self.name(path)}: restored from {self.name(restored)}")
            elif path.parent == self.layout.index_dir:
                os.replace(path, paths.corrupt_path(path, stamp))
                report.repaired.append(f"{self.name(path)}: set aside; the index is rebuilt below")
            elif os.path.lexists(path):
                found.add(f"{self.name(path)}: no readable backup; left as it is", lasting=True)
                left.append(path)
            else:
                found.add(f"{self.name(path)}: missing, and no backup of it reads", lasting=True)
                left.append(path)
        return left

    def _restore(self, path: Path, stamp: str) -> Path | None:
        """Put back the newest backup of `path` that reads whole, checked as `path` itself
        would be; a bad file is kept beside it as NAME.corrupt-STAMP. None when no backup
        will do. Crash-safe: the bad file is set aside only once the good copy is in
        place, and either way a second repair finds what to do."""
        for candidate in self.backups(path):
            try:
                if not self.check_file(path, candidate):
                    continue
                raw = read_bytes(candidate)
            except CorruptFile:
                continue
            if raw is None:
                continue
            aside = paths.corrupt_path(path, stamp)
            if os.path.lexists(path) and not os.path.lexists(aside):
                os.link(path, aside, follow_symlinks=False)  # the bad file, kept as it is
            atomic_write(path, raw)  # a rename over the bad file: never a moment without one
            return candidate
        return None

    def _fresh_backups(self, repair: bool, bad: set[Path], report: HealthReport, found: _Findings) -> None:
        """Every file kept with backups has a backup 1 equal to it, so the next damage can
        be undone too; a repair makes one where it is missing, damaged or out of date
        (a journal written by an older reflect kept the version before instead: it is
        shifted up, not overwritten)."""
        lay = self.layout
        kept = [lay.main, lay.meetings, self.settings.path]
        if lay.entries_dir.is_dir():
            kept += sorted(p for p in lay.entries_dir.glob("*.json") if _MONTH.fullmatch(p.name))
        short = [lay.drafts] + (sorted(lay.agendas_dir.glob("*.json")) if lay.agendas_dir.is_dir() else [])
        for path, keep in [(p, KEEP_BACKUPS) for p in kept] + [(p, 1) for p in short]:
            if path in bad or not os.path.lexists(path):
                continue
            first = self.backups(path)[0]
            try:
                raw = read_bytes(path)
                same = raw is not None and read_bytes(first) == raw
            except CorruptFile:
                same, raw = False, read_bytes(path)
            if same or raw is None:
                continue
            found.add(f"{self.name(path)}: its newest backup is not a copy of it")
            if repair:
                ensure_dir(first.parent)
                rotate_backups(path, first.parent, keep)
                atomic_write(first, raw)
                report.repaired.append(f"{self.name(path)}: backed up as {self.name(first)}")

    def _modes(self, repair: bool, report: HealthReport, found: _Findings) -> None:
        """Every folder 0700 and file 0600, the journal's and the settings' backups included."""
        lay = self.layout
        roots = [lay.parts, self.settings.backup_dir]
        items: list[Path] = [lay.main, lay.lock, self.settings.path]
        for root in roots:
            if not root.is_dir() or root.is_symlink():
                continue
            items.append(root)
            for folder, dirs, files in os.walk(root):
                items += [Path(folder, d) for d in dirs] + [Path(folder, f) for f in files]
        for path in items:
            try:
                info = os.lstat(path)
            except FileNotFoundError:
                continue
            if stat.S_ISDIR(info.st_mode):
                want = DIR_MODE
            elif stat.S_ISREG(info.st_mode):
                want = FILE_MODE
            else:
                continue  # a link or a device: reported where it is read, never chmod'ed
            mode = stat.S_IMODE(info.st_mode)
            if mode & 0o077:
                found.add(f"{self.name(path)}: open to others (mode {mode:o}); should be {want:o}")
                if repair:
                    os.chmod(path, want)
                    report.repaired.append(f"{self.name(path)}: mode set to {want:o}")

    def _certificates(self, found: _Findings) -> None:
        """A kept certificate that no longer matches its training's record is damaged, and
        no backup can restore it (lasting). A training with no file (imported from another
        journal: the record travels, the file does not) is not a problem."""
        import hashlib

        for _key, doc in _docs(self.layout.trainings, read_tables(self.layout.trainings), "trainings"):
            meta = doc.get("certificate") if isinstance(doc, dict) else None
            if not isinstance(meta, dict):
                continue
            path = self.layout.certificate(str(doc.get("id", "")))
            try:
                data = read_bytes(path)
            except CorruptFile as exc:
                found.add(f"{self.name(path)}: {exc.reason}", lasting=True)
                continue
            if data is not None and hashlib.sha256(data).hexdigest() != meta.get("sha256"):
                found.add(f"{self.name(path)}: the certificate of training {doc.get('id')} does not match its record",
                          lasting=True)  # fmt: skip

    def _count(self, report: HealthReport) -> None:
        try:
            main = read_tables(self.layout.main)
            report.schema = migrate.version_of(main) if main is not None else None
            report.stories = len(self.stories.rows(main or {}))
        except CorruptFile:
            pass
        try:
            report.meetings = len(self.meetings.rows())
        except CorruptFile:
            pass
        try:
            report.drafts = len(self.drafts.rows())
        except CorruptFile:
            pass

    def _stored_twice(
        self,
        repair: bool,
        twice: dict[str, list[str]],
        indexed: dict[str, str],
        actual: dict[str, str],
        report: HealthReport,
        found: _Findings,
    ) -> None:
        """An id in two month files (an index shard lost before a move): the copy the index
        names is the one every command reads, so repair keeps it (else the newest month's)
        and removes the others, in one staged write."""
        remove: dict[str, set[str]] = {}
        for entry_id, held in sorted(twice.items()):
            names = " and ".join(self.name(self.layout.month(m)) for m in held)
            found.add(f"entry {entry_id} is stored twice: in {names}")
            named = indexed.get(entry_id)
            keep = named if named is not None and named in held else max(held)
            actual[entry_id] = keep
            for month in held:
                if month != keep:
                    remove.setdefault(month, set()).add(entry_id)
        files: list[tuple[Path, bytes, int]] = []
        for month, ids in sorted(remove.items()):
            data = self.engine.month_after(month, self.engine.month_tables(month), ids, [])
            if data is not None:
                files.append((self.layout.month(month), dumps(data), KEEP_BACKUPS))
        if repair and files:
            self.engine.apply([], [], files=files)
            report.repaired.append(f"kept one copy of {len(twice)} entr{'y' if len(twice) == 1 else 'ies'} stored twice")

    def _index(
        self,
        repair: bool,
        forget: bool,
        expected: dict[str, str],
        bad_months: set[Path],
        gone: set[Path],
        report: HealthReport,
        found: _Findings,
    ) -> None:
        """Index against months: every entry findable, no id pointing nowhere. An id the
        index (or a committed write) names that no month holds is an acknowledged entry
        lost: named, kept in the index so every doctor names it, and never "ok"."""
        actual: dict[str, str] = {}
        twice: dict[str, list[str]] = {}
        unreadable: set[str] = set()
        months = self.engine.months()
        report.months = len(months)
        for month in months:
            if self.layout.month(month) in bad_months:
                unreadable.add(month)
                continue
            try:
                docs = self.engine.month_docs(month)
            except CorruptFile:
                unreadable.add(month)
                continue
            for doc in docs:
                if doc["id"] in actual:
                    twice.setdefault(doc["id"], [actual[doc["id"]]]).append(month)
                actual[doc["id"]] = month
        report.entries = len(actual)
        indexed = self.engine.indexed()
        if twice:
            self._stored_twice(repair, twice, indexed, actual, report, found)
        should = {**indexed, **expected}
        lost = {i: m for i, m in should.items() if i not in actual}
        if not repair:  # a file a repair may restore is reported as the file, not id by id
            lost = {i: m for i, m in lost.items() if m not in unreadable and self.layout.month(m) not in gone}
        for entry_id, month in sorted(lost.items(), key=lambda kv: (kv[1], kv[0])):
            where = self.name(self.layout.month(month))
            state = "cannot be read" if month in unreadable else "does not hold it" if month in months else "is missing"
            found.add(f"entry {entry_id} is lost: {where} {state}", lasting=not (repair and forget))
        report.lost = [] if (repair and forget) else sorted(lost)
        if repair and forget:  # the months lost with them: reads stop naming them as missing
            stamps.forget(self.layout, self.engine.missing_months(self.engine.months()))
        wanted = dict(actual) if forget else {**lost, **actual}
        if indexed != wanted:
            missing = len(set(actual) - set(indexed))
            moved = sum(1 for k in set(actual) & set(indexed) if actual[k] != indexed[k])
            stray = len(set(indexed) - set(wanted))
            found.add(f"the id index is out of step ({missing} missing, {stray} stray, {moved} misplaced)")
            if repair:
                self.engine.rebuild_index(wanted)
                report.repaired.append("rebuilt the id index")
