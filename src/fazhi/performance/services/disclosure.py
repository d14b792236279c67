"""Disclosure of a unit's year: budget (预算) and final accounts (决算), each published within 20 days of
its approval (预算法第十四条) with a performance section; 报送人大; the daily deadline reminder.

Only the bureau writes here. Every check runs before the first write, so a refused request changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fazhi.core import audit, roles
from fazhi.core.dates import cn_date
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.limits import check_length
from fazhi.core.models import User
from fazhi.core.services import notify
from fazhi.performance import access, selectors
from fazhi.performance.models import (
    BudgetUnit,
    CongressSubmission,
    KeyEvaluation,
    PerformanceTarget,
    Project,
    Publication,
    SelfEvaluation,
    Status,
)
from fazhi.performance.services.common import change_status

NOTE_LIMIT = 2000


def _check_year(year: int) -> None:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationFailed(f"预算年度“{year}”无效，应为四位年份。")


# --- budget (预算) --------------------------------------------------------------------------------


@transaction.atomic
def set_budget_approval(
    *, actor: Any, unit: BudgetUnit, year: int, approved_on: dt.date, note: str = ""
) -> Publication:
    """Record when the unit's budget for a year was approved; the 20-day disclosure window starts then."""
    access.require_bureau(actor, "登记预算批复日期")
    if not isinstance(approved_on, dt.date):
        raise ValidationFailed("预算批复日期格式不正确，应为 YYYY-MM-DD。")
    if not 2000 <= year <= 2100 or abs(approved_on.year - year) > 1:
        raise ValidationFailed(f"预算批复日期 {approved_on} 与预算年度 {year} 不符。")
    if approved_on > timezone.localdate():
        raise ValidationFailed(f"预算批复日期 {approved_on} 晚于今天，请核对。")
    note = check_length((note or "").strip(), "批复说明", NOTE_LIMIT)
    with transaction.atomic():
        pub = Publication.objects.select_for_update().filter(unit=unit, year=year).first()
        if pub is not None and pub.published_on and approved_on > pub.published_on:
            raise ValidationFailed(
                f"预算已于 {pub.published_on} 公开，批复日期（{approved_on}）不能晚于公开日期。"
            )
        if (
            pub is not None
            and pub.final_accounts_approved_on
            and approved_on > pub.final_accounts_approved_on
        ):
            raise ValidationFailed(
                f"预算批复日期（{approved_on}）不能晚于已登记的决算批复日期（{pub.final_accounts_approved_on}）。"
            )
        if pub is None:
            pub, _ = Publication.objects.get_or_create(
                unit=unit, year=year, defaults={"budget_approved_on": approved_on}
            )
        pub.budget_approved_on, pub.note = approved_on, note
        pub.save()
    return pub


@dataclass
class _Pending:
    """The approved tables and final key evaluations of a unit-year not yet public (row-locked)."""

    targets: list[PerformanceTarget]
    evaluations: list[SelfEvaluation]
    keys: list[KeyEvaluation]

    def __bool__(self) -> bool:
        return bool(self.targets or self.evaluations or self.keys)

    @staticmethod
    def check_day(on: dt.date, *, first: dt.date | None, label: str) -> None:
        """A later batch is not dated before the year's first publication (of the budget or of the final
        accounts, `first`): that would make it the first. It may be dated before its tables were approved in
        the system, since records are often entered after the fact (as the typed date itself allows)."""
        if first is not None and on < first:
            raise ValidationFailed(
                f"本批{label}公开日期（{cn_date(on)}）不能早于本年度{label}首次公开的日期（{cn_date(first)}）："
                "首次公开之后新增的内容只能在其后公开，请填写实际公开的日期。"
            )

    def publish(self, actor: Any, on: dt.date) -> dict[str, int]:
        """Publish them as of `on`, the day typed as the day they went public (today: the present moment;
        an earlier day: that day at the present time of day, so a batch recorded late keeps its date)."""
        now = timezone.now()
        if on != timezone.localdate():
            now = timezone.make_aware(dt.datetime.combine(on, timezone.localtime(now).time()))
        tables: list[PerformanceTarget | SelfEvaluation] = [*self.targets, *self.evaluations]
        for obj in tables:
            obj.published_at = now
            change_status(obj, Status.PUBLISHED, "公开", title="公开", actor=actor)
        for key in self.keys:
            key.published_at = now
            key.save()
        return {
            "targets": len(self.targets),
            "evaluations": len(self.evaluations),
            "key_evaluations": len(self.keys),
        }


def _pending(unit: BudgetUnit, year: int) -> _Pending:
    projects = Project.objects.filter(unit=unit, year=year)
    return _Pending(
        targets=list(
            PerformanceTarget.objects.select_for_update().filter(project__in=projects, status=Status.APPROVED)
        ),
        evaluations=list(
            SelfEvaluation.objects.select_for_update().filter(project__in=projects, status=Status.APPROVED)
        ),
        keys=list(
            KeyEvaluation.objects.filter(project__in=projects, is_final=True, published_at__isnull=True)
        ),
    )


