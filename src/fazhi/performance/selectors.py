"""预算绩效 read queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from fazhi.core.admin_audit import ACTION_LABELS as AUDIT_LABELS
from fazhi.core.dates import cn_date
from fazhi.core.models import AuditEvent
from fazhi.core.workdays import Calendar
from fazhi.performance import access, rules
from fazhi.performance.models import (
    BudgetUnit,
    CongressSubmission,
    Indicator,
    IndicatorResult,
    KeyEvaluation,
    PerformanceTarget,
    Project,
    Publication,
    Remark,
    ScoringConfig,
    SelfEvaluation,
    Status,
)


def current_config_row() -> ScoringConfig | None:
    return ScoringConfig.objects.filter(is_current=True).order_by("-pk").first()


def config_from_row(row: ScoringConfig | None) -> rules.Config:
    if row is None:
        return rules.Config()
    levels = {str(k): Decimal(str(v)) for k, v in (row.qualitative_levels or {}).items()}
    return rules.Config(
        weights={"产出": row.weight_output, "效益": row.weight_benefit, "满意度": row.weight_satisfaction},
        weight_execution=row.weight_execution,
        excellent_min=row.grade_excellent_min,
        good_min=row.grade_good_min,
        fair_min=row.grade_fair_min,
        shortfall_mode=row.shortfall_mode,
        zero_below_ratio=row.zero_below_ratio,
        equal_tolerance=row.equal_tolerance,
        qualitative_levels=levels or rules.Config().qualitative_levels,
        disclosure_days=row.disclosure_days,
        disclosure_rolls_forward=row.disclosure_rolls_forward,
    )


def get_config() -> rules.Config:
    """The scoring rules in force."""
    return config_from_row(current_config_row())


def execution_weight(evaluation: SelfEvaluation, config: rules.Config | None = None) -> Decimal:
    """The 预算执行率 分值 of a self-evaluation: the one it was scored with, not the rules in force now.

    Only a table never scored has none stored; it takes the rules in force (`config`, read if not given).
    """
    if evaluation.weight_execution is not None:
        return evaluation.weight_execution
    return (config or get_config()).weight_execution


def units_for(user: Any) -> QuerySet[BudgetUnit]:
    qs = BudgetUnit.objects.filter(is_active=True)
    if access.sees_all_units(user):
        return qs
    return qs.filter(pk__in=access.member_unit_ids(user))


def projects_for(user: Any, *, unit_id: int | None = None, year: int | None = None) -> QuerySet[Project]:
    qs = Project.objects.select_related("unit").filter(unit__in=units_for(user))
    if unit_id:
        # An id beyond the database integer (an API query such as ?unit_id=10**30) matches nothing;
        # SQLite would otherwise raise OverflowError on the foreign-key lookup.
        qs = qs.filter(unit_id=unit_id) if abs(unit_id) < 2**63 else qs.none()
    if year:
        qs = qs.filter(year=year)
    return qs


def years() -> list[int]:
    return sorted(set(Project.objects.values_list("year", flat=True)), reverse=True)


def target_of(project: Project) -> PerformanceTarget | None:
    return PerformanceTarget.objects.filter(project=project).first()


def evaluation_of(project: Project) -> SelfEvaluation | None:
    return SelfEvaluation.objects.filter(project=project).first()


@dataclass
class DashboardRow:
    project: Project
    target_status: str
    evaluation_status: str
    execution_rate: Decimal | None
    total_score: Decimal | None
    grade: str
    unmet: list[str] = field(default_factory=list)
    key_score: Decimal | None = None
    key_grade: str = ""


def dashboard_projects(
    user: Any, *, year: int | None = None, unit_id: int | None = None
) -> QuerySet[Project]:
    """The projects a dashboard lists, in its order (page them, then build rows with `dashboard_rows`)."""
    return projects_for(user, unit_id=unit_id, year=year).order_by("unit__code", "-year", "code")


def dashboard(user: Any, *, year: int | None = None, unit_id: int | None = None) -> list[DashboardRow]:
    """Per project of the units the user may see: statuses, scores, grades, execution, unmet indicators."""
    return dashboard_rows(list(dashboard_projects(user, year=year, unit_id=unit_id)))


def dashboard_rows(projects: list[Project]) -> list[DashboardRow]:
    """Dashboard rows for these projects (one page or all), in five queries however many there are."""
    ids = [p.pk for p in projects]
    targets = {t.project_id: t for t in PerformanceTarget.objects.filter(project_id__in=ids)}
    evals = {e.project_id: e for e in SelfEvaluation.objects.filter(project_id__in=ids)}
    unmet: dict[int, list[str]] = {}
    for r in IndicatorResult.objects.filter(evaluation__project_id__in=ids, met=False).select_related(
        "indicator", "evaluation"
    ):
        unmet.setdefault(r.evaluation.project_id, []).append(r.indicator.name)
    keys: dict[int, KeyEvaluation] = {}
    for key in KeyEvaluation.objects.filter(project_id__in=ids, is_final=True).order_by("created_at"):
        keys[key.project_id] = key
    rows = []
    for p in projects:
        t, e, k = targets.get(p.pk), evals.get(p.pk), keys.get(p.pk)
        rows.append(
            DashboardRow(
                project=p,
                target_status=t.get_status_display() if t else "未填报",
                evaluation_status=e.get_status_display() if e else "未填报",
                execution_rate=e.execution_rate if e else None,
                total_score=e.total_score if e and e.scored_at else None,
                grade=e.grade if e else "",
                unmet=unmet.get(p.pk, []),
                key_score=k.score if k else None,
                key_grade=k.grade if k else "",
            )
        )
    return rows


def grade_counts(projects: QuerySet[Project]) -> dict[str, int]:
    """Self-evaluations per grade (优/良/中/差) over all these projects, not only the page shown.

    Only those the bureau approved or published count, as in the dashboard of the reports and the annual
    report: a grade the unit's own draft gives itself is no result yet.
    """
    rows = (
        SelfEvaluation.objects.filter(
            project__in=projects.order_by().values("pk"), status__in=[Status.APPROVED, Status.PUBLISHED]
        )
        .exclude(grade="")
        .values_list("grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


@dataclass
class Deadline:
    approved_on: dt.date
    deadline: dt.date
    published_on: dt.date | None
    overdue_days: int
    message: str


def deadline_status(
    pub: Publication, *, today: dt.date | None = None, config: rules.Config | None = None
) -> Deadline:
    """The 20-day disclosure window after budget approval (预算法第十四条) and whether it was kept."""
    return _window(
        pub.budget_approved_on, pub.published_on, what="预算", subject="", today=today, config=config
    )


def final_accounts_status(
    pub: Publication, *, today: dt.date | None = None, config: rules.Config | None = None
) -> Deadline | None:
    """The same window after the final accounts (决算) were approved; None before their approval is recorded."""
    if pub.final_accounts_approved_on is None:
        return None
    return _window(
        pub.final_accounts_approved_on,
        pub.final_accounts_published_on,
        what="决算",
        subject="决算",
        today=today,
        config=config,
    )


def _window(
    approved_on: dt.date,
    published_on: dt.date | None,
    *,
    what: str,
    subject: str,
    today: dt.date | None,
    config: rules.Config | None,
) -> Deadline:
    """Due date, days over and the sentence saying so; `what` was approved, `subject` is (or is not) public."""
    config = config or get_config()
    today = today or timezone.localdate()
    days = config.disclosure_days
    deadline = approved_on + dt.timedelta(days=days)
    span = f"{days} 日"
    if config.disclosure_rolls_forward:
        rolled = Calendar.load().roll_forward(deadline)
        if rolled != deadline:
            deadline, span = rolled, f"{days} 日（末日逢休假日顺延）"
    if published_on:
        late = (published_on - deadline).days
        if late > 0:
            msg = (
                f"{subject}公开日期 {cn_date(published_on)} 晚于{what}批复（{cn_date(approved_on)}）后"
                f" {span}的公开期限 {cn_date(deadline)}，超期 {late} 日。"
            )
        else:
            msg = f"{subject}已于 {cn_date(published_on)} 公开，在批复后 {span}期限内。"
        return Deadline(approved_on, deadline, published_on, max(late, 0), msg)
    late = (today - deadline).days
    if late > 0:
        msg = (
            f"{subject}尚未公开：已超过{what}批复（{cn_date(approved_on)}）后 {span}的"
            f"公开期限 {cn_date(deadline)} {late} 日。"
        )
    else:
        msg = f"{subject}尚未公开：须于 {cn_date(deadline)} 前公开（还剩 {-late} 日）。"
    return Deadline(approved_on, deadline, None, max(late, 0), msg)


@dataclass
class DisclosureRow:
    """One line of a unit's 信息公开 table: the budget (预算) or the final accounts (决算) of a year."""

    publication: Publication
    label: str
    status: Deadline  # with the approval and publication dates


