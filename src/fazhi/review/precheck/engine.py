"""Entry point of the precheck pipeline."""

from __future__ import annotations

from fazhi.review.precheck.types import Finding


def check(text: str, doc_type: str = "") -> list[Finding]:
    """All findings for a draft's text, ordered by position."""
    return []
