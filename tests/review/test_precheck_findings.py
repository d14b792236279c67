"""Pre-check findings are stored with each version; the reviewer accepts them into the opinion or dismisses them."""

from __future__ import annotations

import pytest
from django.test import Client

from fazhi.core.errors import ValidationFailed
from fazhi.core.models import AuditEvent
from fazhi.review import opinions, services
from fazhi.review.models import Draft, OpinionFinding, PrecheckFinding
from fazhi.review.precheck import engine
from fazhi.review.precheck.types import Finding

FC = Finding(
    rule_id="FC-9-LOCAL",
    family="FC",
    severity="高",
    paragraph=3,
    start=10,
    end=20,
    quote="在本区注册并纳税满三年",
    message="以本地注册、纳税作为申请条件",
    basis="《公平竞争审查条例》第九条",
    suggestion="删除地域限制条件",
)


@pytest.fixture
def fake_precheck(monkeypatch):
    seen = []

    def check(text, doc_type="", procedures=None):
        seen.append(doc_type)
        return [FC] if "纳税满三年" in text else []

    monkeypatch.setattr(engine, "check", check)
    return seen


def _upload(clerk, draft, text):
    return services.upload_version(user=clerk, draft_id=draft.pk, name="稿.txt", data=text.encode())


def test_findings_are_stored_with_the_uploaded_version(clerk, make_draft, fake_precheck):
    draft = make_draft()
    version = _upload(clerk, draft, "第一段\n第二段\n申请人须在本区注册并纳税满三年。")
    stored = list(version.precheck_findings.all())
    assert [(f.rule_id, f.paragraph, f.quote) for f in stored] == [
        ("FC-9-LOCAL", 3, "在本区注册并纳税满三年")
    ]
    assert fake_precheck == ["行政规范性文件"]


def test_a_failing_precheck_does_not_block_the_upload(clerk, make_draft, monkeypatch):
    def broken(text, doc_type="", procedures=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(engine, "check", broken)
    draft = make_draft()
    version = _upload(clerk, draft, "正文")
    assert version.pk and "未能完成" in version.precheck_error


def test_accepting_a_finding_puts_it_in_the_opinion(clerk, reviewer, make_draft, fake_precheck):
    draft = make_draft()
    version = _upload(clerk, draft, "一\n二\n申请人须在本区注册并纳税满三年。")
    Draft.objects.filter(pk=draft.pk).update(state="in_review")
    finding = version.precheck_findings.get()
    item = opinions.accept_precheck(user=reviewer, draft_id=draft.pk, finding_id=finding.pk)
    assert item.precheck_finding == finding and item.paragraph == 3 and item.seq == 1
    assert "公平竞争审查条例" in item.text
    finding.refresh_from_db()
    assert finding.decision == "accepted"
    assert AuditEvent.objects.filter(action="precheck_accept", object_id=str(finding.pk)).exists()


def test_dismissing_needs_a_reason_and_is_audited(clerk, reviewer, make_draft, fake_precheck, token_for):
    draft = make_draft()
    version = _upload(clerk, draft, "一\n二\n申请人须在本区注册并纳税满三年。")
    Draft.objects.filter(pk=draft.pk).update(state="in_review")
    finding = version.precheck_findings.get()
    with pytest.raises(ValidationFailed):
        opinions.dismiss_precheck(user=reviewer, draft_id=draft.pk, finding_id=finding.pk, reason=" ")
    r = Client().post(
        f"/api/v1/review/drafts/{draft.pk}/precheck-findings/{finding.pk}/dismiss",
        {"reason": "该条件有法律依据"},
        content_type="application/json",
        headers=token_for(reviewer),
    )
    assert r.status_code == 200 and r.json()["decision"] == "已排除"
    event = AuditEvent.objects.get(action="precheck_dismiss", object_id=str(finding.pk))
    assert event.comment == "该条件有法律依据" and event.actor == reviewer
    # A drafter cannot decide on findings.
    r = Client().post(
        f"/api/v1/review/drafts/{draft.pk}/precheck-findings/{finding.pk}/accept", headers=token_for(clerk)
    )
    assert r.status_code == 403
    assert not OpinionFinding.objects.exists()


def test_the_detail_shows_findings_to_the_reviewer(clerk, reviewer, make_draft, fake_precheck, token_for):
    draft = make_draft()
    _upload(clerk, draft, "一\n二\n申请人须在本区注册并纳税满三年。")
    detail = Client().get(f"/api/v1/review/drafts/{draft.pk}", headers=token_for(reviewer)).json()
    assert detail["versions"][-1]["precheck_findings"][0]["message"] == "以本地注册、纳税作为申请条件"
    Draft.objects.filter(pk=draft.pk).update(state="in_review")
    page = Client()
    page.force_login(reviewer)
    html = page.get(f"/review/drafts/{draft.pk}/").content.decode()
    assert "以本地注册、纳税作为申请条件" in html and "采纳为审查意见" in html


def test_earlier_findings_show_whether_their_paragraph_changed(clerk, reviewer, make_draft, fake_precheck):
    from fazhi.review import selectors

    draft = make_draft("in_review")
    opinions.add_finding(user=reviewer, draft_id=draft.pk, paragraph=3, text="删除纳税年限条件")
    opinions.add_finding(user=reviewer, draft_id=draft.pk, paragraph=2, text="写全称")
    services.transition(user=reviewer, draft_id=draft.pk, action="return", comment="修改")
    old = draft.versions.get(number=1).paragraphs()
    new_text = "\n".join([old[0], old[1], "第二条 申请人应符合申报指南的条件。", old[3]])
    version = _upload(clerk, draft, new_text)
    found = {e.finding.text: e.paragraph_changed for e in selectors.earlier_findings(draft, version)}
    assert found == {"删除纳税年限条件": True, "写全称": False}
    assert PrecheckFinding.objects.filter(version=version).count() == 0


def test_a_finding_can_cite_an_article_of_the_law_library(reviewer, make_draft):
    from fazhi.laws.models import Article, Law, LawVersion

    law = Law.objects.create(title="中华人民共和国预算法", norm_title="预算法", level="law")
    version = LawVersion.objects.create(law=law, text="……", text_hash="x" * 64)
    article = Article.objects.create(
        version=version, law=law, number=14, label="第十四条", ordinal=14, text="经本级人民代表大会……"
    )
    draft = make_draft("in_review")
    item = opinions.add_finding(
        user=reviewer,
        draft_id=draft.pk,
        paragraph=2,
        text="应按预算法公开",
        article_ref="《中华人民共和国预算法》第十四条",
    )
    assert item.article == article
    with pytest.raises(ValidationFailed, match="没有第二百条"):
        opinions.add_finding(
            user=reviewer,
            draft_id=draft.pk,
            paragraph=2,
            text="x",
            article_ref="《中华人民共和国预算法》第二百条",
        )
    with pytest.raises(ValidationFailed, match="法规库中没有"):
        opinions.add_finding(
            user=reviewer, draft_id=draft.pk, paragraph=2, text="x", article_ref="《不存在法》第一条"
        )
    services.transition(user=reviewer, draft_id=draft.pk, action="approve", comment="同意")
    import io

    import docx

    from fazhi.review import opinion_docx

    opinion = draft.opinions.get()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(opinion_docx.build(opinion))).paragraphs)
    assert "（依据：《中华人民共和国预算法》第十四条）" in text
    assert "原则同意，请按审查意见修改" in text
