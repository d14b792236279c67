"""Article search over the law library (index "laws": one document per article of every version).

Contract:
- `LawArticleAdapter` feeds the index: the article text, the law title (boosted), the 编/章/节
  headings, and keyword fields level / status / law_id / region for filters and facets.
- `build_query(text, filters)` turns a user question into a Tantivy query (see `Tuning` for the
  knobs: field boosts, bigram weight, a boost for laws named in the question).
- `search_articles(...)` runs it and joins the hits with the database; snippets are highlighted.
Only in-force texts (有效) are searched unless the caller asks for other statuses.

The parts: `index` (the adapter that feeds the index), `query` (tuning, law names, filters and the Tantivy
query), `articles` (running a search: article rows, hits and results).
"""

from __future__ import annotations

from fazhi.laws.search.articles import (
    MAX_LIMIT,
    ArticleHit,
    ArticleResults,
    ArticleRow,
    load_rows,
    search_articles,
)
from fazhi.laws.search.index import INDEX, LawArticleAdapter, adapter
from fazhi.laws.search.query import (
    NATIONAL_LEVELS,
    TUNING,
    LawFilters,
    Tuning,
    build_query,
    law_names,
    parse_filters,
)

__all__ = [
    "INDEX",
    "MAX_LIMIT",
    "NATIONAL_LEVELS",
    "TUNING",
    "ArticleHit",
    "ArticleResults",
    "ArticleRow",
    "LawArticleAdapter",
    "LawFilters",
    "Tuning",
    "adapter",
    "build_query",
    "law_names",
    "load_rows",
    "parse_filters",
    "search_articles",
]
