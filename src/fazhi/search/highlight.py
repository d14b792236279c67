"""Snippets: the best window of a text around the query words, words wrapped in <mark>, HTML-escaped."""

from __future__ import annotations

import html

from fazhi.search import analysis

_OPEN, _CLOSE = "\x02", "\x03"  # placeholders, absent from stored texts, swapped for tags after escaping


def snippet(
    text: str,
    words: list[str],
    *,
    length: int = 120,
    normalized: bool = False,
    scan: int | None = None,
    join: bool = False,
    single_chars: bool = False,
    distinct: bool = False,
    as_written: bool = False,
    region: tuple[int, int] | None = None,
) -> str:
    """A window of about `length` characters covering the most query words, marked up safely.

    Query words are normalized; pass `normalized=True` when the text is stored normalized already
    (statute texts) to skip normalizing every result. Options, all off by default:
    `scan` searches only the first `scan` characters for hits (long texts: bounds the cost of
    normalizing and searching; the window may run `length` characters past it); `join` puts adjacent
    hits in one <mark>; `single_chars` also marks one-character query words inside the chosen window
    (they never choose it); `distinct` scores a window by the distinct words it holds rather than
    by the characters its hits cover; `as_written` finds hits in a copy normalized one character for
    one, so that the text is shown as written even where normalizing would change its length;
    `region` (start, end) searches only that part of the text (a passage found by the caller), the
    text before and after it dropped and marked "…".
    """
    if not text:
        return ""
    cut = False  # text dropped after the scanned part (and a window's length past it)
    lead = False  # text dropped before the region
    if region is not None:
        lo, hi = max(0, region[0]), min(len(text), max(region[1], region[0] + length))
        if lo > 0 or hi < len(text):
            text, lead, cut = text[lo:hi], lo > 0, hi < len(text)
    if scan is not None and len(text) > scan + length:
        text, cut = text[: scan + length], True
    text = text.replace(_OPEN, "").replace(_CLOSE, "")
    haystack = text
    if not normalized:
        haystack = (as_written and analysis.normalize_aligned(text)) or analysis.normalize(text)
        if len(haystack) != len(text):  # NFKC changed the length: show the normalized text
            text = haystack
    terms = sorted({w for w in words if len(w) >= 2} or {w for w in words if w}, key=len, reverse=True)
    stop = len(haystack) if scan is None else scan
    spans: list[tuple[int, int]] = []
    taken = bytearray(len(haystack))
    for term in terms:
        start = haystack.find(term)
        while 0 <= start < stop:
            end = start + len(term)
            if taken.find(1, start, end) < 0:
                spans.append((start, end))
                taken[start:end] = b"\x01" * (end - start)
            start = haystack.find(term, end)
    best_start = 0
    if spans:
        spans.sort()
        best_start = _best_window(spans, haystack, length, distinct)
    end = min(len(text), best_start + length)
    if single_chars and terms and len(terms[0]) >= 2:
        for char in {w for w in words if len(w) == 1}:
            start = haystack.find(char, best_start, end)
            while start >= 0:
                if not taken[start]:
                    spans.append((start, start + 1))
                start = haystack.find(char, start + 1, end)
        spans.sort()
    if not spans:
        return ("…" if lead else "") + html.escape(text[:length]) + ("…" if len(text) > length or cut else "")
    out: list[str] = []
    cursor = best_start
    for a, b in spans:
        if a < cursor or b > end:
            continue
        if join and a == cursor and out and out[-1] == _CLOSE:
            out[-1:] = [text[a:b], _CLOSE]  # continues the previous mark
        else:
            out += [text[cursor:a], _OPEN, text[a:b], _CLOSE]
        cursor = b
    out.append(text[cursor:end])
    marked = html.escape("".join(out)).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")
    return ("…" if best_start > 0 or lead else "") + marked + ("…" if end < len(text) or cut else "")


def _best_window(spans: list[tuple[int, int]], haystack: str, length: int, distinct: bool) -> int:
    """Start of the window (a quarter-length before a hit) covering the most hit characters.

    With `distinct`, the score is the total length of the distinct words in the window instead, so
    that a passage naming several query words beats one repeating a single word.
    """
    best_start, best_score = 0, -1
    j = covered = 0
    counts: dict[str, int] = {}
    for i, (s, _) in enumerate(spans):
        window_start = max(0, s - length // 4)
        window_end = window_start + length
        if j < i:
            j, covered = i, 0
            counts.clear()
        while j < len(spans) and spans[j][1] <= window_end:
            a, b = spans[j]
            if not distinct:
                covered += b - a
            else:
                word = haystack[a:b]
                counts[word] = counts.get(word, 0) + 1
                covered += (b - a) if counts[word] == 1 else 0
            j += 1
        if covered > best_score:
            best_start, best_score = window_start, covered
        if j > i:
            a, b = spans[i]
            if not distinct:
                covered -= b - a
            else:
                word = haystack[a:b]
                counts[word] -= 1
                covered -= (b - a) if counts[word] == 0 else 0
    return best_start
