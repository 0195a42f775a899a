"""The app and an encrypted journal: the passphrase first (no echo, three tries), the
crisis key working before it, and encryption offered on the home of a new journal."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from textual.widgets import Input

from age_helpers import PASSPHRASE, install_identity, unlocked
from encounter_helpers import SIZE, burst, new_app, wait_for
from reflect import root
from reflect.domain.model import Entry, Listen
from reflect.screens.crisis import CrisisPanel
from reflect.screens.encounter import EncounterScreen
from reflect.screens.encrypt_offer import NOTICE, EncryptScreen
from reflect.screens.home import HomeScreen
from reflect.screens.unlock import UnlockScreen
from reflect.store import Journal, codec, identity
from reflect.store.codec import AGE_HEADER

UTC = timezone.utc


@pytest.fixture
def encrypted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An encrypted journal of two entries; this process holds no key (as a new app), and
    no passphrase file: the person types it."""
    install_identity(tmp_path, monkeypatch)
    keys = unlocked()
    codec.add_identity(keys.identity, keys.public)
    j = Journal()
    for n in range(2):
        j.save(Entry(occurred=datetime(2024, 3, 1 + n, tzinfo=UTC), listen=Listen(story=f"an old story {n}")))
    j.set_encryption(keys.public)
    codec.forget_identities()
    monkeypatch.delenv("REFLECT_PASSPHRASE_FILE")
    return j.path


async def test_the_passphrase_comes_first_then_home(encrypted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = root.unlock_typed

    def unlock(typed: str) -> identity.Keys:
        if typed != PASSPHRASE:
            raise identity.WrongPassphrase()  # without the scrypt run a real wrong try costs
        return real(typed)

    monkeypatch.setattr(root, "unlock_typed", unlock)
    app = new_app(Journal(encrypted), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen), "the passphrase")
        field = app.screen.query_one(Input)
        assert field.password  # no echo
        await burst(pilot, *"wrong", "enter")
        await wait_for(pilot, lambda: "try 2 of 3" in str(app.screen.query_one("#unlock-status").render()), "a retry")
        await burst(pilot, *PASSPHRASE, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.ready, "home")
        assert "an old story" in str(app.screen.query_one("#entries").get_option_at_index(0).prompt)


async def test_three_wrong_passphrases_end_the_app_with_exit_2(encrypted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def wrong(typed: str) -> identity.Keys:
        raise identity.WrongPassphrase()

    monkeypatch.setattr(root, "unlock_typed", wrong)
    before = {p: p.read_bytes() for p in encrypted.parent.rglob("*") if p.is_file()}
    app = new_app(Journal(encrypted), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen), "the passphrase")
        for n in range(3):
            await burst(pilot, *f"no{n}", "enter")
            await wait_for(pilot, lambda: not app.screen.busy or not app.is_running, "the answer")
    assert app.return_code == 2
    assert {p: p.read_bytes() for p in encrypted.parent.rglob("*") if p.is_file()} == before