def disclosure_rows(unit: BudgetUnit, config: rules.Config | None = None) -> list[DisclosureRow]:
    """The unit's budget and final-accounts disclosures, newest year first (one query)."""
    config = config or get_config()
    rows = []
    for pub in Publication.objects.filter(unit=unit):
        rows.append(DisclosureRow(pub, "预算", deadline_status(pub, config=config)))
        final = final_accounts_status(pub, config=config)
        if final is not None:
            rows.append(DisclosureRow(pub, "决算", final))
    return rows


def congress_submissions_for(
    user: Any, *, unit_id: int | None = None, year: int | None = None
) -> QuerySet[CongressSubmission]:
    """报送人大 records of the units the user may see (the bureau and supervisors: all of them)."""
    qs = CongressSubmission.objects.select_related("unit", "recorded_by").filter(unit__in=units_for(user))
    if unit_id:
        qs = qs.filter(unit_id=unit_id) if abs(unit_id) < 2**63 else qs.none()
    if year:
        qs = qs.filter(year=year) if abs(year) < 2**63 else qs.none()
    return qs


@dataclass
class DisclosedProject:
    project: Project
    target: PerformanceTarget | None
    evaluation: SelfEvaluation | None
    key_evaluations: list[KeyEvaluation]

    @property
    def executed(self) -> Decimal | None:
        """全年执行数 as published: it belongs to the self-evaluation, so None until that is public (the unit
        types it into its draft, which the public must not see before the bureau has reviewed it)."""
        return self.project.executed if self.evaluation is not None else None


