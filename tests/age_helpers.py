"""One age identity shared by the encryption tests: creating or unlocking one costs a
scrypt run (two to five seconds on the shared machine), so it is made once and kept in
`tests/data/identity.age`, and each worker unlocks it once. Each test gets its own copy
of the same sealed file; `identity.unlock` remembers what it opened by the file's bytes
and the passphrase, so the copies open for free after the first."""

from __future__ import annotations

import functools
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from reflect import paths
from reflect.store import identity

PASSPHRASE = "correct horse battery staple"


@dataclass(frozen=True)
class Shared:
    sealed: Path
    public: str


DATA = Path(__file__).parent / "data"


@functools.lru_cache(maxsize=1)
def shared_identity() -> Shared:
    sealed = DATA / "identity.age"
    public = identity.public_key(sealed)
    assert public is not None
    return Shared(sealed, public)


def unlocked() -> identity.Keys:
    """The shared identity, unlocked (one scrypt run per worker)."""
    return identity.unlock(shared_identity().sealed, PASSPHRASE)


def install_identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, passphrase: str = PASSPHRASE) -> Shared:
    """The shared identity copied where this test's reflect looks for it (beside its
    settings), and a passphrase file named by REFLECT_PASSPHRASE_FILE."""
    shared = shared_identity()
    where = paths.identity_path()
    where.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(shared.sealed, where)
    shutil.copy2(paths.public_key_path(shared.sealed), paths.public_key_path(where))
    secret = tmp_path / "passphrase.txt"
    secret.write_text(passphrase + "\n", encoding="utf-8")
    monkeypatch.setenv("REFLECT_PASSPHRASE_FILE", str(secret))
    return shared
