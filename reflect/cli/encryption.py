"""`reflect encrypt`, `reflect decrypt`, `reflect passphrase`: the journal at rest.

Each says what it did on stderr; each is crash-safe (store/encryption.py for the
journal, identity.reseal for the passphrase): a kill leaves a journal that opens with
every entry, and the next reflect to open it finishes the job.
"""

from __future__ import annotations

import click

from reflect.cli.kit import EXIT_BAD_INPUT, ReflectContext, check_journal_location, fail, handle_errors, pass_rctx, say
from reflect.cli.unlocking import ask_new, ask_terminal, identity_keys_or_fail, open_keys_or_fail, unlock_failed

NO_RECOVERY = (
    "A forgotten passphrase cannot be recovered: without it (or a copy of the identity and its "
    "passphrase) nothing in the journal can be read again, by you or anyone."
)


@click.command("encrypt")
@pass_rctx
@handle_errors
def encrypt(rctx: ReflectContext) -> None:
    """Encrypt the journal at rest to your age identity (created if there is none)."""
    from reflect import paths
    from reflect.root import encryption, open_journal
    from reflect.store import codec, identity

    check_journal_location(rctx.db)
    marker = encryption(rctx.db)
    if marker.seals and not marker.converting:
        say(f"the journal is already encrypted (to {marker.recipient}); nothing was changed")
        return
    where = paths.identity_path()
    say(NO_RECOVERY)
    if not identity.exists(where):
        say(f"creating your identity at {where} (keep a copy of it and its passphrase somewhere safe)")
        keys = identity.create(where, ask_new("Passphrase for your new identity"))
        codec.add_identity(keys.identity, keys.public)
    else:
        keys = identity_keys_or_fail()  # the passphrase still opens it: nobody is locked out
    if marker.needs_keys:
        open_keys_or_fail(rctx.db)  # a decrypt a kill interrupted: its files are read first
    journal = open_journal(rctx.db)
    say(f"encrypting the journal at {journal.path}; a copy is kept beside it until the end")
    done = journal.set_encryption(keys.public)
    _report(done, "encrypted", journal.path)
    say(f"the journal is encrypted to {keys.public}; your identity is {where}: back it up")


@click.command("decrypt")
@pass_rctx
@handle_errors
def decrypt(rctx: ReflectContext) -> None:
    """Turn the journal's encryption off: every file is written plain again."""
    from reflect.root import encryption, open_journal

    check_journal_location(rctx.db)
    marker = encryption(rctx.db)
    if not marker.needs_keys:
        say("the journal is not encrypted; nothing was changed")
        return
    open_keys_or_fail(rctx.db)
    journal = open_journal(rctx.db)
    say(f"decrypting the journal at {journal.path}; a copy is kept beside it until the end")
    done = journal.set_encryption(None)
    _report(done, "decrypted", journal.path)
    say("the journal is no longer encrypted: anyone who can read its folder can read it")


@click.command("passphrase")
@click.option("--remember", is_flag=True, help="Keep the passphrase in the OS keyring, so reflect does not ask.")
@click.option("--forget", is_flag=True, help="Remove the passphrase from the OS keyring.")
@handle_errors
def passphrase_(remember: bool, forget: bool) -> None:
    """Change the passphrase of your identity (the key stays: every file still opens).

    With --remember or --forget, only keep it in the OS keyring or remove it from there.
    In a script, the current passphrase comes from REFLECT_PASSPHRASE_FILE and the new one
    from REFLECT_NEW_PASSPHRASE_FILE."""
    from reflect import passphrase, paths
    from reflect.root import unlock_with_passphrase
    from reflect.store import identity

    if remember and forget:
        fail("--remember and --forget: give one of them", EXIT_BAD_INPUT)
    where = paths.identity_path()
    if forget:
        had = passphrase.forget(where)
        say("the passphrase was removed from the OS keyring" if had else "no passphrase was kept in the OS keyring")
        return
    if not identity.exists(where):
        fail(f"there is no identity at {where}; `reflect encrypt` creates one", EXIT_BAD_INPUT)
    try:
        keys, current = unlock_with_passphrase(ask_terminal)
    except (identity.IdentityError, passphrase.PassphraseError) as exc:
        unlock_failed(exc)
    if remember:
        try:
            passphrase.remember(where, current)
        except passphrase.PassphraseError as exc:
            fail(str(exc), 1)
        say("the passphrase is kept in the OS keyring; reflect will not ask for it (`--forget` undoes this)")
        return
    say(NO_RECOVERY)
    new = ask_new("New passphrase", env=passphrase.ENV_NEW_FILE)
    identity.reseal(where, keys, new)
    if passphrase.remembered(where):
        passphrase.remember(where, new)
    say(f"the passphrase of {where} was changed; the key is the same, so the journal and packets sent "
        "to you open as before. A copy of the identity made earlier still opens with the old passphrase.")  # fmt: skip


def _report(done: object, what: str, path: object) -> None:
    from reflect.store.encryption import Converted

    assert isinstance(done, Converted)
    say(f"{what} {done.rewritten} file(s) of {path}; removed {done.removed} temp file(s) and the copy kept meanwhile")
    for bad in done.unreadable:
        say(f"warning: {bad} could not be read and was left as it was (`reflect doctor` names the problem)")
