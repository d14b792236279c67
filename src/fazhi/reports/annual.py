"""The annual 法治政府建设 report draft (.docx), written only from the platform's figures.

Laid out as a 公文 (GB/T 9704-2012: A4, 小标宋 title, 仿宋 body, 黑体/楷体 层次, page numbers).
Each figure is followed by a footnote-style reference saying where it came from, its note (e.g. that exams
are not split by unit) and, where meaningful, the previous year's value and the change. Bulk imports are
printed apart from the year's work (`Figure.is_work`). Sections that need
judgement (how the study was organised, problems, the principal's duties, next year's plan) are left
as headings marked 【待撰写】 with the relevant figures listed under them for the writer.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from django.conf import settings
from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Pt, RGBColor

from fazhi.core import docx_layout
from fazhi.core.dates import cn_date
from fazhi.core.numerals import int_to_cn
from fazhi.reports import figures as figs

HEADINGS = [
    "一、学习贯彻与组织领导",
    "二、主要工作与成效",
    "三、存在的问题及改进措施",
    "四、主要负责人履行第一责任人职责情况",
    "五、下一年度工作安排",
]
TO_WRITE = "【待撰写】"

# Facts listed under the sections that need judgement (figure keys; missing ones are skipped).
FACTS = {
    HEADINGS[0]: [
        "exams.trainings",
        "exams.held",
        "exams.attempts",
        "publicity.posts",
        "publicity.activities",
    ],
    HEADINGS[2]: [
        "review.overdue",
        "review.coverage_rate",
        "review.missed",
        "review.filed_in_time_rate",
        "exams.share",
        "exams.uncertified",
        "exams.pass_rate",
        "publicity.items_open",
        "publicity.completion_rate",
        "performance.grade.3",
        "performance.grade.4",
    ],
    HEADINGS[3]: ["review.major", "review.reviewed"],
    HEADINGS[4]: [
        "policies.expiring_next",
        "review.valid_until_next",
        "exams.certificates_expiring_next",
        "exams.uncertified",
    ],
}
GUIDANCE = {
    HEADINGS[
        0
    ]: "请撰写本年度学习贯彻习近平法治思想、党委（党组）理论学习中心组学法、组织领导和制度建设情况。",
    HEADINGS[2]: "请根据下列数据和实际情况，撰写存在的问题、原因分析及改进措施。",
    HEADINGS[
        3
    ]: "请撰写主要负责人履行推进法治建设第一责任人职责的情况。平台没有主要负责人履职的直接记录，下列数据仅供参考。",
    HEADINGS[4]: "请撰写下一年度工作安排。下列数据为平台中已知的下一年度到期事项。",
}


def reference(fig: figs.Figure, year: int) -> str:
    """〔数据来源：…，2025年，共12条记录〕"""
    return f"〔数据来源：{fig.source_description}，{year}年，共{fig.basis_count}条记录〕"


def sentence(fig: figs.Figure) -> str:
    """A figure as the report states it: value, change since last year, then its note, as in
    "组织学法考试：2场（上年 1场，增加 1场）。（注：考试不分单位）"."""
    value = fig.display if fig.value is not None else (fig.empty or "无数据（没有可计算的记录）")
    compared = f"（{fig.comparison}）" if fig.comparison else ""
    note = f"（注：{fig.note}）" if fig.note else ""
    return f"{fig.label}：{value}{compared}。{note}"


def _reference(doc: DocxDocument, text: str) -> None:
    ref = doc.add_paragraph()
    run = ref.add_run(text)
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)


def _figure_paragraph(doc: DocxDocument, fig: figs.Figure, year: int) -> None:
    doc.add_paragraph(sentence(fig), style="List Bullet")
    _reference(doc, reference(fig, year))


def short_labels(labels: list[str]) -> list[str]:
    """The labels of one series without the words they all share.

    ["1月末执法人员占比", "2月末执法人员占比"] → ["1月末", "2月末"]; ["自评等级为“优”", "自评等级为“良”"] → ["优", "良"].
    A shared beginning is cut only after “ or 为, so "10月末" and "11月末" keep their "1"; a shared
    ending is kept when it starts with a digit. Labels that would become empty are left whole."""
    if len(labels) < 2:
        return labels
    head = os.path.commonprefix(labels)
    head = head[: max(head.rfind("“"), head.rfind("为")) + 1]
    tail = os.path.commonprefix([label[::-1] for label in labels])[::-1]
    if tail[:1].isdigit():
        tail = ""
    if any(len(label) <= len(head) + len(tail) for label in labels):
        return labels
    return [label[len(head) : len(label) - len(tail)] for label in labels]


def _chart_paragraph(doc: DocxDocument, members: list[figs.Figure], year: int) -> None:
    """A series or distribution in one line ("1月末 50%、2月末 60%…"), with the references behind it."""
    title = members[0].chart
    labels = short_labels([f.label for f in members])
    parts = "、".join(
        f"{label} {f.display}" + (f"（{f.comparison}）" if f.comparison else "")
        for label, f in zip(labels, members, strict=True)
    )
    notes = "；".join(dict.fromkeys(f.note for f in members if f.note))
    doc.add_paragraph(f"{title}：{parts}。" + (f"（注：{notes}）" if notes else ""), style="List Bullet")
    sources = list(dict.fromkeys(f.source_description.split("，")[0] for f in members))
    total = sum(f.basis_count for f in members) if members[0].chart_kind == "pie" else members[-1].basis_count
    _reference(doc, f"〔数据来源：{'、'.join(sources)}，{year}年，共{total}条记录〕")


GROUPED = ("line", "pie")


def _achievements(doc: DocxDocument, collected: figs.Collected) -> None:
    year = collected.ctx.year
    sections = dict(collected.sections())
    for n, provider in enumerate(figs.PROVIDERS, start=1):
        doc.add_heading(f"（{int_to_cn(n)}）{provider.title}", level=2)
        if provider.title in collected.unavailable:
            doc.add_paragraph("该部分数据暂不可用：平台中尚无相应记录，请撰写人核实后补充。")
            continue
        members = sections.get(provider.title, [])
        work = [f for f in members if f.is_work]
        if all(not f.value for f in work):
            doc.add_paragraph(f"平台中没有{year}年该项工作的记录。")
        else:
            charts: dict[str, list[figs.Figure]] = {}
            for fig in work:
                if fig.chart_kind in GROUPED and fig.chart:
                    charts.setdefault(fig.chart, []).append(fig)
                else:
                    _figure_paragraph(doc, fig, year)
            for grouped in charts.values():
                _chart_paragraph(doc, grouped, year)
        for fig in members:
            if not fig.is_work and fig.value:
                # Not an achievement: a plain line after the section's work, outside its list.
                doc.add_paragraph(f"另：{sentence(fig)}")
                _reference(doc, reference(fig, year))


def build(collected: figs.Collected) -> bytes:
    ctx = collected.ctx
    by_key = collected.by_key()
    doc = Document()
    # The report is submitted as a 公文: GB/T 9704-2012 page, fonts (一、 黑体, （一） 楷体) and page numbers.
    docx_layout.gongwen(doc)
    doc.add_heading(f"{ctx.unit}{ctx.year}年法治政府建设工作报告（草稿）", level=0)
    doc.add_paragraph(
        f"本草稿由{settings.SITE_NAME}于{cn_date(ctx.today)}根据平台记录生成。"
        "每个数字后注明数据来源，均可在数据看板中追溯到具体记录；"
        f"标有{TO_WRITE}的部分需要撰写人根据实际情况撰写，平台不代拟内容。"
    )
    if ctx.unit_filter:
        doc.add_paragraph(f"统计范围：{ctx.unit}。政策、法规、案例等不分单位的数据为全局数。")
    for heading in HEADINGS:
        if heading == HEADINGS[1]:
            doc.add_heading(heading, level=1)
            _achievements(doc, collected)
            continue
        doc.add_heading(f"{heading}{TO_WRITE}", level=1)
        doc.add_paragraph(GUIDANCE[heading])
        # A figure without a value (a rate over nothing, or nothing yet due) is no fact to write about.
        facts = [by_key[k] for k in FACTS[heading] if k in by_key and by_key[k].value is not None]
        if facts:
            doc.add_paragraph("供撰写参考的平台数据：")
            for fig in facts:
                _figure_paragraph(doc, fig, ctx.year)
        else:
            doc.add_paragraph("平台中没有与本部分相关的记录。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def filename(ctx: figs.Context) -> str:
    return f"{ctx.unit}{ctx.year}年法治政府建设工作报告（草稿）.docx"


def default_path(ctx: figs.Context) -> Path:
    return Path(settings.VAR_DIR) / "reports" / filename(ctx)
