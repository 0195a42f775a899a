"""Atomic file storage: the disk primitives the journal is built on (the one `atomic_write`).

TinyDB's own JSONStorage truncates and rewrites the file in place, so a crash or a
kill mid-write leaves half a file. Here every write goes to a temp file in the same
folder, is flushed and fsynced, optionally keeps the old version as a rotating
backup (a hard link, so it costs no copy), and is renamed over the original; the
folder is fsynced so the rename survives a power cut. A file that does not parse is
reported, never overwritten.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from reflect.domain.jsonscan import Scanner
from reflect.paths import backup_name, is_temp_name, temp_path

FILE_MODE = 0o600
DIR_MODE = 0o700
KEEP_BACKUPS = 3  # rotating copies of each journal file's previous versions


class CorruptFile(Exception):
    """A data file exists but does not parse. Never overwrite it; report it by name."""

    def __init__(self, path: Path, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def ensure_dir(path: Path) -> None:
    """Create a folder (and parents) readable by the owner only."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
        try:
            os.chmod(path, DIR_MODE)
        except OSError:
            pass


def fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def rotate_backups(path: Path, backup_dir: Path, keep: int) -> None:
    """Keep the current version of `path` as backup 1, shifting older ones up to `keep`."""
    if keep <= 0 or not path.exists():
        return
    ensure_dir(backup_dir)
    for n in range(keep - 1, 0, -1):
        src = backup_dir / backup_name(path, n)
        if src.exists():
            os.replace(src, backup_dir / backup_name(path, n + 1))
    first = backup_dir / backup_name(path, 1)
    tmp = temp_path(first, os.getpid(), threading.get_ident())
    try:
        os.link(path, tmp)
    except OSError:
        tmp.write_bytes(path.read_bytes())
        os.chmod(tmp, FILE_MODE)
    os.replace(tmp, first)


def atomic_write(path: Path, data: bytes, *, backup_dir: Path | None = None, keep: int = 0) -> None:
    """Replace `path` with `data` so that a reader sees the old file or the new, never half.

    On any failure (a full disk, a kill before the rename) the original is untouched and
    the temp file is removed where the process lives to do it.
    """
    path = Path(path)
    ensure_dir(path.parent)
    tmp = temp_path(path, os.getpid(), threading.get_ident())
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    except OSError as exc:  # a read-only or full folder: name the file asked for
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    try:
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, FILE_MODE)  # a stale temp file keeps its old mode through O_TRUNC
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        if backup_dir is not None and keep > 0:
            rotate_backups(path, backup_dir, keep)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        if isinstance(exc, OSError) and exc.filename == str(tmp):
            # Name the file the caller asked for, not our temp file beside it.
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    fsync_dir(path.parent)


def dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def read_json(path: Path) -> Any | None:
    """The parsed file, or None when it does not exist. Anything unreadable is CorruptFile."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return None
    if not raw.strip():
        raise CorruptFile(path, "the file is empty (truncated?)")
    try:
        return json.loads(raw)
    except UnicodeDecodeError as exc:
        raise CorruptFile(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise CorruptFile(path, f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None


def read_tables(path: Path) -> dict[str, dict[str, Any]] | None:
    """A TinyDB file as parsed: an object of tables, each an object of documents.

    Valid JSON of another shape (a list, a table that is a number) is as corrupt as a
    torn file: TinyDB would crash on it, or a write would silently drop it.
    """
    data = read_json(path)
    if data is None:
        return None
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
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
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
