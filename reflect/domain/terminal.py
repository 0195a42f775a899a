"""Text for a terminal: control characters made visible, messages one bounded line.

Ids, peer names, keys and values come from records and files that anyone may have
written; printed raw, `ESC[2J` clears the screen and a newline forges a second line.
Everything reflect prints to a terminal goes through `escape` (text that may span
lines, such as an agenda) or `one_line` (a message: one line, at most LIMIT characters).
"""

from __future__ import annotations

import re

LIMIT = 400  # characters in one message: enough for a path and a reason, never a 10 MB value

# C0 controls, DEL and the C1 controls (0x9b is a one-byte CSI on many terminals), and the
# Unicode line and paragraph separators and bidi overrides that reorder what is shown.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_KEEP_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(m: re.Match[str]) -> str:
    c = m.group()
    return _NAMED.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


def escape(text: str, *, keep_lines: bool = True) -> str:
    """`text` with every control character shown as an escape (`\\x1b`); newlines and
    tabs are kept when `keep_lines`, so a multi-line document stays readable."""
    return (_KEEP_LINES if keep_lines else _CONTROL).sub(_visible, text)


def one_line(text: str, limit: int = LIMIT) -> str:
    """A message as one line of at most `limit` characters: control characters escaped
    (newlines too), and a long message cut with the number of characters left out."""
    if len(text) > limit * 4:  # escaping cannot shorten text: look only at what may be shown
        text, extra = text[: limit * 4], len(text) - limit * 4
    else:
        extra = 0
    line = escape(text, keep_lines=False)
    if len(line) <= limit and not extra:
        return line
    cut = line[: max(limit - 30, 1)]
    more = len(line) - len(cut) + extra
    return f"{cut}… ({more} more characters)"
