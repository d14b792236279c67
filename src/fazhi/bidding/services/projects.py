"""Procurement projects: creation with the composition and price checks of services.project_rules (and the
采购标的所属行业 of services.sizing_check), and the 投标保证金."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.bidding.models import (
    Category,
    Criterion,
    DrawQuota,
    EvaluationMethod,
    Method,
    Project,
    Site,
    SmePolicy,
    Status,
)
from fazhi.bidding.services.common import (
    aware,
    check_choice,
    lock_project,
    model_field,
    require_manager,
    to_decimal,
)
from fazhi.bidding.services.project_rules import (
    bid_bond_problem,
    committee_problems,
    consortium_problem,
    evaluation_method_problem,
    price_weight_problem,
    sme_problem,
)
from fazhi.bidding.services.sizing_check import check_industry
from fazhi.core import audit
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.limits import check_field

SMALL_INT_MAX = 32767  # PositiveSmallIntegerField: counts of people


def _bid_bond(raw: Any, budget: Decimal) -> Decimal | None:
    """The 投标保证金 typed (None or blank: none asked), checked against the budget."""
    if raw is None or not str(raw).strip():
        return None
    bond = to_decimal(raw, "投标保证金", model_field(Project, "bid_bond"))
    problem = bid_bond_problem(budget=budget, bond=bond)
    if problem:
        raise ValidationFailed(problem)
    return bond


def _future(moment: dt.datetime, label: str) -> dt.datetime:
    """A new project's times may not lie in the past (the current minute still counts as now)."""
    moment = aware(moment, label)
    now = timezone.now().replace(second=0, microsecond=0)
    if moment < now:
        shown = timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
        raise ValidationFailed(f"{label} {shown} 已经过去，新建项目的{label}不能早于当前时间。")
    return moment


