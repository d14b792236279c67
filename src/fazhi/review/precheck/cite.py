"""Citation resolver: every 《law》 (with or without 第X条) in a draft, checked against the law library.

Uses the law library's finder (`fazhi.laws.citations.find_citations`, `find_law`, `find_article`).
Contract: `problems(ctx, kind)` → [(paragraph, start, end, extra)] for one kind of problem:
unknown (a law-like title not in the library), version (the law or the cited version is 已修改/已废止),
beyond (article number past the last article), missing (article, 款 or 项 not in the text),
quote (the quoted words do not match the article). `resolved(ctx)` lists every resolved citation
with its link, for the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

from fazhi.core.numerals import int_to_cn

if TYPE_CHECKING:  # pragma: no cover
    from fazhi.laws.models import Article, Law, LawVersion
    from fazhi.review.precheck.engine import Context

# Titles that name a statute (法律、行政法规、规章、司法解释), as opposed to a policy paper or plan.
_LAW_LIKE = re.compile(r"(?:(?<!办)法|法典|条例|实施细则|规定|办法|解释|规则)$")
# Local documents and plans are cited too, but the library does not hold them.
# A title made anonymous ("《某省生活垃圾管理条例》", "《××市…办法》") cannot be looked up either.
_LOCAL = re.compile(
    r"^(?:关于|某|[×Xx]{2}|.{0,12}?[区县](?:人民政府|委|政府|财政局))|(?:意见|通知|方案|计划|规划|纲要|指引|清单)$"
)
_NATIONAL = re.compile(r"^中华人民共和国|(?<!办)法$|法实施条例$|条例$")
# "（以下简称《实施条例》）" or "（以下简称“实施条例”）" right after a citation defines an alias.
_ALIAS = re.compile(r"^[^（(]{0,20}[（(]以下简称[《“\"]?([^》”\"）)]{1,20})[》”\"]?[）)]")
_VERSION_YEAR = re.compile(r"^[（(](\d{4})\s*年(?:修正|修订|版|本|公布)?[）)]")
_YEAR_IN_TITLE = re.compile(r"[（(](\d{4})\s*年(?:修正|修订|版|本|公布)?[）)]")
_QUOTE = re.compile(r"^[^。“”\n]{0,16}?(?:规定|明确|指出|要求|写明)?[：:，,]?\s*“([^”]{4,400})”")
_PUNCT = re.compile(r"[\s，,。；;：:、“”\"'‘’（）()《》〈〉！？!?…—\-]")
_TITLE_REF = re.compile(r"《([^》]*)》")


@dataclass
class Resolved:
    paragraph: int
    start: int
    end: int
    text: str
    title: str
    law: Law | None
    article: Article | None
    url: str


def _norm(text: str) -> str:
    return _PUNCT.sub("", text)


def _law_like(title: str) -> bool:
    from fazhi.laws.citations import normalize_title

    norm = normalize_title(title)
    return bool(norm) and bool(_LAW_LIKE.search(norm)) and not _LOCAL.search(norm)


def _current(law: Law, cache: dict) -> LawVersion | None:
    key = ("current", law.pk)
    if key not in cache:
        from fazhi.laws import selectors

        cache[key] = selectors.current_version(law)
    return cache[key]


def _articles(version: LawVersion, cache: dict) -> dict[tuple[int, int], Article]:
    """Every article of a version by (number, suffix), loaded once per document."""
    key = ("articles", version.pk)
    if key not in cache:
        cache[key] = {(a.number, a.suffix): a for a in version.articles.all()}
    return cache[key]


def _last_article(version: LawVersion, cache: dict) -> int:
    return max((number for number, _ in _articles(version, cache)), default=0)


def _find_article(law: Law, version: LawVersion, number: int, suffix: int, cache: dict) -> Article | None:
    from fazhi.laws.citations import find_article

    found = _articles(version, cache).get((number, suffix))
    if found is None and "·" in law.title:  # 民法典 parts: the article may be in a sibling part
        key = ("sibling", law.pk, number, suffix)
        if key not in cache:
            cache[key] = find_article(law, number, suffix)
        found = cache[key]
    return found


def _replacement(version: LawVersion) -> str:
    """The law that replaced a repealed one, when its status basis names it."""
    m = _TITLE_REF.search(version.status_basis or "")
    return f"《{m.group(1)}》" if m else ""


def _version_label(version: LawVersion) -> str:
    return f"{version.publish_date:%Y年%-m月%-d日}公布的版本" if version.publish_date else "现行版本"


def _analyse(ctx: Context) -> dict[str, list[tuple[int, int, int, dict]]]:
    """Every problem of every citation, computed once per document."""
    from fazhi.laws.citations import find_citations, find_law, normalize_title
    from fazhi.laws.models import Status

    if "cite" in ctx.cache:
        return ctx.cache["cite"]
    out: dict[str, list[tuple[int, int, int, dict]]] = {
        k: [] for k in ("unknown", "version", "beyond", "missing", "quote")
    }
    resolved: list[Resolved] = []
    db: dict[Any, Any] = {}
    aliases: dict[str, Law | None] = {}
    laws: dict[str, Law | None] = {}

    def law_for(title: str) -> Law | None:
        clean = _YEAR_IN_TITLE.sub("", title)
        if clean in aliases:
            return aliases[clean]
        if clean not in laws:
            laws[clean] = find_law(clean)
        return laws[clean]

    for para in ctx.paragraphs:
        text = para.text
        for c in find_citations(text, include_implicit=False):
            if c.self_ref or not c.law_title:
                continue
            title = c.law_title
            if not _LAW_LIKE.search(normalize_title(_YEAR_IN_TITLE.sub("", title))):
                continue  # a policy paper, plan or notice: the library holds statutes only
            law = law_for(title)
            after = text[c.end :]
            alias = _ALIAS.match(after)
            if alias:
                aliases[alias.group(1)] = law
            where = (para.number, c.start, c.end)
            if law is None:
                if _law_like(title) and (
                    c.number is not None or _NATIONAL.search(_YEAR_IN_TITLE.sub("", title))
                ):
                    out["unknown"].append((*where, {"title": title}))
                continue
            version = _current(law, db)
            article = None
            url = law.get_absolute_url()
            if version is not None:
                year = _YEAR_IN_TITLE.search(title) or (
                    _VERSION_YEAR.match(after) if c.number is None else None
                )
                if version.status in (Status.REPEALED, Status.EXPIRED):
                    repl = _replacement(version)
                    out["version"].append(
                        (
                            *where,
                            {
                                "title": law.title,
                                "state": version.get_status_display(),
                                "current": f"，现行为{repl}" if repl else "，请改引现行有效的规定",
                            },
                        )
                    )
                elif version.status == Status.AMENDED:
                    out["version"].append(
                        (*where, {"title": law.title, "state": "已修改", "current": "，请核对现行文本"})
                    )
                elif year and version.publish_date and int(year.group(1)) != version.publish_date.year:
                    old = law.versions.filter(publish_date__year=int(year.group(1))).first()
                    if old is not None and old.pk != version.pk:
                        out["version"].append(
                            (
                                *where,
                                {
                                    "title": f"{law.title}（{year.group(1)}年版本）",
                                    "state": "已修改",
                                    "current": f"，现行为{_version_label(version)}",
                                },
                            )
                        )
            if c.number is not None and version is not None:
                article = _find_article(law, version, c.number, c.suffix, db)
                last = _last_article(version, db)
                label = c.label
                if article is None and last and c.number > last:
                    out["beyond"].append(
                        (*where, {"title": law.title, "article": label, "last": int_to_cn(last)})
                    )
                elif article is None:
                    out["missing"].append((*where, {"title": law.title, "article": label, "what": "这一条"}))
                else:
                    url = article.get_absolute_url()
                    paras = article.paragraphs or []
                    if c.paragraph and paras and c.paragraph > len(paras):
                        out["missing"].append(
                            (
                                *where,
                                {
                                    "title": law.title,
                                    "article": label,
                                    "what": f"第{int_to_cn(c.paragraph)}款（该条共{len(paras)}款）",
                                },
                            )
                        )
                    elif c.item and paras:
                        items = (paras[(c.paragraph or 1) - 1] or {}).get("items") or []
                        if c.item > len(items):
                            out["missing"].append(
                                (
                                    *where,
                                    {
                                        "title": law.title,
                                        "article": label,
                                        "what": f"第（{int_to_cn(c.item)}）项",
                                    },
                                )
                            )
                    quote = _QUOTE.match(after)
                    if quote:
                        qkey = ("quote", article.pk, quote.group(1))
                        if qkey not in db:
                            db[qkey] = _quote_matches(quote.group(1), article.text)
                    if quote and not db[("quote", article.pk, quote.group(1))]:
                        q_start = c.end + quote.start(1)
                        out["quote"].append(
                            (
                                para.number,
                                c.start,
                                q_start + len(quote.group(1)),
                                {
                                    "title": law.title,
                                    "article": label,
                                    "current_text": article.text[:120],
                                    "basis_url": url,
                                },
                            )
                        )
            resolved.append(Resolved(para.number, c.start, c.end, c.text, title, law, article, url))
    ctx.cache["cite"] = out
    ctx.cache["cite_resolved"] = resolved
    return out


def _quote_matches(quoted: str, article_text: str, threshold: float = 0.9) -> bool:
    """The quoted words appear in the article (punctuation aside), or nearly so (a typo, a dropped word).

    The quote is compared with every window of the article of about its length, so a quote made of
    words scattered over a long article does not pass.
    """
    q, a = _norm(quoted), _norm(article_text)
    if not q or q in a:
        return True
    n = len(q)
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(q)
    for size in {n, max(1, n - n // 10), n + n // 10}:
        for start in range(0, max(1, len(a) - size + 1)):
            matcher.set_seq1(a[start : start + size])
            if (
                matcher.real_quick_ratio() >= threshold
                and matcher.quick_ratio() >= threshold
                and matcher.ratio() >= threshold
            ):
                return True
    return False


def problems(ctx: Context, kind: str) -> list[tuple[int, int, int, dict]]:
    return list(_analyse(ctx)[kind])


def resolved(ctx: Context) -> list[Resolved]:
    _analyse(ctx)
    return list(ctx.cache.get("cite_resolved", []))
