"""HTML for law texts: citations become links, and a side-by-side diff of two versions."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from fazhi.laws import citations
from fazhi.laws.models import Article, Law


class CitationLinker:
    """Turns citations in article texts into links; resolutions are cached for one page."""

    def __init__(self, law: Law, articles: list[Article], *, same_page: bool = True) -> None:
        self.law = law
        self.same_page = same_page  # the articles are on this page: link to their anchors
        self.own = {(a.number, a.suffix): a for a in articles}
        self._laws: dict[str, Law | None] = {}
        self._articles: dict[tuple[int, int, int], Article | None] = {}

    def _url(self, c: citations.Citation) -> str | None:
        if c.self_ref:
            if c.number is None:
                return None
            own = self.own.get((c.number, c.suffix))
            if own is None:
                return None
            return f"#{own.anchor}" if self.same_page else own.get_absolute_url()
        if not c.law_title:
            return None
        if c.law_title not in self._laws:
            self._laws[c.law_title] = citations.find_law(c.law_title)
        law = self._laws[c.law_title]
        if law is None:
            return None
        if c.number is None:
            return law.get_absolute_url()
        key = (law.pk, c.number, c.suffix)
        if key not in self._articles:
            self._articles[key] = citations.find_article(law, c.number, c.suffix)
        article = self._articles[key]
        return article.get_absolute_url() if article else None

    def html(self, text: str) -> SafeString:
        """The text HTML-escaped, with every resolvable citation wrapped in a link."""
        out: list[str] = []
        cursor = 0
        for c in citations.find_citations(text):
            url = self._url(c)
            if url is None:
                continue
            out.append(escape(text[cursor : c.start]))
            out.append(f'<a class="citation" href="{escape(url)}">{escape(c.text)}</a>')
            cursor = c.end
        out.append(escape(text[cursor:]))
        return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def article_html(article: Article, linker: CitationLinker, *, label_url: str) -> SafeString:
    """One article's 款 and 项 as paragraphs, its label linking to `label_url`, citations linked."""
    parts: list[str] = []
    paragraphs = article.paragraphs or [{"text": article.text, "items": []}]
    for i, p in enumerate(paragraphs):
        label = (
            f'<a href="{escape(label_url)}"><strong>{escape(article.label)}</strong></a> ' if i == 0 else ""
        )
        parts.append(f"<p>{label}{linker.html(p['text'])}</p>")
        parts.extend(f'<p class="item">{linker.html(item)}</p>' for item in p.get("items", []))
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped pieces


@dataclass
class DiffRow:
    label: str
    left: SafeString
    right: SafeString
    kind: str  # same / changed / added / removed


def _inline(a: str, b: str) -> tuple[SafeString, SafeString]:
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(escape(a[i1:i2]))
            right.append(escape(b[j1:j2]))
            continue
        if i2 > i1:
            left.append(f'<del class="diff-del">{escape(a[i1:i2])}</del>')
        if j2 > j1:
            right.append(f'<ins class="diff-add">{escape(b[j1:j2])}</ins>')
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 - escaped above


def diff_rows(old: list[Article], new: list[Article]) -> list[DiffRow]:
    """Articles of two versions aligned by their text (renumbered articles still line up)."""
    a_texts = [a.text for a in old]
    b_texts = [b.text for b in new]
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, a_texts, b_texts, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for a, b in zip(old[i1:i2], new[j1:j2], strict=True):
                label = a.label if a.label == b.label else f"{a.label} → {b.label}"
                rows.append(DiffRow(label, escape(a.text), escape(b.text), "same"))
            continue
        olds, news = old[i1:i2], new[j1:j2]
        for k in range(max(len(olds), len(news))):
            old_art = olds[k] if k < len(olds) else None
            new_art = news[k] if k < len(news) else None
            if old_art and new_art:
                left, right = _inline(old_art.text, new_art.text)
                label = (
                    old_art.label if old_art.label == new_art.label else f"{old_art.label} → {new_art.label}"
                )
                rows.append(DiffRow(label, left, right, "changed"))
            elif old_art:
                rows.append(
                    DiffRow(
                        old_art.label,
                        mark_safe(f'<del class="diff-del">{escape(old_art.text)}</del>'),
                        mark_safe(""),
                        "removed",
                    )
                )  # noqa: S308
            elif new_art:
                rows.append(
                    DiffRow(
                        new_art.label,
                        mark_safe(""),
                        mark_safe(f'<ins class="diff-add">{escape(new_art.text)}</ins>'),
                        "added",
                    )
                )  # noqa: S308
    return rows
