"""Cells of a CSV file made safe to open in a spreadsheet (CSV / formula injection).

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and a
leading tab or carriage return can hide one), so a peer's text such as
`=HYPERLINK("http://…")` would run on the supervisor's machine. As OWASP advises, such a
cell is written with a single quote before it: the spreadsheet shows the text, and a
person reading the file sees the quote. Every CSV writer of reflect passes its cells here.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """`text`, with a single quote before it when a spreadsheet would run it."""
    return "'" + text if text.startswith(FORMULA_START) else text
