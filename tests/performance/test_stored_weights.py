"""A self-evaluation keeps the 预算执行率 分值 it was scored with when the administrator changes the rules."""

from __future__ import annotations

import importlib
import io
from decimal import Decimal as D

import pytest
from django.apps import apps
from django.core.management import call_command
from docx import Document
from openpyxl import load_workbook

from fazhi.core.errors import Conflict
from fazhi.performance import services
from fazhi.performance.models import ScoringConfig, SelfEvaluation, Status
from tests.performance.conftest import actual_inputs

# The fixture project: 全年预算数 120, 执行数 108 → 执行率 90%, scored 9.00 of 10 under the default rules.
SCORED = "预算执行率 90.00%</td><td>{weight}</td><td>{score}</td>"


def change_rules() -> None:
    """The administrator's new rules: 产出 55, 效益 30, 满意度 10, 预算执行率 5."""
    changed = ScoringConfig.objects.filter(is_current=True).update(
        weight_output=D(55), weight_benefit=D(30), weight_satisfaction=D(10), weight_execution=D(5)
    )
    assert changed == 1


def execution_row(ws) -> list:
    row = next(r for r in ws.iter_rows(values_only=True) if r[0] == "预算执行率")
    return list(row[:7])


def test_the_public_page_shows_the_weight_a_published_table_was_scored_with(published_project, client):
    change_rules()
    html = client.get("/performance/disclosure/jyj/2026/").content.decode()
    assert SCORED.format(weight="10", score="9.00") in html
    assert "预算执行率 90.00%</td><td>5</td>" not in html


def test_the_project_page_shows_the_weight_a_published_table_was_scored_with(
    published_project, login, director
):
    change_rules()
    html = login(director).get(f"/performance/manage/projects/{published_project.pk}/").content.decode()
    assert SCORED.format(weight="10", score="9.00") in html
    assert "预算执行率 90.00%</td><td>5</td>" not in html


def test_the_docx_shows_the_weight_a_published_table_was_scored_with(published_project, client):
    change_rules()
    r = client.get("/performance/disclosure/jyj/2026/download.docx")
    assert r.status_code == 200
    paragraphs = [p.text for p in Document(io.BytesIO(r.content)).paragraphs]
    line = next(p for p in paragraphs if p.startswith("预算执行率"))
    assert line.startswith("预算执行率 90.00%，分值 10，得分 9.00。")


def test_the_xlsx_shows_the_weight_a_published_table_was_scored_with(
    published_project, client, login, director
):
    change_rules()
    r = client.get("/performance/disclosure/jyj/2026/download.xlsx")
    assert r.status_code == 200
    row = execution_row(load_workbook(io.BytesIO(r.content))["绩效自评表1"])
    assert row[:6] == ["预算执行率", "90.00%", "分值", 10.0, "得分", 9.0]
    assert "× 分值 10 = 9.00" in row[6]
    # The bureau's export of the project has the same row.
    r = login(director).get(f"/performance/manage/projects/{published_project.pk}/export.xlsx")
    row = execution_row(load_workbook(io.BytesIO(r.content))["绩效自评表"])
    assert row[:6] == ["预算执行率", "90.00%", "分值", 10.0, "得分", 9.0]


def test_the_api_shows_the_weight_a_published_table_was_scored_with(
    published_project, client, director, token_for
):
    change_rules()
    public = client.get("/api/v1/performance/public/disclosures/jyj/2026").json()
    evaluation = public["projects"][0]["evaluation"]
    assert (evaluation["weight_execution"], evaluation["execution_score"]) == ("10.00", "9.00")
    r = client.get(
        f"/api/v1/performance/projects/{published_project.pk}/evaluation", headers=token_for(director)
    )
    assert r.status_code == 200
    assert (r.json()["weight_execution"], r.json()["execution_score"]) == ("10.00", "9.00")


def test_a_draft_takes_the_new_weight_when_it_is_scored_again(
    approved_project, clerk, client, login, token_for
):
    p = approved_project
    services.save_self_evaluation(
        actor=clerk, project=p, achievement="资助学生 450 人。", actuals=actual_inputs(p)
    )
    change_rules()
    page = f"/performance/manage/projects/{p.pk}/"
    # Not scored again yet: its scores, and the weight beside them, are still those of the old rules.
    assert SCORED.format(weight="10", score="9.00") in login(clerk).get(page).content.decode()
    ev = services.save_self_evaluation(
        actor=clerk, project=p, achievement="资助学生 450 人。", actuals=actual_inputs(p)
    )
    assert (ev.weight_execution, ev.execution_score) == (D(5), D("4.50"))
    assert "× 分值 5 = 4.50" in ev.execution_rule
    assert SCORED.format(weight="5", score="4.50") in login(clerk).get(page).content.decode()
    body = client.get(f"/api/v1/performance/projects/{p.pk}/evaluation", headers=token_for(clerk)).json()
    assert (body["weight_execution"], body["execution_score"]) == ("5.00", "4.50")


def test_the_rescore_command_moves_a_returned_table_to_the_new_weight_only(evaluated_project):
    change_rules()
    call_command("rescore_performance", stdout=io.StringIO())
    ev = SelfEvaluation.objects.get(project=evaluated_project)
    assert (ev.status, ev.weight_execution, ev.execution_score) == (Status.APPROVED, D(10), D("9.00"))
    SelfEvaluation.objects.filter(pk=ev.pk).update(status=Status.RETURNED)
    call_command("rescore_performance", stdout=io.StringIO())
    ev.refresh_from_db()
    assert (ev.weight_execution, ev.execution_score) == (D(5), D("4.50"))


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.APPROVED, Status.PUBLISHED])
def test_a_table_past_filling_in_is_not_scored_again(evaluated_project, status):
    SelfEvaluation.objects.filter(project=evaluated_project).update(status=status)
    change_rules()
    ev = SelfEvaluation.objects.get(project=evaluated_project)
    with pytest.raises(Conflict, match="不能重新计分"):
        services.rescore(ev)
    ev.refresh_from_db()
    assert (ev.weight_execution, ev.execution_score, ev.total_score) == (D(10), D("9.00"), D("95.00"))


def test_a_table_never_scored_shows_the_rules_in_force(approved_project, client, director, token_for):
    # Only a row written outside the services has no weight stored: it has no score to go with one either.
    SelfEvaluation.objects.create(project=approved_project)
    change_rules()
    r = client.get(
        f"/api/v1/performance/projects/{approved_project.pk}/evaluation", headers=token_for(director)
    )
    assert r.json()["weight_execution"] == "5.00"


def test_the_migration_fills_existing_tables_from_the_rules_in_force(evaluated_project, approved_project):
    migration = importlib.import_module("fazhi.performance.migrations.0005_selfevaluation_weight_execution")
    change_rules()
    SelfEvaluation.objects.update(weight_execution=None)
    migration.fill(apps, None)
    assert list(SelfEvaluation.objects.values_list("weight_execution", flat=True)) == [D(5)]
    # Without a current rule set, the default 10.
    SelfEvaluation.objects.update(weight_execution=None)
    ScoringConfig.objects.update(is_current=False)
    migration.fill(apps, None)
    assert list(SelfEvaluation.objects.values_list("weight_execution", flat=True)) == [D(10)]


def test_a_filled_weight_is_left_alone_by_the_migration(evaluated_project):
    migration = importlib.import_module("fazhi.performance.migrations.0005_selfevaluation_weight_execution")
    SelfEvaluation.objects.update(weight_execution=D(8))
    change_rules()
    migration.fill(apps, None)
    assert SelfEvaluation.objects.get().weight_execution == D(8)
