"""Browser audit of the draft lifecycle: 备案 offered on a document that is never filed; an oversize upload
reported with the wrong size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fazhi.core import roles
from fazhi.core.errors import PermissionDenied
from fazhi.core.services import ensure_user
from fazhi.review import services
from fazhi.review.models import Draft, DraftVersion, PrecheckFinding

from .conftest import add_version


def test_published_contract_offers_no_filing_action(clerk, make_draft, login):
    draft = make_draft("published", normative=False)
    Draft.objects.filter(pk=draft.pk).update(published_on=dt.date(2026, 12, 7))
    page = login(clerk).get(f"/review/drafts/{draft.pk}/").content.decode()
    # The 备案 form would only end in "只有行政规范性文件需要报送备案。"
    assert 'name="action" value="file"' not in page
    assert "非行政规范性文件，无需备案" in page
    assert "未备案" not in page


def test_published_normative_document_still_offers_filing(clerk, make_draft, login):
    draft = make_draft("published")
    Draft.objects.filter(pk=draft.pk).update(published_on=dt.date(2026, 12, 7))
    page = login(clerk).get(f"/review/drafts/{draft.pk}/").content.decode()
    assert 'name="action" value="file"' in page
    assert "未备案" in page


def test_oversize_upload_reports_its_real_size(clerk, make_draft, login):
    draft = make_draft()
    before = DraftVersion.objects.filter(draft=draft).count()
    big = SimpleUploadedFile("通知.txt", b"a" * (30 * 1024 * 1024), content_type="text/plain")
    r = login(clerk).post(f"/review/drafts/{draft.pk}/upload/", {"file": big}, follow=True)
    page = r.content.decode()
    assert "大小为 30.0 MB，超过 20 MB 上限" in page
    assert "大小为 20.0 MB" not in page
    assert DraftVersion.objects.filter(draft=draft).count() == before


def test_oversize_upload_through_the_api_reports_its_real_size(clerk, make_draft, token_for):
    draft = make_draft()
    big = SimpleUploadedFile("通知.txt", b"a" * (25 * 1024 * 1024), content_type="text/plain")
    r = Client().post(f"/api/v1/review/drafts/{draft.pk}/files", {"file": big}, headers=token_for(clerk))
    assert r.status_code == 400
    assert "大小为 25.0 MB" in r.json()["detail"]


def test_refused_decision_on_an_approved_draft_does_not_offer_the_buttons_again(reviewer, make_draft, login):
    draft = make_draft("approved")
    finding = PrecheckFinding.objects.create(
        version=draft.versions.get(number=1),
        rule_id="FC-LOCAL-BRANCH",
        family="FC",
        severity="高",
        paragraph=3,
        quote="须在本区注册",
        message="政策措施不得要求经营者在本地登记注册",
        basis="公平竞争审查条例第九条",
    )
    r = login(reviewer).post(
        f"/review/drafts/{draft.pk}/precheck/{finding.pk}/", {"decision": "accept"}, HTTP_HX_REQUEST="true"
    )
    row = r.content.decode()
    assert "只有“审查中”的文稿可以撰写审查意见" in row
    assert "采纳为审查意见" not in row and 'name="reason"' not in row


def test_an_unknown_decision_does_not_dismiss_the_finding(reviewer, make_draft, login):
    draft = make_draft("in_review")
    finding = PrecheckFinding.objects.create(
        version=draft.versions.get(number=1),
        rule_id="FC-LOCAL-BRANCH",
        family="FC",
        severity="高",
        paragraph=3,
        message="政策措施不得要求经营者在本地登记注册",
    )
    r = login(reviewer).post(
        f"/review/drafts/{draft.pk}/precheck/{finding.pk}/",
        {"decision": "zzz", "reason": "随便"},
        HTTP_HX_REQUEST="true",
    )
    assert "请选择“采纳为审查意见”或“排除”" in r.content.decode()
    finding.refresh_from_db()
    assert finding.decision == "open" and finding.dismiss_reason == ""


def test_ledger_shows_no_review_time_for_a_draft_never_submitted(clerk, make_draft, supervisor, login):
    make_draft(title="尚未送审的办法")
    html = login(supervisor).get("/review/ledger/").content.decode()
    row = next(line for line in html.split("<tr>") if "尚未送审的办法" in line)
    assert "个工作日" not in row


def test_an_account_with_both_roles_cannot_review_its_own_draft(db, login):
    both = ensure_user(
        username="drafter_reviewer",
        display_name="兼任起草和审核",
        role_names=[roles.DRAFTER, roles.REVIEWER, roles.STAFF_MEMBER],
        password="x-pass-2026",
    )
    draft = services.create_draft(user=both, title="自审测试", doc_type="contract", unit="法规科")
    add_version(draft, both)
    services.transition(user=both, draft_id=draft.pk, action="submit")
    with pytest.raises(PermissionDenied, match="起草人不能对本人起草的文稿执行“开始审查”"):
        services.transition(user=both, draft_id=draft.pk, action="start_review")
    page = login(both).get(f"/review/drafts/{draft.pk}/").content.decode()
    assert 'name="action" value="start_review"' not in page
    assert Draft.objects.get(pk=draft.pk).state == "submitted"


def test_an_account_with_both_roles_writes_no_opinion_on_its_own_draft(db, reviewer):
    """Another reviewer took the draft into review: its drafter, who holds the reviewer role too, still may not
    write the opinion (a finding or a pre-check decision) on it."""
    from fazhi.review import opinions
    from fazhi.review.models import OpinionFinding

    both = ensure_user(
        username="drafter_reviewer2",
        display_name="兼任起草和审核",
        role_names=[roles.DRAFTER, roles.REVIEWER, roles.STAFF_MEMBER],
        password="x-pass-2026",
    )
    draft = services.create_draft(user=both, title="自审测试二", doc_type="contract", unit="法规科")
    add_version(draft, both)
    services.transition(user=both, draft_id=draft.pk, action="submit")
    services.transition(user=reviewer, draft_id=draft.pk, action="start_review")
    with pytest.raises(PermissionDenied, match="起草人不能为本人起草的文稿撰写审查意见"):
        opinions.add_finding(user=both, draft_id=draft.pk, paragraph=1, text="本人意见")
    assert not OpinionFinding.objects.filter(opinion__draft=draft).exists()
    opinions.add_finding(user=reviewer, draft_id=draft.pk, paragraph=1, text="审核员意见")
    assert OpinionFinding.objects.filter(opinion__draft=draft).count() == 1
