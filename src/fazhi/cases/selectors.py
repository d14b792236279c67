"""以案释法 read queries."""

from __future__ import annotations

from typing import Any


def cases_for_article(article: Any) -> list[Any]:
    """Published cases that applied this law article ("相关案例"), newest first."""
    return []
