"""Snippets: the best window of a text around the query words, words wrapped in <mark>, HTML-escaped."""

from __future__ import annotations

import html

from fazhi.search import analysis

_OPEN, _CLOSE = "\x02", "\x03"  # placeholders, absent from stored texts, swapped for tags after escaping


def snippet(text: str, words: list[str], *, length: int = 120, normalized: bool = False) -> str:
    """A window of about `length` characters covering the most query words, marked up safely.

    Query words are normalized; pass `normalized=True` when the text is stored normalized already
    (statute texts) to skip normalizing every result.
    """
    if not text:
        return ""
    text = text.replace(_OPEN, "").replace(_CLOSE, "")
    haystack = text
    if not normalized:
        haystack = analysis.normalize(text)
        if len(haystack) != len(text):  # NFKC changed the length: show the normalized text
            text = haystack
    terms = sorted({w for w in words if len(w) >= 2} or {w for w in words if w}, key=len, reverse=True)
    spans: list[tuple[int, int]] = []
    taken = bytearray(len(haystack))
    for term in terms:
        start = haystack.find(term)
        while start >= 0:
            end = start + len(term)
            if taken.find(1, start, end) < 0:
                spans.append((start, end))
                taken[start:end] = b"\x01" * (end - start)
            start = haystack.find(term, end)
    if not spans:
        return html.escape(text[:length]) + ("…" if len(text) > length else "")
    spans.sort()
    # Two pointers: the window (starting a quarter-length before a hit) that covers the most hit characters.
    best_start, best_score = 0, -1
    j = covered = 0
    for i, (s, _) in enumerate(spans):
        window_start = max(0, s - length // 4)
        window_end = window_start + length
        if j < i:
            j, covered = i, 0
        while j < len(spans) and spans[j][1] <= window_end:
            covered += spans[j][1] - spans[j][0]
            j += 1
        if covered > best_score:
            best_start, best_score = window_start, covered
        if j > i:
            covered -= spans[i][1] - spans[i][0]
    end = min(len(text), best_start + length)
    out: list[str] = []
    cursor = best_start
    for a, b in spans:
        if a < cursor or b > end:
            continue
        out += [text[cursor:a], _OPEN, text[a:b], _CLOSE]
        cursor = b
    out.append(text[cursor:end])
    marked = html.escape("".join(out)).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")
    return ("…" if best_start > 0 else "") + marked + ("…" if end < len(text) else "")
