"""Snippets: the best window of a text around the query words, words wrapped in <mark>, HTML-escaped."""

from __future__ import annotations

from django.utils.html import escape

from fazhi.search import analysis


def snippet(text: str, words: list[str], *, length: int = 120) -> str:
    """A window of about `length` characters with the most query-word hits, marked up safely."""
    if not text:
        return ""
    norm = analysis.normalize(text)
    if len(norm) != len(text):  # NFKC changed the length: highlight on the normalized text
        text = norm
    terms = sorted({w for w in words if w and len(w) >= 1}, key=len, reverse=True)
    positions: list[tuple[int, int]] = []
    lowered = norm
    for term in terms:
        start = 0
        while True:
            i = lowered.find(term, start)
            if i < 0:
                break
            positions.append((i, i + len(term)))
            start = i + len(term)
    if not positions:
        cut = text[:length]
        return escape(cut) + ("…" if len(text) > length else "")
    positions.sort()
    # Choose the window start that covers the most distinct hits.
    best_start, best_score = 0, -1
    for s, _ in positions:
        window_start = max(0, s - length // 4)
        covered = {text[a:b] for a, b in positions if a >= window_start and b <= window_start + length}
        score = sum(len(t) for t in covered)
        if score > best_score:
            best_start, best_score = window_start, score
    end = min(len(text), best_start + length)
    out: list[str] = []
    cursor = best_start
    for a, b in positions:
        if a < cursor or b > end:
            continue
        out.append(escape(text[cursor:a]))
        out.append("<mark>" + escape(text[a:b]) + "</mark>")
        cursor = b
    out.append(escape(text[cursor:end]))
    prefix = "…" if best_start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + "".join(out) + suffix
