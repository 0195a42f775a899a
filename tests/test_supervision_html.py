"""The supervision log as one printable HTML page: parsed strictly in every run (as XML,
and by an HTML parser that checks nesting and what the page may hold), and rendered in
headless Chromium where Debian's package is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reflect.domain.attestation import digest
from reflect.domain.model import Attestation, Credentials, Meeting
from reflect.domain.supervision_log import build
from reflect.domain.supervision_render import html
from reflect.usecases.supervision_log import load_pack

UTC = timezone.utc
MON = datetime(2026, 3, 2, 10, tzinfo=UTC)
HOSTILE = 'Ran </style><script>alert("x")</script> & <b onclick="x()">bold</b> \x1b[2J done ]]> <!-- -->'
CHROMIUM = "/usr/bin/chromium"
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "embed", "source", "track", "wbr"}
FORBIDDEN = {"script", "link", "img", "iframe", "object", "embed", "base", "form", "input", "video", "audio", "svg"}


def meetings() -> list[Meeting]:
    out = []
    for i in (0, 1, 3):
        held = MON + timedelta(weeks=i)
        m = Meeting(
            held=held, since=held - timedelta(days=7), until=held, id=f"m{i}", peer="sam", supervisor="Dr Lee",
            minutes=60, kind="group" if i == 3 else "individual", delivery="video", summary=HOSTILE,
            competence="Listens well", credentials=Credentials("CPS-1", "LCSW-9"),
        )  # fmt: skip
        m.attestations = [Attestation(role="supervisor", name="Dr Lee", at=held, digest=digest(m))]
        out.append(m)
    out[1].growth_areas = "changed after"  # its attestation no longer holds
    return out


@pytest.fixture(scope="module")
def page() -> str:
    log = build([m.to_dict() for m in meetings()], since=MON.date(), until=(MON + timedelta(days=27)).date(), peer="sam",
                pack=load_pack("dc"), made=MON + timedelta(days=28))  # fmt: skip
    return html(log)


class StrictPage(HTMLParser):
    """An HTML parser that fails on anything a self-contained, well-nested page must not
    have: an end tag that closes nothing open, an element left open, a script or an
    outside asset, an event handler or inline style attribute, a link other than http(s)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag not in FORBIDDEN, tag
        for name, value in attrs:
            assert not name.startswith("on") and name not in ("src", "style", "srcset"), (tag, name)
            if name == "href":
                assert tag == "a" and (value or "").startswith(("https://", "http://")), (tag, value)
        self.tags.append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in VOID, f"<{tag} /> is not a void element"
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] != "style":
            self.text.append(data)


def parsed(page: str) -> StrictPage:
    parser = StrictPage()
    parser.feed(page)
    parser.close()
    assert parser.stack == [], parser.stack
    return parser


def test_well_formed_as_xml(page: str) -> None:
    root = ET.fromstring(page.split("\n", 1)[1])  # after the doctype line
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    assert root.tag == "{http://www.w3.org/1999/xhtml}html"
    sections = [s.get("id") for s in root.iterfind(".//h:body/h:section", ns)]
    assert sections == ["totals", "checks", "meetings"]  # totals and checks first
    assert len(root.findall(".//h:article", ns)) == 3
    assert root.find(".//h:script", ns) is None


def test_strict_html_and_self_contained(page: str) -> None:
    p = parsed(page)
    assert p.tags[:3] == ["html", "head", "meta"] and p.tags.count("style") == 1
    assert page.startswith("<!DOCTYPE html>")
    assert "@media print" in page and "@page" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "url(" not in page and "@import" not in page


def test_text_is_escaped_and_visible(page: str) -> None:
    p = parsed(page)
    text = "".join(p.text)
    assert '</style><script>alert("x")</script> & <b onclick="x()">bold</b>' in text  # shown as text
    assert "\x1b" not in page and "\\x1b[2J" in text  # a control character made visible
    assert "week of 2026-03-16: no supervision" in text
    assert text.count("NO LONGER HOLDS") == 1 and text.count(": holds") == 2


def chromium(*args: str, tmp: Path) -> subprocess.CompletedProcess[bytes]:
    cmd = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp / 'profile'}", *args,
    ]  # fmt: skip
    env = dict(os.environ, HOME=str(tmp))
    return subprocess.run(cmd, capture_output=True, timeout=120, env=env)


@pytest.mark.skipif(not (os.access(CHROMIUM, os.X_OK) and shutil.which(CHROMIUM)),
                    reason=f"headless Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)")  # fmt: skip
def test_renders_and_prints_in_chromium(page: str, tmp_path: Path) -> None:
    file = tmp_path / "log.html"
    file.write_text(page, encoding="utf-8")
    dom = chromium("--dump-dom", file.as_uri(), tmp=tmp_path)
    assert dom.returncode == 0, dom.stderr.decode(errors="replace")[-2000:]
    rendered = dom.stdout.decode("utf-8")
    assert "<script" not in rendered  # the escaped script stayed text
    assert "Supervision log: sam" in rendered and rendered.count('class="meeting"') == 3
    assert "NO LONGER HOLDS" in rendered
    pdf = tmp_path / "log.pdf"
    printed = chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", file.as_uri(), tmp=tmp_path)
    assert printed.returncode == 0, printed.stderr.decode(errors="replace")[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 2000