@dataclass
class Disclosure:
    unit: BudgetUnit
    year: int
    publication: Publication
    deadline: Deadline
    projects: list[DisclosedProject]
    final_accounts: Deadline | None = None  # only once the final accounts (决算) are published
    # The rules in force, read once: a table never scored shows their 分值 (`execution_weight`).
    config: rules.Config = field(default_factory=rules.Config)


def published_disclosures() -> QuerySet[Publication]:
    return (
        Publication.objects.select_related("unit")
        .filter(published_on__isnull=False)
        .order_by("-year", "unit__code")
    )


def disclosure(*, unit_code: str, year: int) -> Disclosure | None:
    """The published part of a unit's year: only what the bureau has published is ever returned."""
    pub = (
        Publication.objects.select_related("unit")
        .filter(unit__code=unit_code, year=year, published_on__isnull=False)
        .first()
    )
    if pub is None:
        return None
    projects = list(Project.objects.filter(unit=pub.unit, year=year).select_related("unit").order_by("code"))
    # Bulk-load the published tables with their rows: the page, the .xlsx and the .docx all walk them.
    targets = {
        t.project_id: t
        for t in PerformanceTarget.objects.filter(
            project__in=projects, status=Status.PUBLISHED
        ).prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("position", "pk")))
    }
    evaluations = {
        e.project_id: e
        for e in SelfEvaluation.objects.filter(
            project__in=projects, status=Status.PUBLISHED
        ).prefetch_related(
            Prefetch(
                "results",
                queryset=IndicatorResult.objects.select_related("indicator").order_by(
                    "indicator__position", "pk"
                ),
            )
        )
    }
    keys: dict[int, list[KeyEvaluation]] = {}
    for key in KeyEvaluation.objects.filter(project__in=projects, is_final=True, published_at__isnull=False):
        keys.setdefault(key.project_id, []).append(key)
    items = [
        DisclosedProject(p, targets.get(p.pk), evaluations.get(p.pk), keys.get(p.pk, []))
        for p in projects
        if p.pk in targets or p.pk in evaluations or p.pk in keys
    ]
    config = get_config()
    final = final_accounts_status(pub, config=config) if pub.final_accounts_published_on else None
    return Disclosure(pub.unit, year, pub, deadline_status(pub, config=config), items, final, config)


