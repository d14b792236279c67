"""Shared pieces of the performance services: the table error, money parsing, transitions, notices."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fazhi.core import audit, roles
from fazhi.core.errors import ValidationFailed
from fazhi.core.models import User
from fazhi.core.services import notify
from fazhi.performance import rules
from fazhi.performance.models import (
    PerformanceTarget,
    Project,
    SelfEvaluation,
)


class TableInvalid(ValidationFailed):
    """A table failed validation; `errors` holds one specific message per problem."""

    def __init__(self, errors: list[str]):
        super().__init__("；".join(errors))
        self.errors = errors


def parse_money(value: Any, label: str) -> Decimal:
    number = rules.parse_number(value)
    if number is None:
        raise ValidationFailed(f"{label}“{value}”不是数字。")
    if number < 0:
        raise ValidationFailed(f"{label}不能为负数。")
    return rules.q2(number)


def target_of(project: Project) -> PerformanceTarget:
    return PerformanceTarget.objects.get_or_create(project=project)[0]


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
