"""Citations inside legal texts: find them (`find_citations`) and resolve them to laws and articles.

Contract:
- `find_citations(text)` → list of `Citation` spans in text order. Recognised forms:
  《中华人民共和国预算法》第十四条, 简称 《预算法》第十四条, nested titles
  《关于修改〈中华人民共和国预算法〉的决定》 / 《…《…》…》, 本法/本条例/本办法/本规定/本解释/本细则/本规则
  第X条, 第十条之一, 第二款第（三）项, lists 第十条、第十二条和第十五条 (one span each), and a title cited
  without an article (number None). A bare 第X条 with no title is a reference to the same text
  (`self_ref=True`, `implicit=True`).
- `resolve(citation, context_law=None)` → (Law | None, Article | None): the law by exact title,
  normalised title or short name (in-force latest versions preferred) and the article of its
  current version; self references resolve against `context_law`.
- `normalize_title(title)` is the same normalisation the evaluation uses (no 中华人民共和国,
  nothing in brackets, no spaces, nothing after ·).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fazhi.core.numerals import NUMERAL_CHARS, cn_to_int

if TYPE_CHECKING:  # pragma: no cover
    from fazhi.laws.models import Article, Law

_N = f"[{NUMERAL_CHARS}]+"
SELF_WORDS = (
    "本法",
    "本条例",
    "本办法",
    "本规定",
    "本解释",
    "本细则",
    "本规则",
    "本决定",
    "本准则",
    "本实施细则",
)
_SELF = "|".join(sorted(SELF_WORDS, key=len, reverse=True))

# One article reference: 第十条之一第二款第（三）项 (款 and 项 optional).
_ARTICLE_REF = (
    rf"第(?P<num>{_N})条(?:之(?P<suf>{_N}))?"
    rf"(?:第(?P<para>{_N})款)?"
    rf"(?:第?[（(](?P<item>{_N})[)）]项)?"
)
_ARTICLE_RE = re.compile(_ARTICLE_REF)
ARTICLE_RE = _ARTICLE_RE  # one 第X条之一第二款第（三）项 reference (groups num, suf, para, item)
# Joiners between article references of one list: 第十条、第十二条和第十五条 / 第十条至第十五条.
_JOINER = re.compile(r"\s*(?:、|，|,|和|及|以及|或者|或|至|到)\s*")
_SELF_RE = re.compile(rf"(?:{_SELF})")
_BRACKETS = re.compile(r"[（(][^（）()]*[)）]|〔[^〔〕]*〕|\[[^\[\]]*\]")
_SPACES = re.compile(r"\s+")
# A law named without 《》 right before a bare 第X条 (预算法第二十七条, 政府采购法实施条例第二十条): the
# words after the last delimiter, if they end like a law's name.
_NAME_DELIMITERS = re.compile(
    r".*(?:依照|按照|根据|依据|违反|适用|参照|符合|执行|对照|以及|或者|和|与|及|或|的|[、，,。；;：:（）()\s“”《》〈〉]|条(?!例)|款|项)"
)
_LAW_SUFFIX = re.compile(r"(?:法|条例|实施细则|细则|规定|办法|解释|决定|规则)$")


def _bare_law_name(before: str) -> str | None:
    m = _NAME_DELIMITERS.match(before)
    name = before[m.end() :] if m else before
    if 2 <= len(name) <= 30 and _LAW_SUFFIX.search(name) and not name.startswith(("本", "该", "此", "上述")):
        return name
    return None


def law_name_before(before: str) -> str | None:
    """The law named at the very end of `before` (the text just ahead of a 第N条): the title of a
    closing 《…》, else a bare name ending like a law (预算法, 政府采购法实施条例), else None."""
    head = before.rstrip()
    if head.endswith(("》", "〉")):
        spans = _title_spans(head.replace("〈", "《").replace("〉", "》"))
        if spans and spans[-1][1] == len(head):
            return spans[-1][2]
        return None
    return _bare_law_name(head)


@dataclass(frozen=True)
class Citation:
    start: int
    end: int
    text: str
    law_title: str | None  # the title as written inside 《》 (None for self references)
    number: int | None = None  # 条
    suffix: int = 0  # 之N
    paragraph: int | None = None  # 款
    item: int | None = None  # 项
    self_ref: bool = False  # 本法第X条 or a bare 第X条
    implicit: bool = False  # a bare 第X条 (no 本法 written)

    @property
    def label(self) -> str:
        from fazhi.core.numerals import article_label

        if self.number is None:
            return ""
        out = article_label(self.number, self.suffix)
        if self.paragraph:
            from fazhi.core.numerals import int_to_cn

            out += f"第{int_to_cn(self.paragraph)}款"
        if self.item:
            from fazhi.core.numerals import int_to_cn

            out += f"第（{int_to_cn(self.item)}）项"
        return out


def normalize_title(title: str) -> str:
    """中华人民共和国民法典·合同编（2020） → 民法典 (the evaluation's normalisation)."""
    t = _SPACES.sub("", title or "")
    t = t.split("·")[0]
    prev = None
    while prev != t:  # nested brackets
        prev, t = t, _BRACKETS.sub("", t)
    t = t.replace("中华人民共和国", "")
    return t.strip("《》〈〉")


def _title_spans(text: str) -> list[tuple[int, int, str]]:
    """Outermost 《…》 spans with balanced nesting (《》 and 〈〉 inside are kept in the title)."""
    spans = []
    depth = 0
    start = -1
    for i, ch in enumerate(text):
        if ch == "《":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1, text[start + 1 : i]))
    return spans


