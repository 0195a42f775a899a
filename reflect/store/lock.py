"""The journal's lock and readiness: who may read or write, and when the files are fit to.

One lock file per journal, flock'ed shared for reads and exclusive for writes, so several
reflect processes (the app, a script, a second terminal) can use one journal. Before
anyone reads, the journal must be ready: created or upgraded once per instance, and any
write a killed process left half done finished (see `engine`), under the exclusive lock.
"""

from __future__ import annotations

import errno
import os
import stat
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from reflect.paths import Layout
from reflect.store.errors import JournalBusy, JournalCorrupt, JournalError
from reflect.store.storage import FILE_MODE, CorruptFile, ensure_dir, read_tables, stale_temps

# Errors of the disk rather than of reflect: said in one line naming the file.
_DISK_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO)
# What writing to a journal one may only read gives.
_READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)


class LockTimeout(Exception):
    def __init__(self, path: Path, seconds: float):
        self.path = Path(path)
        super().__init__(f"{path}: still locked by another process after {seconds:.0f}s")


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

    def _open(self, exclusive: bool) -> int | None:
        """The lock file, never through a link and only a regular file. A reader of a
        journal it cannot write (a read-only folder or disk) locks the file read-only, or,
        when it cannot even be created, reads without it: nobody can write there either."""
        flags = os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            if exclusive:
                ensure_dir(self.path.parent)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | flags, FILE_MODE)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise OSError(exc.errno, "a symbolic link, not reflect's lock file", str(self.path)) from None
            if exclusive or exc.errno not in _READ_ONLY:
                raise OSError(exc.errno, exc.strerror, str(self.path)) from None
            try:
                fd = os.open(self.path, os.O_RDONLY | flags)
            except FileNotFoundError:
                return None
            except OSError as again:
                raise OSError(again.errno, again.strerror, str(self.path)) from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise OSError(errno.EINVAL, "not a regular file, so not reflect's lock file", str(self.path))
        return fd

    def _acquire(self, exclusive: bool) -> None:
        fd = self._open(exclusive)
        if fd is None:
            self._fd, self._exclusive = None, exclusive
            return
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
                        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
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

                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        finally:
            os.close(fd)


def _nothing() -> None:
    pass


class Gate:
    """Every entry to the journal's files: `reading()`, `writing()`, or `locked()` alone.

    `on_open` (create or upgrade the journal) and `on_pending` (finish an interrupted
    write) are what readiness runs; the journal wires them to migrate and the engine.
    """

    def __init__(self, layout: Layout, timeout: float = 30.0):
        self.layout = layout
        self.lock = FileLock(layout.lock, timeout=timeout)
        self.ready = False
        self.on_open: Callable[[], None] = _nothing
        self.on_pending: Callable[[], None] = _nothing

    @contextmanager
    def locked(self, exclusive: bool) -> Iterator[None]:
        """The lock, with what goes wrong on disk said as a JournalError."""
        path = self.layout.main
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            pass
        else:
            if not stat.S_ISREG(info.st_mode):  # a device, a folder: never opened, never chmod'ed
                raise JournalError(f"cannot use the journal at {path}: not a regular file")
        try:
            with self.lock.hold(exclusive):
                try:
                    yield
                except CorruptFile as exc:
                    raise JournalCorrupt(exc.path, exc.reason) from None
                except OSError as exc:
                    if exc.errno in _DISK_ERRORS:
                        raise JournalError(
                            f"cannot use the journal at {exc.filename or path}: {exc.strerror or exc}; "
                            "nothing was changed"
                        ) from exc
                    raise
        except LockTimeout as exc:
            raise JournalBusy(f"{path} is locked by another reflect process; try again in a moment") from exc
        except OSError as exc:
            if exc.filename == str(self.lock.path):  # a read-only folder, say
                raise JournalError(
                    f"cannot use the journal at {path}: its lock file cannot be opened ({exc.strerror or exc})"
                ) from exc
            raise

    @contextmanager
    def reading(self) -> Iterator[None]:
        # A pending intent (left by a killed writer) must be applied before anyone reads.
        # Writers remove their intent before they release the lock, so one seen under the
        # shared lock belongs to a writer that died meanwhile: finish it and look again.
        for _attempt in range(5):
            if not self.ready or os.path.lexists(self.layout.pending):
                try:
                    with self.locked(True):
                        self.prepare()
                except JournalError as exc:
                    if not self._readable_as_is(exc):
                        raise
            with self.locked(False):
                if os.path.lexists(self.layout.pending):
                    continue
                yield
                return
        raise JournalBusy(f"{self.layout.main} is being written; try again in a moment")

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self.locked(True):
            self.prepare()
            yield

    def _readable_as_is(self, exc: JournalError) -> bool:
        """A journal this process may not write (a read-only folder or disk) can still be
        read when it needs nothing done first: no write to finish, and the current schema."""
        cause = exc.__cause__
        if not (isinstance(cause, OSError) and cause.errno in _READ_ONLY):
            return False
        if os.path.lexists(self.layout.pending):
            return False
        from reflect.store import migrate  # the schema is migrate's to say

        try:
            main = read_tables(self.layout.main)
        except CorruptFile:
            return False
        return main is not None and migrate.version_of(main) == migrate.CURRENT

    def prepare(self) -> None:
        """Under the exclusive lock: create, upgrade, or finish an interrupted write."""
        # A committed write first: its staged temps are the write itself, so no sweep may
        # run before it is finished.
        if os.path.lexists(self.layout.pending):
            self.on_pending()
            self.sweep_temps()
        if not self.ready:
            ensure_dir(self.layout.main.parent)
            self.on_open()
            self.sweep_temps()
            self.ready = True

    def stale_temps(self) -> list[Path]:
        """Temp files a killed writer left (only meaningful under the exclusive lock)."""
        ours = stale_temps(self.layout.data_folders())
        # Beside the main file only our own temps: the folder may be shared with other programs.
        mine = f".{self.layout.main.name}."
        return ours + [p for p in stale_temps([self.layout.main.parent]) if p.name.startswith(mine)]

    def sweep_temps(self) -> None:
        """Remove temp files a killed writer left (exclusive lock held: none is live)."""
        for tmp in self.stale_temps():
            try:
                tmp.unlink()
            except OSError:
                pass
