"""政府采购合同: signed after the winner is confirmed, published within 2 working days of signing; a recorded day
is corrected (更正) only with a reason, under the same checks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.bidding import rules
from fazhi.bidding.models import Correction, CorrectionSubject, Project, Status
from fazhi.bidding.services.common import local_date, lock_project, not_in_future, require_manager
from fazhi.bidding.services.corrections import Change, changes_of, clean_reason, save_correction
from fazhi.core import audit
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.services import notify, users_with_role
from fazhi.core.workdays import Calendar, add_working_days


@dataclass
class ContractDeadline:
    publish_due: dt.date | None = None
    overdue: bool = False
    working_days: int = 0
    source: str = ""


def contract_deadline(
    project: Project,
    today: dt.date | None = None,
    *,
    rule: rules.RuleValue | None = None,
    calendar: Calendar | None = None,
) -> ContractDeadline:
    """Publication due the configured working days after signing (the calendar of every other deadline).

    A list passes `rule` (`rules.rule("contract_deadline")`) and `calendar` (`Calendar.load()`), read once."""
    rule = rule or rules.rule("contract_deadline")
    days = int(rule.value["publish_working_days"])
    out = ContractDeadline(working_days=days, source=rule.source)
    if project.contract_signed_on:
        add = calendar.add if calendar is not None else add_working_days
        out.publish_due = add(project.contract_signed_on, days)
        done = project.contract_published_on
        out.overdue = (done or today or timezone.localdate()) > out.publish_due
    return out


def _locked_confirmed(project: Project) -> Project:
    """The project under its lock; Conflict unless the winner has been confirmed."""
    project = lock_project(project.pk)
    if project.status != Status.CONFIRMED or project.winner_confirmed_at is None:
        raise Conflict(f"项目当前状态为“{project.get_status_display()}”，确定中标人后才能登记合同。")
    return project


def _check_signed(project: Project, signed_on: dt.date) -> None:
    """A signing day is not before the winner was confirmed, nor in the future (first entry and correction)."""
    assert project.winner_confirmed_at is not None  # _locked_confirmed checked it
    confirmed_on = local_date(project.winner_confirmed_at)
    if signed_on < confirmed_on:
        raise ValidationFailed(
            f"合同签订日期（{signed_on:%Y-%m-%d}）不能早于确定中标人的日期（{confirmed_on:%Y-%m-%d}）。"
        )
    not_in_future(signed_on, "合同签订日期")


def _check_published(signed_on: dt.date, published_on: dt.date) -> None:
    """A publication day is not before the signing day, nor in the future (first entry and correction)."""
    if published_on < signed_on:
        raise ValidationFailed(
            f"合同公告日期（{published_on:%Y-%m-%d}）不能早于合同签订日期（{signed_on:%Y-%m-%d}）。"
        )
    not_in_future(published_on, "合同公告日期")


@transaction.atomic
def record_contract_signed(*, project: Project, actor: Any, signed_on: dt.date) -> Project:
    """合同签订: the day the purchaser and the winner signed; starts the publication period."""
    require_manager(actor)
    project = _locked_confirmed(project)
    if project.contract_signed_on is not None:
        raise Conflict(f"已登记合同签订日期（{project.contract_signed_on:%Y-%m-%d}），不能重复登记。")
    _check_signed(project, signed_on)
    project.contract_signed_on = signed_on
    project.save(update_fields=["contract_signed_on"])
    d = contract_deadline(project)
    audit.record(
        action="transition",
        obj=project,
        before={"contract_signed_on": None},
        after={"contract_signed_on": signed_on, "publish_due": d.publish_due},
        comment=f"合同已签订，应于 {d.publish_due:%Y-%m-%d} 前公告（{d.source}）",
        actor=actor,
    )
    return project


@transaction.atomic
def record_contract_published(*, project: Project, actor: Any, published_on: dt.date) -> Project:
    """合同公告: the day the signed contract was published; late publication is recorded as such."""
    require_manager(actor)
    project = _locked_confirmed(project)
    signed_on = project.contract_signed_on
    if signed_on is None:
        raise Conflict("请先登记合同签订日期，再登记合同公告日期。")
    if project.contract_published_on is not None:
        raise Conflict(f"已登记合同公告日期（{project.contract_published_on:%Y-%m-%d}），不能重复登记。")
    _check_published(signed_on, published_on)
    project.contract_published_on = published_on
    project.save(update_fields=["contract_published_on"])
    d = contract_deadline(project)
    late = f"，超过期限 {d.publish_due:%Y-%m-%d}" if d.overdue else ""
    audit.record(
        action="transition",
        obj=project,
        before={"contract_published_on": None},
        after={"contract_published_on": published_on, "publish_due": d.publish_due, "overdue": d.overdue},
        comment=f"合同已公告{late}（{d.source}）",
        actor=actor,
    )
    return project


@transaction.atomic
def correct_contract(
    *,
    project: Project,
    actor: Any,
    reason: str,
    signed_on: dt.date | None = None,
    published_on: dt.date | None = None,
) -> Correction:
    """更正 a recorded signing or publication day (None: keep it), with the checks of the first entry."""
    require_manager(actor)
    project = _locked_confirmed(project)
    old_signed, old_published = project.contract_signed_on, project.contract_published_on
    if old_signed is None:
        raise Conflict("尚未登记合同签订日期，没有可更正的内容；请先登记合同签订日期。")
    if published_on is not None and old_published is None:
        raise Conflict("尚未登记合同公告日期，不能更正；请直接登记合同公告日期。")
    new_signed = signed_on or old_signed
    new_published = published_on or old_published
    changes = changes_of(
        Change("contract_signed_on", "合同签订日期", old_signed, new_signed),
        Change("contract_published_on", "合同公告日期", old_published, new_published),
    )
    reason = clean_reason(reason)
    _check_signed(project, new_signed)
    if new_published is not None:
        _check_published(new_signed, new_published)
    project.contract_signed_on, project.contract_published_on = new_signed, new_published
    project.save(update_fields=["contract_signed_on", "contract_published_on"])
    d = contract_deadline(project)
    state = f"，公告期限为 {d.publish_due:%Y-%m-%d}" + ("（已逾期）" if d.overdue else "")
    return save_correction(
        project=project,
        actor=actor,
        subject=CorrectionSubject.CONTRACT,
        changes=changes,
        reason=reason,
        note=state,
        publish_due=d.publish_due,
        overdue=d.overdue,
    )


def remind_contracts(today: dt.date | None = None) -> int:
    """Daily job: tell 采购办 staff and the purchaser about signed contracts whose publication is due or late."""
    from fazhi.core import roles

    today = today or timezone.localdate()
    rule, calendar = rules.rule("contract_deadline"), Calendar.load()
    staff = list(users_with_role(roles.PROCUREMENT))
    sent = 0
    pending = Project.objects.filter(
        status=Status.CONFIRMED, contract_signed_on__isnull=False, contract_published_on__isnull=True
    ).select_related("purchaser_user")
    for project in pending:
        d = contract_deadline(project, today, rule=rule, calendar=calendar)
        if d.publish_due is None or today < d.publish_due - dt.timedelta(days=1):
            continue
        state = "已逾期" if d.overdue else "即将到期"
        who = staff + ([project.purchaser_user] if project.purchaser_user else [])
        for user in who:
            if notify(
                recipient=user,
                title=f"合同公告期限{state}：{project.name}",
                body=(
                    f"合同于 {project.contract_signed_on:%Y-%m-%d} 签订，应于 {d.publish_due:%Y-%m-%d} 前公告"
                    f"（{d.source}）。公告后请在项目页登记公告日期。"
                ),
                url=f"/bidding/projects/{project.pk}/",
                category="bidding",
                dedupe_key=f"bidding-contract-{project.pk}-{state}",
            ):
                sent += 1
    return sent
