"""Free text -> findings that look like identifiers the journal must not hold.

The journal refers to people only by pseudonym or initials (HIPAA Safe Harbor; see
../shared/domain.md). Peers type fast and sometimes paste a phone number or a full
name; this module notices, so the app can warn on save. It never blocks: a
warning that fires on ordinary reflective prose teaches people to ignore it, so
each rule asks for a shape that prose rarely has (separators, a keyword, a
street suffix) and false positives are tested against realistic journal text.

Findings name the field and the KIND of identifier, with offsets, and never carry
the matched text: warnings go to stderr, logs and screens, and repeating an
identifier there would spread exactly what we are warning about.

Pure: no textual, no tinydb; the stdlib and one C multi-pattern matcher (ahocorasick_rs).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from itertools import accumulate, compress
from typing import Callable, Iterable, Mapping, Sequence

import ahocorasick_rs

__all__ = [
    "Finding", "KINDS", "MASKS", "scan_text", "scan_fields", "scan_many", "scan_person", "describe", "warning_line",
    "mask", "mask_identifiers",
]


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

#: What a masked span reads as: its kind in brackets, never the value (`mask_identifiers`).
MASKS: dict[str, str] = {
    "email": "[email]",
    "url": "[web address]",
    "ip": "[IP address]",
    "ssn": "[SSN]",
    "dob": "[date of birth]",
    "date": "[date]",
    "phone": "[phone]",
    "zip": "[ZIP code]",
    "address": "[address]",
    "age90": "[age over 89]",
    "record": "[record number]",
    "full_name": "[name]",
}

PERSON_FIELD = "person"
#: Fields checked as strictly as the person field (full names too): a group's theme names
#: no one (domain.md, "Groups"), and "with John Smith and Mary Jones" would.
NAME_FIELDS: tuple[str, ...] = (PERSON_FIELD, "group.theme")

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
_UNIT = r"(?:,?\s+(?i:apt|apartment|unit|suite|ste|fl|floor|#)\.?\s*+#?\s*+[A-Za-z0-9-]+)?"

_RECORD_KEYWORD = (
    r"(?i:mrn|medical\s+record|record|chart|account|acct\.?|member(?:ship)?|id|identification"
    r"|licen[cs]e|lic\.?|policy|case|patient|client|claim|plan|group|insurance|medicaid|medicare"
    r"|passport|dl|badge|serial|vin|plate|device|certificate|beneficiary|subscriber)"
)
# A code: capitals, digits and dashes, so "record 30-day streak" stays prose.
_CODE = r"[A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?"
# Literals one of which a text holds (in lower case) wherever _RECORD_KEYWORD matches.
_RECORD_STEMS = (
    "mrn", "medical", "record", "chart", "account", "acct", "member", "id", "licen", "lic", "policy",
    "case", "patient", "client", "claim", "plan", "group", "insurance", "medicaid", "medicare",
    "passport", "dl", "badge", "serial", "vin", "plate", "device", "certificate", "beneficiary", "subscriber",
)

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


# Characters that a case-insensitive pattern matches for an ASCII letter (İ ı ſ K): a
# text holding one is not prefiltered on its lowercase copy.
_FOLDS = "\u0130\u0131\u017f\u212a"
_FOLDS_RX = re.compile(f"[{_FOLDS}]")
_DIGIT_RX = re.compile(r"\d")
_ASCII = bytes(range(128))


class _Probe:
    """What one text holds, computed once per scan so a rule that cannot match is skipped."""

    __slots__ = ("text", "has_digit", "lowered", "plain")

    def __init__(self, text: str):
        self.text = text
        self.has_digit = _DIGIT_RX.search(text) is not None
        low = text.lower()
        # None: lowercase offsets differ, or a fold character; every keyword counts as present.
        folds = any(c in text for c in _FOLDS)
        self.lowered: str | None = None if folds or len(low) != len(text) else low
        # One byte per character, each non-ASCII one as "?", for the byte passes (`_starts`);
        # None where a "?" could hide what a pass looks for: a decimal digit that is not
        # ASCII (\d matches ٣) or a fold character. Curly quotes, dashes, accents and
        # emoji keep it: the passes read "?" as "maybe a space or a dash".
        self.plain: bytes | None = None
        if text.isascii():
            self.plain = text.encode("ascii")
        elif not folds:
            rest = text.encode("utf-8", "surrogatepass").translate(None, _ASCII)
            if _DIGIT_RX.search(rest.decode("utf-8", "surrogatepass")) is None:
                self.plain = text.encode("ascii", "replace")

    def has_any(self, literals: tuple[str, ...], folded: bool) -> bool:
        if folded:
            if self.lowered is None:
                return True
            return any(lit in self.lowered for lit in literals)
        return any(lit in self.text for lit in literals)


@dataclass(frozen=True)
class _Rule:
    """One shape of identifier.

    `start` is a character class holding the first character of every match: the
    pattern is compiled behind it, so the regex engine skips to those characters at C
    speed instead of trying the whole pattern at every position. `digit` and `needs`
    (literals, compared in lower case when `folded`) say what a text must hold for the
    rule to match at all, so most fields skip most rules after one cheap look.
    """

    kind: str
    regex: re.Pattern[str]
    fast: re.Pattern[str]
    check: Callable[[re.Match[str]], bool] | None = None
    digit: bool = True
    needs: tuple[str, ...] = ()
    folded: bool = False
    digits: str | None = None
    words: str | None = None
    rides: str = ""  # how a rule outside the two shared passes is found: email, scheme, domain, zip, vin

    def applies(self, probe: _Probe) -> bool:
        if self.digit and not probe.has_digit:
            return False
        return not self.needs or probe.has_any(self.needs, self.folded)

    def spans_at(self, text: str, starts: Iterable[int]) -> Iterable[tuple[int, int]]:
        """As `spans`, trying only `starts` (ascending): every place a match can begin."""
        pos = 0
        for start in starts:
            if start < pos:
                continue
            m = self.regex.match(text, start)
            if m is None:
                continue
            if self.check is not None and not self.check(m):
                pos = start + 1
                continue
            yield m.span("v")
            pos = max(m.end(), start + 1)

    def spans(self, text: str) -> Iterable[tuple[int, int]]:
        """Where the rule matches: the `v` group, the value without any keyword that introduced it."""
        pos = 0
        while (hit := self.fast.search(text, pos)) is not None:
            start = hit.start()
            m = self.regex.match(text, start)
            if m is None:  # the gate is looser than the rule where the rule refers back to a group
                pos = start + 1
                continue
            if self.check is not None and not self.check(m):
                pos = start + 1  # a rejected match must not hide one that starts inside it
                continue
            yield m.span("v")
            pos = max(m.end(), start + 1)


def _rule(
    kind: str,
    pattern: str,
    check: Callable[[re.Match[str]], bool] | None = None,
    *,
    start: str,
    digit: bool = True,
    needs: tuple[str, ...] = (),
    folded: bool = False,
    digits: str | None = None,
    words: str | None = None,
    rides: str = "",
) -> _Rule:
    if "(?P<v>" not in pattern:
        pattern = f"(?P<v>{pattern})"
    # The gate: `[start]` consumes the first character, the look-behind steps back over it
    # and the look-ahead tries the pattern there (a back-reference, which a look-behind
    # cannot hold, is loosened to any character; `spans` then confirms with the rule).
    loose = re.sub(r"\(\?P=\w+\)", "(?s:.)", re.sub(r"\(\?P<\w+>", "(?:", pattern))
    fast = re.compile(rf"[{start}](?<=(?=(?:{loose}))(?s:.))")
    return _Rule(kind, re.compile(pattern), fast, check, digit, needs, folded, digits, words, rides)


_D = r"\d"
_W = _FOLDS  # added to the start class of every case-insensitive keyword

_RULES: tuple[_Rule, ...] = (
    # rule order does not matter: overlaps are settled by the order of KINDS (email beats url)
    _rule(
        "email",
        r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b",
        start=r"A-Za-z0-9._%+\-", digit=False, needs=("@",), rides="email",
    ),
    _rule(
        "url", r"(?i:\b(?:https?://|ftp://|www\.)[^\s<>\"']*[^\s<>\"'.,;:!?)\]}])",
        start=f"hHfFwW{_W}", digit=False, needs=("://", "www."), folded=True, rides="scheme",
    ),
    # bare domains only with common top-level domains, so "e.g." and "etc." stay prose
    _rule(
        "url",
        r"(?i:(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|org|net|edu|gov|io|info|biz"
        r"|app|dev|co\.uk|org\.uk)\b(?:/[^\s<>\"']*[^\s<>\"'.,;:!?)\]}])?)",
        start=f"A-Za-z0-9{_W}", digit=False,
        needs=(".com", ".org", ".net", ".edu", ".gov", ".io", ".info", ".biz", ".app", ".dev", ".co.uk"),
        folded=True, rides="domain",
    ),
    _rule("ip", r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d)", _valid_ip, start=_D, needs=(".",), digits=r"\d{1,3}\.\d"),
    _rule(
        "ssn", r"(?<![\w-])(?!000|666|9\d\d)\d{3}(?P<sep>[- ])(?!00)\d{2}(?P=sep)(?!0000)\d{4}(?![\w-])", start=_D,
        digits=r"\d{3}[- ]\d",
    ),
    _rule(
        "ssn",
        r"(?i:\b(?:ssn|ss\#|social\s+security(?:\s+(?:number|no\.?|\#))?))\s*+(?:[:\#]|is|was)?\s*+"
        r"(?P<v>\d{3}[\s-]?\d{2}[\s-]?\d{4})(?!\d)",
        start=f"sS{_W}", needs=("ssn", "ss#", "social"), folded=True, words=r"ssn|ss\#|social",
    ),
    _rule(
        "dob",
        r"(?i:\b(?:born|d\.?o\.?b\.?|birthday|b-?day|birth\s*date|date\s+of\s+birth))"
        r"(?:\s*+[:,–-])?\s*+(?:(?i:is|was|on|of|the|in)\s++){0,3}"
        rf"(?P<v>{_ANY_DATE})",
        lambda m: _valid_numeric_date(m) if re.fullmatch(r"[\d/.-]+", m.group("v")) else True,
        start=f"bBdD{_W}", needs=("born", "dob", "d.ob", "do.b", "d.o.b", "birth", "bday", "b-day", "date"),
        folded=True, words=r"born|d\.?o\.?b|birth|b-?day|date",
    ),
    _rule(
        "age90", r"(?i:\bborn\s++(?:in\s++)?)(?P<v>1[89]\d\d|20\d\d)\b", _born_long_ago,
        start=f"bB{_W}", needs=("born",), folded=True, words="born",
    ),
    _rule("date", _NUM_DATE, _valid_numeric_date, start=_D, digits=r"\d{1,4}[/.-]\d"),
    _rule(
        "date", _TEXT_DATE, start=rf"\dJjFfMmAaSsOoNnDd{_W}",
        digits=r"\d{1,2}(?:st|nd|rd|th)?\s++(?:of\s++)?(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
        words="|".join(
            f"{m}\\b" for m in "jan january feb february mar march apr april may jun june jul july aug august sep sept"
            " september oct october nov november dec december".split()
        ),
    ),
    # phones: 555-123-4567, (555) 123 4567, +1 555.123.4567
    _rule(
        "phone",
        rf"(?<![\w+/.-])(?:\+?1{_PHONE_SEP}?)?(?:\(\d{{3}}\){_PHONE_SEP}?|\d{{3}}{_PHONE_SEP})"
        rf"\d{{3}}{_PHONE_SEP}\d{{4}}(?![\w/-]|\.\d)",
        start=r"\d(+",
        digits=r"\+?1[\s.\-–]?(?:\(\d{3}\)|\d{3}[\s.\-–])|\(\d{3}\)|\d{3}[\s.\-–]\d",
    ),
    _rule("phone", r"(?<![\w+/.:-])\d{3}[-–]\d{4}(?![\w/-]|\.\d)", start=_D, digits=r"\d{3}[-–]\d"),  # 555-1234
    # international: +44 20 7946 0958, +33 1 23 45 67 89, +49 (0)30 123456
    _rule(
        "phone", r"(?<![\w+])\+\d{1,3}(?:[\s.\-–]?(?:\(\d{1,4}\)|\d{1,5}+)){1,7}(?![\w/-]|\.\d)", _intl_phone,
        start=r"+", needs=("+",), digits=r"\+\d",
    ),
    # national with a trunk 0: 020 7946 0958, 07700 900123
    _rule(
        "phone",
        r"(?<![\w+/.-])(?:\(0\d{1,4}\)|0\d{1,4})[\s.\-–]?\d{3,4}[\s.\-–]?\d{3,4}(?![\w/-]|\.\d)",
        _national_phone,
        start=r"(0", digits=r"\(?0\d",
    ),
    _rule(
        "phone", r"(?i:\b(?:phone|cell|mobile|tel|fax|call|text)\b)\W{0,3}(?P<v>\d{10,11})(?!\d)",
        start=f"pPcCmMtTfF{_W}", needs=("phone", "cell", "mobile", "tel", "fax", "call", "text"), folded=True,
        words=r"phone\b|cell\b|mobile\b|tel\b|fax\b|call\b|text\b",
    ),
    _rule(
        "zip", rf"(?i:\b(?:zip|zip\s*code|zipcode|postal\s+code)\b)\s*+(?:[:\#]|is|was)?\s*+(?P<v>{_ZIP})",
        start=f"zZpP{_W}", needs=("zip", "postal"), folded=True, words="zip|postal",
    ),
    _rule("zip", rf"\b(?:{_STATES}|{_STATE_NAMES})\.?,?\s++(?P<v>{_ZIP})", start="A-Z", rides="zip"),
    _rule("zip", r"(?<![\w-])\d{5}-\d{4}(?![\w-])", start=_D, needs=("-",), digits=r"\d{5}-\d"),  # ZIP+4 is distinctive on its own
    _rule(
        "address",
        rf"\b\d{{1,6}}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:{_STREET_WORD}\s+){{1,3}}{_STREET_SUFFIX}\b\.?{_UNIT}",
        start=_D, digits=r"\d{1,6}[A-Za-z]?\s++(?:[A-Z]|\d+(?:st|nd|rd|th))",
    ),
    _rule("address", r"(?i:\bp\.?\s?o\.?\s+box\s+\d+)", start=f"pP{_W}", needs=("box",), folded=True, words=r"p\.?\s?o\.?\s"),
    _rule("age90", rf"\b{_AGE}[\s-]*(?i:years?|yrs?\.?)[\s-]*(?i:old)\b", start=_D, needs=("old",), folded=True,
        digits=rf"{_AGE}[\s-]*+[yY]"),
    _rule("age90", rf"\b{_AGE}\s*(?i:y/o|y\.o\.|yo)(?!\w)", start=_D, needs=("y/o", "y.o.", "yo"), folded=True,
        digits=rf"{_AGE}\s*+[yY]"),
    _rule(
        "age90", rf"(?i:\b(?:aged?|age\s+of|ages?:))\s*+(?P<v>{_AGE})\b{_NOT_A_DURATION}",
        start=f"aA{_W}", needs=("age",), folded=True, words="age",
    ),
    _rule(
        "age90", rf"(?i:\bturn(?:ed|s|ing)?)\s++(?P<v>{_AGE})\b{_NOT_A_DURATION}",
        start=f"tT{_W}", needs=("turn",), folded=True, words="turn",
    ),
    _rule("age90", rf"\b{_AGE}(?i:th)\s+(?i:birthday)", start=_D, needs=("birthday",), folded=True,
        digits=rf"{_AGE}[tT][hH]"),
    _rule(
        "record",
        rf"\b{_RECORD_KEYWORD}(?:\s*+(?i:number|no\.?|num\.?|nr\.?|\#))?\s*+(?:[:\#]|(?i:is|was))?\s*+"
        rf"(?P<v>{_CODE})(?![\w])",
        _record_code,
        start=f"mMrRcCaAiIlLpPgGdDbBsSvV{_W}",
        needs=_RECORD_STEMS, folded=True, words="|".join(_RECORD_STEMS),
    ),
    _rule("record", r"(?<![\d.,])\d{8,}(?![\d]|[.,]\d)", start=_D, digits=r"\d{8}"),  # any long run of digits is someone's number
    _rule("record", r"(?<![\w-])\d{4}(?:[ -]\d{4}){2,3}(?![\w-])", start=_D, digits=r"\d{4}[ -]\d{4}"),  # card-like groups
    # a vehicle identification number: 17 characters, no I, O or Q, letters and digits
    _rule(
        "record", r"\b(?=[A-HJ-NPR-Z0-9]*\d)(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17}\b",
        start="A-HJ-NPR-Z0-9", rides="vin",
    ),
)

# --- shared passes: where rules may start -----------------------------------------------
#
# Most rules begin at a digit or at a keyword. Rather than one pass per rule, one pass finds
# every digit that starts a number (for the rules with a `digits` prefix) and one finds the
# keywords at word starts in the lowercase copy (for the rules with a `words` prefix); an
# empty group per rule records which prefixes hold there. A prefix is a necessary condition
# for its rule to match at that place, so the rule, tried only there with `match`, finds
# exactly what `search` finds. Two pseudo-rules ride along on the digit pass: a ZIP (for the
# state-name rule, which starts at a letter) and the first digit of a vehicle number.


def _marks(prefixes: list[str]) -> str:
    """One group per prefix, holding the character here (truthy, for `compress`) when that
    prefix holds here, else None. Every prefix reads at least one character."""
    return "".join(f"(?:(?=(?:{p}))(?=((?s:.)))|)" for p in prefixes)


_DIGIT_RULES = tuple(r for r in _RULES if r.digits is not None)
_WORD_RULES = tuple(r for r in _RULES if r.words is not None)
_STATE_ZIP = next(r for r in _RULES if r.rides == "zip")
_VIN = next(r for r in _RULES if r.rides == "vin")
_VIN_CHAR = "[0-9A-HJ-NPR-Z]"
_DIGIT_PREFIXES = [r.digits or "" for r in _DIGIT_RULES] + [
    rf"\d{{5}}(?:-\d{{4}})?(?![\w-])",  # a ZIP after a state name
    # the first digit of a 17-character vehicle number: letters before it, or 17 from here
    rf"(?<=[A-HJ-NPR-Z]){_VIN_CHAR}{{1,16}}\b|{_VIN_CHAR}{{17}}\b",
]
# What every digit prefix above implies, in a few cheap alternatives: the gate tries these
# at each number, and the prefixes themselves only where one holds (most numbers in prose,
# "45 minutes", "3pm", "10:30", fail at once).
_DIGIT_ANY = (
    r"[(+]\d|0\d|\d{5}|\d{1,4}[.\-–/]\d"
    r"|\d{1,6}[A-Za-z]?\s++(?:[A-Z\d]|[yY]|of\s|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))"
    r"|(?:9\d|1[01]\d)(?:[\s-]*+[yY]|[tT][hH])|\d{1,2}(?:st|nd|rd|th)\s|1[\s.\-–]?\(|(?<=[A-HJ-NPR-Z])"
)
# a digit, "(" or "+" not after a digit: every digit rule refuses a digit before its start
_DIGIT_GATE = re.compile(rf"[\d(+](?<=(?<!\d)(?={_DIGIT_ANY})(?s:.))")

# --- the byte passes ---------------------------------------------------------------
#
# The engine skips to a literal first character at memory speed, but tests a class
# ([0-9(+]) character by character, and enters a keyword alternation at every space. So
# the gate and the keyword pass run on bytes copies of the text, one byte per character
# (`_Probe.plain`), where `bytes.translate` has made what they look for literal:
#
# - numbers: every digit 1-9 reads "1" and "+" reads "(" (`_NUMBERS`), so three literal
#   passes ("1", "0", "(") find where a number may start. Each pass asks `_DIGIT_ANY` with
#   the values it lost loosened (`9\d` is any two digits), "?" (any non-ASCII character)
#   allowed wherever `\s` or "–" is, and every run of digits or spaces taken whole (nothing
#   after one reads a digit or a space): it holds wherever `_DIGIT_ANY` holds, and the
#   marks, on the text itself, decide.
# - keywords: every character but [0-9a-z_] reads " " and capitals read small (`_WORDS`),
#   so a keyword at a word start is " " and its letters: the images of every keyword
#   (`_images`) are found in one pass by an Aho-Corasick automaton, in C.

_NUMBERS = bytes.maketrans(b"23456789+", b"11111111(")
_SPACE = r"\t-\r\x1c-\x20?"  # \s (with \x1c-\x1f, as str.isspace) or any non-ASCII character
# What may follow the spaces after a number: a capital or a digit, "y", "of " or a month, the
# month (?i:jan|feb|...) spelt with a small first letter (a capital is in [A-Z]), so each
# alternative starts with a literal the engine checks before entering it.
_AFTER_SPACES = (
    rf"[A-Z01yY(]|j[aA][nN]|j[uU][nNlL]|f[eE][bB]|m[aA][rRyY]|a(?:[pP][rR]|[uU][gG])|s[eE][pP]"
    rf"|o(?:f[{_SPACE}]|[cC][tT])|n[oO][vV]|d[eE][cC]"
)
_AFTER_RUN = (  # what may follow a number's run of digits, for `_DIGIT_ANY`, by its first character
    rf"[{_SPACE}]++(?:{_AFTER_SPACES}|[{_SPACE}\-]*+[yY])|[.\-?/](?:[01(]|[{_SPACE}\-]*+[yY])"
    rf"|[A-Za-z](?:[{_SPACE}]++(?:{_AFTER_SPACES})|(?<=[tT])[hH]|(?<=[snrt])[tdh][{_SPACE}])|[yY(]"
)
_NUMBER_GATES = tuple(
    re.compile(p.encode())
    for p in (
        rf"1(?<![01]1)(?:(?<=[A-HJ-NPR-Z]1)|(?=[01]{{4}}|[01]*+(?:{_AFTER_RUN})))",
        rf"0(?<![01]0)(?:(?<=[A-HJ-NPR-Z]0)|(?=[01]|{_AFTER_RUN}))",
        r"\((?<![01]\()(?:(?<=[A-HJ-NPR-Z]\()|(?=[01]))",
    )
)
_WORDS = bytes(
    c + 32 if 65 <= c <= 90 else c if 48 <= c <= 57 or 97 <= c <= 122 or c == 95 else 32 for c in range(256)
)


def _images(alternative: str) -> list[bytes]:
    """Every form a keyword alternative (`words`) takes in the keyword copy: its letters,
    each escaped character, "-" or \\s a space, each optional one there and not there.

    A final \\b reads as a space too, though a word also ends where the text does: no
    image is found there, which is exact because every word rule needs a digit after its
    keyword."""
    forms = [b""]
    for atom, optional in re.findall(r"(\\.|[^\\?])(\??)", alternative):
        if atom not in (r"\s", r"\b") and not re.fullmatch(r"\\?[-.#a-z0-9]", atom):
            raise ValueError(f"a keyword the byte pass cannot read: {alternative!r}")
        image = b" " if atom in (r"\s", r"\b") else atom[-1].encode().translate(_WORDS)
        forms = [f + image for f in forms] + (forms if optional else [])
    return forms


def _image_rules() -> dict[bytes, tuple[int, ...]]:
    """Each keyword image after the space that starts a word, and the word rules (by index
    in _WORD_RULES) one of whose keywords it is."""
    rules: dict[bytes, list[int]] = {}
    for i, rule in enumerate(_WORD_RULES):
        for alternative in (rule.words or "").split("|"):
            for form in _images(alternative):
                found = rules.setdefault(b" " + form, [])
                if i not in found:
                    found.append(i)
    return {image: tuple(found) for image, found in sorted(rules.items())}


_KEYWORD_IMAGES, _KEYWORD_RULES = zip(*_image_rules().items())
_KEYWORD_MATCHER = ahocorasick_rs.BytesAhoCorasick(list(_KEYWORD_IMAGES))
_DIGIT_MARKS = re.compile(_marks(_DIGIT_PREFIXES))
_WORD_MARKS = re.compile(_marks([r.words or "" for r in _WORD_RULES]))
_SHARED = (*_DIGIT_RULES, *(r for r in _WORD_RULES if r.digits is None), _VIN)


def _number_starts(probe: _Probe) -> list[int]:
    """Where the digit gate holds, or may: ascending."""
    if probe.plain is None:
        return [m.start() for m in _DIGIT_GATE.finditer(probe.text)]
    numbers = probe.plain.translate(_NUMBERS)
    found: list[int] = []
    for gate in _NUMBER_GATES:
        found += [m.start() for m in gate.finditer(numbers)]
    found.sort()
    return found


def _keyword_starts(probe: _Probe, low: str) -> list[list[int]]:
    """For each word rule, where one of its keywords may start in `low` at a word start
    (unordered, maybe twice): the image is a necessary condition, the rule decides."""
    found: list[list[int]] = [[] for _ in _WORD_RULES]
    plain = probe.plain if probe.plain is not None else low.encode("ascii", "replace")
    for image, start, _ in _KEYWORD_MATCHER.find_matches_as_indexes(plain.translate(_WORDS), overlapping=True):
        for i in _KEYWORD_RULES[image]:
            found[i].append(start + 1)
    at_start = _WORD_MARKS.match(low)  # the text's first word, which no character precedes
    for i, hit in enumerate(at_start.groups() if at_start else ()):
        if hit is not None:
            found[i].append(0)
    return found


def _starts(probe: _Probe) -> tuple[dict[int, list[int]], bool]:
    """For each rule (by id) that the shared passes serve, the places it may start
    (ascending); and whether the text holds a ZIP the state-name rule could follow."""
    n = len(_DIGIT_RULES)
    found: list[list[int]] = [[] for _ in range(n + 2)]
    text = probe.text
    match = _DIGIT_MARKS.match
    which = range(n + 2)
    for at in _number_starts(probe):
        marks = match(text, at)
        if marks is None:
            continue
        for i in compress(which, marks.groups()):
            found[i].append(at)
    out: dict[int, list[int]] = {id(rule): starts for rule, starts in zip(_DIGIT_RULES, found) if starts}
    vin = [s for at in found[n + 1] for s in range(max(0, at - 16), at + 1)]  # a vehicle number starts at most 16 back
    if vin:
        out[id(_VIN)] = sorted(set(vin))  # overlapping ranges
    low = probe.lowered
    if low is not None:
        for rule, starts in zip(_WORD_RULES, _keyword_starts(probe, low)):
            if starts:
                out[id(rule)] = sorted(set(starts + out.get(id(rule), [])))  # maybe served twice
    return out, bool(found[n])


# The three rules that need no digit start next to a literal: found with str.find and
# str.rstrip, which run at memory speed.
_EMAIL = next(r for r in _RULES if r.rides == "email")
_SCHEME = next(r for r in _RULES if r.rides == "scheme")
_DOMAIN = next(r for r in _RULES if r.rides == "domain")
_LOCAL_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-"
_DOMAIN_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789.-"
_TLD = re.compile(r"\.(?:com|org|net|edu|gov|io|info|biz|app|dev|co\.uk|org\.uk)\b")


def _finds(text: str, literal: str) -> Iterable[int]:
    at = text.find(literal)
    while at >= 0:
        yield at
        at = text.find(literal, at + 1)


def _email_starts(text: str) -> list[int]:
    """Where an address may start: the first character of the run of local-part characters
    before each "@" (a match starts there, its look-behind refuses any later place)."""
    out = []
    prev = 0
    for at in _finds(text, "@"):
        start = prev + len(text[prev:at].rstrip(_LOCAL_CHARS))
        if start < at:
            out.append(start)
        prev = at + 1
    return out


def _scheme_starts(text: str, low: str) -> list[int]:
    found = [at - k for at in _finds(text, "://") for k in (5, 4, 3) if at >= k]  # https, http, ftp
    found += _finds(low, "www.")
    return sorted(set(found))


def _domain_starts(low: str) -> list[int]:
    """Where a bare domain may start: the first character of the run of domain characters
    holding a dot and a known top-level domain."""
    out: list[int] = []
    prev, prev_start = 0, 0
    for m in _TLD.finditer(low):
        dot = m.start()
        start = prev + len(low[prev:dot].rstrip(_DOMAIN_CHARS))
        if start == prev and out and prev > 0:
            start = prev_start  # the same run as the previous dot
        if not out or out[-1] != start:
            out.append(start)
        prev, prev_start = dot, start
    return out


def _candidates(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of every match of every rule, before overlaps are settled."""
    probe = _Probe(text)
    low = probe.lowered
    out: list[tuple[str, int, int]] = []

    def run(rule: _Rule, starts: Iterable[int]) -> None:
        out.extend((rule.kind, s, e) for s, e in rule.spans_at(text, starts))

    def own(rule: _Rule) -> None:
        if rule.applies(probe):
            out.extend((rule.kind, s, e) for s, e in rule.spans(text))

    if "@" in text:
        run(_EMAIL, _email_starts(text))
    if low is None:  # a fold character (ſ, K...) matches a keyword letter: each rule its own pass
        own(_SCHEME)
        own(_DOMAIN)
    else:
        if "://" in text or "www." in low:
            run(_SCHEME, _scheme_starts(text, low))
        if "." in text:
            run(_DOMAIN, _domain_starts(low))
    if not probe.has_digit:
        return out  # every other rule needs a digit
    starts, zip_seen = _starts(probe)
    for rule in _SHARED:
        if rule.words is not None and low is None:
            own(rule)
        elif id(rule) in starts:
            run(rule, starts[id(rule)])
    if zip_seen:
        own(_STATE_ZIP)
    return out


