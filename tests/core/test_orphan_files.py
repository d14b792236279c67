"""`fazhi files orphans`: uploaded files no record names are listed, and removed only with --delete and
only when old enough; files that records name are never touched."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from fazhi.core import files
from fazhi.policies.models import Policy, PolicyAttachment

DAY = 24 * 3600


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("files_orphans", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def media(settings, db):
    policy = Policy.objects.create(title="某惠企政策", full_text="正文")
    kept = PolicyAttachment(policy=policy, title="申报表")
    kept.file.save("apply.docx", ContentFile(b"PK-form"), save=True)
    root = Path(settings.MEDIA_ROOT)
    _age(root / kept.file.name, 3 * DAY)
    old = root / "review" / "2026" / "01" / "draft9-v2.docx"  # left behind by a rolled-back upload
    old.parent.mkdir(parents=True)
    old.write_bytes(b"x" * 2048)
    _age(old, 2 * DAY)
    fresh = root / "review" / "2026" / "01" / "draft9-v3.docx"  # its transaction may still be running
    fresh.write_bytes(b"y")
    return root, kept, old, fresh


def test_orphans_are_listed_and_removed_only_on_request(media):
    root, kept, old, fresh = media
    assert [o.name for o in files.find_orphans()] == ["review/2026/01/draft9-v2.docx"]
    listing = _run()
    assert (
        "review/2026/01/draft9-v2.docx" in listing and "2.0 KB" in listing and "加 --delete 删除" in listing
    )
    assert old.exists()
    done = _run("--delete")
    assert "已删除 1 个文件，释放 2.0 KB" in done
    assert not old.exists() and fresh.exists() and (root / kept.file.name).exists()
    assert "没有无人引用的上传文件" in _run()


def test_a_file_named_by_a_record_meanwhile_is_not_deleted(media):
    root, kept, old, fresh = media
    found = files.find_orphans()
    PolicyAttachment.objects.filter(pk=kept.pk).update(file="review/2026/01/draft9-v2.docx")
    assert files.delete_orphans(found) == (0, 0)
    assert old.exists()


def test_a_too_short_age_is_refused(media):
    with pytest.raises(CommandError, match="不能小于 1"):
        _run("--delete", "--hours", "0")
    assert media[2].exists() and media[3].exists()
