"""Plumbing shared by every command: the journal from --db, one-line errors, stderr.

stdout carries data only; every message, warning and prompt goes to stderr, so
`reflect export | jq` always works. Any error the user can act on becomes one line
on stderr naming the problem, and a non-zero exit (2 for bad input, 1 otherwise).
"""

from __future__ import annotations

import functools
import io
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, TextIO, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

EXIT_ERROR = 1
EXIT_BAD_INPUT = 2


class ReflectContext:
    """What a command needs from the group: where the journal is, opened on first use."""

    def __init__(self, db: str | None = None):
        self.db = db
        self._journal = None

    @property
    def journal(self):  # -> reflect.store.Journal (imported lazily: keep start-up light)
        if self._journal is None:
            from reflect.store import Journal

            self._journal = Journal(self.db)
        return self._journal


pass_rctx = click.make_pass_decorator(ReflectContext, ensure=True)


def say(message: str) -> None:
    """A message for the person (stderr)."""
    click.echo(message, err=True)


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def fail(message: str, code: int = EXIT_ERROR) -> None:
    """Stop with one line on stderr."""
    click.echo(f"reflect: {message}", err=True)
    sys.exit(code)


class OneLineUsageError(click.UsageError):
    """A usage error shown as one line on stderr (click's own shows usage, a hint and a
    blank line): bad input to reflect is always one line naming the problem."""

    def __init__(self, exc: click.UsageError):
        super().__init__(exc.format_message(), exc.ctx)
        self.exit_code = exc.exit_code

    def show(self, file: Any = None) -> None:
        path = self.ctx.command_path.split()[1:] if self.ctx is not None else []
        where = " ".join(["reflect", *path])
        click.echo(f"reflect: {self.format_message()} (see `{where} --help`)", err=True)


def _one_line(exc: click.UsageError) -> click.UsageError:
    if isinstance(exc, (OneLineUsageError, click.exceptions.NoArgsIsHelpError)):
        return exc
    return OneLineUsageError(exc)


class ReflectGroup(click.Group):
    """The command group, with usage errors (here and in every subcommand) on one line."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as exc:
            raise _one_line(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _one_line(exc) from None


def _set_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(ReflectContext).db = value


def db_option(fn: F) -> F:
    """`--db PATH` after the command name too (`reflect list --db x`), as well as before it.

    The group reads REFLECT_DB; this option only overrides it when given."""
    return click.option(
        "--db",
        metavar="PATH",
        expose_value=False,
        is_eager=True,
        callback=_set_db,
        help="Journal file to use (overrides REFLECT_DB).",
    )(fn)


def handle_errors(fn: F) -> F:
    """Turn the errors a person can act on into one line and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from reflect.export import ImportFormatError
        from reflect.model import ValidationError
        from reflect.store import JournalError

        try:
            return fn(*args, **kwargs)
        except JournalError as exc:
            fail(str(exc), EXIT_ERROR)
        except (ValidationError, ImportFormatError) as exc:
            fail(str(exc), EXIT_BAD_INPUT)
        except BrokenPipeError:  # `reflect export | head`
            _silence_stdout()
            sys.exit(0)
        except OSError as exc:  # a file we were asked to write or read
            where = f"{exc.filename}: " if exc.filename else ""
            fail(f"{where}{exc.strerror or exc}", EXIT_ERROR)

    return wrapper  # type: ignore[return-value]


def _silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so the exit flush cannot complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


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
    target = Path(path).expanduser()
    folder = target.parent
    if target.is_dir():
        fail(f"{target}: is a folder; give a file name", EXIT_BAD_INPUT)
    if not folder.is_dir():
        fail(f"{target}: folder {folder} does not exist", EXIT_BAD_INPUT)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as f:
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
    from reflect.dates import DateError, parse_when

    try:
        return parse_when(value, end=end)
    except DateError as exc:
        fail(f"{option}: {exc}", EXIT_BAD_INPUT)
    raise AssertionError("unreachable")