# --- the person field -------------------------------------------------------------

# Atomic: a word is taken whole once, so a long capitalised run is read in one pass.
_NAME_WORD = r"(?>[A-Z][A-Za-z'’-]*[a-z][A-Za-z'’-]*|[A-Z][A-Z'’-]{1,}[A-Z])"
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
    """One finding per stretch of text: the most specific kind wins, then the longest span.

    Taken characters are marked in a bytearray, so each candidate costs its own length and
    a text with many findings stays linear."""
    chosen: list[tuple[str, int, int]] = []
    taken = bytearray(max((end for _, _, end in candidates), default=0))
    for kind, start, end in sorted(candidates, key=lambda c: (_PRIORITY[c[0]], c[1] - c[2], c[1])):
        if start < end and taken.find(1, start, end) < 0:
            chosen.append((kind, start, end))
            taken[start:end] = b"\x01" * (end - start)
    return [Finding(field, kind, start, end) for kind, start, end in sorted(chosen, key=lambda c: c[1])]


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


# Between fields scanned as one text: whitespace, then characters no rule reads on through
# ("<" ends a web address; no keyword, separator or number continues over "<>"; at most three
# non-word characters follow a phone keyword), so each field's findings are what a scan of
# that field alone gives, and a look-around at a field's edge sees what it sees at a text's end.
_FIELD_SEP = "\n<>\n"


