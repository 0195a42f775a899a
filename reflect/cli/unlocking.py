"""The passphrase on the terminal, and a journal's key opened for a command.

The prompt is on stderr with no echo (click's hidden prompt, read from the terminal even
when stdin is a pipe of data); with no terminal and no `REFLECT_PASSPHRASE_FILE` the
command stops with one line saying how to give it. A wrong passphrase is one line and
exit 2, before anything is written. (Its own one-line `fail`: `kit` opens the journal
through here, so this module cannot import `kit` back.)
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, NoReturn

import click

if TYPE_CHECKING:
    from reflect.store.identity import Keys


EXIT_BAD_INPUT = 2


def say(message: str) -> None:
    from reflect.domain.terminal import escape

    click.echo(escape(message, keep_lines=False), err=True)


def fail(message: str, code: int = 1) -> NoReturn:
    from reflect.domain.terminal import one_line

    click.echo(f"reflect: {one_line(message)}", err=True)
    sys.exit(code)


def terminal_available() -> bool:
    if sys.stdin is not None and sys.stdin.isatty():
        return True
    try:
        fd = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        return False
    os.close(fd)
    return True


def ask_terminal(attempt: int) -> str:
    """One no-echo prompt on the terminal (stderr); `attempt` > 1 says the last was wrong."""
    from reflect.passphrase import NoPassphrase

    if not terminal_available():
        raise NoPassphrase()
    if attempt > 1:
        say("that passphrase does not open the identity; try again")
    return str(click.prompt("Passphrase", hide_input=True, err=True, default="", show_default=False))


def ask_new(what: str = "New passphrase", env: str = "REFLECT_PASSPHRASE_FILE") -> str:
    """A new passphrase, typed twice on the terminal, or the first line of the file the
    variable `env` names (scripts, tests)."""
    from reflect.passphrase import NoPassphrase, PassphraseError, from_file

    try:
        given = from_file(env)
    except PassphraseError as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    if given is not None:
        return given
    if not terminal_available():
        fail(str(NoPassphrase(env)), EXIT_BAD_INPUT)
    for _ in range(3):
        first = str(click.prompt(what, hide_input=True, err=True, default="", show_default=False))
        if not first:
            say("the passphrase cannot be empty")
            continue
        second = str(click.prompt("Type it again", hide_input=True, err=True, default="", show_default=False))
        if first == second:
            return first
        say("the two do not match; try again")
    fail("no passphrase was set; nothing was changed", EXIT_BAD_INPUT)


def unlock_failed(exc: Exception) -> NoReturn:
    """One line for each way opening the identity fails; exit 2, nothing written."""
    from reflect.passphrase import PassphraseError
    from reflect.store import identity

    if isinstance(exc, identity.WrongPassphrase):
        fail("the passphrase does not open the identity; nothing was changed", EXIT_BAD_INPUT)
    if isinstance(exc, identity.NoIdentity):
        fail(f"the journal is encrypted but its identity is missing ({exc.path}): restore your copy of it "
             "there, or name it in REFLECT_IDENTITY", EXIT_BAD_INPUT)  # fmt: skip
    if isinstance(exc, (PassphraseError, identity.IdentityError)):
        fail(str(exc), EXIT_BAD_INPUT)
    raise exc


def open_keys_or_fail(db: str | None) -> None:
    """Unlock the journal's identity for this process when the journal is encrypted."""
    from reflect.passphrase import PassphraseError
    from reflect.root import open_keys
    from reflect.store import identity

    try:
        open_keys(db, ask_terminal)
    except (identity.IdentityError, PassphraseError) as exc:
        unlock_failed(exc)
    except ValueError as exc:  # the marker itself is damaged
        fail(f"the journal's encryption marker: {exc}", 1)


def identity_keys_or_fail() -> Keys:
    """The person's own identity unlocked (a sealed packet to read, say), whatever the journal."""
    from reflect.passphrase import PassphraseError
    from reflect.root import unlock_identity
    from reflect.store import identity

    try:
        return unlock_identity(ask_terminal)
    except (identity.IdentityError, PassphraseError) as exc:
        unlock_failed(exc)
