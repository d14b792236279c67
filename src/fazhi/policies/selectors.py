"""惠企政策 read queries: search filters, one policy, related policies, subscriptions."""

from __future__ import annotations

from typing import Any

from fazhi.core.errors import NotFound, ValidationFailed
from fazhi.policies import index, sizing
from fazhi.policies.models import Level, Policy, PolicySubscription, Status

# URL parameter → index facet field.
FILTER_PARAMS = {
    "status": "status",
    "level": "level",
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
    "theme": "主题",
    "industry": "行业",
    "size": "企业规模",
    "support_type": "支持方式",
    "status": "效力状态",
    "year": "年份",
}
ACTIVE_STATUSES = [Status.VALID.label, Status.EXPIRING.label]


def _values(raw: Any) -> list[str]:
    if raw in (None, ""):
        return []
    items = raw if isinstance(raw, list | tuple) else [raw]
    out: list[str] = []
    for item in items:
        out.extend(v.strip() for v in str(item).replace("，", ",").split(",") if v.strip())
    return out


def normalize_filters(params: dict[str, Any]) -> dict[str, list[str]]:
    """Filter values as indexed (Chinese labels); codes such as `provincial`, `valid` or `C` are accepted too."""
    levels = dict(Level.choices)
    statuses = dict(Status.choices)
    sections = sizing.sections()
    out: dict[str, list[str]] = {}
    for param, fieldname in FILTER_PARAMS.items():
        vals = _values(params.get(param))
        if not vals:
            continue
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
        elif param == "size":
            bad = [v for v in vals if v not in sizing.SIZES]
            if bad:
                raise ValidationFailed(f"企业规模“{bad[0]}”无效，可选：大型、中型、小型、微型。")
        out[fieldname] = vals
    return out


def get_policy(policy_id: int) -> Policy:
    policy = Policy.objects.select_related("interpretation_of").filter(pk=policy_id).first()
    if policy is None:
        raise NotFound("未找到该政策，可能已被删除。")
    return policy


def related_policies(policy: Policy, *, limit: int = 5) -> list[Policy]:
    """Policies most similar to this one's title (interpretations first)."""
    related = list(policy.interpretations.all()[:limit])
    if policy.interpretation_of_id:
        related.insert(0, policy.interpretation_of)  # type: ignore[arg-type]
    seen = {policy.pk, *(p.pk for p in related)}
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


def subscriptions_of(user: Any) -> list[PolicySubscription]:
    return list(PolicySubscription.objects.filter(user=user, active=True).order_by("-created_at"))
