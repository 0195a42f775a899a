"""Turning encryption on from the app: create or open the identity, convert the journal.

The CLI's `reflect encrypt` does the same with its own prompts and messages; here the
passphrase is what the person typed in the confirm screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reflect import paths
from reflect.store import Journal, codec, identity
from reflect.store.identity import IdentityError, WrongPassphrase

__all__ = ["Encrypted", "IdentityError", "WrongPassphrase", "encrypt", "has_identity", "is_plain"]


@dataclass(frozen=True)
class Encrypted:
    identity: Path
    public: str
    files: int
    created: bool


def has_identity() -> bool:
    return identity.exists(paths.identity_path())


def encrypt(journal: Journal, passphrase: str) -> Encrypted:
    """Encrypt `journal` to the person's identity: a new one sealed with `passphrase`, or
    the existing one, which `passphrase` must open (identity.WrongPassphrase otherwise,
    nothing changed). One scrypt run, then the conversion (store/encryption.py)."""
    where = paths.identity_path()
    created = not identity.exists(where)
    keys = identity.create(where, passphrase) if created else identity.unlock(where, passphrase)
    codec.add_identity(keys.identity, keys.public)
    done = journal.set_encryption(keys.public)
    return Encrypted(where, keys.public, done.rewritten, created)


def is_plain(journal: Journal) -> bool:
    """Whether the journal is kept plain (no marker, or one saying plain and finished)."""
    return not codec.marker_at(journal.layout.encryption).needs_keys
