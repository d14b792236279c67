"""Shared pieces of the performance services: the table error, money parsing, transitions, notices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import DecimalField, Model

from fazhi.core import audit, roles
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.models import User
from fazhi.core.services import notify
from fazhi.performance import rules
from fazhi.performance.models import (
    PerformanceTarget,
    Project,
    SelfEvaluation,
)


@dataclass(frozen=True)
class Problem:
    """One problem of a table and the input it is about, so that a form marks that input without reading the
    message; every attribute None: the table as a whole."""

    message: str
    field: str | None = None  # the table's own input: "annual_goal", "achievement" or "executed"
    # 绩效自评表: the pk of the indicator whose input it is about, and which of its inputs: "actual"
    # (实际完成值), "reason" (偏差原因分析) or "improve" (改进措施).
    indicator: int | None = None
    indicator_field: str | None = None
    row: int | None = None  # 绩效目标表: the position (from 0) of the row it is about in the rows given


class TableInvalid(ValidationFailed):
    """A table failed validation; `errors` holds one specific message per problem and `problems` the same
    problems in the same order, each with the input it is about."""

    def __init__(self, problems: Sequence[str | Problem]):
        self.problems = [p if isinstance(p, Problem) else Problem(p) for p in problems]
        self.errors = [p.message for p in self.problems]
        super().__init__("；".join(self.errors))


def decimal_problem(
    number: Decimal, model: type[Model], field: str, label: str, value: object, unit: str = ""
) -> str | None:
    """None when `number` fits `model.field` (max_digits / decimal_places), else the reason (no full stop)."""
    f = model._meta.get_field(field)
    assert isinstance(f, DecimalField)
    return rules.decimal_problem(
        number, max_digits=f.max_digits, places=f.decimal_places, label=label, value=value, unit=unit
    )


LONG_TEXT_LIMIT = 5000  # 主要发现、改进建议 and other free texts: refused beyond this, never cut
# The unit's narrative texts of its tables (TextFields): refused beyond these, never cut.
ANNUAL_GOAL_LIMIT = 5000  # 年度总体目标 (绩效目标表)
ACHIEVEMENT_LIMIT = 5000  # 年度总体目标实际完成情况 (绩效自评表)
INDICATOR_NOTE_LIMIT = 2000  # 偏差原因分析 and 改进措施 of one indicator
REVIEW_COMMENT_LIMIT = 2000  # 审核意见 / 提交说明 of a table's transition


def parse_money(value: Any, label: str, field: str) -> Decimal:
    """An amount in 万元 for `Project.<field>`: a number ≥ 0 that fits the field exactly."""
    number = rules.parse_number(value)
    if number is None:
        raise ValidationFailed(f"{label}“{rules.shown(value)}”不是数字。")
    if number < 0:
        raise ValidationFailed(f"{label}不能为负数。")
    problem = decimal_problem(number, Project, field, label, value, unit="（万元）")
    if problem:
        raise ValidationFailed(problem + "。")
    return rules.q2(number)


def execution_rate_problem(full_year: Decimal, executed: Decimal) -> str | None:
    """None when the 预算执行率 of these amounts can be stored, else why not (no full stop).

    A rate that does not fit `SelfEvaluation.execution_rate` (99999.99 %, i.e. 执行数 about 1000 times
    the budget) is refused rather than capped: no real project spends a thousand times its budget, so
    such a figure is a typo (an amount in 元 typed into a 万元 box, extra zeros). Capping it would
    publish a made-up rate, while the score already counts any rate above 100 % as 100 %.
    """
    if full_year <= 0:
        return None
    f = SelfEvaluation._meta.get_field("execution_rate")
    assert isinstance(f, DecimalField)
    ceiling = Decimal(10) ** (f.max_digits - f.decimal_places)  # 100000 (%) → 1000 times the budget
    rate = rules.q2(executed / full_year * rules.HUNDRED)
    if rate < ceiling:
        return None
    times = rules.fmt(ceiling / rules.HUNDRED)
    return (
        f"全年执行数 {rules.fmt(executed)} 万元超过全年预算数的 {times} 倍（全年预算数 {rules.fmt(full_year)} 万元，"
        f"预算执行率 {rules.fmt(rate)}%），无法记录，请核对金额（单位为万元）"
    )


def ensure_fits(obj: Model, *fields: str) -> None:
    """Refuse to save a computed Decimal that its field cannot hold (defence for every score written)."""
    for name in fields:
        f = obj._meta.get_field(name)
        value = getattr(obj, name)
        if isinstance(f, DecimalField) and value is not None:
            problem = decimal_problem(Decimal(value), type(obj), name, str(f.verbose_name), value)
            if problem:
                raise ValidationFailed(f"计算结果超出可记录的范围：{problem}。请核对填报的数字。")


def target_of(project: Project, *, lock: bool = False) -> PerformanceTarget:
    """The project's 绩效目标表 (created on first use); `lock` row-locks it until the transaction ends.

    Every change of a table (its content or its status) locks the row first: a save that read 填报中
    cannot write the old status back over a submission, and two reviewers cannot both approve and
    return one table.
    """
    target = PerformanceTarget.objects.get_or_create(project=project)[0]
    if lock:
        target = PerformanceTarget.objects.select_for_update().get(pk=target.pk)
    return target


def created_once(model: Any, taken: str, **values: Any) -> Any:
    """Insert a row the database keeps unique; the same form sent twice at once gets `taken` (409)."""
    try:
        with transaction.atomic():
            return model.objects.create(**values)
    except IntegrityError:
        raise Conflict(taken) from None


def change_status(
    obj: PerformanceTarget | SelfEvaluation, new: str, comment: str, *, title: str, actor: Any
) -> None:
    before = {"status": obj.status}
    obj.status = new
    obj.save()
    audit.record(
        action="transition",
        obj=obj,
        comment=comment or title,
        before=before,
        after={"status": new},
        actor=actor,
    )


def notify_bureau(project: Project, title: str, url: str, key: str) -> None:
    for user in User.objects.filter(groups__name=roles.LEADER, is_active=True).distinct():
        notify(recipient=user, title=title, url=url, category="performance", dedupe_key=key)


def notify_unit(project: Project, title: str, body: str, url: str, key: str) -> None:
    for user in project.unit.members.filter(is_active=True):
        notify(recipient=user, title=title, body=body, url=url, category="performance", dedupe_key=key)


def project_url(project: Project) -> str:
    return f"/performance/manage/projects/{project.pk}/"
