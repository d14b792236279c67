"""合法性审查 forms sent twice (a double click, a resent request): the second adds nothing and says so."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.errors import Conflict
from fazhi.review import opinions, services
from fazhi.review.models import DraftVersion, OpinionFinding, ProcedureRecord
from tests.review.conftest import DRAFT_TEXT

pytestmark = pytest.mark.django_db


def test_the_same_file_uploaded_twice_makes_one_version(clerk):
    draft = services.create_draft(user=clerk, title="资金管理办法", doc_type="contract", unit="预算科")
    data = DRAFT_TEXT.encode()
    services.upload_version(user=clerk, draft_id=draft.pk, name="稿.txt", data=data)
    with pytest.raises(Conflict, match="与第1稿完全相同.*请勿重复提交"):
        services.upload_version(user=clerk, draft_id=draft.pk, name="稿.txt", data=data)
    assert DraftVersion.objects.filter(draft=draft).count() == 1
    # A changed text is a new version.
    services.upload_version(
        user=clerk, draft_id=draft.pk, name="稿.txt", data=data + "第四条 补充。".encode()
    )
    assert DraftVersion.objects.filter(draft=draft).count() == 2


def test_the_same_upload_page_sent_twice_shows_the_refusal(clerk, login):
    draft = services.create_draft(user=clerk, title="资金管理办法", doc_type="contract", unit="预算科")
    c = login(clerk)
    for _ in range(2):
        r = c.post(
            f"/review/drafts/{draft.pk}/upload/",
            {"file": SimpleUploadedFile("稿.txt", DRAFT_TEXT.encode(), "text/plain")},
            follow=True,
        )
    assert "请勿重复提交" in r.content.decode()
    assert DraftVersion.objects.filter(draft=draft).count() == 1


def test_the_same_finding_added_twice_is_refused(make_draft, reviewer):
    draft = make_draft("in_review")
    opinions.add_finding(user=reviewer, draft_id=draft.pk, paragraph=3, text="删除纳税年限")
    with pytest.raises(Conflict, match="已添加相同的审查意见（第1条）"):
        opinions.add_finding(user=reviewer, draft_id=draft.pk, paragraph=3, text="删除纳税年限")
    opinions.add_finding(
        user=reviewer, draft_id=draft.pk, paragraph=2, text="删除纳税年限"
    )  # another paragraph
    assert OpinionFinding.objects.filter(opinion__draft=draft).count() == 2


def test_the_same_procedure_recorded_twice_is_refused(make_draft, clerk):
    draft = make_draft()
    draft.procedures.all().delete()
    args = dict(
        user=clerk, draft_id=draft.pk, step="征求意见", date=dt.date(2026, 1, 5), summary="网上征求意见"
    )
    services.add_procedure(**args)
    with pytest.raises(Conflict, match="已登记相同的程序记录"):
        services.add_procedure(**args)
    assert ProcedureRecord.objects.filter(draft=draft).count() == 1
