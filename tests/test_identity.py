"""The person's age identity: created once, opened with its passphrase, readable by age."""

from __future__ import annotations

from pathlib import Path

import pyrage
import pytest

from reflect import paths
from reflect.store import identity


def test_an_identity_opens_with_its_passphrase_and_only_with_it(tmp_path: Path) -> None:
    where = tmp_path / "config" / "identity.age"
    keys = identity.create(where, "correct horse")
    assert keys.public.startswith("age1")
    assert identity.public_key(where) == keys.public
    assert identity.unlock(where, "correct horse").public == keys.public
    with pytest.raises(identity.WrongPassphrase):
        identity.unlock(where, "wrong horse")
    assert b"AGE-SECRET-KEY" not in where.read_bytes()  # the secret half is sealed
    assert where.stat().st_mode & 0o077 == 0


def test_the_sealed_identity_is_a_standard_age_file(tmp_path: Path) -> None:
    """age -d opens it with the passphrase alone; what comes out opens files sent to the key."""
    where = tmp_path / "identity.age"
    keys = identity.create(where, "pp")
    secret = pyrage.passphrase.decrypt(where.read_bytes(), "pp").decode()
    opened = identity.from_secret(secret)
    sealed = pyrage.encrypt(b"a line", [pyrage.x25519.Recipient.from_str(keys.public)])
    assert pyrage.decrypt(sealed, [opened.identity]) == b"a line"


def test_a_passphrase_change_keeps_the_key(tmp_path: Path) -> None:
    where = tmp_path / "identity.age"
    keys = identity.create(where, "old")
    identity.rewrap(where, "old", "new")
    assert identity.unlock(where, "new").public == keys.public
    with pytest.raises(identity.WrongPassphrase):
        identity.unlock(where, "old")


def test_an_existing_identity_is_never_replaced(tmp_path: Path) -> None:
    where = tmp_path / "identity.age"
    identity.create(where, "pp")
    before = where.read_bytes()
    with pytest.raises(identity.IdentityError):
        identity.create(where, "other")
    assert where.read_bytes() == before


def test_the_identity_lives_apart_from_the_journal_data(tmp_path: Path) -> None:
    where = paths.identity_path()
    assert paths.data_dir() not in where.parents
    assert paths.parts_dir(paths.journal_path()) not in where.parents
