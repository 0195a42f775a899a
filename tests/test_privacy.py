"""The privacy check: each kind found, ordinary journal prose left alone, values never echoed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from reflect.domain import privacy
from reflect.domain.privacy import KINDS, Finding, describe, scan_fields, scan_person, scan_text, warning_line


def found(text: str) -> list[tuple[str, str]]:
    """(kind, matched text) pairs, so a failing test shows what was picked out."""
    return [(f.kind, text[f.start : f.end]) for f in scan_text("f", text)]


# --- each kind: found, with the offsets of the value --------------------------------

POSITIVES = [
    # phone
    ("phone", "Call her on 555-123-4567 tomorrow.", "555-123-4567"),
    ("phone", "His cell is (555) 123-4567.", "(555) 123-4567"),
    ("phone", "text 555.123.4567 after group", "555.123.4567"),
    ("phone", "the number was 555 123 4567", "555 123 4567"),
    ("phone", "reach him at +1 555 123 4567", "+1 555 123 4567"),
    ("phone", "mum's landline +44 20 7946 0958 in London", "+44 20 7946 0958"),
    ("phone", "try +33 1 23 45 67 89.", "+33 1 23 45 67 89"),
    ("phone", "her mobile 07700 900123", "07700 900123"),
    ("phone", "the old line 555-1234 still works", "555-1234"),
    ("phone", "cell: 5551234567", "5551234567"),
    # email
    ("email", "wrote to maria.g+peer@example.org about it", "maria.g+peer@example.org"),
    # ssn
    ("ssn", "gave me 123-45-6789 by mistake", "123-45-6789"),
    ("ssn", "SSN 123456789 was on the form", "123456789"),
    ("ssn", "social security number: 123 45 6789", "123 45 6789"),
    # record
    ("record", "MRN 00451234 on the discharge paper", "00451234"),
    ("record", "her Medicaid ID: XJ-44719", "XJ-44719"),
    ("record", "account number is 12-3456-78", "12-3456-78"),
    ("record", "member #A12345 at the clinic", "A12345"),
    ("record", "driver's license D1234567", "D1234567"),
    ("record", "policy no. 7788-12", "7788-12"),
    ("record", "case 20451 with probation", "20451"),
    ("record", "wrote down 123456789012 for me", "123456789012"),
    ("record", "card 4111 1111 1111 1111", "4111 1111 1111 1111"),
    # address
    ("address", "she lives at 123 Main St with her aunt", "123 Main St"),
    ("address", "moved to 42 Oak Avenue Apt 4 last week", "42 Oak Avenue Apt 4"),
    ("address", "the shelter on 1600 N. Martin Luther King Blvd.", "1600 N. Martin Luther King Blvd."),
    ("address", "mail goes to PO Box 1234", "PO Box 1234"),
    # dob
    ("dob", "she was born on 03/14/1985, she said", "03/14/1985"),
    ("dob", "DOB: 1985-03-14", "1985-03-14"),
    ("dob", "his birthday is March 14 and he dreads it", "March 14"),
    ("dob", "date of birth 14th of March 1985", "14th of March 1985"),
    # date
    ("date", "admitted 03/14/2024 to detox", "03/14/2024"),
    ("date", "discharged on 14.03.2024", "14.03.2024"),
    ("date", "court date is March 3, 2026", "March 3, 2026"),
    # url
    ("url", "her blog https://example.com/maria-story, which", "https://example.com/maria-story"),
    ("url", "see www.example.net.", "www.example.net"),
    ("url", "on facebook.com/maria.g.99 she posts", "facebook.com/maria.g.99"),
    # ip
    ("ip", "the log showed 192.168.1.24 twice", "192.168.1.24"),
    # zip
    ("zip", "Springfield, IL 62704 is home", "62704"),
    ("zip", "zip code 94110", "94110"),
    ("zip", "somewhere in Ohio 43215", "43215"),
    ("zip", "the form said 94110-1234", "94110-1234"),
    # age over 89
    ("age90", "her grandmother is 93 years old", "93 years old"),
    ("age90", "a 95-year-old neighbour", "95-year-old"),
    ("age90", "aged 95, still sharp", "95"),
    ("age90", "he turned 90 last week", "90"),
    ("age90", "her 100th birthday party", "100th birthday"),
    ("age90", "born in 1920 in a small town", "1920"),
]


@pytest.mark.parametrize(("kind", "text", "value"), POSITIVES, ids=[f"{k}:{t[:24]}" for k, t, _ in POSITIVES])
def test_each_kind_is_found_at_the_right_offsets(kind: str, text: str, value: str) -> None:
    assert found(text) == [(kind, value)]
    [f] = scan_text("listen.story", text)
    assert f == Finding("listen.story", kind, text.index(value), text.index(value) + len(value))


NEGATIVES = [
    # phone look-alikes
    ("phone", "in 2026 we start again"),
    ("phone", "we tried 3 times, then 10 more"),
    ("phone", "met at 10:30 and left at 11:15"),
    ("phone", "on 2019-2021 I was using"),
    ("phone", "call 988 together, or 911"),
    ("phone", "text HOME to 741741"),
    ("phone", "a score of 7/10, maybe 24/7"),
    # email look-alikes
    ("email", "I was @ the meeting, at 3 @ noon"),
    # ssn look-alikes
    ("ssn", "between 100-200 people, 2 - 3 visits"),
    # record look-alikes
    ("record", "broke my record 30-day streak"),
    ("record", "the record 2019 season and plan 2024"),
    ("record", "in case 2 people show up, member 3 of the group"),
    ("record", "$1,250,000 raised and 1234567 views"),
    # address look-alikes
    ("address", "we walked 2 blocks down the road"),
    ("address", "step 12 is the 12 Step Way of life"),
    ("address", "the 3 of us went up the street"),
    # date look-alikes
    ("date", "on 5/12 we met, and again 6/1"),
    ("date", "she was born in 1985 and grew up fast"),
    ("date", "in March 2019 I relapsed"),
    # url look-alikes
    ("url", "e.g. the group, etc. and so on."),
    # ip look-alikes
    ("ip", "version 1.2.3 of the workbook"),
    # zip look-alikes
    ("zip", "we raised 12000 dollars; 25000 steps"),
    # age look-alikes
    ("age90", "90 days clean and turning 90 days sober"),
    ("age90", "she is 45 years old, aged 30"),
    ("age90", "a 90 minute meeting, 95 percent sure"),
]


@pytest.mark.parametrize(("kind", "text"), NEGATIVES, ids=[f"{k}:{t[:24]}" for k, t in NEGATIVES])
def test_look_alikes_are_not_found(kind: str, text: str) -> None:
    assert found(text) == []


JOURNAL_PROSE = """\
We met for 45 minutes at the drop-in, starting around 3pm. J. talked about the
week before her court date and how hard it is to sleep. She said she is three
years sober as of this spring, and that step 12 feels far away some days. I
mostly listened; I asked two open questions and reflected back the fear.

