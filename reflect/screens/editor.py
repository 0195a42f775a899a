"""Open a long field in the peer's own editor ($VISUAL, then $EDITOR), as git and jrnl do.

The text goes through a private temporary file in `paths.editor_temp_dir()` (the
user's runtime folder when there is one) that is removed afterwards, since it holds
journal text. The app is suspended so the editor owns the terminal.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from textual.app import App, SuspendNotSupported

from reflect import paths


class EditorError(RuntimeError):
    """The editor could not be run or failed; the message says what to do."""


def editor_command() -> list[str]:
    """$VISUAL, then $EDITOR, then vi: split like a shell would ("code --wait" works)."""
    for var in ("VISUAL", "EDITOR"):
        value = os.environ.get(var, "").strip()
        if value:
            return shlex.split(value)
    return ["vi"]


def edit_text(app: App, text: str) -> str:
    """The text after editing. Raises EditorError when the editor cannot run or fails.

    Editors end files with a newline; one the text did not have is dropped again.
    """
    command = editor_command()
    fd, name = tempfile.mkstemp(prefix="reflect-", suffix=".md", dir=paths.editor_temp_dir())
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        try:
            with app.suspend():
                result = _run(command, path)
        except SuspendNotSupported:  # headless (tests) or a web driver: nothing to hand over
            result = _run(command, path)
        if result != 0:
            raise EditorError(f"{command[0]} exited with status {result}; the text was not changed")
        edited = path.read_text(encoding="utf-8")
        if not text.endswith("\n"):
            edited = edited.rstrip("\n")
        return edited
    finally:
        path.unlink(missing_ok=True)


def _run(command: list[str], path: Path) -> int:
    try:
        return subprocess.run([*command, str(path)]).returncode
    except OSError as exc:
        raise EditorError(f"cannot run {command[0]!r} (set $VISUAL or $EDITOR): {exc.strerror}") from None
