"""填报绩效自评表 sent back with problems: each problem about one input (an indicator's 实际完成值, 偏差原因分析 or
改进措施, the 年度总体目标实际完成情况, the 全年执行数) marks that input — aria-invalid, aria-describedby naming the
message's id in the list, and a visible "✗ 见问题 N" beside it — so form-errors.js puts the focus on the first one
and a screen reader reads the problem with the field (GB/T 37668-2019 / WCAG 3.3.1). What was typed stays."""

from __future__ import annotations

import html
import re

import pytest

from fazhi.performance import rules, services
from fazhi.performance.models import Project, SelfEvaluation
from fazhi.performance.services.common import ACHIEVEMENT_LIMIT, INDICATOR_NOTE_LIMIT
from tests.performance.conftest import ACTUALS, ROWS, indicator_rows

pytestmark = pytest.mark.django_db


def url(project) -> str:
    return f"/performance/manage/projects/{project.pk}/evaluation/"


def good_data(project) -> dict[str, str]:
    data = {"achievement": "完成情况说明", "executed": "108"}
    for ind in project.target.indicators.all():
        actual, reason, improve = ACTUALS.get(ind.name, ("100", "", ""))
        data |= {f"actual_{ind.pk}": actual, f"reason_{ind.pk}": reason, f"improve_{ind.pk}": improve}
    return data


def messages(page: str) -> dict[str, str]:
    """Message id → its text, from the list of problems."""
    return {k: html.unescape(text) for k, text in re.findall(r'<li id="(form-error-\d+)">([^<]*)</li>', page)}


def tag(page: str, field_id: str) -> str:
    found = re.search(rf'<(?:input|textarea|select) id="{field_id}"[^>]*>', page)
    assert found, field_id
    return found.group(0)


def said(page: str, field_id: str) -> list[str]:
    """The messages a field's aria-describedby names (empty when the field is not marked)."""
    described = re.search(r'aria-describedby="([^"]*)"', tag(page, field_id))
    found = messages(page)
    return [found[k] for k in described.group(1).split()] if described else []


def marked(page: str) -> list[str]:
    """The ids of the fields marked aria-invalid, in the page's order."""
    return re.findall(r'<(?:input|textarea|select) id="([^"]+)"[^>]*aria-invalid="true"', page)


def post(client, project, **changes) -> str:
    r = client.post(url(project), good_data(project) | changes)
    assert r.status_code == 200, r.status_code
    return r.content.decode()


def test_a_bad_actual_value_marks_that_indicators_actual_value_only(approved_project, clerk, login):
    ind = approved_project.target.indicators.get(name="资助学生人数")
    page = post(login(clerk), approved_project, **{f"actual_{ind.pk}": "很多"})
    assert marked(page) == [f"actual_{ind.pk}"]
    assert said(page, f"actual_{ind.pk}") == ["指标“资助学生人数”：实际完成值“很多”不是数字"]
    assert 'value="很多"' in tag(page, f"actual_{ind.pk}")  # kept as typed
    number = re.search(r'id="form-error-(\d+)"', page).group(1)
    after = page.split(tag(page, f"actual_{ind.pk}"), 1)[1]
    assert after.startswith(f'<span class="error-mark" aria-hidden="true">✗ 见问题 {number}</span>')
    assert not SelfEvaluation.objects.filter(project=approved_project, results__actual_value="很多").exists()


def test_a_qualitative_rating_out_of_the_list_marks_its_select(approved_project, clerk, login):
    ind = approved_project.target.indicators.get(name="资助政策长效机制")
    page = post(login(clerk), approved_project, **{f"actual_{ind.pk}": "很好"})
    assert tag(page, f"actual_{ind.pk}").startswith("<select") and marked(page) == [f"actual_{ind.pk}"]
    assert said(page, f"actual_{ind.pk}")[0].startswith("指标“资助政策长效机制”：")


def test_an_over_long_note_marks_that_note_and_keeps_what_was_typed(approved_project, clerk, login):
    ind = approved_project.target.indicators.get(name="资助学生人数")
    reason, improve = "原" * (INDICATOR_NOTE_LIMIT + 1), "措" * (INDICATOR_NOTE_LIMIT + 1)
    page = post(login(clerk), approved_project, **{f"reason_{ind.pk}": reason, f"improve_{ind.pk}": improve})
    assert marked(page) == [f"reason_{ind.pk}", f"improve_{ind.pk}"]
    (about_reason,) = said(page, f"reason_{ind.pk}")
    (about_improve,) = said(page, f"improve_{ind.pk}")
    assert about_reason.startswith("指标“资助学生人数”：偏差原因分析")
    assert about_improve.startswith("指标“资助学生人数”：改进措施")
    assert f">{reason}</textarea>" in page and f">{improve}</textarea>" in page


def test_the_forms_own_fields_are_marked_at_their_problems(approved_project, clerk, login):
    achievement = "况" * (ACHIEVEMENT_LIMIT + 1)
    page = post(login(clerk), approved_project, achievement=achievement, executed="九十")
    assert marked(page) == ["achievement", "executed"]
    assert said(page, "achievement")[0].startswith("年度总体目标实际完成情况")
    assert said(page, "executed")[0].startswith("全年执行数")
    assert 'value="九十"' in tag(page, "executed") and f">{achievement}</textarea>" in page
    assert Project.objects.get(pk=approved_project.pk).executed == 108


