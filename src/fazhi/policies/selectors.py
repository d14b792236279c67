"""惠企政策 read queries: search filters, one policy, related policies, subscriptions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fazhi.core.errors import NotFound, ValidationFailed
from fazhi.policies import duplicates, index, sizing
from fazhi.policies.extract import DOC_KIND_LABELS, THEME_RULES
from fazhi.policies.models import Level, Policy, PolicySubscription, Status, SupportType

# URL parameter → index facet field.
FILTER_PARAMS = {
    "status": "status",
    "level": "level",
    "doc_type": "doc_type",
    "theme": "theme",
    "industry": "industry",
    "size": "size",
    "issuer": "issuer",
    "support_type": "support_type",
    "year": "year",
}
FACET_LABELS = {
    "issuer": "发文机关",
    "level": "层级",
    "doc_type": "文种",
    "theme": "主题",
    "industry": "行业",
    "size": "企业规模",
    "support_type": "支持方式",
    "status": "效力状态",
    "year": "年份",
}
ACTIVE_STATUSES = [Status.VALID.label, Status.EXPIRING.label]
THEMES = [label for label, _ in THEME_RULES]  # the themes the import recognises (others may be added)


def _values(raw: Any) -> list[str]:
    if raw in (None, ""):
        return []
    items = raw if isinstance(raw, list | tuple) else [raw]
    out: list[str] = []
    for item in items:
        out.extend(v.strip() for v in str(item).replace("，", ",").split(",") if v.strip())
    return out


YEAR = re.compile(r"^\d{4}$")
MAX_FILTER_CHARS = 200  # a longer filter value matches nothing: refused rather than looked up


def _indexed(fieldname: str, value: str) -> bool:
    """True when some indexed policy carries this facet value: the list page offers every indexed value as
    a facet link, and administrators and the Excel import may add themes of their own."""
    engine = index.adapter.index
    found = engine.searcher().search(engine.term(fieldname, value), limit=1, count=True)
    return bool(getattr(found, "count", 0))


def normalize_filters(params: dict[str, Any]) -> dict[str, list[str]]:
    """Filter values as indexed (Chinese labels); codes such as `provincial`, `valid`, `C` or `grant` are
    accepted too. An unknown value raises ValidationFailed with the choices, never matches nothing."""
    levels = dict(Level.choices)
    statuses = dict(Status.choices)
    supports = dict(SupportType.choices)
    sections = sizing.sections()
    section_names = set(sections.values())
    out: dict[str, list[str]] = {}
    for param, fieldname in FILTER_PARAMS.items():
        vals = _values(params.get(param))
        if not vals:
            continue
        long = [v for v in vals if len(v) > MAX_FILTER_CHARS]
        if long:
            raise ValidationFailed(f"{FACET_LABELS[param]}筛选值过长（最多 {MAX_FILTER_CHARS} 个字符）。")
        if param == "level":
            vals = [levels.get(v, v) for v in vals]
            bad = [v for v in vals if v not in levels.values()]
            if bad:
                raise ValidationFailed(f"层级“{bad[0]}”无效，可选：国家、省、市、区。")
        elif param == "status":
            vals = [statuses.get(v, v) for v in vals]
            bad = [v for v in vals if v not in statuses.values()]
            if bad:
                raise ValidationFailed(f"效力状态“{bad[0]}”无效，可选：有效、即将到期、已失效、已废止。")
        elif param == "industry":
            vals = [sections.get(v.upper(), v) for v in vals]
            bad = [v for v in vals if v not in section_names and not _indexed(fieldname, v)]
            if bad:
                raise ValidationFailed(
                    f"行业“{bad[0]}”无效，请填写国民经济行业分类门类的代码或名称（如 C 或 制造业）。"
                )
        elif param == "size":
            bad = [v for v in vals if v not in sizing.SIZES]
            if bad:
                raise ValidationFailed(f"企业规模“{bad[0]}”无效，可选：大型、中型、小型、微型。")
        elif param == "support_type":
            vals = [supports.get(v.lower(), v) for v in vals]
            bad = [v for v in vals if v not in supports.values() and not _indexed(fieldname, v)]
            if bad:
                raise ValidationFailed(f"支持方式“{bad[0]}”无效，可选：{'、'.join(supports.values())}。")
        elif param == "theme":
            bad = [v for v in vals if v not in THEMES and not _indexed(fieldname, v)]
            if bad:
                raise ValidationFailed(
                    f"主题“{bad[0]}”无效，可选：{'、'.join(THEMES)}等（以筛选栏列出的为准）。"
                )
        elif param == "doc_type":
            bad = [v for v in vals if v not in DOC_KIND_LABELS]
            if bad:
                raise ValidationFailed(f"文种“{bad[0]}”无效，可选：{'、'.join(DOC_KIND_LABELS)}。")
        elif param == "year":
            bad = [v for v in vals if not YEAR.match(v)]
            if bad:
                raise ValidationFailed(f"年份“{bad[0]}”无效，应为四位数字年份，如 2020。")
        out[fieldname] = vals
    return out


def get_policy(policy_id: int) -> Policy:
    policy = Policy.objects.select_related("interpretation_of").filter(pk=policy_id).first()
    if policy is None:
        raise NotFound("未找到该政策，可能已被删除。")
    return policy


def related_policies(policy: Policy, *, limit: int = 5) -> list[Policy]:
    """Policies most similar to this one's title (interpretations first)."""
    linked = list(policy.interpretations.all()[:limit])
    if policy.interpretation_of_id:
        linked.insert(0, policy.interpretation_of)  # type: ignore[arg-type]
    # Each once and never the policy itself (links saved before the admin refused such loops).
    related: list[Policy] = []
    seen = {policy.pk}
    for p in linked:
        if p.pk not in seen:
            related.append(p)
            seen.add(p.pk)
    try:
        outcome = index.search(
            policy.title, limit=limit + 3, facets=False, with_snippets=False, rerank_depth=0
        )
    except Exception:  # no index yet: related policies are a nicety
        return related[:limit]
    for p, _ in outcome.hits:
        if p.pk not in seen:
            related.append(p)
            seen.add(p.pk)
    return related[:limit]


@dataclass
class Listed:
    """A result shown on the list page, with every other member of its group of reposts (on this page or not,
    oldest first) for the note under it; index.search(collapse=True) already listed the group once."""

    policy: Policy
    group: list[Policy] = field(default_factory=list)


REPOST_FIELDS = ("pk", "title", "issuer", "doc_number", "status", "published_date", "written_date")


def with_groups(policies: list[Policy]) -> list[Listed]:
    """The results in their order, each with the other members of its group of reposts."""
    out = [Listed(p) for p in policies]
    members = duplicates.group_members([(p.pk, p.duplicate_of_id) for p in policies])
    wanted = {pk for ids in members.values() for pk in ids}
    loaded = {p.pk: p for p in Policy.objects.filter(pk__in=wanted).only(*REPOST_FIELDS)} if wanted else {}
    for entry in out:
        entry.group = [loaded[pk] for pk in members.get(entry.policy.pk, []) if pk in loaded]
    return out


def reposts_of(policy: Policy) -> list[Policy]:
    """The other policies whose text is the same as this one's or nearly so, oldest first."""
    ids = duplicates.group_members([(policy.pk, policy.duplicate_of_id)]).get(policy.pk, [])
    return list(Policy.objects.filter(pk__in=ids).only(*REPOST_FIELDS).order_by("pk")) if ids else []


def subscriptions_of(user: Any) -> list[PolicySubscription]:
    return list(PolicySubscription.objects.filter(user=user, active=True).order_by("-created_at"))
