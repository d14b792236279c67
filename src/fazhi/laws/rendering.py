"""HTML for law texts: citations become links, and a side-by-side diff of two versions."""

from __future__ import annotations

import difflib
import html as html_lib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from fazhi.laws import citations
from fazhi.laws.models import Article, Law


class CitationLinker:
    """Turns citations in article texts into links; resolutions are cached for one page.

    `prefetch(texts)` resolves every citation of a page's texts up front, one query per kind (laws by
    title, current versions, articles), so that a page costs the same few queries however many articles
    and citations it has; a text not prefetched is still resolved, one citation at a time."""

    def __init__(self, law: Law | None, articles: list[Article], *, same_page: bool = True) -> None:
        self.law = law
        self.same_page = same_page  # the articles are on this page: link to their anchors
        self.own = {(a.number, a.suffix): a for a in articles}
        self._laws: dict[str, Law | None] = {}
        self._articles: dict[tuple[int, int, int], Article | None] = {}
        self._found: dict[str, list[citations.Citation]] = {}

    def _citations(self, text: str) -> list[citations.Citation]:
        if text not in self._found:
            self._found[text] = citations.find_citations(text)
        return self._found[text]

    def prefetch(self, texts: Iterable[str]) -> None:
        """Resolve the citations of all `texts` at once (what `html` will then link without a query)."""
        cited = [
            (c.law_title, c)
            for text in texts
            for c in self._citations(text)
            if not c.self_ref and c.law_title
        ]
        self._laws.update(citations.find_laws({title for title, _ in cited if title not in self._laws}))
        wanted: dict[tuple[int, int, int], tuple[Law, int, int]] = {}
        for title, c in cited:
            law = self._laws[title]
            if (
                law is not None
                and c.number is not None
                and (law.pk, c.number, c.suffix) not in self._articles
            ):
                wanted[(law.pk, c.number, c.suffix)] = (law, c.number, c.suffix)
        self._articles.update(citations.find_articles(wanted.values()))

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
        for c in self._citations(text):
            url = self._url(c)
            if url is None:
                continue
            out.append(escape(text[cursor : c.start]))
            out.append(f'<a class="citation" href="{escape(url)}">{escape(c.text)}</a>')
            cursor = c.end
        out.append(escape(text[cursor:]))
        return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


_TAG = re.compile(r"(<[^>]*>)")
_LINK_OPEN = re.compile(r"<a[\s>]", re.IGNORECASE)
_LINK_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)


def link_citations_in_html(html: str) -> SafeString:
    """Sanitised HTML (a 普法 post's body) with its citations (《政府采购法实施条例》第二十条) linked as on the
    law pages: only the text outside existing links changes, the markup stays as it is. There is no "this
    law" in such a text, so 本法第X条 and a bare 第X条 stay plain.

    `html` must already be sanitised (as `Post.save` stores it): tags are recognised by `<…>`, which a
    sanitiser leaves only around tags (text and attribute values carry &lt; and &gt;)."""
    pieces = _TAG.split(html or "")
    linker = CitationLinker(None, [])
    texts = [html_lib.unescape(p) for i, p in enumerate(pieces) if i % 2 == 0 and p]
    linker.prefetch(texts)
    out: list[str] = []
    in_link = 0
    for i, piece in enumerate(pieces):
        if i % 2:  # a tag
            if _LINK_OPEN.match(piece):
                in_link += 1
            elif _LINK_CLOSE.match(piece):
                in_link = max(0, in_link - 1)
            out.append(piece)
        elif piece and not in_link and "第" in piece:
            out.append(linker.html(html_lib.unescape(piece)))
        else:
            out.append(piece)
    return mark_safe("".join(out))  # noqa: S308 - sanitised markup plus escaped text


def linked_text(text: str) -> SafeString:
    """Plain text (a 状态依据: "依据《法规规章备案审查条例》第二十六条的规定…") escaped, its citations of other laws
    linked as on the law pages."""
    linker = CitationLinker(None, [])
    linker.prefetch([text])
    return linker.html(text or "")


