"""Offering encryption: a notice on the home of a new, empty journal, and the confirm screen.

Never a dialog in front of an encounter: home shows one line in its empty list while the
journal is plain, and the person chooses (ctrl+e on home, or "Encrypt the journal" in the
palette). The confirm screen says, before anything happens, that a forgotten passphrase
cannot be recovered; a new identity's passphrase is typed twice, an existing identity's
once (it must open it). The work runs off the UI thread (scrypt, then the conversion).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from textual.screen import Screen

    from reflect.store import Journal

NOTICE = "Not encrypted: ctrl+e encrypts this journal (it asks first)."
NO_RECOVERY = (
    "A forgotten passphrase cannot be recovered: without it nothing in this journal can be "
    "read again, by you or anyone. Keep a copy of your identity file and its passphrase "
    "somewhere safe."
)


def notice(journal: Journal) -> list[Option]:
    """The home list's notice row while the journal is plain (none once it is encrypted)."""
    from reflect.usecases.encryption import is_plain

    try:
        plain = is_plain(journal)
    except ValueError:  # a damaged marker: not the place to say so
        return []
    return [Option(Content.styled(NOTICE, "$text-warning"), disabled=True)] if plain else []


def offer(screen: Screen[Any], on_done: Callable[[], object] | None = None) -> None:
    """Open the confirm screen over `screen` (home), unless the journal is encrypted."""
    from reflect.usecases.encryption import has_identity, is_plain

    journal = getattr(screen.app, "journal")
    if not is_plain(journal):
        screen.notify("The journal is already encrypted.")
        return

    def done(result: bool | None) -> None:
        if result and on_done is not None:
            on_done()

    screen.app.push_screen(EncryptScreen(journal, new_identity=not has_identity()), done)


class EncryptScreen(ModalScreen[bool]):
    """Dismisses with True once the journal is encrypted, False when left (escape)."""

    BINDINGS = [Binding("escape", "leave", "Not now", id="encrypt.leave")]
    DEFAULT_CSS = """
    EncryptScreen { align: center middle; }
    EncryptScreen > #encrypt { width: 76; max-width: 100%; height: auto; border: thick $warning;
                               background: $surface; padding: 1 2; }
    EncryptScreen Input { margin-top: 1; }
    EncryptScreen #encrypt-status { margin-top: 1; color: $text-muted; }
    EncryptScreen #encrypt-buttons { height: auto; margin-top: 1; }
    """

    def __init__(self, journal: Journal, *, new_identity: bool) -> None:
        super().__init__()
        self.journal = journal
        self.new_identity = new_identity
        self.busy = False

    def compose(self) -> ComposeResult:
        from reflect import paths

        where = paths.identity_path()
        with Vertical(id="encrypt") as box:
            box.border_title = "Encrypt this journal"
            yield Static(NO_RECOVERY, id="encrypt-warning", markup=False)
            if self.new_identity:
                yield Static(f"Your identity will be created at {where}.", markup=False)
                yield Input(password=True, id="first", placeholder="a passphrase")
                yield Input(password=True, id="again", placeholder="the same passphrase again")
            else:
                yield Static(f"Your identity is at {where}; type its passphrase.", markup=False)
                yield Input(password=True, id="first", placeholder="its passphrase")
            yield Static("", id="encrypt-status", markup=False)
            with Horizontal(id="encrypt-buttons"):
                yield Button("Encrypt", id="encrypt-go", variant="warning")
                yield Button("Not now", id="encrypt-leave")

    def on_mount(self) -> None:
        self.query_one("#first", Input).focus()

    def action_leave(self) -> None:
        if not self.busy:
            self.dismiss(False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "encrypt-leave":
            self.action_leave()
        else:
            self._go()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "first" and self.new_identity:
            self.query_one("#again", Input).focus()
        else:
            self._go()

    def _status(self, text: str) -> None:
        self.query_one("#encrypt-status", Static).update(text)

    def _go(self) -> None:
        if self.busy:
            return
        first = self.query_one("#first", Input).value
        if not first:
            self._status("Type a passphrase first.")
            return
        if self.new_identity and self.query_one("#again", Input).value != first:
            self._status("The two passphrases differ; type them again.")
            self.query_one("#again", Input).value = ""
            return
        self.busy = True
        self._status("Encrypting… (this takes a few seconds)")
        self._encrypt(first)

    @work(thread=True, group="encrypt", exit_on_error=False)
    def _encrypt(self, passphrase: str) -> None:
        from reflect.store import JournalError
        from reflect.usecases.encryption import IdentityError, WrongPassphrase
        from reflect.usecases.encryption import encrypt

        try:
            done = encrypt(self.journal, passphrase)
        except WrongPassphrase:
            self.app.call_from_thread(self._failed, "That passphrase does not open your identity; nothing was changed.")
            return
        except (IdentityError, JournalError, OSError) as exc:
            self.app.call_from_thread(self._failed, f"Not encrypted: {exc}")
            return
        self.app.call_from_thread(self._finished, str(done.identity))

    def _failed(self, message: str) -> None:
        self.busy = False
        self._status(message)

    def _finished(self, where: str) -> None:
        self.app.notify(f"The journal is encrypted. Back up your identity ({where}) and its passphrase.",
                        title="Encrypted", timeout=10)  # fmt: skip
        self.dismiss(True)
