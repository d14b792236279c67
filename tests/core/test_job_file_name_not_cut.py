"""A 后台任务's 原文件名 is kept whole: over its 255 characters the job is refused with the Chinese message and
a hint to rename the file, no job and no file stored; at the limit the name is kept as sent."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from fazhi.core import jobs
from fazhi.core.errors import ValidationFailed
from fazhi.core.models import Job

pytestmark = pytest.mark.django_db
KIND = "tests.file_name_kind"
LIMIT = Job._meta.get_field("file_name").max_length


@pytest.fixture
def kind():
    jobs.register(jobs.Kind(KIND, title="测试任务", run=lambda job, progress: jobs.Outcome(summary="完成。")))
    yield KIND
    jobs._kinds.pop(KIND, None)


@pytest.fixture
def actor(db):
    return get_user_model().objects.create_user("job-starter", password="pw-12345678")


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_an_over_long_file_name_is_refused_and_no_job_is_made(kind, actor):
    # Not an UploadedFile: Django shortens a received upload's name to 255 characters itself.
    upload = ContentFile(b"[]", name="名" * 295 + ".json")
    with pytest.raises(ValidationFailed) as err:
        jobs.start(kind, actor=actor, upload=upload)
    assert err.value.message == "文件名不能超过 255 个字（当前 300 个字），请将文件改名后重新上传。"
    assert not Job.objects.exists()
    assert _stored_files() == []


def test_a_file_name_at_the_limit_is_kept_whole(kind, actor):
    name = "名" * (LIMIT - 5) + ".json"
    job = jobs.start(kind, actor=actor, upload=ContentFile(b"[]", name=name))
    assert Job.objects.get(pk=job.pk).file_name == name
