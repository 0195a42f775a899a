"""Turning a journal's encryption on and off, so that a kill at any moment loses nothing.

A conversion is recorded before it starts and finished by whoever comes next:

1. the plain marker is written saying where the journal is going (`converting`): from
   then on every new file is written the new way, and reading goes by each file's own
   content (`codec`), so a journal with some files converted and some not reads whole;
2. a copy of the journal's files is kept beside it (`paths.conversion_backup_dir`),
   written under a temp name and renamed when whole;
3. every file of the journal that holds text is rewritten, one atomic rename each:
   month files, index, drafts, meetings, agendas, backups, files set aside by repair,
   the copies taken before a schema upgrade; temp files a killed writer left are removed;
4. the copy is removed, then the marker says the conversion is finished.

A kill anywhere leaves a journal that opens with every entry; the next process to open
it (with the journal's lock held) runs `finish` again from step 2. Everything here runs
under the journal's exclusive lock.

Removing a file unlinks it: on an SSD or a copy-on-write file system its old blocks
may linger on the device until reused. That is outside what a program can promise; the
README says so.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reflect import paths
from reflect.paths import Layout, is_temp_name
from reflect.store import codec
from reflect.store.codec import AGE, PLAIN, Marker
from reflect.store.storage import DIR_MODE, CorruptFile, atomic_write, ensure_dir, fsync_dir, read_raw


@dataclass
class Converted:
    """What a conversion did: files rewritten, temp files removed, files it could not read."""

    rewritten: int = 0
    removed: int = 0
    unreadable: list[Path] = field(default_factory=list)
    finished: bool = False


def write_marker(layout: Layout, marker: Marker) -> None:
    if marker == codec.PLAIN_MARKER:
        try:
            os.unlink(layout.encryption)
        except FileNotFoundError:
            return
        fsync_dir(layout.parts)
        return
    ensure_dir(layout.parts)
    atomic_write(layout.encryption, codec.marker_bytes(marker), plain=True)


def convert(layout: Layout, recipient: str | None) -> Converted:
    """Encrypt every file of the journal to `recipient`, or decrypt them all (None).
    Decrypting needs the identity unlocked in this process (`codec.add_identity`)."""
    now = codec.read_marker(layout.encryption)
    if recipient is not None:
        target = Marker(AGE, recipient, True)
    else:
        target = Marker(PLAIN, now.recipient, True)
    write_marker(layout, target)
    return finish(layout)


def finish(layout: Layout) -> Converted:
    """Finish a conversion the marker says is under way (nothing to do otherwise)."""
    marker = codec.read_marker(layout.encryption)
    done = Converted()
    if not marker.converting:
        return done
    backup = paths.conversion_backup_dir(layout.main)
    if not backup.is_dir():
        _keep_copy(layout, backup)
    for path in journal_files(layout):
        if is_temp_name(path.name):
            _unlink(path)
            done.removed += 1
            continue
        try:
            raw = read_raw(path)
            if raw is None:
                continue
            if marker.codec == AGE and not codec.is_sealed(raw) and marker.recipient is not None:
                atomic_write(path, codec.seal(raw, marker.recipient), plain=True)
                done.rewritten += 1
            elif marker.codec == PLAIN and codec.is_sealed(raw):
                atomic_write(path, codec.open_sealed(raw, path), plain=True)
                done.rewritten += 1
        except (CorruptFile, codec.Undecryptable):
            done.unreadable.append(path)
    for folder in _folders(layout):
        fsync_dir(folder)
    shutil.rmtree(backup, ignore_errors=True)
    shutil.rmtree(_partial(backup), ignore_errors=True)
    final = Marker(AGE, marker.recipient, False) if marker.codec == AGE else codec.PLAIN_MARKER
    write_marker(layout, final)
    done.finished = True
    return done


def journal_files(layout: Layout) -> list[Path]:
    """Every file of the journal that may hold text: the main file, everything under its
    folder, and what reflect keeps beside the main file (copies taken before a schema
    upgrade, files set aside, temp files). Not the lock, the marker, or the copy a
    conversion keeps (it is removed whole); never through a symbolic link."""
    main = layout.main
    skip = {layout.lock, layout.encryption, paths.conversion_backup_dir(main)}
    skip.add(_partial(paths.conversion_backup_dir(main)))
    out: list[Path] = []
    try:
        names = sorted(os.listdir(main.parent))
    except FileNotFoundError:
        return out
    for name in names:
        if name != main.name and not name.startswith((f"{main.name}.", f".{main.name}.")):
            continue
        path = main.parent / name
        if path in skip:
            continue
        out += [p for p in _walk(path) if p not in skip]
    return out


def _walk(path: Path) -> Iterator[Path]:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISREG(info.st_mode):
        yield path
    elif stat.S_ISDIR(info.st_mode):
        for name in sorted(os.listdir(path)):
            yield from _walk(path / name)


def _folders(layout: Layout) -> list[Path]:
    return [layout.main.parent] + [p for p in layout.data_folders() if p.is_dir()]


def _partial(backup: Path) -> Path:
    return backup.with_name(backup.name + ".partial")


def _keep_copy(layout: Layout, backup: Path) -> None:
    """A copy of the main file and the journal's folder, renamed into place when whole."""
    partial = _partial(backup)
    shutil.rmtree(partial, ignore_errors=True)
    os.mkdir(partial, DIR_MODE)
    os.chmod(partial, DIR_MODE)
    if layout.main.is_file():
        shutil.copy2(layout.main, partial / layout.main.name)
    if layout.parts.is_dir():
        shutil.copytree(layout.parts, partial / layout.parts.name, symlinks=True,
                        ignore=lambda _d, names: [n for n in names if is_temp_name(n)])  # fmt: skip
    fsync_dir(partial)
    os.replace(partial, backup)
    fsync_dir(backup.parent)


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
