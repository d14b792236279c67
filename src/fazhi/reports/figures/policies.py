"""惠企政策 figures: policies published and expiring, enterprise profiles, matches and subscriptions.

Policies have no issuing-unit dimension inside the bureau, so these figures ignore the unit filter.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fazhi.reports.figures import Column, Context, Figure, Rows, counted, iso, person

POLICY_COLUMNS = [
    Column("title", "政策标题"),
    Column("doc_number", "文号"),
    Column("issuer", "发文机关"),
    Column("published", "发布日期"),
    Column("effective_to", "有效期止"),
    Column("status", "效力状态"),
]
MATCH_COLUMNS = [
    Column("enterprise", "企业"),
    Column("policy", "符合条件的政策"),
    Column("met", "已满足的条件"),
]
MATCHED_ENTERPRISE_COLUMNS = [
    Column("enterprise", "企业"),
    Column("count", "符合全部条件的政策（项）"),
    Column("policies", "政策"),
]
SUBSCRIPTION_COLUMNS = [
    Column("user", "订阅账号", personal="name"),
    Column("what", "订阅内容"),
    Column("created", "订阅时间"),
    Column("active", "有效"),
]
NOTE = "政策不分局内单位，显示全局数"


def _policy_rows(policies: list[Any]) -> Rows:
    return [
        {
            "_url": p.get_absolute_url(),
            "title": p.title,
            "doc_number": p.doc_number,
            "issuer": p.issuer,
            "published": iso(p.published_date),
            "effective_to": iso(p.effective_to),
            "status": p.get_status_display(),
        }
        for p in policies
    ]


def eligible_pairs(today: Any) -> list[tuple[Any, Any, list[str]]]:
    """(profile, policy, met conditions) for every policy in force whose conditions the profile meets.

    Matching is evaluated on each request (政策体检 is not logged), for the current profiles against every
    policy that is 有效 or 即将到期 on `today`. `eligibility.eligible_pairs` finds the same pairs as
    evaluating every profile against every policy, but evaluates only the pairs that pass each policy's
    industry, size, region, tag and number conditions (2,000 profiles × 599 policies: see
    bench/match_scale.py).
    """
    from fazhi.policies import eligibility, matching
    from fazhi.policies.models import EnterpriseProfile, Policy, Status

    profiles = list(EnterpriseProfile.objects.order_by("pk"))
    if not profiles:
        return []
    policies = (
        Policy.objects.filter(status__in=[Status.VALID, Status.EXPIRING])
        .only(*matching.MATCH_FIELDS)
        .order_by("pk")
    )
    return eligibility.eligible_pairs(profiles, policies, today=today)


def _profile_rows(profiles: list[Any]) -> Rows:
    return [{"name": p.name, "industry": p.industry, "size": p.size} for p in profiles]


def _match_rows(pairs: list[tuple[Any, Any, list[str]]]) -> Rows:
    return [
        {"enterprise": pr.name, "policy": po.title, "met": "；".join(met), "_url": po.get_absolute_url()}
        for pr, po, met in pairs
    ]


def _matched_enterprise_rows(pairs: list[tuple[Any, Any, list[str]]]) -> Rows:
    """One row per enterprise (the figure counts enterprises; 企业—政策匹配 lists the pairs)."""
    by_profile: dict[int, tuple[Any, list[str]]] = {}
    for pr, po, _met in pairs:
        by_profile.setdefault(pr.pk, (pr, []))[1].append(po.title)
    return [
        {"enterprise": pr.name, "count": len(titles), "policies": "；".join(titles)}
        for pr, titles in by_profile.values()
    ]


def _subscription_rows(subs: list[Any]) -> Rows:
    return [
        {
            "user": person(s.user),
            "what": s.summary,
            "created": iso(s.created_at),
            "active": "是" if s.active else "否",
        }
        for s in subs
    ]


def figures(ctx: Context) -> list[Figure]:
    from fazhi.policies.models import EnterpriseProfile, Policy, PolicySubscription

    y = ctx.year
    published = list(Policy.objects.filter(published_date__year=y).order_by("published_date", "pk"))
    expiring = list(Policy.objects.filter(effective_to__year=y).order_by("effective_to", "pk"))
    expiring_next = list(Policy.objects.filter(effective_to__year=y + 1).order_by("effective_to", "pk"))
    profiles = list(EnterpriseProfile.objects.order_by("pk"))
    pairs = [] if ctx.comparing else eligible_pairs(ctx.today)  # today's matches: never compared
    subs = list(
        PolicySubscription.objects.filter(created_at__year=y).select_related("user").order_by("created_at")
    )
    active_subs = [s for s in subs if s.active]

    chart = "惠企政策"
    count = partial(counted, section="惠企政策", note=NOTE)
    policy = partial(count, unit="件", columns=POLICY_COLUMNS, rows=_policy_rows)
    subscription = partial(count, unit="个", columns=SUBSCRIPTION_COLUMNS, rows=_subscription_rows)
    return [
        policy("policies.published", "发布的惠企政策", published, how="惠企政策库，按发布日期", chart=chart),
        policy(
            "policies.expiring",
            "有效期届满的惠企政策",
            expiring,
            how="惠企政策库，按有效期止日期",
            chart=chart,
        ),
        policy(
            "policies.expiring_next",
            f"{y + 1}年有效期届满的惠企政策",
            expiring_next,
            how=f"惠企政策库，有效期止于{y + 1}年",
            comparable=False,
        ),
        count(
            "policies.profiles",
            "企业画像（当前）",
            profiles,
            "家",
            "政策体检企业画像（画像无建立日期，为当前数）",
            columns=[Column("name", "企业名称"), Column("industry", "所属行业"), Column("size", "企业规模")],
            rows=_profile_rows,
            chart=chart,
            comparable=False,  # current profiles: last year's cannot be told apart
        ),
        count(
            "policies.matches",
            "企业—政策匹配（符合全部条件）",
            pairs,
            "项",
            "政策体检：各企业画像对照有效政策的申报条件（按当前画像与当日计算）",
            columns=MATCH_COLUMNS,
            rows=_match_rows,
            chart=chart,
            comparable=False,  # today's profiles against today's policies
        ),
        Figure(
            key="policies.matched_enterprises",
            label="有符合条件政策的企业",
            value=len({pr.pk for pr, _po, _m in pairs}),
            unit="家",
            source_description="政策体检：至少符合一项有效政策全部条件的企业画像",
            section="惠企政策",
            basis_count=len({pr.pk for pr, _po, _m in pairs}),
            columns=MATCHED_ENTERPRISE_COLUMNS,
            records=partial(_matched_enterprise_rows, pairs),
            note=NOTE,
            comparable=False,
        ),
        subscription(
            "policies.subscriptions", "新增政策订阅", subs, how="政策订阅记录，按订阅时间", chart=chart
        ),
        subscription(
            "policies.subscriptions_active",
            "其中仍有效的订阅",
            active_subs,
            how="政策订阅记录，按订阅时间，未退订的",
        ),
    ]