def test_an_execution_a_thousand_times_the_budget_marks_the_amount(approved_project, clerk, login):
    page = post(login(clerk), approved_project, executed="99999999")
    assert marked(page) == ["executed"] and "超过全年预算数的 1000 倍" in said(page, "executed")[0]


def test_every_problem_about_one_input_is_tied_to_it_and_the_first_marked_comes_first(
    approved_project, clerk, login
):
    inds = {i.name: i for i in approved_project.target.indicators.all()}
    first, last = inds["资助学生人数"], inds["受助学生满意度"]
    page = post(
        login(clerk),
        approved_project,
        executed="-1",
        **{f"actual_{last.pk}": "很高", f"actual_{first.pk}": "四百五", f"improve_{first.pk}": "措" * 2001},
    )
    tied = {
        k
        for field in marked(page)
        for k in re.search(r'aria-describedby="([^"]*)"', tag(page, field)).group(1).split()
    }
    assert tied == set(messages(page)), (messages(page), marked(page))  # no problem left without its field
    # the page's order: the amount above the table, then the rows — form-errors.js focuses "executed"
    assert marked(page) == ["executed", f"actual_{first.pk}", f"improve_{first.pk}", f"actual_{last.pk}"]


def _one_name_twice(clerk, director, project) -> Project:
    """The project with 资助学生人数 under 数量 and again under 质量, its target table approved."""
    rows = list(ROWS)
    rows[1] = ("产出", "质量", "资助学生人数", "=", "100", "%", "10")  # the name again, under 质量
    services.save_target(actor=clerk, project=project, annual_goal="目标", rows=indicator_rows(rows))
    services.transition(actor=clerk, project=project, kind="target", action="submit")
    services.transition(actor=director, project=project, kind="target", action="approve")
    return Project.objects.get(pk=project.pk)


def test_of_two_indicators_with_one_name_only_the_one_with_the_problem_is_marked(
    clerk, director, login, project
):
    project = _one_name_twice(clerk, director, project)
    quantity, quality = project.target.indicators.filter(name="资助学生人数").order_by("level2")
    assert {quantity.level2, quality.level2} == {"数量", "质量"}
    for bad, good in ((quantity, quality), (quality, quantity)):
        page = post(login(clerk), project, **{f"actual_{bad.pk}": "很多", f"actual_{good.pk}": "100"})
        assert marked(page) == [f"actual_{bad.pk}"], (bad.level2, marked(page))


def test_of_two_indicators_with_one_name_and_one_problem_each_is_marked_at_its_own_message_checked_once(
    clerk, director, login, project, monkeypatch
):
    """Both 资助学生人数 with the same wrong value give two messages of the same words: each input points to its
    own message (not both), the second one's 改进措施 to its own; the page only shows what the service found,
    so every actual value is checked once (by the service) and not again to tell the two apart."""
    project = _one_name_twice(clerk, director, project)
    quantity, quality = project.target.indicators.filter(name="资助学生人数").order_by("level2")
    checked = []
    validate_actual = rules.validate_actual

    def counted(**kwargs):
        checked.append(kwargs["actual"])
        return validate_actual(**kwargs)

    monkeypatch.setattr(rules, "validate_actual", counted)
    page = post(
        login(clerk),
        project,
        **{
            f"actual_{quantity.pk}": "很多",
            f"actual_{quality.pk}": "很多",
            f"improve_{quality.pk}": "措" * 2001,
        },
    )
    assert marked(page) == [f"actual_{quantity.pk}", f"actual_{quality.pk}", f"improve_{quality.pk}"]
    ids = {
        field: re.search(r'aria-describedby="([^"]*)"', tag(page, field)).group(1)
        for field in (f"actual_{quantity.pk}", f"actual_{quality.pk}")
    }
    assert len(set(ids.values())) == 2 and all(" " not in i for i in ids.values()), ids  # one message each
    assert (
        said(page, f"actual_{quantity.pk}")
        == said(page, f"actual_{quality.pk}")
        == ["指标“资助学生人数”：实际完成值“很多”不是数字"]
    )
    assert said(page, f"improve_{quality.pk}")[0].startswith("指标“资助学生人数”：改进措施")
    assert checked.count("很多") == 2 and len(checked) == project.target.indicators.count()


def test_a_refusal_of_the_whole_table_marks_no_input(approved_project, clerk, login):
    ev = services.save_self_evaluation(actor=clerk, project=approved_project, achievement="完成", actuals={})
    SelfEvaluation.objects.filter(pk=ev.pk).update(status="submitted")
    page = post(login(clerk), approved_project)
    assert "不能修改" in page and "data-form-error" in page and marked(page) == []


def test_the_form_before_a_problem_marks_nothing(approved_project, clerk, login):
    page = login(clerk).get(url(approved_project)).content.decode()
    assert marked(page) == [] and "error-mark" not in page and "data-form-error" not in page
