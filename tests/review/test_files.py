"""Uploads: type by content, text extracted, refusals with a clear message and nothing stored."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.errors import ValidationFailed
from fazhi.review import files
from fazhi.review.models import DraftVersion

from .conftest import docx_bytes, pdf_bytes


def test_docx_text_is_extracted_paragraph_by_paragraph():
    out = files.extract("通知.docx", docx_bytes(["第一段", "第二段"]))
    assert out.kind == "docx"
    assert out.text == "第一段\n第二段"


def test_pdf_text_is_extracted():
    out = files.extract("notice.pdf", pdf_bytes(["Article 1 budget law", "Article 2"]))
    assert out.kind == "pdf"
    assert "Article 1 budget law" in out.text


def test_gb18030_text_is_decoded():
    out = files.extract("说明.txt", "财政专项资金".encode("gb18030"))
    assert out.text == "财政专项资金"


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("假的.docx", pdf_bytes(["x"]), "内容实际是PDF 文件"),
        ("假的.pdf", docx_bytes(["x"]), "内容实际是Word 文档"),
        ("假的.txt", docx_bytes(["x"]), "内容实际是Word 文档"),
        ("假的.docx", "纯文本".encode(), "内容实际是纯文本文件"),
        ("图片.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "内容实际是图片（PNG），"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(name, data, words):
    with pytest.raises(ValidationFailed) as err:
        files.extract(name, data)
    assert words in err.value.message
    assert "与文件名不符" in err.value.message


def test_other_extensions_and_empty_or_huge_files_are_refused():
    with pytest.raises(ValidationFailed, match="只接受"):
        files.extract("a.doc", b"\xd0\xcf\x11\xe0rest")
    with pytest.raises(ValidationFailed, match="空文件"):
        files.extract("a.txt", b"")
    with pytest.raises(ValidationFailed, match="超过 20 MB"):
        files.extract("a.txt", b"a" * (20 * 1024 * 1024 + 1))


def test_a_blank_scan_is_refused_because_it_has_no_text():
    with pytest.raises(ValidationFailed, match="未能从文件"):
        files.extract("扫描件.pdf", pdf_bytes([]))


def test_a_mislabeled_upload_through_the_api_stores_nothing(clerk, make_draft, token_for, settings):
    draft = make_draft()
    before = DraftVersion.objects.count()
    upload = SimpleUploadedFile("通知.docx", pdf_bytes(["hello"]), content_type="application/vnd.openxml")
    r = token_for(clerk)
    from django.test import Client

    resp = Client().post(f"/api/v1/review/drafts/{draft.pk}/files", {"file": upload}, headers=r)
    assert resp.status_code == 400
    assert "与文件名不符" in resp.json()["detail"]
    assert DraftVersion.objects.count() == before
    media = settings.MEDIA_ROOT / "review"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_real_docx_upload_creates_a_new_version_with_its_text(clerk, make_draft, token_for):
    from django.test import Client

    draft = make_draft()
    upload = SimpleUploadedFile("修改稿.docx", docx_bytes(["第一条 修改后的内容。", "第二条 其他。"]))
    resp = Client().post(
        f"/api/v1/review/drafts/{draft.pk}/files", {"file": upload, "note": "修改"}, headers=token_for(clerk)
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["version"] == 2 and body["kind"] == "docx" and body["state"] == "起草"
    version = DraftVersion.objects.get(draft=draft, number=2)
    assert version.text == "第一条 修改后的内容。\n第二条 其他。"
    assert version.note == "修改"
    with version.file.open("rb") as fh:
        assert fh.read(2) == b"PK"
