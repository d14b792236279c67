"""Result snippets for statute articles: the best window around the query words, words in <mark>."""

from __future__ import annotations

import html


def fast_snippet(text: str, words: list[str], *, length: int = 120) -> str:
    """A window of about `length` characters with the most query words, words in <mark>, HTML-escaped.

    Same output as fazhi.search.highlight.snippet, but statute texts are already simplified
    Chinese, so the text is searched as stored (no per-result normalisation: results stay fast).
    """
    if not text:
        return ""
    text = text.replace("\x02", "").replace("\x03", "")
    terms = sorted({w for w in words if len(w) >= 2} or {w for w in words if w}, key=len, reverse=True)
    spans: list[tuple[int, int]] = []
    taken = bytearray(len(text))
    for term in terms:
        start = text.find(term)
        while start >= 0:
            end = start + len(term)
            if taken.find(1, start, end) < 0:
                spans.append((start, end))
                taken[start:end] = b"\x01" * (end - start)
            start = text.find(term, end)
    if not spans:
        return html.escape(text[:length]) + ("…" if len(text) > length else "")
    spans.sort()
    best_start, best_score = 0, -1
    j = 0
    covered = 0
    # Two pointers: windows that begin a quarter-length before each hit.
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
    # Mark with control characters (absent from statute texts), escape once, then swap in the tags.
    out: list[str] = []
    cursor = best_start
    for a, b in spans:
        if a < cursor or b > end:
            continue
        out += [text[cursor:a], "\x02", text[a:b], "\x03"]
        cursor = b
    out.append(text[cursor:end])
    marked = html.escape("".join(out)).replace("\x02", "<mark>").replace("\x03", "</mark>")
    return ("…" if best_start > 0 else "") + marked + ("…" if end < len(text) else "")