def _labelled(events: list[AuditEvent]) -> list[AuditEvent]:
    """Each event with its action in Chinese (never the code, e.g. m2m_add) and what it says (`detail`)."""
    for ev in events:
        after = ev.after if isinstance(ev.after, dict) else {}
        label = ACTION_LABELS.get(ev.action) or AUDIT_LABELS.get(ev.action) or "其他操作"
        ev.action_label = label  # type: ignore[attr-defined]
        items = after.get("items") if ev.action.startswith("m2m_") else None
        detail = ev.comment or ("、".join(str(i) for i in items) if isinstance(items, list) else "")
        ev.detail = detail  # type: ignore[attr-defined]
        status = after.get("status")
        ev.status_label = Status(status).label if status in Status.values else ""  # type: ignore[attr-defined]
    return events


def unit_history(unit: BudgetUnit, limit: int = 100) -> list[AuditEvent]:
    """Audit events about the unit, its publications, 报送人大 records and unit-level remarks (newest first)."""
    cond = Q(object_type="performance.BudgetUnit", object_id=str(unit.pk))
    for model, ids in (
        ("performance.Publication", Publication.objects.filter(unit=unit).values_list("pk", flat=True)),
        (
            "performance.CongressSubmission",
            CongressSubmission.objects.filter(unit=unit).values_list("pk", flat=True),
        ),
        ("performance.Remark", Remark.objects.filter(unit=unit, project=None).values_list("pk", flat=True)),
    ):
        id_list = [str(i) for i in ids]
        if id_list:
            cond |= Q(object_type=model, object_id__in=id_list)
    return _labelled(list(AuditEvent.objects.filter(cond).select_related("actor").order_by("-seq")[:limit]))


def history(project: Project, limit: int = 200) -> list[AuditEvent]:
    """Audit events about a project, its tables, key evaluations and remarks (newest first)."""
    cond = Q(object_type="performance.Project", object_id=str(project.pk))
    for model, ids in (
        (
            "performance.PerformanceTarget",
            PerformanceTarget.objects.filter(project=project).values_list("pk", flat=True),
        ),
        (
            "performance.SelfEvaluation",
            SelfEvaluation.objects.filter(project=project).values_list("pk", flat=True),
        ),
        (
            "performance.KeyEvaluation",
            KeyEvaluation.objects.filter(project=project).values_list("pk", flat=True),
        ),
        ("performance.Remark", Remark.objects.filter(project=project).values_list("pk", flat=True)),
    ):
        id_list = [str(i) for i in ids]
        if id_list:
            cond |= Q(object_type=model, object_id__in=id_list)
    return _labelled(list(AuditEvent.objects.filter(cond).select_related("actor").order_by("-seq")[:limit]))


ACTION_LABELS = {
    "create": "创建",
    "update": "修改",
    "delete": "删除",
    "transition": "状态变更",
    "publish": "公开",
    "remark": "留言",
    # The only many-to-many relation of these models: a unit's 填报人员 (BudgetUnit.members).
    "m2m_add": "添加填报人员",
    "m2m_remove": "移除填报人员",
    "m2m_clear": "清空填报人员",
}


def remarks_for(*, unit: BudgetUnit, project: Project | None = None) -> QuerySet[Remark]:
    qs = Remark.objects.filter(unit=unit).select_related("author", "project")
    if project is not None:
        qs = qs.filter(project=project)
    return qs
