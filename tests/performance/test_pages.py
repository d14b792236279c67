"""The back-office pages used by a unit clerk, the bureau and the dashboard."""

import datetime as dt

import pytest

from fazhi.performance import demo, services
from fazhi.performance.models import BudgetUnit, Indicator, Project, Publication, SelfEvaluation, Status
from tests.performance.conftest import ACTUALS, ROWS, actual_inputs


def _target_form(rows, goal="资助 500 人"):
    data = {"rows": str(len(rows)), "annual_goal": goal}
    for i, r in enumerate(rows):
        for key, value in zip(("l1", "l2", "name", "dir", "tv", "unit", "w"), r, strict=True):
            data[f"{key}_{i}"] = value
    return data


def test_the_clerk_fills_in_the_target_table_through_the_form(project, clerk, login):
    client = login(clerk)
    url = f"/performance/manage/projects/{project.pk}/target/"
    page = client.get(url)
    assert page.status_code == 200 and 'for="name_0"' in page.content.decode()
    r = client.post(url, _target_form(ROWS))
    assert r.status_code == 302
    assert Indicator.objects.filter(target__project=project).count() == len(ROWS)


def test_the_form_shows_each_problem_and_keeps_what_was_typed(project, clerk, login):
    rows = [list(r) for r in ROWS]
    rows[0][4] = "约500"
    r = login(clerk).post(
        f"/performance/manage/projects/{project.pk}/target/", _target_form([tuple(x) for x in rows])
    )
    html = r.content.decode()
    assert r.status_code == 200 and "未保存" in html
    assert "第1行指标“资助学生人数”：目标值“约500”不是数字" in html
    assert 'value="约500"' in html
    assert not Indicator.objects.filter(target__project=project).exists()


def test_submit_and_approve_through_the_pages(project, clerk, director, login):
    login(clerk).post(f"/performance/manage/projects/{project.pk}/target/", _target_form(ROWS))
    login(clerk).post(f"/performance/manage/projects/{project.pk}/target/transition/", {"action": "submit"})
    page = login(director).get(f"/performance/manage/projects/{project.pk}/").content.decode()
    assert 'value="approve"' in page and "待审核" in page
    assert 'data-confirm="确定审核通过？' in page
    login(director).post(
        f"/performance/manage/projects/{project.pk}/target/transition/", {"action": "approve"}
    )
    assert Project.objects.get(pk=project.pk).target.status == Status.APPROVED


def test_the_clerk_fills_in_the_self_evaluation_and_sees_the_rules(approved_project, clerk, login):
    client = login(clerk)
    url = f"/performance/manage/projects/{approved_project.pk}/evaluation/"
    data = {"achievement": "完成", "executed": "108"}
    for ind in approved_project.target.indicators.all():
        actual, reason, improve = ACTUALS[ind.name]
        data.update({f"actual_{ind.pk}": actual, f"reason_{ind.pk}": reason, f"improve_{ind.pk}": improve})
    assert client.post(url, data).status_code == 302
    ev = SelfEvaluation.objects.get(project=approved_project)
    assert ev.total_score == 95 and ev.grade == "优"
    html = client.get(f"/performance/manage/projects/{approved_project.pk}/").content.decode()
    assert "【未达成按完成比例计分】" in html and "【预算执行率计分】" in html and "评为“优”" in html


def test_a_bad_actual_value_is_shown_on_the_form(approved_project, clerk, login):
    ind = approved_project.target.indicators.get(name="资助学生人数")
    r = login(clerk).post(
        f"/performance/manage/projects/{approved_project.pk}/evaluation/",
        {"achievement": "x", "executed": "108", f"actual_{ind.pk}": "很多"},
    )
    assert "指标“资助学生人数”：实际完成值“很多”不是数字" in r.content.decode()


def test_the_bureau_records_approval_and_publishes_from_the_unit_page(
    evaluated_project, director, login, unit
):
    client = login(director)
    url = f"/performance/manage/units/{unit.pk}/action/"
    assert 'data-confirm="确定公开？' in client.get(f"/performance/manage/units/{unit.pk}/").content.decode()
    r = client.post(url, {"action": "publish", "year": "2026"}, follow=True)
    assert "请先登记区教育局2026年度预算批复日期" in r.content.decode()
    client.post(url, {"action": "approval", "year": "2026", "approved_on": "2026-02-01"})
    r = client.post(url, {"action": "publish", "year": "2026", "published_on": "2026-02-03"}, follow=True)
    assert "已公开" in r.content.decode()
    assert Publication.objects.get(unit=unit, year=2026).published_on == dt.date(2026, 2, 3)


