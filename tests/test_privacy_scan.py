"""The identifier scan is linear and fast, and finds exactly what it found before (issue 8, item 16).

Before, 29 regexes ran one by one over every field (about 6.5 s per MB; some patterns
backtracked super-linearly on runs of spaces or letters). The scan now marks where rules
may start in two shared passes and tries each rule only there. A copy of the scan as it
was is kept below, and the new one must give the same findings on a corpus of sample
texts, on seeded random texts built from identifier-like pieces, and on adversarial
inputs. Speed is measured by bench/bench_privacy.py, not here (no wall-clock thresholds).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable

import pytest

from reflect.domain import privacy as new

# ======================================================================================
# The scan before issue 8 (reflect/domain/privacy.py at 4f5c490), kept verbatim as the
# reference: Finding, KINDS, the rules, _resolve, scan_text and scan_person.
# ======================================================================================

@dataclass(frozen=True)
class Finding:
    """Where something identifying seems to be: field, kind and offsets, never the value."""

    field: str
    kind: str
    start: int
    end: int

    @property
    def label(self) -> str:
        return KINDS[self.kind]


# Ordered most specific first: when two findings overlap, the earlier kind wins.
KINDS: dict[str, str] = {
    "email": "an email address",
    "url": "a web address",
    "ip": "an IP address",
    "ssn": "a social security number",
    "dob": "a date of birth",
    "date": "a full date",
    "phone": "a phone number",
    "zip": "a ZIP code",
    "address": "a street address",
    "age90": "an age over 89",
    "record": "a record, account or ID number",
    "full_name": "a full name",
}
_PRIORITY = {kind: i for i, kind in enumerate(KINDS)}

PERSON_FIELD = "person"

# --- building blocks ------------------------------------------------------------

_MONTH = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORD = r"(?:st|nd|rd|th)?"
# Dates with a year: the shapes that pin a day, month and year.
_NUM_DATE = (
    r"(?<![\w./-])(?:"
    r"\d{1,2}(?P<s1>[/-])\d{1,2}(?P=s1)(?:\d{4}|\d{2})"  # 03/14/1985, 3-14-85
    r"|\d{1,2}\.\d{1,2}\.\d{4}"  # 14.03.1985
    r"|\d{4}(?P<s2>[/.-])\d{1,2}(?P=s2)\d{1,2}"  # 1985-03-14
    r")(?![\w/-]|\.\d)"
)
_TEXT_DATE = (
    rf"\b(?:{_MONTH}\s+\d{{1,2}}{_ORD},?\s+\d{{4}}"  # March 14, 1985
    rf"|\d{{1,2}}{_ORD}\s+(?:of\s+)?{_MONTH},?\s+\d{{4}})\b"  # 14th of March 1985
)
# Day and month without a year: only identifying next to a birth keyword.
_DAY_MONTH = (
    rf"(?:{_MONTH}\s+\d{{1,2}}{_ORD}\b|\b\d{{1,2}}{_ORD}\s+(?:of\s+)?{_MONTH}"
    r"|(?<![\w/])\d{1,2}/\d{1,2}(?![\w/]))"
)
_ANY_DATE = rf"(?:{_NUM_DATE}|{_TEXT_DATE}|{_DAY_MONTH})"

_AGE = r"(?:9\d|1[01]\d)"  # 90..119
_NOT_A_DURATION = r"(?!\s*-?\s*(?:days?|weeks?|months?|hours?|minutes?|percent|%))"

_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY"
    "|NC|ND|OH|OK|OR|PA|PR|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY"
)
_STATE_NAMES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii"
    "|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan"
    "|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico"
    "|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island"
    "|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia"
    "|Wisconsin|Wyoming|Puerto Rico"
)
_ZIP = r"\d{5}(?:-\d{4})?(?![\w-])"

_STREET_WORD = r"(?!Steps?\b)(?:[A-Z][a-zA-Z'’-]*|\d+(?:st|nd|rd|th))"
_SUFFIXES = (
    "street st avenue ave road rd boulevard blvd lane ln drive dr court ct place pl way terrace ter"
    " circle cir highway hwy parkway pkwy square sq trail trl route rte alley crescent close"
).split()
# Capitalised or all caps only: "walked 2 blocks down the road" is prose.
_STREET_SUFFIX = "(?:" + "|".join(f"{s.capitalize()}|{s.upper()}" for s in _SUFFIXES) + ")"
_UNIT = r"(?:,?\s+(?i:apt|apartment|unit|suite|ste|fl|floor|#)\.?\s*#?\s*[A-Za-z0-9-]+)?"

_RECORD_KEYWORD = (
    r"(?i:mrn|medical\s+record|record|chart|account|acct\.?|member(?:ship)?|id|identification"
    r"|licen[cs]e|lic\.?|policy|case|patient|client|claim|plan|group|insurance|medicaid|medicare"
    r"|passport|dl|badge|serial|vin|plate|device|certificate|beneficiary|subscriber)"
)
# A code: capitals, digits and dashes, so "record 30-day streak" stays prose.
_CODE = r"[A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?"

_PHONE_SEP = r"[\s.\-–]"


# --- checks on a match, for what a regex says badly ---------------------------------


def _digits(s: str) -> int:
    return sum(c.isdigit() for c in s)


def _valid_numeric_date(m: re.Match[str]) -> bool:
    """Reject 31/45/2020 and the like; accept either day-first or month-first."""
    parts = [int(p) for p in re.split(r"[/.-]", m.group("v"))]
    if len(parts) != 3:
        return True  # textual dates are checked by their shape
    if parts[0] > 31:  # year first
        return 1 <= parts[1] <= 12 and 1 <= parts[2] <= 31
    a, b = parts[0], parts[1]
    return (1 <= a <= 12 and 1 <= b <= 31) or (1 <= b <= 12 and 1 <= a <= 31)


def _intl_phone(m: re.Match[str]) -> bool:
    """ITU numbers have at most 15 digits; fewer than 8 is a count or a code, not a number."""
    return 8 <= _digits(m.group("v")) <= 15


def _national_phone(m: re.Match[str]) -> bool:
    """A trunk-0 number (020 7946 0958) must be written with a separator, or it is a record."""
    v = m.group("v")
    return 10 <= _digits(v) <= 11 and bool(re.search(r"[\s.\-–()]", v))


def _record_code(m: re.Match[str]) -> bool:
    """A code after a keyword: 4+ digits, or 2+ digits mixed with letters; never a lone year."""
    code = m.group("v")
    n = _digits(code)
    if re.fullmatch(r"(?:19|20)\d\d", code):
        return False  # "the record 2019 season", "plan 2024"
    letters = sum(c.isalpha() for c in code)
    return n >= 4 or (n >= 2 and letters >= 1 and n + letters >= 5)


def _born_long_ago(m: re.Match[str]) -> bool:
    """A birth year alone is allowed, unless it implies an age over 89."""
    return int(m.group("v")) <= date.today().year - 90


def _valid_ip(m: re.Match[str]) -> bool:
    return all(0 <= int(p) <= 255 for p in m.group("v").split("."))


@dataclass(frozen=True)
class _Rule:
    kind: str
    regex: re.Pattern[str]
    check: Callable[[re.Match[str]], bool] | None = None

    def spans(self, text: str) -> Iterable[tuple[int, int]]:
        """Where the rule matches: the `v` group, the value without any keyword that introduced it."""
        pos = 0
        while (m := self.regex.search(text, pos)) is not None:
            if self.check is not None and not self.check(m):
                pos = m.start() + 1  # a rejected match must not hide one that starts inside it
                continue
            yield m.span("v")
            pos = max(m.end(), m.start() + 1)


def _rule(kind: str, pattern: str, check: Callable[[re.Match[str]], bool] | None = None) -> _Rule:
    if "(?P<v>" not in pattern:
        pattern = f"(?P<v>{pattern})"
    return _Rule(kind, re.compile(pattern), check)


_RULES: tuple[_Rule, ...] = (
    # rule order does not matter: overlaps are settled by the order of KINDS (email beats url)
    _rule("email", r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"),
    _rule("url", r"(?i:\b(?:https?://|ftp://|www\.)[^\s<>\"']*[^\s<>\"'.,;:!?)\]}])"),
    # bare domains only with common top-level domains, so "e.g." and "etc." stay prose
    _rule(
        "url",
        r"(?i:(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|org|net|edu|gov|io|info|biz"
        r"|app|dev|co\.uk|org\.uk)\b(?:/[^\s<>\"']*[^\s<>\"'.,;:!?)\]}])?)",
    ),
    _rule("ip", r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d)", _valid_ip),
    _rule("ssn", r"(?<![\w-])(?!000|666|9\d\d)\d{3}(?P<sep>[- ])(?!00)\d{2}(?P=sep)(?!0000)\d{4}(?![\w-])"),
    _rule(
        "ssn",
        r"(?i:\b(?:ssn|ss\#|social\s+security(?:\s+(?:number|no\.?|\#))?))\s*(?:[:\#]|is|was)?\s*"
        r"(?P<v>\d{3}[\s-]?\d{2}[\s-]?\d{4})(?!\d)",
    ),
    _rule(
        "dob",
        r"(?i:\b(?:born|d\.?o\.?b\.?|birthday|b-?day|birth\s*date|date\s+of\s+birth))"
        r"(?:\s*[:,–-])?\s*(?:(?i:is|was|on|of|the|in)\s+){0,3}"
        rf"(?P<v>{_ANY_DATE})",
        lambda m: _valid_numeric_date(m) if re.fullmatch(r"[\d/.-]+", m.group("v")) else True,
    ),
    _rule("age90", r"(?i:\bborn\s+(?:in\s+)?)(?P<v>1[89]\d\d|20\d\d)\b", _born_long_ago),
    _rule("date", _NUM_DATE, _valid_numeric_date),
    _rule("date", _TEXT_DATE),
    # phones: 555-123-4567, (555) 123 4567, +1 555.123.4567
    _rule(
        "phone",
        rf"(?<![\w+/.-])(?:\+?1{_PHONE_SEP}?)?(?:\(\d{{3}}\){_PHONE_SEP}?|\d{{3}}{_PHONE_SEP})"
        rf"\d{{3}}{_PHONE_SEP}\d{{4}}(?![\w/-]|\.\d)",
    ),
    _rule("phone", r"(?<![\w+/.:-])\d{3}[-–]\d{4}(?![\w/-]|\.\d)"),  # 555-1234
    # international: +44 20 7946 0958, +33 1 23 45 67 89, +49 (0)30 123456
    _rule("phone", r"(?<![\w+])\+\d{1,3}(?:[\s.\-–]?(?:\(\d{1,4}\)|\d{1,5})){1,7}(?![\w/-]|\.\d)", _intl_phone),
    # national with a trunk 0: 020 7946 0958, 07700 900123
    _rule(
        "phone",
        r"(?<![\w+/.-])(?:\(0\d{1,4}\)|0\d{1,4})[\s.\-–]?\d{3,4}[\s.\-–]?\d{3,4}(?![\w/-]|\.\d)",
        _national_phone,
    ),
    _rule("phone", r"(?i:\b(?:phone|cell|mobile|tel|fax|call|text)\b)\W{0,3}(?P<v>\d{10,11})(?!\d)"),
    _rule("zip", rf"(?i:\b(?:zip|zip\s*code|zipcode|postal\s+code)\b)\s*(?:[:\#]|is|was)?\s*(?P<v>{_ZIP})"),
    _rule("zip", rf"\b(?:{_STATES}|{_STATE_NAMES})\.?,?\s+(?P<v>{_ZIP})"),
    _rule("zip", r"(?<![\w-])\d{5}-\d{4}(?![\w-])"),  # ZIP+4 is distinctive on its own
    _rule(
        "address",
        rf"\b\d{{1,6}}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:{_STREET_WORD}\s+){{1,3}}{_STREET_SUFFIX}\b\.?{_UNIT}",
    ),
    _rule("address", r"(?i:\bp\.?\s?o\.?\s+box\s+\d+)"),
    _rule("age90", rf"\b{_AGE}[\s-]*(?i:years?|yrs?\.?)[\s-]*(?i:old)\b"),
    _rule("age90", rf"\b{_AGE}\s*(?i:y/o|y\.o\.|yo)(?!\w)"),
    _rule("age90", rf"(?i:\b(?:aged?|age\s+of|ages?:))\s*(?P<v>{_AGE})\b{_NOT_A_DURATION}"),
    _rule("age90", rf"(?i:\bturn(?:ed|s|ing)?)\s+(?P<v>{_AGE})\b{_NOT_A_DURATION}"),
    _rule("age90", rf"\b{_AGE}(?i:th)\s+(?i:birthday)"),
    _rule(
        "record",
        rf"\b{_RECORD_KEYWORD}(?:\s*(?i:number|no\.?|num\.?|nr\.?|\#))?\s*(?:[:\#]|(?i:is|was))?\s*"
        rf"(?P<v>{_CODE})(?![\w])",
        _record_code,
    ),
    _rule("record", r"(?<![\d.,])\d{8,}(?![\d]|[.,]\d)"),  # any long run of digits is someone's number
    _rule("record", r"(?<![\w-])\d{4}(?:[ -]\d{4}){2,3}(?![\w-])"),  # card-like groups
    # a vehicle identification number: 17 characters, no I, O or Q, letters and digits
    _rule("record", r"\b(?=[A-HJ-NPR-Z0-9]*\d)(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17}\b"),
)

# --- the person field -------------------------------------------------------------

_NAME_WORD = r"(?:[A-Z][A-Za-z'’-]*[a-z][A-Za-z'’-]*|[A-Z][A-Z'’-]{1,}[A-Z])"
# Words that describe a role, so "Client A" or "Young Person" is a pseudonym, not a name.
_ROLE_WORDS = {
    "client", "person", "participant", "peer", "guest", "resident", "patient", "member", "group",
    "someone", "friend", "the", "a", "an", "and", "man", "woman", "young", "old", "older", "younger",
    "new", "caller", "walk", "in", "walk-in", "visitor", "family", "parent", "mother", "father",
    "mom", "dad", "son", "daughter", "partner", "vet", "veteran", "youth", "adult", "anonymous",
    "unknown", "unnamed", "same", "first", "second", "repeat", "returning", "regular",
}
_NAME_RUN = re.compile(rf"(?<![\w'’-]){_NAME_WORD}(?:\s+(?:[A-Z]\.?\s+)?{_NAME_WORD})+(?![\w'’-])")
_TITLED = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Mister)\.?\s+{_NAME_WORD}(?![\w'’-])")


def _full_names(value: str) -> list[tuple[int, int]]:
    """Spans of two or more capitalised name words, or a title with a surname."""
    spans = [m.span() for m in _TITLED.finditer(value)]
    for m in _NAME_RUN.finditer(value):
        words = [w for w in re.findall(_NAME_WORD, m.group()) if w.lower() not in _ROLE_WORDS]
        if len(words) >= 2:
            spans.append(m.span())
    return spans


# --- the public API ---------------------------------------------------------------


def _resolve(field: str, candidates: list[tuple[str, int, int]]) -> list[Finding]:
    """One finding per stretch of text: the most specific kind wins, then the longest span."""
    chosen: list[tuple[str, int, int]] = []
    for kind, start, end in sorted(candidates, key=lambda c: (_PRIORITY[c[0]], c[1] - c[2], c[1])):
        if start < end and all(end <= s or start >= e for _, s, e in chosen):
            chosen.append((kind, start, end))
    return [Finding(field, kind, start, end) for kind, start, end in sorted(chosen, key=lambda c: c[1])]


def _candidates(text: str) -> list[tuple[str, int, int]]:
    return [(rule.kind, s, e) for rule in _RULES for s, e in rule.spans(text)]


def scan_text(field: str, text: str) -> list[Finding]:
    """Findings in one free-text field, in order of position."""
    if not text:
        return []
    return _resolve(field, _candidates(text))


def scan_person(value: str) -> list[Finding]:
    """The person field should be a pseudonym or initials: flag full names and any identifier."""
    if not value:
        return []
    names = [("full_name", s, e) for s, e in _full_names(value)]
    return _resolve(PERSON_FIELD, _candidates(value) + names)


# ======================================================================================
# The comparison
# ======================================================================================


def both(text: str) -> tuple[list[tuple[str, int, int]], list[tuple[str, int, int]]]:
    return [(f.kind, f.start, f.end) for f in scan_text("f", text)], [
        (f.kind, f.start, f.end) for f in new.scan_text("f", text)
    ]


def both_person(text: str) -> tuple[list[tuple[str, int, int]], list[tuple[str, int, int]]]:
    return [(f.kind, f.start, f.end) for f in scan_person(text)], [
        (f.kind, f.start, f.end) for f in new.scan_person(text)
    ]


CORPUS = [
    "Call her on 555-123-4567 tomorrow, or (555) 123 4567, or +1 555.123.4567 after group.",
    "mum's landline +44 20 7946 0958 in London; try +33 1 23 45 67 89. Her mobile 07700 900123.",
    "wrote to maria.g+peer@example.org and x.y@example.com; see https://example.com/a, www.example.net.",
    "on facebook.com/maria.g.99 she posts; the log showed 192.168.1.24 twice; version 1.2.3.",
    "gave me 123-45-6789 by mistake. SSN 123456789 was on the form; social security number: 123 45 6789",
    "MRN 00451234; her Medicaid ID: XJ-44719; account number is 12-3456-78; member #A12345 at the clinic",
    "driver's license D1234567, policy no. 7788-12, case 20451, wrote down 123456789012, card 4111 1111 1111 1111",
    "she lives at 123 Main St with her aunt; moved to 42 Oak Avenue Apt 4; 1600 N. Martin Luther King Blvd.",
    "mail goes to PO Box 1234, Springfield, IL 62704, zip code 94110, somewhere in Ohio 43215, 94110-1234.",
    "she was born on 03/14/1985; DOB: 1985-03-14; his birthday is March 14; date of birth 14th of March 1985",
    "admitted 03/14/2024 to detox, discharged on 14.03.2024, court date is March 3, 2026.",
    "her grandmother is 93 years old, a 95-year-old neighbour, aged 95, he turned 90, her 100th birthday.",
    "born in 1920 in a small town; VIN 1HGCM82633A004352 on the title; JH4KA3240HC003578.",
    "in 2026 we start again; we tried 3 times, then 10 more; met at 10:30 and left at 11:15.",
    "on 2019-2021 I was using; call 988 together, or 911; text HOME to 741741; a score of 7/10, maybe 24/7.",
    "between 100-200 people, 2 - 3 visits; broke my record 30-day streak; the record 2019 season and plan 2024.",
    "in case 2 people show up, member 3 of the group; $1,250,000 raised and 1234567 views.",
    "we walked 2 blocks down the road; step 12 is the 12 Step Way of life; the 3 of us went up the street.",
    "on 5/12 we met, and again 6/1; she was born in 1985; in March 2019 I relapsed; e.g. the group, etc.",
    "90 days clean and turning 90 days sober; she is 45 years old, aged 30; a 90 minute meeting, 95 percent sure.",
    "Maria Gonzalez, maria: Maria J. Gonzalez, Mrs Gonzalez, Dr. O'Brien, JOHN SMITH, Client Mary-Jane McDonald",
    "ſsn 123-45-6789 and İD 12345678 and the Kelvin sign K; ١٢٣-٤٥-٦٧٨٩ in other digits; it’s 555–1234.",
    "id\u00a0\u00a0 : A1234, ACCT. no. 99-1234, Lic # XY12345, zip: 02110, ZIP CODE 02110-1234, PO  BOX 7",
    "Email a@b.org, phone 555-123-4567, lives at 9 Elm Street, Boston MA 02110.",
]


@pytest.mark.parametrize("text", CORPUS, ids=[t[:30] for t in CORPUS])
def test_the_corpus_gives_the_same_findings_as_before(text: str) -> None:
    old, now = both(text)
    assert now == old
    old_p, now_p = both_person(text)
    assert now_p == old_p


def test_the_corpus_as_one_text_and_journal_prose_give_the_same_findings() -> None:
    from tests.test_privacy import JOURNAL_PROSE

    text = "\n\n".join(CORPUS) + "\n" + JOURNAL_PROSE
    old, now = both(text)
    assert now == old and len(now) > 50


PIECES = [
    "555-123-4567", "(555) 123 4567", "+1 555 123 4567", "+44 20 7946 0958", "07700 900123", "555-1234",
    "cell:", "5551234567", "a@b.org", "x@y", "@", ".", "123-45-6789", "SSN", "social security number",
    "123 45 6789", "123456789", "MRN", "00451234", "Medicaid ID:", "XJ-44719", "account number is", "case",
    "20451", "4111 1111 1111 1111", "123 Main St", "42 Oak Avenue Apt 4", "N.", "Blvd.", "PO Box 1234",
    "born on", "03/14/1985", "DOB:", "1985-03-14", "birthday is", "March 14", "14th of March 1985",
    "14.03.2024", "March 3, 2026", "https://example.com/x", "www.example.net", "facebook.com/m",
    "192.168.1.24", "Springfield, IL 62704", "zip code 94110", "Ohio 43215", "New York", "94110-1234",
    "93 years old", "95-year-old", "aged 95", "turned 90", "100th birthday", "born in 1920",
    "1HGCM82633A004352", "Maria Gonzalez", "Mrs Gonzalez", "JOHN SMITH", "the", "I", "We", "2019", "3pm",
    "7/10", "90 days", "10:30", "1.2.3", "e.g.", "id", "is", "was", "  ", "\n", ",", "-", "/", "#", ":",
    "(", ")", "+", "0", "9", "12", "999", "Step", "Way", "Road", "St", "ſsn", "K", "İd", "ı", "’", "–",
    "٣٤٥", "Apt", "#4", "of", "in", "yo", "y/o", "th", "Tel", "FAX", "Zip", "p.o. box 7", "Lic.", "ACCT",
]  # fmt: skip


def random_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 25)):
        if rng.random() < 0.2:
            parts.append("".join(rng.choice("0123456789 -./()+@:#aAbZ") for _ in range(rng.randint(1, 12))))
        else:
            parts.append(rng.choice(PIECES))
        parts.append(rng.choice([" ", " ", "", "  ", "\n", ", "]))
    return "".join(parts)


@pytest.mark.parametrize("seed", range(4))
def test_random_texts_give_the_same_findings_as_before(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(1500):
        text = random_text(rng)
        old, now = both(text)  # each scan once: the old one is slow on purpose (a verbatim copy)
        assert now == old, repr(text)
        old_p, now_p = both_person(text)
        assert now_p == old_p, repr(text)


def adversarial(n: int) -> dict[str, str]:
    rng = random.Random(7)
    return {
        "digits and spaces": "".join(rng.choice("0123456789 ") for _ in range(n)),
        "capitalised words": " ".join(rng.choice(["Abc", "Main", "Street", "New", "York", "Mr"]) for _ in range(n // 5)),
        "dots and at signs": "".join(rng.choice(".@") for _ in range(n)),
        "one long word": "A" + "b" * n,
        "keyword then spaces": "id" + " " * n + "!",
        "born then spaces": "born" + " " * n + "x",
        "plus and digits": ("+" + "1" * 40 + "x ") * (n // 43 + 1),
        "letters and dots": ".".join("ab" for _ in range(n // 3)) + ".x",
    }


@pytest.mark.parametrize("name", list(adversarial(0)))
def test_adversarial_inputs_give_the_same_findings_as_before(name: str) -> None:
    text = adversarial(300)[name]  # small: the old scan is cubic on some of these
    old, now = both(text)
    assert now == old
    old_p, now_p = both_person(text)
    assert now_p == old_p


@pytest.mark.parametrize("name", list(adversarial(0)))
def test_adversarial_inputs_of_200_kb_are_scanned(name: str) -> None:
    """The old scan does not finish these (a keyword, then a megabyte of spaces, was cubic)."""
    text = adversarial(200_000)[name]
    findings = new.scan_text("f", text)
    assert all(0 <= f.start < f.end <= len(text) for f in findings)
    new.scan_person(text)


def test_every_rule_is_found_through_a_gate_that_skips_at_engine_speed() -> None:
    """Each rule's own pass starts with a character class (the engine skips to it without
    trying the pattern); the rules that begin at digits or keywords share two passes."""
    for rule in new._RULES:
        assert rule.fast.pattern.startswith("["), rule.regex.pattern
    assert len(new._DIGIT_RULES) >= 10 and len(new._WORD_RULES) >= 8


def test_no_whitespace_run_is_split_by_backtracking() -> None:
    """Adjacent `\\s*` separated only by optional parts are possessive: a keyword followed
    by a long run of spaces is read once, not in every split of the run."""
    split_run = re.compile(r"\\s\*\)?\??\(\?:[^)]*\)\?\\s\*(?!\+)")
    assert any(split_run.search(rule.regex.pattern) for rule in _RULES)  # the copy above had them
    for rule in new._RULES:
        assert not split_run.search(rule.regex.pattern), rule.regex.pattern


# ======================================================================================
# The byte passes and the batch API (issue 8, item 16, second round)
# ======================================================================================

# Characters a phone keyboard or a paste brings: curly quotes, dashes, accents, emoji (outside
# the BMP), no-break, thin and line-separator spaces, a lone surrogate (JSON allows one), \x00
# and the ASCII separators \s matches in a str.
FAST_EXTRAS = [
    "’", "“", "”", "—", "–", "é", "ü", "😀", "\xa0", "\u2009", "\u2028", "\x00", "\x1c", "\x85", "?", "‑", "\ud800",
]  # fmt: skip
# What sends a text to the str passes: a decimal digit that is not ASCII, and the fold characters.
SLOW_EXTRAS = ["٣", "٤٥", "１２", "ſ", "K", "İ", "ı"]


ASCII_PIECES = [p for p in PIECES if p.isascii()]


def extra_text(rng: random.Random, extras: list[str]) -> str:
    """A random text of identifier pieces (as `random_text`, the ASCII ones) with the
    `extras` dropped in, often right next to a number or a keyword."""
    parts = []
    for _ in range(rng.randint(1, 20)):
        parts.append(rng.choice(ASCII_PIECES) if rng.random() < 0.7 else rng.choice(extras))
        parts.append(rng.choice([" ", "", "\n", ", ", rng.choice(extras)]))
    return "".join(parts)


def reference_fields(fields: dict[str, object]) -> list[tuple[str, str, int, int]]:
    """`scan_fields` as the reference scan gives it: each field alone, person and name fields
    by `scan_person`."""
    out = []
    for name, text in fields.items():
        if not isinstance(text, str) or not text:
            continue
        found = scan_person(text) if name in new.NAME_FIELDS else scan_text(name, text)
        out += [(name, f.kind, f.start, f.end) for f in found]
    return out


def flat(findings: list[new.Finding]) -> list[tuple[str, str, int, int]]:
    return [(f.field, f.kind, f.start, f.end) for f in findings]


# What the digit gate looks for after a number, each spelt a few ways.
GATE_PIECES = [
    "1", "90", "09", "2024", "12345", "7", " ", "\t", "\x1c", "\x85", "\xa0", "–", "-", ".", "/", "(", "+", "st ",
    "nd\n", "rd\x1f", "th", "TH", "y", "Y", "of ", "A", "Q", "z", "’", "ſ", "٣", "é", "Jan", "sEp", "DEC",
    *"jan feb mar apr may jun jul aug sep oct nov dec".split(),
]  # fmt: skip


def old_number_starts(text: str) -> set[int]:
    return {m.start() for m in new._DIGIT_GATE.finditer(text)}


def trie(alternatives: list[str]) -> str:
    """The alternatives grouped by first letter, so the engine rejects most words at once."""
    by_letter: dict[str, list[str]] = {}
    for alt in alternatives:
        by_letter.setdefault(alt[0], []).append(alt[1:])
    return "|".join(f"{c}(?:{'|'.join(rest)})" for c, rest in sorted(by_letter.items()))


def old_keyword_starts(low: str) -> set[int]:
    """The two keyword passes as they were (a str regex after a space, one after any other
    character, and the text's start): what the byte pass must find, or more. A keyword
    that ends the text (a \\b there) starts no match, and is left out."""
    words = [alt.replace(r"\b", r"\b(?=.)") for r in new._WORD_RULES for alt in (r.words or "").split("|")]
    keywords = trie(words)
    found = {m.start() + 1 for m in re.finditer(f" (?:{keywords})", low)}
    found |= {m.start() + 1 for m in re.finditer(f"[^0-9a-z_ ](?:{keywords})", low)}
    if re.match(f"(?:{keywords})", low):
        found.add(0)
    return found


def test_curly_quotes_dashes_and_emoji_take_the_byte_passes() -> None:
    text = "She said “call me on 555–123–4567 — it’s fine” 😀 and I’m born on 03/14/1985…"
    assert new._Probe(text).plain is not None
    assert new._Probe("fine, 555-123-4567 and ٣ more").plain is None  # \d matches ٣: the str passes
    assert new._Probe("ſsn 123-45-6789").plain is None  # a fold character: the str passes
    old, now = both(text)
    assert now == old and {k for k, _, _ in now} == {"phone", "dob"}


@pytest.mark.parametrize("extras", [FAST_EXTRAS, SLOW_EXTRAS], ids=["byte passes", "str passes"])
def test_non_ascii_texts_give_the_same_findings_as_before(extras: list[str]) -> None:
    rng = random.Random(11)
    fast = 0
    for _ in range(500):
        text = extra_text(rng, extras)
        fast += new._Probe(text).plain is not None
        old, now = both(text)
        assert now == old, repr(text)
        old_p, now_p = both_person(text)
        assert now_p == old_p, repr(text)
    assert fast == 500 if extras is FAST_EXTRAS else fast < 250


@pytest.mark.parametrize("extras", [[" "], FAST_EXTRAS, SLOW_EXTRAS], ids=["ascii", "byte passes", "str passes"])
def test_the_byte_passes_find_every_start_the_str_passes_found(extras: list[str]) -> None:
    """Each pass on its own, on many texts (no reference scan, so many): a start missed
    here could be one no test text happens to need."""
    rng = random.Random(5)
    texts = [*CORPUS, *adversarial(400).values()] + [extra_text(rng, extras) for _ in range(3000)]
    texts += [random_text(rng) for _ in range(3000)]
    texts += ["".join(rng.choice(GATE_PIECES) for _ in range(rng.randint(1, 8))) for _ in range(3000)]
    for text in texts:
        probe = new._Probe(text)
        assert set(new._number_starts(probe)) >= old_number_starts(text), repr(text)
        if probe.lowered is not None:
            found = {s for starts in new._keyword_starts(probe, probe.lowered) for s in starts}
            assert found >= old_keyword_starts(probe.lowered), repr(text)


def test_every_keyword_image_is_a_space_and_letters() -> None:
    """The images the matcher looks for: what `_WORDS` makes of each keyword (and its
    optional dots, dashes and spaces), after the space that starts a word."""
    assert b" d o b" in new._KEYWORD_IMAGES and b" dob" in new._KEYWORD_IMAGES
    assert b" b day" in new._KEYWORD_IMAGES and b" ss " in new._KEYWORD_IMAGES
    for image in new._KEYWORD_IMAGES:
        assert image.startswith(b" ") and image.translate(new._WORDS) == image
    with pytest.raises(ValueError):
        new._images("licen[cs]e")  # a class the image maker cannot spell out


def test_a_keyword_that_ends_the_text_starts_no_match() -> None:
    """Why an image may end in a space where the keyword ends in \\b: each rule needs a
    digit after its keyword, so none matches a text that ends with the keyword."""
    for rule in new._WORD_RULES:
        for alt in (rule.words or "").split("|"):
            for form in new._images(alt):
                keyword = form.decode().strip()
                for text in (keyword, "x " + keyword, keyword.upper(), "x " + keyword + " "):
                    assert list(rule.spans(text)) == [], (rule.kind, text)


def names_and_texts(rng: random.Random) -> dict[str, object]:
    fields: dict[str, object] = {}
    for name in rng.sample(["person", "group.theme", "listen.story", "reflect.impact", "notes", "a", "b"], 4):
        fields[name] = rng.choice([random_text(rng), random_text(rng), extra_text(rng, FAST_EXTRAS), "", None, 7])
    return fields


def test_scan_many_gives_what_each_record_alone_gives_before() -> None:
    rng = random.Random(3)
    records = [names_and_texts(rng) for _ in range(300)]
    many = new.scan_many(records)  # type: ignore[arg-type]
    assert [flat(f) for f in many] == [reference_fields(r) for r in records]
    assert many == [new.scan_fields(r) for r in records]  # type: ignore[arg-type]
    assert new.scan_many([]) == [] and new.scan_many([{}, {"x": ""}]) == [[], []]


def test_scan_many_in_small_batches_gives_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch closes between two fields wherever it fills: every place gives the same."""
    rng = random.Random(4)
    records = [names_and_texts(rng) for _ in range(100)]
    whole = new.scan_many(records)  # type: ignore[arg-type]
    for batch in (1, 30, 200):
        monkeypatch.setattr(new, "_BATCH", batch)
        assert new.scan_many(records) == whole  # type: ignore[arg-type]


EDGES = [
    "555-123-4567", "born on", "03/14/1985", "MRN", "00451234", "Ohio", "43215", "www.", "example.com",
    "a@", "b.org", "x.y", "@b.org", "+44", "20 7946 0958", "123", "45-6789", "SSN", "123-45-6789", "PO Box",
    "1234", "1HGCM8263", "3A004352", "Maria", "Gonzalez", "turned", "90", "ZIP code", "02110", "<>", "\n<>\n",
    "\n", " ", "(", "555) 123 4567", "ſsn", "٣", "call", "5551234567", "March", "14, 1985", "Street", "42 Oak",
]  # fmt: skip


def test_fields_at_the_edges_of_a_join_are_their_own() -> None:
    """Two fields whose ends would make an identifier together, were they one text: each
    gives what it gives alone, in scan_fields and across records in scan_many."""
    pairs = [(a, b) for a in EDGES for b in EDGES]
    records = [{"listen.story": a, "notes": b} for a, b in pairs]
    records += [{"person": a, "group.theme": b, "notes": a + b} for a, b in pairs[::7]]
    expected = [reference_fields(r) for r in records]  # type: ignore[arg-type]
    assert [flat(new.scan_fields(r)) for r in records] == expected
    assert [flat(f) for f in new.scan_many(records)] == expected
