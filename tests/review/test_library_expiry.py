"""The 法规库 follows a registered document: 宣布失效, the lapse of its period, the workflow's 失效, a revision."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from fazhi.core.dates import cn_date
from fazhi.core.models import AuditEvent
from fazhi.laws.models import LawVersion, Status
from fazhi.review import services, validity
from fazhi.review.models import Draft, State
from fazhi.search.models import OutboxEntry

from .test_library import published

TODAY = timezone.localdate
QUESTION = "申请资金的企业须在本区注册并纳税"


def search(**params) -> set[tuple[str, str]]:
    found = Client().get("/api/v1/laws/search", {"q": QUESTION, **params}).json()["results"]
    return {(h["law_title"], h["status"]) for h in found}


def status_events(version: LawVersion) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type="laws.LawVersion", object_id=str(version.pk), action="transition"
        ).order_by("seq")
    )


def test_declared_void_by_evaluation_the_text_is_no_longer_in_force(
    make_draft, clerk, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = published(make_draft, clerk, reviewer)
    assert search() == {("资金管理办法", "有效")}
    with django_capture_on_commit_callbacks(execute=True):
        validity.evaluate(
            user=reviewer, draft_id=draft.pk, outcome="宣布失效", evaluated_on=TODAY(), summary="上位法已修改"
        )
    version = LawVersion.objects.get(pk=draft.law_version_id)
    assert version.status == Status.EXPIRED
    assert version.status_basis == f"区财政局{cn_date(TODAY())}经有效期评估宣布失效"
    [event] = status_events(version)
    assert event.before["status"] == "in_force" and event.after["status"] == "expired"
    assert not OutboxEntry.objects.exists()  # applied to the index after the commit
    # The validity filter: 已失效 is not in force, and is found when asked for.
    assert search() == set()
    assert search(status="已失效") == {("资金管理办法", "已失效")}
    assert search(status="all") == {("资金管理办法", "已失效")}
    assert Client().get("/laws/", {"status": "expired"}).content.decode().count("资金管理办法") == 1
    detail = Client().get(f"/api/v1/laws/{version.law_id}").json()
    assert detail["versions"][0]["status"] == "已失效"


def test_the_automatic_expiry_marks_the_text_expired(make_draft, clerk, reviewer):
    draft = published(make_draft, clerk, reviewer)
    end = TODAY() - dt.timedelta(days=2)
    Draft.objects.filter(pk=draft.pk).update(valid_until=end)
    assert validity.expire_lapsed() == 1
    version = LawVersion.objects.get(pk=draft.law_version_id)
    assert version.status == Status.EXPIRED
    assert (
        version.status_basis == f"有效期至{cn_date(end)}届满，自{cn_date(end + dt.timedelta(days=1))}起失效"
    )
    assert len(status_events(version)) == 1


def test_expiry_decided_in_the_workflow_names_the_decision(make_draft, clerk, reviewer, director):
    draft = published(make_draft, clerk, reviewer)
    services.transition(user=director, draft_id=draft.pk, action="expire", comment="已被新文件替代")
    version = LawVersion.objects.get(pk=draft.law_version_id)
    assert version.status == Status.EXPIRED
    assert version.status_basis == f"区财政局{cn_date(TODAY())}决定失效：已被新文件替代"


def test_continuing_in_force_changes_nothing_in_the_library(make_draft, clerk, reviewer):
    draft = published(make_draft, clerk, reviewer)
    Draft.objects.filter(pk=draft.pk).update(valid_until=TODAY() + dt.timedelta(days=60))
    before = LawVersion.objects.values().get(pk=draft.law_version_id)
    validity.evaluate(
        user=reviewer,
        draft_id=draft.pk,
        outcome="继续施行",
        evaluated_on=TODAY(),
        summary="实施效果良好",
        valid_until=TODAY() + dt.timedelta(days=3 * 365),
    )
    assert LawVersion.objects.values().get(pk=draft.law_version_id) == before
    assert status_events(LawVersion.objects.get(pk=draft.law_version_id)) == []


def test_a_revised_document_republished_is_a_new_version_of_the_same_law(make_draft, clerk, reviewer):
    first = published(make_draft, clerk, reviewer)
    validity.evaluate(
        user=reviewer, draft_id=first.pk, outcome="修改后重新发布", evaluated_on=TODAY(), summary="需修改"
    )
    revised = published(
        make_draft,
        clerk,
        reviewer,
        text="资金管理办法\n第一条 为加强管理制定本办法。\n第二条 本办法自公布之日起施行。",
    )
    old, new = (
        LawVersion.objects.get(pk=first.law_version_id),
        LawVersion.objects.get(pk=revised.law_version_id),
    )
    assert old.law_id == new.law_id and new.version_index == 2 and new.is_latest and not old.is_latest
    assert old.status == Status.AMENDED and new.status == Status.IN_FORCE
    # The old document lapsing later leaves its superseded text 已修改; the revision stays in force.
    Draft.objects.filter(pk=first.pk).update(valid_until=TODAY() - dt.timedelta(days=1))
    validity.expire_lapsed()
    assert Draft.objects.get(pk=first.pk).state == State.EXPIRED
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == (Status.AMENDED, Status.IN_FORCE)


def test_an_expiry_the_library_cannot_follow_still_expires_the_document(
    make_draft, clerk, reviewer, login, monkeypatch
):
    draft = published(make_draft, clerk, reviewer)

    def broken(**kw):
        raise RuntimeError("index locked")

    monkeypatch.setattr("fazhi.laws.services.follow_document_status", broken)
    services.transition(user=reviewer, draft_id=draft.pk, action="expire", comment="废止")
    draft.refresh_from_db()
    assert draft.state == State.EXPIRED
    assert draft.library_error.startswith("未能将法规库中的文本标为已失效")
    assert LawVersion.objects.get(pk=draft.law_version_id).status == Status.IN_FORCE
    assert (
        "未能将法规库中的文本标为已失效"
        in login(reviewer).get(f"/review/drafts/{draft.pk}/").content.decode()
    )
