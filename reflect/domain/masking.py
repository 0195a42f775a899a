"""Identifiers masked by kind for what others read: "call 555-123-4567" -> "call [phone]".

The masking itself is `privacy.mask_identifiers` (one scan, the same rules as the check
before saving); this module adds what the outputs need on top of it.
"""

from __future__ import annotations

from reflect.domain.model import clip
from reflect.domain.privacy import mask_identifiers

__all__ = ["mask_identifiers", "mask_person", "masked_summary"]


def mask_person(text: str) -> str:
    """The person field, checked as strictly as the form checks it (full names too)."""
    return mask_identifiers(text, person=True)


def masked_summary(texts: tuple[str, ...], width: int) -> str:
    """The first non-empty text, masked, then cut to `width` (masking first, so that no
    identifier is cut in half and shown in part)."""
    for text in texts:
        if text.strip():
            return clip(mask_identifiers(" ".join(text[: max(width * 8, 400)].split())), width)
    return ""
