"""导入试题 refused up front: the message is about the whole file, not one field, so it is marked
data-form-error and form-errors.js puts the focus on it (GB/T 37668-2019 / WCAG 3.3.1)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db


def test_the_refusal_of_an_unreadable_file_takes_the_focus(login, examadmin):
    r = login(examadmin).post(
        "/exams/manage/import/", {"file": SimpleUploadedFile("setup.exe", b"MZ\x90\x00"), "dry_run": "1"}
    )
    assert r.status_code == 400
    assert re.search(r'<p class="error" role="alert" data-form-error>文件“setup.exe”', r.content.decode())
