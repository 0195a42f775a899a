"""`reflect doctor`: read every file of the journal, say what is wrong, and repair it.

A repair restores each unreadable file from its newest backup that reads (the bad file
kept beside it), sets aside an intent that cannot be read, finishes an interrupted
write, rebuilds the id index from the month files, removes leftover temp files and
tightens modes. Whether a problem outlasts a repair is recorded where it is found,
never guessed from its wording.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from reflect import paths
from reflect.domain.model import now
from reflect.store import migrate
from reflect.store.engine import ENTRIES, Engine, check_entries, read_intent, read_shard
from reflect.store.errors import JournalError
from reflect.store.lock import Gate
from reflect.store.settings import SettingsFile
from reflect.store.storage import KEEP_BACKUPS, CorruptFile, atomic_write, read_tables
from reflect.store.tables import Table, read_agenda_file


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


class _Findings:
    """Problems as found, each marked by whether a repair leaves it standing."""

    def __init__(self) -> None:
        self.items: list[tuple[str, bool]] = []

    def add(self, text: str, *, lasting: bool = False) -> None:
        self.items.append((text, lasting))

    def after(self, repair: bool) -> list[str]:
        return [text for text, lasting in self.items if lasting or not repair]


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

    def data_files(self) -> list[Path]:
        lay = self.layout
        files = [lay.main]
        for folder in (lay.entries_dir, lay.index_dir):
            if folder.exists():
                files += sorted(folder.glob("*.json"))
        files += [p for p in (lay.drafts, lay.meetings) if p.exists()]
        if lay.agendas_dir.exists():
            files += sorted(lay.agendas_dir.glob("*.json"))
        if lay.pending.exists():
            files.append(lay.pending)
        return files

    def check_file(self, path: Path, source: Path | None = None) -> bool:
        """Read `source` (default: `path` itself, else a backup of it) as the journal reads
        the kind of file `path` is; CorruptFile if it would not do. False when missing."""
        lay = self.layout
        source = source or path
        if not source.exists():
            return False
        if path == self.settings.path:
            problem = SettingsFile.problem(source)
            if problem:
                raise CorruptFile(source, problem)
        elif path.parent == lay.entries_dir:
            check_entries(source, ((read_tables(source) or {}).get(ENTRIES) or {}).values())
        elif path.parent == lay.index_dir:
            read_shard(source)
        elif path.parent == lay.agendas_dir:
            read_agenda_file(source)
        elif path == lay.pending:
            read_intent(source)
        else:
            read_tables(source)
        return True

    def check(self, *, repair: bool = False) -> HealthReport:
        lay = self.layout
        report = HealthReport(journal=lay.main)
        found = _Findings()
        stamp = f"{now():%Y%m%dT%H%M%S}"
        with self.gate.locked(True):
            bad: list[Path] = []
            for path in self.data_files():
                try:
                    self.check_file(path)
                    report.files.append(FileState(path, "ok"))
                except CorruptFile as exc:
                    report.files.append(FileState(path, "corrupt", exc.reason))
                    found.add(f"{path}: {exc.reason}")
                    bad.append(path)
            settings_problem = SettingsFile.problem(self.settings.path)
            if settings_problem:  # listed only when bad: it lives apart from the journal
                report.files.append(FileState(self.settings.path, "corrupt", settings_problem))
                found.add(f"{self.settings.path}: {settings_problem}")
                bad.append(self.settings.path)
            private = [(p, 0o600) for p in self.data_files() + [lay.lock]]
            private += [(d, 0o700) for d in (lay.parts, lay.entries_dir, lay.index_dir, lay.backup_dir)]
            for path, want in private:
                mode = path.stat().st_mode & 0o777 if path.exists() else 0
                if mode & 0o077:
                    found.add(f"{path}: open to others (mode {mode:o}); should be {want:o}")
                    if repair:
                        os.chmod(path, want)
                        report.repaired.append(f"{path}: mode set to {want:o}")
            if not lay.main.exists():
                report.files.insert(0, FileState(lay.main, "missing"))
            if repair:
                self._repair_files(bad, stamp, report, found)
            self._count(report)
            self._pending(repair, report, found)
            temps = self.gate.stale_temps()
            if temps:
                found.add(f"{len(temps)} temp file(s) left by an interrupted write")
                if repair:
                    self.gate.sweep_temps()
                    report.repaired.append(f"removed {len(temps)} leftover temp file(s)")
            self._index(repair, report, found)
        report.problems = found.after(repair)
        return report

    def _repair_files(self, bad: list[Path], stamp: str, report: HealthReport, found: _Findings) -> None:
        for path in bad:
            if path == self.layout.pending:
                # An intent that does not parse cannot be finished. Each file it would
                # have changed was replaced whole or not at all, so the journal is whole
                # without it; the index is checked below.
                aside = paths.corrupt_path(path, stamp)
                path.rename(aside)
                report.repaired.append(f"{path}: set aside as {aside.name} (an unfinished write that cannot be read)")
                continue
            restored = self._restore(path)
            if restored:
                report.repaired.append(f"{path}: restored from {restored}")
            elif path.parent == self.layout.index_dir:
                path.rename(paths.corrupt_path(path, stamp))
                report.repaired.append(f"{path}: set aside; the index is rebuilt below")
            else:
                found.add(f"{path}: no readable backup; left as it is", lasting=True)

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

    def _pending(self, repair: bool, report: HealthReport, found: _Findings) -> None:
        if not self.layout.pending.exists():
            return
        found.add("an interrupted write is waiting to be finished")
        if repair:
            try:
                self.gate.prepare()
                report.repaired.append("finished the interrupted write")
            except (CorruptFile, JournalError) as exc:
                found.add(f"could not finish the interrupted write: {exc}", lasting=True)

    def _index(self, repair: bool, report: HealthReport, found: _Findings) -> None:
        """Index against months: every entry findable, no id pointing nowhere."""
        actual: dict[str, str] = {}
        months = self.engine.months()
        report.months = len(months)
        for month in months:
            try:
                docs = self.engine.month_docs(month)
            except CorruptFile:
                continue
            for doc in docs:
                actual[doc["id"]] = month
        report.entries = len(actual)
        indexed = self.engine.indexed()
        if indexed != actual:
            missing = len(set(actual) - set(indexed))
            stray = len(set(indexed) - set(actual))
            moved = sum(1 for k in set(actual) & set(indexed) if actual[k] != indexed[k])
            found.add(f"the id index is out of step ({missing} missing, {stray} stray, {moved} misplaced)")
            if repair:
                self.engine.rebuild_index(actual)
                report.repaired.append("rebuilt the id index")
        try:
            report.drafts = len(self.drafts.rows())
        except CorruptFile:
            pass

    def _restore(self, path: Path) -> Path | None:
        """Put back the newest backup of `path` that reads whole, checked as `path` itself
        would be; the bad file is kept beside it as NAME.corrupt-STAMP. None when no backup will do."""
        folder = self.settings.backup_dir if path == self.settings.path else self.layout.backup_dir
        for n in range(1, KEEP_BACKUPS + 1):
            candidate = folder / paths.backup_name(path, n)
            try:
                if not self.check_file(path, candidate):
                    continue
            except CorruptFile:
                continue
            raw = candidate.read_bytes()
            path.rename(paths.corrupt_path(path, f"{now():%Y%m%dT%H%M%S}"))
            atomic_write(path, raw)
            return candidate
        return None
