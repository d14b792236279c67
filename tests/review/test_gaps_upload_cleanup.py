"""A version that is not kept leaves no file behind in MEDIA_ROOT (refused, rolled back or failed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError

from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.review import services
from fazhi.review.models import DraftVersion
from fazhi.review.services import drafts as draft_services


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _upload(clerk, draft, text: str = "关于某事的通知\n第一条 正文。"):
    return services.upload_version(user=clerk, draft_id=draft.pk, name="通知.txt", data=text.encode())


def test_a_kept_version_keeps_its_file(clerk, make_draft):
    draft = make_draft()
    version = _upload(clerk, draft)
    assert _stored_files() == [Path(settings.MEDIA_ROOT) / version.file.name]


def test_a_failure_after_the_file_was_written_removes_it(clerk, make_draft, monkeypatch):
    draft = make_draft()
    before = draft.versions.count()

    def fail(version):
        raise RuntimeError("database went away")

    monkeypatch.setattr(draft_services, "run_precheck", fail)  # where _store_version looks it up
    with pytest.raises(RuntimeError):
        _upload(clerk, draft)
    assert draft.versions.count() == before
    assert _stored_files() == []


def test_a_version_number_taken_meanwhile_removes_the_file(clerk, make_draft, monkeypatch):
    draft = make_draft()
    original_save = DraftVersion.save

    def taken(self, *args, **kwargs):
        if self.pk is None:  # another upload committed the same number first
            raise IntegrityError("UNIQUE constraint failed: review_version_unique_number")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(DraftVersion, "save", taken)
    with pytest.raises(IntegrityError):
        _upload(clerk, draft)
    assert _stored_files() == []


def test_refused_uploads_store_nothing(clerk, other_drafter, make_draft):
    draft = make_draft()
    with pytest.raises(ValidationFailed):
        services.upload_version(user=clerk, draft_id=draft.pk, name="通知.txt", data=b"")
    with pytest.raises(ValidationFailed):
        services.upload_version(user=clerk, draft_id=draft.pk, name="通知.exe", data=b"MZ\x90\x00")
    with pytest.raises(Exception, match="起草人本人"):
        _upload(other_drafter, draft)
    assert _stored_files() == []
    first = _upload(clerk, draft)
    with pytest.raises(Conflict):
        _upload(clerk, draft)  # the same file again
    assert _stored_files() == [Path(settings.MEDIA_ROOT) / first.file.name]


def test_the_upload_page_leaves_no_file_when_the_version_fails(login, clerk, make_draft, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = make_draft()

    def fail(version):
        raise IntegrityError("simulated")

    monkeypatch.setattr(draft_services, "run_precheck", fail)  # where _store_version looks it up
    upload = SimpleUploadedFile("通知.txt", "关于某事\n正文".encode(), content_type="text/plain")
    client = login(clerk)
    client.raise_request_exception = False
    resp = client.post(f"/review/drafts/{draft.pk}/upload/", {"file": upload})
    assert resp.status_code == 500  # an unexpected database error: the page fails, the file is gone
    assert draft.versions.count() == 1  # the version make_draft added, no new one
    assert _stored_files() == []
