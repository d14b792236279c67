"""Excel exports with control characters in the text (a filter typed or pasted with them, a name copied from
another system): the characters are dropped and the file is made, instead of a 500 from openpyxl."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from fazhi.core import roles
from fazhi.core.services import ensure_user
from fazhi.core.spreadsheets import safe_row, sheet_text
from fazhi.exams.models import Qualification, StaffProfile
from fazhi.exams.services import gaps, specialists

EXPORTS = ["/exams/qualifications.xlsx", "/exams/certificates/gaps.xlsx"]


def test_sheet_text_drops_what_openpyxl_refuses_and_keeps_the_rest():
    assert sheet_text("\x00法规\x01科\x0b\x1f") == "法规科"
    assert sheet_text("第一行\n第二行\t=1") == "第一行\n第二行\t=1"  # line breaks and tabs are fine in a cell
    assert [sheet_text(v) for v in (3, None, dt.date(2026, 1, 5))] == [3, None, dt.date(2026, 1, 5)]


def test_a_sheet_title_also_loses_the_characters_excel_forbids_in_sheet_names():
    assert sheet_text("法规科[2026]: a*b?c/d\\e\x00", title=True) == "法规科2026 abcde"
    assert sheet_text("很" * 40, title=True) == "很" * 31
    assert sheet_text("[]:*?/\\\x01", title=True) == "Sheet"


def test_a_row_with_control_characters_and_a_formula_is_written_as_plain_text():
    from openpyxl import Workbook

    ws = Workbook().active
    ws.append(safe_row(ws, ['=HYPERLINK(\x00"x")', "法规\x01科", 7]))
    assert [c.value for c in ws[1]] == ['=HYPERLINK("x")', "法规科", 7]
    assert ws["A1"].data_type == "s"  # still text, not a formula


def _first_cell(content: bytes) -> str:
    return load_workbook(io.BytesIO(content)).worksheets[0]["A1"].value


@pytest.mark.django_db
@pytest.mark.parametrize("url", EXPORTS)
def test_a_department_filter_with_control_characters_still_exports(url, login, director, outsider):
    r = login(director).get(url, {"department": "\x01法规科\x0b", "on": "2026-06-30"})
    assert r.status_code == 200
    assert _first_cell(r.content).startswith("法规科 ")
    assert login(outsider).get(url, {"department": "\x01"}).status_code == 403


def test_a_nul_in_the_department_leaves_no_trace_in_either_workbook():
    # Built directly: a NUL cannot be sent to PostgreSQL as a filter (the request is refused earlier there).
    on = dt.date(2026, 6, 30)
    found = specialists.SpecialistList(on, "\x00", [], specialists.DepartmentRow("合计"), [])
    assert _first_cell(specialists.export_xlsx(found)).startswith(" 法律专业人员")
    gap_list = gaps.GapList(on=on, department="\x00法规科", enforcement_staff=0, people=[])
    assert _first_cell(gaps.export_xlsx(gap_list)).startswith("法规科 未持有效执法证")


@pytest.mark.django_db
def test_names_stored_with_control_characters_are_exported_without_them(login, director):
    user = ensure_user(username="vt_user", display_name="王\x0b五", role_names=[roles.STAFF_MEMBER],
                       password="x-pass-2026")  # fmt: skip
    profile = StaffProfile.objects.create(user=user, department="法规\x07科", post="科员\x1f")
    Qualification.objects.create(profile=profile, kind="legal_a", number="A2023\x0b001",
                                 obtained_on=dt.date(2023, 11, 1))  # fmt: skip
    r = login(director).get("/exams/qualifications.xlsx", {"on": "2026-06-30"})
    rows = list(load_workbook(io.BytesIO(r.content))["法律专业人员"].iter_rows(min_row=3, values_only=True))
    assert rows[0][:6] == ("王五", "vt_user", "法规科", "科员", "法律职业资格（A证）", "A2023001")