def _int(s: str | None) -> int | None:
    return cn_to_int(s) if s else None


def _article_chain(text: str, pos: int) -> list[re.Match[str]]:
    """Article references starting exactly at `pos`, following list joiners (、 和 至 …)."""
    out: list[re.Match[str]] = []
    m = _ARTICLE_RE.match(text, pos)
    while m:
        out.append(m)
        j = _JOINER.match(text, m.end())
        if not j:
            break
        m = _ARTICLE_RE.match(text, j.end())
    return out


def _citation(text: str, m: re.Match[str], start: int, title: str | None, **kw: bool) -> Citation:
    return Citation(
        start=start,
        end=m.end(),
        text=text[start : m.end()],
        law_title=title,
        number=_int(m.group("num")),
        suffix=_int(m.group("suf")) or 0,
        paragraph=_int(m.group("para")),
        item=_int(m.group("item")),
        **kw,
    )


def find_citations(text: str, *, include_implicit: bool = True) -> list[Citation]:
    """Every citation span in `text`, in order (see the module docstring for the forms)."""
    found: list[Citation] = []
    taken: list[tuple[int, int]] = []

    for s, e, title in _title_spans(text):
        chain = _article_chain(text, e)
        if not chain:
            found.append(Citation(start=s, end=e, text=text[s:e], law_title=title))
            taken.append((s, e))
            continue
        first = chain[0]
        found.append(_citation(text, first, s, title))
        for m in chain[1:]:
            found.append(_citation(text, m, m.start(), title))
        taken.append((s, chain[-1].end()))

    for sm in _SELF_RE.finditer(text):
        if any(a <= sm.start() < b for a, b in taken):
            continue
        chain = _article_chain(text, sm.end())
        if not chain:
            continue
        found.append(_citation(text, chain[0], sm.start(), None, self_ref=True))
        for m in chain[1:]:
            found.append(_citation(text, m, m.start(), None, self_ref=True))
        taken.append((sm.start(), chain[-1].end()))

    if include_implicit:
        for m in _ARTICLE_RE.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            # An article's own heading (a paragraph starting with 第X条) is no citation.
            if m.start() == 0 or text[m.start() - 1] == "\n":
                continue
            chain = _article_chain(text, m.start())
            name = _bare_law_name(text[max(0, m.start() - 40) : m.start()])
            if name:
                start = m.start() - len(name)
                found.append(_citation(text, chain[0], start, name))
                found.extend(_citation(text, c, c.start(), name) for c in chain[1:])
            else:
                start = m.start()
                found.extend(_citation(text, c, c.start(), None, self_ref=True, implicit=True) for c in chain)
            taken.append((start, chain[-1].end()))

    found.sort(key=lambda c: c.start)
    return found


# --- resolution ---------------------------------------------------------------------------------


def clean_title(title: str) -> str:
    """A cited title as `find_laws` keys it: 〈〉 as 《》, no spaces."""
    return _SPACES.sub("", title.replace("〈", "《").replace("〉", "》"))


def find_law(title: str) -> Law | None:
    """The law a cited title names: exact title, then normalised title, then short name."""
    return find_laws([title])[title]


