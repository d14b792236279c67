"""Field specs an adapter declares; the engine turns them into a Tantivy schema.

- TEXT: analysed Chinese text. Two index fields: `<name>` (rjieba words, positions: BM25 + phrases) and
  `<name>_bi` (character bigrams, frequencies only).
- KEYWORD: exact strings (filters, facets); may be a list (multi-valued).
- INT: integers (filters, ranges, sorting).
"""

from __future__ import annotations

from dataclasses import dataclass

TEXT = "text"
KEYWORD = "keyword"
INT = "int"
FLOAT = "float"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str = TEXT
    boost: float = 1.0  # default query weight for TEXT fields
    bigram_boost: float = 0.3  # weight of the bigram companion field (0 disables the field)
