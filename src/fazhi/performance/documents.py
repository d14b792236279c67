"""The .docx disclosure of a unit's year: 绩效目标表 and 绩效自评表 per project, then key evaluations."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from fazhi.core import docx_layout
from fazhi.core.dates import cn_date
from fazhi.performance import rules, selectors
from fazhi.performance.selectors import Disclosure


def _table(doc: Any, grid: Any, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = grid
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for tr, row in zip(table.rows[1:], rows, strict=True):
        for cell, text in zip(tr.cells, row, strict=True):
            cell.text = text


def _target(indicator: Any) -> str:
    """≥95%, ≤2500元; a qualitative target is its wording alone (not "定性建立并有效运行")."""
    if indicator.direction == rules.QUAL:
        return indicator.target_value
    return f"{rules.DIRECTION_LABELS[indicator.direction]}{indicator.target_value}{indicator.unit}"


def _money(value: Any) -> str:
    return rules.fmt(value)


def build_disclosure_docx(d: Disclosure) -> bytes:
    doc = Document()
    docx_layout.report(doc)  # A4, 宋体 五号, black headings, page numbers
    grid = doc.styles["Table Grid"]  # looked up once: python-docx searches styles by name
    title = doc.add_heading(f"{d.unit.name}{d.year}年度预算绩效信息公开", level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    pub = d.publication
    doc.add_paragraph(
        f"预算批复日期：{cn_date(pub.budget_approved_on)}；公开日期：{cn_date(pub.published_on)}。"
        f"{d.deadline.message}"
    )
    if d.final_accounts is not None:
        doc.add_paragraph(
            f"决算批复日期：{cn_date(d.final_accounts.approved_on)}；"
            f"决算公开日期：{cn_date(d.final_accounts.published_on)}。{d.final_accounts.message}"
        )
    for item in d.projects:
        p = item.project
        doc.add_heading(f"{p.name}（{p.code}）", level=2)
        funds = f"项目资金（万元）：年初预算数 {_money(p.budget_initial)}，全年预算数 {_money(p.budget_full_year)}"
        if item.executed is not None:  # only with the published self-evaluation
            funds += f"，全年执行数 {_money(item.executed)}"
        if item.target is not None:
            doc.add_heading("项目支出绩效目标表", level=3)
            _table(doc, grid, ["项目名称", "主管部门", "实施单位"], [[p.name, p.department, p.unit.name]])
            doc.add_paragraph(funds)
            doc.add_paragraph(f"年度总体目标：{item.target.annual_goal}")
            _table(
                doc,
                grid,
                ["一级指标", "二级指标", "三级指标", "指标方向", "目标值", "计量单位", "分值"],
                [
                    [
                        i.level1,
                        i.level2,
                        i.name,
                        rules.DIRECTION_LABELS[i.direction],
                        i.target_value,
                        i.unit,
                        rules.fmt(i.weight),
                    ]
                    for i in item.target.indicators.all()
                ],
            )
        ev = item.evaluation
        if ev is not None:
            doc.add_heading("项目支出绩效自评表", level=3)
            doc.add_paragraph(funds)
            # The 分值 it was scored with, not that of the rules in force now.
            weight = rules.fmt(selectors.execution_weight(ev, d.config))
            doc.add_paragraph(
                f"预算执行率 {ev.execution_rate}%，分值 {weight}，得分 {ev.execution_score}。{ev.execution_rule}"
            )
            doc.add_paragraph(f"实际完成情况：{ev.achievement}")
            _table(
                doc,
                grid,
                [
                    "一级指标",
                    "二级指标",
                    "三级指标",
                    "年度指标值",
                    "实际完成值",
                    "分值",
                    "得分",
                    "偏差原因分析及改进措施",
                ],
                [
                    [
                        r.indicator.level1,
                        r.indicator.level2,
                        r.indicator.name,
                        _target(r.indicator),
                        f"{r.actual_value}{r.indicator.unit if r.indicator.direction != rules.QUAL else ''}",
                        rules.fmt(r.indicator.weight),
                        str(r.score),
                        "；".join(x for x in (r.deviation_reason, r.improvement) if x),
                    ]
                    for r in ev.results.all()
                ],
            )
            doc.add_paragraph(f"总分：{ev.total_score}　等级：{ev.grade}（{ev.grade_rule}）")
        for key in item.key_evaluations:
            doc.add_heading("重点绩效评价", level=3)
            doc.add_paragraph(f"评价机构：{key.evaluator}；得分 {key.score}，等级 {key.grade}。")
            doc.add_paragraph(f"主要发现的问题：{key.findings}")
            if key.recommendations:
                doc.add_paragraph(f"整改建议：{key.recommendations}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
