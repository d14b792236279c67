"""Chinese numerals in legal texts: 第一百零一条, 第十条之一, 第二款, （三）. One helper used everywhere."""

from __future__ import annotations

import re

DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "Ｏ": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "壹": 1,
    "贰": 2,
    "叁": 3,
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
}
UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS) + "0123456789０１２３４５６７８９"
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def cn_to_int(text: str) -> int:
    """Parse a Chinese or Arabic numeral: '一百零一' → 101, '十' → 10, '二十' → 20, '105' → 105.

    Raises ValueError on anything else.
    """
    s = text.strip().translate(_FULLWIDTH)
    if not s:
        raise ValueError("空的数字")
    if s.isdigit():
        return int(s)
    total = 0
    section = 0
    current = None
    for ch in s:
        if ch in DIGITS:
            current = DIGITS[ch] if current is None else current * 10 + DIGITS[ch]
        elif ch in UNITS:
            unit = UNITS[ch]
            if unit == 10000:
                total += (section + (current or 0)) * unit
                section = 0
            else:
                section += (1 if current is None else current) * unit
            current = None
        else:
            raise ValueError(f"不是数字：{text}")
    return total + section + (current or 0)


def int_to_cn(n: int) -> str:
    """101 → '一百零一', 10 → '十', 110 → '一百一十' (the form laws use)."""
    if n < 0:
        raise ValueError("负数")
    if n == 0:
        return "零"
    digits = "零一二三四五六七八九"
    if n >= 10000:
        high, low = divmod(n, 10000)
        rest = int_to_cn(low) if low else ""
        if low and low < 1000:
            # After 万 a leading 十 keeps its 一 (20010 → 二万零一十, not 二万零十).
            rest = "零" + ("一" + rest if rest.startswith("十") else rest)
        return int_to_cn(high) + "万" + rest
    parts = []
    units = [(1000, "千"), (100, "百"), (10, "十")]
    zero_pending = False
    for value, name in units:
        d, n = divmod(n, value)
        if d:
            if zero_pending:
                parts.append("零")
                zero_pending = False
            parts.append(digits[d] + name)
        elif parts:
            zero_pending = True
    if n:
        if zero_pending:
            parts.append("零")
        parts.append(digits[n])
    out = "".join(parts)
    if out.startswith("一十"):
        out = out[1:]
    return out


_ARTICLE = re.compile(rf"^第([{NUMERAL_CHARS}]+)条(?:之([{NUMERAL_CHARS}]+))?$")


def parse_article_label(label: str) -> tuple[int, int]:
    """'第十条之一' → (10, 1); '第一百零一条' → (101, 0). Raises ValueError if not an article label."""
    m = _ARTICLE.match(label.strip())
    if not m:
        raise ValueError(f"不是条文编号：{label}")
    return cn_to_int(m.group(1)), cn_to_int(m.group(2)) if m.group(2) else 0


def article_label(number: int, suffix: int = 0) -> str:
    """(10, 1) → '第十条之一'."""
    label = f"第{int_to_cn(number)}条"
    if suffix:
        label += f"之{int_to_cn(suffix)}"
    return label


def parse_ordinal(label: str, unit: str) -> int:
    """'第二款' with unit '款' → 2; '（三）' with unit '项' → 3."""
    s = label.strip()
    if unit == "项":
        m = re.match(rf"^[（(]([{NUMERAL_CHARS}]+)[)）]$", s)
    else:
        m = re.match(rf"^第([{NUMERAL_CHARS}]+){unit}$", s)
    if not m:
        raise ValueError(f"不是{unit}的编号：{label}")
    return cn_to_int(m.group(1))
