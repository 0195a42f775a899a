"""How a journal's files are kept on disk: plain, or age-encrypted to the person's key.

A layer between the journal's bytes and the disk, as TinyDB's middlewares are: storage
passes every file it reads through `decode` and every file it writes through `encode`,
and nothing above storage knows whether a journal is encrypted.

- Reading goes by content: a file that starts with age's header is decrypted with an
  identity this process unlocked (`add_identity`); any other file is taken as it is. So
  a journal left half-way through `reflect encrypt` or `decrypt` by a kill reads whole.
- Writing goes by the journal's marker, a plain `encryption.json` in its folder naming
  the recipient: while it says "age", every file is encrypted to that public key.
  Encrypting needs only the public key, so writing never waits for a passphrase.

A journal is bound to its marker when it is opened (`bind`); a file of no bound journal
(settings, the identity) is written as given. The marker is looked at again whenever it
changes on disk, so a process that was running while another encrypted the journal
writes its next file encrypted.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # imported when a file is sealed or opened: a plain journal never needs it
    import pyrage

from reflect.store.errors import JournalError

AGE_HEADER = b"age-encryption.org/v1\n"
AGE = "age"
PLAIN = "plain"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class Locked(JournalError):
    """A file is encrypted to a key this process has not unlocked."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        where = f"{path.name}: " if path is not None else ""
        super().__init__(f"{where}the journal is encrypted and its identity is not unlocked")


class Undecryptable(Exception):
    """An age file that does not decrypt with an identity that should open it (damaged)."""


# A NamedTuple, not a frozen dataclass: as immutable and compared by value, without
# the six methods a frozen dataclass compiles at import (about 1 ms each class, every start).
class Marker(NamedTuple):
    """What a journal's plain marker says.

    `codec` is how new files are written; `recipient` the public key its encrypted files
    are for (kept while a decrypt is unfinished: reading still needs its identity);
    `converting` is True while `reflect encrypt`/`decrypt` has not finished converting
    every file (the next process to open the journal finishes it)."""

    codec: str = PLAIN
    recipient: str | None = None
    converting: bool = False

    @property
    def seals(self) -> bool:
        return self.codec == AGE and self.recipient is not None

    @property
    def needs_keys(self) -> bool:
        """Whether reading the journal may need the identity (a file may be encrypted)."""
        return self.recipient is not None

    def to_dict(self) -> dict[str, Any]:
        return {"format": 1, "codec": self.codec, "recipient": self.recipient, "converting": self.converting}

    @classmethod
    def from_dict(cls, data: Any) -> Marker:
        if not isinstance(data, dict) or data.get("codec") not in (AGE, PLAIN):
            raise ValueError("not a reflect encryption marker")
        recipient = data.get("recipient")
        if recipient is not None and not (isinstance(recipient, str) and recipient.startswith("age1")):
            raise ValueError("the marker's recipient is not an age public key")
        if data["codec"] == AGE and recipient is None:
            raise ValueError("the marker says age but names no recipient")
        return cls(data["codec"], recipient, bool(data.get("converting", False)))


PLAIN_MARKER = Marker()


def read_marker(path: Path) -> Marker:
    """The marker at `path` (a journal without one is plain). ValueError when unreadable."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except FileNotFoundError:
        return PLAIN_MARKER
    except OSError as exc:
        raise ValueError(f"the encryption marker cannot be read ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "rb") as f:
            raw = f.read(1 << 16)
    except OSError as exc:
        raise ValueError(f"the encryption marker cannot be read ({exc.strerror})") from None
    try:
        return Marker.from_dict(json.loads(raw))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError("the encryption marker is not valid JSON") from None


def marker_bytes(marker: Marker) -> bytes:
    return json.dumps(marker.to_dict(), indent=1).encode("ascii") + b"\n"


# --- which journal a file belongs to -----------------------------------------------------

_files: dict[Path, Path] = {}  # a journal's main file -> its marker
_dirs: dict[Path, Path] = {}  # a journal's own folder -> its marker
_seen: dict[Path, tuple[tuple[int, int, int], Marker]] = {}  # marker -> (stat, what it said)
_recipients: dict[str, "pyrage.x25519.Recipient"] = {}


def bind(main: Path, folder: Path, marker: Path) -> None:
    """Files at `main` and under `folder` are written as the marker at `marker` says."""
    _files[Path(main)] = Path(marker)
    _dirs[Path(folder)] = Path(marker)


def marker_path_for(path: Path) -> Path | None:
    found = _files.get(path)
    if found is not None:
        return found
    for depth, parent in enumerate(path.parents):
        found = _dirs.get(parent)
        if found is not None or depth >= 3:
            return found
    return None


def marker_at(marker: Path) -> Marker:
    """The marker at `marker`, read again only when the file changed (one stat)."""
    try:
        info = os.stat(marker, follow_symlinks=False)
    except FileNotFoundError:
        _seen.pop(marker, None)
        return PLAIN_MARKER
    sig = (info.st_ino, info.st_mtime_ns, info.st_size)
    known = _seen.get(marker)
    if known is not None and known[0] == sig:
        return known[1]
    said = read_marker(marker)
    _seen[marker] = (sig, said)
    return said


def marker_for(path: Path) -> Marker:
    where = marker_path_for(Path(path))
    return PLAIN_MARKER if where is None else marker_at(where)


# --- the identities this process unlocked -------------------------------------------------

_identities: list[Any] = []
_by_public: dict[str, Any] = {}
_lock = threading.Lock()


def add_identity(identity: Any, public: str) -> None:
    """An unlocked X25519 identity, used for every encrypted file read from now on."""
    with _lock:
        if public not in _by_public:
            _by_public[public] = identity
            _identities.append(identity)


def can_open(public: str) -> bool:
    return public in _by_public


def identity_for(public: str) -> Any | None:
    return _by_public.get(public)


def forget_identities() -> None:
    """Forget every unlocked identity (tests of what a fresh process sees)."""
    with _lock:
        _identities.clear()
        _by_public.clear()


# --- the layer ------------------------------------------------------------------------------


def is_sealed(raw: bytes) -> bool:
    return raw.startswith(AGE_HEADER)


def recipient(public: str) -> Any:
    found = _recipients.get(public)
    if found is None:
        import pyrage

        found = _recipients[public] = pyrage.x25519.Recipient.from_str(public)
    return found


def seal(data: bytes, public: str) -> bytes:
    import pyrage

    return bytes(pyrage.encrypt(data, [recipient(public)]))


def open_sealed(raw: bytes, path: Path | None = None) -> bytes:
    """The plaintext of an age file, with the identities unlocked in this process."""
    identities = list(_identities)
    if not identities:
        raise Locked(path)
    import pyrage

    try:
        return bytes(pyrage.decrypt(raw, identities))
    except pyrage.DecryptError as exc:
        if "no matching" in str(exc).lower():
            raise Locked(path) from None
        raise Undecryptable(str(exc)) from None


def decode(raw: bytes, path: Path | None = None) -> bytes:
    """A file's bytes as the journal reads them: decrypted when it is an age file."""
    if raw[:22] != AGE_HEADER:
        return raw
    return open_sealed(raw, path)


def encode(path: Path, data: bytes) -> bytes:
    """The bytes to put on disk for `data` at `path`: encrypted when its journal says so."""
    marker = marker_for(path)
    if not marker.seals or marker.recipient is None:
        return data
    return seal(data, marker.recipient)
