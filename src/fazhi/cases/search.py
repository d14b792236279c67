"""The "cases" search index: published cases, with facets by category, tag and year."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from fazhi.cases.models import Case, CaseStatus
from fazhi.cases.text import plain_text
from fazhi.search.registry import Adapter, PageHit, PageResults
from fazhi.search.schema import INT, KEYWORD, TEXT, Field

INDEX = "cases"


class CaseAdapter(Adapter):
    name = INDEX
    fields = [
        Field("title", TEXT, boost=3.0),
        Field("tags_text", TEXT, boost=1.5),
        Field("body", TEXT, boost=1.0),
        Field("articles", TEXT, boost=1.2),
        Field("category", KEYWORD),
        Field("tags", KEYWORD),
        Field("year", KEYWORD),
        Field("sort_key", INT),
    ]

    def _queryset(self) -> Any:
        return Case.objects.filter(status=CaseStatus.PUBLISHED).prefetch_related("applied__law")

    def iter_all(self) -> Iterator[Case]:
        yield from self._queryset().iterator(chunk_size=500)

    def count(self) -> int:
        return Case.objects.filter(status=CaseStatus.PUBLISHED).count()

    def load(self, ids: Iterable[str]) -> dict[str, Case]:
        pks = [int(i) for i in ids if str(i).isdigit()]
        return {str(c.pk): c for c in Case.objects.filter(pk__in=pks).prefetch_related("applied__law")}

    def page_search(self, text: str, limit: int) -> PageResults:
        """As /cases/?q= shows it (published cases only)."""
        from fazhi.cases.selectors import search_cases  # selectors imports this module

        found = search_cases(text=text, limit=limit, beyond_last="empty")
        hits = [PageHit(h.case.title, h.case.get_absolute_url(), h.snippet) for h in found.hits]
        return PageResults(total=found.total, hits=hits)

    def to_document(self, obj: Case) -> dict[str, Any] | None:
        if obj.status != CaseStatus.PUBLISHED:
            return None
        year = obj.year
        stamp = obj.published_at or obj.created_at
        return {
            "title": obj.title,
            "tags_text": " ".join(obj.tag_list),
            "body": "\n".join(
                [
                    obj.summary,
                    *(
                        plain_text(t)
                        for t in (obj.facts, obj.dispute, obj.decision, obj.analysis, obj.lessons)
                    ),
                ]
            ),
            "articles": " ".join(str(a) for a in obj.applied.all()),
            "category": obj.get_category_display(),
            "tags": obj.tag_list,
            "year": str(year) if year else "",
            "sort_key": int(stamp.timestamp()) if stamp else 0,
        }


adapter = CaseAdapter()
