"""导入试题 refuses up front, on the form and with what to do, a file the import could never read (empty, not
a question file, an "Excel" file that is no workbook, a "JSON" file that is no JSON): no 后台任务 is queued
for it."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from fazhi.core.models import Job
from fazhi.core.uploads import OLE_MAGIC

pytestmark = pytest.mark.django_db
URL = "/exams/manage/import/"


def _zip(member: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(member, "<x/>")
    return buf.getvalue()


def _workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "试题"
    ws.append(["题型", "题干", "选项A", "选项B", "答案"])
    ws.append(["单选", "罚款属于哪一类行政行为", "行政处罚", "行政许可", "A"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00\x03", "文件“setup.exe”不是可导入的试题文件。只能导入JSON（.json，或每行一题的 .jsonl）或 Excel 工作簿（.xlsx）。"),
        ("题库.json", b"", "文件“题库.json”是空文件，请选择填写好的试题文件"),
        ("题库.xlsx", b" \r\n", "是空文件"),
        ("题库.xlsx", "题型,题干,答案\n单选,罚款属于,A\n".encode(), "文件“题库.xlsx”是 CSV 或纯文本文件，不是 Excel 工作簿。"),
        ("题库.xls", OLE_MAGIC + bytes(504), "另存为”Excel 工作簿（.xlsx）后重新上传"),
        ("题库.docx", _zip("word/document.xml"), "是 Word 文档，不是 Excel 工作簿"),
        ("题库.csv", b"a,b\n", "CSV 文件请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）"),
        ("题库.json", "单选题".encode("gbk"), "不是 UTF-8 编码的 JSON 文本"),
        ("题库.json", "题型：单选".encode(), "的内容不是 JSON 试题：应为以“[”开头的试题数组"),
    ],
)  # fmt: skip
def test_a_file_the_import_cannot_read_is_refused_on_the_form(login, examadmin, name, content, message):
    r = login(examadmin).post(URL, {"file": SimpleUploadedFile(name, content), "dry_run": "1"})
    html = r.content.decode()
    assert r.status_code == 400 and 'role="alert"' in html
    assert message in html, html[html.find('role="alert"') :][:300]
    assert not Job.objects.exists()


def test_a_workbook_and_json_lines_are_queued(login, examadmin):
    client = login(examadmin)
    assert client.post(URL, {"file": SimpleUploadedFile("题库.xlsx", _workbook())}).status_code == 302
    lines = "".join(
        f'{{"type": "判断", "stem": "判断{i}：罚款属于行政处罚", "answer": "对"}}\n' for i in (1, 2)
    )
    assert client.post(URL, {"file": SimpleUploadedFile("题库.jsonl", lines.encode())}).status_code == 302
    assert list(Job.objects.values_list("status", "error")) == [("done", ""), ("done", "")]


def test_the_form_names_the_accepted_files(login, examadmin):
    html = login(examadmin).get(URL).content.decode()
    assert 'accept=".json,.jsonl,.xlsx"' in html


def test_an_outsider_cannot_import(login, outsider):
    assert login(outsider).post(URL, {"file": SimpleUploadedFile("x.exe", b"MZ")}).status_code == 403
    assert not Job.objects.exists()