def find_laws(titles: Iterable[str]) -> dict[str, Law | None]:
    """`find_law` for every title at once (keyed by the title as given), in at most four queries: laws by
    exact title, by normalised title, by short name, and which candidates have an in-force version."""
    from fazhi.laws.models import Law, Status

    cleaned = {title: clean_title(title) for title in titles}
    candidates: dict[str, list[Law]] = {}  # cleaned title → its candidates, in the order find_law takes

    def group(field: str, values: set[str], limit: int) -> dict[str, list[Law]]:
        out: dict[str, list[Law]] = {}
        if values:
            for law in Law.objects.filter(**{f"{field}__in": values}).order_by("title", "pk"):
                rows = out.setdefault(getattr(law, field), [])
                if len(rows) < limit:
                    rows.append(law)
        return out

    exact = group("title", set(cleaned.values()), 5)
    norms = {c: normalize_title(c) for c in cleaned.values() if c not in exact}
    by_norm = group("norm_title", {n for n in norms.values() if n}, 20)
    by_short = group("short_name", {n for n in norms.values() if n and n not in by_norm}, 20)
    for c in set(cleaned.values()):
        if c in exact:
            candidates[c] = exact[c]
        elif norms.get(c):
            candidates[c] = by_norm.get(norms[c]) or by_short.get(norms[c]) or []
    several = [law.pk for laws in candidates.values() if len(laws) > 1 for law in laws]
    in_force: set[int] = set()
    if several:
        # Prefer a national law over a local one, and a law with an in-force version.
        in_force = set(
            Law.objects.filter(pk__in=several, versions__status=Status.IN_FORCE).values_list("pk", flat=True)
        )
    chosen: dict[str, Law | None] = {}
    for c, laws in candidates.items():
        ranked = sorted(laws, key=lambda law: (law.pk not in in_force, bool(law.region), len(law.title)))
        chosen[c] = ranked[0] if ranked else None
    return {title: chosen.get(c) for title, c in cleaned.items()}


def find_article(law: Law, number: int, suffix: int = 0, *, version_id: int | None = None) -> Article | None:
    """The article of the law's current version (or of `version_id`).

    民法典 parts are stored as separate laws sharing one normalised title, so an article that
    is not in this part is looked up in its sibling parts.
    """
    from fazhi.laws import selectors
    from fazhi.laws.models import Article

    version = selectors.current_version(law) if version_id is None else None
    vid = version_id or (version.pk if version else None)
    if vid is None:
        return None
    art = Article.objects.filter(version_id=vid, number=number, suffix=suffix).first()
    if art is None and "·" in law.title:
        siblings = selectors.current_versions_for_norm_title(law.norm_title)
        art = (
            Article.objects.filter(version__in=siblings, number=number, suffix=suffix)
            .select_related("law")
            .first()
        )
    return art


def find_articles(wanted: Iterable[tuple[Law, int, int]]) -> dict[tuple[int, int, int], Article | None]:
    """`find_article` (current versions) for many (law, number, suffix) at once, keyed by (law id, number,
    suffix), in at most three queries: the current versions, their articles, and the 民法典 sibling parts
    for articles a part lacks. The articles come without their text (deferred): they are for linking."""
    from django.db.models import F

    from fazhi.laws import selectors
    from fazhi.laws.models import Article

    wanted = list(wanted)
    out: dict[tuple[int, int, int], Article | None] = {(law.pk, n, s): None for law, n, s in wanted}
    if not wanted:
        return out
    versions = selectors.current_version_ids([law.pk for law, _, _ in wanted])
    numbers = {n for _, n, _ in wanted}
    found: dict[tuple[int, int, int], Article] = {}  # (version id, number, suffix) → first by ordinal
    for art in (
        Article.objects.filter(version_id__in=set(versions.values()), number__in=numbers)
        .defer("text", "paragraphs")
        .order_by("version_id", "ordinal", "pk")
    ):
        found.setdefault((art.version_id, art.number, art.suffix), art)
    missing: list[tuple[Law, int, int]] = []
    for law, number, suffix in wanted:
        vid = versions.get(law.pk)
        if vid is None:
            continue
        hit = found.get((vid, number, suffix))
        if hit is not None:
            out[(law.pk, number, suffix)] = hit
        elif "·" in law.title:
            missing.append((law, number, suffix))
    if missing:
        # 民法典 parts are separate laws sharing one normalised title: look in the sibling parts, in the
        # order find_article takes (the model's order of versions, then articles).
        siblings: dict[tuple[str, int, int], Article] = {}
        for art in (
            Article.objects.filter(
                version__law__norm_title__in={law.norm_title for law, _, _ in missing},
                version__is_latest=True,
                number__in={n for _, n, _ in missing},
            )
            .annotate(part_norm_title=F("version__law__norm_title"))
            .select_related("law")
            .defer("text", "paragraphs")
        ):
            siblings.setdefault((art.part_norm_title, art.number, art.suffix), art)  # type: ignore[attr-defined]
        for law, number, suffix in missing:
            out[(law.pk, number, suffix)] = siblings.get((law.norm_title, number, suffix))
    return out


def resolve(citation: Citation, *, context_law: Law | None = None) -> tuple[Law | None, Article | None]:
    """(law, article) a citation points to; either may be None when it does not resolve."""
    if citation.self_ref:
        law = context_law
    elif citation.law_title:
        law = find_law(citation.law_title)
    else:
        law = None
    if law is None or citation.number is None:
        return law, None
    article = find_article(law, citation.number, citation.suffix)
    if article is not None and article.law_id != law.pk:
        law = article.law
    return law, article
