"""`reflect keys`: the person's age public key, and opening their identity for packets.

A supervisor runs `reflect keys` and gives the key it prints to the peers they supervise;
a peer stores it with `reflect config supervisor_key KEY`. The first run creates the
identity (`reflect.store.identity`), asking for a new passphrase.

`unlock_keys` is how the commands that read sealed packets (`import`, `review --from`)
open the identity: from `--identity FILE` (a plain age identity file), else the person's own
identity through the passphrase sources (`reflect.passphrase`, `cli.unlocking`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from reflect.cli.kit import EXIT_BAD_INPUT, F, ReflectContext, fail, handle_errors, pass_rctx, say

if TYPE_CHECKING:
    from reflect.store.identity import Keys


def unlock_keys(identity_file: str | None) -> Keys:
    """The keys that open packets: `--identity FILE` when given, else the person's own
    identity, unlocked through the passphrase sources (`cli.unlocking`, at most one scrypt
    run per process). Every failure is one line and exit 2."""
    from reflect.store import identity

    if identity_file is None:
        from reflect import paths
        from reflect.cli.unlocking import identity_keys_or_fail

        where = paths.identity_path()
        if not identity.exists(where):  # said here: the shared message is about an encrypted journal
            fail(f"no identity at {where} to open the packet: run `reflect keys` to create one, "
                 "or give --identity FILE", EXIT_BAD_INPUT)  # fmt: skip
        return identity_keys_or_fail()
    try:
        text = Path(identity_file).expanduser().read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"--identity: {identity_file}: no such file", EXIT_BAD_INPUT)
    except (OSError, UnicodeDecodeError):
        fail(f"--identity: {identity_file}: cannot be read as an age identity file", EXIT_BAD_INPUT)
    try:
        return identity.from_secret(text)
    except identity.IdentityError:
        fail(f"--identity: {identity_file}: not an age identity file (AGE-SECRET-KEY-1…)", EXIT_BAD_INPUT)


class KeysOnce:
    """`unlock_keys` called on first use only: a plain file needs no passphrase."""

    def __init__(self, identity_file: str | None) -> None:
        self._file = identity_file
        self._keys: Keys | None = None

    def __call__(self) -> Keys:
        if self._keys is None:
            self._keys = unlock_keys(self._file)
        return self._keys


def identity_option(fn: F) -> F:
    """`--identity FILE`: an age identity file that opens sealed packets."""
    return click.option(
        "--identity", "identity_file", metavar="FILE", type=click.Path(dir_okay=False),
        help="Open sealed packets with this age identity file instead of your own identity.",
    )(fn)  # fmt: skip


@click.command("keys")
@pass_rctx
@handle_errors
def keys(rctx: ReflectContext) -> None:
    """Print your public key (age1…), to give to whoever sends you packets.

    A supervisor gives it to the peers they supervise, who store it with
    `reflect config supervisor_key KEY`. The first run creates your identity,
    asking for a new passphrase; back up the identity file it names.
    """
    from reflect import paths
    from reflect.cli.unlocking import ask_new, identity_keys_or_fail
    from reflect.store import identity

    where = paths.identity_path()
    try:
        public = identity.public_key(where)
        if public is None and identity.exists(where):  # the .pub beside it went missing
            public = identity_keys_or_fail().public
        if public is None:
            chosen = ask_new("New passphrase for your identity (a forgotten one cannot be recovered)")
            public = identity.create(where, chosen).public
            say(f"created your identity at {where} (public key in {paths.public_key_path(where)})")
            say("back up the identity file and remember its passphrase: a forgotten one cannot be recovered, "
                "and without both, packets sent to you stay sealed")  # fmt: skip
    except identity.IdentityError as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    click.echo(public)
