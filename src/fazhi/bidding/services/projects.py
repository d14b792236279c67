"""Procurement projects and bidders: creation with the 87号令 composition and price-weight checks."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import filetype
from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.bidding import rules
from fazhi.bidding.models import (
    Bidder,
    Category,
    Criterion,
    DrawQuota,
    EvaluationMethod,
    Method,
    Project,
    ScoreSheet,
    Site,
    SmePolicy,
    SmeSize,
    Status,
)
from fazhi.bidding.services.common import check_length, lock_project, require_manager
from fazhi.core import audit
from fazhi.core import credit_code as credit_codes
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.fields import decimal_excess

MAX_BID_DOCUMENT = 50 * 1024 * 1024
SMALL_INT_MAX = 32767  # PositiveSmallIntegerField: counts of people


def to_decimal(raw: Any, label: str, field: Any = None) -> Decimal:
    """Parse a number; with a model DecimalField, also refuse what the field cannot hold exactly.

    SQLite stores any Decimal, but reading back one with more digits than `max_digits` raises, and
    extra decimals are rounded away silently (0.001 becomes 0.00): both are refused here instead.
    """
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"{label}“{raw}”不是有效的数字。")
    if not value.is_finite():
        raise ValidationFailed(f"{label}“{raw}”不是有效的数字。")
    if field is not None:
        places = int(field.decimal_places)
        excess = decimal_excess(value, max_digits=int(field.max_digits), places=places)
        if excess == "whole":
            raise ValidationFailed(f"{label}“{raw}”过大：整数部分最多 {int(field.max_digits) - places} 位。")
        if excess == "places":
            raise ValidationFailed(f"{label}“{raw}”最多保留 {places} 位小数。")
    return value


def _field(model: Any, name: str) -> Any:
    return model._meta.get_field(name)


def min_committee_size(budget: Decimal) -> int:
    """Smallest committee allowed for the budget (87号令第四十七条, as configured)."""
    conf = rules.value("committee_size")
    if budget >= Decimal(str(conf["large_budget"])):
        return int(conf["large_min_size"])
    return int(conf["min_size"])


def committee_problems(*, budget: Decimal, size: int, experts: int) -> list[str]:
    """Every way a committee of `size` with `experts` experts breaks the configured rule (empty: fine)."""
    rule = rules.rule("committee_size")
    conf = rule.value
    problems = []
    minimum = min_committee_size(budget)
    if size < minimum:
        if minimum > int(conf["min_size"]):
            problems.append(
                f"预算 {budget:,.2f} 元达到 {Decimal(str(conf['large_budget'])):,.0f} 元，"
                f"评标委员会应不少于 {minimum} 人（当前 {size} 人）"
            )
        else:
            problems.append(f"评标委员会应不少于 {minimum} 人（当前 {size} 人）")
    if conf.get("odd", True) and size % 2 == 0:
        problems.append(f"评标委员会人数应为单数（当前 {size} 人）")
    num, den = conf["expert_share"]
    if experts < 0 or Fraction(experts, max(size, 1)) < Fraction(int(num), int(den)):
        problems.append(f"评审专家应不少于成员总数的 {num}/{den}（当前 {experts}/{size}）")
    return [f"{p}。依据：{rule.source}" for p in problems]


def price_weight_problem(*, category: str, weight: Decimal) -> str:
    rule = rules.rule("price_weight_min")
    minimum = rule.value.get(category)
    if weight <= 0 or weight > 100:
        return "价格分权重应在 0 到 100 之间。"
    if minimum is not None and weight < Decimal(str(minimum)):
        label = Category(category).label
        return f"{label}项目的价格分权重不得低于 {minimum}%（当前 {weight}%）。依据：{rule.source}"
    return ""


def sme_problem(*, category: str, policy: str, pct: Decimal) -> str:
    if policy != SmePolicy.DEDUCTION:
        return "" if pct == 0 else "只有选择“小微企业价格扣除”时才能设置扣除比例。"
    rule = rules.rule("sme_deduction")
    low, high = rule.value[category]
    if not (Decimal(str(low)) <= pct <= Decimal(str(high))):
        return f"{Category(category).label}项目的小微企业价格扣除比例应在 {low}%—{high}% 之间（当前 {pct}%）。依据：{rule.source}"
    return ""


def _future(moment: dt.datetime, label: str) -> dt.datetime:
    """A new project's times may not lie in the past (the current minute still counts as now)."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    now = timezone.now().replace(second=0, microsecond=0)
    if moment < now:
        shown = timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
        raise ValidationFailed(f"{label} {shown} 已经过去，新建项目的{label}不能早于当前时间。")
    return moment


