"""`fazhi data ensure`: copy the shipped evaluation rules into the admin-editable table (idempotent)."""

from __future__ import annotations

from typing import Any

from fazhi.bidding.rules import ensure_rules


def ensure_data(stdout: Any) -> None:
    added = ensure_rules()
    stdout.write(f"远程异地评标：评标规则参数{'新增 %d 条' % added if added else '已是最新'}。\n")
