"""The one hand-written JSON scanner (reflect.domain.jsonscan) and the month-file reader
built on it: positions exact, anything json.loads refuses refused."""

from __future__ import annotations

import json

import pytest

from reflect.domain.jsonscan import Scanner, element_offset, line_at
from reflect.store.storage import _scan_table


def test_members_leave_the_cursor_at_each_value_and_skip_what_is_not_read() -> None:
    text = '{"a": [1, 2], "b": {"x": "y"}, "c": 3}'
    scan = Scanner(text)
    seen = []
    for key in scan.members():
        seen.append((key, text[scan.pos]))
        if key == "b":
            at = text.index('"y"')
            assert [(k, scan.value()) for k in scan.members()] == [("x", ("y", at, at + 3))]
    assert seen == [("a", "["), ("b", "{"), ("c", "3")]
    scan.end()
    assert scan.spaced


def test_items_and_value_give_each_element_with_its_text() -> None:
    text = '[{"id":"a"},{"id":"b"},7]'
    scan = Scanner(text)
    got = []
    for n in scan.items():
        doc, start, end = scan.value()
        got.append((n, doc, text[start:end]))
    scan.end()
    assert got == [(0, {"id": "a"}, '{"id":"a"}'), (1, {"id": "b"}, '{"id":"b"}'), (2, 7, "7")]
    assert not scan.spaced


@pytest.mark.parametrize(
    "text",
    ['{"a":1,}', '{"a" 1}', '{"a":1} x', '[1,]', '[1 2]', '{"a":1', '{a:1}', "{\"a\":1}{}", ""],
)
def test_what_json_loads_refuses_the_scanner_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises((ValueError, IndexError)):
        scan = Scanner(text)
        for _ in scan.members():
            pass
        scan.end()


def test_element_offset_in_a_top_level_array_and_under_a_key() -> None:
    text = '[\n  {"id": "a"},\n  {"id": "b"}\n]'
    assert element_offset(text, None, 1) == text.index('{"id": "b"}')
    assert line_at(text, element_offset(text, None, 1) or 0) == 3
    assert element_offset(text, None, 2) is None
    packet = '{"entries": [1], "meta": {}, "entries": [\n 10,\n 20]}'
    # the last duplicate wins, as in json.loads
    assert element_offset(packet, "entries", 1) == packet.index("20")
    assert element_offset(packet, "stories", 0) is None
    assert element_offset('{"entries": {}}', "entries", 0) is None
    assert element_offset("not json", None, 0) is None


def test_scan_table_gives_each_document_with_its_exact_text() -> None:
    month = {"meta": {"1": {"x": [1, {"y": "}"}]}}, "entries": {"1": {"id": "a", "s": "é\\\""}, "2": {"id": "b"}}}
    text = json.dumps(month, ensure_ascii=False, separators=(",", ":"))
    pairs, compact = _scan_table(text, "entries")
    assert compact and [d for d, _ in pairs] == list(month["entries"].values())
    assert [json.loads(t) for _, t in pairs] == [d for d, _ in pairs]
    spaced, compact = _scan_table(json.dumps(month, indent=2), "entries")
    assert not compact and [d for d, _ in spaced] == [d for d, _ in pairs]