def test_the_dashboard_shows_scores_grades_execution_and_unmet_indicators(evaluated_project, director, login):
    html = login(director).get("/performance/manage/?year=2026").content.decode()
    assert "学生资助项目" in html and "95.00" in html and "90.00%" in html
    assert "资助学生人数、资助政策长效机制" in html
    assert "优：1 个项目" in html


def test_a_unit_member_sees_only_its_own_projects_on_the_dashboard(evaluated_project, enterprise, login):
    BudgetUnit.objects.create(name="区卫健委", code="wjw").members.add(enterprise)
    html = login(enterprise).get("/performance/manage/").content.decode()
    assert "学生资助项目" not in html


@pytest.mark.django_db
def test_the_demo_data_is_complete_and_idempotent():
    out = []

    class Out:
        def write(self, text):
            out.append(text)

    demo.setup_demo(Out())
    demo.setup_demo(Out())
    unit = BudgetUnit.objects.get(code="jyj")
    assert unit.projects.count() == 2
    p = unit.projects.get(year=2025)
    assert p.target.status == Status.PUBLISHED and p.self_evaluation.grade == "优"
    assert p.key_evaluations.filter(is_final=True).count() == 1
    pub = Publication.objects.get(unit=unit, year=2025)
    assert pub.published_on == dt.date(2025, 2, 26)
    assert (pub.final_accounts_approved_on, pub.final_accounts_published_on) == (
        dt.date(2026, 7, 10),
        dt.date(2026, 7, 24),
    )
    assert unit.congress_submissions.get(year=2025).submitted_on == dt.date(2024, 12, 20)
    assert unit.members.filter(username="drafter").exists()


def test_a_tampered_row_count_is_not_a_server_error(project, clerk, login):
    r = login(clerk).post(
        f"/performance/manage/projects/{project.pk}/target/", {"rows": "abc", "annual_goal": "x"}
    )
    assert r.status_code == 200 and "绩效目标表没有任何指标" in r.content.decode()


def test_the_grade_counts_leave_out_self_evaluations_not_yet_approved(
    approved_project, clerk, director, login
):
    """The dashboard's 等级分布 counts what the reports dashboard and the annual report count."""
    services.save_self_evaluation(
        actor=clerk, project=approved_project, achievement="草稿。", actuals=actual_inputs(approved_project)
    )
    client = login(director)
    html = client.get("/performance/manage/?year=2026").content.decode()
    assert "95.00" in html  # the draft's score is listed with its status
    assert "优：0 个项目" in html and "填报中、待审核的自评得分不计入" in html
    services.transition(actor=clerk, project=approved_project, kind="evaluation", action="submit")
    assert "优：0 个项目" in client.get("/performance/manage/?year=2026").content.decode()
    services.transition(actor=director, project=approved_project, kind="evaluation", action="approve")
    assert "优：1 个项目" in client.get("/performance/manage/?year=2026").content.decode()
    report = client.get("/api/v1/reports/figures?year=2026").json()["figures"]
    assert next(f for f in report if f["key"] == "performance.grade.1")["value"] == 1


def test_a_refused_row_is_shown_again_under_the_number_its_message_gives(project, clerk, login):
    rows = [list(r) for r in ROWS]
    rows[3][6] = "NaN"  # 第5行 once a blank row is left above it
    typed = [tuple(rows[0]), ("",) * 7, *map(tuple, rows[1:])]
    r = login(clerk).post(f"/performance/manage/projects/{project.pk}/target/", _target_form(typed))
    html = r.content.decode()
    assert "第5行指标“人均资助标准”：分值“NaN”不是数字" in html
    # Row 5 of the form shown again is the refused one (rows were moved up past the blank one).
    assert 'id="name_4" name="name_4" value="人均资助标准"' in html
    assert 'id="w_4" name="w_4" value="NaN"' in html
    assert 'id="name_1" name="name_1" value=""' in html
    assert 'id="name_0" name="name_0" value="资助学生人数"' in html


def test_the_units_history_names_a_member_added_in_chinese(unit, clerk, director, login):
    html = login(director).get(f"/performance/manage/units/{unit.pk}/").content.decode()
    history = html.split("<h2>变更记录</h2>", 1)[1]
    assert "m2m_" not in history
    assert "<td>添加填报人员</td>" in history and "clerk" in history