async def test_ctrl_x_reaches_the_crisis_panel_before_the_passphrase(encrypted: Path) -> None:
    """The crisis is saved with the public key alone, and is in the journal once unlocked."""
    app = new_app(Journal(encrypted), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen), "the passphrase")
        await burst(pilot, "ctrl+x", "space", "ctrl+s")  # keys at once, as a terminal sends them
        # the panel took them: saved and closed (the save runs on a worker; lost keys never close it)
        await wait_for(pilot, lambda: not isinstance(app.screen, CrisisPanel), "the panel saved and closed")
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        await burst(pilot, "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen), "back to the passphrase")
    inbox = encrypted.parent / "journal.json.d" / "inbox"
    sealed = list(inbox.iterdir())
    assert len(sealed) == 1 and sealed[0].read_bytes().startswith(AGE_HEADER)
    keys = unlocked()
    codec.add_identity(keys.identity, keys.public)
    crises = [e for e in Journal(encrypted).entries() if e.flags.crisis]
    assert len(crises) == 1


async def test_a_new_journal_offers_encryption_on_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_identity(tmp_path, monkeypatch)
    app = new_app(Journal(), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.ready, "home")
        rows = [str(app.screen.query_one("#entries").get_option_at_index(i).prompt) for i in range(2)]
        assert NOTICE in rows[1]
        await burst(pilot, "ctrl+e")
        assert isinstance(app.screen, EncryptScreen)
        assert "cannot be recovered" in str(app.screen.query_one("#encrypt-warning").render())
        await burst(pilot, *PASSPHRASE, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home again", seconds=30)
        await wait_for(
            pilot,
            lambda: not any(NOTICE in str(o.prompt) for o in app.screen.query_one("#entries").options),
            "home read again, without the notice",
        )
    assert root.encryption().seals


async def test_copy_never_reaches_the_system_clipboard(tmp_path: Path) -> None:
    app = new_app(Journal(), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        written: list[str] = []
        assert app._driver is not None
        monkey = app._driver.write
        app._driver.write = lambda data: written.append(data)  # type: ignore[method-assign]
        try:
            app.copy_to_clipboard("a private sentence")
        finally:
            app._driver.write = monkey  # type: ignore[method-assign]
        assert app.clipboard == "a private sentence"  # paste inside reflect still works
        assert not any("\x1b]52" in w for w in written)


def test_the_editor_file_is_private_in_the_runtime_folder_and_removed_even_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one plaintext copy outside the journal: 0600, in $XDG_RUNTIME_DIR, gone after."""
    from textual.app import SuspendNotSupported

    from reflect.screens import editor

    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    seen: list[tuple[Path, int, str]] = []

    def fake_run(command: list[str], path: Path) -> int:
        seen.append((path, path.stat().st_mode & 0o777, path.read_text()))
        return 1  # the editor failed

    class Headless:
        def suspend(self) -> object:
            raise SuspendNotSupported()

    monkeypatch.setattr(editor, "_run", fake_run)
    with pytest.raises(editor.EditorError):
        editor.edit_text(Headless(), "a private sentence")  # type: ignore[arg-type]
    [(path, mode, text)] = seen
    assert path.parent == runtime and mode == 0o600 and text == "a private sentence"
    assert list(runtime.iterdir()) == []


@pytest.mark.parametrize("command", [(), ("new",)])
def test_the_app_s_return_code_is_the_exit_status(command: tuple[str, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    """Three wrong passphrases end the app with return code 2 (the test above); `reflect`
    (and `reflect new`) must exit with it, not 0."""
    from click.testing import CliRunner

    from reflect.cli.commands import main
    from reflect.screens import app as app_module

    def run(self: app_module.ReflectApp) -> None:  # the app as it ends after the third wrong try
        self._return_code = 2

    monkeypatch.setattr(app_module.ReflectApp, "run", run)
    assert CliRunner().invoke(main, list(command)).exit_code == 2


async def test_while_locked_no_draft_is_attempted_and_the_status_says_save_keeps_it(encrypted: Path) -> None:
    """A draft needs the key: before the passphrase none is tried, so there is no "Draft not
    kept" error, and the status says truly that the text is kept when it is saved."""
    app = new_app(Journal(encrypted), start="home")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen), "the passphrase")
        await burst(pilot, "ctrl+x", "escape")  # the panel closed, the crisis marked: a change
        await wait_for(pilot, lambda: isinstance(app.screen, EncounterScreen), "the encounter")
        screen = app.screen
        status = str(screen.query_one("#status").render())
        assert "kept when you save" in status and "NOT kept" not in status
        await burst(pilot, "escape")  # leave: the draft is flushed on the way out
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen), "back to the passphrase")
        titles = [n.title for n in app._notifications]
        assert "Draft not kept" not in titles and screen._keeper.failed is None
    assert not list((encrypted.parent / "journal.json.d" / "inbox").glob("*"))  # nothing saved, nothing sealed
