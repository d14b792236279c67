"""Demo data: 区教育局 with a published 2025 project (target, self-evaluation, key evaluation; budget and
final accounts published, results sent to the 区人大) and a 2026 project in draft. The demo account `drafter` fills in for the unit, `leader` reviews and publishes,
`supervisor` reads and remarks. Idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.core import audit, roles
from fazhi.core.services import ensure_user
from fazhi.performance import rules, services
from fazhi.performance.models import BudgetUnit, CongressSubmission, Project, Publication

DEMO_ROWS = [
    ("产出", "数量", "资助家庭经济困难学生人数", "≥", "1200", "人次", "20"),
    ("产出", "质量", "资助对象认定准确率", "=", "100", "%", "10"),
    ("产出", "时效", "资助资金按时发放率", "≥", "95", "%", "10"),
    ("产出", "成本", "生均资助标准", "≤", "2500", "元", "10"),
    ("效益", "社会", "家庭经济困难学生因贫辍学率", "≤", "0.5", "%", "15"),
    ("效益", "可持续", "学生资助长效机制", "定性", "建立并有效运行", "", "15"),
    ("满意度", "服务对象满意度", "受助学生及家长满意度", "≥", "90", "%", "10"),
]
DEMO_ACTUALS = {
    "资助家庭经济困难学生人数": (
        "1150",
        "部分学生转出本区，受助人数略低于计划",
        "完善学籍变动与资助名单联动核对",
    ),
    "资助对象认定准确率": ("100", "", ""),
    "资助资金按时发放率": ("97", "", ""),
    "生均资助标准": ("2480", "", ""),
    "家庭经济困难学生因贫辍学率": ("0", "", ""),
    "学生资助长效机制": ("基本达成", "资助管理办法尚在试行", "年内正式印发区学生资助管理办法"),
    "受助学生及家长满意度": ("93.5", "", ""),
}


def _rows() -> list[tuple[str, rules.IndicatorRow]]:
    return [(f"第{i}项", rules.IndicatorRow(*r)) for i, r in enumerate(DEMO_ROWS, start=1)]


@transaction.atomic
def setup_demo(stdout: Any) -> None:
    leader = ensure_user(
        username="leader",
        display_name="分管领导",
        role_names=[roles.LEADER, roles.STAFF_MEMBER],
        is_staff=True,
    )
    drafter = ensure_user(
        username="drafter", display_name="起草人（法规科）", role_names=[roles.DRAFTER, roles.STAFF_MEMBER]
    )
    unit = BudgetUnit.objects.filter(code="jyj").first()
    with audit.acting_as(leader):
        if unit is None:
            unit = services.create_unit(actor=leader, name="区教育局", code="jyj", members=[drafter])
        unit.members.add(drafter)
        if not Project.objects.filter(unit=unit, year=2025, code="JY-2025-01").exists():
            _published_project(unit, leader, drafter)
        _final_accounts_2025(unit, leader)
        if not Project.objects.filter(unit=unit, year=2026, code="JY-2026-01").exists():
            p = services.create_project(
                actor=leader, unit=unit, year=2026, code="JY-2026-01", name="学前教育普惠补助",
                department="区教育局", budget_initial="300", budget_full_year="300", executed="0",
            )  # fmt: skip
            with audit.acting_as(drafter):
                services.save_target(
                    actor=drafter, project=p, annual_goal="扩大普惠性学前教育资源覆盖面。", rows=_rows()
                )
    stdout.write("预算绩效：演示单位“区教育局”（填报：drafter；审核与公开：leader；监督：supervisor）。")


def _published_project(unit: BudgetUnit, leader: Any, drafter: Any) -> None:
    p = services.create_project(
        actor=leader, unit=unit, year=2025, code="JY-2025-01", name="家庭经济困难学生资助",
        department="区教育局", budget_initial="280", budget_full_year="300", executed="291.6",
    )  # fmt: skip
    with audit.acting_as(drafter):
        services.save_target(
            actor=drafter,
            project=p,
            annual_goal="按时足额资助全区家庭经济困难学生约 1200 人次，确保不因贫失学。",
            rows=_rows(),
        )
        services.transition(actor=drafter, project=p, kind="target", action="submit")
    services.transition(actor=leader, project=p, kind="target", action="approve", comment="指标完整，同意。")
    p.refresh_from_db()
    actuals = {i.pk: services.ActualInput(*DEMO_ACTUALS[i.name]) for i in p.target.indicators.all()}
    with audit.acting_as(drafter):
        services.save_self_evaluation(
            actor=drafter,
            project=p,
            achievement="全年资助 1150 人次，资金按时发放，无因贫辍学。",
            actuals=actuals,
        )
        services.transition(actor=drafter, project=p, kind="evaluation", action="submit")
    services.transition(actor=leader, project=p, kind="evaluation", action="approve", comment="自评客观。")
    services.save_key_evaluation(
        actor=leader, project=p, score="86.5", is_final=True,
        findings="部分学校资助名单更新滞后；资助资金使用台账不够规范。",
        recommendations="建立学籍与资助名单月度比对机制；统一台账格式。",
    )  # fmt: skip
    services.set_budget_approval(actor=leader, unit=unit, year=2025, approved_on=dt.date(2025, 2, 10))
    services.publish(actor=leader, unit=unit, year=2025, published_on=dt.date(2025, 2, 26))


def _final_accounts_2025(unit: BudgetUnit, leader: Any) -> None:
    """The 2025 results sent with the budget to the 区人大, and the 2025 final accounts (决算) published."""
    if not CongressSubmission.objects.filter(unit=unit, year=2025).exists():
        services.record_congress_submission(
            actor=leader, unit=unit, year=2025, submitted_on=dt.date(2024, 12, 20),
            note="随2025年预算草案报送区人大财经委：绩效自评结果、重点绩效评价结果。",
        )  # fmt: skip
    pub = Publication.objects.filter(unit=unit, year=2025).first()
    published_on = dt.date(2026, 7, 24)
    if pub is not None and pub.final_accounts_approved_on is None and published_on <= timezone.localdate():
        services.set_final_accounts_approval(
            actor=leader, unit=unit, year=2025, approved_on=dt.date(2026, 7, 10)
        )
        services.publish_final_accounts(actor=leader, unit=unit, year=2025, published_on=published_on)
