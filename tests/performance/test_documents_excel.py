"""绩效目标表 import of tables drawn as the familiar forms are: 一级指标 merged over its indicators,
95% typed into a percent cell; and the exported tables' number formats."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from fazhi.core.errors import ValidationFailed
from fazhi.performance import excel
from fazhi.performance.models import Indicator
from tests.fixtures import office as o

from .conftest import ROWS


def filled_template(project) -> bytes:
    """The exported template filled in by hand: merged 一级指标/二级指标 cells, 95% as a percentage."""
    wb = load_workbook(io.BytesIO(excel.export_project(project)))
    ws = wb[excel.TARGET_SHEET]
    header = next(r for r in range(1, 40) if ws.cell(r, 1).value == "一级指标")
    ws.cell(header - 1, 2).value = "资助家庭经济困难学生 500 人。"
    for i, row in enumerate(ROWS, start=1):
        for c, value in enumerate(row, start=1):
            ws.cell(header + i, c).value = value
    # 产出 spans rows 1–4 of the table and 效益 rows 5–6, as drawn in the printed forms.
    for first, last in ((1, 4), (5, 6)):
        for r in range(first + 1, last + 1):
            ws.cell(header + r, 1).value = None
        ws.merge_cells(start_row=header + first, start_column=1, end_row=header + last, end_column=1)
    timely = ws.cell(header + 3, 5)
    timely.value, timely.number_format = 0.95, "0%"  # typed "95%": Excel stores 0.95
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_merged_level_one_cells_and_percent_cells_import_as_shown(project, clerk):
    excel.import_target(actor=clerk, project=project, data=filled_template(project))
    got = list(
        Indicator.objects.filter(target__project=project)
        .order_by("position")
        .values_list("level1", "target_value")
    )
    assert [g[0] for g in got] == ["产出", "产出", "产出", "产出", "效益", "效益", "满意度"]
    assert got[2][1] == "95%"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (o.old_excel(), "旧版 Excel 97-2003（.xls）或 WPS 表格（.et）格式"),
        (o.encrypted_office(), "设置了打开密码"),
        ("一级指标,目标值\n产出,500\n".encode(), "CSV"),
    ],
)
def test_files_that_are_not_the_workbook_say_how_to_fix_them(project, clerk, data, words):
    with pytest.raises(ValidationFailed, match=words):
        excel.import_target(actor=clerk, project=project, data=data)
    assert not Indicator.objects.filter(target__project=project).exists()


def test_a_workbook_that_unpacks_beyond_the_tables_size_is_refused(project, clerk):
    bomb = o.zip_bomb(excel.export_project(project), "xl/worksheets/sheet1.xml", 30)
    with pytest.raises(ValidationFailed, match="解压后超过 20 MB"):
        excel.import_target(actor=clerk, project=project, data=bomb)


def test_the_page_import_refuses_an_outsider(project, login, outsider):
    upload = SimpleUploadedFile("绩效目标表.xlsx", filled_template(project))
    resp = login(outsider).post(
        f"/performance/manage/projects/{project.pk}/import/", {"kind": "target", "file": upload}
    )
    assert resp.status_code in (403, 404)
    assert not Indicator.objects.filter(target__project=project).exists()


def test_exported_amounts_and_scores_carry_two_decimals(evaluated_project):
    wb = load_workbook(io.BytesIO(excel.export_project(evaluated_project)))
    ws = wb[excel.EVALUATION_SHEET]
    funds = next(r for r in range(1, 20) if ws.cell(r, 1).value == "项目资金（万元）")
    assert ws.cell(funds, 3).number_format == "#,##0.00"
    header = next(r for r in range(1, 40) if ws.cell(r, 1).value == "一级指标")
    assert ws.cell(header + 1, 9).number_format == "0.00"
