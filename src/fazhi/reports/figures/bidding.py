"""远程异地评标 figures: projects evaluated remotely in the year, and the regions taking part.

A project counts once its evaluation ended (评标结束, 评标报告已送交 or 中标人已确定), in the year its
evaluation started. A region takes part through the 主场 (host site) or a 副场 (assist site) in it.
The unit filter matches the purchaser (采购人) exactly (fazhi.reports.units).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fazhi.reports.figures import (
    Column,
    Context,
    Figure,
    Rows,
    counted,
    iso,
    on_time_rate,
    timeliness,
    unit_names,
)

SECTION = "远程异地评标"

COLUMNS = [
    Column("code", "项目编号"),
    Column("name", "项目名称"),
    Column("purchaser", "采购人"),
    Column("start", "评标开始"),
    Column("host", "主场"),
    Column("assist", "副场"),
    Column("status", "状态"),
]


def _rows(projects: list[Any]) -> Rows:
    return [
        {
            "code": p.code,
            "name": p.name,
            "purchaser": p.purchaser,
            "start": iso(p.evaluation_start),
            "host": f"{p.host_site.name}（{p.host_site.region}）",
            "assist": "、".join(f"{s.name}（{s.region}）" for s in p.assist_sites.all()) or "—",
            "status": p.get_status_display(),
        }
        for p in projects
    ]


CONTRACT_COLUMNS = [
    Column("code", "项目编号"),
    Column("name", "项目名称"),
    Column("purchaser", "采购人"),
    Column("signed", "合同签订"),
    Column("due", "应公告日期"),
    Column("published", "合同公告"),
    Column("on_time", "按期公告"),
]


def _contract_rows(projects: list[Any]) -> Rows:
    from fazhi.bidding import rules
    from fazhi.bidding.services.contracts import contract_deadline
    from fazhi.core.workdays import Calendar

    rule, calendar = rules.rule("contract_deadline"), Calendar.load()
    out = []
    for p in projects:
        d = contract_deadline(p, rule=rule, calendar=calendar)
        if p.contract_published_on:
            on_time = "否" if d.overdue else "是"
        else:
            on_time = "否（逾期未公告）" if d.overdue else "未到公告期限"
        out.append(
            {
                "code": p.code,
                "name": p.name,
                "purchaser": p.purchaser,
                "signed": iso(p.contract_signed_on),
                "due": iso(d.publish_due),
                "published": iso(p.contract_published_on),
                "on_time": on_time,
            }
        )
    return out


SIZE_COLUMNS = [
    Column("code", "项目编号"),
    Column("bidder", "投标人"),
    Column("industry", "采购标的所属行业"),
    Column("claimed", "声明规模"),
    Column("computed", "按指标划型"),
]


def _size_rows(pairs: list[Any]) -> Rows:
    return [
        {
            "code": project.code,
            "bidder": bidder.name,
            "industry": check.industry,
            "claimed": check.claimed,
            "computed": check.computed,
        }
        for project, bidder, check in pairs
    ]


def _size_mismatches(projects: list[Any]) -> list[Any]:
    """(project, bidder, check) for each 声明函 whose own figures size the firm otherwise (规模核验：不符)."""
    from fazhi.bidding.models import Bidder
    from fazhi.bidding.services.sizing_check import size_check, size_table

    named = [p for p in projects if p.sme_industry]
    table = size_table(named)
    by_pk = {p.pk: p for p in named}
    out = []
    for bidder in Bidder.objects.filter(project__in=named, sme_declaration=True).order_by("project_id", "pk"):
        check = size_check(by_pk[bidder.project_id], bidder, table=table)
        if check.supported is False:
            out.append((by_pk[bidder.project_id], bidder, check))
    return out


def figures(ctx: Context) -> list[Figure]:
    from fazhi.bidding.models import Project, Status

    done = [Status.EVALUATED, Status.REPORTED, Status.CONFIRMED]
    qs = (
        Project.objects.filter(evaluation_start__year=ctx.year, status__in=done)
        .select_related("host_site")
        .prefetch_related("assist_sites")
        .order_by("evaluation_start", "pk")
    )
    purchasers = unit_names(ctx, Project, "purchaser") if ctx.unit_filter else None
    if purchasers is not None:
        qs = qs.filter(purchaser__in=purchasers)
    projects = list(qs)
    with_assist = [p for p in projects if p.assist_sites.all()]
    by_region: dict[str, list[Any]] = {}
    for p in projects:
        regions = {p.host_site.region, *(s.region for s in p.assist_sites.all())}
        for region in regions:
            by_region.setdefault(region, []).append(p)
    count = partial(counted, unit="个", section=SECTION, columns=COLUMNS, rows=_rows)
    out = [
        count(
            "bidding.projects",
            "完成评标的远程异地评标项目",
            projects,
            how="远程异地评标项目，按评标开始时间，评标已结束的",
        ),
        count(
            "bidding.with_assist",
            "其中设副场（跨地区协同）的项目",
            with_assist,
            how="远程异地评标项目，至少有一个副场的",
        ),
    ]
    out.append(
        counted(
            "bidding.size_mismatches",
            "中小企业声明规模与划型标准不符的投标人",
            _size_mismatches(projects),
            "家",
            "完成评标的项目中，设置了采购标的所属行业的，投标人声明函所填指标按工信部联企业〔2011〕300号划型与声明不符的",
            section=SECTION,
            columns=SIZE_COLUMNS,
            rows=_size_rows,
        )
    )
    # 合同公告 (政府采购法实施条例第五十条): contracts signed in the year, published within the working days.
    from fazhi.bidding import rules
    from fazhi.bidding.services.contracts import contract_deadline
    from fazhi.core.workdays import Calendar

    contracts = Project.objects.filter(contract_signed_on__year=ctx.year).order_by("contract_signed_on", "pk")
    if purchasers is not None:
        contracts = contracts.filter(purchaser__in=purchasers)
    signed = list(contracts)
    rule, calendar = rules.rule("contract_deadline"), Calendar.load()
    publishing = timeliness(
        signed,
        deadline=lambda p: contract_deadline(p, rule=rule, calendar=calendar).publish_due,
        done=lambda p: p.contract_published_on,
        cutoff=ctx.year_end,
    )
    days = rule.value["publish_working_days"]
    out.append(
        counted(
            "bidding.contracts",
            "签订的政府采购合同",
            signed,
            "份",
            "按合同签订日期",
            section=SECTION,
            columns=CONTRACT_COLUMNS,
            rows=_contract_rows,
        )
    )
    out.append(
        on_time_rate(
            "bidding.contracts_on_time_rate",
            "合同按期公告率",
            publishing,
            f"按合同签订日期，签订后 {days} 个工作日内公告的合同 ÷ 已到公告期限或已公告的合同（{rule.source}）",
            pending="份未到公告期限",
            section=SECTION,
            columns=CONTRACT_COLUMNS,
            rows=_contract_rows,
        )
    )
    for i, (region, members) in enumerate(sorted(by_region.items(), key=lambda kv: (-len(kv[1]), kv[0]))):
        out.append(
            count(
                f"bidding.region.{i + 1}",
                f"{region}参与评标的项目",
                members,
                how=f"远程异地评标项目，主场或副场位于{region}的",
                chart="远程异地评标（按地区，个）",
                comparable=False,  # numbered by rank: region.1 is not last year's region.1
            )
        )
    return out