@transaction.atomic
def create_project(
    *,
    actor: Any,
    code: str,
    name: str,
    purchaser: str,
    budget: Any,
    category: str,
    method: str,
    evaluation_method: str,
    committee_size: int,
    host_site_id: int,
    evaluation_start: dt.datetime,
    names_reveal_at: dt.datetime,
    assist_site_ids: list[int] | None = None,
    quotas: list[dict[str, Any]] | None = None,
    criteria: list[dict[str, Any]] | None = None,
    price_weight: Any = "30",
    sme_policy: str = SmePolicy.NONE,
    sme_deduction_pct: Any = "0",
    consortium_deduction_pct: Any = "0",
    bid_bond: Any = None,
    sme_industry: str = "",
    purchaser_rep_count: int = 0,
    candidate_count: int = 3,
    agency: str = "",
    purchaser_user: Any = None,
    purchaser_username: str = "",
) -> Project:
    """Create a project with its criteria and draw quotas; every 87号令 rule is checked first."""
    require_manager(actor)
    code, name, purchaser = code.strip(), name.strip(), purchaser.strip()
    if purchaser_username.strip() and purchaser_user is None:
        from fazhi.core.models import User

        purchaser_user = User.objects.filter(username=purchaser_username.strip(), is_active=True).first()
        if purchaser_user is None:
            raise ValidationFailed(f"采购人账号“{purchaser_username.strip()}”不存在或已停用。")
    if not code or not name or not purchaser:
        raise ValidationFailed("项目编号、项目名称和采购人均不能为空。")
    for field_name, text in (
        ("code", code),
        ("name", name),
        ("purchaser", purchaser),
        ("agency", agency.strip()),
    ):
        check_field(text, Project, field_name)
    evaluation_start = _future(evaluation_start, "评标开始时间")
    names_reveal_at = _future(names_reveal_at, "专家名单公开时间")
    code_taken = f"项目编号“{code}”已存在。"
    if Project.objects.filter(code=code).exists():
        raise ValidationFailed(code_taken)
    budget_d = to_decimal(budget, "预算金额", model_field(Project, "budget"))
    if budget_d <= 0:
        raise ValidationFailed("预算金额必须大于 0。")
    bond = _bid_bond(bid_bond, budget_d)
    check_choice(category, Category, "品目类别")
    check_choice(method, Method, "采购方式")
    check_choice(evaluation_method, EvaluationMethod, "评标方法")
    check_choice(sme_policy, SmePolicy, "中小企业政策")
    sme_industry = check_industry(sme_industry)
    if purchaser_rep_count < 0 or committee_size <= 0:
        raise ValidationFailed("评标委员会人数必须为正数。")
    for label, number in (
        ("评标委员会人数", committee_size),
        ("采购人代表人数", purchaser_rep_count),
        ("推荐中标候选人数", candidate_count),
    ):
        if number > SMALL_INT_MAX:
            raise ValidationFailed(f"{label} {number} 过大。")
    problems = committee_problems(
        method=method,
        category=category,
        budget=budget_d,
        size=committee_size,
        experts=committee_size - purchaser_rep_count,
    )
    if problems:
        raise ValidationFailed("；".join(problems))
    problem = evaluation_method_problem(method=method, evaluation_method=evaluation_method)
    if problem:
        raise ValidationFailed(problem)
    if candidate_count < 1:
        raise ValidationFailed("推荐中标候选人数至少为 1。")

    criteria = criteria or []
    if evaluation_method == EvaluationMethod.COMPREHENSIVE:
        weight = to_decimal(price_weight, "价格分权重", model_field(Project, "price_weight"))
        problem = price_weight_problem(method=method, category=category, weight=weight)
        if problem:
            raise ValidationFailed(problem)
        if not criteria:
            raise ValidationFailed("综合评分法须设置价格以外的评分因素。")
    else:
        weight = Decimal("100")
        if criteria:
            raise ValidationFailed("最低评标价法只比较评标价格，不设评分因素。")
    pct = to_decimal(sme_deduction_pct, "价格扣除比例", model_field(Project, "sme_deduction_pct"))
    problem = sme_problem(category=category, policy=sme_policy, pct=pct)
    if problem:
        raise ValidationFailed(problem)
    consortium_pct = to_decimal(
        consortium_deduction_pct, "联合体或分包价格扣除比例", model_field(Project, "consortium_deduction_pct")
    )
    problem = consortium_problem(category=category, policy=sme_policy, pct=consortium_pct)
    if problem:
        raise ValidationFailed(problem)

    parsed_criteria = []
    for i, item in enumerate(criteria, start=1):
        cname = str(item.get("name", "")).strip()
        if not cname:
            raise ValidationFailed(f"第 {i} 个评分因素缺少名称。")
        check_field(cname, Criterion, "name", f"第 {i} 个评分因素的名称")
        points = to_decimal(
            item.get("max_points"), f"评分因素“{cname}”的分值", model_field(Criterion, "max_points")
        )
        if points <= 0:
            raise ValidationFailed(f"评分因素“{cname}”的分值必须大于 0。")
        parsed_criteria.append((cname, points, bool(item.get("objective", False))))
    if len({c[0] for c in parsed_criteria}) != len(parsed_criteria):
        raise ValidationFailed("评分因素名称不能重复。")
    if evaluation_method == EvaluationMethod.COMPREHENSIVE:
        total = sum((c[1] for c in parsed_criteria), Decimal("0")) + weight
        if total != 100:
            raise ValidationFailed(f"评分因素分值合计（含价格分 {weight}）应为 100 分，当前为 {total} 分。")

    host = Site.objects.filter(pk=host_site_id).first()
    if host is None:
        raise ValidationFailed("请选择主场交易中心。")
    assist_ids = list(dict.fromkeys(assist_site_ids or []))
    assists = list(Site.objects.filter(pk__in=assist_ids))
    if len(assists) != len(assist_ids):
        raise ValidationFailed("所选副场交易中心不存在。")
    if host.pk in assist_ids:
        raise ValidationFailed("主场不能同时作为副场。")
    site_ids = {host.pk, *assist_ids}

    parsed_quotas = []
    for item in quotas or []:
        sid = int(item.get("site_id", 0))
        specialty = str(item.get("specialty", "")).strip()
        count = int(item.get("count", 0))
        check_field(specialty, DrawQuota, "specialty", "抽取配额中的专业名称")
        if sid not in site_ids:
            raise ValidationFailed("抽取配额中的交易中心必须是本项目的主场或副场。")
        if not specialty or count <= 0:
            raise ValidationFailed("每条抽取配额都须写明专业和人数（大于 0）。")
        if count > SMALL_INT_MAX:
            raise ValidationFailed(f"抽取配额“{specialty}”的人数 {count} 过大。")
        parsed_quotas.append((sid, specialty, count))
    if len({(q[0], q[1]) for q in parsed_quotas}) != len(parsed_quotas):
        raise ValidationFailed("同一交易中心的同一专业只能设置一条配额。")
    expert_total = sum(q[2] for q in parsed_quotas)
    if expert_total != committee_size - purchaser_rep_count:
        raise ValidationFailed(
            f"抽取配额合计 {expert_total} 人，应等于评审专家人数 {committee_size - purchaser_rep_count} 人"
            f"（委员会 {committee_size} 人，其中采购人代表 {purchaser_rep_count} 人）。"
        )
    missing = site_ids - {q[0] for q in parsed_quotas}
    if missing:
        names = "、".join(s.name for s in Site.objects.filter(pk__in=missing))
        raise ValidationFailed(f"主场和每个副场都应从本地专家库抽取专家：{names} 没有配额。")

    try:
        with transaction.atomic():
            project = Project.objects.create(
                code=code,
                name=name,
                purchaser=purchaser,
                purchaser_user=purchaser_user,
                agency=agency.strip(),
                budget=budget_d,
                category=category,
                method=method,
                evaluation_method=evaluation_method,
                price_weight=weight,
                sme_policy=sme_policy,
                sme_deduction_pct=pct,
                consortium_deduction_pct=consortium_pct,
                bid_bond=bond,
                sme_industry=sme_industry,
                committee_size=committee_size,
                purchaser_rep_count=purchaser_rep_count,
                candidate_count=candidate_count,
                host_site=host,
                evaluation_start=evaluation_start,
                names_reveal_at=names_reveal_at,
                created_by=actor,
            )
    except IntegrityError:
        # The same form sent twice at once: the other request created the project a moment ago.
        raise ValidationFailed(code_taken) from None
    project.assist_sites.set(assists)
    for order, (cname, points, objective) in enumerate(parsed_criteria, start=1):
        Criterion.objects.create(
            project=project, name=cname, max_points=points, objective=objective, order=order
        )
    for sid, specialty, count in parsed_quotas:
        DrawQuota.objects.create(project=project, site_id=sid, specialty=specialty, count=count)
    return project


@transaction.atomic
def set_bid_bond(*, project: Project, actor: Any, bid_bond: Any) -> Project:
    """Set or clear the 投标保证金 until the evaluation has ended; the change is in the audit log."""
    require_manager(actor)
    project = lock_project(project.pk)
    if project.status in (Status.EVALUATED, Status.REPORTED, Status.CONFIRMED):
        raise Conflict(f"项目当前状态为“{project.get_status_display()}”，评标结束后不能再修改投标保证金。")
    bond = _bid_bond(bid_bond, project.budget)
    before = project.bid_bond
    project.bid_bond = bond
    project.save(update_fields=["bid_bond"])
    audit.record(
        action="update",
        obj=project,
        before={"bid_bond": before},
        after={"bid_bond": bond},
        comment="投标保证金" + (f"设为 {bond:,.2f} 元" if bond is not None else "已清除（不收取）"),
        actor=actor,
    )
    return project
