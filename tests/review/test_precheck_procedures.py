"""The pre-check sees the procedure records: a recorded 征求意见 satisfies FORM-CONSULT, on the stored findings too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from fazhi.review import opinions, services
from fazhi.review.models import Draft, PrecheckFinding, ProcedureRecord, State

from .conftest import DRAFT_TEXT

CONSULT = "FORM-CONSULT"


def _registered(clerk) -> Draft:
    """A normative draft with its first text uploaded (no 征求意见 in it) and no procedure recorded yet."""
    draft = services.create_draft(user=clerk, title="资金管理办法", doc_type="normative", unit="预算科")
    services.upload_version(user=clerk, draft_id=draft.pk, name="稿.txt", data=DRAFT_TEXT.encode())
    return draft


def _findings(draft: Draft) -> dict[str, PrecheckFinding]:
    version = draft.versions.order_by("-number").first()
    return {f.rule_id: f for f in version.precheck_findings.all()}


def _consult(clerk, draft: Draft, **kw) -> None:
    services.add_procedure(
        user=clerk,
        draft_id=draft.pk,
        step=kw.get("step", "consultation"),
        date=kw.get("date", timezone.localdate() - dt.timedelta(days=3)),
        summary=kw.get("summary", "向社会公开征求意见30日，收到意见5条，采纳3条。"),
    )


def test_recording_the_consultation_removes_the_open_finding_and_keeps_the_decided_ones(clerk, reviewer):
    draft = _registered(clerk)
    before = _findings(draft)
    assert before[CONSULT].decision == PrecheckFinding.Decision.OPEN
    assert "FC-LOCAL-CONDITION" in before and "FORM-INTERPRET" in before
    services.transition(user=clerk, draft_id=draft.pk, action="submit")
    services.transition(user=reviewer, draft_id=draft.pk, action="start_review")
    dismissed = opinions.dismiss_precheck(
        user=reviewer, draft_id=draft.pk, finding_id=before["FC-LOCAL-CONDITION"].pk, reason="有上位法依据"
    )
    accepted = opinions.accept_precheck(
        user=reviewer, draft_id=draft.pk, finding_id=before["FORM-INTERPRET"].pk
    )

    _consult(clerk, draft)

    after = _findings(draft)
    assert CONSULT not in after
    kept = after["FC-LOCAL-CONDITION"]
    assert (kept.pk, kept.decision, kept.dismiss_reason) == (dismissed.pk, "dismissed", "有上位法依据")
    interpret = after["FORM-INTERPRET"]
    assert (interpret.pk, interpret.decision) == (before["FORM-INTERPRET"].pk, "accepted")
    assert accepted.precheck_finding_id == interpret.pk
    # A finding still open keeps its row: the id on a reviewer's open page stays good.
    assert after["FORM-VALIDITY"].pk == before["FORM-VALIDITY"].pk


def test_the_api_record_takes_the_finding_away_too(clerk, token_for):
    draft = _registered(clerk)
    assert CONSULT in _findings(draft)
    r = Client().post(
        f"/api/v1/review/drafts/{draft.pk}/procedures",
        {"step": "征求意见", "date": str(timezone.localdate()), "summary": "书面征求相关单位意见。"},
        content_type="application/json",
        headers=token_for(clerk),
    )
    assert r.status_code == 201
    assert CONSULT not in _findings(draft)


def test_the_page_record_takes_the_finding_away_and_the_outsider_is_refused(clerk, outsider, login):
    draft = _registered(clerk)
    day = str(timezone.localdate())
    refused = login(outsider).post(
        f"/review/drafts/{draft.pk}/procedures/", {"step": "consultation", "date": day, "summary": "征求意见"}
    )
    assert refused.status_code == 403
    assert CONSULT in _findings(draft) and not ProcedureRecord.objects.filter(draft=draft).exists()
    login(clerk).post(
        f"/review/drafts/{draft.pk}/procedures/", {"step": "consultation", "date": day, "summary": "征求意见"}
    )
    assert CONSULT not in _findings(draft)


def test_other_steps_leave_the_finding_and_a_second_consultation_does_not_run_the_check_again(
    clerk, monkeypatch
):
    draft = _registered(clerk)
    _consult(clerk, draft, step="assessment", summary="组织专家论证。")
    assert CONSULT in _findings(draft)
    _consult(clerk, draft)
    assert CONSULT not in _findings(draft)
    runs = []
    monkeypatch.setattr(services.drafts, "run_precheck", lambda version: runs.append(version) or 0)
    _consult(clerk, draft, summary="第二轮征求意见。")
    assert runs == []


def test_a_concluded_review_is_not_checked_again(clerk, monkeypatch):
    draft = _registered(clerk)
    Draft.objects.filter(pk=draft.pk).update(state=State.APPROVED)
    runs = []
    monkeypatch.setattr(services.drafts, "run_precheck", lambda version: runs.append(version) or 0)
    _consult(clerk, draft)
    assert runs == [] and ProcedureRecord.objects.filter(draft=draft).count() == 1


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(username="root", password="x-pass-2026", email="")
    client.force_login(user)
    return client


def test_removing_the_record_in_the_admin_brings_the_finding_back(clerk, admin_client):
    draft = _registered(clerk)
    _consult(clerk, draft)
    record = ProcedureRecord.objects.get(draft=draft)
    assert CONSULT not in _findings(draft)
    r = admin_client.post(f"/admin/review/procedurerecord/{record.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302 and not ProcedureRecord.objects.filter(pk=record.pk).exists()
    assert _findings(draft)[CONSULT].decision == PrecheckFinding.Decision.OPEN

    _consult(clerk, draft)
    assert CONSULT not in _findings(draft)
    r = admin_client.post(
        "/admin/review/procedurerecord/",
        {
            "action": "delete_selected",
            "_selected_action": [str(ProcedureRecord.objects.get().pk)],
            "post": "yes",
        },
    )
    assert r.status_code == 302 and not ProcedureRecord.objects.exists()
    assert CONSULT in _findings(draft)
