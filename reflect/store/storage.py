"""Atomic file storage: the disk primitives the journal is built on (the one `atomic_write`).

TinyDB's own JSONStorage truncates and rewrites the file in place, so a crash or a
kill mid-write leaves half a file. Here every write goes to a new temp file in the same
folder (created exclusively, never through a link), is flushed and fsynced, and is
renamed over the original; the folder is fsynced so the rename survives a power cut.

A file kept with backups gets a second, independent copy of the same bytes as its
backup 1 (older versions shift to 2, 3): the newest backup always equals the file as
last written, so restoring it loses nothing acknowledged, and a file written once has
a backup. The copy is its own inode (not a hard link), so damage done to the file in
place does not reach it. A file that does not parse, or is not a regular file, is
reported, never overwritten.

Every byte goes through `codec` on its way: `stage` (and so `atomic_write`) encrypts a
journal file when its journal is encrypted, `read_bytes` decrypts any age file, so the
layers above only ever see plain JSON (`plain=True` and `read_raw` bypass it for the
files that are not the journal's: the sealed identity, the marker, a conversion).
"""

from __future__ import annotations

import errno
import json
import os
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reflect.domain.jsonscan import Scanner
from reflect.paths import backup_name, is_temp_name, temp_path
from reflect.store import codec

FILE_MODE = 0o600
DIR_MODE = 0o700
KEEP_BACKUPS = 3  # rotating copies of each journal file: 1 is the file as last written
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class CorruptFile(Exception):
    """A data file exists but does not parse. Never overwrite it; report it by name."""

    def __init__(self, path: Path, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def ensure_dir(path: Path) -> None:
    """Create a folder and every missing parent, each readable by the owner only (whatever
    the umask); folders that already exist are left as they are."""
    path = Path(path)
    missing: list[Path] = []
    probe = path
    while not probe.is_dir():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, DIR_MODE)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue
        os.chmod(folder, DIR_MODE)  # mkdir's mode is masked by the umask; chmod is not


def fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def open_new(path: Path) -> int:
    """A new file at `path`, opened for writing with mode 0600: created exclusively and never
    through a symbolic link. Something already there under this name (a temp a killed
    process of the same pid left, or a link planted there) is removed first, not followed."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    try:
        return os.open(path, flags, FILE_MODE)
    except FileExistsError:
        os.unlink(path)  # removes a link itself, never its target
        return os.open(path, flags, FILE_MODE)


def _write_new(path: Path, data: bytes) -> None:
    """Write `data` to a new file `path` (see `open_new`), fsynced; removed on any failure."""
    fd = open_new(path)
    try:
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, FILE_MODE)  # the umask may have taken bits away; never adds any
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        try:
            os.unlink(path)
        except OSError:
            pass
        raise


@dataclass
class Staged:
    """A file written whole under a temp name, waiting to be renamed into place (with its
    backup copy, when kept). Nothing the journal reads has changed yet."""

    path: Path
    temp: Path
    backup: Path | None = None  # the temp holding backup 1's copy
    backup_dir: Path | None = None
    keep: int = 0

    def temps(self) -> list[Path]:
        return [p for p in (self.temp, self.backup) if p is not None]

    def discard(self) -> None:
        for p in self.temps():
            try:
                p.unlink()
            except OSError:
                pass


def _named(exc: OSError, path: Path, temps: list[Path]) -> OSError:
    """The error naming the file the caller asked for, not our temp file beside it."""
    if exc.filename in {str(t) for t in temps} or exc.filename is None:
        return OSError(exc.errno, exc.strerror, str(path))
    return exc


def stage(
    path: Path, data: bytes, *, backup_dir: Path | None = None, keep: int = 0, plain: bool = False
) -> Staged:
    """Write `data` (and, with `keep`, its backup copy) under temp names beside where they
    go, encrypted when the journal is (not with `plain`). On any failure nothing is left
    behind and nothing the journal reads has changed."""
    path = Path(path)
    if not plain:
        data = codec.encode(path, data)  # before any file exists: the temp is never plaintext
    pid, tid = os.getpid(), threading.get_ident()
    staged = Staged(path, temp_path(path, pid, tid))
    if backup_dir is not None and keep > 0:
        staged.backup_dir, staged.keep = backup_dir, keep
        staged.backup = temp_path(backup_dir / backup_name(path, 1), pid, tid)
    try:
        ensure_dir(path.parent)
        _write_new(staged.temp, data)
        if staged.backup is not None:
            ensure_dir(staged.backup.parent)
            _write_new(staged.backup, data)
    except BaseException as exc:
        staged.discard()
        if isinstance(exc, OSError):
            raise _named(exc, path, staged.temps()) from exc
        raise
    return staged


def install(path: Path, temp: Path, backup: Path | None, backup_dir: Path | None, keep: int) -> bool:
    """Rename a staged file (and its backup copy) into place, shifting older backups up.

    Renames only, so it needs no free space and can be repeated after a kill: a temp that
    is gone was installed already. True when something was renamed."""
    did = False
    if backup is not None and backup_dir is not None and os.path.lexists(backup):
        rotate_backups(path, backup_dir, keep)
        os.replace(backup, backup_dir / backup_name(path, 1))
        did = True
    if os.path.lexists(temp):
        os.replace(temp, path)
        did = True
    return did


def commit(staged: Staged) -> None:
    install(staged.path, staged.temp, staged.backup, staged.backup_dir, staged.keep)


def rotate_backups(path: Path, backup_dir: Path, keep: int) -> None:
    """Shift the backups of `path` one up (1 -> 2 ... keep-1 -> keep), freeing slot 1."""
    for n in range(keep - 1, 0, -1):
        src = backup_dir / backup_name(path, n)
        if os.path.lexists(src):
            os.replace(src, backup_dir / backup_name(path, n + 1))


def atomic_write(
    path: Path, data: bytes, *, backup_dir: Path | None = None, keep: int = 0, plain: bool = False
) -> None:
    """Replace `path` with `data` so that a reader sees the old file or the new, never half;
    with `keep`, backup 1 becomes a copy of `data` and older backups shift up.

    On any failure (a full disk, a kill before the rename) the original is untouched and
    the temp files are removed where the process lives to do it.
    """
    staged = stage(Path(path), data, backup_dir=backup_dir, keep=keep, plain=plain)
    try:
        commit(staged)
    except BaseException as exc:
        staged.discard()
        if isinstance(exc, OSError):
            raise _named(exc, Path(path), staged.temps()) from exc
        raise
    fsync_dir(Path(path).parent)
    if backup_dir is not None and keep > 0:
        fsync_dir(backup_dir)


def read_bytes(path: Path) -> bytes | None:
    """A journal file's bytes, decrypted when it is encrypted, or None when it does not
    exist (see `read_raw`). An age file this process holds no identity for is
    `codec.Locked`; one that does not decrypt is CorruptFile."""
    raw = read_raw(path)
    return None if raw is None else decode(raw, path)


def decode(raw: bytes, path: Path) -> bytes:
    """Bytes read from `path` (already, or through a snapshot's open file) as plain bytes."""
    try:
        return codec.decode(raw, path)
    except codec.Undecryptable:
        raise CorruptFile(path, "an encrypted file that does not decrypt (damaged or truncated?)") from None


def read_raw(path: Path) -> bytes | None:
    """A file's bytes as on disk, or None when it does not exist. Never through a symbolic
    link, and only from a regular file: anything else there is CorruptFile."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise CorruptFile(path, "a symbolic link, not a file reflect wrote") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise CorruptFile(path, "not a regular file")
        chunks: list[bytes] = []
        while True:
            chunk = os.read(fd, max(info.st_size, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def parse_json(raw: bytes, path: Path) -> Any:
    """A file's bytes (read already, or from a snapshot) parsed; anything unreadable is
    CorruptFile naming `path`."""
    if not raw.strip():
        raise CorruptFile(path, "the file is empty (truncated?)")
    try:
        return json.loads(raw)
    except UnicodeDecodeError as exc:
        raise CorruptFile(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise CorruptFile(path, f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None


def read_json(path: Path) -> Any | None:
    """The parsed file, or None when it does not exist. Anything unreadable is CorruptFile."""
    raw = read_bytes(path)
    return None if raw is None else parse_json(raw, path)


def read_tables(path: Path) -> dict[str, dict[str, Any]] | None:
    """A TinyDB file as parsed: an object of tables, each an object of documents (None
    when the file does not exist)."""
    data = read_json(path)
    return None if data is None else check_tables(data, path)


def check_tables(data: Any, path: Path) -> dict[str, dict[str, Any]]:
    """`data` if it is an object of tables, each an object of documents.

    Valid JSON of another shape (a list, a table that is a number) is as corrupt as a
    torn file: TinyDB would crash on it, or a write would silently drop it.
    """
    if not isinstance(data, dict):
        raise CorruptFile(path, "not a TinyDB document (expected a JSON object)")
    for name, table in data.items():
        if not isinstance(table, dict) or not all(isinstance(doc, dict) for doc in table.values()):
            raise CorruptFile(path, f"table {name!r} is not an object of documents")
    return data


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _scan_table(text: str, table: str) -> tuple[list[tuple[dict[str, Any], str]], bool]:
    """Each document of one table with its exact JSON text, in one pass of the C scanner,
    and whether the file was compact (no whitespace between tokens), the layout reflect
    writes. Raises ValueError/IndexError on anything unexpected."""
    out: list[tuple[dict[str, Any], str]] = []
    scan = Scanner(text)
    for name in scan.members():
        if name == table:
            for _ in scan.members():
                doc, start, end = scan.value()
                if not isinstance(doc, dict):
                    raise ValueError("document is not an object")
                out.append((doc, text[start:end]))
    scan.end()
    return out, not scan.spaced


def read_table_text(path: Path, table: str) -> list[tuple[dict[str, Any], str]] | None:
    """The documents of one table with their JSON text, or None when the file is missing.

    A file written by reflect holds compact JSON, so the text is exactly what
    `json.dumps(doc, ensure_ascii=False, separators=(",", ":"))` gives. A file of another
    layout (TinyDB's own spacing, say) is read normally and its documents re-encoded, so
    the text is always that canonical form; anything unreadable is CorruptFile.
    """
    raw = read_bytes(path)
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8")
        pairs, compact = _scan_table(text, table)
    except (ValueError, IndexError):
        data = read_tables(path)  # raises CorruptFile with the precise reason
        return [(doc, _ENCODE(doc)) for doc in ((data or {}).get(table) or {}).values()]
    if not compact:
        # Written with other spacing (TinyDB's own storage): the documents' text may be
        # spaced too, so give the canonical encoding instead.
        return [(doc, _ENCODE(doc)) for doc, _ in pairs]
    return pairs


def stale_temps(folders: list[Path]) -> list[Path]:
    """Temp files left by a killed writer. Only call with the journal's exclusive lock
    held: then no live writer owns any of them."""
    out: list[Path] = []
    for folder in folders:
        try:
            names = os.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            continue
        out += [folder / n for n in names if is_temp_name(n)]
    return out


def write_json(path: Path, data: Any, *, backup_dir: Path | None = None, keep: int = 0) -> None:
    atomic_write(path, dumps(data), backup_dir=backup_dir, keep=keep)
