"""A 修改说明, 排除理由 or 核对说明 over its 500 characters is refused with the limit named, never cut, and
nothing changes (found by the API write sweep with an otherwise valid request)."""

from __future__ import annotations

import pytest
from django.test import Client

from fazhi.core.errors import ValidationFailed
from fazhi.core.models import AuditEvent
from fazhi.review import opinions, services
from fazhi.review.models import Draft, OpinionFinding, PrecheckFinding


def test_an_upload_note_over_500_characters_is_refused_and_stores_no_version(clerk, make_draft, token_for):
    draft = make_draft()
    r = Client().post(
        f"/api/v1/review/drafts/{draft.pk}/files",
        {"file": _txt("修改稿.txt", "第一条 修改后的文稿。"), "note": "改" * 501},
        headers=token_for(clerk),
    )
    assert r.status_code == 400
    assert r.json()["detail"] == "修改说明不能超过 500 个字（当前 501 个字）。"
    assert draft.versions.count() == 1
    version = services.upload_version(
        user=clerk,
        draft_id=draft.pk,
        name="修改稿.txt",
        data="第一条 修改后的文稿。".encode(),
        note="改" * 500,
    )
    assert version.note == "改" * 500


def test_a_dismissal_reason_over_500_characters_is_refused(reviewer, make_draft):
    draft = make_draft("in_review")
    found = PrecheckFinding.objects.create(
        version=draft.versions.get(number=1), rule_id="FC-LOCAL", family="FC", severity="高", paragraph=3
    )
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed, match=r"排除理由不能超过 500 个字（当前 501 个字）"):
        opinions.dismiss_precheck(user=reviewer, draft_id=draft.pk, finding_id=found.pk, reason="理" * 501)
    found.refresh_from_db()
    assert (found.decision, found.dismiss_reason) == ("open", "")
    assert AuditEvent.objects.count() == events
    opinions.dismiss_precheck(user=reviewer, draft_id=draft.pk, finding_id=found.pk, reason="理" * 500)
    found.refresh_from_db()
    assert found.dismiss_reason == "理" * 500


def test_a_resolution_note_over_500_characters_is_refused(clerk, reviewer, make_draft):
    draft = make_draft()
    services.transition(user=clerk, draft_id=draft.pk, action="submit")
    services.transition(user=reviewer, draft_id=draft.pk, action="start_review")
    item = opinions.add_finding(user=reviewer, draft_id=draft.pk, paragraph=2, text="建议删除纳税年限条件。")
    services.transition(user=reviewer, draft_id=draft.pk, action="return", comment="请修改")
    services.upload_version(user=clerk, draft_id=draft.pk, name="修改稿.txt", data="第一条 修改稿。".encode())
    services.transition(user=clerk, draft_id=draft.pk, action="submit")
    services.transition(user=reviewer, draft_id=draft.pk, action="start_review")
    with pytest.raises(ValidationFailed, match=r"核对说明不能超过 500 个字（当前 501 个字）"):
        opinions.resolve_finding(
            user=reviewer, draft_id=draft.pk, finding_id=item.pk, resolution="addressed", note="核" * 501
        )
    item = OpinionFinding.objects.get(pk=item.pk)
    assert (item.resolution, item.resolution_note) == ("pending", "")
    opinions.resolve_finding(
        user=reviewer, draft_id=draft.pk, finding_id=item.pk, resolution="addressed", note="核" * 500
    )
    assert OpinionFinding.objects.get(pk=item.pk).resolution_note == "核" * 500
    assert Draft.objects.get(pk=draft.pk).state == "in_review"


def _txt(name: str, text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode())
