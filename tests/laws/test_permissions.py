"""Write paths (admin pages, API) refuse anonymous users and outsiders; editors can add and correct."""

from __future__ import annotations

import io

import docx
import pytest
from django.test import Client

from fazhi.core.models import AuditEvent
from fazhi.laws.models import Law, LawVersion, Status
from fazhi.laws.search import search_articles

from .test_parsing import PASTED

ADD_TEXT = "/admin/laws/law/add-text/"


def _correct_url(version: LawVersion) -> str:
    return f"/admin/laws/lawversion/{version.pk}/correct-status/"


def test_anonymous_users_are_sent_to_the_login_page(small_library):
    version = LawVersion.objects.first()
    for url in (ADD_TEXT, _correct_url(version), "/admin/laws/law/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert (
        Client()
        .post(ADD_TEXT, {"text": PASTED, "level": "department_rule", "status": "in_force"})
        .status_code
        == 302
    )
    assert not Law.objects.filter(title__startswith="政府采购货物和服务").exists()


def test_staff_without_the_editor_role_are_refused(small_library, login, buyer, outsider):
    version = LawVersion.objects.first()
    assert login(buyer).get(ADD_TEXT).status_code == 403
    assert (
        login(buyer).post(_correct_url(version), {"status": "repealed", "reason": "测试理由四字"}).status_code
        == 403
    )
    assert login(buyer).get("/admin/laws/law/").status_code == 403
    assert login(outsider).get(ADD_TEXT).status_code == 302  # not staff: the admin login page
    version.refresh_from_db()
    assert version.status != Status.REPEALED


def test_the_write_apis_refuse_anonymous_users_and_outsiders(small_library, token_for, outsider, enterprise):
    version = LawVersion.objects.first()
    status_url = f"/api/v1/laws/{version.law_id}/versions/{version.pk}/status"
    payload = {"status": "已废止", "reason": "依据废止决定"}
    assert Client().post(status_url, payload, content_type="application/json").status_code == 401
    assert (
        Client().post("/api/v1/laws/manual", {"text": PASTED}, content_type="application/json").status_code
        == 401
    )
    for user in (outsider, enterprise):
        headers = token_for(user)
        response = Client().post(status_url, payload, content_type="application/json", headers=headers)
        assert response.status_code == 403 and "更正效力状态" in response.json()["detail"]
        response = Client().post(
            "/api/v1/laws/manual", {"text": PASTED}, content_type="application/json", headers=headers
        )
        assert response.status_code == 403
    version.refresh_from_db()
    assert version.status == Status.IN_FORCE


def test_an_editor_adds_a_ministry_rule_by_pasting_text_and_it_is_searchable(
    small_library, login, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(reviewer).post(
            ADD_TEXT, {"text": PASTED, "level": "department_rule", "status": "in_force", "issuer": "财政部"}
        )
    assert response.status_code == 302
    law = Law.objects.get(title="政府采购货物和服务招标投标管理办法")
    version = law.versions.get()
    assert version.source == "manual" and version.articles.count() == 4
    hits = search_articles(q="政府采购货物和服务招标投标 市场调查", limit=5).hits
    assert any(h.article.law_title == law.title for h in hits)
    assert AuditEvent.objects.filter(
        object_type="laws.LawVersion", object_id=str(version.pk), action="create"
    ).exists()


def test_an_editor_uploads_a_docx(small_library, login, sysadmin):
    document = docx.Document()
    for line in PASTED.replace(
        "政府采购货物和服务招标投标管理办法", "政府采购质疑和投诉办法", 1
    ).splitlines():
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    buf.seek(0)
    buf.name = "94号令.docx"
    response = login(sysadmin).post(
        ADD_TEXT, {"level": "department_rule", "status": "in_force", "upload": buf}
    )
    assert response.status_code == 302
    assert Law.objects.get(title="政府采购质疑和投诉办法").articles.count() == 4


def test_bad_uploads_and_texts_are_refused_with_a_message(small_library, login, reviewer):
    fake = io.BytesIO(b"%PDF-1.4 not a law")
    fake.name = "law.docx"
    response = login(reviewer).post(
        ADD_TEXT, {"level": "department_rule", "status": "in_force", "upload": fake}
    )
    assert response.status_code == 200 and "不是 .docx 或 .txt" in response.content.decode()
    response = login(reviewer).post(
        ADD_TEXT, {"level": "department_rule", "status": "in_force", "text": "只有一句话"}
    )
    assert "没有从文本中识别出任何条文" in response.content.decode()
    response = login(reviewer).post(ADD_TEXT, {"level": "department_rule", "status": "in_force"})
    assert "请粘贴法规全文" in response.content.decode()
    assert not Law.objects.filter(title="只有一句话").exists()


def test_correcting_a_status_needs_a_reason_and_is_audited(small_library, login, reviewer):
    version = LawVersion.objects.get(law__title="中华人民共和国预算法")
    client = login(reviewer)
    response = client.post(_correct_url(version), {"status": "repealed", "basis": "", "reason": ""})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    version.refresh_from_db()
    assert version.status == Status.IN_FORCE
    response = client.post(
        _correct_url(version),
        {"status": "repealed", "basis": "测试用废止决定", "reason": "依据测试用废止决定更正"},
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert (version.status, version.status_basis) == (Status.REPEALED, "测试用废止决定")
    event = AuditEvent.objects.filter(action="transition", object_id=str(version.pk)).latest("seq")
    assert event.before["status"] == "in_force" and event.after["status"] == "repealed"
    assert "依据测试用废止决定更正" in event.comment
    assert event.actor == reviewer


@pytest.mark.parametrize("reason", ["", "短"])
def test_the_status_api_refuses_a_missing_reason(small_library, token_for, reviewer, reason):
    version = LawVersion.objects.get(law__title="中华人民共和国预算法")
    response = Client().post(
        f"/api/v1/laws/{version.law_id}/versions/{version.pk}/status",
        {"status": "已废止", "reason": reason},
        content_type="application/json",
        headers=token_for(reviewer),
    )
    assert response.status_code == 400 and "更正理由" in response.json()["detail"]
