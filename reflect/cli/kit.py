"""Plumbing shared by every command: the journal from --db, one-line errors, stderr.

stdout carries data only; every message, warning and prompt goes to stderr, so
`reflect export | jq` always works. Any error the user can act on becomes one line
on stderr naming the problem, and a non-zero exit (2 for bad input, 1 otherwise).
"""

from __future__ import annotations

import errno
import functools
import io
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, NoReturn, TextIO, TypeVar

import click

from reflect.cli.opening import journal_location_problem
from reflect.domain.years import MAX_YEAR, MIN_YEAR  # the one range of dates reflect holds

if TYPE_CHECKING:
    from reflect.store import Journal

F = TypeVar("F", bound=Callable[..., Any])

EXIT_ERROR = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


class ReflectContext:
    """What a command needs from the group: where the journal is, opened on first use."""

    def __init__(self, db: str | None = None):
        self.db = db
        self._journal: Journal | None = None

    @property
    def journal(self) -> Journal:
        """The journal at --db, opened by the composition root on first use (the store is
        imported then, not at start-up: completion and --help stay light)."""
        if self._journal is None:
            from reflect.root import open_journal

            from reflect.cli.unlocking import open_keys_or_fail

            check_journal_location(self.db)
            open_keys_or_fail(self.db)  # an encrypted journal: its identity, once per process
            self._journal = open_journal(self.db)
        return self._journal


def check_journal_location(db: str | None) -> None:
    """Refuse a journal location that cannot work, in one line, before anything is created
    (`opening.journal_location_problem` says why)."""
    problem = journal_location_problem(db)
    if problem is not None:
        fail(problem, EXIT_BAD_INPUT)


pass_rctx = click.make_pass_decorator(ReflectContext, ensure=True)


def say(message: str) -> None:
    """A message for the person (stderr): one line, control characters escaped."""
    from reflect.domain.terminal import escape

    click.echo(escape(message, keep_lines=False), err=True)


def warn(message: str) -> None:
    """A warning (stderr): one line of bounded length, control characters escaped."""
    from reflect.domain.terminal import one_line

    click.echo(f"warning: {one_line(message)}", err=True)


def exit_if_damaged(damaged: Iterable[Path | str]) -> None:
    """After a command gave what it could: name each file it could not read (missing or
    damaged) and exit 1, so a read never looks complete while something is left out."""
    named = list(dict.fromkeys(str(p) for p in damaged))
    for path in named:
        warn(f"{path} is missing or damaged: what it holds was left out. "
             "Run `reflect doctor` to see the journal's state, `reflect doctor --repair` to restore it.")  # fmt: skip
    if named:
        sys.exit(EXIT_ERROR)


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    """Stop with one line on stderr (exits: never returns): bounded in length, control
    characters escaped, whatever the message quotes (a key, an id, a file name)."""
    from reflect.domain.terminal import one_line

    click.echo(f"reflect: {one_line(message)}", err=True)
    sys.exit(code)


def plural(n: int, word: str) -> str:
    """ "1 entry", "3 entries", "2 meetings"."""
    if n == 1:
        return f"1 {word}"
    return f"{n} {word[:-1] + 'ies' if word.endswith('y') else word + 's'}"


