"""A published normative document enters the public 法规库: once, searchable, never blocking the publication."""

from __future__ import annotations

import pytest
from django.test import Client

from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.models import AuditEvent
from fazhi.laws.models import Law, LawVersion, Level, Status
from fazhi.review import library, services
from fazhi.review.models import Draft, State

from .conftest import DRAFT_TEXT, add_version

NOTICE = (
    "关于加强财政票据管理的通知\n"
    "各预算单位：\n"
    "为进一步规范财政票据使用，现就有关事项通知如下：\n"
    "一、各单位应当按规定领购、使用和保管财政票据。\n"
    "（一）建立票据台账。\n"
    "二、财政票据核销实行季度报告制度。\n"
    "本通知自印发之日起施行。"
)


def approved(make_draft, clerk, reviewer, *, text: str = "", title: str = "资金管理办法") -> Draft:
    draft = make_draft(title=title)
    if text:
        add_version(draft, clerk, text)
    services.transition(user=clerk, draft_id=draft.pk, action="submit")
    services.transition(user=reviewer, draft_id=draft.pk, action="start_review")
    return services.transition(user=reviewer, draft_id=draft.pk, action="approve", comment="同意")


def published(make_draft, clerk, reviewer, **kw) -> Draft:
    draft = approved(make_draft, clerk, reviewer, **kw)
    return services.transition(user=clerk, draft_id=draft.pk, action="publish", comment="印发")


def test_publishing_registers_the_document_as_a_normative_document_in_force(make_draft, clerk, reviewer):
    draft = published(make_draft, clerk, reviewer)
    version = LawVersion.objects.select_related("law").get()
    assert draft.law_version_id == version.pk and draft.library_error == ""
    law = version.law
    assert (law.title, law.level, law.issuer) == ("资金管理办法", Level.NORMATIVE_DOCUMENT, "区财政局")
    assert version.publish_date == version.effective_date == draft.published_on
    assert version.status == Status.IN_FORCE and version.source == "review" and version.is_latest
    assert version.text == DRAFT_TEXT.strip()
    assert list(version.articles.values_list("label", flat=True)) == ["第一条", "第二条", "第三条"]
    opinion = draft.opinions.get(issued_at__isnull=False)
    assert version.provenance.startswith(f"本文件经合法性审查（审查意见书{opinion.doc_number}，")
    assert version.source_path == f"/review/drafts/{draft.pk}/"
    # The drafter who published holds no library role: registration is the system's own step.
    assert AuditEvent.objects.filter(
        object_type="laws.LawVersion", object_id=str(version.pk), action="create"
    ).exists()


def test_registration_happens_exactly_once(make_draft, clerk, reviewer):
    draft = published(make_draft, clerk, reviewer)
    with pytest.raises(Conflict):  # a retried publish request is refused by the state machine
        services.transition(user=clerk, draft_id=draft.pk, action="publish")
    again = Draft.objects.get(pk=draft.pk)
    again.law_version = None  # even a registration attempted again finds the version it made
    library.register(again)
    assert again.law_version_id == draft.law_version_id
    assert LawVersion.objects.count() == 1 and Law.objects.count() == 1