#: About how many characters of free text one joined scan reads (`scan_many`): the fixed
#: costs of a scan (a dozen passes, the lowercase and byte copies) are paid once per batch,
#: and the copies stay a few megabytes however many records there are.
_BATCH = 1 << 20


def scan_fields(fields: Mapping[str, str]) -> list[Finding]:
    """Findings for many fields (e.g. `Entry.text_fields()`), field by field in the order given.

    The field named "person" gets the stricter `scan_person` check, because it is the one
    place a real name is most likely to be typed; so does a group's theme (`NAME_FIELDS`),
    which names no one. The fields are scanned as one text
    (joined by _FIELD_SEP), which costs one scan per entry rather than one per field.
    """
    return scan_many([fields])[0]


def scan_many(records: Sequence[Mapping[str, str]]) -> list[list[Finding]]:
    """`scan_fields` of each record, in order, from one scan of all their fields joined by
    _FIELD_SEP (a batch of about `_BATCH` characters at a time): 25,000 entries pay a
    scan's fixed costs a few times rather than 25,000 times. A person or name field
    (`NAME_FIELDS`) rides along and is checked for full names on its own.

    Lean on purpose: the bookkeeping per field runs in C (extend, map, accumulate,
    compress), and nothing is built per field that has no finding, since allocating
    hundreds of thousands of small lists wakes the garbage collector, which then walks
    everything the caller holds (a whole import)."""
    names: list[str] = []
    texts: list[str] = []
    for fields in records:
        names.extend(fields)
        texts.extend(fields.values())
    counts = list(map(len, records))
    if not all(map(str.__instancecheck__, texts)) or not all(texts):  # rare: drop what is not text
        keep = [isinstance(t, str) and bool(t) for t in texts]
        names, texts = list(compress(names, keep)), list(compress(texts, keep))
        starts = accumulate(counts, initial=0)
        counts = [sum(keep[a : a + n]) for a, n in zip(starts, counts)]
    ends = list(accumulate((len(t) + len(_FIELD_SEP) for t in texts), initial=0))
    found: dict[int, list[Finding]] = {}
    first = 0
    while first < len(texts):
        # as many texts as fit in _BATCH characters, at least one
        stop = max(bisect_right(ends, ends[first] + _BATCH) - 1, first + 1)
        found.update(_scan_joined(names, texts, first, stop))
        first = stop
    if not found:
        return [[] for _ in counts]
    out: list[list[Finding]] = []
    firsts = list(accumulate(counts, initial=0))
    hits = sorted(found)
    h = 0
    for r in range(len(counts)):
        findings: list[Finding] = []
        stop = firsts[r + 1]
        while h < len(hits) and hits[h] < stop:
            findings += found[hits[h]]
            h += 1
        out.append(findings)
    return out


