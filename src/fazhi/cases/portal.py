"""Portal reads: the home page blocks and the one search box over policies, laws and cases.

Other apps' data is read defensively (their models and indexes may not exist yet, or may be
empty): a missing part simply leaves its block empty.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.core.exceptions import FieldError
from django.db import DatabaseError
from django.utils import timezone

from fazhi.search import highlight, query, registry
from fazhi.search.schema import TEXT

log = logging.getLogger(__name__)

# (index, heading, "more results" page) in the order the groups are shown.
SEARCH_GROUPS = [
    ("policies", "惠企政策", "/policies/"),
    ("laws", "法律法规", "/laws/search"),
    ("cases", "以案释法", "/cases/"),
]


@dataclass
class GroupHit:
    title: str
    url: str
    snippet: str


@dataclass
class Group:
    index: str
    label: str
    total: int
    more_url: str
    hits: list[GroupHit] = field(default_factory=list)
    available: bool = True
    exact: bool = False  # its first hit is what the query names (a cited article): shown first


def _hit_text(adapter: Any, obj: Any) -> str:
    """The longest text field of the object's search document (the body, not the title)."""
    try:
        values = adapter.to_document(obj) or {}
    except Exception:  # an adapter of another app failing must not break the portal
        return ""
    best = ""
    for f in adapter.fields:
        v = values.get(f.name) if f.kind == TEXT else None
        text = " ".join(v) if isinstance(v, list | tuple) else str(v or "")
        if len(text) > len(best):
            best = text
    return best


def site_search(text: str, *, per_group: int = 5) -> list[Group]:
    """Search every portal index with the same words; one group of results per index."""
    aq = query.analyze(text)
    groups = []
    for name, label, more in SEARCH_GROUPS:
        more_url = f"{more}?{urlencode({'q': text})}"
        try:
            adapter = registry.get(name)
        except KeyError:
            groups.append(Group(name, label, 0, more_url, available=False))
            continue
        try:
            page = adapter.page_search(text, per_group)
            if page is not None:  # the count and order of the page "查看全部" opens
                hits = [GroupHit(h.title, h.url, h.snippet) for h in page.hits]
                groups.append(Group(name, label, page.total, more_url, hits, exact=page.exact))
                continue
            tq = query.text_query(adapter.index, aq)
            if tq is None:
                groups.append(Group(name, label, 0, more_url))
                continue
            result = adapter.index.search(tq, limit=per_group)
            objects = adapter.load([h.id for h in result.hits])
        except Exception:  # an index not built yet, or another app's adapter failing
            log.exception("portal search of index %s failed", name)
            groups.append(Group(name, label, 0, more_url, available=False))
            continue
        hits = []
        for h in result.hits:
            obj = objects.get(h.id)
            if obj is None:
                continue
            url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else more
            hits.append(
                GroupHit(
                    str(obj), url, highlight.snippet(_hit_text(adapter, obj), aq.highlight_terms, length=100)
                )
            )
        groups.append(Group(name, label, result.total, more_url, hits))
    groups.sort(key=lambda g: not g.exact)  # stable: otherwise policies, laws, cases as listed
    return groups


@dataclass
class PolicyItem:
    title: str
    url: str
    closes: dt.date | None
    days_left: int | None


def policies_closing_soon(limit: int = 5) -> list[PolicyItem]:
    """Policies whose application window closes next (today or later), soonest first."""
    try:
        policy = apps.get_model("policies", "Policy")
    except LookupError:
        return []
    today = timezone.localdate()
    try:
        rows = list(
            policy.objects.filter(apply_end__gte=today)
            .exclude(status__in=["expired", "repealed"])  # 已失效 / 已废止 policies take no applications
            .order_by("apply_end")[:limit]
        )
    except (FieldError, DatabaseError):
        return []
    items = []
    for p in rows:
        closes = getattr(p, "apply_end", None)
        url = p.get_absolute_url() if hasattr(p, "get_absolute_url") else "/policies/"
        items.append(PolicyItem(str(p), url, closes, (closes - today).days if closes else None))
    return items
