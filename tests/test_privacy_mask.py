"""Masking (issue 8, item 6): spans the privacy check flags are replaced by their kind.

An identifier saved with "Save anyway" must not reach the supervisor's agenda verbatim;
`mask_identifiers` is the pure part agenda rendering uses in every format.
"""

from __future__ import annotations

import pytest

from reflect.domain.privacy import KINDS, MASKS, mask, mask_identifiers, scan_text

# the 7 kinds named in issue 8 item 5, each in a sentence
SEVEN = [
    ("phone", "Call her on 555-123-4567 tomorrow.", "Call her on [phone] tomorrow.", "555-123-4567"),
    ("email", "wrote to maria.g+peer@example.org about it", "wrote to [email] about it", "maria.g+peer@example.org"),
    ("ssn", "gave me 123-45-6789 by mistake", "gave me [SSN] by mistake", "123-45-6789"),
    ("dob", "she was born on 03/14/1985, she said", "she was born on [date of birth], she said", "03/14/1985"),
    ("address", "she lives at 123 Main St with her aunt", "she lives at [address] with her aunt", "123 Main St"),
    ("url", "her blog https://example.com/maria-story, which", "her blog [web address], which",
     "https://example.com/maria-story"),
    ("record", "MRN 00451234 on the discharge paper", "MRN [record number] on the discharge paper", "00451234"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "text", "masked", "value"), SEVEN, ids=[k for k, *_ in SEVEN])
def test_each_of_the_seven_kinds_is_masked_by_kind(kind: str, text: str, masked: str, value: str) -> None:
    assert [f.kind for f in scan_text("f", text)] == [kind]
    out = mask_identifiers(text)
    assert out == masked
    assert value not in out


def test_all_seven_in_one_text_are_all_masked() -> None:
    text = " ".join(t for _, t, _, _ in SEVEN)
    out = mask_identifiers(text)
    for kind, _, _, value in SEVEN:
        assert value not in out
        assert MASKS[kind] in out


def test_overlapping_findings_are_masked_once_with_the_winning_kind() -> None:
    # a phone number after "account number" is also a record code; an SSN is also a long run
    assert mask_identifiers("account number 555-123-4567") == "account number [phone]"
    assert mask_identifiers("SSN 123456789") == "SSN [SSN]"
    assert mask_identifiers("born 03/14/1985") == "born [date of birth]"
    assert mask_identifiers("x.y@example.com") == "[email]"
    assert mask_identifiers("https://192.168.0.1/admin") == "[web address]"


def test_adjacent_findings_each_get_a_mask() -> None:
    text = "Email a@b.org, phone 555-123-4567, lives at 9 Elm Street, Boston MA 02110."
    assert mask_identifiers(text) == "Email [email], phone [phone], lives at [address], Boston MA [ZIP code]."


def test_text_without_identifiers_is_returned_unchanged() -> None:
    prose = "We met for 45 minutes; in 2019 I relapsed, and 90 days clean felt far away."
    assert mask_identifiers(prose) == prose
    assert mask_identifiers("") == ""


def test_the_person_field_masks_full_names_too() -> None:
    assert mask_identifiers("Maria Gonzalez") == "Maria Gonzalez"  # free text: names are prose
    assert mask_identifiers("Maria Gonzalez", person=True) == "[name]"
    assert mask_identifiers("JD 555-123-4567", person=True) == "JD [phone]"


def test_every_kind_has_a_mask_that_names_no_value() -> None:
    assert set(MASKS) == set(KINDS)
    for label in MASKS.values():
        assert label.startswith("[") and label.endswith("]")
        assert len(label) > 2 and "\n" not in label


def test_mask_keeps_the_first_of_two_overlapping_spans() -> None:
    found = scan_text("f", "call 555-123-4567 now")
    assert mask("call 555-123-4567 now", found + found) == "call [phone] now"
