"""Articles a search question cites by law name and number: "预算法第十条", "《中华人民共和国预算法》第十条",
"民法典第五百条". The law search puts them first (a reader who names the article wants that article).

Contract: `cited_articles(text, filters)` → ids of the cited articles, at most MAX_CITED, in the order
they are cited, taken from the current version of the law (for 民法典, from the part that holds the
article) and limited to those passing the filters' level, status, law and region. A citation that
resolves to more than MAX_CITED articles is ambiguous and pins nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fazhi.core.numerals import cn_to_int
from fazhi.laws.citations import ARTICLE_RE, find_law, law_name_before
from fazhi.laws.models import Article
from fazhi.laws.selectors import current_version_ids

if TYPE_CHECKING:  # pragma: no cover
    from fazhi.laws.search import LawFilters

MAX_CITED = 3
MAX_NUMBER = 100_000


def _by_title(before: str) -> list[int]:
    name = law_name_before(before)
    law = find_law(name) if name else None
    return [law.pk] if law else []


def _laws_named_before(before: str) -> list[int]:
    """Ids of the laws named right before a 第N条: the title of a 《…》 (any law, local ones too); a
    national law's title or short name ending the text (the longest: 预算法实施条例 rather than 预算法;
    民法典 names its parts); else a bare name ending like a law that the citation finder resolves."""
    from fazhi.laws.search import law_names

    head = before.rstrip()
    if head.endswith(("》", "〉")):
        return _by_title(head) or law_names.ending(head.rstrip("》〉"))
    return (law_names.ending(head) if head else []) or _by_title(head)


def cited_articles(text: str, filters: LawFilters | None = None) -> list[int]:
    out: list[int] = []
    for m in ARTICLE_RE.finditer(text):
        law_ids = _laws_named_before(text[max(0, m.start() - 60) : m.start()])
        if not law_ids:
            continue
        number = cn_to_int(m.group("num"))
        suffix = cn_to_int(m.group("suf")) if m.group("suf") else 0
        if not (0 < number < MAX_NUMBER and 0 <= suffix < MAX_NUMBER):
            continue
        # The text each law's page shows (its in-force version before a newer one still 尚未生效).
        current = list(current_version_ids(law_ids).values())
        found = Article.objects.filter(version_id__in=current, number=number, suffix=suffix)
        if filters is not None:
            if filters.level:
                found = found.filter(law__level__in=filters.level)
            if filters.status:
                found = found.filter(version__status__in=filters.status)
            if filters.law:
                found = found.filter(law_id__in=[int(x) for x in filters.law])
            if filters.region:
                found = found.filter(law__region__in=filters.region)
        ids = list(found.order_by("law_id", "pk").values_list("pk", flat=True)[: MAX_CITED + 1])
        if len(ids) <= MAX_CITED:
            out.extend(i for i in ids if i not in out)
        if len(out) >= MAX_CITED:
            break
    return out[:MAX_CITED]
