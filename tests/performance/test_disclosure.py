"""The public disclosure page, its downloads and the 20-day warning."""

import datetime as dt
import io
import zipfile

from docx import Document
from openpyxl import load_workbook

from fazhi.performance import services
from fazhi.performance.models import Publication, ScoringConfig


def test_the_disclosure_page_shows_the_published_tables_chart_and_data(published_project, client):
    r = client.get("/performance/disclosure/jyj/2026/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "区教育局2026年度预算绩效信息公开" in html
    assert "公开日期：<strong>2026年2月10日</strong>" in html
    assert "在批复后 20 日期限内" in html and "超期公开" not in html
    # target table, self-evaluation with the rule behind each score, total and grade
    assert "资助家庭经济困难学生 500 人。" in html and "资助学生人数" in html and "≥500人" in html
    assert "实际 450 ÷ 目标 500 × 分值 20 = 18.00" in html
    assert "部分学生转学" in html and "加强摸底" in html
    assert "95.00" in html and "<strong>优</strong>" in html
    # the chart, drawn by the vendored ECharts, with its data table beside it
    assert 'id="perf-chart"' in html and "vendor/echarts.min.js" in html and 'id="perf-chart-data"' in html
    assert "<caption>各项目自评结果</caption>" in html
    assert "download.xlsx" in html and "download.docx" in html


def test_the_disclosure_list_links_the_published_year(published_project, client):
    html = client.get("/performance/").content.decode()
    assert "/performance/disclosure/jyj/2026/" in html and "2026-02-10" in html


def test_a_late_publication_shows_a_warning(evaluated_project, director, unit, client):
    services.set_budget_approval(actor=director, unit=unit, year=2026, approved_on=dt.date(2026, 1, 2))
    services.publish(actor=director, unit=unit, year=2026, published_on=dt.date(2026, 2, 1))
    html = client.get("/performance/disclosure/jyj/2026/").content.decode()
    assert "超期公开" in html and "超期 10 日" in html and "2026年1月22日" in html


def test_the_docx_download_has_both_tables(published_project, client):
    r = client.get("/performance/disclosure/jyj/2026/download.docx")
    assert r.status_code == 200 and r["Content-Type"].endswith("wordprocessingml.document")
    doc = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert (
        "区教育局2026年度预算绩效信息公开" in text
        and "项目支出绩效目标表" in text
        and "项目支出绩效自评表" in text
    )
    assert "总分：95.00" in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "一级指标" in cells and "资助学生人数" in cells and "18.00" in cells


def test_the_xlsx_download_has_a_sheet_per_table(published_project, client):
    r = client.get("/performance/disclosure/jyj/2026/download.xlsx")
    assert r.status_code == 200 and zipfile.is_zipfile(io.BytesIO(r.content))
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["绩效目标表1", "绩效自评表1"]
    values = [c.value for row in wb["绩效自评表1"].iter_rows() for c in row]
    assert "资助学生人数" in values and "450" in values


def test_the_public_api_serves_the_published_disclosure_anonymously(published_project, client):
    r = client.get("/api/v1/performance/public/disclosures/jyj/2026")
    assert r.status_code == 200
    body = r.json()
    assert body["publication"]["published_on"] == "2026-02-10" and body["publication"]["overdue_days"] == 0
    ev = body["projects"][0]["evaluation"]
    assert ev["grade"] == "优" and ev["total_score"] == "95.00"
    listing = client.get("/api/v1/performance/public/disclosures").json()
    assert [(p["unit_code"], p["year"]) for p in listing] == [("jyj", 2026)]


def test_key_evaluations_are_published_only_when_final(evaluated_project, director, unit, client):
    services.save_key_evaluation(actor=director, project=evaluated_project, score="70", findings="草稿意见")
    services.save_key_evaluation(
        actor=director, project=evaluated_project, score="86.5", findings="台账不规范", is_final=True
    )
    services.set_budget_approval(actor=director, unit=unit, year=2026, approved_on=dt.date(2026, 2, 1))
    services.publish(actor=director, unit=unit, year=2026, published_on=dt.date(2026, 2, 3))
    html = client.get("/performance/disclosure/jyj/2026/").content.decode()
    assert "台账不规范" in html and "草稿意见" not in html
    assert Publication.objects.get().published_by == director


def test_the_public_list_states_the_disclosure_window_in_force(published_project, client):
    html = client.get("/performance/").content.decode()
    assert "批复后 20 日内" in html
    ScoringConfig.objects.update_or_create(is_current=True, defaults={"disclosure_days": 15})
    html = client.get("/performance/").content.decode()
    assert "批复后 15 日内" in html and "批复后 20 日内" not in html
