"""Workflow, scoring stored on the self-evaluation, publication and remarks (services)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from fazhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from fazhi.core.models import AuditEvent, Message
from fazhi.performance import selectors, services
from fazhi.performance.models import Indicator, IndicatorResult, ScoringConfig, SelfEvaluation, Status
from tests.performance.conftest import ROWS, actual_inputs, indicator_rows


def test_a_unit_member_saves_a_valid_target_table(project, clerk):
    target = services.save_target(actor=clerk, project=project, annual_goal="目标", rows=indicator_rows())
    assert target.indicators.count() == len(ROWS)
    assert [i.name for i in target.indicators.all()][0] == "资助学生人数"


def test_an_invalid_table_is_rejected_whole_with_every_message(project, clerk):
    rows = [list(r) for r in ROWS]
    rows[0][6] = "25"
    rows[1][4] = "全部"
    with pytest.raises(services.TableInvalid) as exc:
        services.save_target(
            actor=clerk, project=project, annual_goal="", rows=indicator_rows([tuple(r) for r in rows])
        )
    errors = exc.value.errors
    assert "年度总体目标不能为空" in errors
    assert any("第2项指标“资助资金发放准确率”：目标值“全部”不是数字" in e for e in errors)
    assert not Indicator.objects.filter(target__project=project).exists()


def test_weight_totals_follow_the_configured_weights(project, clerk):
    ScoringConfig.objects.update(weight_output=D(60), weight_benefit=D(20))
    with pytest.raises(services.TableInvalid) as exc:
        services.save_target(actor=clerk, project=project, annual_goal="目标", rows=indicator_rows())
    assert "一级指标“产出”的分值合计为 50，应为 60" in exc.value.errors
    assert "一级指标“效益”的分值合计为 30，应为 20" in exc.value.errors


def test_the_workflow_moves_through_review_and_is_audited(approved_project, clerk):
    assert approved_project.target.status == Status.APPROVED
    transitions = AuditEvent.objects.filter(action="transition", object_type="performance.PerformanceTarget")
    assert [e.after["status"] for e in transitions.order_by("seq")] == ["submitted", "approved"]
    assert transitions.order_by("seq").last().actor_name == "director"


def test_an_approved_table_can_no_longer_be_edited(approved_project, clerk):
    with pytest.raises(Conflict, match="已审核"):
        services.save_target(actor=clerk, project=approved_project, annual_goal="x", rows=indicator_rows())


def test_returning_needs_a_comment_and_reopens_the_table_for_the_unit(project, clerk, director):
    services.save_target(actor=clerk, project=project, annual_goal="目标", rows=indicator_rows())
    services.transition(actor=clerk, project=project, kind="target", action="submit")
    with pytest.raises(ValidationFailed, match="须填写审核意见"):
        services.transition(actor=director, project=project, kind="target", action="return")
    services.transition(
        actor=director, project=project, kind="target", action="return", comment="满意度目标偏低"
    )
    project.target.refresh_from_db()
    assert project.target.status == Status.RETURNED
    assert Message.objects.filter(recipient=clerk, title__contains="被退回修改").exists()
    services.save_target(actor=clerk, project=project, annual_goal="目标（修改）", rows=indicator_rows())


def test_the_unit_cannot_approve_its_own_table(project, clerk):
    services.save_target(actor=clerk, project=project, annual_goal="目标", rows=indicator_rows())
    services.transition(actor=clerk, project=project, kind="target", action="submit")
    with pytest.raises(PermissionDenied):
        services.transition(actor=clerk, project=project, kind="target", action="approve")


def test_a_self_evaluation_is_scored_and_every_score_names_its_rule(approved_project, clerk):
    ev = services.save_self_evaluation(
        actor=clerk, project=approved_project, achievement="完成", actuals=actual_inputs(approved_project)
    )
    by_name = {r.indicator.name: r for r in ev.results.select_related("indicator")}
    assert by_name["资助学生人数"].score == D("18.00")  # 450 / 500 × 20
    assert "未达成按完成比例计分" in by_name["资助学生人数"].explanation
    assert by_name["资助政策长效机制"].score == D("8.00")  # 基本达成 0.8 × 10
    assert by_name["资金发放及时率"].rule == "met"
    # 18 + 10 + 10 + 10 + 20 + 8 + 10 = 86, execution 108/120 = 90% × 10 = 9 → 95
    assert (ev.execution_rate, ev.execution_score, ev.total_score, ev.grade) == (
        D("90.00"),
        D("9.00"),
        D("95.00"),
        "优",
    )
    assert "95.00 ≥ 90" in ev.grade_rule


def test_a_total_of_89_99_is_graded_good(approved_project, clerk):
    # indicators 86 as above; execution 47.88 / 120 = 39.9% × 10 = 3.99 → 89.99
    ev = services.save_self_evaluation(
        actor=clerk,
        project=approved_project,
        achievement="完成",
        actuals=actual_inputs(approved_project),
        executed="47.88",
    )
    assert ev.execution_score == D("3.99")
    assert ev.total_score == D("89.99") and ev.grade == "良"
    assert "89.99 ≥ 80 且 < 90" in ev.grade_rule


def test_actual_values_are_validated_per_indicator(approved_project, clerk):
    actuals = actual_inputs(approved_project)
    pks = {i.name: i.pk for i in approved_project.target.indicators.all()}
    actuals[pks["资助学生人数"]] = services.ActualInput("约450")
    actuals[pks["资助政策长效机制"]] = services.ActualInput("很好")
    with pytest.raises(services.TableInvalid) as exc:
        services.save_self_evaluation(actor=clerk, project=approved_project, achievement="x", actuals=actuals)
    assert "指标“资助学生人数”：实际完成值“约450”不是数字" in exc.value.errors
    assert any(
        e.startswith("指标“资助政策长效机制”：实际完成值“很好”应为定性评级之一") for e in exc.value.errors
    )
    assert not SelfEvaluation.objects.filter(project=approved_project, scored_at__isnull=False).exists()


def test_submitting_a_self_evaluation_needs_reasons_for_unmet_indicators(approved_project, clerk):
    actuals = actual_inputs(approved_project)
    pks = {i.name: i.pk for i in approved_project.target.indicators.all()}
    actuals[pks["资助学生人数"]] = services.ActualInput("450", "", "")
    services.save_self_evaluation(actor=clerk, project=approved_project, achievement="完成", actuals=actuals)
    with pytest.raises(services.TableInvalid) as exc:
        services.transition(actor=clerk, project=approved_project, kind="evaluation", action="submit")
    assert exc.value.errors == ["指标“资助学生人数”：未达成目标，须填写偏差原因分析"]


def test_the_self_evaluation_waits_for_an_approved_target(project, clerk):
    with pytest.raises(Conflict, match="审核通过后"):
        services.save_self_evaluation(actor=clerk, project=project, achievement="x", actuals={})


def test_changing_the_rules_changes_the_next_scoring(approved_project, clerk):
    ScoringConfig.objects.update(shortfall_mode="all_or_nothing")
    ev = services.save_self_evaluation(
        actor=clerk, project=approved_project, achievement="完成", actuals=actual_inputs(approved_project)
    )
    r = IndicatorResult.objects.get(evaluation=ev, indicator__name="资助学生人数")
    assert r.score == D("0.00") and "未达成不得分" in r.explanation


def test_publishing_marks_approved_tables_and_records_the_date(published_project, unit):
    p = published_project
    assert p.target.status == Status.PUBLISHED and p.self_evaluation.status == Status.PUBLISHED
    pub = unit.publications.get(year=2026)
    assert pub.published_on == dt.date(2026, 2, 10)
    ev = AuditEvent.objects.get(action="publish")
    assert ev.after["overdue_days"] == 0 and "期限内" in ev.comment


def test_a_late_publication_is_flagged_with_the_days_over(evaluated_project, director, unit):
    services.set_budget_approval(actor=director, unit=unit, year=2026, approved_on=dt.date(2026, 1, 5))
    pub = services.publish(actor=director, unit=unit, year=2026, published_on=dt.date(2026, 1, 30))
    status = selectors.deadline_status(pub)
    assert status.deadline == dt.date(2026, 1, 25) and status.overdue_days == 5
    assert "超期 5 日" in status.message


def test_the_deadline_on_the_twentieth_day_is_still_in_time(evaluated_project, director, unit):
    services.set_budget_approval(actor=director, unit=unit, year=2026, approved_on=dt.date(2026, 1, 5))
    pub = services.publish(actor=director, unit=unit, year=2026, published_on=dt.date(2026, 1, 25))
    assert selectors.deadline_status(pub).overdue_days == 0


def test_publishing_without_a_budget_approval_date_is_refused(evaluated_project, director, unit):
    with pytest.raises(Conflict, match="预算批复日期"):
        services.publish(actor=director, unit=unit, year=2026)


def test_unpublished_years_past_the_window_remind_the_leaders(evaluated_project, director, unit):
    services.set_budget_approval(actor=director, unit=unit, year=2026, approved_on=dt.date(2026, 1, 5))
    assert services.remind_disclosure_deadlines(today=dt.date(2026, 1, 10)) == 0
    assert services.remind_disclosure_deadlines(today=dt.date(2026, 1, 27)) == 1
    assert services.remind_disclosure_deadlines(today=dt.date(2026, 1, 28)) == 0  # deduplicated
    assert Message.objects.filter(recipient=director, title__contains="已超过公开期限").count() == 1


def test_a_key_evaluation_is_graded_by_the_thresholds(approved_project, director):
    k = services.save_key_evaluation(
        actor=director, project=approved_project, score="79.99", findings="台账不规范"
    )
    assert k.grade == "中"
    with pytest.raises(ValidationFailed, match="0 到 100"):
        services.save_key_evaluation(actor=director, project=approved_project, score="101", findings="x")


def test_a_supervisor_remark_is_audited(project, supervisor, unit):
    remark = services.add_remark(actor=supervisor, unit=unit, project=project, body="请说明执行率偏低原因")
    ev = AuditEvent.objects.get(action="remark")
    assert ev.actor_name == "supervisor1" and ev.object_id == str(remark.pk) and "执行率" in ev.comment
    with pytest.raises(ValidationFailed, match="不能为空"):
        services.add_remark(actor=supervisor, unit=unit, body="  ")


def test_history_lists_the_projects_audit_events(published_project):
    actions = {e.action for e in selectors.history(published_project)}
    assert {"create", "transition", "update"} <= actions


def test_the_admin_cannot_save_rules_that_do_not_add_up(db):
    from django.core.exceptions import ValidationError

    cfg = ScoringConfig.objects.get()
    cfg.full_clean()
    cfg.weight_output, cfg.grade_good_min = D(55), D(95)
    cfg.qualitative_levels = {"达成": 1, "基本达成": "1.5"}
    with pytest.raises(ValidationError) as exc:
        cfg.full_clean()
    text = " ".join(exc.value.messages)
    assert (
        "四项分值合计为 105，应为 100" in text
        and "100 ≥ 优 > 良 > 中 > 0" in text
        and "“基本达成”的得分比例“1.5”" in text
    )


def test_the_rescore_command_applies_changed_rules_to_drafts_only(approved_project, evaluated_project, clerk):
    import io

    from django.core.management import call_command

    ScoringConfig.objects.update(shortfall_mode="all_or_nothing")
    out = io.StringIO()
    call_command("rescore_performance", stdout=out)
    assert "已重新计分 0 份" in out.getvalue()  # the approved evaluation keeps its reviewed score
    SelfEvaluation.objects.filter(project=evaluated_project).update(status=Status.RETURNED)
    call_command("rescore_performance", stdout=out)
    ev = SelfEvaluation.objects.get(project=evaluated_project)
    assert (
        "其中 1 份得分或等级发生变化" in out.getvalue() and ev.total_score == D("77.00") and ev.grade == "中"
    )


def test_a_deadline_ending_on_a_day_off_rolls_forward_only_when_the_bureau_switches_it_on(
    evaluated_project, director, unit
):
    # Approved 2026-01-05: the twentieth day, 2026-01-25, is a Sunday.
    services.set_budget_approval(actor=director, unit=unit, year=2026, approved_on=dt.date(2026, 1, 5))
    pub = services.publish(actor=director, unit=unit, year=2026, published_on=dt.date(2026, 1, 26))
    off = selectors.deadline_status(pub)
    assert off.deadline == dt.date(2026, 1, 25) and off.overdue_days == 1

    ScoringConfig.objects.update(disclosure_rolls_forward=True)
    on = selectors.deadline_status(pub)
    assert on.deadline == dt.date(2026, 1, 26) and on.overdue_days == 0
    assert "末日逢休假日顺延" in on.message


def test_a_deadline_on_a_working_day_does_not_move_with_the_switch_on(evaluated_project, director, unit):
    ScoringConfig.objects.update(disclosure_rolls_forward=True)
    services.set_budget_approval(actor=director, unit=unit, year=2026, approved_on=dt.date(2026, 1, 6))
    pub = services.publish(actor=director, unit=unit, year=2026, published_on=dt.date(2026, 1, 27))
    status = selectors.deadline_status(pub)
    assert status.deadline == dt.date(2026, 1, 26) and status.overdue_days == 1
    assert "顺延" not in status.message
