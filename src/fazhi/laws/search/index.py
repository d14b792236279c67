"""The "laws" index: one document per article of every version (text, law title, headings, keyword fields)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from fazhi.laws.models import Article
from fazhi.search.registry import Adapter, PageHit, PageResults
from fazhi.search.schema import INT, KEYWORD, TEXT, Field

INDEX = "laws"


class LawArticleAdapter(Adapter):
    name = INDEX
    fields = [
        Field("text", TEXT, boost=1.0, bigram_boost=0.3),
        Field("title", TEXT, boost=1.0, bigram_boost=0.3),
        Field("headings", TEXT, boost=0.5, bigram_boost=0.0),
        Field("level", KEYWORD),
        Field("status", KEYWORD),
        Field("law_id", KEYWORD),
        Field("region", KEYWORD),
        Field("number", INT),
    ]

    def _queryset(self):  # noqa: ANN202
        return Article.objects.select_related("law", "version").only(
            "id",
            "number",
            "suffix",
            "label",
            "part",
            "chapter",
            "section",
            "text",
            "law_id",
            "version_id",
            "law__title",
            "law__short_name",
            "law__level",
            "law__region",
            "version__status",
        )

    def iter_all(self) -> Iterator[Article]:
        yield from self._queryset().order_by("pk").iterator(chunk_size=5000)

    def page_search(self, text: str, limit: int) -> PageResults:
        """As /laws/search?q= shows it: articles in force, re-ranked, cited articles first."""
        from fazhi.laws.search.articles import search_articles  # articles imports this module

        found = search_articles(q=text, limit=limit)
        hits = [
            PageHit(f"{h.article.law_title}{h.article.label}", h.article.url, h.snippet) for h in found.hits
        ]
        exact = bool(found.hits) and found.hits[0].article.pk in found.cited
        return PageResults(total=found.total, hits=hits, exact=exact)

    def load(self, ids: Iterable[str]) -> dict[str, Article]:
        pks = [int(i) for i in ids if str(i).isdigit()]
        return {str(a.pk): a for a in self._queryset().filter(pk__in=pks)}

    def count(self) -> int:
        return Article.objects.count()

    def to_document(self, obj: Article) -> dict[str, Any]:
        law = obj.law
        title = law.title if law.short_name in law.title else f"{law.title} {law.short_name}"
        return {
            "text": obj.text,
            "title": title,
            "headings": " ".join(p for p in (obj.part, obj.chapter, obj.section) if p),
            "level": law.level,
            "status": obj.version.status,
            "law_id": str(law.pk),
            "region": law.region,
            "number": obj.number,
        }


adapter = LawArticleAdapter()
