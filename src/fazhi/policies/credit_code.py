"""统一社会信用代码 (GB 32100-2015): 18 characters, the last one a check character over the first 17."""

from __future__ import annotations

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_VALUE = {c: i for i, c in enumerate(CHARSET)}


def check_char(first17: str) -> str:
    """The check character for the first 17 characters (which must be in CHARSET)."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def problem(code: str) -> str:
    """Empty when the code is valid; otherwise a specific Chinese message."""
    code = (code or "").strip().upper()
    if len(code) != 18:
        return f"统一社会信用代码应为18位，当前为{len(code)}位。"
    for i, c in enumerate(code, start=1):
        if c not in _VALUE:
            return f"统一社会信用代码第{i}位“{c}”不是允许的字符（不使用 I、O、S、V、Z）。"
    expected = check_char(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误：第18位应为“{expected}”，实际为“{code[17]}”，请核对。"
    return ""


def is_valid(code: str) -> bool:
    return problem(code) == ""