def _scan_joined(names: list[str], texts: list[str], first: int, stop: int) -> dict[int, list[Finding]]:
    """The findings of texts[first:stop] (by index, only those with findings), from one
    scan of them joined by _FIELD_SEP."""
    offsets = list(accumulate((len(t) + len(_FIELD_SEP) for t in texts[first : stop - 1]), initial=0))
    by_text: dict[int, list[tuple[str, int, int]]] = {}
    for kind, start, end in _candidates(_FIELD_SEP.join(texts[first:stop])):
        i = bisect_right(offsets, start) - 1
        by_text.setdefault(first + i, []).append((kind, start - offsets[i], end - offsets[i]))
    named = list(compress(range(first, stop), map(NAME_FIELDS.__contains__, names[first:stop])))
    if named:  # the name fields joined too: one pass of the name rules for all of them
        starts = list(accumulate((len(texts[k]) + len(_FIELD_SEP) for k in named[:-1]), initial=0))
        for s, e in _full_names(_FIELD_SEP.join(texts[k] for k in named)):
            i = bisect_right(starts, s) - 1
            by_text.setdefault(named[i], []).append(("full_name", s - starts[i], e - starts[i]))
    return {k: _resolve(names[k], found) for k, found in sorted(by_text.items())}


def mask(text: str, findings: Iterable[Finding]) -> str:
    """`text` with each finding's span replaced by its kind in brackets (`[phone]`).

    The findings must come from one scan of this very text (they do not overlap)."""
    out: list[str] = []
    pos = 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < pos:
            continue  # not from one scan: keep the first of two overlapping spans
        out.append(text[pos : f.start])
        out.append(MASKS[f.kind])
        pos = f.end
    out.append(text[pos:])
    return "".join(out)


