"""The passphrase, asked when the app opens an encrypted journal.

The first screen of the app while the identity is locked: a no-echo field, three tries,
then the app ends (exit 2) with nothing written. The crisis key works from here at once:
the panel opens on a new encounter, and its save needs only the public key (it waits
sealed in the journal's inbox until the key is unlocked; store/inbox.py). Drafts are not
written until then (they would need the key): the encounter says "kept when you save". A passphrase
in `REFLECT_PASSPHRASE_FILE`, or in the OS keyring when the person chose that, is tried
first, off the UI thread (scrypt takes a second or two).
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

TRIES = 3
WRONG = "the passphrase does not open the identity; nothing was changed"


class UnlockScreen(Screen[None]):
    """Dismissed (replaced by home, or the start asked for) once the identity is unlocked."""

    DEFAULT_CSS = """
    UnlockScreen { align: center middle; }
    UnlockScreen > #unlock { width: 72; max-width: 100%; height: auto; border: round $primary; padding: 1 2; }
    UnlockScreen #unlock-status { color: $text-muted; margin-top: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.tries = 0
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="unlock"):
            yield Static("This journal is encrypted. Type your passphrase, then enter.", markup=False)
            yield Input(password=True, id="passphrase", placeholder="passphrase")
            yield Static("ctrl+x opens the crisis panel now; what you record is kept when you save it (ctrl+s).",
                         id="unlock-status", markup=False)  # fmt: skip
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._from_sources()

    def _status(self, text: str) -> None:
        self.query_one("#unlock-status", Static).update(text)

    @work(thread=True, group="unlock-sources", exit_on_error=False)
    def _from_sources(self) -> None:
        """REFLECT_PASSPHRASE_FILE or the keyring, when there is one; else wait for typing."""
        from reflect.passphrase import PassphraseError
        from reflect.root import open_keys
        from reflect.usecases.encryption import IdentityError

        try:
            keys = open_keys(self.app.journal.path, None, tries=1)  # type: ignore[attr-defined]
        except (PassphraseError, IdentityError, ValueError):
            return  # nothing given, or it did not open: the person types it
        if keys is not None:
            self.app.call_from_thread(self._unlocked)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.busy or not event.value:
            return
        self.busy = True
        self._status("Opening…")
        self._try(event.value)

    @work(thread=True, group="unlock", exit_on_error=False)
    def _try(self, typed: str) -> None:
        from reflect.root import unlock_typed
        from reflect.usecases.encryption import IdentityError, WrongPassphrase

        try:
            keys = unlock_typed(typed)
        except WrongPassphrase:
            self.app.call_from_thread(self._wrong)
            return
        except IdentityError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        journal = getattr(self.app, "journal", None)
        if journal is not None:
            from reflect.root import encryption

            wanted = encryption(journal.path).recipient
            if wanted is not None and wanted != keys.public:
                self.app.call_from_thread(self._failed, "this identity is not the one the journal is encrypted to")
                return
        self.app.call_from_thread(self._unlocked)

    def _wrong(self) -> None:
        self.tries += 1
        self.busy = False
        field = self.query_one(Input)
        field.value = ""
        if self.tries >= TRIES:
            self.app.exit(return_code=2, message=f"reflect: {WRONG}")
            return
        self._status(f"That passphrase does not open the identity (try {self.tries + 1} of {TRIES}).")
        field.focus()

    def _failed(self, message: str) -> None:
        self.app.exit(return_code=2, message=f"reflect: {message}")

    def _unlocked(self) -> None:
        """Go on to where the app was asked to start (the app's callback: home, a new encounter)."""
        setattr(self.app, "locked", False)
        if self.app.screen is not self:  # the crisis encounter is on top: go on after it
            self._pending = True
            return
        self.dismiss(None)

    _pending = False

    def on_screen_resume(self) -> None:
        """Back from the crisis encounter: go on if the key was unlocked meanwhile."""
        if self._pending:
            self._pending = False
            self._unlocked()
        else:
            self.query_one(Input).focus()
