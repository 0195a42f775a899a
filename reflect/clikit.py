"""Plumbing shared by every command: the journal from --db, one-line errors, stderr.

stdout carries data only; every message, warning and prompt goes to stderr, so
`reflect export | jq` always works. Any error the user can act on becomes one line
on stderr naming the problem, and a non-zero exit (2 for bad input, 1 otherwise).
"""

from __future__ import annotations

import functools
import sys
from datetime import datetime
from typing import Any, Callable, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

EXIT_ERROR = 1
EXIT_BAD_INPUT = 2


class ReflectContext:
    """What a command needs from the group: where the journal is, opened on first use."""

    def __init__(self, db: str | None):
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


def handle_errors(fn: F) -> F:
    """Turn the errors a person can act on into one line and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from reflect.model import ValidationError
        from reflect.store import JournalError

        try:
            return fn(*args, **kwargs)
        except JournalError as exc:
            fail(str(exc), EXIT_ERROR)
        except ValidationError as exc:
            fail(str(exc), EXIT_BAD_INPUT)
        except BrokenPipeError:  # `reflect export | head`
            sys.stderr.close()
            sys.exit(0)

    return wrapper  # type: ignore[return-value]


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
