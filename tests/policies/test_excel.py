"""Excel template import/export: per-row errors, all-or-nothing, permissions."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from fazhi.core.errors import PermissionDenied, ValidationFailed
from fazhi.policies import excel
from fazhi.policies.models import Policy


def workbook(rows: list[dict[str, object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    headers = [h for h, _ in excel.COLUMNS]
    ws.append(headers)
    by_field = {name: i for i, (_, name) in enumerate(excel.COLUMNS)}
    for values in rows:
        row: list[object] = [None] * len(headers)
        for name, value in values.items():
            row[by_field[name]] = value
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_template_has_every_column():
    wb = load_workbook(io.BytesIO(excel.template()))
    assert [c.value for c in wb.active[1]] == [h for h, _ in excel.COLUMNS]


def test_valid_rows_are_imported_and_updated_by_external_id(sysadmin):
    data = workbook(
        [
            {
                "external_id": "x-1",
                "title": "稳岗补贴",
                "level": "区",
                "sizes": "小型、微型",
                "industries": "C、制造业",
                "apply_end": "2026-05-01",
            },
            {"title": "房租减免", "support_types": "租金减免"},
        ]
    )
    report = excel.import_rows(data, actor=sysadmin)
    assert (report.created, report.updated, report.errors) == (2, 0, [])
    policy = Policy.objects.get(external_id="x-1")
    assert policy.level == "district" and policy.sizes == ["小型", "微型"] and policy.industries == ["C", "C"]
    again = excel.import_rows(workbook([{"external_id": "x-1", "title": "稳岗补贴（修订）"}]), actor=sysadmin)
    assert again.updated == 1
    assert Policy.objects.get(external_id="x-1").title == "稳岗补贴（修订）"


def test_row_errors_name_the_row_and_nothing_is_saved(sysadmin):
    data = workbook(
        [
            {"title": "正确的一行"},
            {"title": "", "issuer": "区财政局"},
            {"title": "规模写错", "sizes": "特大型"},
            {"title": "日期写错", "apply_end": "明年"},
            {"title": "期限颠倒", "apply_start": "2026-05-01", "apply_end": "2026-04-01"},
        ]
    )
    report = excel.import_rows(data, actor=sysadmin)
    assert report.errors == [
        "第3行：标题不能为空。",
        "第4行：企业规模“特大型”无效，应为：大型、中型、小型、微型。",
        "第5行：申报截止“明年”不是有效日期，请写成 2020-02-05。",
        "第6行：申报期的开始日期晚于结束日期。",
    ]
    assert Policy.objects.count() == 0


def test_a_file_that_is_not_excel_is_refused(sysadmin):
    with pytest.raises(ValidationFailed, match="不是 Excel"):
        excel.import_rows(b"%PDF-1.4 not a workbook", actor=sysadmin)


def test_an_outsider_cannot_import(outsider):
    with pytest.raises(PermissionDenied):
        excel.import_rows(workbook([{"title": "x"}]), actor=outsider)


def test_export_round_trips(sysadmin):
    excel.import_rows(
        workbook([{"external_id": "x-9", "title": "出口退税", "themes": "外贸"}]), actor=sysadmin
    )
    wb = load_workbook(io.BytesIO(excel.export(Policy.objects.all())))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[1][0] == "x-9" and rows[1][1] == "出口退税"


def test_the_admin_import_page_shows_row_errors(login, sysadmin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(sysadmin)
    upload = SimpleUploadedFile("p.xlsx", workbook([{"title": "x", "level": "乡"}]))
    resp = client.post("/admin/policies/policy/excel/import/", {"file": upload}, follow=True)
    assert resp.redirect_chain[-1][0].startswith("/jobs/")  # the import ran as a 后台任务; its page reports
    page = resp.content.decode()
    assert "第2行：层级“乡”无效" in page and "未完成" in page and "未导入任何数据" in page


def test_the_admin_excel_pages_refuse_an_outsider(login, outsider):
    resp = login(outsider).get("/admin/policies/policy/excel/template/")
    assert resp.status_code == 302 and "/admin/login/" in resp["Location"]
