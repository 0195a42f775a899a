"""Where the passphrase of the person's identity comes from, in this order:

1. the file named by `REFLECT_PASSPHRASE_FILE` (scripts and tests; its first line);
2. the OS keyring, only when the person opted in (`reflect passphrase --remember`,
   which leaves a plain flag file beside the identity: without it the keyring is never
   asked, so no desktop prompt appears for someone who never chose it);
3. the caller's `ask` (a no-echo prompt on the terminal, or the app's passphrase screen).

Never from a command-line argument or an environment variable holding the passphrase
itself: both are visible to other processes (`ps`, /proc) and kept in shell history.
Headless (no click, no textual): the layers above pass their own `ask`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from reflect import paths

ENV_FILE = "REFLECT_PASSPHRASE_FILE"
ENV_NEW_FILE = "REFLECT_NEW_PASSPHRASE_FILE"  # `reflect passphrase` in a script: the new one
KEYRING_SERVICE = "reflect"

Ask = Callable[[int], str]  # attempt number (1, 2, 3) -> the passphrase typed


class PassphraseError(Exception):
    """No passphrase could be had; the message says where it was looked for, never a secret."""


class NoPassphrase(PassphraseError):
    """`env`: the variable that would name the file (the new passphrase has its own)."""

    def __init__(self, env: str = ENV_FILE) -> None:
        super().__init__(f"the passphrase is needed: run in a terminal, or name a file holding it in {env}")


def from_file(env: str = ENV_FILE) -> str | None:
    """The passphrase in the file `REFLECT_PASSPHRASE_FILE` (or `env`) names (its first
    line, without the line ending), or None when the variable is not set."""
    name = os.environ.get(env, "")
    if not name.strip():
        return None
    try:
        with open(Path(name).expanduser(), "rb") as f:
            raw = f.read(1 << 16)
    except OSError as exc:
        raise PassphraseError(f"{env}: the file cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PassphraseError(f"{env}: the file is not UTF-8 text") from None
    line = text.split("\n", 1)[0].removesuffix("\r")
    if not line:
        raise PassphraseError(f"{env}: the file's first line is empty")
    return line


def remembered(identity: Path) -> bool:
    """Whether the person chose to keep this identity's passphrase in the OS keyring."""
    return paths.keyring_flag_path(identity).exists()


def _account(identity: Path) -> str:
    return str(Path(identity).expanduser().resolve())


def from_keyring(identity: Path) -> str | None:
    """The passphrase the OS keyring holds for this identity, when the person opted in."""
    if not remembered(identity):
        return None
    try:
        import keyring

        found = keyring.get_password(KEYRING_SERVICE, _account(identity))
    except Exception:  # noqa: BLE001 - no keyring backend, a locked wallet: fall back to asking
        return None
    return found if isinstance(found, str) and found else None


def remember(identity: Path, passphrase: str) -> None:
    """Keep the passphrase in the OS keyring (opt-in) and flag that it is there."""
    import keyring

    try:
        keyring.set_password(KEYRING_SERVICE, _account(identity), passphrase)
    except Exception as exc:  # noqa: BLE001 - keyring raises many kinds; name it in one line
        raise PassphraseError(f"the OS keyring did not take the passphrase ({type(exc).__name__})") from None
    from reflect.store.storage import atomic_write

    flag = paths.keyring_flag_path(identity)
    atomic_write(flag, b"The passphrase of this identity is kept in the OS keyring (reflect passphrase --forget).\n",
                 plain=True)  # fmt: skip


def forget(identity: Path) -> bool:
    """Remove the passphrase from the OS keyring and the flag; True when there was one."""
    flag = paths.keyring_flag_path(identity)
    had = flag.exists()
    try:
        import keyring

        keyring.delete_password(KEYRING_SERVICE, _account(identity))
        had = True
    except Exception:  # noqa: BLE001 - nothing stored, or no backend: nothing to forget there
        pass
    try:
        flag.unlink()
    except FileNotFoundError:
        pass
    return had


def candidates(identity: Path, ask: Ask | None, tries: int = 3) -> Iterator[tuple[str, str]]:
    """(where it came from, passphrase), in the order above. A file is final (a script's
    wrong passphrase must fail, not prompt); a keyring's stale passphrase falls back to
    asking; `ask` gets up to `tries` attempts. Nothing at all is NoPassphrase."""
    given = from_file()
    if given is not None:
        yield ENV_FILE, given
        return
    kept = from_keyring(identity)
    if kept is not None:
        yield "the OS keyring", kept
    if ask is None:
        if kept is None:
            raise NoPassphrase()
        return
    for attempt in range(1, tries + 1):
        yield "the prompt", ask(attempt)
