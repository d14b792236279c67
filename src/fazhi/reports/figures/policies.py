"""惠企政策 figures: policies published and expiring, enterprise profiles, matches and subscriptions.

Policies have no issuing-unit dimension inside the bureau, so these figures ignore the unit filter.
"""

from __future__ import annotations

from typing import Any

from fazhi.reports.figures import Column, Context, Figure, Rows, iso, person

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

    Matching is evaluated now (政策体检 is not logged), against every policy that is 有效 or 即将到期.
    """
    from fazhi.policies import matching
    from fazhi.policies.models import EnterpriseProfile, Policy, Status

    profiles = list(EnterpriseProfile.objects.order_by("pk"))
    if not profiles:
        return []
    policies = list(
        Policy.objects.filter(status__in=[Status.VALID, Status.EXPIRING])
        .defer("full_text", "interpretation")
        .order_by("pk")
    )
    pairs = []
    for profile in profiles:
        for policy in policies:
            result = matching.evaluate(policy, profile, today=today)
            if result.eligible:
                pairs.append((profile, policy, result.met))
    return pairs


def figures(ctx: Context) -> list[Figure]:
    from fazhi.policies.models import EnterpriseProfile, Policy, PolicySubscription

    y = ctx.year
    published = list(Policy.objects.filter(published_date__year=y).order_by("published_date", "pk"))
    expiring = list(Policy.objects.filter(effective_to__year=y).order_by("effective_to", "pk"))
    expiring_next = list(Policy.objects.filter(effective_to__year=y + 1).order_by("effective_to", "pk"))
    profiles = list(EnterpriseProfile.objects.order_by("pk"))
    pairs = eligible_pairs(ctx.today)
    subs = list(
        PolicySubscription.objects.filter(created_at__year=y).select_related("user").order_by("created_at")
    )
    active_subs = [s for s in subs if s.active]

    def policy_fig(key: str, label: str, items: list[Any], how: str, **kw: Any) -> Figure:
        return Figure(
            key=f"policies.{key}",
            label=label,
            value=len(items),
            unit="件",
            source_description=f"惠企政策库，{how}",
            section="惠企政策",
            basis_count=len(items),
            columns=POLICY_COLUMNS,
            records=lambda: _policy_rows(items),
            note=NOTE,
            **kw,
        )

    def sub_rows(items: list[Any]) -> Rows:
        return [
            {
                "user": person(s.user),
                "what": "、".join(s.themes + s.industries) or ("匹配企业画像" if s.match_profile else "全部"),
                "created": iso(s.created_at),
                "active": "是" if s.active else "否",
            }
            for s in items
        ]

    chart = "惠企政策"
    return [
        policy_fig("published", "发布的惠企政策", published, "按发布日期", chart=chart),
        policy_fig("expiring", "有效期届满的惠企政策", expiring, "按有效期止日期", chart=chart),
        policy_fig("expiring_next", f"{y + 1}年有效期届满的惠企政策", expiring_next, f"有效期止于{y + 1}年"),
        Figure(
            key="policies.profiles",
            label="企业画像（当前）",
            value=len(profiles),
            unit="家",
            source_description="政策体检企业画像（画像无建立日期，为当前数）",
            section="惠企政策",
            basis_count=len(profiles),
            columns=[Column("name", "企业名称"), Column("industry", "所属行业"), Column("size", "企业规模")],
            records=lambda: [{"name": p.name, "industry": p.industry, "size": p.size} for p in profiles],
            note=NOTE,
            chart=chart,
        ),
        Figure(
            key="policies.matches",
            label="企业—政策匹配（符合全部条件）",
            value=len(pairs),
            unit="项",
            source_description="政策体检：各企业画像对照有效政策的申报条件（按当前画像与当日计算）",
            section="惠企政策",
            basis_count=len(pairs),
            columns=MATCH_COLUMNS,
            records=lambda: [
                {
                    "enterprise": pr.name,
                    "policy": po.title,
                    "met": "；".join(met),
                    "_url": po.get_absolute_url(),
                }
                for pr, po, met in pairs
            ],
            note=NOTE,
            chart=chart,
        ),
        Figure(
            key="policies.matched_enterprises",
            label="有符合条件政策的企业",
            value=len({pr.pk for pr, _po, _m in pairs}),
            unit="家",
            source_description="政策体检：至少符合一项有效政策全部条件的企业画像",
            section="惠企政策",
            basis_count=len(profiles),
            columns=MATCH_COLUMNS,
            records=lambda: [
                {
                    "enterprise": pr.name,
                    "policy": po.title,
                    "met": "；".join(met),
                    "_url": po.get_absolute_url(),
                }
                for pr, po, met in pairs
            ],
            note=NOTE,
        ),
        Figure(
            key="policies.subscriptions",
            label="新增政策订阅",
            value=len(subs),
            unit="个",
            source_description="政策订阅记录，按订阅时间",
            section="惠企政策",
            basis_count=len(subs),
            columns=SUBSCRIPTION_COLUMNS,
            records=lambda: sub_rows(subs),
            note=NOTE,
            chart=chart,
        ),
        Figure(
            key="policies.subscriptions_active",
            label="其中仍有效的订阅",
            value=len(active_subs),
            unit="个",
            source_description="政策订阅记录，按订阅时间，未退订的",
            section="惠企政策",
            basis_count=len(active_subs),
            columns=SUBSCRIPTION_COLUMNS,
            records=lambda: sub_rows(active_subs),
            note=NOTE,
        ),
    ]