def test_the_articles_are_searchable_once_the_outbox_is_processed(
    make_draft, clerk, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = published(make_draft, clerk, reviewer)
    found = Client().get(
        "/api/v1/laws/search", {"q": "申请资金的企业须在本区注册并纳税", "level": "规范性文件"}
    )
    assert found.status_code == 200
    hits = found.json()["results"]
    assert [(h["law_title"], h["article_label"], h["status"]) for h in hits][:1] == [
        ("资金管理办法", "第二条", "有效")
    ]
    assert hits[0]["law_id"] == draft.law_version.law_id


def test_a_notice_numbered_by_items_registers_them_as_its_articles(make_draft, clerk, reviewer):
    draft = published(make_draft, clerk, reviewer, text=NOTICE, title="关于加强财政票据管理的通知")
    version = draft.law_version
    assert [(a.label, a.text.splitlines()[0]) for a in version.articles.order_by("ordinal")] == [
        ("一、", "各单位应当按规定领购、使用和保管财政票据。"),
        ("二、", "财政票据核销实行季度报告制度。"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "关于做好年度决算工作的通知\n各单位：\n请于3月底前报送年度决算。\n特此通知。",
        # Numbering that repeats itself (the attachment starts again at 一、): one 全文 article.
        "关于做好年度决算工作的通知\n一、报送范围。\n二、报送时间。\n附件：填报说明\n一、报表格式。",
    ],
)
def test_a_text_without_articles_still_registers_as_one_article(make_draft, clerk, reviewer, text):
    draft = published(make_draft, clerk, reviewer, text=text, title="关于做好年度决算工作的通知")
    assert draft.library_error == ""
    [article] = draft.law_version.articles.all()
    assert article.label == "全文" and "报送" in article.text
    assert "关于做好年度决算工作的通知" not in article.text


def test_a_failed_registration_leaves_nothing_and_the_publication_stands(
    make_draft, clerk, reviewer, director, login, monkeypatch
):
    def broken(**kw):
        Law.objects.create(title="半途写入", norm_title="半途写入", level=Level.NORMATIVE_DOCUMENT)
        raise RuntimeError("disk full")

    monkeypatch.setattr("fazhi.laws.services.register_published_document", broken)
    draft = published(make_draft, clerk, reviewer)
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED and draft.published_on and draft.valid_until
    assert draft.law_version is None and not Law.objects.exists()
    assert draft.library_error.startswith("未能载入法规库：系统错误（RuntimeError）")
    for user in (reviewer, director):
        assert "未能载入法规库" in login(user).get(f"/review/drafts/{draft.pk}/").content.decode()
    assert "未能载入法规库" not in login(clerk).get(f"/review/drafts/{draft.pk}/").content.decode()
    assert login(reviewer).get(f"/api/v1/review/drafts/{draft.pk}").json()["law_library"] is None


def test_a_refused_registration_shows_the_library_reason(make_draft, clerk, reviewer, login, monkeypatch):
    def refused(**kw):
        raise ValidationFailed("法规全文不能为空。")

    monkeypatch.setattr("fazhi.laws.services.register_published_document", refused)
    draft = published(make_draft, clerk, reviewer)
    assert Draft.objects.get(pk=draft.pk).library_error == "未能载入法规库：法规全文不能为空。"
    page = login(reviewer).get(f"/review/drafts/{draft.pk}/").content.decode()
    assert "未能载入法规库：法规全文不能为空。" in page


def test_the_draft_page_the_api_and_the_law_page_link_each_other(make_draft, clerk, reviewer, login):
    draft = published(make_draft, clerk, reviewer)
    version = draft.law_version
    page = login(reviewer).get(f"/review/drafts/{draft.pk}/").content.decode()
    assert f'href="/laws/{version.law_id}/?version={version.pk}"' in page and "《资金管理办法》" in page
    detail = login(clerk).get(f"/api/v1/review/drafts/{draft.pk}").json()
    assert detail["law_library"] == {
        "law_id": version.law_id,
        "version_id": version.pk,
        "title": "资金管理办法",
        "status": "有效",
        "status_code": "in_force",
        "url": f"/laws/{version.law_id}/?version={version.pk}",
    }
    law_page = login(reviewer).get(f"/laws/{version.law_id}/").content.decode()
    assert version.provenance in law_page and "后公布" in law_page
    assert f'href="/review/drafts/{draft.pk}/"' in law_page  # staff only
    public = Client().get(f"/laws/{version.law_id}/").content.decode()
    assert version.provenance in public and f"/review/drafts/{draft.pk}/" not in public
    api = Client().get(f"/api/v1/laws/{version.law_id}").json()
    assert api["level"] == "规范性文件" and api["versions"][0]["provenance"] == version.provenance


def test_only_published_normative_documents_reach_the_library(
    make_draft, clerk, reviewer, outsider, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approved(make_draft, clerk, reviewer)  # passed review, not yet published
        contract = make_draft(normative=False, title="办公用房租赁合同")
        add_version(contract, clerk, "办公用房租赁合同\n第一条 租期三年，租金按季度支付。")
        services.transition(user=clerk, draft_id=contract.pk, action="submit")
        services.transition(user=reviewer, draft_id=contract.pk, action="start_review")
        services.transition(user=reviewer, draft_id=contract.pk, action="approve")
        services.transition(user=clerk, draft_id=contract.pk, action="publish")
    assert not LawVersion.objects.exists()
    client = login(outsider)
    for q in ("申请资金的企业须在本区注册并纳税", "租期三年"):
        response = client.get("/api/v1/laws/search", {"q": q, "status": "all"})
        assert response.status_code == 200 and response.json()["results"] == []
        assert "资金管理办法" not in client.get("/laws/search", {"q": q}).content.decode()
