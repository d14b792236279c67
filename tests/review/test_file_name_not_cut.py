"""原文件名 is kept whole: a name over its 255 characters is refused with the Chinese message and a hint to
rename the file, nothing stored (no version, no file); a name at the limit is kept as sent, through the
service, the draft page and the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fazhi.core.errors import ValidationFailed
from fazhi.review import services
from fazhi.review.models import DraftVersion

TEXT = "关于某事的通知\n第一条 正文。".encode()
LIMIT = DraftVersion._meta.get_field("original_name").max_length
REFUSAL = "文件名不能超过 255 个字（当前 300 个字），请将文件改名后重新上传。"


def _newest_name(draft) -> str:
    return draft.versions.order_by("-number").values_list("original_name", flat=True)[0]


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_the_limit_is_the_fields():
    assert LIMIT == 255


def test_an_over_long_file_name_is_refused_and_nothing_is_stored(clerk, make_draft):
    draft = make_draft()  # with its first version
    files_before = _stored_files()
    name = "关" * (300 - 4) + ".txt"
    with pytest.raises(ValidationFailed) as err:
        services.upload_version(user=clerk, draft_id=draft.pk, name=name, data=TEXT)
    assert err.value.message == REFUSAL
    assert draft.versions.count() == 1
    assert _stored_files() == files_before


def test_a_file_name_at_the_limit_is_kept_whole(clerk, make_draft):
    draft = make_draft()
    name = "关" * (LIMIT - 4) + ".txt"
    version = services.upload_version(user=clerk, draft_id=draft.pk, name=name, data=TEXT)
    assert DraftVersion.objects.get(pk=version.pk).original_name == name


def test_the_draft_page_keeps_a_name_at_the_limit_whole(clerk, make_draft, login):
    draft = make_draft()
    name = "页" * (LIMIT - 4) + ".txt"
    login(clerk).post(f"/review/drafts/{draft.pk}/upload/", {"file": SimpleUploadedFile(name, TEXT)})
    assert _newest_name(draft) == name


def test_the_page_shows_the_refusal_of_an_over_long_name(clerk, make_draft, login, monkeypatch):
    # Django shortens a name over 255 characters on receipt, so a browser's upload never carries one; a
    # refusal the service gives is shown on the page all the same, nothing stored.
    draft = make_draft()
    files_before = _stored_files()
    real = services.upload_version

    def as_if_longer(**kwargs):
        return real(**(kwargs | {"name": "关" * 296 + ".txt"}))

    monkeypatch.setattr(services, "upload_version", as_if_longer)
    page = login(clerk).post(
        f"/review/drafts/{draft.pk}/upload/", {"file": SimpleUploadedFile("通知.txt", TEXT)}, follow=True
    )
    assert REFUSAL in page.content.decode()
    assert draft.versions.count() == 1
    assert _stored_files() == files_before


def test_the_api_keeps_a_name_at_the_limit_whole_and_shows_the_refusal(
    clerk, make_draft, token_for, monkeypatch
):
    draft = make_draft()
    url = f"/api/v1/review/drafts/{draft.pk}/files"
    name = "接" * (LIMIT - 4) + ".txt"
    client = Client()
    saved = client.post(url, {"file": SimpleUploadedFile(name, TEXT)}, headers=token_for(clerk))
    assert saved.status_code == 201, saved.content
    assert _newest_name(draft) == name

    real = services.upload_version
    monkeypatch.setattr(services, "upload_version", lambda **kw: real(**(kw | {"name": "接" * 296 + ".txt"})))
    refused = client.post(
        url, {"file": SimpleUploadedFile("修改稿.txt", TEXT + b"\n")}, headers=token_for(clerk)
    )
    assert refused.status_code == 400
    assert refused.json()["detail"] == REFUSAL
    assert draft.versions.count() == 2
