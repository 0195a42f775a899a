"""Sealed packets: an export document encrypted with age, for a supervisor's eyes only.

A packet is a standard binary age file (`age-encryption.org/v1`, X25519 recipients), so
`age -d -i identity.txt packet.age` opens it without reflect. What is inside is exactly what
`reflect export` writes in the chosen format; for `--format json` it is the export
document, which `reflect import` and `reflect review --from` read. It is sealed to the
supervisor's key(s) and to the sender's own, so the sender can open what they sent.
ASCII-armored age files (`age -a`) are read too.

Everything that could identify the peer (their name, the window, the entries) is inside the
encryption; the name a packet is given by the tool (`suggested_name`) is random.

The API another use case needs to read packets (e.g. a caseload over several files):

    keys = ...                            # the person's unlocked identity (store.identity.Keys)
    text = read_document(path, keys)      # a plain file's text, or a packet opened
    text = open_packet(path, keys)        # a packet only (NotAPacket otherwise)

`keys` may also be a function returning Keys, called only when a packet is met (a plain
file needs no passphrase); call it once per process, as an unlock costs a scrypt run.
Every failure is a `PacketError` (an `ImportFormatError`, so commands show it as one line
naming the file, exit 2): `NotAddressed`, `DamagedPacket`, `NotAPacket`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyrage

from reflect.domain.formats import ImportFormatError

if TYPE_CHECKING:
    from reflect.store.identity import Keys

BINARY_HEADER = b"age-encryption.org/v1\n"
ARMOR_HEADER = b"-----BEGIN AGE ENCRYPTED FILE-----"
SUFFIX = ".age"
NOT_ADDRESSED = "this packet is not addressed to you"
_NO_MATCH = "No matching keys found"  # pyrage's message when no identity opens the header


class PacketError(ImportFormatError):
    """A packet that cannot be read; the message names the file and the kind of failure."""

    def __init__(self, source: str, reason: str):
        super().__init__(source, "", reason)


class NotAddressed(PacketError):
    """Sealed to other keys than the reader's: nothing in it can be read."""

    def __init__(self, source: str):
        super().__init__(source, NOT_ADDRESSED)


class DamagedPacket(PacketError):
    def __init__(self, source: str):
        super().__init__(source, "the packet is damaged (cut short or changed) and cannot be opened")


class NotAPacket(PacketError):
    def __init__(self, source: str):
        super().__init__(source, "not a sealed packet (no age header)")


def is_sealed(data: bytes) -> bool:
    """Whether `data` is an age file (binary, or armored with leading blank space)."""
    return data.startswith(BINARY_HEADER) or data.lstrip(b" \t\r\n").startswith(ARMOR_HEADER)


def check_recipient(key: str, name: str = "--to") -> str:
    """`key` stripped, if it is an age X25519 public key (`age1…`); a `ValidationError`
    naming `name` otherwise (the rule is the settings' one, `supervisor_key`)."""
    from reflect.domain.model import ValidationError
    from reflect.domain.settings import check_public_key

    if not key.strip():
        raise ValidationError(name, "the key is empty (give an age public key, age1…)")
    return check_public_key(name, key)


def seal(document: bytes, recipients: Sequence[str]) -> bytes:
    """`document` encrypted to every key in `recipients` (age public keys, checked first;
    duplicates count once). Binary age format."""
    keys = list(dict.fromkeys(check_recipient(k) for k in recipients))
    if not keys:
        raise ValueError("a packet needs at least one recipient")
    return bytes(pyrage.encrypt(document, [pyrage.x25519.Recipient.from_str(k) for k in keys]))


def open_bytes(data: bytes, keys: Keys, *, source: str) -> str:
    """The document inside a packet's bytes, as text. `source` names it in errors."""
    if not is_sealed(data):
        raise NotAPacket(source)
    try:
        plain = pyrage.decrypt(data, [keys.identity])
    except pyrage.DecryptError as exc:
        if _NO_MATCH.lower() in str(exc).lower():
            raise NotAddressed(source) from None
        raise DamagedPacket(source) from None
    try:
        return bytes(plain).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PacketError(source, f"the packet opened but holds no UTF-8 text (byte {exc.start + 1})") from None


def open_packet(path: str | Path, keys: Keys | Callable[[], Keys]) -> str:
    """The document inside the packet at `path` (its text: parse it as an export)."""
    data = _read(path)
    if not is_sealed(data):
        raise NotAPacket(str(path))
    return open_bytes(data, keys if not callable(keys) else keys(), source=str(path))


def read_document(path: str | Path, keys: Keys | Callable[[], Keys]) -> str:
    """The text of a plain export file, or of the document inside a packet: what
    `reflect import` and `review --from` read. `keys` (or the function giving them) is
    used only when the file is a packet."""
    data = _read(path)
    if is_sealed(data):
        return open_bytes(data, keys if not callable(keys) else keys(), source=str(path))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(str(path), "", f"not UTF-8 text (byte {exc.start + 1})") from None


def suggested_name() -> str:
    """A file name for a new packet that says nothing of whom or when: `reflect-packet-<random>.age`."""
    return f"reflect-packet-{secrets.token_hex(4)}{SUFFIX}"


def _read(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise ImportFormatError(str(path), "", "no such file") from None
    except IsADirectoryError:
        raise ImportFormatError(str(path), "", "is a folder, not a file") from None
    except OSError as exc:
        raise ImportFormatError(str(path), "", f"cannot read: {exc.strerror or exc}") from None