def _publication_date(published_on: dt.date | None, *, approved_on: dt.date, label: str) -> dt.date:
    """The day the disclosure went public (default today): not in the future, not before the approval (批复)
    its 20-day window is counted from. `label` is "" for the budget, "决算" for the final accounts."""
    today = timezone.localdate()
    if published_on is None:
        published_on = today
    if not isinstance(published_on, dt.date) or isinstance(published_on, dt.datetime):
        raise ValidationFailed(f"{label}公开日期格式不正确，应为 YYYY-MM-DD（留空为今天）。")
    if published_on < approved_on:
        raise ValidationFailed(
            f"{label}公开日期（{cn_date(published_on)}）不能早于{label or '预算'}批复日期（{cn_date(approved_on)}）："
            "公开期限从批复日起算。"
        )
    if published_on > today:
        raise ValidationFailed(
            f"{label}公开日期（{cn_date(published_on)}）不能晚于今天（{cn_date(today)}），请填写实际公开的日期。"
        )
    return published_on


@transaction.atomic
def publish(*, actor: Any, unit: BudgetUnit, year: int, published_on: dt.date | None = None) -> Publication:
    """Publish every approved table and final key evaluation of a unit's year; record the date."""
    access.require_bureau(actor, "公开绩效信息")
    # Locked: publishing twice at once would publish (and log) every table twice.
    pub = Publication.objects.select_for_update().filter(unit=unit, year=year).first()
    if pub is None:
        raise Conflict(f"请先登记{unit}{year}年度预算批复日期，再公开（公开期限从批复日起算）。")
    published_on = _publication_date(published_on, approved_on=pub.budget_approved_on, label="")
    pending = _pending(unit, year)
    if not pending:
        raise Conflict("没有已审核待公开的绩效目标表、自评表或已定稿的重点绩效评价。")
    pending.check_day(published_on, first=pub.published_on, label="")
    counts = pending.publish(actor, published_on)
    if pub.published_on is None:
        pub.published_on, pub.published_by = published_on, actor
        pub.save()
    status = selectors.deadline_status(pub)
    audit.record(
        action="publish",
        obj=pub,
        comment=status.message,
        actor=actor,
        # recorded_on beside published_on shows a publication entered days after it happened;
        # batch_published_on is this batch's own day (a later batch keeps the first publication's date).
        after={
            "published_on": pub.published_on,
            "batch_published_on": published_on,
            "recorded_on": timezone.localdate(),
            **counts,
            "overdue_days": status.overdue_days,
        },
    )
    return pub


# --- final accounts (决算) ------------------------------------------------------------------------


@transaction.atomic
def set_final_accounts_approval(
    *, actor: Any, unit: BudgetUnit, year: int, approved_on: dt.date
) -> Publication:
    """Record when the unit's final accounts (决算) of a year were approved; their 20-day window starts then.

    They go on the year's record, so the budget approval date comes first.
    """
    access.require_bureau(actor, "登记决算批复日期")
    if not isinstance(approved_on, dt.date):
        raise ValidationFailed("决算批复日期格式不正确，应为 YYYY-MM-DD。")
    _check_year(year)
    # A year's final accounts are drawn up after it ends; two years later is the latest plausible date.
    if not year + 1 <= approved_on.year <= year + 2:
        raise ValidationFailed(
            f"决算批复日期 {cn_date(approved_on)} 与预算年度 {year} 不符：{year} 年度决算在年度结束后批复，"
            f"应在 {year + 1} 年或 {year + 2} 年。"
        )
    if approved_on > timezone.localdate():
        raise ValidationFailed("决算批复日期不能晚于今天。")
    pub = Publication.objects.select_for_update().filter(unit=unit, year=year).first()
    if pub is None:
        raise Conflict(
            f"请先登记{unit}{year}年度预算批复日期，再登记决算批复日期（决算记在该年度的公开记录上）。"
        )
    if approved_on < pub.budget_approved_on:
        raise ValidationFailed(f"决算批复日期不能早于预算批复日期（{cn_date(pub.budget_approved_on)}）。")
    published = pub.final_accounts_published_on
    if published is not None and approved_on > published:
        raise ValidationFailed(
            f"{unit}{year}年度决算已于 {cn_date(published)} 公开，决算批复日期不能晚于公开日期。"
        )
    pub.final_accounts_approved_on = approved_on
    pub.save()
    return pub