def mask_identifiers(text: str, *, person: bool = False) -> str:
    """`text` with every span the privacy check flags replaced by its kind, e.g.
    "call 555-123-4567" -> "call [phone]": for output a supervisor reads (agendas), where
    an identifier saved with "Save anyway" must not travel on. `person=True` masks as the
    person field is checked (full names too)."""
    if not text:
        return text
    return mask(text, scan_person(text) if person else scan_text("", text))


def describe(findings: Iterable[Finding]) -> list[str]:
    """One line per finding, e.g. "listen.story: looks like a phone number". Never the value."""
    return [f"{f.field}: looks like {f.label}" for f in findings]


def warning_line(findings: Iterable[Finding]) -> str:
    """A single line for stderr summarising findings by field; "" when there are none.

    Saving goes ahead regardless: the warning asks the peer to edit, it does not refuse.
    """
    by_field: dict[str, list[str]] = {}
    for f in findings:
        labels = by_field.setdefault(f.field, [])
        if f.label not in labels:
            labels.append(f.label)
    if not by_field:
        return ""
    parts = [f"{name} looks like {_join(labels)}" for name, labels in by_field.items()]
    return (
        "warning: " + "; ".join(parts)
        + " (the journal should hold pseudonyms or initials only; saved anyway)"
    )


def _join(labels: list[str]) -> str:
    if len(labels) <= 2:
        return " and ".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]
