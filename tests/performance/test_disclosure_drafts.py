"""What a unit types into a self-evaluation still being filled in stays out of the public disclosure."""

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from fazhi.performance import services
from tests.performance.conftest import actual_inputs

DRAFT_EXECUTED = "987.65"  # the unit's draft 全年执行数, not reviewed by the bureau


@pytest.fixture
def target_published_evaluation_draft(approved_project, clerk, director, unit):
    """The budget (with the target table) is public; the unit then saves a draft self-evaluation."""
    services.set_budget_approval(actor=director, unit=unit, year=2026, approved_on=dt.date(2026, 2, 1))
    services.publish(actor=director, unit=unit, year=2026, published_on=dt.date(2026, 2, 10))
    p = approved_project
    services.save_self_evaluation(
        actor=clerk, project=p, achievement="草稿", actuals=actual_inputs(p), executed=DRAFT_EXECUTED
    )
    p.refresh_from_db()
    assert str(p.executed) == DRAFT_EXECUTED
    return p


def test_the_public_page_does_not_show_the_draft_amount_executed(target_published_evaluation_draft, client):
    html = client.get("/performance/disclosure/jyj/2026/").content.decode()
    assert "资助家庭经济困难学生 500 人。" in html  # the published target table is there
    assert "全年预算数 120.00" in html
    assert DRAFT_EXECUTED not in html and "全年执行数" not in html


def test_the_downloads_do_not_hold_the_draft_amount_executed(target_published_evaluation_draft, client):
    r = client.get("/performance/disclosure/jyj/2026/download.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "全年预算数 120" in text
    assert "987.65" not in text and "全年执行数" not in text
    r = client.get("/performance/disclosure/jyj/2026/download.xlsx")
    wb = load_workbook(io.BytesIO(r.content))
    cells = [c.value for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert "全年预算数" in cells
    assert "全年执行数" not in cells and 987.65 not in cells


def test_the_public_api_does_not_give_the_draft_amount_or_review_comments(
    target_published_evaluation_draft, client
):
    r = client.get("/api/v1/performance/public/disclosures/jyj/2026")
    assert r.status_code == 200
    (item,) = r.json()["projects"]
    assert item["project"]["budget_full_year"] == "120.00"
    assert item["project"]["executed"] is None
    assert item["evaluation"] is None
    assert item["target"]["review_comment"] == ""


def test_once_the_self_evaluation_is_public_the_amount_executed_is_too(
    target_published_evaluation_draft, clerk, director, unit, client
):
    p = target_published_evaluation_draft
    services.transition(actor=clerk, project=p, kind="evaluation", action="submit")
    services.transition(actor=director, project=p, kind="evaluation", action="approve", comment="内部意见")
    services.publish(actor=director, unit=unit, year=2026)
    html = client.get("/performance/disclosure/jyj/2026/").content.decode()
    assert f"全年执行数 {DRAFT_EXECUTED}" in html
    data = client.get("/api/v1/performance/public/disclosures/jyj/2026").json()
    assert data["projects"][0]["project"]["executed"] == DRAFT_EXECUTED
    assert data["projects"][0]["evaluation"]["review_comment"] == ""
    assert "内部意见" not in html
