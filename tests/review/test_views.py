"""Pages: each role sees its lists; forms show Chinese errors; outsiders and anonymous users are refused."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.review import opinions, services
from fazhi.review.models import Draft, DraftVersion

from .conftest import pdf_bytes

PAGES = [
    "/review/",
    "/review/new/",
    "/review/ledger/",
    "/review/drafts/{id}/",
    "/review/drafts/{id}/versions/1/",
    "/review/drafts/{id}/opinion.docx",
]


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_users_go_to_the_login_page_and_outsiders_get_403(
    outsider, enterprise, make_draft, login, path
):
    draft = make_draft()
    url = path.replace("{id}", str(draft.pk))
    from django.test import Client

    r = Client().get(url)
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    for user in (outsider, enterprise):
        assert login(user).get(url).status_code == 403


def test_posts_from_outsiders_change_nothing(outsider, supervisor, make_draft, login):
    draft = make_draft()
    for user in (outsider, supervisor):
        r = login(user).post(f"/review/drafts/{draft.pk}/transition/", {"action": "submit"})
        assert r.status_code in (302, 403)
    draft.refresh_from_db()
    assert draft.state == "drafting"


def test_each_role_sees_its_list(clerk, reviewer, director, supervisor, make_draft, login):
    draft = make_draft()
    services.transition(user=clerk, draft_id=draft.pk, action="submit")
    for user, heading in (
        (clerk, "我起草的文稿"),
        (reviewer, "待审查"),
        (director, "审查中"),
        (supervisor, "最近登记"),
    ):
        html = login(user).get("/review/").content.decode()
        assert heading in html and draft.title in html
        assert "<title>合法性审查" in html and "流转规则" in html


def test_a_drafter_registers_and_uploads_through_the_pages(clerk, login):
    c = login(clerk)
    r = c.post("/review/new/", {"title": "", "doc_type": "other", "unit": "预算科"})
    assert r.status_code == 400 and "请填写文稿标题" in r.content.decode()
    r = c.post("/review/new/", {"title": "采购合同", "doc_type": "contract", "unit": "采购办"})
    assert r.status_code == 302
    draft = Draft.objects.get(title="采购合同")
    bad = SimpleUploadedFile("合同.docx", pdf_bytes(["x"]))
    r = c.post(f"/review/drafts/{draft.pk}/upload/", {"file": bad}, follow=True)
    assert "与文件名不符" in r.content.decode()
    assert not DraftVersion.objects.filter(draft=draft).exists()
    good = SimpleUploadedFile("合同.txt", "第一条 甲方。\n第二条 乙方。".encode())
    c.post(f"/review/drafts/{draft.pk}/upload/", {"file": good})
    r = c.post(f"/review/drafts/{draft.pk}/transition/", {"action": "publish"}, follow=True)
    assert "应审尽审" in r.content.decode()
    c.post(f"/review/drafts/{draft.pk}/transition/", {"action": "submit", "comment": "请审查"})
    draft.refresh_from_db()
    assert draft.state == "submitted"


def test_the_reviewer_sees_a_side_by_side_diff_and_earlier_opinions(clerk, reviewer, make_draft, login):
    draft = make_draft("in_review")
    opinions.add_finding(user=reviewer, draft_id=draft.pk, paragraph=3, text="删除纳税年限")
    services.transition(user=reviewer, draft_id=draft.pk, action="return", comment="修改")
    text = draft.versions.get(number=1).text.replace("纳税满三年", "符合申报条件")
    services.upload_version(user=clerk, draft_id=draft.pk, name="v2.txt", data=text.encode())
    html = login(reviewer).get(f"/review/drafts/{draft.pk}/versions/2/diff/").content.decode()
    assert "<del>" in html and "<ins>" in html and "符合申报条件" in html
    assert "删除纳税年限" in html and "原文已修改" in html


def test_htmx_dismissal_returns_only_the_row(clerk, reviewer, make_draft, login, monkeypatch):
    from fazhi.review.precheck import engine
    from fazhi.review.precheck.types import Finding

    monkeypatch.setattr(
        engine,
        "check",
        lambda text, doc_type="", procedures=None: [
            Finding("R1", "FORM", "低", 1, 0, 2, "关于", "标题不规范", "", "")
        ],
    )
    draft = make_draft()
    services.upload_version(user=clerk, draft_id=draft.pk, name="v2.txt", data="关于某事\n正文".encode())
    Draft.objects.filter(pk=draft.pk).update(state="in_review")
    finding = draft.versions.get(number=2).precheck_findings.get()
    c = login(reviewer)
    r = c.post(
        f"/review/drafts/{draft.pk}/precheck/{finding.pk}/",
        {"decision": "dismiss", "reason": ""},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and "须说明理由" in r.content.decode() and "<html" not in r.content.decode()
    r = c.post(
        f"/review/drafts/{draft.pk}/precheck/{finding.pk}/",
        {"decision": "dismiss", "reason": "格式可接受"},
        HTTP_HX_REQUEST="true",
    )
    assert "已排除：格式可接受" in r.content.decode()


def test_the_slow_forms_of_a_draft_say_they_are_working(clerk, reviewer, make_draft, login):
    draft = make_draft()
    html = login(clerk).get(f"/review/drafts/{draft.pk}/").content.decode()
    assert 'class="form" data-busy="正在上传并预审…"' in html and "正在上传并自动预审" in html
    assert "button.disabled = true" in html
    Draft.objects.filter(pk=draft.pk).update(state="in_review")
    html = login(reviewer).get(f"/review/drafts/{draft.pk}/").content.decode()
    assert 'data-busy="正在预审…"' in html and "正在重新预审" in html


def test_a_refused_form_comes_back_with_what_was_typed(clerk, reviewer, make_draft, login):
    draft = make_draft("in_review")
    client = login(reviewer)
    url = f"/review/drafts/{draft.pk}/"
    typed = "第三段设定的罚款没有上位法依据，建议删除。"
    page = client.post(
        f"{url}findings/",
        {"form": "finding", "paragraph": "999", "text": typed, "article_ref": "预算法第十条"},
        follow=True,
    ).content.decode()
    assert "段落号 999 超出范围" in page
    assert f">{typed}</textarea>" in page and 'value="999"' in page and 'value="预算法第十条"' in page
    # Shown once: the next visit has empty boxes again.
    assert typed not in client.get(url).content.decode()
    comment = "请补充公平竞争审查材料后再报。"
    returned = client.post(
        f"{url}transition/", {"form": "transition", "action": "bogus", "comment": comment}, follow=True
    ).content.decode()
    assert "未知的操作" in returned
    assert f">{comment}</textarea>" not in returned  # an unknown action has no box to fill again
    long = "结论" * 2501  # 5002 characters: over the limit
    refused = client.post(
        f"{url}conclusion/", {"form": "conclusion", "text": long}, follow=True
    ).content.decode()
    assert "结论意见不能超过" in refused and f">{long}</textarea>" in refused


def test_irreversible_actions_ask_first_and_a_page_expiry_needs_its_ground(reviewer, make_draft, login):
    draft = make_draft("published")
    client = login(reviewer)
    page = client.get(f"/review/drafts/{draft.pk}/").content.decode()
    assert 'data-confirm="确定宣布该文件失效？' in page
    assert 'name="comment" rows="2" required' in page  # the expire form's reason

    response = client.post(
        f"/review/drafts/{draft.pk}/transition/", {"action": "expire", "comment": "  ", "form": "transition"}
    )
    assert response.status_code == 302
    assert Draft.objects.get(pk=draft.pk).state == "published"
    shown = client.get(response["Location"]).content.decode()
    assert "宣布失效须写明理由" in shown

    client.post(f"/review/drafts/{draft.pk}/transition/", {"action": "expire", "comment": "上位政策调整"})
    assert Draft.objects.get(pk=draft.pk).state == "expired"
