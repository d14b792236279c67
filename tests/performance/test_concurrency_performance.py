"""预算绩效 tables under parallel requests: no status written back, one verdict, one publication.

Each test forces the interleaving a race needs (tests.concurrency.Interleaving) on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core.errors import Conflict
from fazhi.core.models import AuditEvent
from fazhi.performance import rules, services
from fazhi.performance.models import BudgetUnit, PerformanceTarget, Project, Publication, Status
from fazhi.performance.services import disclosure, tables
from tests.concurrency import Interleaving, at_once, on_postgresql
from tests.performance.conftest import indicator_rows

pytestmark = [on_postgresql, pytest.mark.django_db(transaction=True)]


def _holding(monkeypatch, module, name):
    """Make module.name wait at its first call (request A) until request B has run."""
    order = Interleaving()
    original = getattr(module, name)

    def held(*args, **kwargs):
        order.hold()
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, held)
    return order


def test_a_save_running_while_the_table_is_submitted_does_not_undo_the_submission(
    project, clerk, monkeypatch
):
    services.save_target(actor=clerk, project=project, annual_goal="资助 500 人。", rows=indicator_rows())
    order = _holding(monkeypatch, rules, "validate_indicators")  # the save has read 填报中
    saved, submitted = order.run(
        lambda: services.save_target(
            actor=clerk, project=project, annual_goal="资助 600 人。", rows=indicator_rows()
        ),
        lambda: services.transition(actor=clerk, project=project, kind="target", action="submit"),
    )
    assert isinstance(saved, PerformanceTarget) and isinstance(submitted, PerformanceTarget), (
        saved,
        submitted,
    )
    target = PerformanceTarget.objects.get(project=project)
    assert target.status == Status.SUBMITTED and target.annual_goal == "资助 600 人。"


def test_two_reviewers_deciding_at_once_give_one_verdict(project, clerk, director, sysadmin, monkeypatch):
    services.save_target(actor=clerk, project=project, annual_goal="资助 500 人。", rows=indicator_rows())
    services.transition(actor=clerk, project=project, kind="target", action="submit")
    order = _holding(monkeypatch, tables, "change_status")  # the first has checked 待审核
    approved, returned = order.run(
        lambda: services.transition(actor=director, project=project, kind="target", action="approve"),
        lambda: services.transition(
            actor=sysadmin, project=project, kind="target", action="return", comment="请补充指标"
        ),
    )
    assert isinstance(approved, PerformanceTarget)
    assert isinstance(returned, Conflict) and "只有待审核的表可以审核" in returned.message
    assert PerformanceTarget.objects.get(project=project).status == Status.APPROVED


def test_publishing_twice_at_once_publishes_once(evaluated_project, director, unit, monkeypatch):
    services.set_budget_approval(actor=director, unit=unit, year=2026, approved_on=dt.date(2026, 2, 1))
    order = _holding(monkeypatch, disclosure, "change_status")  # the first has listed what to publish

    def publish():
        return services.publish(actor=director, unit=unit, year=2026, published_on=dt.date(2026, 2, 10))

    first, second = order.run(publish, publish)
    assert isinstance(first, Publication)
    assert isinstance(second, Conflict) and "没有已审核待公开" in second.message
    assert AuditEvent.objects.filter(object_type="performance.Publication", action="publish").count() == 1


def test_a_unit_or_a_project_created_twice_at_once_is_refused_not_a_500(director, unit):
    results = at_once(*[lambda: services.create_unit(actor=director, name="区卫健委", code="wjw")] * 3)
    assert sum(isinstance(r, BudgetUnit) for r in results) == 1
    assert all(isinstance(r, Conflict) for r in results if not isinstance(r, BudgetUnit)), results

    def create():
        return services.create_project(actor=director, unit=unit, year=2026, code="JY-9", name="校舍维修")

    results = at_once(create, create, create)
    assert sum(isinstance(r, Project) for r in results) == 1
    assert all(isinstance(r, Conflict) for r in results if not isinstance(r, Project)), results
