"""Bad input is refused with a clear Chinese message and changes nothing (audit finding 10, review part)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.review import opinions, services
from fazhi.review.models import Draft, OpinionFinding, ProcedureRecord, ReviewOpinion, State
from fazhi.review.precheck import engine
from fazhi.review.precheck.types import Finding


def _without_procedures(make_draft) -> Draft:
    draft = make_draft()
    draft.procedures.all().delete()
    return draft


# 程序记录 dated before the draft existed


def test_a_procedure_dated_long_before_the_draft_was_registered_is_refused(clerk, make_draft):
    draft = _without_procedures(make_draft)
    Draft.objects.filter(pk=draft.pk).update(created_at=timezone.make_aware(dt.datetime(2026, 3, 5, 10)))
    with pytest.raises(ValidationFailed) as err:
        services.add_procedure(
            user=clerk,
            draft_id=draft.pk,
            step="征求意见",
            date=dt.date(1900, 1, 1),
            summary="网上公开征求意见",
        )
    assert err.value.status == 400
    assert "早于文稿登记日期（2026年3月5日）一年以上" in err.value.message
    assert "最早可登记2025年3月4日" in err.value.message
    with pytest.raises(ValidationFailed):
        services.add_procedure(
            user=clerk,
            draft_id=draft.pk,
            step="征求意见",
            date=dt.date(2025, 3, 3),
            summary="网上公开征求意见",
        )
    assert not ProcedureRecord.objects.filter(draft=draft).exists()
    assert "征求意见" in services.missing_procedures(draft)
    # Consultation held while drafting, before the draft was registered here, is fine.
    record = services.add_procedure(
        user=clerk, draft_id=draft.pk, step="征求意见", date=dt.date(2026, 2, 1), summary="网上公开征求意见"
    )
    assert record.date == dt.date(2026, 2, 1)


def test_the_procedure_form_shows_the_refusal_and_stores_nothing(clerk, make_draft, login):
    draft = _without_procedures(make_draft)
    r = login(clerk).post(
        f"/review/drafts/{draft.pk}/procedures/",
        {"step": "consultation", "date": "1900-01-01", "summary": "征求意见"},
        follow=True,
    )
    assert r.status_code == 200
    assert "一年以上" in r.content.decode()
    assert not ProcedureRecord.objects.filter(draft=draft).exists()


def test_the_procedure_api_refuses_an_early_date(clerk, make_draft, token_for):
    draft = _without_procedures(make_draft)
    r = Client().post(
        f"/api/v1/review/drafts/{draft.pk}/procedures",
        {"step": "征求意见", "date": "1900-01-01", "summary": "征求意见"},
        content_type="application/json",
        headers=token_for(clerk),
    )
    assert r.status_code == 400 and "一年以上" in r.json()["detail"]
    assert not ProcedureRecord.objects.filter(draft=draft).exists()


# 起草单位 longer than the field


def test_an_over_long_unit_is_refused_not_cut(clerk):
    with pytest.raises(ValidationFailed) as err:
        services.create_draft(user=clerk, title="资金管理办法", doc_type="other", unit="A" * 201)
    assert "起草单位不能超过 200 个字" in err.value.message and "201" in err.value.message
    assert not Draft.objects.exists()
    draft = services.create_draft(user=clerk, title="资金管理办法", doc_type="other", unit="A" * 200)
    assert draft.unit == "A" * 200


def test_the_new_draft_page_refuses_an_over_long_unit_and_keeps_the_form(clerk, login):
    r = login(clerk).post(
        "/review/new/", {"title": "采购合同草案", "doc_type": "contract", "unit": "单" * 250}
    )
    html = r.content.decode()
    assert r.status_code == 400 and "起草单位不能超过 200 个字" in html
    assert 'value="采购合同草案"' in html
    assert not Draft.objects.exists()


# 审查意见 length


def test_a_finding_longer_than_5000_characters_is_refused(reviewer, make_draft, login):
    draft = make_draft("in_review")
    with pytest.raises(ValidationFailed) as err:
        opinions.add_finding(user=reviewer, draft_id=draft.pk, paragraph=2, text="意" * 100_000)
    assert err.value.message == "一条审查意见不能超过 5,000 个字（当前 100,000 个字），请精简或分成几条填写。"
    r = login(reviewer).post(
        f"/review/drafts/{draft.pk}/findings/", {"paragraph": "2", "text": "见" * 5001}, follow=True
    )
    assert "一条审查意见不能超过 5,000 个字（当前 5,001 个字）" in r.content.decode()
    assert not OpinionFinding.objects.exists() and not ReviewOpinion.objects.exists()
    item = opinions.add_finding(user=reviewer, draft_id=draft.pk, paragraph=2, text="意" * 5000)
    assert len(item.text) == 5000


def test_the_finding_and_conclusion_boxes_carry_the_limit(reviewer, make_draft, login):
    draft = make_draft("in_review")
    html = login(reviewer).get(f"/review/drafts/{draft.pk}/").content.decode()
    assert 'id="f-text" name="text" rows="3" maxlength="5000"' in html
    assert 'id="f-concl" name="text" rows="2" maxlength="5000"' in html


# 审查通过 with pre-check findings still 待处理


def _open_findings(monkeypatch, clerk, make_draft, count: int = 2) -> Draft:
    found = [Finding(f"R{i}", "FORM", "中", 1, 0, 2, "关于", f"问题{i}", "", "") for i in range(count)]
    monkeypatch.setattr(engine, "check", lambda text, doc_type="", procedures=None: found)
    draft = make_draft()
    services.upload_version(user=clerk, draft_id=draft.pk, name="v2.txt", data="关于某事\n正文".encode())
    Draft.objects.filter(pk=draft.pk).update(state=State.IN_REVIEW)
    return draft


def test_approval_is_refused_while_pre_check_findings_are_open(monkeypatch, clerk, reviewer, make_draft):
    draft = _open_findings(monkeypatch, clerk, make_draft)
    first, second = draft.versions.get(number=2).precheck_findings.order_by("pk")
    opinions.dismiss_precheck(user=reviewer, draft_id=draft.pk, finding_id=first.pk, reason="格式可接受")
    with pytest.raises(Conflict) as err:
        services.transition(user=reviewer, draft_id=draft.pk, action="approve", comment="同意")
    assert err.value.status == 409
    assert "尚有 1 条自动预审发现待处理" in err.value.message
    draft.refresh_from_db()
    assert draft.state == State.IN_REVIEW and not draft.opinions.filter(issued_at__isnull=False).exists()
    # Returning the draft is still possible; once every finding is decided, approval goes through.
    opinions.accept_precheck(user=reviewer, draft_id=draft.pk, finding_id=second.pk)
    services.transition(user=reviewer, draft_id=draft.pk, action="approve", comment="同意")
    draft.refresh_from_db()
    assert draft.state == State.APPROVED


def test_the_approve_button_reports_the_open_findings(monkeypatch, clerk, reviewer, make_draft, login):
    draft = _open_findings(monkeypatch, clerk, make_draft, count=3)
    r = login(reviewer).post(f"/review/drafts/{draft.pk}/transition/", {"action": "approve"}, follow=True)
    html = r.content.decode()
    assert "尚有 3 条自动预审发现待处理" in html and "采纳为审查意见或说明理由排除" in html
    draft.refresh_from_db()
    assert draft.state == State.IN_REVIEW


def test_returning_is_allowed_with_open_findings(monkeypatch, clerk, reviewer, make_draft):
    draft = _open_findings(monkeypatch, clerk, make_draft)
    services.transition(user=reviewer, draft_id=draft.pk, action="return", comment="请修改")
    draft.refresh_from_db()
    assert draft.state == State.RETURNED
