"""执法资格考试规则: the format a certification exam (专业/公共法律知识考试) must have once published — total
points, pass mark, time limit, and the number and points of each question type — and a blueprint filled in
from that rule for a new certification exam.

The defaults come from docs/DOMAIN.md ("Enforcement exams and certificates": 100 points, pass 60; an online
paper of e.g. 50 questions × 2 points, 25 single, 10 multiple, 15 true/false, 120 minutes); the administrator
corrects them in the admin (CertificationExamRule). The check runs where an exam is saved as published
(attempts.create_exam and the admin form): a draft may have any format, and an exam already published keeps
the format it was published with when the rule changes later. Other exams are not affected.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from fazhi.core.errors import ValidationFailed
from fazhi.exams.models import CertificationExamRule, CertificationStage

CENT = Decimal("0.01")
MAX_COUNT = 500  # as a blueprint row (papers.validate_blueprint)
MAX_POINTS = Decimal("100")
MAX_RULE_NOTE = 1000  # 说明 of the 执法资格考试规则 (a TextField written in the admin): refused beyond it


def certification_exam_rule() -> CertificationExamRule:
    """The rule in force: the administrator's row, else the shipped defaults."""
    return CertificationExamRule.objects.filter(key="default").first() or CertificationExamRule()


def is_certification_exam(stage: str) -> bool:
    return stage in (CertificationStage.SPECIALISED, CertificationStage.GENERAL)


def _n(value: Decimal | int) -> str:
    """A number as people write it: 100, 1.5 (not 100.00)."""
    return f"{Decimal(value).normalize():f}"


def format_differences(
    *,
    rows: list[dict[str, Any]],
    pass_mark: Decimal | int | str,
    time_limit_minutes: int,
    rule: CertificationExamRule | None = None,
) -> list[str]:
    """Each way a (validated) blueprint and its settings differ from the rule, in words; [] when they match."""
    rule = rule or certification_exam_rule()
    out = []
    total = sum((Decimal(r["points"]) * int(r["count"]) for r in rows), Decimal("0"))
    if total != rule.total_points:
        out.append(f"总分应为{_n(rule.total_points)}分，当前为{_n(total)}分")
    if Decimal(str(pass_mark)) != rule.pass_mark:
        out.append(f"及格分应为{_n(rule.pass_mark)}分，当前为{_n(Decimal(str(pass_mark)))}分")
    if int(time_limit_minutes) != rule.time_limit_minutes:
        out.append(f"考试时长应为{rule.time_limit_minutes}分钟，当前为{int(time_limit_minutes)}分钟")
    for qtype, label, count, points in rule.rows():
        mine = [r for r in rows if r["type"] == qtype]
        have = sum(int(r["count"]) for r in mine)
        if have != count:
            out.append(f"{label}应为{count}题，当前为{have}题")
        used = sorted({Decimal(r["points"]) for r in mine})
        if count and used and used != [points]:
            out.append(f"{label}每题应为{_n(points)}分，当前为{'、'.join(_n(p) + '分' for p in used)}")
    return out


def check_certification_format(
    *,
    stage: str,
    is_published: bool,
    rows: list[dict[str, Any]],
    pass_mark: Decimal | int | str,
    time_limit_minutes: int,
) -> None:
    """Refuse a published certification exam whose format differs from the rule, listing every difference."""
    if not (is_published and is_certification_exam(stage)):
        return
    rule = certification_exam_rule()
    found = format_differences(
        rows=rows, pass_mark=pass_mark, time_limit_minutes=time_limit_minutes, rule=rule
    )
    if found:
        raise ValidationFailed(
            f"{CertificationStage(stage).label}须符合执法资格考试规则："
            + "；".join(found)
            + f"。请按规则修改后发布，或先保存为未发布（规则依据：{rule.source}）"
        )


def rule_blueprint(rule: CertificationExamRule | None = None) -> list[dict[str, Any]]:
    """The blueprint the rule describes: one row per question type it asks for, any knowledge point."""
    rule = rule or certification_exam_rule()
    return [
        {"type": qtype, "knowledge_point": "", "count": count, "points": str(points.quantize(CENT))}
        for qtype, _label, count, points in rule.rows()
        if count
    ]


def prefill(rule: CertificationExamRule | None = None) -> dict[str, Any]:
    """A new certification exam's blueprint, pass mark and time limit, taken from the rule."""
    rule = rule or certification_exam_rule()
    return {
        "blueprint": rule_blueprint(rule),
        "pass_mark": rule.pass_mark,
        "time_limit_minutes": rule.time_limit_minutes,
    }


def check_rule(
    *, counts: dict[str, Any], points: dict[str, Any], pass_mark: Any, time_limit_minutes: Any
) -> None:
    """The rules for the rule itself (shared by the admin form): a sound paper the pass mark fits in.

    `counts` and `points` map a question type to its number of questions and points per question.
    """
    labels = {qtype: label for qtype, label, _c, _p in CertificationExamRule().rows()}
    total = Decimal("0")
    for qtype, label in labels.items():
        try:
            count = int(counts.get(qtype) or 0)
            each = Decimal(str(points.get(qtype) or 0))
        except (TypeError, ValueError, InvalidOperation):
            raise ValidationFailed(f"{label}的数量和每题分值必须是数字") from None
        if not 0 <= count <= MAX_COUNT:
            raise ValidationFailed(f"{label}数量 {count} 应在 0 到 {MAX_COUNT} 之间")
        if count and not 0 < each <= MAX_POINTS:
            raise ValidationFailed(f"{label}有 {count} 题，每题分值应大于 0 且不超过 {MAX_POINTS} 分")
        total += count * each
    if not total:
        raise ValidationFailed("执法资格考试规则至少要有一种题型的题目数量大于 0")
    try:
        mark = Decimal(str(pass_mark))
        minutes = int(time_limit_minutes)
    except (TypeError, ValueError, InvalidOperation):
        raise ValidationFailed("及格分和考试时长必须是数字") from None
    if not 0 < mark <= total:
        raise ValidationFailed(f"及格分 {_n(mark)} 应大于 0 且不超过总分 {_n(total)}")
    if not 1 <= minutes <= 24 * 60:
        raise ValidationFailed("考试时长应在 1 到 1440 分钟之间")