def _choice(value: str, choices: Any, label: str) -> str:
    if value not in choices.values:
        allowed = "、".join(str(lbl) for lbl in choices.labels)
        raise ValidationFailed(f"{label}“{value}”无效，可选：{allowed}。")
    return value


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
        check_length(text, Project, field_name)
    evaluation_start = _future(evaluation_start, "评标开始时间")
    names_reveal_at = _future(names_reveal_at, "专家名单公开时间")
    code_taken = f"项目编号“{code}”已存在。"
    if Project.objects.filter(code=code).exists():
        raise ValidationFailed(code_taken)
    budget_d = to_decimal(budget, "预算金额", _field(Project, "budget"))
    if budget_d <= 0:
        raise ValidationFailed("预算金额必须大于 0。")
    _choice(category, Category, "品目类别")
    _choice(method, Method, "采购方式")
    _choice(evaluation_method, EvaluationMethod, "评标方法")
    _choice(sme_policy, SmePolicy, "中小企业政策")
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
        budget=budget_d, size=committee_size, experts=committee_size - purchaser_rep_count
    )
    if problems:
        raise ValidationFailed("；".join(problems))
    if candidate_count < 1:
        raise ValidationFailed("推荐中标候选人数至少为 1。")

    criteria = criteria or []
    if evaluation_method == EvaluationMethod.COMPREHENSIVE:
        weight = to_decimal(price_weight, "价格分权重", _field(Project, "price_weight"))
        problem = price_weight_problem(category=category, weight=weight)
        if problem:
            raise ValidationFailed(problem)
        if not criteria:
            raise ValidationFailed("综合评分法须设置价格以外的评分因素。")
    else:
        weight = Decimal("100")
        if criteria:
            raise ValidationFailed("最低评标价法只比较评标价格，不设评分因素。")
    pct = to_decimal(sme_deduction_pct, "价格扣除比例", _field(Project, "sme_deduction_pct"))
    problem = sme_problem(category=category, policy=sme_policy, pct=pct)
    if problem:
        raise ValidationFailed(problem)

    parsed_criteria = []
    for i, item in enumerate(criteria, start=1):
        cname = str(item.get("name", "")).strip()
        if not cname:
            raise ValidationFailed(f"第 {i} 个评分因素缺少名称。")
        check_length(cname, Criterion, "name", f"第 {i} 个评分因素的名称")
        points = to_decimal(
            item.get("max_points"), f"评分因素“{cname}”的分值", _field(Criterion, "max_points")
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
        check_length(specialty, DrawQuota, "specialty", "抽取配额中的专业名称")
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


def _check_document(upload: Any) -> None:
    if upload.size > MAX_BID_DOCUMENT:
        raise ValidationFailed("投标文件不能超过 50 MB。")
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(b"%PDF"):
        return
    kind = filetype.guess(head)
    if head.startswith(b"PK") or (kind is not None and kind.extension in ("zip", "docx")):
        data = upload.read()
        upload.seek(0)
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if "word/document.xml" in zf.namelist():
                    return
        except zipfile.BadZipFile:
            pass
    raise ValidationFailed("投标文件须为 PDF 或 Word（.docx）文件。")


def _ensure_open(project: Project) -> None:
    if project.status in (Status.EVALUATED, Status.REPORTED, Status.CONFIRMED):
        raise Conflict("评标已结束，不能再修改投标人。")
    if ScoreSheet.objects.filter(member__committee__project=project, signed_at__isnull=False).exists():
        raise Conflict("已有专家签名确认评分，不能再修改投标人。")


@transaction.atomic
def add_bidder(
    *,
    project: Project,
    actor: Any,
    name: str,
    bid_price: Any,
    credit_code: str = "",
    sme_declaration: bool = False,
    sme_size: str = "",
    document: Any = None,
) -> Bidder:
    """Register a bid (price, 中小企业声明函) for the project."""
    require_manager(actor)
    # Under the project lock: a bid registered while the committee is drawn is either seen by the draw
    # (and its conflicts excluded) or comes after it; the same bidder sent twice at once is refused.
    project = lock_project(project.pk)
    _ensure_open(project)
    name = name.strip()
    if not name:
        raise ValidationFailed("投标人名称不能为空。")
    check_length(name, Bidder, "name")
    if Bidder.objects.filter(project=project, name=name).exists():
        raise ValidationFailed(f"投标人“{name}”已登记。")
    price = to_decimal(bid_price, "投标报价", _field(Bidder, "bid_price"))
    if price <= 0:
        raise ValidationFailed("投标报价必须大于 0。")
    _choice(sme_size or "", SmeSize, "企业规模")
    if sme_size and not sme_declaration:
        raise ValidationFailed("声明企业规模须同时提交中小企业声明函。")
    credit_code = credit_codes.normalize(credit_code)
    if credit_code and (problem := credit_codes.problem(credit_code)):
        raise ValidationFailed(problem)
    if document:
        _check_document(document)
    bidder = Bidder(
        project=project,
        name=name,
        credit_code=credit_code,
        bid_price=price,
        sme_declaration=sme_declaration,
        sme_size=sme_size or "",
    )
    if document:
        bidder.document.save(getattr(document, "name", "bid.pdf"), document, save=False)
    bidder.save()
    return bidder


@transaction.atomic
def set_bidder_validity(*, bidder: Bidder, actor: Any, valid: bool, reason: str = "") -> Bidder:
    """资格/符合性审查 result: an invalid bid takes no part in scoring or the price base."""
    require_manager(actor)
    project = lock_project(bidder.project_id)
    _ensure_open(project)
    bidder = Bidder.objects.get(pk=bidder.pk)
    reason = reason.strip()
    if not valid and not reason:
        raise ValidationFailed("认定投标无效须写明原因。")
    check_length(reason, Bidder, "invalid_reason", "投标无效的原因")
    before = {"valid": bidder.valid, "invalid_reason": bidder.invalid_reason}
    bidder.valid = valid
    bidder.invalid_reason = "" if valid else reason
    bidder.save()
    audit.record(
        action="transition",
        obj=bidder,
        before=before,
        after={"valid": valid, "invalid_reason": bidder.invalid_reason},
        comment="资格/符合性审查结论",
    )
    return bidder
