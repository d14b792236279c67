"""A NUL character (\\x00) in a form, a JSON body or the query is refused with a Chinese 400 before any view runs:
nothing is saved (SQLite would store it silently, PostgreSQL fails on it)."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from fazhi.core.middleware import NUL_MESSAGE, request_holds_nul
from fazhi.laws.models import Law
from fazhi.review.models import Draft


def test_a_form_field_with_nul_is_refused_and_nothing_is_saved(clerk, login):
    client = login(clerk)
    response = client.post(
        "/review/new/",
        {"title": "\x00", "doc_type": "normative", "unit": "法规科"},
        HTTP_REFERER="http://testserver/review/new/",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "不可见的控制字符" in page and 'href="http://testserver/review/new/"' in page
    assert not Draft.objects.exists()


def test_a_json_field_with_nul_is_refused_with_a_chinese_api_error(sysadmin, token_for):
    from django.test import Client

    body = json.dumps({"title": "某办法\u0000", "text": "第一条 为了规范管理，制定本办法。"})
    response = Client().post(
        "/api/v1/laws/manual", body, content_type="application/json", headers=token_for(sysadmin)
    )
    assert response.status_code == 400
    assert response.json() == {"detail": NUL_MESSAGE, "code": "control_character"}
    assert not Law.objects.filter(title__startswith="某办法").exists()


def test_nul_in_the_query_is_refused(client):
    response = client.get("/exams/qualifications.xlsx?department=%00")
    assert response.status_code == 400 and "不可见的控制字符" in response.content.decode()


def test_clean_requests_and_binary_uploads_pass():
    rf = RequestFactory()
    upload = SimpleUploadedFile(
        "a.docx", b"PK\x03\x04\x00\x00binary\x00", content_type="application/octet-stream"
    )
    assert not request_holds_nul(rf.post("/x/", {"title": "正常标题", "file": upload}))
    assert not request_holds_nul(
        rf.post("/x/", json.dumps({"q": "\\u0000 as text"}), content_type="application/json")
    )
    assert not request_holds_nul(rf.get("/x/", {"q": "预算"}))
    assert request_holds_nul(rf.post("/x/", {"tags": ["a", "b\x00"]}))
    assert request_holds_nul(
        rf.post("/x/", json.dumps({"rows": [{"name": "x\u0000"}]}), content_type="application/json")
    )
    assert request_holds_nul(rf.put("/x/", b'{"a": "\x00"}', content_type="application/json"))


def test_a_json_endpoint_sent_an_empty_form_answers_with_its_own_message_not_a_500(clerk, token_for, client):
    # The check reads a multipart body to look at its fields; the API must still be able to read it after.
    response = client.post("/api/v1/review/drafts", headers=token_for(clerk))  # multipart, no fields
    assert response.status_code in (400, 422), response.content
    assert response.json()["detail"] and not Draft.objects.exists()
    form = client.post("/api/v1/auth/token", {"username": "clerk"})  # multipart with a field
    assert form.status_code in (400, 401, 422), form.content
