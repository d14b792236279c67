"""Dashboard, drill-down lists, exports and the API: who may read what."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from tests.reports.conftest import THIS


def sheet_text(data: bytes) -> str:
    wb = load_workbook(io.BytesIO(data))
    return "\n".join(
        " ".join(str(c) for c in row if c is not None)
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
    )


@pytest.mark.parametrize("who", ["director", "sysadmin", "supervisor"])
def test_readers_see_the_dashboard_with_figures_charts_and_links(who, request, login, drafts):
    user = request.getfixturevalue(who)
    response = login(user).get(f"/reports/?year={THIS}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "应审尽审率（审查后公布 ÷ 公布）" in html and "50%" in html
    assert f"/reports/records/review.published/?year={THIS}" in html
    assert "vendor/echarts.min.js" in html and 'id="report-charts"' in html
    assert "annual.docx" in html and "export.xlsx" in html


@pytest.mark.parametrize("who", ["outsider", "clerk", "reviewer", "enterprise", "buyer", "examadmin"])
def test_everyone_else_is_refused(who, request, login):
    client = login(request.getfixturevalue(who))
    for url in [
        "/reports/",
        "/reports/export.xlsx",
        "/reports/annual.docx",
        "/reports/records/review.published/",
    ]:
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_login(client, db):
    for url in [
        "/reports/",
        "/reports/export.xlsx",
        "/reports/annual.docx",
        "/reports/records/review.published/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_a_bad_year_is_explained(director, login):
    response = login(director).get("/reports/?year=abc")
    assert response.status_code == 400
    assert "年度“abc”无效" in response.content.decode()


def test_the_excel_export_holds_every_figure_with_its_source(director, login, drafts):
    response = login(director).get(f"/reports/export.xlsx?year={THIS}&unit=法规科")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb["指标"].iter_rows(values_only=True))
    by_label = {r[1]: r for r in rows[1:]}
    assert by_label["送审文稿"][2] == 2  # d1 and d3 of 法规科
    assert "合法性审查台账" in by_label["送审文稿"][4]
    assert by_label["应审尽审率（审查后公布 ÷ 公布）"][2] == 50.0


def test_drill_down_lists_the_records_behind_a_figure(director, login, drafts):
    response = login(director).get(f"/reports/records/review.published/?year={THIS}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "规范性文件一" in html and "未经审查公布的文件" in html and "去年的文件" not in html
    assert f'href="/review/drafts/{drafts["d1"].pk}/"' in html


def test_an_unknown_figure_is_404(director, login):
    assert login(director).get("/reports/records/nope.nope/").status_code == 404


def test_leaders_see_staff_names_and_certificate_numbers(director, login, enforcement_staff):
    client = login(director)
    html = client.get(f"/reports/records/exams.certified/?year={THIS}").content.decode()
    assert "张三丰" in html and "ZF-0001" in html and "zhangsan" in html
    data = client.get(f"/reports/records/exams.certified/?year={THIS}&format=xlsx").content
    assert "张三丰" in sheet_text(data) and "ZF-0001" in sheet_text(data)


def test_supervisors_get_staff_lists_without_personal_data(supervisor, login, token_for, exam_results):
    client = login(supervisor)
    for key in [
        "exams.certified",
        "exams.share",
        "exams.attempts",
        "exams.trainings",
        "exams.certificates_expiring_next",
    ]:
        html = client.get(f"/reports/records/{key}/?year={THIS}").content.decode()
        exported = sheet_text(client.get(f"/reports/records/{key}/?year={THIS}&format=xlsx").content)
        api = client.get(f"/api/v1/reports/figures/{key}/records?year={THIS}", headers=token_for(supervisor))
        assert api.status_code == 200
        for shown in (html, exported, json.dumps(api.json(), ensure_ascii=False)):
            for secret in ["张三丰", "李四光", "ZF-0001", "ZF-0002", "zhangsan", "lisi"]:
                assert secret not in shown, (key, secret)
        assert api.json()["rows"], key
    # Masked names still show that there is a person behind each row.
    assert "张**" in client.get(f"/reports/records/exams.certified/?year={THIS}").content.decode()
    assert "执法证编号" not in client.get(f"/reports/records/exams.certified/?year={THIS}").content.decode()


def test_the_api_returns_the_figures_for_readers(director, token_for, drafts, client):
    response = client.get(f"/api/v1/reports/figures?year={THIS}&unit=法规科", headers=token_for(director))
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == THIS and body["unit"] == "法规科"
    figures = {f["key"]: f for f in body["figures"]}
    assert figures["review.submitted"]["value"] == 2
    assert figures["review.submitted"]["drilldown_url"].startswith("/reports/records/review.submitted/")


def test_the_api_refuses_outsiders_and_anonymous_callers(outsider, token_for, client):
    assert client.get("/api/v1/reports/figures", headers=token_for(outsider)).status_code == 403
    assert client.get("/api/v1/reports/figures").status_code == 401
    assert client.get("/api/v1/reports/figures/review.published/records").status_code == 401


def test_the_api_explains_a_bad_year(director, token_for, client):
    response = client.get("/api/v1/reports/figures?year=1900", headers=token_for(director))
    assert response.status_code == 400
    assert "超出范围" in response.json()["detail"]


def test_the_dashboard_says_which_sections_are_unavailable(director, login, monkeypatch, drafts):
    from fazhi.reports.figures import bidding

    def broken(ctx):
        raise LookupError("No installed app with label 'bidding'.")

    monkeypatch.setattr(bidding, "figures", broken)
    response = login(director).get(f"/reports/?year={THIS}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "以下板块的数据暂不可用：远程异地评标" in html
    assert "送审文稿" in html


def test_the_unit_choices_come_from_the_records(director, login, drafts):
    html = login(director).get(f"/reports/?year={THIS}").content.decode()
    for unit in ["区财政局", "法规科", "预算科"]:
        assert f'<option value="{unit}"' in html


def test_a_unit_no_record_names_is_refused_everywhere(director, login, token_for, client, drafts):
    browser = login(director)
    for url in ("/reports/", "/reports/annual.docx", "/reports/export.xlsx"):
        response = browser.get(url, {"year": THIS, "unit": "😀"})
        assert response.status_code == 400, url
        assert "不在本平台记录的单位中" in response.content.decode(), url
    api = client.get("/api/v1/reports/figures", {"year": THIS, "unit": "科"}, headers=token_for(director))
    assert api.status_code == 400 and "不在本平台记录的单位中" in api.json()["detail"]
    assert browser.get("/reports/", {"year": THIS, "unit": "法规科"}).status_code == 200
