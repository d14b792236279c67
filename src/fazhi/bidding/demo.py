"""`fazhi demo setup`: remote evaluations with 主场 武汉市汉阳区 and 副场 九江 / 孝感 (idempotent): one drawn, one
in preparation, one evaluated with its remote-evaluation records and contract."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fazhi.bidding import services
from fazhi.bidding.models import (
    CommitteeMember,
    Criterion,
    Expert,
    ExpertPool,
    ExpertRelation,
    IdentityMethod,
    IdentityResult,
    Project,
    Site,
)
from fazhi.bidding.rules import ensure_rules
from fazhi.bidding.services.archives import project_sites
from fazhi.bidding.services.pools import with_check_digit
from fazhi.core import audit
from fazhi.core.models import User
from fazhi.core.services import ensure_user

SITES = [
    ("武汉市汉阳区公共资源交易中心", "武汉市汉阳区", "420105"),
    ("九江市公共资源交易中心", "九江市", "360402"),
    ("孝感市公共资源交易中心", "孝感市", "420902"),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建国", "晓燕", "志强", "丽华", "海涛", "文静", "国平", "春梅", "伟", "敏", "磊", "婷"]
BIDDERS = [
    ("武汉光谷智教科技有限公司", "91420100MA4K1A2B88", "3520000", True, "small"),
    ("湖北楚天信息技术股份有限公司", "91420000177568902A", "3390000", False, ""),
    ("江西赣鄱电子设备有限公司", "91360400MA35XK7Y4L", "3460000", True, "micro"),
]
# 声明函所填从业人员（人）、营业收入（万元）: sized as 工业 (300号), the first is small as it says; the
# third says micro but its figures make it small (规模核验：不符, still a small/micro deduction).
DECLARED_FIGURES = {BIDDERS[0][0]: (85, "6500"), BIDDERS[2][0]: (45, "1800")}

EVALUATED_CODE = "HYCG-2026-003"
EVALUATED_BIDDERS = [
    ("武汉书香智能设备有限公司", "1480000", True, "small"),
    ("湖北图联科技股份有限公司", "1520000", False, ""),
    ("孝感明德电子有限公司", "1450000", True, "micro"),
]


def _experts(pool: ExpertPool, prefix: str, count: int, offset: int) -> list[Expert]:
    experts = []
    for i in range(count):
        n = offset + i
        id_number = with_check_digit(f"{prefix}19{70 + n % 20:02d}{n % 12 + 1:02d}{n % 27 + 1:02d}{n:03d}")
        specialties = ["信息技术", "教学仪器"] if i % 2 == 0 else ["信息技术"]
        expert, _ = Expert.objects.get_or_create(
            id_number=id_number,
            defaults={
                "pool": pool,
                "name": SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)],
                "specialties": specialties,
                "employer": f"{pool.region}第{i + 1}中学" if i % 3 else f"{pool.region}职业技术学院",
                "phone": f"139{n:08d}",
            },
        )
        experts.append(expert)
    return experts


def setup_demo(stdout: Any) -> None:
    """The demo projects, each created once: HYCG-2026-001/002 (drawn, draft) and HYCG-2026-003 (evaluated, with
    its remote-evaluation records and contract; also added to a demo made before it existed)."""
    buyer = User.objects.filter(username="buyer").first()
    if Project.objects.filter(code="HYCG-2026-001").exists():
        stdout.write("远程异地评标：演示项目已存在，跳过。")
    elif buyer is None:
        stdout.write("远程异地评标：缺少演示账号 buyer，跳过。")
        return
    else:
        _setup_projects(buyer, stdout)
    if buyer is not None and not Project.objects.filter(code=EVALUATED_CODE).exists():
        with transaction.atomic(), audit.acting_as(buyer):
            _evaluated_project(buyer)
        stdout.write(
            f"远程异地评标：已创建已评标的演示项目 {EVALUATED_CODE}"
            "（身份核验、音视频存档、副场移交、合同签订与公告）。"
        )


def _setup_projects(buyer: User, stdout: Any) -> None:
    ensure_rules()
    with transaction.atomic(), audit.acting_as(buyer):
        sites, pools = [], []
        for name, region, _prefix in SITES:
            site, _ = Site.objects.get_or_create(name=name, defaults={"region": region})
            pool, _ = ExpertPool.objects.get_or_create(
                name=f"{region}评标专家库", defaults={"region": region, "site": site}
            )
            sites.append(site)
            pools.append(pool)
        offset = 0
        for pool, (_n, _r, prefix), count in zip(pools, SITES, (8, 4, 4), strict=True):
            experts = _experts(pool, prefix, count, offset)
            offset += count
            for expert in experts:
                if expert.user_id is None:
                    user = ensure_user(
                        username=f"expert{expert.pk:02d}",
                        display_name=expert.name,
                        role_names=[],
                        department=expert.employer,
                        password=settings.DEMO_PASSWORD,
                    )
                    expert.user = user
                    expert.save()
        # One 汉阳 expert works for a bidder and one 九江 expert declared a relative: the draw skips both.
        conflicted = Expert.objects.filter(pool=pools[0]).order_by("pk").first()
        if conflicted is not None:
            conflicted.employer = BIDDERS[0][0]
            conflicted.save()
        relative = Expert.objects.filter(pool=pools[1]).order_by("pk").first()
        if relative is not None and not relative.relations.exists():
            ExpertRelation.objects.create(expert=relative, organisation=BIDDERS[2][0], ground="family")

        start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
        host, jiujiang, xiaogan = sites
        project = services.create_project(
            actor=buyer,
            code="HYCG-2026-001",
            name="汉阳区中小学智慧教室设备采购",
            purchaser="武汉市汉阳区教育局",
            agency="湖北某招标代理有限公司",
            budget="3800000",
            category="goods",
            method="open_tender",
            evaluation_method="comprehensive",
            committee_size=5,
            host_site_id=host.pk,
            assist_site_ids=[jiujiang.pk, xiaogan.pk],
            quotas=[
                {"site_id": host.pk, "specialty": "信息技术", "count": 3},
                {"site_id": jiujiang.pk, "specialty": "信息技术", "count": 1},
                {"site_id": xiaogan.pk, "specialty": "信息技术", "count": 1},
            ],
            criteria=[
                {"name": "技术参数响应", "max_points": "30", "objective": False},
                {"name": "实施方案", "max_points": "20", "objective": False},
                {"name": "售后服务", "max_points": "12", "objective": False},
                {"name": "企业资质及业绩", "max_points": "8", "objective": True},
            ],
            price_weight="30",
            sme_policy="deduction",
            sme_deduction_pct="10",
            sme_industry="industry",
            evaluation_start=start,
            names_reveal_at=start,
        )
        for name, code, price, declared, size in BIDDERS:
            employees, revenue = DECLARED_FIGURES.get(name, (None, None))
            services.add_bidder(
                project=project,
                actor=buyer,
                name=name,
                credit_code=code,
                bid_price=price,
                sme_declaration=declared,
                sme_size=size,
                declared_employees=employees,
                declared_revenue=revenue,
            )
        services.draw_committee(project=project, actor=buyer, seed="20240723")

        services.create_project(
            actor=buyer,
            code="HYCG-2026-002",
            name="汉阳区政务云平台扩容（千万元以上）",
            purchaser="武汉市汉阳区政务服务和大数据管理局",
            budget="12000000",
            category="services",
            method="open_tender",
            evaluation_method="comprehensive",
            committee_size=7,
            host_site_id=host.pk,
            assist_site_ids=[xiaogan.pk],
            quotas=[
                {"site_id": host.pk, "specialty": "信息技术", "count": 5},
                {"site_id": xiaogan.pk, "specialty": "信息技术", "count": 2},
            ],
            criteria=[
                {"name": "技术方案", "max_points": "50", "objective": False},
                {"name": "项目团队", "max_points": "25", "objective": False},
                {"name": "资质认证", "max_points": "10", "objective": True},
            ],
            price_weight="15",
            sme_policy="deduction",
            sme_deduction_pct="10",
            evaluation_start=start + dt.timedelta(days=7),
            names_reveal_at=start + dt.timedelta(days=7),
        )
    stdout.write(
        "远程异地评标：已创建演示项目 HYCG-2026-001（主场汉阳，副场九江、孝感，已抽取专家）和 HYCG-2026-002。"
    )


EVALUATION_AGO = dt.timedelta(hours=2)  # the demo evaluation began two hours before `demo setup` ran
RECORDING_LEAD = dt.timedelta(minutes=10)  # each site's recording starts before the evaluation does


def _evaluated_project(buyer: User) -> Project:
    """HYCG-2026-003, evaluated today through the services as a real one would be: identity checks at each
    member's site, scores and signatures, each site's audio/video archive, 九江's handover on time (孝感's still
    due), the report, the winner, and the contract signed and published."""
    host, jiujiang, xiaogan = (Site.objects.get(name=name) for name, _region, _prefix in SITES)
    # A new project may not start in the past: the next minute, moved back below before anyone scores.
    start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    project = services.create_project(
        actor=buyer,
        code=EVALUATED_CODE,
        name="汉阳区公共图书馆自助借还设备采购",
        purchaser="武汉市汉阳区文化和旅游局",
        agency="湖北某招标代理有限公司",
        budget="1600000",
        category="goods",
        method="open_tender",
        evaluation_method="comprehensive",
        committee_size=5,
        host_site_id=host.pk,
        assist_site_ids=[jiujiang.pk, xiaogan.pk],
        quotas=[
            {"site_id": host.pk, "specialty": "信息技术", "count": 3},
            {"site_id": jiujiang.pk, "specialty": "信息技术", "count": 1},
            {"site_id": xiaogan.pk, "specialty": "信息技术", "count": 1},
        ],
        criteria=[
            {"name": "技术参数响应", "max_points": "35", "objective": False},
            {"name": "实施与培训方案", "max_points": "20", "objective": False},
            {"name": "企业资质及业绩", "max_points": "15", "objective": True},
        ],
        price_weight="30",
        sme_policy="deduction",
        sme_deduction_pct="10",
        evaluation_start=start,
        names_reveal_at=start,
    )
    for name, price, declared, size in EVALUATED_BIDDERS:
        services.add_bidder(
            project=project, actor=buyer, name=name, bid_price=price, sme_declaration=declared, sme_size=size
        )
    # The evaluation took place this morning: a project cannot be created with a start in the past, so the
    # demo moves it back once created (no score is saved or signed before the start; the recordings, begun
    # before it, cover it: the report lists no 核查提示).
    begun = start - EVALUATION_AGO
    Project.objects.filter(pk=project.pk).update(evaluation_start=begun, names_reveal_at=begun)
    project.refresh_from_db()
    committee = services.draw_committee(project=project, actor=buyer, seed="20240801")
    members = list(committee.members.filter(active=True).order_by("seat"))
    for member in members:
        services.record_identity_check(
            project=project,
            actor=buyer,
            member_id=member.pk,
            method=IdentityMethod.FACE_AND_ID_CARD,
            result=IdentityResult.PASSED,
        )
    for member in members:
        services.save_scores(member=member, actor=member.user, entries=score_entries(project, member))
    for member in members:  # objective items are compared across the sheets: all are scored first
        services.sign_sheet(member=member, actor=member.user)
    result = services.finish_evaluation(project=project, actor=buyer)
    for n, site in enumerate(project_sites(project), start=1):
        services.record_av_archive(
            project=project,
            actor=buyer,
            site_id=site.pk,
            reference=f"{site.region}交易中心音视频存储 AV-{EVALUATED_CODE}-{n}",
            started_at=project.evaluation_start - RECORDING_LEAD,
            ended_at=timezone.now(),
        )
    services.record_handover(
        project=project,
        actor=buyer,
        site_id=jiujiang.pk,
        handed_over_on=timezone.localdate(),
        contents="签到表、身份核验记录、评分表原件、音视频存档光盘",
    )
    services.submit_report(project=project, actor=buyer)
    services.confirm_winner(project=project, actor=buyer, bidder_id=result.lines[0].bidder.pk)
    services.record_contract_signed(project=project, actor=buyer, signed_on=timezone.localdate())
    return services.record_contract_published(project=project, actor=buyer, published_on=timezone.localdate())


def score_entries(project: Project, member: CommitteeMember) -> list[dict[str, Any]]:
    """A member's plausible score sheet for every bidder and criterion of the project (_demo_points)."""
    bidders = list(project.bidders.order_by("pk"))
    criteria = list(project.criteria.order_by("order", "pk"))
    return [
        {"bidder_id": b.pk, "criterion_id": c.pk, "points": str(_demo_points(c, i, member.seat))}
        for i, b in enumerate(bidders)
        for c in criteria
    ]


def _demo_points(criterion: Criterion, bidder_index: int, seat: int) -> Decimal:
    """Plausible points: bidders differ, experts a little (never enough to need an outlier reason); an
    objective item is the same for every expert."""
    share = Decimal("0.70") + Decimal("0.08") * bidder_index
    if not criterion.objective:
        share += Decimal("0.02") * (seat % 3)
    return min(criterion.max_points, (criterion.max_points * share).quantize(Decimal("0.01")))
