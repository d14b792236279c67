"""题库 Excel import: a hidden sheet (an old copy, a lookup list) is never imported by mistake."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from fazhi.core.errors import ValidationFailed
from fazhi.exams.models import Question
from fazhi.exams.services import question_files
from tests.fixtures import office as o

HEADER = ["题型", "题干", "选项A", "选项B", "答案"]


def _xlsx(*sheets: tuple[str, list[list], str], active: int | None = None) -> bytes:
    """Sheets given as (title, rows, state); `active` is the sheet open when the file was saved."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows, state in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        ws.sheet_state = state
    if active is not None:
        wb.active = active
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


OLD = ("旧题", [HEADER, ["单选题", "已作废的旧题", "甲", "乙", "A"]], "hidden")
NEW = ("Sheet1", [HEADER, ["单选题", "本年度新题：罚款属于", "行政处罚", "行政强制", "A"]], "visible")


def _stems(content: bytes) -> list[str]:
    return [row["stem"] for _, row in question_files.parse_excel(content)]


def test_a_hidden_first_sheet_is_skipped_for_the_first_visible_one():
    assert _stems(_xlsx(OLD, NEW, active=1)) == ["本年度新题：罚款属于"]


def test_a_hidden_first_sheet_is_skipped_even_when_it_was_the_active_one():
    # Excel cannot save a hidden sheet as the active one, but other writers can.
    assert _stems(_xlsx(OLD, NEW, active=0)) == ["本年度新题：罚款属于"]


def test_a_sheet_named_试题_is_read_wherever_it_stands():
    notes = ("填写说明", [["请在“试题”工作表中填写"]], "visible")
    questions = ("试题", [HEADER, ["判断题", "罚款属于行政处罚", "", "", "正确"]], "visible")
    assert _stems(_xlsx(notes, questions, active=0)) == ["罚款属于行政处罚"]


def test_a_workbook_with_only_hidden_sheets_is_refused():
    # openpyxl will not save such a file (Excel neither); other tools do, so hide the last sheet by hand.
    content = _xlsx(OLD, NEW, active=1)
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        workbook = zf.read("xl/workbook.xml").decode()
    hidden = workbook.replace('state="visible"', 'state="hidden"')
    assert hidden != workbook
    with pytest.raises(ValidationFailed, match="没有可见的工作表"):
        question_files.parse_excel(o.replace_part(content, "xl/workbook.xml", hidden.encode()))


def test_numbers_in_cells_read_as_shown():
    sheet = ("Sheet1", [[*HEADER, "难度"], ["单选题", "某题", 100, 200.0, "A", 3.0]], "visible")
    (_, row), *_ = question_files.parse_excel(_xlsx(sheet))
    assert row["options"] == {"A": "100", "B": "200"} and row["difficulty"] == "3"


def test_old_and_locked_workbooks_say_what_to_do():
    with pytest.raises(ValidationFailed, match="另存为"):
        question_files.parse_upload(o.old_excel())
    with pytest.raises(ValidationFailed, match="设置了打开密码"):
        question_files.parse_upload(o.encrypted_office())


def test_the_import_page_imports_the_visible_sheet_only(examadmin, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("题库.xlsx", _xlsx(OLD, NEW, active=1))
    resp = login(examadmin).post("/exams/manage/import/", {"file": upload}, follow=True)
    assert "共 1 行，新增 1 题" in resp.content.decode()
    assert list(Question.objects.values_list("stem", flat=True)) == ["本年度新题：罚款属于"]
