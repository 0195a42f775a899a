"""`reflect import`: an adapter over `reflect.usecases.importing`.

Reads FILE or stdin (the one input a command reads itself), then parses, writes with
Ctrl-C held until the write is whole, and says what happened on stderr.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TextIO

import click

from reflect.cli.keys import identity_option
from reflect.cli.kit import (
    EXIT_BAD_INPUT,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    ReflectContext,
    fail,
    handle_errors,
    interrupt_deferred,
    pass_rctx,
    say,
    warn,
)

if TYPE_CHECKING:
    from reflect.usecases.importing import Notes
    from reflect.store import ImportResult


PROGRESS_AFTER = 1.0  # seconds into an import before its progress shows: a fast import says nothing
clock: Callable[[], float] = time.monotonic  # the progress line's clock (a test gives its own)


class ProgressLine:
    """How far a long import is, on stderr, for `Journal.import_records(progress=...)`.

    Nothing until the import has run PROGRESS_AFTER seconds, so a fast import prints only
    its summary. On a terminal one line is rewritten in place (`\r`) as the share grows;
    elsewhere (a log, a pipe) a single line once the work is done, never a stream of
    carriage returns, written by `close` so that an interrupted import still ends in one
    line. stdout is left alone: it may carry data.
    """

    def __init__(self, stream: TextIO | None, *, label: str, after: float = PROGRESS_AFTER,
                 now: Callable[[], float] | None = None) -> None:  # fmt: skip
        self._stream = stream
        self._tty = bool(stream is not None and getattr(stream, "isatty", lambda: False)())
        self._label = label
        self._after = after
        self._now = now or clock
        self._start = self._now()
        self._shown = -1  # the share reached once past the first second, in percent
        self._open = False  # a terminal line written without its newline

    def __call__(self, done: int, total: int) -> None:
        if self._stream is None or total <= 0 or self._now() - self._start < self._after:
            return
        share = min(done * 100 // total, 100)
        if self._tty:
            if share != self._shown:
                self._write(f"\r{self._label} {share}%")
                self._open = True
        self._shown = share

    def close(self, *, final: bool = True) -> None:
        """End the terminal line, so what follows (the summary, an error) starts its own;
        elsewhere write the one final line of a long import that came to its end. Not
        `final` (interrupted): the terminal line is blanked and no final line written, so
        the one line that says how it ended stands alone."""
        if self._open:  # interrupted: blanked, for the message that says how it ended
            self._write("\n" if final else "\r" + " " * (len(self._label) + 5) + "\r")
            self._open = False
        elif final and not self._tty and self._shown == 100:
            self._write(f"{self._label} 100%\n")
        self._shown = -1

    def _write(self, text: str) -> None:
        assert self._stream is not None
        click.echo(text, file=self._stream, nl=False)


def _read_source(source: str, identity_file: str | None = None) -> tuple[str, str]:
    """The text to import and the name to use in messages. A sealed packet (an age file)
    is opened with the person's identity, or `identity_file`."""
    if source == "-":
        stdin = sys.stdin
        name = "<stdin>"
        if stdin is None:  # started with stdin closed (`reflect import - <&-`)
            fail(f"{name}: no standard input to read (it is closed)", EXIT_BAD_INPUT)
        data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode("utf-8")
    else:
        name = source
        try:
            with open(source, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            fail(f"{source}: no such file", EXIT_BAD_INPUT)
        except IsADirectoryError:
            fail(f"{source}: is a folder, not a file to import", EXIT_BAD_INPUT)
        except PermissionError:
            fail(f"{source}: permission denied", EXIT_BAD_INPUT)
    from reflect.usecases import packets

    if packets.is_sealed(data):
        from reflect.cli.keys import unlock_keys

        return packets.open_bytes(data, unlock_keys(identity_file), source=name), name
    try:
        return data.decode("utf-8"), name
    except UnicodeDecodeError as exc:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            fail(f"{name}: UTF-16 text; save it as UTF-8 and import again", EXIT_BAD_INPUT)
        fail(f"{name}: not UTF-8 text (byte {exc.start + 1})", EXIT_BAD_INPUT)
    raise AssertionError("unreachable")


CHUNK = 1 << 20  # bytes of a file read at a time: the input is never held whole


def _open_source(source: str, identity_file: str | None) -> tuple[Iterable[str], Callable[[], str], str, int]:
    """The input as chunks of text, a way to have it whole (for the parse that names what
    is wrong, or reads a shape the streamed read leaves to it), its name in messages, and
    its size (for progress). A plain file is read a chunk at a time; stdin and a sealed
    packet (opened with the person's identity) are read whole first, as `_read_source` says."""
    if source != "-":
        head, size = None, 0
        try:
            if stat.S_ISREG(os.stat(source).st_mode):  # a pipe (`<(...)`) is read once, whole
                with open(source, "rb") as f:
                    head = f.read(1 << 16)
                    size = os.fstat(f.fileno()).st_size
        except OSError:  # missing, a folder, not allowed: `_read_source` says which
            pass
        from reflect.usecases import packets

        if head is not None and not packets.is_sealed(head):
            return _file_chunks(source), lambda: _read_source(source, identity_file)[0], source, size
    text, name = _read_source(source, identity_file)
    return (text,), lambda: text, name, len(text)


def _file_chunks(path: str) -> Iterator[str]:
    """A file's text, decoded as UTF-8 a chunk at a time (bad UTF-8 raises; the caller
    then reads it whole through `_read_source`, which names the byte)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            yield decoder.decode(chunk)
    yield decoder.decode(b"", final=True)


@click.command("import")
@click.argument("source", metavar="FILE|-")
@click.option("--replace", is_flag=True, help="Overwrite records whose id is already in the journal with other content.")
@click.option("--dry-run", is_flag=True, help="Validate and report what would happen; write nothing.")
@identity_option
@pass_rctx
@handle_errors
def import_(rctx: ReflectContext, source: str, replace: bool, dry_run: bool, identity_file: str | None) -> None:
    """Import entries from FILE (or - for stdin).

    Accepts an export document, a JSON array of entries, one entry object, or JSON Lines,
    plain or in a sealed packet (opened with your identity, or --identity FILE).
    Everything is validated first: one bad record rejects the whole input, naming its
    position and the reason, and nothing is written. Importing the same entry again
    changes nothing; the same id with other content is refused unless --replace.
    Counts and warnings go to stderr. A dry run that would be refused exits 1.
    """
    from reflect.usecases import importing

    chunks, whole, name, size = _open_source(source, identity_file)  # a packet's passphrase is asked for here
    progress = ProgressLine(sys.stderr, label="checking…" if dry_run else "importing…")  # timed from here
    journal = rctx.journal
    prepared = importing.read(
        journal, chunks, source=name, whole=whole, progress=lambda read: progress(read, 3 * max(size, 1))
    )  # read one entry at a time: never the whole text, nor its entries as objects
    notes = prepared.notes
    # Ctrl-C before this point leaves the journal as it was (handle_errors says so).
    # During the write it is held until the write is whole: all of the import, never part.
    with interrupt_deferred() as interrupted:  # till the end: the summary is the news
        try:
            result = importing.write(journal, prepared, replace=replace, dry_run=dry_run, progress=progress)
        finally:
            progress.close(final=not interrupted)
        during_write = bool(interrupted)
        if not during_write:
            _report_import(notes, result, replace=replace, dry_run=dry_run)
    if during_write:
        if dry_run:
            fail("interrupted; nothing was written", EXIT_INTERRUPTED)
        fail(f"interrupted; the import was finished first, so the journal stays whole: {importing.summary(result)}",
             EXIT_INTERRUPTED)  # fmt: skip
    if interrupted:  # while the summary was written: it is on stderr already
        sys.exit(EXIT_INTERRUPTED)


def _report_import(notes: Notes, result: ImportResult, *, replace: bool, dry_run: bool) -> None:
    """Identifier warnings (one line per entry or meeting, never the value), one line for entries
    dated in the future (a count), then the counts."""
    from reflect.usecases import importing

    for warning in notes.changed_warnings(result):
        warn(warning.line())
    future = notes.future_dated(result)
    if future is not None:
        warn(future.line())
    if dry_run:
        say(f"dry run, nothing written; would import {importing.summary(result)}")
        if result.conflicts and not replace:
            fail(
                f"the import would be refused: {len(result.conflicts)} record(s) already in the journal "
                "with different content (use --replace to overwrite them)",
                EXIT_ERROR,
            )
    else:
        say(f"imported {importing.summary(result)}")
