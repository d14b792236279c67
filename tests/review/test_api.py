"""The review API over HTTP: the whole workflow, status codes, 应审尽审, outsiders and the supervisor."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from fazhi.core.models import AuditEvent, Message
from fazhi.review.models import Draft

from .conftest import DRAFT_TEXT, docx_bytes

API = "/api/v1/review"


def post(client, url, data, headers):
    return client.post(url, data, content_type="application/json", headers=headers)


def move(client, headers, draft_id, action, comment="意见"):
    return post(
        client, f"{API}/drafts/{draft_id}/transitions", {"action": action, "comment": comment}, headers
    )


def test_the_whole_workflow_with_tokens(clerk, reviewer, director, token_for):
    c = Client()
    drafter, rev, lead = token_for(clerk), token_for(reviewer), token_for(director)
    r = post(
        c,
        f"{API}/drafts",
        {
            "title": "专项资金管理办法",
            "doc_type": "行政规范性文件",
            "is_normative": True,
            "unit": "预算科",
            "due_date": "2099-01-31",
        },
        drafter,
    )
    assert r.status_code == 201, r.content
    assert set(r.json()) >= {"id", "state"} and r.json()["state"] == "起草"
    draft_id = r.json()["id"]

    assert move(c, drafter, draft_id, "submit").status_code == 409  # nothing uploaded yet
    upload = SimpleUploadedFile("办法.docx", docx_bytes(DRAFT_TEXT.splitlines()))
    assert c.post(f"{API}/drafts/{draft_id}/files", {"file": upload}, headers=drafter).status_code == 201
    r = move(c, drafter, draft_id, "submit", "请审查")
    assert r.status_code == 200 and r.json() == {"id": draft_id, "state": "已提交", "state_code": "submitted"}
    assert Message.objects.filter(recipient=reviewer, title__contains="新送审文稿").exists()
    assert move(c, rev, draft_id, "start_review").json()["state"] == "审查中"

    r = post(
        c,
        f"{API}/drafts/{draft_id}/opinion/findings",
        {"paragraph": 3, "text": "纳税年限条件排斥外地企业，建议删除。"},
        rev,
    )
    assert r.status_code == 201, r.content
    assert move(c, rev, draft_id, "return", "请修改").json()["state"] == "退回修改"
    assert Message.objects.filter(recipient=clerk, title__contains="退回修改").exists()

    r = move(c, drafter, draft_id, "submit")
    assert r.status_code == 409 and "新版本" in r.json()["detail"]
    revised = DRAFT_TEXT.replace(
        "申请资金的企业须在本区注册并纳税满三年。", "申请资金的企业应符合申报指南的条件。"
    )
    upload = SimpleUploadedFile("办法-修改稿.txt", revised.encode())
    assert c.post(f"{API}/drafts/{draft_id}/files", {"file": upload}, headers=drafter).status_code == 201
    assert move(c, drafter, draft_id, "submit").status_code == 200
    assert move(c, rev, draft_id, "start_review").status_code == 200

    detail = c.get(f"{API}/drafts/{draft_id}", headers=rev).json()
    earlier = detail["opinions"][0]["findings"][0]
    r = post(
        c, f"{API}/drafts/{draft_id}/findings/{earlier['id']}/resolution", {"resolution": "addressed"}, rev
    )
    assert r.status_code == 200 and r.json()["resolution"] == "已采纳修改"
    # The automated findings on the revised version are decided one by one before the review can pass.
    r = move(c, rev, draft_id, "approve", "同意")
    assert r.status_code == 409 and "条自动预审发现待处理" in r.json()["detail"]
    waiting = [f for f in detail["versions"][-1]["precheck_findings"] if f["decision"] == "待处理"]
    assert waiting
    for f in waiting:
        r = post(
            c,
            f"{API}/drafts/{draft_id}/precheck-findings/{f['id']}/dismiss",
            {"reason": "经人工核对，不属于问题"},
            rev,
        )
        assert r.status_code == 200, r.content
    assert move(c, rev, draft_id, "approve", "同意").json()["state"] == "审查通过"

    r = move(c, drafter, draft_id, "publish")
    assert r.status_code == 409
    assert "征求意见、评估论证、集体审议" in r.json()["detail"]
    for step in ("征求意见", "assessment", "集体审议"):
        r = post(
            c,
            f"{API}/drafts/{draft_id}/procedures",
            {"step": step, "date": timezone.localdate().isoformat(), "summary": "已完成"},
            drafter,
        )
        assert r.status_code == 201, r.content
    assert move(c, drafter, draft_id, "publish", "已印发").json()["state"] == "已发布"
    assert move(c, drafter, draft_id, "file", "已报送备案").json()["state"] == "已备案"
    assert move(c, lead, draft_id, "expire", "到期废止").json()["state"] == "已失效"

    detail = c.get(f"{API}/drafts/{draft_id}", headers=token_for(clerk)).json()
    assert [v["number"] for v in detail["versions"]] == [1, 2]
    assert [h["to"] for h in detail["history"]] == [
        "已提交",
        "审查中",
        "退回修改",
        "已提交",
        "审查中",
        "审查通过",
        "已发布",
        "已备案",
        "已失效",
    ]
    assert detail["history"][2]["comment"] == "请修改"
    assert [o["conclusion"] for o in detail["opinions"]] == ["退回修改，修改后重新报送", "审查通过"]
    assert detail["valid_until"] and detail["filing_deadline"]
    assert (
        AuditEvent.objects.filter(
            action="transition", object_type="review.Draft", object_id=str(draft_id)
        ).count()
        == 9
    )
    # Published, it entered the 法规库; expired, its text there is 已失效 too.
    assert detail["law_library"]["status"] == "已失效" and detail["law_library_error"] == ""


@pytest.mark.parametrize("state", ["drafting", "submitted", "in_review", "returned", "rejected"])
def test_a_draft_that_has_not_passed_review_cannot_be_published(
    clerk, director, make_draft, token_for, state
):
    draft = make_draft(state)
    for user in (clerk, director):
        r = move(Client(), token_for(user), draft.pk, "publish")
        assert r.status_code == 409
        assert "未经合法性审查通过的文稿不得发布（应审尽审）" in r.json()["detail"]
    draft.refresh_from_db()
    assert draft.state == state and draft.published_on is None


def test_http_codes_for_a_wrong_role_and_a_wrong_state(clerk, reviewer, make_draft, token_for):
    draft = make_draft("in_review", major=True)
    r = move(Client(), token_for(reviewer), draft.pk, "approve")
    assert r.status_code == 403 and "分管领导" in r.json()["detail"]
    r = move(Client(), token_for(clerk), draft.pk, "submit")
    assert r.status_code == 409 and "审查中" in r.json()["detail"]
    r = move(Client(), token_for(clerk), draft.pk, "fly")
    assert r.status_code == 400


def test_reject_needs_a_reason(director, make_draft, token_for):
    draft = make_draft("in_review")
    r = move(Client(), token_for(director), draft.pk, "reject", "")
    assert r.status_code == 400 and "理由" in r.json()["detail"]


def test_a_drafter_cannot_see_or_move_another_drafters_draft(other_drafter, make_draft, token_for):
    draft = make_draft()
    assert Client().get(f"{API}/drafts/{draft.pk}", headers=token_for(other_drafter)).status_code == 403
    assert move(Client(), token_for(other_drafter), draft.pk, "submit").status_code == 403


def test_create_refuses_bad_input_with_a_chinese_message(clerk, token_for):
    r = post(Client(), f"{API}/drafts", {"title": " ", "doc_type": "normative"}, token_for(clerk))
    assert r.status_code == 400 and "标题" in r.json()["detail"]
    r = post(
        Client(), f"{API}/drafts", {"title": "x", "doc_type": "通知", "unit": "预算科"}, token_for(clerk)
    )
    assert r.status_code == 400 and "文书类型" in r.json()["detail"]
    assert not Draft.objects.exists()


def test_the_opinion_docx_opens_and_contains_the_findings(clerk, reviewer, make_draft, token_for):
    draft = make_draft("in_review")
    c = Client()
    rev = token_for(reviewer)
    post(
        c,
        f"{API}/drafts/{draft.pk}/opinion/findings",
        {"paragraph": 3, "text": "不得以纳税年限限制申请人。"},
        rev,
    )
    post(
        c,
        f"{API}/drafts/{draft.pk}/opinion/findings",
        {"paragraph": 2, "text": "引用法律名称应使用全称。"},
        rev,
    )
    assert move(c, rev, draft.pk, "return", "请按意见修改").status_code == 200
    r = c.get(f"{API}/drafts/{draft.pk}/opinion.docx", headers=token_for(clerk))
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert "合法性审查意见书" in text
    assert "财法审〔" in text
    assert f"《{draft.title}》" in text
    assert "（一）第3段：不得以纳税年限限制申请人。" in text
    assert "（二）第2段：引用法律名称应使用全称。" in text
    assert "退回修改，修改后重新报送。请按意见修改" in text
    assert f"审查人：{reviewer}" in text


def test_no_opinion_yet_is_a_404(clerk, make_draft, token_for):
    draft = make_draft()
    r = Client().get(f"{API}/drafts/{draft.pk}/opinion.docx", headers=token_for(clerk))
    assert r.status_code == 404 and "尚未" in r.json()["detail"]


ENDPOINTS = [
    ("get", "/drafts"),
    ("post", "/drafts"),
    ("get", "/drafts/{id}"),
    ("post", "/drafts/{id}/files"),
    ("post", "/drafts/{id}/transitions"),
    ("get", "/drafts/{id}/opinion.docx"),
    ("post", "/drafts/{id}/procedures"),
    ("post", "/drafts/{id}/opinion/findings"),
    ("put", "/drafts/{id}/opinion/conclusion"),
    ("post", "/drafts/{id}/precheck-findings/1/dismiss"),
    ("post", "/drafts/{id}/findings/1/resolution"),
    ("get", "/ledger"),
    ("get", "/ledger.xlsx"),
]
BODIES = {
    "/drafts": {"title": "x", "doc_type": "other", "unit": "u"},
    "/drafts/{id}/transitions": {"action": "submit"},
    "/drafts/{id}/procedures": {"step": "征求意见", "date": "2026-01-01", "summary": "x"},
    "/drafts/{id}/opinion/findings": {"paragraph": 1, "text": "x"},
    "/drafts/{id}/opinion/conclusion": {"text": "x"},
    "/drafts/{id}/precheck-findings/1/dismiss": {"reason": "x"},
    "/drafts/{id}/findings/1/resolution": {"resolution": "addressed"},
}


def _call(client, method, path, draft_id, headers=None):
    url = API + path.replace("{id}", str(draft_id))
    if path.endswith("/files"):
        return client.post(url, {"file": SimpleUploadedFile("a.txt", b"text")}, headers=headers or {})
    body = BODIES.get(path)
    kwargs = {"content_type": "application/json", "headers": headers or {}}
    return (
        getattr(client, method)(url, body, **kwargs)
        if body
        else getattr(client, method)(url, headers=headers or {})
    )


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_anonymous_and_outsiders_are_refused_everywhere(
    outsider, enterprise, make_draft, token_for, method, path
):
    draft = make_draft("in_review")
    assert _call(Client(), method, path, draft.pk).status_code == 401
    for user in (outsider, enterprise):
        r = _call(Client(), method, path, draft.pk, token_for(user))
        assert r.status_code == 403, (user, r.content)


@pytest.mark.parametrize(("method", "path"), [e for e in ENDPOINTS if e[0] != "get"])
def test_the_supervisor_cannot_write(supervisor, make_draft, token_for, method, path):
    draft = make_draft("in_review")
    r = _call(Client(), method, path, draft.pk, token_for(supervisor))
    assert r.status_code == 403, r.content
    draft.refresh_from_db()
    assert draft.state == "in_review"


def test_the_supervisor_can_read(supervisor, make_draft, token_for):
    draft = make_draft("in_review")
    headers = token_for(supervisor)
    assert Client().get(f"{API}/drafts/{draft.pk}", headers=headers).status_code == 200
    assert Client().get(f"{API}/drafts", headers=headers).json()[0]["id"] == draft.pk
    assert Client().get(f"{API}/ledger", headers=headers).json()["count"] == 1


def test_the_diff_api_pairs_paragraphs_and_lists_earlier_findings(clerk, reviewer, make_draft, token_for):
    from fazhi.review import opinions, services

    draft = make_draft("in_review")
    opinions.add_finding(user=reviewer, draft_id=draft.pk, paragraph=3, text="删除纳税年限")
    services.transition(user=reviewer, draft_id=draft.pk, action="return", comment="修改")
    text = DRAFT_TEXT.replace("纳税满三年", "符合申报条件")
    services.upload_version(user=clerk, draft_id=draft.pk, name="v2.txt", data=text.encode())
    body = Client().get(f"{API}/drafts/{draft.pk}/versions/2/diff", headers=token_for(reviewer)).json()
    changed = [r for r in body["rows"] if r["tag"] != "equal"]
    assert (
        len(changed) == 1
        and "符合申报条件" in changed[0]["new_text"]
        and "纳税满三年" in changed[0]["old_text"]
    )
    assert body["earlier_findings"][0]["paragraph_changed"] is True
    assert (
        Client().get(f"{API}/drafts/{draft.pk}/versions/1/diff", headers=token_for(reviewer)).status_code
        == 404
    )
