"""The composition root: the one place a `Journal` is opened, and its key.

Commands and screens ask here and never build one themselves, so what opening a journal
means (its paths, its settings, its key) is decided once. An encrypted journal is read
with the person's identity, unlocked at most once per process (`open_keys`): writing
needs only the public key in the journal's plain marker, so nothing here is asked for
before a save.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reflect.passphrase import Ask
    from reflect.store import Journal
    from reflect.store.codec import Marker
    from reflect.store.identity import Keys

PathArg = str | os.PathLike[str] | None


def open_journal(db: PathArg = None) -> Journal:
    """The journal at `db` (else `REFLECT_DB`, else the default path); files are read lazily.
    An encrypted journal reads only once `open_keys` has unlocked its identity (a read
    before that is `codec.Locked`)."""
    from reflect.store import Journal  # deferred: keep `reflect --help` and completion light

    return Journal(db)


def encryption(db: PathArg = None) -> Marker:
    """What the journal's plain marker says: how its files are kept (no passphrase needed)."""
    from reflect import paths
    from reflect.store import codec

    return codec.read_marker(paths.Layout(paths.journal_path(db)).encryption)


def identity_file() -> Path:
    from reflect import paths

    return paths.identity_path()


def needs_keys(db: PathArg = None) -> bool:
    """Whether reading the journal needs an identity this process has not unlocked yet."""
    from reflect.store import codec

    marker = encryption(db)
    return marker.recipient is not None and not codec.can_open(marker.recipient)


def unlock_identity(ask: Ask | None = None, *, tries: int = 3, path: Path | None = None) -> Keys:
    """The person's identity, unlocked with a passphrase from `reflect.passphrase`'s
    sources (at most one scrypt run per identity and passphrase in a process), and
    registered for reading encrypted files. Raises identity.WrongPassphrase after the
    last wrong try, identity.NoIdentity, passphrase.PassphraseError."""
    return unlock_with_passphrase(ask, tries=tries, path=path)[0]


def unlock_with_passphrase(
    ask: Ask | None = None, *, tries: int = 3, path: Path | None = None
) -> tuple[Keys, str]:
    """`unlock_identity`, and the passphrase that opened it (`reflect passphrase` keeps it
    in the keyring, or replaces it)."""
    from reflect import passphrase
    from reflect.store import codec, identity

    where = path if path is not None else identity_file()
    if not identity.exists(where):
        raise identity.NoIdentity(where)
    wrong: identity.WrongPassphrase | None = None
    for _source, given in passphrase.candidates(where, ask, tries):
        try:
            keys = identity.unlock(where, given)
        except identity.WrongPassphrase as exc:
            wrong = exc
            continue
        codec.add_identity(keys.identity, keys.public)
        identity.drop_previous(where)  # a copy a killed passphrase change left: it just opened
        return keys, given
    raise wrong or identity.WrongPassphrase()


def open_keys(db: PathArg = None, ask: Ask | None = None, *, tries: int = 3) -> Keys | None:
    """Unlock what the journal at `db` needs to be read, once per process; None when it is
    plain. Raises as `unlock_identity`, and identity.IdentityError when the identity
    found is not the one the journal is encrypted to."""
    from reflect.store import codec, identity

    marker = encryption(db)
    if marker.recipient is None:
        return None
    keys = unlock_identity(ask, tries=tries) if not codec.can_open(marker.recipient) else _known(marker.recipient)
    if keys is None or keys.public != marker.recipient:
        raise identity.IdentityError("the identity found is not the one this journal is encrypted to")
    return keys


def _known(public: str) -> Keys | None:
    from reflect.store import codec, identity

    found = codec.identity_for(public)
    return None if found is None else identity.Keys(found, public)


def unlock_typed(passphrase: str) -> Keys:
    """The person's identity opened with a passphrase typed in the app (identity.WrongPassphrase
    when it does not open it), registered for reading."""
    from reflect.store import codec, identity

    keys = identity.unlock(identity_file(), passphrase)
    codec.add_identity(keys.identity, keys.public)
    return keys


def journal_locked(journal: Journal) -> bool:
    """Whether `journal` is encrypted to a key this process has not unlocked (one stat)."""
    from reflect.store import inbox

    return inbox.locked(journal.layout)


def open_with_keys(db: PathArg = None, ask: Ask | None = None) -> Journal:
    """The journal, readable: its identity unlocked first when it is encrypted."""
    open_keys(db, ask)
    return open_journal(db)
