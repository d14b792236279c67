"""Upload checks decide the type by content and enforce the size limits."""

from __future__ import annotations

import pytest

from fazhi.core import uploads
from fazhi.core.errors import ValidationFailed

from .conftest import JPEG, MP4, PDF, PNG, WEBM, docx_bytes


def test_mp4_and_webm_are_recognised_by_their_content(upload):
    assert uploads.check_video(upload("a.bin", MP4)) == "video/mp4"
    assert uploads.check_video(upload("clip", WEBM)) == "video/webm"


def test_a_renamed_image_or_text_is_refused_as_a_video(upload):
    with pytest.raises(ValidationFailed, match="不是 MP4 或 WebM 格式（检测到的实际类型：image/png）"):
        uploads.check_video(upload("fake.mp4", PNG, "video/mp4"))
    with pytest.raises(ValidationFailed, match="不是 MP4 或 WebM"):
        uploads.check_video(upload("notes.webm", b"just some text pretending", "video/webm"))


def test_a_video_over_the_size_limit_is_refused(upload, settings):
    settings.FAZHI_VIDEO_MAX_MB = 1
    big = upload("big.mp4", MP4 + b"\x00" * (1024 * 1024))
    with pytest.raises(ValidationFailed, match="超过 1.0 MB 的上限"):
        uploads.check_video(big)


def test_images_are_checked_by_content_and_size(upload, settings):
    assert uploads.check_image(upload("x.txt", PNG)) == "image/png"
    assert uploads.check_image(upload("poster", JPEG)) == "image/jpeg"
    with pytest.raises(ValidationFailed, match="不是 JPEG、PNG"):
        uploads.check_image(upload("evil.png", b"<svg onload=alert(1)>", "image/png"))
    settings.FAZHI_IMAGE_MAX_MB = 0
    with pytest.raises(ValidationFailed, match="上限"):
        uploads.check_image(upload("x.png", PNG))


def test_materials_accept_pdf_docx_and_images_but_not_other_zips(upload):
    assert uploads.check_material(upload("a", PDF)) == "application/pdf"
    assert uploads.check_material(upload("b", docx_bytes())).endswith("wordprocessingml.document")
    assert uploads.check_material(upload("c", JPEG)) == "image/jpeg"
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("payload.exe", "MZ")
    with pytest.raises(ValidationFailed, match="不是 PDF、Word"):
        uploads.check_material(upload("report.docx", buf.getvalue()))
