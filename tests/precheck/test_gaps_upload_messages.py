"""起草自查 of an uploaded file: the reader's own reason reaches the drafter, and an empty document is
told apart from a damaged one."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.errors import ValidationFailed
from fazhi.review.precheck import services
from tests.fixtures import office as o

URL = "/api/v1/review/precheck"
DAMAGED = "无法读取该 .docx 文件，文件可能已损坏"  # the one message every failure used to get


def _post(client, content: bytes, headers, name: str = "草案.docx"):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(URL, data={"file": upload, "doc_type": "政府采购文件"}, headers=headers)


def _broken_body() -> bytes:
    """A real .docx whose main part is not well-formed XML (Word would offer to repair it)."""
    return o.replace_part(o.docx(o.p("正文")), "word/document.xml", b"<w:document><w:body><w:p>")


def test_a_damaged_document_gets_the_readers_message_naming_the_file(client, clerk, token_for):
    resp = _post(client, _broken_body(), token_for(clerk), name="采购文件.docx")
    assert resp.status_code == 400
    detail = resp.json()["detail"]
    assert "文件“采购文件.docx”已损坏，无法读取其内容" in detail
    assert "另存为" in detail and DAMAGED not in detail


def test_an_old_word_file_is_told_to_save_as_docx(client, clerk, token_for):
    resp = _post(client, o.old_word(), token_for(clerk), name="通知.doc")
    assert resp.status_code == 400
    assert "文件“通知.doc”是旧版 Word 97-2003（.doc）或 WPS 文字（.wps）格式" in resp.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [o.p(""), o.p("   "), o.table([["", ""]])],
    ids=["empty paragraph", "only spaces", "empty table"],
)
def test_a_document_without_text_gets_its_own_message(client, clerk, token_for, body):
    resp = _post(client, o.docx(body), token_for(clerk))
    assert resp.status_code == 400
    detail = resp.json()["detail"]
    assert detail.startswith("文件中没有可读的正文")
    assert "不能为空" not in detail and "损坏" not in detail


def test_the_self_check_page_shows_the_same_message_and_nothing_is_checked(login, clerk):
    upload = SimpleUploadedFile("空白.docx", o.docx(o.p("")), content_type="application/octet-stream")
    resp = login(clerk).post("/review/precheck/", {"file": upload, "doc_type": "合同", "text": ""})
    assert resp.status_code == 400
    page = resp.content.decode()
    assert "文件中没有可读的正文" in page and "不能为空" not in page


def test_an_unforeseen_reader_failure_still_gets_a_chinese_message(monkeypatch):
    def explode(data, *, name="", notes=True):
        raise RuntimeError("boom")

    monkeypatch.setattr(services.reader, "text", explode)
    with pytest.raises(ValidationFailed, match="文件可能已损坏"):
        services.text_from_upload(data=o.docx(o.p("正文")), name="a.docx")


def test_a_readable_document_is_still_checked(client, clerk, token_for):
    resp = _post(client, o.docx(o.p("投标人须在本区注册。")), token_for(clerk))
    assert resp.status_code == 200
    assert any("本区注册" in f["quote"] for f in resp.json()["findings"])
