"""Input that does not fit the database fields is refused with a Chinese message and changes nothing.

SQLite stores an over-large Decimal or an over-long string as given; Django then fails when it reads the
row back, so every amount, rate, score and text must be checked before it is saved (audit findings 1, 5,
10 and the LOW wording items).
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from fazhi.core.errors import ValidationFailed
from fazhi.performance import services
from fazhi.performance.models import (
    Indicator,
    IndicatorResult,
    KeyEvaluation,
    Project,
    Publication,
    Remark,
    SelfEvaluation,
    Status,
)
from tests.performance.conftest import ACTUALS, ROWS, actual_inputs, indicator_rows

JSON = "application/json"


def _new_project(director, unit, **kw):
    data = {"year": 2027, "code": "BIG", "name": "测试", "budget_full_year": "100"} | kw
    return services.create_project(actor=director, unit=unit, **data)


# --- finding 1: amounts and the execution rate -----------------------------------------------------


def test_an_amount_too_large_for_the_field_is_refused(unit, director):
    with pytest.raises(ValidationFailed) as exc:
        _new_project(director, unit, budget_full_year="1000000000000000")
    assert exc.value.message == "全年预算数过大：最多 12 位整数（万元）。"
    with pytest.raises(ValidationFailed, match="年初预算数过大"):
        _new_project(director, unit, budget_initial="1" * 40)
    with pytest.raises(ValidationFailed, match="全年执行数过大"):
        _new_project(director, unit, executed="1" * 13)
    assert not Project.objects.filter(code="BIG").exists()


def test_the_largest_amount_that_fits_is_accepted_and_readable(unit, director, login):
    p = _new_project(director, unit, budget_full_year="999999999999.99")
    assert Project.objects.get(pk=p.pk).budget_full_year == D("999999999999.99")
    assert login(director).get("/performance/manage/").status_code == 200


def test_an_amount_with_more_than_two_decimals_is_refused_not_rounded(unit, director):
    with pytest.raises(ValidationFailed) as exc:
        _new_project(director, unit, budget_full_year="100.005")
    assert exc.value.message == "全年预算数“100.005”最多保留两位小数（万元）。"
    assert not Project.objects.filter(code="BIG").exists()
    p = _new_project(director, unit, budget_full_year="１００.５００")  # trailing zeros change nothing
    assert p.budget_full_year == D("100.50")


def test_not_a_number_and_infinity_are_refused(unit, director):
    for value in (float("nan"), float("inf"), "NaN", "Infinity"):
        with pytest.raises(ValidationFailed, match="不是数字"):
            _new_project(director, unit, budget_full_year=value)
    assert not Project.objects.filter(code="BIG").exists()


def test_a_new_project_whose_execution_rate_cannot_be_recorded_is_refused(unit, director):
    with pytest.raises(ValidationFailed) as exc:
        _new_project(director, unit, budget_full_year="100", executed="99999999")
    assert "超过全年预算数的 1000 倍" in exc.value.message and "请核对" in exc.value.message
    assert not Project.objects.filter(code="BIG").exists()


def test_a_typo_in_the_amount_executed_is_refused_and_nothing_changes(approved_project, clerk):
    with pytest.raises(services.TableInvalid) as exc:
        services.save_self_evaluation(
            actor=clerk,
            project=approved_project,
            achievement="完成",
            actuals=actual_inputs(approved_project),
            executed="99999999",
        )
    assert any("超过全年预算数的 1000 倍" in e and "请核对" in e for e in exc.value.errors), exc.value.errors
    assert Project.objects.get(pk=approved_project.pk).executed == D("108.00")
    assert not SelfEvaluation.objects.filter(project=approved_project).exists()
    assert not IndicatorResult.objects.exists()


def test_a_high_but_recordable_execution_rate_is_saved_and_capped_in_the_score(
    approved_project, clerk, login
):
    ev = services.save_self_evaluation(
        actor=clerk,
        project=approved_project,
        achievement="完成",
        actuals=actual_inputs(approved_project),
        executed="119999.99",  # 999.99 × 120
    )
    assert ev.execution_rate == D("99999.99") and ev.execution_score == D("10.00")
    assert login(clerk).get(f"/performance/manage/projects/{approved_project.pk}/").status_code == 200


def test_the_evaluation_form_refuses_the_typo_and_keeps_what_was_typed(approved_project, clerk, login):
    client = login(clerk)
    url = f"/performance/manage/projects/{approved_project.pk}/evaluation/"
    data = {"achievement": "完成情况说明", "executed": "99999999"}
    for ind in approved_project.target.indicators.all():
        actual, reason, improve = ACTUALS[ind.name]
        data.update({f"actual_{ind.pk}": actual, f"reason_{ind.pk}": reason, f"improve_{ind.pk}": improve})
    r = client.post(url, data)
    html = r.content.decode()
    assert r.status_code == 200 and "超过全年预算数的 1000 倍" in html
    assert 'value="99999999"' in html and "完成情况说明" in html
    assert Project.objects.get(pk=approved_project.pk).executed == D("108.00")
    for page in (url, f"/performance/manage/projects/{approved_project.pk}/", "/performance/manage/"):
        assert client.get(page).status_code == 200, page
    assert client.get(f"/performance/manage/projects/{approved_project.pk}/export.xlsx").status_code == 200


def test_the_unit_page_refuses_an_over_large_budget(unit, director, login):
    client = login(director)
    r = client.post(
        f"/performance/manage/units/{unit.pk}/action/",
        {
            "action": "project",
            "year": "2027",
            "code": "BIG",
            "name": "测试",
            "budget_full_year": "1" + "0" * 15,
        },
        follow=True,
    )
    html = r.content.decode()
    assert r.status_code == 200 and "全年预算数过大：最多 12 位整数（万元）。" in html
    assert 'value="1000000000000000"' in html and 'value="BIG"' in html  # what was typed is kept
    assert not Project.objects.filter(code="BIG").exists()
    assert client.get("/performance/manage/").status_code == 200
    assert client.get(f"/performance/manage/units/{unit.pk}/").status_code == 200


@pytest.mark.django_db
def test_the_api_refuses_over_large_amounts_and_rates(client, unit, director, token_for):
    boss = token_for(director)
    base = {"unit_id": unit.pk, "year": 2027, "code": "BIG", "name": "测试"}
    r = client.post("/api/v1/performance/projects", base | {"budget_full_year": 1e15}, content_type=JSON,
                    headers=boss)  # fmt: skip
    assert r.status_code == 400 and r.json()["detail"] == "全年预算数过大：最多 12 位整数（万元）。"
    r = client.post("/api/v1/performance/projects", base | {"budget_full_year": "1.001"}, content_type=JSON,
                    headers=boss)  # fmt: skip
    assert r.status_code == 400 and "最多保留两位小数" in r.json()["detail"]
    r = client.post(
        "/api/v1/performance/projects",
        '{"unit_id": %d, "year": 2027, "code": "BIG", "name": "x", "budget_full_year": NaN}' % unit.pk,
        content_type=JSON,
        headers=boss,
    )
    assert r.status_code in (400, 422) and "不是数字" in r.content.decode("unicode_escape")
    assert not Project.objects.filter(code="BIG").exists()
    assert client.get("/api/v1/performance/dashboard", headers=boss).status_code == 200


@pytest.mark.django_db
def test_the_api_refuses_an_execution_typo(client, approved_project, clerk, token_for):
    results = [
        {"indicator_id": i.pk, "actual_value": ACTUALS[i.name][0], "deviation_reason": ACTUALS[i.name][1]}
        for i in approved_project.target.indicators.all()
    ]
    r = client.put(
        f"/api/v1/performance/projects/{approved_project.pk}/evaluation",
        {"achievement": "完成", "results": results, "executed": 99999999},
        content_type=JSON,
        headers=token_for(clerk),
    )
    assert r.status_code == 400 and "超过全年预算数的 1000 倍" in r.json()["detail"]
    assert Project.objects.get(pk=approved_project.pk).executed == D("108.00")


def test_the_rescore_command_reports_a_rate_it_cannot_record(approved_project, clerk):
    import io

    from django.core.management import call_command

    services.save_self_evaluation(
        actor=clerk, project=approved_project, achievement="完成", actuals=actual_inputs(approved_project)
    )
    Project.objects.filter(pk=approved_project.pk).update(budget_full_year=D("0.01"))  # e.g. an admin edit
    out, err = io.StringIO(), io.StringIO()
    call_command("rescore_performance", stdout=out, stderr=err)
    assert "学生资助项目" in err.getvalue() and "请核对" in err.getvalue()
    assert SelfEvaluation.objects.get(project=approved_project).execution_rate == D("90.00")


# --- target table: weights and text lengths ---------------------------------------------------------


def test_indicator_weights_with_three_decimals_or_absurd_size_are_refused(project, clerk):
    rows = [list(r) for r in ROWS]
    rows[0][6] = "10.005"
    rows[1][6] = "1" * 40
    with pytest.raises(services.TableInvalid) as exc:
        services.save_target(
            actor=clerk, project=project, annual_goal="目标", rows=indicator_rows([tuple(r) for r in rows])
        )
    assert "第1项指标“资助学生人数”：分值“10.005”最多保留两位小数" in exc.value.errors
    assert any(e.startswith("第2项指标“资助资金发放准确率”：分值") and "过大" in e for e in exc.value.errors)
    assert not Indicator.objects.exists()


def test_over_long_indicator_text_is_refused_with_the_field_and_limit(project, clerk, login):
    rows = [list(r) for r in ROWS]
    rows[0][2] = "指" * 201
    rows[1][4] = "9" * 201
    rows[2][5] = "人" * 41
    with pytest.raises(services.TableInvalid) as exc:
        services.save_target(
            actor=clerk, project=project, annual_goal="目标", rows=indicator_rows([tuple(r) for r in rows])
        )
    text = "\n".join(exc.value.errors)
    assert "三级指标不能超过 200 个字（当前 201 个字）" in text
    assert "目标值不能超过 200 个字（当前 201 个字）" in text
    assert "计量单位不能超过 40 个字（当前 41 个字）" in text
    assert not Indicator.objects.exists()


def test_an_over_long_actual_value_is_refused(approved_project, clerk):
    actuals = actual_inputs(approved_project)
    pk = approved_project.target.indicators.get(name="资助学生人数").pk
    actuals[pk] = services.ActualInput("4" * 201, "x", "y")
    with pytest.raises(services.TableInvalid) as exc:
        services.save_self_evaluation(actor=clerk, project=approved_project, achievement="x", actuals=actuals)
    assert "指标“资助学生人数”：实际完成值不能超过 200 个字（当前 201 个字）" in exc.value.errors
    assert not SelfEvaluation.objects.exists()


# --- finding 10: project text and key-evaluation scores ---------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "项" * 201, "项目名称不能超过 200 个字（当前 201 个字）。"),
        ("code", "C" * 61, "项目编码不能超过 60 个字（当前 61 个字）。"),
        ("department", "部" * 201, "主管部门不能超过 200 个字（当前 201 个字）。"),
    ],
)
def test_over_long_project_text_is_refused(unit, director, field, value, message):
    with pytest.raises(ValidationFailed) as exc:
        _new_project(director, unit, **{field: value})
    assert exc.value.message == message
    assert not Project.objects.filter(year=2027).exists()


def test_the_unit_page_refuses_an_over_long_project_name(unit, director, login):
    r = login(director).post(
        f"/performance/manage/units/{unit.pk}/action/",
        {"action": "project", "year": "2027", "code": "L", "name": "名" * 300},
        follow=True,
    )
    assert "项目名称不能超过 200 个字（当前 300 个字）。" in r.content.decode()
    assert not Project.objects.filter(code="L").exists()


def test_over_long_unit_name_and_code_are_refused(director):
    with pytest.raises(ValidationFailed, match=r"单位名称不能超过 200 个字（当前 201 个字）"):
        services.create_unit(actor=director, name="单" * 201, code="x")
    with pytest.raises(ValidationFailed, match=r"单位编码不能超过 40 个字（当前 41 个字）"):
        services.create_unit(actor=director, name="区某局", code="x" * 41)


def test_a_key_evaluation_score_with_three_decimals_is_refused_not_rounded(approved_project, director, login):
    with pytest.raises(ValidationFailed) as exc:
        services.save_key_evaluation(
            actor=director, project=approved_project, score="90.555", findings="问题"
        )
    assert exc.value.message == "评价得分“90.555”最多保留两位小数。"
    r = login(director).post(
        f"/performance/manage/projects/{approved_project.pk}/key-evaluations/",
        {"score": "90.555", "findings": "问题"},
        follow=True,
    )
    assert "评价得分“90.555”最多保留两位小数。" in r.content.decode()
    assert not KeyEvaluation.objects.exists()
    assert services.save_key_evaluation(
        actor=director, project=approved_project, score="90.50", findings="问题"
    ).score == D("90.50")


def test_an_over_long_evaluator_is_refused(approved_project, director):
    with pytest.raises(ValidationFailed, match=r"评价机构不能超过 200 个字（当前 201 个字）"):
        services.save_key_evaluation(
            actor=director, project=approved_project, score="90", findings="问题", evaluator="机" * 201
        )
    assert not KeyEvaluation.objects.exists()


@pytest.mark.django_db
def test_the_api_refuses_a_key_score_with_three_decimals(client, approved_project, director, token_for):
    r = client.post(
        f"/api/v1/performance/projects/{approved_project.pk}/key-evaluations",
        {"score": 90.555, "findings": "问题"},
        content_type=JSON,
        headers=token_for(director),
    )
    assert r.status_code == 400 and r.json()["detail"] == "评价得分“90.555”最多保留两位小数。"
    assert not KeyEvaluation.objects.exists()


# --- finding 5: numbers that str.isdigit() accepts but int() does not ------------------------------


@pytest.mark.parametrize(
    "query", ["year=²", "unit=²", "year=٢٠٢٦x", "unit=" + "9" * 30, "year=" + "9" * 5000]
)
def test_odd_dashboard_filters_are_ignored(evaluated_project, director, login, query):
    r = login(director).get(f"/performance/manage/?{query}")
    assert r.status_code == 200 and "学生资助项目" in r.content.decode()


def test_a_full_width_year_filter_still_works(evaluated_project, director, login):
    r = login(director).get("/performance/manage/?year=２０２６")
    assert r.status_code == 200 and "学生资助项目" in r.content.decode()


def test_a_superscript_year_on_the_unit_page_gets_a_message(unit, director, login):
    r = login(director).post(
        f"/performance/manage/units/{unit.pk}/action/",
        {"action": "project", "year": "²", "code": "S", "name": "测试"},
        follow=True,
    )
    assert r.status_code == 200 and "请填写四位数的预算年度。" in r.content.decode()
    assert not Project.objects.filter(code="S").exists()


def test_a_superscript_project_in_a_remark_gets_a_message(unit, supervisor, login):
    r = login(supervisor).post(
        f"/performance/manage/units/{unit.pk}/remark/", {"project": "²", "body": "请说明"}, follow=True
    )
    assert r.status_code == 200 and "所选项目无效" in r.content.decode()
    assert not Remark.objects.exists()


def test_a_superscript_row_count_is_not_a_server_error(project, clerk, login):
    r = login(clerk).post(
        f"/performance/manage/projects/{project.pk}/target/", {"rows": "²", "annual_goal": "x"}
    )
    assert r.status_code == 200 and "绩效目标表没有任何指标" in r.content.decode()


# --- LOW: wording and full-width dates --------------------------------------------------------------


def test_an_unknown_action_is_named_in_chinese(project, clerk, login):
    services.save_target(actor=clerk, project=project, annual_goal="目标", rows=indicator_rows())
    with pytest.raises(ValidationFailed) as exc:
        services.transition(actor=clerk, project=project, kind="target", action="bogus")
    assert exc.value.message == "未知的操作，可用的操作为：提交审核、审核通过、退回修改。"
    assert "submit" not in exc.value.message
    r = login(clerk).post(
        f"/performance/manage/projects/{project.pk}/target/transition/", {"action": "bogus"}, follow=True
    )
    assert "未知的操作，可用的操作为：提交审核、审核通过、退回修改。" in r.content.decode()
    assert Project.objects.get(pk=project.pk).target.status == Status.DRAFT


def test_full_width_dates_are_accepted_on_the_unit_page(evaluated_project, director, login, unit):
    client = login(director)
    url = f"/performance/manage/units/{unit.pk}/action/"
    r = client.post(
        url, {"action": "approval", "year": "２０２６", "approved_on": "２０２６-０２-０１"}, follow=True
    )
    assert "预算批复日期已登记" in r.content.decode()
    assert Publication.objects.get(unit=unit, year=2026).budget_approved_on == dt.date(2026, 2, 1)
    r = client.post(
        url, {"action": "publish", "year": "2026", "published_on": "２０２６－０２－０３"}, follow=True
    )
    assert "已公开" in r.content.decode()
    assert Publication.objects.get(unit=unit, year=2026).published_on == dt.date(2026, 2, 3)


def test_an_unparseable_publication_date_is_refused_not_replaced_by_today(
    evaluated_project, director, login, unit
):
    client = login(director)
    url = f"/performance/manage/units/{unit.pk}/action/"
    client.post(url, {"action": "approval", "year": "2026", "approved_on": "2026-02-01"})
    r = client.post(url, {"action": "publish", "year": "2026", "published_on": "2026-02-30"}, follow=True)
    assert "公开日期格式不正确" in r.content.decode()
    assert Publication.objects.get(unit=unit, year=2026).published_on is None


@pytest.mark.django_db
def test_the_api_reads_full_width_dates(client, evaluated_project, director, unit, token_for):
    boss = token_for(director)
    r = client.put(f"/api/v1/performance/publications/{unit.pk}/2026", {"budget_approved_on": "２０２６－０２－０１"},
                   content_type=JSON, headers=boss)  # fmt: skip
    assert r.status_code == 200 and r.json()["budget_approved_on"] == "2026-02-01"
    r = client.post(f"/api/v1/performance/publications/{unit.pk}/2026/publish", {"published_on": "２０２６-０２-０３"},
                    content_type=JSON, headers=boss)  # fmt: skip
    assert r.status_code == 200 and r.json()["published_on"] == "2026-02-03"


@pytest.mark.django_db
def test_an_api_unit_filter_beyond_the_database_integer_is_not_a_server_error(client, evaluated_project, director,
                                                                               token_for):  # fmt: skip
    r = client.get("/api/v1/performance/dashboard?unit_id=" + "9" * 25, headers=token_for(director))
    assert r.status_code == 200 and r.json() == []


def test_minus_zero_is_stored_and_shown_as_zero(unit, approved_project, director, login):
    project = services.create_project(
        actor=director, unit=unit, year=2026, code="JY-0", name="零预算项目",
        budget_initial="-0", budget_full_year="-0.00", executed="-0",
    )  # fmt: skip
    project.refresh_from_db()
    amounts = (project.budget_initial, project.budget_full_year, project.executed)
    assert [str(v) for v in amounts] == ["0.00", "0.00", "0.00"]
    key = services.save_key_evaluation(actor=director, project=approved_project, score="-0", findings="问题")
    key.refresh_from_db()
    assert str(key.score) == "0.00" and "-0" not in key.grade_rule
    html = login(director).get(f"/performance/manage/projects/{approved_project.pk}/").content.decode()
    assert "得分 0.00" in html and "-0.00" not in html


def test_a_refused_key_evaluation_keeps_what_the_evaluator_typed(approved_project, director, login):
    findings = "一、资金拨付滞后。" * 40
    r = login(director).post(
        f"/performance/manage/projects/{approved_project.pk}/key-evaluations/",
        {
            "score": "九十分",
            "findings": findings,
            "recommendations": "按月拨付",
            "evaluator": "第三方机构",
            "is_final": "on",
        },
    )
    html = r.content.decode()
    assert r.status_code == 200 and "评价得分“九十分”无效，应为 0 到 100 之间的数字。" in html
    assert f">{findings}</textarea>" in html and ">按月拨付</textarea>" in html
    assert 'value="九十分"' in html and 'value="第三方机构"' in html
    assert 'id="k-final" type="checkbox" name="is_final" checked' in html
    assert not KeyEvaluation.objects.exists()