def complete_entry_id(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of entry ids from the newest entries. Never creates a journal."""
    try:
        from reflect import paths
        from reflect.root import open_journal

        db = ctx.find_root().params.get("db")
        if not paths.journal_path(db).exists():
            return []
        return [e.id for e in open_journal(db).recent(200) if e.id.startswith(incomplete)]
    except Exception:  # noqa: BLE001 - completion must never print a traceback
        return []


class OneLineUsageError(click.UsageError):
    """A usage error shown as one line on stderr (click's own shows usage, a hint and a
    blank line): bad input to reflect is always one line naming the problem."""

    def __init__(self, exc: click.UsageError):
        super().__init__(exc.format_message(), exc.ctx)
        self.exit_code = exc.exit_code  # type: ignore[misc]  # click declares it on the class

    def show(self, file: Any = None) -> None:
        """One line of bounded length (`one_line`), with any identifier a value typed on
        the command line holds (`--competency 555-123-4567`) masked by its kind."""
        from reflect.domain.terminal import one_line

        path = self.ctx.command_path.split()[1:] if self.ctx is not None else []
        where = " ".join(["reflect", *path])
        hint = f" (see `{where} --help`)"
        click.echo(f"reflect: {one_line(_masked_typed(self.format_message()), max(LINE_LIMIT - len(hint), 80))}{hint}",
                   err=True)  # fmt: skip


def _one_line(exc: click.UsageError) -> click.UsageError:
    if isinstance(exc, (OneLineUsageError, click.exceptions.NoArgsIsHelpError)):
        return exc
    return OneLineUsageError(exc)


class ReflectGroup(click.Group):
    """The command group, with usage errors (here and in every subcommand) on one line,
    and `--db` given to every command added to it, so none can be left without.

    `lazy` names commands by "module:attribute", imported only when one is asked for
    (click's LazyGroup pattern): `reflect` with no command opens the app without importing
    every command's module first; `--help` and completion list them all, loading each."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, str] = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.add_command(_load_command(self.lazy[cmd_name]), cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """click's, with "Did you mean" drawn from every command, not only those loaded."""
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as exc:
            raise click.exceptions.NoSuchCommand(
                exc.command_name, possibilities=self.list_commands(ctx), ctx=ctx
            ) from None

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if not isinstance(cmd, click.Group) and not any(p.name == "db" for p in cmd.params):
            db_option(cmd)
        super().add_command(cmd, name)

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as exc:
            raise _one_line(exc) from None
        except KeyboardInterrupt:
            _interrupted()

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; Ctrl-C before its own handling begins (reading the options,
        importing the store) is the same one line as during it, not click's "Aborted!"."""
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _one_line(exc) from None
        except KeyboardInterrupt:
            _interrupted()

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """The last line of defence: whatever escapes a command (a full disk under
        `reflect --help > /dev/full`, a bug) is one line on stderr, never a traceback.
        REFLECT_DEBUG=1 lets it through for a developer."""
        try:
            return super().main(*args, **kwargs)
        except Exception as exc:
            if os.environ.get("REFLECT_DEBUG"):
                raise
            _fail_unexpected(exc)


def _load_command(spec: str) -> click.Command:
    """The command `spec` ("module:attribute") names, imported now."""
    import importlib

    module, _, attribute = spec.partition(":")
    command = getattr(importlib.import_module(module), attribute)
    if not isinstance(command, click.Command):
        raise TypeError(f"{spec} is not a click command")
    return command


def _fail_unexpected(exc: BaseException) -> NoReturn:
    if isinstance(exc, OSError):
        _fail_os_error(exc)
    _silence_stdout()
    fail(f"internal error ({type(exc).__name__}: {exc}); please report it (REFLECT_DEBUG=1 shows where)",
         EXIT_ERROR)  # fmt: skip


def _fail_os_error(exc: OSError) -> NoReturn:
    if exc.errno == errno.EPIPE:  # `reflect export | head`: the reader has all it wants
        _silence_stdout()
        sys.exit(0)
    if exc.filename:
        fail(f"{exc.filename}: {exc.strerror or exc}", EXIT_ERROR)
    # No file name: the write that failed was to stdout (a full disk, /dev/full).
    _silence_stdout()
    fail(f"cannot write the output: {exc.strerror or exc}", EXIT_ERROR)


def _set_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(ReflectContext).db = value


def db_option(fn: F) -> F:
    """`--db PATH` after the command name too (`reflect list --db x`), as well as before it.

    Without it, paths.journal_path reads REFLECT_DB; this option overrides it when given."""
    return click.option(
        "--db",
        metavar="PATH",
        expose_value=False,
        is_eager=True,
        callback=_set_db,
        help="Journal file to use (overrides REFLECT_DB).",
    )(fn)


MESSAGE_SCAN = 2000  # characters of a message masked: well past what one_line shows
LINE_LIMIT = 400  # terminal.LIMIT: the most one message line shows


def _masked(text: str) -> str:
    """`text` with each identifier masked by kind; only what `fail` can show is scanned
    (a 10 MB value costs nothing)."""
    from reflect.domain.masking import mask_identifiers

    cut = MESSAGE_SCAN
    return mask_identifiers(text[:cut]) + ("…" if len(text) > cut else "")


def typed(value: str) -> str:
    """A value typed on the command line, as a message may quote it: quoted, with any
    identifier in it masked by kind ('[phone]'), dates aside (a date typed to --since is
    what the message is about, not someone's birthday). Cut to what `fail` can show."""
    return repr(_masked_typed(value))


def _masked_typed(message: str) -> str:
    """A usage error's message with the identifiers in it masked, dates aside (`typed`)."""
    from reflect.domain.privacy import mask, scan_text

    text = message[:MESSAGE_SCAN]
    found = [f for f in scan_text("", text) if f.kind not in ("date", "dob")]
    return mask(text, found) + ("…" if len(message) > MESSAGE_SCAN else "")


def input_error(exc: Exception) -> str:
    """A refused input's message with each identifier it quotes masked by kind: it names
    the file, the position, the field and the kind (`setting: not one of…`), never a value
    that could identify someone. The validators name the kind, not the value; this mask is
    the second line of defence (a message from elsewhere that quotes one), applied here,
    once, for every command."""
    from reflect.domain.formats import ImportFormatError
    from reflect.domain.model import ValidationError

    masked = _masked
    if isinstance(exc, ImportFormatError):
        return ": ".join(p for p in (exc.source, exc.position, masked(exc.reason)) if p)
    if isinstance(exc, ValidationError):
        problem = masked(exc.problem)
        return f"{exc.path}: {problem}" if exc.path else problem
    return masked(str(exc))


def handle_errors(fn: F) -> F:
    """Turn the errors a person can act on into one line and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from reflect.domain.formats import ImportFormatError
        from reflect.domain.model import ValidationError
        from reflect.store import JournalError

        try:
            return fn(*args, **kwargs)
        except JournalError as exc:
            fail(str(exc), EXIT_ERROR)
        except (ValidationError, ImportFormatError) as exc:
            fail(input_error(exc), EXIT_BAD_INPUT)
        except OSError as exc:  # a file we were asked to write or read; a closed or full stdout
            _fail_os_error(exc)
        except KeyboardInterrupt:
            _interrupted()

    return wrapper  # type: ignore[return-value]


def _interrupted() -> NoReturn:
    _silence_stdout()
    fail("interrupted; nothing more was written", EXIT_INTERRUPTED)


def _silence_stdout() -> None:
    """After a closed pipe or a full disk, point stdout at /dev/null, so the flush of
    what is still buffered at exit cannot add a second complaint."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


@contextmanager
def interrupt_deferred() -> Iterator[list[int]]:
    """Hold Ctrl-C (SIGINT) while a write that must be whole runs; yields a list that
    holds the signal if one came. Outside the main thread, or when SIGINT is ignored or
    handled by someone else, it does nothing: the store's intent log still makes the
    write whole at the next open; this only makes it whole before the process ends."""
    caught: list[int] = []
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield caught
        return
    try:
        previous = signal.signal(signal.SIGINT, lambda signum, _frame: caught.append(signum))
    except (ValueError, OSError):
        yield caught
        return
    try:
        yield caught
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def data_out(*, newline: str | None = None) -> Iterator[TextIO]:
    """stdout as UTF-8 text whatever the locale, buffered for speed, for a command's data."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # an unusual stdout (a test harness): use it as it is
        yield sys.stdout
        sys.stdout.flush()
        return
    sys.stdout.flush()
    out = io.TextIOWrapper(buffer, encoding="utf-8", newline=newline, write_through=False)
    try:
        yield out
        out.flush()
    finally:
        out.detach()  # leave sys.stdout's buffer open


@contextmanager
def atomic_output(path: str | os.PathLike[str], *, newline: str | None = None) -> Iterator[TextIO]:
    """A file written whole or not at all: a temp file beside it (mode 0600, it holds
    journal text), fsync, then rename over the target. On any error the target is untouched."""
    with _atomic(path, lambda fd: os.fdopen(fd, "w", encoding="utf-8", newline=newline)) as f:
        yield f


def write_whole(path: str | os.PathLike[str], data: bytes) -> None:
    """`data` to `path` as `atomic_output` writes text: whole or not at all, mode 0600."""
    with _atomic(path, lambda fd: os.fdopen(fd, "wb")) as f:
        f.write(data)


@contextmanager
def _atomic(path: str | os.PathLike[str], opener: Callable[[int], Any]) -> Iterator[Any]:
    if not str(path).strip():
        fail("-o: the file name is empty (give a file, or leave -o out for stdout)", EXIT_BAD_INPUT)
    target = Path(path).expanduser()
    folder = target.parent
    if target.is_dir():
        fail(f"{target}: is a folder; give a file name", EXIT_BAD_INPUT)
    if not folder.is_dir():
        if folder.exists() or any(p.exists() and not p.is_dir() for p in folder.parents):
            fail(f"{target}: cannot be written: a file stands where its folder should be", EXIT_BAD_INPUT)
        fail(f"{target}: folder {folder} does not exist", EXIT_BAD_INPUT)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:  # a read-only folder: name the file asked for, not the temp file
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    try:
        with opener(fd) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def parse_date_option(value: str | None, option: str, *, end: bool = False) -> datetime | None:
    """A --since/--until value through dates.parse_when; an unreadable one is bad input."""
    if value is None:
        return None
    from reflect.domain.dates import DateError, parse_when

    try:
        when = parse_when(value, end=end)
    except DateError as exc:  # the value typed is never quoted whole: it may be anything
        said = str(exc)  # it quotes the value: masked where it holds an identifier
        for raw in {value, value.strip()}:
            said = said.replace(repr(raw), typed(raw))
        fail(f"{option}: {said}", EXIT_BAD_INPUT)
    except (ValueError, OverflowError):  # 0001-01-01 in a zone east of UTC has no local time
        when = None
    if when is None or not (MIN_YEAR <= when.year <= MAX_YEAR):
        fail(f"{option}: {typed(value)} is out of range (give a date between {MIN_YEAR} and {MAX_YEAR})", EXIT_BAD_INPUT)
    return when

