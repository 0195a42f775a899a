"""The person's age identity: an X25519 key pair, its secret half kept passphrase-encrypted.

The secret key is an age identity (`AGE-SECRET-KEY-1…`) encrypted with age's scrypt
passphrase mode, so `age -d identity.age` opens it with the passphrase alone and the
result opens any file encrypted to the person (`age -d -i key.txt FILE`): nobody is locked
into reflect. The public key (`age1…`) sits in a plain file beside it, so writing an
encrypted file, or giving the key to a supervisor, needs no passphrase. Each identity gets
its own random salt from age; nothing here is fixed per install (jrnl's old mistake).

Unlocking costs one scrypt run (about a second, by design): do it once per process.
`unlock` remembers what it opened, keyed by the sealed file's bytes and the passphrase
(both as digests), so a second unlock of the same identity with the same passphrase in
one process costs nothing, and a changed file or passphrase is never answered from memory.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

import pyrage

from reflect.paths import public_key_path
from reflect.store.storage import atomic_write, ensure_dir, read_raw

SECRET_PREFIX = "AGE-SECRET-KEY-1"
PUBLIC_PREFIX = "age1"


class IdentityError(Exception):
    """The identity cannot be used; the message names the kind of failure, never a secret."""


class WrongPassphrase(IdentityError):
    def __init__(self) -> None:
        super().__init__("the passphrase does not open this identity")


class NoIdentity(IdentityError):
    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"no identity at {path}")


@dataclass(frozen=True)
class Keys:
    """An unlocked identity: what decrypts, and the public key it answers to."""

    identity: pyrage.x25519.Identity
    public: str

    @property
    def recipient(self) -> pyrage.x25519.Recipient:
        return pyrage.x25519.Recipient.from_str(self.public)


def exists(path: Path) -> bool:
    return Path(path).exists()


def public_key(path: Path) -> str | None:
    """The public key (`age1…`) beside the identity at `path`, or None when there is none."""
    raw = read_raw(public_key_path(Path(path)))
    if raw is None:
        return None
    for line in raw.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line.startswith(PUBLIC_PREFIX):
            return line
    raise IdentityError(f"{public_key_path(Path(path)).name}: no public key in it")


def create(path: Path, passphrase: str) -> Keys:
    """A new identity at `path`, encrypted with `passphrase`, and its public key beside it.
    Refuses to replace one that exists: that would lock the person out of their journal."""
    path = Path(path)
    if not passphrase:
        raise IdentityError("the passphrase is empty")
    if path.exists():
        raise IdentityError(f"an identity already exists at {path}")
    identity = pyrage.x25519.Identity.generate()
    keys = Keys(identity, str(identity.to_public()))
    ensure_dir(path.parent)
    _write(path, keys, passphrase)
    _remember(path, passphrase, keys)
    return keys


def unlock(path: Path, passphrase: str) -> Keys:
    """The identity at `path`, opened with `passphrase` (one scrypt run)."""
    path = Path(path)
    sealed = read_raw(path)
    if sealed is None:
        raise NoIdentity(path)
    key = _cache_key(sealed, passphrase)
    with _cache_lock:
        known = _unlocked.get(key)
    if known is not None:
        return known
    try:
        secret = pyrage.passphrase.decrypt(sealed, passphrase).decode("ascii").strip()
    except pyrage.DecryptError:
        raise WrongPassphrase() from None
    except UnicodeDecodeError:
        raise IdentityError(f"{path.name}: not an age identity") from None
    keys = from_secret(secret)
    with _cache_lock:
        _unlocked[key] = keys
    return keys


_unlocked: dict[tuple[bytes, bytes], Keys] = {}
_cache_lock = threading.Lock()


def _cache_key(sealed: bytes, passphrase: str) -> tuple[bytes, bytes]:
    return hashlib.sha256(sealed).digest(), hashlib.sha256(passphrase.encode("utf-8")).digest()


def _remember(path: Path, passphrase: str, keys: Keys) -> None:
    """What this process just sealed opens without another scrypt run."""
    sealed = read_raw(path)
    if sealed is not None:
        with _cache_lock:
            _unlocked[_cache_key(sealed, passphrase)] = keys


def forget_unlocked() -> None:
    """Drop every identity this process unlocked (tests of a fresh process's behaviour)."""
    with _cache_lock:
        _unlocked.clear()


def from_secret(secret: str) -> Keys:
    """Keys from an age identity's text (the first `AGE-SECRET-KEY-1…` line in it), as in a
    file given to `--identity`."""
    for line in secret.splitlines():
        line = line.strip()
        if line.upper().startswith(SECRET_PREFIX):
            try:
                identity = pyrage.x25519.Identity.from_str(line)
            except pyrage.IdentityError:
                break
            return Keys(identity, str(identity.to_public()))
    raise IdentityError("not an age identity")


def rewrap(path: Path, old: str, new: str) -> Keys:
    """Change the identity's passphrase: the key stays, so every file stays readable.
    The new sealed identity replaces the old atomically (one or the other, never neither)."""
    keys = unlock(path, old)
    if not new:
        raise IdentityError("the passphrase is empty")
    _write(Path(path), keys, new)
    _remember(Path(path), new, keys)
    return keys


def reseal(path: Path, keys: Keys, new: str) -> None:
    """Seal unlocked `keys` at `path` with a new passphrase (the key stays), keeping the
    sealed file as it was in `paths.identity_backup_path` until the new one is in place:
    a kill leaves the old file or the new, both whole. The copy is removed at the end (it
    opens with the old passphrase); a copy a kill left is removed by the next `reseal`."""
    from reflect.paths import identity_backup_path

    path = Path(path)
    if not new:
        raise IdentityError("the passphrase is empty")
    sealed = read_raw(path)
    if sealed is None:
        raise NoIdentity(path)
    previous = identity_backup_path(path)
    atomic_write(previous, sealed, plain=True)
    _write(path, keys, new)
    _remember(path, new, keys)
    previous.unlink()


def drop_previous(path: Path) -> None:
    """Remove the copy `reseal` keeps while it works, when a kill left it: the identity
    at `path` is whole either way (a rename put it there), and the copy opens with a
    passphrase the person meant to retire."""
    from reflect.paths import identity_backup_path

    identity_backup_path(Path(path)).unlink(missing_ok=True)


def _write(path: Path, keys: Keys, passphrase: str) -> None:
    secret = f"# reflect identity, public key: {keys.public}\n{keys.identity}\n"
    atomic_write(path, pyrage.passphrase.encrypt(secret.encode("ascii"), passphrase), plain=True)
    atomic_write(public_key_path(path), f"# reflect public key\n{keys.public}\n".encode("ascii"), plain=True)
