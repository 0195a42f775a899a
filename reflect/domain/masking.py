"""Identifiers masked by kind: "call 555-123-4567" -> "call [phone]".

A stand-in with the signature `privacy.mask_identifiers(text) -> str` will have once the
faster privacy check lands (another part of issue 8); then this module goes and its
callers import that one. Built on `privacy.scan_text`, which gives kinds and spans.
"""

from __future__ import annotations

from reflect.domain.privacy import scan_person, scan_text


def _mask(text: str, spans: list[tuple[str, int, int]]) -> str:
    out: list[str] = []
    pos = 0
    for kind, start, end in spans:
        out.append(text[pos:start])
        out.append(f"[{kind}]")
        pos = end
    out.append(text[pos:])
    return "".join(out)


def mask_identifiers(text: str) -> str:
    """`text` with each span the privacy check flags replaced by `[kind]`."""
    if not text:
        return text
    return _mask(text, [(f.kind, f.start, f.end) for f in scan_text("", text)])


def masked_summary(texts: tuple[str, ...], width: int) -> str:
    """The first non-empty text, masked, then cut to `width` (masking first, so that no
    identifier is cut in half and shown in part)."""
    from reflect.domain.model import clip

    for text in texts:
        if text.strip():
            return clip(mask_identifiers(" ".join(text[: max(width * 8, 400)].split())), width)
    return ""


def mask_person(text: str) -> str:
    """The person field, checked as strictly as the form checks it (full names too)."""
    if not text:
        return text
    return _mask(text, [(f.kind, f.start, f.end) for f in scan_person(text)])
