"""起草自查 of a Word draft: the numbers Word draws are seen; unreadable Word files say why."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.fixtures import office as o
from tests.review.test_documents_uploads import numbered_draft

URL = "/api/v1/review/precheck"


def _post(client, content: bytes, headers):
    upload = SimpleUploadedFile("草案.docx", content, content_type="application/octet-stream")
    return client.post(URL, data={"file": upload, "doc_type": "政府采购文件"}, headers=headers)


def test_items_numbered_by_word_under_a_prohibition_are_not_flagged(client, clerk, token_for):
    resp = _post(client, numbered_draft(), token_for(clerk))
    assert resp.status_code == 200
    flagged = {f["quote"] for f in resp.json()["findings"]}
    assert not any("本区注册" in q or "本地业绩" in q for q in flagged), flagged


def test_tracked_deletions_are_not_checked_and_insertions_are():
    from fazhi.review.precheck.docx import docx_text

    body = o.p("投标人", o.deleted("须在本区注册"), o.ins("应当具备履行合同所必需的设备"), "。")
    assert docx_text(o.docx(body)) == "投标人应当具备履行合同所必需的设备。"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (o.encrypted_office(), "设置了打开密码"),
        (o.zip_bomb(o.docx(o.p("正文")), "word/document.xml", 300), "解压后超过 256 MB"),
    ],
)
def test_a_word_file_that_cannot_be_read_says_why(client, clerk, token_for, content, words):
    resp = _post(client, content, token_for(clerk))
    assert resp.status_code == 400
    assert words in resp.json()["detail"]


def test_an_outsider_cannot_check_an_upload(client, outsider, token_for):
    resp = _post(client, numbered_draft(), token_for(outsider))
    assert resp.status_code == 403
