"""惠企政策 Excel import with workbooks as Excel and WPS save them (hidden sheets, percent and date
cells, formulas), and the messages for files that are not a workbook."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from fazhi.core.errors import ValidationFailed
from fazhi.policies import excel
from fazhi.policies.models import Policy
from tests.fixtures import office as o

HEADERS = [h for h, _ in excel.COLUMNS]
COLUMN = {name: i for i, (_, name) in enumerate(excel.COLUMNS)}


def sheet_row(**values):
    row = [None] * len(HEADERS)
    for name, value in values.items():
        row[COLUMN[name]] = value
    return row


def saved(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_open_sheet_is_imported_not_a_hidden_one_in_front(sysadmin):
    wb = Workbook()
    lists = wb.active
    lists.title = "下拉选项"
    lists.append(["国家", "省", "市", "区"])
    lists.sheet_state = "hidden"
    ws = wb.create_sheet("政策清单")
    ws.append(HEADERS)
    ws.append(sheet_row(title="稳岗返还"))
    wb.active = 1
    report = excel.import_rows(saved(wb), actor=sysadmin)
    assert (report.created, report.errors) == (1, [])
    assert Policy.objects.get().title == "稳岗返还"


def test_percent_and_date_cells_read_as_typed(sysadmin):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append(
        sheet_row(
            title="研发费用补助",
            support_ratio=0.5,  # typed "50%": Excel keeps 0.5 in a percent cell
            published_date=dt.datetime(2026, 1, 5),
            effective_from="2026年1月5日",
            effective_to=46387,  # a date whose cell format was lost (2026-12-31)
            apply_start="2026/3/1",
            apply_end="2026.3.31",
        )
    )
    ws.cell(2, COLUMN["support_ratio"] + 1).number_format = "0%"
    ws.append(sheet_row(title="租金减免", support_ratio="30％"))
    report = excel.import_rows(saved(wb), actor=sysadmin)
    assert report.errors == []
    first = Policy.objects.get(title="研发费用补助")
    assert first.support_ratio == Decimal("50")
    assert (first.published_date, first.effective_from, first.effective_to) == (
        dt.date(2026, 1, 5),
        dt.date(2026, 1, 5),
        dt.date(2026, 12, 31),
    )
    assert (first.apply_start, first.apply_end) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert Policy.objects.get(title="租金减免").support_ratio == Decimal("30")


def test_formulas_are_read_by_their_value_and_error_values_are_reported(sysadmin):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append(sheet_row(title='=CONCATENATE("稳岗","补贴")', support_amount="=2*5"))
    ws.append(sheet_row(title="=VLOOKUP(1,A:A,2,0)"))
    title = f"{chr(ord('A') + COLUMN['title'])}"
    amount = f"{chr(ord('A') + COLUMN['support_amount'])}"
    data = o.with_cached_values(
        saved(wb),
        "xl/worksheets/sheet1.xml",
        {f"{title}2": "稳岗补贴", f"{amount}2": "10", f"{title}3": "#N/A"},
    )
    report = excel.import_rows(data, actor=sysadmin)
    assert report.errors == ["第3行：标题是公式的错误值（如 #N/A、#REF!），请改正公式或填写实际内容。"]
    assert not Policy.objects.exists()  # all or nothing


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (o.old_excel(), "旧版 Excel 97-2003（.xls）或 WPS 表格（.et）格式，请在 Excel 或 WPS 中“另存为”"),
        (o.encrypted_office(), "设置了打开密码"),
        ("标题*,发文机关\n稳岗补贴,区财政局\n".encode("gbk"), "是 CSV 或纯文本文件"),
    ],
)
def test_files_that_are_not_a_workbook_say_how_to_fix_them(sysadmin, data, words):
    with pytest.raises(ValidationFailed) as err:
        excel.import_rows(data, actor=sysadmin)
    assert words in err.value.message


def test_the_admin_page_shows_the_message_for_an_old_xls(login, sysadmin):
    upload = SimpleUploadedFile("政策.xlsx", o.old_excel())
    resp = login(sysadmin).post("/admin/policies/policy/excel/import/", {"file": upload})
    assert resp.status_code == 200
    assert "“另存为”Excel 工作簿（.xlsx）" in resp.content.decode()
    assert not Policy.objects.exists()
