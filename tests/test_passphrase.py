"""Where the passphrase comes from: a file for scripts, the OS keyring only when chosen,
else the prompt; never an argument or a variable holding it. The key opened once."""

from __future__ import annotations

from pathlib import Path

import keyring
import keyring.backend
import pytest

from age_helpers import PASSPHRASE, install_identity
from reflect import passphrase, paths
from reflect.root import open_keys, unlock_identity
from reflect.store import codec, identity


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}
        self.asked = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.asked += 1
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.kept.pop((service, username), None)


@pytest.fixture
def ring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_the_file_gives_its_first_line_and_is_final(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "pp"
    secret.write_bytes("two words\r\nsecond line\n".encode())
    monkeypatch.setenv(passphrase.ENV_FILE, str(secret))
    asked: list[int] = []
    got = list(passphrase.candidates(tmp_path / "identity.age", lambda n: asked.append(n) or "typed"))
    assert got == [(passphrase.ENV_FILE, "two words")]
    assert asked == []  # a script's passphrase is never followed by a prompt


@pytest.mark.parametrize("content", [None, b"", b"\nsecond"])
def test_a_missing_or_empty_file_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    content: bytes | None) -> None:  # fmt: skip
    secret = tmp_path / "pp"
    if content is not None:
        secret.write_bytes(content)
    monkeypatch.setenv(passphrase.ENV_FILE, str(secret))
    with pytest.raises(passphrase.PassphraseError, match="REFLECT_PASSPHRASE_FILE"):
        passphrase.from_file()


def test_the_keyring_is_asked_only_after_the_person_opted_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            ring: MemoryKeyring) -> None:  # fmt: skip
    monkeypatch.delenv(passphrase.ENV_FILE, raising=False)
    where = tmp_path / "identity.age"
    assert passphrase.from_keyring(where) is None
    assert ring.asked == 0  # no desktop wallet prompt for someone who never chose it
    passphrase.remember(where, "kept one")
    assert paths.keyring_flag_path(where).exists()
    got = list(passphrase.candidates(where, lambda n: f"typed {n}", tries=2))
    assert got == [("the OS keyring", "kept one"), ("the prompt", "typed 1"), ("the prompt", "typed 2")]
    assert passphrase.forget(where)
    assert not paths.keyring_flag_path(where).exists() and ring.kept == {}


def test_no_source_at_all_is_no_passphrase(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(passphrase.ENV_FILE, raising=False)
    with pytest.raises(passphrase.NoPassphrase):
        list(passphrase.candidates(tmp_path / "identity.age", None))


def test_the_prompt_gets_three_tries_then_the_last_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_identity(tmp_path, monkeypatch)
    monkeypatch.delenv(passphrase.ENV_FILE)
    codec.forget_identities()
    typed = iter(["wrong one", PASSPHRASE])
    keys = unlock_identity(lambda n: next(typed))
    assert keys.public == identity.public_key(paths.identity_path())
    assert codec.can_open(keys.public)


def test_a_wrong_passphrase_in_the_file_fails_without_a_prompt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_identity(tmp_path, monkeypatch, passphrase="not it")
    codec.forget_identities()
    asked: list[int] = []
    with pytest.raises(identity.WrongPassphrase):
        unlock_identity(lambda n: asked.append(n) or "x")
    assert asked == []


def test_a_plain_journal_needs_no_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(passphrase.ENV_FILE, raising=False)
    assert open_keys() is None  # no passphrase asked, no identity needed


def test_remember_then_forget_through_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 ring: MemoryKeyring) -> None:  # fmt: skip
    """Opted in, a command needs no passphrase source at all; forgotten, it needs one again."""
    from click.testing import CliRunner

    from reflect.cli import main

    install_identity(tmp_path, monkeypatch)
    keys = unlock_identity()
    from reflect.store import Journal

    Journal().set_encryption(keys.public)
    result = CliRunner().invoke(main, ["passphrase", "--remember"])
    assert result.exit_code == 0 and "kept in the OS keyring" in result.stderr
    assert list(ring.kept.values()) == [PASSPHRASE]
    monkeypatch.delenv(passphrase.ENV_FILE)
    codec.forget_identities()  # as a new process: the keyring is its only source
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 0, result.stderr
    assert CliRunner().invoke(main, ["passphrase", "--forget"]).exit_code == 0
    assert ring.kept == {} and not paths.keyring_flag_path(paths.identity_path()).exists()
    codec.forget_identities()
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 2 and "REFLECT_PASSPHRASE_FILE" in result.stderr


def test_changing_it_without_a_terminal_names_the_new_passphrase_s_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The current passphrase came from its file; the new one has none and no terminal:
    the one line names REFLECT_NEW_PASSPHRASE_FILE, not the variable that was set."""
    from click.testing import CliRunner

    from reflect.cli import main
    from reflect.store import Journal

    install_identity(tmp_path, monkeypatch)
    Journal().set_encryption(unlock_identity().public)
    monkeypatch.delenv(passphrase.ENV_NEW_FILE, raising=False)
    result = CliRunner().invoke(main, ["passphrase"])
    assert result.exit_code == 2
    line = result.stderr.strip().splitlines()[-1]  # after the notice that it cannot be recovered
    assert "REFLECT_NEW_PASSPHRASE_FILE" in line
