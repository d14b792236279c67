"""重新载入法规库: a reviewer repeats a registration or an expiry the library could not take at the time."""

from __future__ import annotations

import pytest

from fazhi.core.errors import Conflict, PermissionDenied
from fazhi.core.models import AuditEvent
from fazhi.laws.models import LawVersion, Status
from fazhi.review import library, services
from fazhi.review.models import Draft, State

from .test_library import published


def _broken(**kw):
    raise RuntimeError("disk full")


def _failed_publication(make_draft, clerk, reviewer, monkeypatch) -> Draft:
    monkeypatch.setattr("fazhi.laws.services.register_published_document", _broken)
    draft = published(make_draft, clerk, reviewer)
    monkeypatch.undo()
    draft.refresh_from_db()
    assert draft.law_version is None and draft.library_error
    return draft


def test_the_page_button_registers_the_document_after_a_failure(
    make_draft, clerk, reviewer, login, monkeypatch
):
    draft = _failed_publication(make_draft, clerk, reviewer, monkeypatch)
    page = login(reviewer)
    assert "重新载入法规库" in page.get(f"/review/drafts/{draft.pk}/").content.decode()
    response = page.post(f"/review/drafts/{draft.pk}/library/", follow=True)
    assert "已重新载入法规库。" in response.content.decode()
    draft.refresh_from_db()
    assert draft.library_error == "" and draft.law_version.status == Status.IN_FORCE
    event = AuditEvent.objects.get(action="library_retry")
    assert event.before["law_version"] is None and event.after["law_version"] == draft.law_version_id
    # Nothing is left to do: refused, and nothing more is registered or audited.
    with pytest.raises(Conflict) as err:
        library.retry(user=reviewer, draft_id=draft.pk)
    assert "无需重新载入" in err.value.message
    assert LawVersion.objects.count() == 1 and AuditEvent.objects.filter(action="library_retry").count() == 1


def test_a_retry_that_fails_again_keeps_the_reason_and_answers_409(
    make_draft, clerk, reviewer, token_for, monkeypatch
):
    draft = _failed_publication(make_draft, clerk, reviewer, monkeypatch)
    monkeypatch.setattr("fazhi.laws.services.register_published_document", _broken)
    from django.test import Client

    response = Client().post(f"/api/v1/review/drafts/{draft.pk}/library", headers=token_for(reviewer))
    assert response.status_code == 409 and "未能载入法规库" in response.json()["detail"]
    draft.refresh_from_db()
    assert draft.law_version is None and draft.library_error.startswith("未能载入法规库")
    assert AuditEvent.objects.filter(action="library_retry").count() == 1


def test_an_expired_document_registered_late_is_entered_as_expired(make_draft, clerk, reviewer, monkeypatch):
    draft = _failed_publication(make_draft, clerk, reviewer, monkeypatch)
    services.transition(user=reviewer, draft_id=draft.pk, action="expire", comment="已被新文件替代")
    draft = library.retry(user=reviewer, draft_id=draft.pk)
    version = LawVersion.objects.get(pk=draft.law_version_id)
    assert draft.state == State.EXPIRED and version.status == Status.EXPIRED
    assert "决定失效：已被新文件替代" in version.status_basis


def test_an_expiry_the_library_missed_is_followed_on_retry(make_draft, clerk, reviewer, monkeypatch):
    draft = published(make_draft, clerk, reviewer)
    monkeypatch.setattr("fazhi.laws.services.follow_document_status", _broken)
    services.transition(user=reviewer, draft_id=draft.pk, action="expire", comment="废止")
    monkeypatch.undo()
    draft = library.retry(user=reviewer, draft_id=draft.pk)
    assert draft.library_error == ""
    assert LawVersion.objects.get(pk=draft.law_version_id).status == Status.EXPIRED


def test_only_reviewers_and_leaders_retry_and_only_published_normative_documents(
    make_draft, clerk, reviewer, outsider, login, token_for, monkeypatch
):
    draft = _failed_publication(make_draft, clerk, reviewer, monkeypatch)
    for user in (clerk, outsider):
        with pytest.raises(PermissionDenied):
            library.retry(user=user, draft_id=draft.pk)
    from django.test import Client

    api = Client().post(f"/api/v1/review/drafts/{draft.pk}/library", headers=token_for(outsider))
    assert api.status_code == 403
    assert login(outsider).post(f"/review/drafts/{draft.pk}/library/").status_code == 403
    assert Client().post(f"/review/drafts/{draft.pk}/library/").status_code == 302  # to the login page
    assert Draft.objects.get(pk=draft.pk).law_version is None
    plain = make_draft(normative=False)
    with pytest.raises(Conflict) as err:
        library.retry(user=reviewer, draft_id=plain.pk)
    assert "只有已公布的行政规范性文件" in err.value.message