@transaction.atomic
def publish_final_accounts(
    *, actor: Any, unit: BudgetUnit, year: int, published_on: dt.date | None = None
) -> Publication:
    """Publish a unit-year's final accounts (决算): record the date, publish whatever is approved and not yet public.

    Their performance section is the year's results, so a self-evaluation or a final key evaluation must be
    public (already, or with this publication).
    """
    access.require_bureau(actor, "公开决算绩效信息")
    _check_year(year)
    pub = Publication.objects.select_for_update().filter(unit=unit, year=year).first()
    if pub is None or pub.final_accounts_approved_on is None:
        raise Conflict(f"请先登记{unit}{year}年度决算批复日期，再公开决算（公开期限从批复日起算）。")
    if pub.published_on is None:
        raise Conflict(f"{unit}{year}年度预算绩效信息尚未公开：请先公开预算，再公开决算。")
    published_on = _publication_date(published_on, approved_on=pub.final_accounts_approved_on, label="决算")
    pending = _pending(unit, year)
    already = pub.final_accounts_published_on
    if not pending and already is not None:
        raise Conflict(
            f"{unit}{year}年度决算已于 {cn_date(already)} 公开，没有新的已审核待公开的绩效表或已定稿的重点绩效评价。"
        )
    projects = Project.objects.filter(unit=unit, year=year)
    has_results = (
        pending.evaluations
        or pending.keys
        or SelfEvaluation.objects.filter(project__in=projects, status=Status.PUBLISHED).exists()
        or KeyEvaluation.objects.filter(project__in=projects, published_at__isnull=False).exists()
    )
    if not has_results:
        raise Conflict(
            f"决算须连同绩效自评或重点绩效评价结果公开：{unit}{year}年度还没有已审核的绩效自评表或已定稿的重点绩效评价。"
        )
    pending.check_day(published_on, first=already, label="决算")
    counts = pending.publish(actor, published_on)
    if already is None:
        pub.final_accounts_published_on, pub.final_accounts_published_by = published_on, actor
        pub.save()
    status = selectors.final_accounts_status(pub)
    assert status is not None  # the approval date was checked above
    audit.record(
        action="publish",
        obj=pub,
        comment=status.message,
        actor=actor,
        after={
            "final_accounts_published_on": pub.final_accounts_published_on,
            "batch_published_on": published_on,
            "recorded_on": timezone.localdate(),
            **counts,
            "overdue_days": status.overdue_days,
        },
    )
    return pub


# --- 报送人大 -------------------------------------------------------------------------------------


@transaction.atomic
def record_congress_submission(
    *, actor: Any, unit: BudgetUnit, year: int, submitted_on: dt.date, note: str = ""
) -> CongressSubmission:
    """Record (or correct) when the unit-year's self-evaluation and key-evaluation results went with the
    budget to the People's Congress (报送人大)."""
    access.require_bureau(actor, "登记报送人大日期")
    if not isinstance(submitted_on, dt.date):
        raise ValidationFailed("报送人大日期格式不正确，应为 YYYY-MM-DD。")
    _check_year(year)
    # The budget goes to the 人大 around the turn of the year; a year further off is a typo.
    if abs(submitted_on.year - year) > 1:
        raise ValidationFailed(
            f"报送人大日期 {cn_date(submitted_on)} 与预算年度 {year} 不符，应在 {year - 1} 年至 {year + 1} 年之间。"
        )
    if submitted_on > timezone.localdate():
        raise ValidationFailed("报送人大日期不能晚于今天。")
    note = (note or "").strip()
    check_length(note, "报送说明", NOTE_LIMIT)
    submission, _ = CongressSubmission.objects.get_or_create(
        unit=unit, year=year, defaults={"submitted_on": submitted_on, "recorded_by": actor}
    )
    submission.submitted_on, submission.note, submission.recorded_by = submitted_on, note, actor
    submission.save()
    return submission


# --- reminders ------------------------------------------------------------------------------------


def remind_disclosure_deadlines(today: dt.date | None = None) -> int:
    """Daily: tell the bureau's leaders about unpublished budgets and final accounts near or past the window."""
    today = today or timezone.localdate()
    config = selectors.get_config()
    leaders = list(User.objects.filter(groups__name=roles.LEADER, is_active=True).distinct())
    sent = 0
    waiting = Q(published_on__isnull=True) | Q(
        final_accounts_approved_on__isnull=False, final_accounts_published_on__isnull=True
    )
    for pub in Publication.objects.filter(waiting).select_related("unit"):
        if pub.published_on is None:
            status = selectors.deadline_status(pub, today=today, config=config)
            sent += _remind(leaders, pub, status, today, what="绩效信息", key=f"perf-deadline-{pub.pk}")
        final = selectors.final_accounts_status(pub, today=today, config=config)
        if final is not None and final.published_on is None:
            sent += _remind(
                leaders, pub, final, today, what="决算及绩效信息", key=f"perf-final-deadline-{pub.pk}"
            )
    return sent


def _remind(
    leaders: list[User], pub: Publication, status: selectors.Deadline, today: dt.date, *, what: str, key: str
) -> int:
    """Notify the leaders once per stage (5 days or less left; overdue); the number of messages sent."""
    days_left = (status.deadline - today).days
    if status.overdue_days:
        stage = "overdue"
    elif days_left <= 5:
        stage = "soon"
    else:
        return 0
    title = f"{pub.unit}{pub.year}年度{what}" + (
        "已超过公开期限" if stage == "overdue" else "即将到达公开期限"
    )
    sent = 0
    for user in leaders:
        if notify(recipient=user, title=title, body=status.message, url=f"/performance/manage/units/{pub.unit_id}/",
                  category="performance", dedupe_key=f"{key}-{stage}"):  # fmt: skip
            sent += 1
    return sent
