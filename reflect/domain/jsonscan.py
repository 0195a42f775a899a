"""One hand-written JSON scanner: walk an object's members or an array's elements by position.

`json.loads` gives values but not where they stood in the text. The store needs each
stored entry's exact text (export passes it through without encoding it again) and the
importer needs where element N starts (to name its line in an error). Both walk the text
with the C decoder's `raw_decode`, which parses one value and says where it ended; this
module holds that walk once. Pure: no disk, no tinydb.

Anything `json.loads` would refuse within what is walked raises ValueError or IndexError.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

_DECODE = json.JSONDecoder().raw_decode
_SCANSTRING: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_WS = " \t\n\r"


class Scanner:
    """A cursor over JSON text.

    `members()` and `items()` are generators that leave the cursor at each value as they
    yield; the caller may read that value (`value()`), walk into it (`members()`/`items()`
    again), or leave it, and then it is skipped. `spaced` says whether any whitespace
    stood between the tokens walked (reflect writes compact JSON).
    """

    __slots__ = ("text", "pos", "spaced")

    def __init__(self, text: str, pos: int = 0):
        self.text = text
        self.pos = pos
        self.spaced = False

    def _skip(self, i: int) -> int:
        """Past the whitespace at `i` (called only when there is some)."""
        text = self.text
        while text[i] in _WS:
            i += 1
        self.spaced = True
        return i

    def _open(self, bracket: str, what: str) -> bool:
        """Step into the object or array at the cursor; True when it is empty (and stepped over)."""
        text, i = self.text, self.pos
        if text[i] in _WS:
            i = self._skip(i)
        if text[i] != bracket:
            raise ValueError(f"not {what}")
        i += 1
        if text[i] in _WS:
            i = self._skip(i)
        self.pos = i
        if text[i] == ("}" if bracket == "{" else "]"):
            self.pos = i + 1
            return True
        return False

    def _next(self, start: int, close: str) -> bool:
        """After a value that began at `start`: skip it if the caller did not, then step past
        `,` (False: another follows) or the closing bracket (True)."""
        text, i = self.text, self.pos
        if i == start:
            _, i = _DECODE(text, i)
        if text[i] in _WS:
            i = self._skip(i)
        c = text[i]
        i += 1
        if c == close:
            self.pos = i
            return True
        if c != ",":
            raise ValueError(f"expected ',' or '{close}'")
        if text[i] in _WS:
            i = self._skip(i)
        self.pos = i
        return False

    def members(self) -> Iterator[str]:
        """Each key of the object at the cursor, the cursor at its value; ends past the `}`."""
        if self._open("{", "an object"):
            return
        text = self.text
        while True:
            i = self.pos
            if text[i] != '"':
                raise ValueError("expected a key")  # a ',' before '}' too, as json.loads says
            key, i = _SCANSTRING(text, i + 1)
            if text[i] in _WS:
                i = self._skip(i)
            if text[i] != ":":
                raise ValueError("expected ':'")
            i += 1
            if text[i] in _WS:
                i = self._skip(i)
            self.pos = i
            yield key
            if self._next(i, "}"):
                return

    def items(self) -> Iterator[int]:
        """Each index of the array at the cursor, the cursor at its element; ends past the `]`."""
        if self._open("[", "an array"):
            return
        n = 0
        while True:
            start = self.pos
            yield n
            if self._next(start, "]"):
                return
            n += 1

    def value(self) -> tuple[Any, int, int]:
        """The value at the cursor, parsed, with where its text starts and ends."""
        start = self.pos
        doc, self.pos = _DECODE(self.text, start)
        return doc, start, self.pos

    def end(self) -> None:
        """Nothing but whitespace may follow the value walked."""
        if self.text[self.pos :].strip(_WS):
            raise ValueError("extra data after the value")


def element_offset(text: str, key: str | None, index: int) -> int | None:
    """Where element `index` of the top-level array (key None), or of the top-level object's
    array `key` (the last duplicate wins, as in json.loads), starts in `text`; None when
    there is no such element or the text is not what it should be."""
    try:
        scan = Scanner(text)
        if key is not None:
            start = None
            for name in scan.members():
                if name == key:
                    start = scan.pos
            if start is None:
                return None
            scan.pos = start
        for n in scan.items():
            if n == index:
                return scan.pos
    except (ValueError, IndexError):
        return None
    return None


def line_at(text: str, offset: int) -> int:
    """The 1-based line of `text` that `offset` falls on."""
    return text.count("\n", 0, offset) + 1