def article_texts(article: Article) -> list[str]:
    """The texts `article_html` links: each 款 and each 项 (for `CitationLinker.prefetch`)."""
    paragraphs = article.paragraphs or [{"text": article.text, "items": []}]
    return [t for p in paragraphs for t in (p["text"], *p.get("items", []))]


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
    kind: str  # same / moved (only renumbered) / changed / added / removed
    note: str = ""  # 条文序号由第三条变为第四条


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


# Two articles of a changed stretch are the same provision (amended, perhaps renumbered) when their
# character bigrams overlap at least this much (Dice coefficient); otherwise one was removed and
# another added. An amendment that rewrites most of an article shows as removed + added, which is honest.
SIMILAR = 0.45
BAND = 30  # how far (in articles, beyond the stretch's length difference) an article may have moved


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def _similarity(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0


def _align(olds: list[Article], news: list[Article]) -> list[tuple[Article | None, Article | None]]:
    """The two stretches in order, each old article paired with the most similar new one where the
    texts are alike (an order-keeping alignment maximising Σ similarity − SIMILAR), the rest alone."""
    n, m = len(olds), len(news)
    a_grams = [_bigrams(a.text) for a in olds]
    b_grams = [_bigrams(b.text) for b in news]
    low, high = min(0, m - n) - BAND, max(0, m - n) + BAND  # allowed j - i
    neg = float("-inf")
    score = [[neg] * (m + 1) for _ in range(n + 1)]
    step = [[""] * (m + 1) for _ in range(n + 1)]
    score[0][0] = 0.0
    for i in range(n + 1):
        for j in range(max(0, i + low), min(m, i + high) + 1):
            if i == 0 and j == 0:
                continue
            best, how = neg, ""
            if i > 0 and score[i - 1][j] > best:
                best, how = score[i - 1][j], "removed"
            if j > 0 and score[i][j - 1] > best:
                best, how = score[i][j - 1], "added"
            if i > 0 and j > 0 and score[i - 1][j - 1] > neg:
                gain = _similarity(a_grams[i - 1], b_grams[j - 1]) - SIMILAR
                if gain >= 0 and score[i - 1][j - 1] + gain > best:
                    best, how = score[i - 1][j - 1] + gain, "pair"
            score[i][j], step[i][j] = best, how
    out: list[tuple[Article | None, Article | None]] = []
    i, j = n, m
    while i or j:
        how = step[i][j]
        if how == "pair":
            out.append((olds[i - 1], news[j - 1]))
            i, j = i - 1, j - 1
        elif how == "removed":
            out.append((olds[i - 1], None))
            i -= 1
        else:
            out.append((None, news[j - 1]))
            j -= 1
    out.reverse()
    return out


def _moved(a: Article, b: Article) -> str:
    return "" if a.label == b.label else f"条文序号由{a.label}变为{b.label}"


def diff_rows(old: list[Article], new: list[Article]) -> list[DiffRow]:
    """Articles of two versions aligned by their text: identical articles first, then, in each changed
    stretch, the most similar ones (renumbered articles line up with a note; no false deletions)."""
    a_texts = [a.text for a in old]
    b_texts = [b.text for b in new]
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, a_texts, b_texts, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for a, b in zip(old[i1:i2], new[j1:j2], strict=True):
                note = _moved(a, b)
                rows.append(
                    DiffRow(b.label, escape(a.text), escape(b.text), "moved" if note else "same", note)
                )
            continue
        for old_art, new_art in _align(old[i1:i2], new[j1:j2]):
            if old_art and new_art:
                left, right = _inline(old_art.text, new_art.text)
                rows.append(DiffRow(new_art.label, left, right, "changed", _moved(old_art, new_art)))
            elif old_art:
                rows.append(
                    DiffRow(
                        old_art.label,
                        mark_safe(f'<del class="diff-del">{escape(old_art.text)}</del>'),  # noqa: S308
                        mark_safe(""),
                        "removed",
                        "本条在新版本中已删除",
                    )
                )
            elif new_art:
                rows.append(
                    DiffRow(
                        new_art.label,
                        mark_safe(""),
                        mark_safe(f'<ins class="diff-add">{escape(new_art.text)}</ins>'),  # noqa: S308
                        "added",
                        "新增条文",
                    )
                )
    return rows