It stirred my own stuff. In 2019 I relapsed after 18 months, and I remembered
sitting in my car outside a meeting for 20 minutes, not going in. I felt a
tightness in my chest, maybe a 7/10. I noticed I wanted to fix it for her.
We walked 2 blocks down the road to the coffee place and back.

I shared a small part: that I had 90 days clean twice before it stuck, and that
the third time I had a sponsor I called every day at 10:30. She laughed and
said "3 times, huh". We agreed she will go to the Tuesday 7pm meeting, try the
Big Book page 164 again, and call 988 if the nights get bad. Next time I want
to ask more and tell less. For supervision: how do I hold back when my story
feels 100% relevant? Maybe 2 or 3 sessions more, 1-on-1, then group.
"""


def test_realistic_journal_prose_produces_no_findings() -> None:
    assert scan_text("listen.story", JOURNAL_PROSE) == []
    for i, paragraph in enumerate(JOURNAL_PROSE.split("\n\n")):
        assert found(paragraph) == [], f"paragraph {i}"


# --- overlaps -------------------------------------------------------------------


def test_overlapping_matches_report_once_with_the_most_specific_kind() -> None:
    # a phone number after "account number" is also a record code; an SSN is also a long run
    assert found("account number 555-123-4567") == [("phone", "555-123-4567")]
    assert found("SSN 123456789") == [("ssn", "123456789")]
    # a date after "born" is a date of birth, not a plain date
    assert found("born 03/14/1985") == [("dob", "03/14/1985")]
    # the domain of an email is not also a web address
    assert found("x.y@example.com") == [("email", "x.y@example.com")]
    assert found("https://192.168.0.1/admin") == [("url", "https://192.168.0.1/admin")]


def test_several_findings_come_in_text_order() -> None:
    text = "Email a@b.org, phone 555-123-4567, lives at 9 Elm Street, Boston MA 02110."
    assert found(text) == [
        ("email", "a@b.org"),
        ("phone", "555-123-4567"),
        ("address", "9 Elm Street"),
        ("zip", "02110"),
    ]


def test_empty_text_has_no_findings() -> None:
    assert scan_text("question", "") == []
    assert scan_person("") == []
    assert scan_fields({}) == []


# --- the person field -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "span"),
    [
        ("Maria Gonzalez", "Maria Gonzalez"),
        ("maria: Maria J. Gonzalez", "Maria J. Gonzalez"),
        ("Mrs Gonzalez", "Mrs Gonzalez"),
        ("Dr. O'Brien", "Dr. O'Brien"),
        ("JOHN SMITH", "JOHN SMITH"),
        ("Client Mary-Jane McDonald", "Client Mary-Jane McDonald"),
    ],
)
def test_person_flags_a_full_name(value: str, span: str) -> None:
    [f] = scan_person(value)
    assert (f.field, f.kind) == ("person", "full_name")
    assert value[f.start : f.end] == span


@pytest.mark.parametrize(
    "value", ["M.G.", "MG", "J", "Maria", "Client A", "Young Person", "Mr. G", "the walk-in", "R (repeat)"]
)
def test_person_accepts_pseudonyms_and_initials(value: str) -> None:
    assert scan_person(value) == []


def test_person_flags_any_identifier_too() -> None:
    assert [(f.kind, f.field) for f in scan_person("JD 555-123-4567")] == [("phone", "person")]
    assert [f.kind for f in scan_person("jd@example.com")] == ["email"]


def test_full_names_are_only_checked_in_the_person_field() -> None:
    # free text is full of capitalised pairs: "Big Book", "Narcotics Anonymous", names of places
    assert scan_text("listen.story", "Maria Gonzalez came to Narcotics Anonymous") == []


def test_scan_fields_keeps_field_order_and_checks_person_strictly() -> None:
    fields = {
        "person": "Maria Gonzalez",
        "listen.story": "call 555-123-4567",
        "reflect.feelings": "scared, then calm",
        "question": "is x@y.org ok?",
    }
    assert [(f.field, f.kind) for f in scan_fields(fields)] == [
        ("person", "full_name"),
        ("listen.story", "phone"),
        ("question", "email"),
    ]


# --- messages: field and kind, never the value ---------------------------------------

SECRETS = {
    "person": "Maria Gonzalez",
    "listen.story": "her number 555-123-4567 and SSN 123-45-6789",
    "question": "mail maria@example.org?",
}


def test_describe_names_field_and_kind() -> None:
    lines = describe(scan_fields(SECRETS))
    assert lines == [
        "person: looks like a full name",
        "listen.story: looks like a phone number",
        "listen.story: looks like a social security number",
        "question: looks like an email address",
    ]


def test_warning_line_summarises_by_field() -> None:
    line = warning_line(scan_fields(SECRETS))
    assert line == (
        "warning: person looks like a full name; "
        "listen.story looks like a phone number and a social security number; "
        "question looks like an email address "
        "(the journal should hold pseudonyms or initials only; saved anyway)"
    )
    assert "\n" not in line


def test_warning_line_is_empty_without_findings() -> None:
    assert warning_line([]) == ""
    assert describe([]) == []


def test_no_value_is_ever_echoed() -> None:
    findings = scan_fields(SECRETS)
    out = "\n".join(describe(findings)) + "\n" + warning_line(findings) + "\n" + repr(findings)
    for value in ("Maria", "Gonzalez", "555", "4567", "123-45", "6789", "maria@", "example.org"):
        assert value not in out


def test_every_positive_example_is_reported_without_its_value() -> None:
    for kind, text, value in POSITIVES:
        findings = scan_text("f", text)
        assert all(value not in line for line in describe(findings)), kind
        assert value not in warning_line(findings), kind


def test_every_kind_has_a_label_and_every_label_reads_as_a_noun_phrase() -> None:
    assert set(KINDS) == {
        "phone", "email", "ssn", "record", "address", "dob", "date",
        "url", "ip", "zip", "age90", "full_name",
    }
    for label in KINDS.values():
        assert label.split()[0] in {"a", "an"}


def test_module_is_pure() -> None:
    """privacy imports the standard library and the C keyword matcher only (design.md: no
    textual, no tinydb)."""
    tree = ast.parse(Path(privacy.__file__).read_text(encoding="utf-8"))
    imported = {
        (node.module or "").split(".")[0] if isinstance(node, ast.ImportFrom) else alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    stdlib = {"__future__", "re", "bisect", "dataclasses", "datetime", "itertools", "typing"}
    assert imported <= stdlib | {"ahocorasick_rs"}
