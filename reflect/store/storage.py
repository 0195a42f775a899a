"""Atomic, locked file storage: the disk primitives the journal is built on.

TinyDB's own JSONStorage truncates and rewrites the file in place, so a crash or a
kill mid-write leaves half a file. Here every write goes to a temp file in the same
folder, is flushed and fsynced, optionally keeps the old version as a rotating
backup (a hard link, so it costs no copy), and is renamed over the original; the
folder is fsynced so the rename survives a power cut. A file that does not parse is
reported, never overwritten.
"""

from __future__ import annotations

import errno
import json
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from tinydb.storages import Storage

FILE_MODE = 0o600
DIR_MODE = 0o700


class CorruptFile(Exception):
    """A data file exists but does not parse. Never overwrite it; report it by name."""

    def __init__(self, path: Path, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class LockTimeout(Exception):
    def __init__(self, path: Path, seconds: float):
        self.path = Path(path)
        super().__init__(f"{path}: still locked by another process after {seconds:.0f}s")


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


def backup_name(path: Path, n: int) -> str:
    return f"{path.name}.{n}"


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
    tmp = backup_dir / f".{first.name}.{os.getpid()}.{threading.get_ident()}.tmp"
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
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
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


_DECODER = json.JSONDecoder()
_SCANSTRING = json.decoder.scanstring
_WS = " \t\n\r"
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _scan_table(text: str, table: str) -> tuple[list[tuple[dict[str, Any], str]], bool]:
    """Each document of one table with its exact JSON text, in one pass of the C scanner.

    raw_decode parses one value and says where it ended, so the text of each document
    comes for free while it is parsed: export can pass stored entries through without
    encoding them again. Also says whether the file was compact (no whitespace between
    tokens), the layout reflect writes. Raises ValueError/IndexError on anything unexpected.
    """
    out: list[tuple[dict[str, Any], str]] = []
    spaced = False

    def _skip(text: str, i: int) -> int:
        nonlocal spaced
        start = i
        while text[i] in _WS:
            i += 1
        if i != start:
            spaced = True
        return i

    def _key(i: int) -> tuple[str, int]:
        """Read `"name" :` at i; return the name and where its value starts."""
        if text[i] != '"':
            raise ValueError("expected a key")
        name, i = _SCANSTRING(text, i + 1)
        i = _skip(text, i)
        if text[i] != ":":
            raise ValueError("expected ':'")
        return name, _skip(text, i + 1)

    def _after(i: int) -> int:
        """Past the whitespace after a value, and past a ',' if one follows; at '}' otherwise."""
        i = _skip(text, i)
        if text[i] == ",":
            i = _skip(text, i + 1)
            if text[i] == "}":
                raise ValueError("a ',' before '}'")  # json.loads refuses it too
            return i
        if text[i] != "}":
            raise ValueError("expected ',' or '}'")
        return i

    i = _skip(text, 0)
    if text[i] != "{":
        raise ValueError("not an object")
    i = _skip(text, i + 1)
    while text[i] != "}":
        name, i = _key(i)
        if name != table:
            _, i = _DECODER.raw_decode(text, i)
        else:
            if text[i] != "{":
                raise ValueError("table is not an object")
            i = _skip(text, i + 1)
            while text[i] != "}":
                _, i = _key(i)
                doc, end = _DECODER.raw_decode(text, i)
                if not isinstance(doc, dict):
                    raise ValueError("document is not an object")
                out.append((doc, text[i:end]))
                i = _after(end)
            i += 1
        i = _after(i)
    if text[i + 1 :].strip(_WS):
        raise ValueError("extra data after the object")
    return out, not spaced


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


TEMP_SUFFIX = ".tmp"


def is_temp_name(name: str) -> bool:
    """Names atomic_write and rotate_backups give their temp files: `.NAME.PID.TID.tmp`."""
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


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


class AtomicJSONStorage(Storage):
    """A TinyDB Storage that reads fresh on every call and writes atomically.

    Use it with a TinyDB opened per operation, under the journal's lock: TinyDB caches
    query results and the next document id per table instance, so a long-lived
    instance would miss another process's writes.
    """

    def __init__(self, path: str | os.PathLike[str], backup_dir: Path | None = None, keep: int = 0):
        super().__init__()
        self.path = Path(path)
        self.backup_dir = backup_dir
        self.keep = keep

    def read(self) -> dict[str, dict[str, Any]] | None:
        return read_tables(self.path)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        write_json(self.path, data, backup_dir=self.backup_dir, keep=self.keep)

    def close(self) -> None:
        pass


class FileLock:
    """A lock across processes (flock on a side file) and threads, re-entrant per thread.

    Shared for reads, exclusive for writes. A nested acquisition inside one already held
    by this thread is free; asking for exclusive inside shared is a programming error.
    """

    def __init__(self, path: Path, timeout: float = 30.0):
        self.path = Path(path)
        self.timeout = timeout
        self._thread_lock = threading.RLock()
        self._fd: int | None = None
        self._depth = 0
        self._exclusive = False

    @contextmanager
    def hold(self, exclusive: bool) -> Iterator[None]:
        with self._thread_lock:
            if self._depth:
                if exclusive and not self._exclusive:
                    raise RuntimeError("cannot take the journal lock for writing inside a read")
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._acquire(exclusive)
            self._depth = 1
            try:
                yield
            finally:
                self._depth = 0
                self._release()

    def _acquire(self, exclusive: bool) -> None:
        ensure_dir(self.path.parent)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        deadline = time.monotonic() + self.timeout
        try:
            if os.name == "posix":
                import fcntl

                op = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
                delay = 0.005
                while True:
                    try:
                        fcntl.flock(fd, op)
                        break
                    except OSError as exc:
                        if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                            raise
                        if time.monotonic() > deadline:
                            raise LockTimeout(self.path, self.timeout) from None
                        time.sleep(delay)
                        delay = min(delay * 2, 0.1)
            else:  # pragma: no cover - Windows: exclusive only
                import msvcrt

                while True:
                    try:
                        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                        break
                    except OSError:
                        if time.monotonic() > deadline:
                            raise LockTimeout(self.path, self.timeout) from None
                        time.sleep(0.05)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        self._exclusive = exclusive

    def _release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            if os.name == "posix":
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_UN)
            else:  # pragma: no cover
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        finally:
            os.close(fd)
