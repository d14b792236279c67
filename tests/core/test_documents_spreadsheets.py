"""Reading .xlsx uploads as Excel and WPS store them, and naming downloads; the shared pieces."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from fazhi.core import spreadsheets, uploads
from fazhi.core.downloads import download
from fazhi.core.errors import ValidationFailed
from tests.fixtures import office as o


def _xlsx(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_old_office_files_are_told_apart_by_content():
    assert uploads.ole_kind(o.encrypted_office()) == "encrypted"
    assert uploads.ole_kind(o.old_word()) == "word"
    assert uploads.ole_kind(o.wps_document()) == "word"
    assert uploads.ole_kind(o.old_excel()) == "excel"
    assert uploads.ole_kind(b"PK\x03\x04") is None


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "是空文件"),
        (o.old_excel(), "旧版 Excel 97-2003（.xls）或 WPS 表格（.et）格式，请在 Excel 或 WPS 中“另存为”"),
        (o.encrypted_office(), "设置了打开密码，系统无法读取。请在 Excel 或 WPS 表格 中打开，取消密码"),
        ("姓名,身份证号\n张三,110101199003074578\n".encode("gbk"), "是 CSV 或纯文本文件，不是 Excel 工作簿"),
        (b"%PDF-1.7 ...", "是 PDF 文件，不是 Excel 工作簿"),
        (o.docx(o.p("x")), "是 Word 文档，不是 Excel 工作簿"),
        (b"PK\x03\x04 damaged", "已损坏，无法打开"),
    ],
)
def test_anything_but_a_readable_xlsx_is_refused_with_what_to_do(data, words):
    with pytest.raises(ValidationFailed) as err:
        spreadsheets.open_workbook(data, name="专家.xlsx")
    assert words in err.value.message
    assert "“专家.xlsx”" in err.value.message or not data


def test_an_xlsx_that_would_unpack_to_hundreds_of_megabytes_is_refused():
    bomb = o.zip_bomb(_xlsx(Workbook()), "xl/worksheets/sheet1.xml", 300)
    with pytest.raises(ValidationFailed, match="解压后超过 256 MB"):
        spreadsheets.open_workbook(bomb)
    with pytest.raises(ValidationFailed, match="解压后超过 1 MB"):
        spreadsheets.open_workbook(
            o.zip_bomb(_xlsx(Workbook()), "xl/worksheets/sheet1.xml", 2), max_unpacked=1 << 20
        )


def test_the_data_sheet_is_the_open_visible_one_never_a_hidden_list():
    wb = Workbook()
    lists = wb.active
    lists.title = "下拉选项"
    lists.sheet_state = "hidden"
    data = wb.create_sheet("专家名单")
    data["A1"] = "姓名"
    wb.active = 1
    opened = spreadsheets.open_workbook(_xlsx(wb))
    assert spreadsheets.data_sheet(opened).title == "专家名单"
    assert spreadsheets.data_sheet(opened, "下拉选项").title == "下拉选项"  # asked for by name
    only_hidden = Workbook()
    only_hidden.create_sheet("另一张")
    only_hidden.active.sheet_state = "hidden"
    only_hidden.active = 1
    opened = spreadsheets.open_workbook(_xlsx(only_hidden))
    assert spreadsheets.data_sheet(opened).title == "另一张"


def test_cells_read_as_the_user_sees_them():
    wb = Workbook()
    ws = wb.active
    ws.append(
        [12.0, 0.1 + 0.2, 0.95, dt.datetime(2026, 3, 1), dt.datetime(2026, 3, 1, 9, 30), " 文字\u3000", True]
    )
    ws["C1"].number_format = "0%"
    ws["A2"] = "=1+1"
    data = o.with_cached_values(_xlsx(wb), "xl/worksheets/sheet1.xml", {"A2": "2"})
    sheet = spreadsheets.open_workbook(data, read_only=False).active
    assert [spreadsheets.cell_text(c) for c in sheet[1]] == [
        "12",
        "0.3",  # Excel shows 15 significant digits, not 0.30000000000000004
        "95%",  # typed as 95%, stored as 0.95
        "2026-03-01",
        "2026-03-01 09:30",
        "文字",
        "是",
    ]
    assert spreadsheets.cell_text(sheet["A2"]) == "2"  # the formula's value, not "=1+1"


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2026, 3, 1),
        dt.date(2026, 3, 1),
        46082,  # a date cell whose format was lost: Excel's serial number
        "2026年3月1日",
        "2026 年 3 月 1 日",
        "２０２６年３月１日",
        "2026-3-1",
        "2026/03/01",
        "2026.3.1",
        "20260301",
        "2026-03-01 00:00:00",
    ],
)
def test_dates_in_the_forms_people_type_them(value):
    assert spreadsheets.cell_date(value) == dt.date(2026, 3, 1)


@pytest.mark.parametrize("value", ["2026年2月30日", "下月初", "12", 3.5, None, ""])
def test_what_is_not_a_date_is_left_for_the_caller_to_report(value):
    assert spreadsheets.cell_date(value) is None


def test_a_merged_cell_is_seen_in_every_cell_it_covers():
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "产出指标"
    ws.merge_cells("A1:A3")
    sheet = load_workbook(io.BytesIO(_xlsx(wb))).active
    seen = spreadsheets.merged_reader(sheet)
    assert [seen(r, 1, sheet.cell(r, 1).value) for r in (1, 2, 3, 4)] == ["产出指标"] * 3 + [None]


def test_a_download_name_with_a_slash_stays_one_valid_header():
    response = download(b"x", "审查意见书-关于甲/乙的通知.docx", "application/octet-stream")
    header = response["Content-Disposition"]
    assert "/" not in header.split("filename*=", 1)[1]
    assert header.endswith("%2F%E4%B9%99%E7%9A%84%E9%80%9A%E7%9F%A5.docx")
