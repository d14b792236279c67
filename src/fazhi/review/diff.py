"""Side-by-side diff of two versions, paragraph by paragraph, with changed characters marked.

Paragraphs are paired by their words without the leading number (第三条, 二、, （一）, 1.): inserting an
article renumbers every later one, and those paragraphs must still face their old selves (shown as
changed only in the number), not the paragraph that happens to sit at the same position.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from fazhi.core.numerals import NUMERAL_CHARS

_N = f"[{NUMERAL_CHARS}]+"
_NUMBER = re.compile(
    rf"^(?:第{_N}[编章节条款项](?:之{_N})?|{_N}[、.．]|[（(]{_N}[)）]|[A-Za-z][.．、)）]|[①-⑳])[ \t\u3000]*"
)


def _words(paragraph: str) -> str:
    """A paragraph without its leading number, for pairing old and new paragraphs."""
    return _NUMBER.sub("", paragraph, count=1)


@dataclass
class Row:
    tag: str  # equal / replace / delete / insert
    left_no: int | None
    left: SafeString
    right_no: int | None
    right: SafeString


def _inline(a: str, b: str) -> tuple[SafeString, SafeString]:
    """Both paragraphs with the differing characters wrapped in <del>/<ins> (HTML-escaped)."""
    left: list[str] = []
    right: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            left.append(escape(a[i1:i2]))
            right.append(escape(b[j1:j2]))
            continue
        if i2 > i1:
            left.append(f"<del>{escape(a[i1:i2])}</del>")
        if j2 > j1:
            right.append(f"<ins>{escape(b[j1:j2])}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 - every piece is escaped


def side_by_side(old: list[str], new: list[str]) -> list[Row]:
    """Rows pairing the old and new paragraphs; unchanged paragraphs are kept for context."""
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(
        None, [_words(p) for p in old], [_words(p) for p in new], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for k in range(i2 - i1):
                a, b = old[i1 + k], new[j1 + k]
                if a == b:
                    rows.append(Row("equal", i1 + k + 1, escape(a), j1 + k + 1, escape(b)))
                else:  # the same words under a new number
                    left, right = _inline(a, b)
                    rows.append(Row("replace", i1 + k + 1, left, j1 + k + 1, right))
        elif op == "replace":
            span = max(i2 - i1, j2 - j1)
            for k in range(span):
                li, rj = i1 + k, j1 + k
                a = old[li] if li < i2 else ""
                b = new[rj] if rj < j2 else ""
                left, right = _inline(a, b)
                rows.append(
                    Row("replace", li + 1 if li < i2 else None, left, rj + 1 if rj < j2 else None, right)
                )
        elif op == "delete":
            for k in range(i1, i2):
                rows.append(Row("delete", k + 1, escape(old[k]), None, mark_safe("")))
        else:
            for k in range(j1, j2):
                rows.append(Row("insert", None, mark_safe(""), k + 1, escape(new[k])))
    return rows


def summary(rows: list[Row]) -> dict[str, int]:
    counts = {"replace": 0, "delete": 0, "insert": 0, "equal": 0}
    for row in rows:
        counts[row.tag] += 1
    return counts
