"""评标报告 (.docx): committee, each expert's scores, the price calculation, ranking and recommended winners."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from fazhi.bidding import rules
from fazhi.bidding.models import Bidder, MemberKind, Participation, Project, SmePolicy
from fazhi.bidding.services.archives import archive_rows, site_role
from fazhi.bidding.services.common import names_revealed
from fazhi.bidding.services.draw import verify_draw
from fazhi.bidding.services.incidents import duration, exceeds_limit, outage_limit
from fazhi.bidding.services.pricing import BASIS_LABELS
from fazhi.bidding.services.results import ProjectResult, compute_result, deadlines
from fazhi.bidding.services.sizing_check import industry_name, size_check, size_table
from fazhi.bidding.services.time_checks import TimeNote, archive_notes, sheet_notes, time_notes
from fazhi.core import docx_layout
from fazhi.core.downloads import download

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HIDDEN = "（名单未到公开时间）"
SEE_NOTES = "（见“核查提示”）"


def _table(doc, headings: list[str], rows: list[list[str]]):  # noqa: ANN001, ANN202
    """A grid table; nothing at all when there are no rows (a lone header row reads as a blank result)."""
    if not rows:
        return None
    table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headings, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    return table


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _minute(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _participation(bidder: Bidder) -> str:
    if bidder.participation == Participation.INDEPENDENT:
        return bidder.get_participation_display()
    return f"{bidder.get_participation_display()}（小微企业份额 {bidder.small_share_pct}%）"


def _declared(project: Project, bidder: Bidder, table: dict) -> str:
    """小型企业（规模核验：不符） — the size claimed and, when the project names its industry, the check."""
    if not bidder.sme_declaration:
        return "未提交"
    label = size_check(project, bidder, table=table).label
    return bidder.get_sme_size_display() + (f"（规模核验：{label}）" if label else "")


def _sme_policy(project: Project) -> str:
    rates = []
    if project.sme_deduction_pct:
        rates.append(f"价格扣除 {project.sme_deduction_pct}%")
    if project.consortium_deduction_pct:
        rates.append(f"联合体或分包扣除 {project.consortium_deduction_pct}%")
    return project.get_sme_policy_display() + (f"（{'；'.join(rates)}）" if rates else "")


def _deduction_terms(project: Project) -> str:
    """The deductions the project applies, with their sources (财库〔2020〕46号第九条, 〔2022〕19号)."""
    if project.sme_policy != SmePolicy.DEDUCTION:
        return f"本项目中小企业政策为“{project.get_sme_policy_display()}”，不作价格扣除。"
    text = (
        f"小型、微型企业（提交中小企业声明函）的投标报价先扣除 {project.sme_deduction_pct}% 后参与计算"
        f"（{rules.rule('sme_deduction').source}）。"
    )
    if project.sme_industry:
        check = rules.rule("sme_size_check")
        text += (
            f"采购标的所属行业为“{industry_name(project.sme_industry)}”，投标人中小企业声明函所填指标按该行业的划型标准核验"
            + ("，划型为中型或大型企业的不予扣除" if (check.value or {}).get("required") else "")
            + f"（{check.source}）。"
        )
    if project.consortium_deduction_pct:
        consortium = rules.rule("consortium_deduction")
        text += (
            f"联合体投标或大中型企业分包给小微企业，且小微企业合同份额不低于 {consortium.value['min_share_pct']}% 的，"
            f"其报价扣除 {project.consortium_deduction_pct}%（{consortium.source}）；同一投标人不重复扣除。"
        )
    return text


def _member_role(project: Project, member) -> str:  # noqa: ANN001
    if member.kind == MemberKind.PURCHASER_REP:
        return "采购人代表"
    return "主场" if member.site_id == project.host_site_id else "副场"


def build_report(
    project: Project, result: ProjectResult | None = None, now: dt.datetime | None = None
) -> bytes:
    """The evaluation report as .docx bytes (the member names are those of the current committee).

    Before the project's name-release time the experts appear by seat and site only, as on the page.
    """
    result = result or compute_result(project)
    revealed = names_revealed(project, now)

    def name_of(m) -> str:  # noqa: ANN001
        return m.display_name if revealed or m.kind == MemberKind.PURCHASER_REP else HIDDEN

    def employer_of(m) -> str:  # noqa: ANN001
        return ((m.expert.employer if m.expert else "") or "—") if revealed else "—"

    doc = Document()
    docx_layout.report(doc)  # A4, 宋体, "第 N 页 共 M 页" on every page of the signed report
    title = doc.add_heading(f"{project.name} 评标报告", level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading("一、项目基本情况", level=1)
    assists = "、".join(s.name for s in project.assist_sites.all()) or "无"
    _table(
        doc,
        ["事项", "内容"],
        [
            ["项目编号", project.code],
            ["采购人", project.purchaser],
            ["采购代理机构", project.agency or "—"],
            ["预算金额（元）", _money(project.budget)],
            ["投标保证金（元）", _money(project.bid_bond) if project.bid_bond is not None else "不收取"],
            ["品目类别 / 采购方式", f"{project.get_category_display()} / {project.get_method_display()}"],
            ["评标方法", project.get_evaluation_method_display()],
            ["价格分权重", f"{project.price_weight}%"],
            [
                "中小企业政策",
                _sme_policy(project),
            ],
            ["主场", project.host_site.name],
            ["副场", assists],
            ["评标开始时间", f"{timezone.localtime(project.evaluation_start):%Y-%m-%d %H:%M}"],
            [
                "评标结束时间",
                _minute(project.evaluation_finished_at) if project.evaluation_finished_at else "尚未结束",
            ],
        ],
    )

    doc.add_heading("二、评标委员会", level=1)
    committee = result.committee
    if committee is None:
        doc.add_paragraph("尚未组建评标委员会。")
    else:
        draws = list(committee.draws.all())
        seeds = "；".join(
            f"{d.get_kind_display()}种子 {d.seed}（复核{'一致' if verify_draw(d) else '不一致'}）"
            for d in draws
        )
        doc.add_paragraph(
            f"第 {committee.number} 届评标委员会共 {len(result.members)} 人，于 "
            f"{timezone.localtime(committee.formed_at):%Y-%m-%d %H:%M} 由系统从各场专家库随机抽取组建。{seeds}。"
        )
        _table(
            doc,
            ["席位", "姓名", "身份", "所在场地", "专业", "工作单位"],
            [
                [
                    str(m.seat),
                    name_of(m),
                    _member_role(project, m),
                    m.site.name,
                    m.specialty or "—",
                    employer_of(m),
                ]
                for m in result.members
            ],
        )
        if not revealed:
            doc.add_paragraph(
                f"评审专家姓名和工作单位在 {timezone.localtime(project.names_reveal_at):%Y-%m-%d %H:%M} "
                "名单公开后载入本报告。"
            )
        older = project.committees.filter(active=False).order_by("number")
        for old in older:
            doc.add_paragraph(f"第 {old.number} 届评标委员会已作废：{old.superseded_reason}（原记录保留）。")

    doc.add_heading("三、价格分计算", level=1)
    doc.add_paragraph(
        "价格分 =（评标基准价 ÷ 评标价格）× 价格权重 × 100，评标基准价为满足要求的最低评标价格。"
        + _deduction_terms(project)
        + (
            f"本项目评标基准价为 {_money(result.base_price)} 元；得分四舍五入保留 {result.places} 位小数。"
            if result.lines
            else ""
        )
    )
    if not result.lines:
        # An empty table and a base price of 0.00 would read as a result; say plainly there is none.
        doc.add_paragraph(
            "没有参与评分的投标人（尚未录入投标人，或均未通过资格性和符合性审查），不计算价格分。"
        )
    by_bidder = sorted(result.lines, key=lambda r: r.bidder.pk)
    table = size_table([project])
    _table(
        doc,
        ["投标人", "投标报价（元）", "中小企业声明", "投标形式", "价格扣除", "评标价格（元）", "价格分"],
        [
            [
                line.bidder.name,
                _money(line.bidder.bid_price),
                _declared(project, line.bidder, table),
                _participation(line.bidder),
                f"{line.price.deduction_pct}%"
                + (f"（{BASIS_LABELS[line.price.deduction_basis]}）" if line.price.deduction_basis else ""),
                _money(line.price.evaluated_price),
                str(line.price.price_score),
            ]
            for line in by_bidder
        ],
    )
    if by_bidder:
        doc.add_paragraph("价格扣除的理由：")
        for line in by_bidder:
            doc.add_paragraph(
                f"{line.bidder.name}：{line.price.deduction_reason or '不扣除'}。", style="List Bullet"
            )
    for bad in result.invalid:
        doc.add_paragraph(f"{bad.name}：未通过资格/符合性审查（{bad.invalid_reason}），不参与评分。")

    if result.criteria:
        doc.add_heading("四、各评委评分", level=1)
        if not result.members:
            doc.add_paragraph("尚未组建评标委员会，暂无评委评分。")
        for m in result.members:
            sheet = result.sheets.get(m.pk, {})
            who = name_of(m)
            heading = (
                f"席位 {m.seat}：{who}（{m.site.name}）"
                if who != HIDDEN
                else f"席位 {m.seat}（{m.site.name}）"
            )
            doc.add_heading(heading, level=2)
            rows = []
            for line in sorted(result.lines, key=lambda r: r.bidder.pk):
                cells = [str(sheet.get((line.bidder.pk, c.pk), "—")) for c in result.criteria]
                rows.append([line.bidder.name, *cells])
            _table(doc, ["投标人", *[f"{c.name}（{c.max_points}）" for c in result.criteria]], rows)
            signed = getattr(m, "sheet", None)
            if signed is not None and signed.signed:
                # An account name can identify the expert as well as the name does.
                account = f"由账号 {signed.signed_username} " if revealed else ""
                doc.add_paragraph(
                    f"已于 {timezone.localtime(signed.signed_at):%Y-%m-%d %H:%M:%S} {account}"
                    f"签名，SHA-256：{signed.sign_hash}"
                    + (SEE_NOTES if sheet_notes(project, m, signed) else "")
                )
            else:
                doc.add_paragraph("尚未签名。")

    doc.add_heading("五、评标结果与推荐中标候选人", level=1)
    headings = ["排名", "投标人", *[c.name for c in result.criteria], "价格分", "总分"]
    rows = [
        [
            str(line.rank),
            line.bidder.name,
            *[str(line.averages[c.pk]) for c in result.criteria],
            str(line.price.price_score),
            str(line.total),
        ]
        for line in result.lines
    ]
    if rows:
        _table(doc, headings, rows)
    else:
        doc.add_paragraph("没有可排序的投标人。")
    doc.add_paragraph(
        f"排序规则：{rules.rule('tie_rule').source}。各评分因素得分为全体评委评分的算术平均值。"
    )
    if result.recommended:
        names = "、".join(f"第{line.rank}名 {line.bidder.name}" for line in result.recommended)
        doc.add_paragraph(f"推荐中标候选人（{project.candidate_count} 名）：{names}。")
    for problem in result.problems:
        doc.add_paragraph(f"注意：{problem}")
    if result.committee is None or result.unsigned_seats:
        doc.add_paragraph("注意：尚有评委未签名，以上结果为临时计算结果，不得作为评标结论。")

    # The sections after 五 are numbered in turn: 异常情况 appears only when there were outages.
    numbers = iter("六七八")
    incidents = list(project.incidents.select_related("site"))
    if incidents:
        limit = outage_limit()
        doc.add_heading(f"{next(numbers)}、评标过程异常情况", level=1)
        _table(
            doc,
            ["场地", "开始", "恢复", "持续", "说明"],
            [
                [
                    i.site.name,
                    f"{timezone.localtime(i.started_at):%m-%d %H:%M}",
                    f"{timezone.localtime(i.ended_at):%m-%d %H:%M}" if i.ended_at else "未恢复",
                    f"{duration(i).total_seconds() / 3600:.1f} 小时"
                    + ("（超过时限）" if exceeds_limit(i, limit=limit) else ""),
                    i.description,
                ]
                for i in incidents
            ],
        )

    doc.add_heading(f"{next(numbers)}、音视频存档", level=1)
    doc.add_paragraph("各场地评标过程的双向音视频录制及存档情况：")
    _table(
        doc,
        ["场地", "存档编号或存储位置", "录制时间"],
        [
            [
                f"{site.name}（{site_role(project, site)}）",
                a.reference if a else "未登记",
                (
                    f"{_minute(a.started_at)} 至 {_minute(a.ended_at)}"
                    + (SEE_NOTES if archive_notes(project, site, a) else "")
                )
                if a
                else "—",
            ]
            for site, a in archive_rows(project)
        ],
    )

    d = deadlines(project)
    if d.report_due:
        doc.add_paragraph(f"本报告应于 {d.report_due} 前送交采购人（{d.source}）。")

    _time_notes(doc, time_notes(project, result.members), next(numbers))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _time_notes(doc, notes: list[TimeNote], number: str) -> None:  # noqa: ANN001
    """核查提示: recorded times that contradict the evaluation period, printed as recorded (nothing is changed)."""
    doc.add_heading(f"{number}、核查提示", level=1)
    if not notes:
        doc.add_paragraph(
            "按系统登记的时间核对，未发现评分表签名时间、音视频录制时间与评标时间不一致的情况。"
        )
        return
    doc.add_paragraph(
        f"以下 {len(notes)} 处时间记录与评标开始、结束时间不一致，本报告照录系统登记的时间，未作改动，"
        "请采购办核对原始记录并说明原因："
    )
    for note in notes:
        doc.add_paragraph(str(note), style="List Bullet")


def report_response(project: Project) -> HttpResponse:
    """The report as a download named after the project (callers check who may have it)."""
    name = f"评标报告-{project.code}.docx"
    return download(build_report(project), name, DOCX, ascii_fallback=f"report-{project.pk}.docx")
