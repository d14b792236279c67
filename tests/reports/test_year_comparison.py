"""Each comparable figure next to the previous year's (dashboard, Excel, annual report); the cases of a year
without records, a unit without records and a year still to come."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from fazhi.reports import annual
from fazhi.reports import figures as figs
from tests.reports.conftest import LAST, THIS, TODAY


def fig(value, previous, unit="件", empty=""):
    earlier = None if previous is ... else figs.Figure("k", "l", previous, unit, "", "", empty=empty)
    return figs.Figure("k", "l", value, unit, "", "", previous=earlier)


def test_the_change_is_said_in_units_or_in_percentage_points():
    assert fig(5, 3).comparison == "上年 3件，增加 2件"
    assert fig(1, 3).comparison == "上年 3件，减少 2件"
    assert fig(3, 3).comparison == "上年 3件，持平"
    assert fig(33.3, 50.0, "%").comparison == "上年 50%，下降 16.7 个百分点"
    assert fig(60.0, 50.0, "%").comparison == "上年 50%，上升 10 个百分点"
    assert fig(2.5, 1.0, "个工作日").comparison == "上年 1个工作日，增加 1.5个工作日"
    assert fig(50.0, None, "%", empty=figs.NOT_APPLICABLE).comparison == "上年不适用"
    assert fig(50.0, None, "%").comparison == "上年无数据"
    assert fig(None, 50.0, "%").comparison == "上年 50%"
    # Nothing to say: not compared, zero both years, or no value either year.
    assert fig(5, ...).comparison == ""
    assert fig(0, 0).comparison == ""
    assert fig(None, None, "%").comparison == ""


def test_collect_attaches_last_years_figure_only_when_asked_and_only_to_comparable_ones(drafts, enterprise):
    plain = figs.collect(figs.Context(year=THIS, today=TODAY)).by_key()
    assert plain["review.submitted"].previous is None
    found = figs.collect(figs.Context(year=THIS, today=TODAY), compare=True).by_key()
    submitted = found["review.submitted"]
    assert submitted.previous is not None and submitted.previous.value == 1
    assert submitted.comparison == "上年 1件，增加 2件"
    # Current states and rankings have no previous year.
    for key in ("policies.profiles", "policies.matches", "review.valid_until_next", "exams.share.01"):
        if key in found:
            assert found[key].previous is None, key


def test_the_dashboard_and_the_workbook_show_the_previous_year(director, login, drafts):
    client = login(director)
    html = client.get(f"/reports/?year={THIS}").content.decode()
    assert "与上年比较" in html and "上年 1件，增加 2件" in html
    data = client.get(f"/reports/export.xlsx?year={THIS}").content
    rows = list(load_workbook(io.BytesIO(data))["指标"].iter_rows(values_only=True))
    assert rows[0][8:10] == ("上年数值", "与上年比较")
    submitted = next(r for r in rows if r[1] == "送审文稿")
    assert (submitted[2], submitted[8], submitted[9]) == (3, 1, "上年 1件，增加 2件")


def test_the_api_gives_the_previous_year_when_asked(director, token_for, client, drafts):
    plain = client.get("/api/v1/reports/figures", {"year": THIS}, headers=token_for(director)).json()
    submitted = next(f for f in plain["figures"] if f["key"] == "review.submitted")
    assert (submitted["previous_value"], submitted["comparison"], submitted["is_work"]) == (None, "", True)
    compared = client.get(
        "/api/v1/reports/figures", {"year": THIS, "compare": "1"}, headers=token_for(director)
    ).json()
    submitted = next(f for f in compared["figures"] if f["key"] == "review.submitted")
    assert (submitted["previous_value"], submitted["previous_display"]) == (1, "1件")
    assert submitted["comparison"] == "上年 1件，增加 2件"


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_the_word_report_prints_the_figure_notes(director, login, drafts, exam_results):
    text = paragraphs(login(director).get(f"/reports/annual.docx?year={THIS}&unit=法规科").content)
    held = next(p for p in text if p.startswith("组织学法考试："))
    assert held == "组织学法考试：1场（上年 1场，持平）。（注：考试不分单位；交卷与及格人数按所选单位）"


def test_the_bulk_import_is_not_the_years_work(director, login, reviewer):
    from fazhi.laws.models import Law, LawVersion

    law = Law.objects.create(title="测试法", norm_title="测试法", level="law")
    for i in range(3):
        LawVersion.objects.create(law=law, text=f"第一条 {i}。", text_hash=str(i), version_index=i + 1)
    LawVersion.objects.create(law=law, text="审查后公布", text_hash="r", source="review", version_index=4)
    found = figs.collect(figs.Context(year=THIS, today=TODAY)).by_key()
    assert found["laws.added"].value == 1 and found["laws.added_review"].value == 1
    assert found["laws.imported"].value == 3 and len(found["laws.imported"].rows()) == 3
    document = Document(io.BytesIO(login(director).get(f"/reports/annual.docx?year={THIS}").content))
    work = [p for p in document.paragraphs if p.style.name == "List Bullet"]
    assert any(p.text.startswith("新增法规文本（版本，手工录入或经合法性审查后公布）：1件") for p in work)
    assert not any("批量导入" in p.text for p in work)
    aside = next(p.text for p in document.paragraphs if p.text.startswith("另："))
    assert aside.startswith("另：批量导入的法规文本（版本）：3件。（注：数据维护，不计入本年度工作成效")


def test_a_year_without_any_record_reads_as_such(director, login):
    client = login(director)
    assert client.get(f"/reports/?year={LAST}").status_code == 200
    text = "\n".join(paragraphs(client.get(f"/reports/annual.docx?year={LAST}").content))
    assert text.count(f"平台中没有{LAST}年该项工作的记录。") == len(figs.PROVIDERS)
    assert "上年" not in text and "0%" not in text and "100%" not in text


def test_a_unit_without_records_in_the_year_gets_an_empty_report_compared_with_last_year(
    director, login, clerk
):
    from fazhi.review.models import Draft
    from tests.reports.conftest import at

    Draft.objects.create(title="去年的送审", unit="监督检查科", drafter=clerk, submitted_at=at(LAST, 4, 1))
    client = login(director)
    html = client.get("/reports/", {"year": THIS, "unit": "监督检查科"}).content.decode()
    assert "上年 1件，减少 1件" in html
    text = "\n".join(
        paragraphs(client.get("/reports/annual.docx", {"year": THIS, "unit": "监督检查科"}).content)
    )
    assert f"平台中没有{THIS}年该项工作的记录。" in text and "统计范围：监督检查科" in text


@pytest.mark.parametrize("url", ["/reports/", "/reports/annual.docx", "/reports/export.xlsx"])
def test_a_year_still_to_come_is_refused_in_chinese(url, director, outsider, login):
    response = login(director).get(url, {"year": THIS + 1})
    assert response.status_code == 400
    assert f"{THIS + 1}年尚未开始" in response.content.decode()
    # Permissions come first: an outsider learns nothing about the year.
    assert login(outsider).get(url, {"year": THIS + 1}).status_code == 403


def test_the_api_and_the_command_refuse_a_year_still_to_come(director, token_for, client):
    from django.core.management import CommandError, call_command

    response = client.get("/api/v1/reports/figures", {"year": THIS + 1}, headers=token_for(director))
    assert response.status_code == 400 and "尚未开始" in response.json()["detail"]
    with pytest.raises(CommandError, match="尚未开始"):
        call_command("report_annual", "--year", str(THIS + 1), stdout=io.StringIO())


def test_the_annual_sentence_joins_value_comparison_and_note():
    earlier = figs.Figure("k", "考试", 1, "场", "", "")
    shown = figs.Figure("k", "考试", 2, "场", "", "", note="考试不分单位", previous=earlier)
    assert annual.sentence(shown) == "考试：2场（上年 1场，增加 1场）。（注：考试不分单位）"
