"""POST /api/v1/review/precheck: JSON or .docx in, findings out; clear Chinese errors, never a 500."""

from __future__ import annotations

import json

import pytest

from tests.precheck.test_docx import make_docx

URL = "/api/v1/review/precheck"
FIELDS = {
    "rule_id",
    "family",
    "severity",
    "paragraph",
    "start",
    "end",
    "quote",
    "message",
    "basis",
    "suggestion",
}


def _post(client, payload, headers=None):
    return client.post(URL, data=json.dumps(payload), content_type="application/json", headers=headers or {})


def test_a_drafter_gets_findings_with_every_field(client, clerk, token_for, law_library):
    text = (
        "依据《中华人民共和国预算法》第一百二十条，制定本办法。\n申报企业须在本区纳税满三年方可享受房租补贴。"
    )
    resp = _post(client, {"text": text, "doc_type": "行政规范性文件"}, token_for(clerk))
    assert resp.status_code == 200
    body = resp.json()
    assert set(body["findings"][0]) >= FIELDS
    families = [(f["family"], f["paragraph"]) for f in body["findings"]]
    assert ("CITE", 1) in families and ("FC", 2) in families
    assert body["citations"][0]["law"] == "中华人民共和国预算法"


@pytest.mark.parametrize("who", ["reviewer", "director", "sysadmin"])
def test_reviewers_leaders_and_administrators_may_use_it(client, token_for, who, request):
    user = request.getfixturevalue(who)
    resp = _post(
        client, {"text": "投标人注册资本不低于一千万元。", "doc_type": "政府采购文件"}, token_for(user)
    )
    assert resp.status_code == 200
    assert resp.json()["findings"][0]["rule_id"] == "PROC-SME"


def test_it_accepts_the_page_session_too(login, clerk):
    resp = login(clerk).post(
        URL, data=json.dumps({"text": "投标人注册资本不低于一千万元。"}), content_type="application/json"
    )
    assert resp.status_code == 200


@pytest.mark.parametrize("who", ["outsider", "enterprise", "supervisor"])
def test_it_refuses_an_outsider(client, token_for, who, request):
    resp = _post(client, {"text": "投标人注册资本不低于一千万元。"}, token_for(request.getfixturevalue(who)))
    assert resp.status_code == 403
    assert "起草人" in resp.json()["detail"]


def test_it_refuses_anonymous_users(client):
    resp = _post(client, {"text": "投标人注册资本不低于一千万元。"})
    assert resp.status_code == 401


@pytest.mark.parametrize("payload", [{"text": ""}, {"text": "   \n "}, {}, {"doc_type": "合同"}])
def test_empty_input_gets_a_chinese_400(client, clerk, token_for, payload):
    resp = _post(client, payload, token_for(clerk))
    assert resp.status_code == 400
    assert "不能为空" in resp.json()["detail"]


@pytest.mark.parametrize(
    "raw, message",
    [
        ("{not json", "JSON"),
        ("[1, 2]", "JSON 对象"),
        ('{"text": 12}', "文字"),
        ('{"text": "x", "doc_type": 3}', "doc_type"),
    ],
)
def test_malformed_json_gets_a_chinese_400(client, clerk, token_for, raw, message):
    resp = client.post(URL, data=raw, content_type="application/json", headers=token_for(clerk))
    assert resp.status_code == 400
    assert message in resp.json()["detail"]


def test_a_400_kb_text_is_checked(client, clerk, token_for):
    sentence = "各预算单位应当严格执行预算，投标人须在本市设有售后服务网点。\n"
    text = sentence * (400 * 1024 // len(sentence.encode()) + 1)
    assert len(text.encode()) >= 400 * 1024
    resp = _post(client, {"text": text, "doc_type": "政府采购文件"}, token_for(clerk))
    assert resp.status_code == 200
    assert len(resp.json()["findings"]) == text.count("\n")


def test_a_text_over_the_limit_gets_a_chinese_400(client, clerk, token_for):
    resp = _post(client, {"text": "甲" * 200_001}, token_for(clerk))
    assert resp.status_code == 400
    assert (
        resp.json()["detail"]
        == "单次预审的文书内容不能超过 200,000 个字（当前 200,001 个字），请分章节提交。"
    )


def test_a_docx_upload_with_tables_and_lists_is_checked(client, clerk, token_for):
    resp = client.post(
        URL,
        data={"file": _upload(make_docx()), "doc_type": "政府采购文件"},
        headers=token_for(clerk),
    )
    assert resp.status_code == 200
    found = {(f["rule_id"], f["paragraph"]) for f in resp.json()["findings"]}
    assert ("PROC-LOCAL", 4) in found  # numbered list item
    assert ("PROC-LOCAL", 6) in found  # table row
    assert ("PROC-BID-BOND", 7) in found


@pytest.mark.parametrize("content", [b"%PDF-1.4 fake", b"", b"PK\x03\x04 not really"])
def test_a_file_that_is_not_a_docx_gets_a_chinese_400(client, clerk, token_for, content):
    resp = client.post(URL, data={"file": _upload(content)}, headers=token_for(clerk))
    assert resp.status_code == 400
    assert ".docx" in resp.json()["detail"] or "空的" in resp.json()["detail"]


def test_a_multipart_request_without_a_file_gets_a_chinese_400(client, clerk, token_for):
    resp = client.post(URL, data={"doc_type": "政府采购文件"}, headers=token_for(clerk))
    assert resp.status_code == 400
    assert "file" in resp.json()["detail"]


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("草案.docx", content, content_type="application/octet-stream")


def test_the_openapi_document_describes_both_request_forms(client):
    spec = client.get("/api/v1/openapi.json").json()
    body = spec["paths"][URL]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(body)


@pytest.mark.parametrize("doc_type", ["不存在的类型", "normative-ish"])
def test_an_unknown_document_type_gets_a_chinese_400_with_the_choices(client, clerk, token_for, doc_type):
    resp = _post(client, {"text": "申报企业须在本区纳税满三年。", "doc_type": doc_type}, token_for(clerk))
    assert resp.status_code == 400
    detail = resp.json()["detail"]
    assert f"文书类型“{doc_type}”无效" in detail and "可选：行政规范性文件、政府采购文件" in detail


@pytest.mark.parametrize("doc_type", ["", "规范性文件", "procurement", " 合同 "])
def test_known_names_aliases_and_no_document_type_are_accepted(client, clerk, token_for, doc_type):
    resp = _post(client, {"text": "申报企业须在本区纳税满三年。", "doc_type": doc_type}, token_for(clerk))
    assert resp.status_code == 200


def test_a_multipart_request_with_both_text_and_a_file_gets_a_chinese_400(client, clerk, token_for):
    resp = client.post(
        URL, data={"file": _upload(make_docx()), "text": "另一份文书"}, headers=token_for(clerk)
    )
    assert resp.status_code == 400
    assert "只能二选一" in resp.json()["detail"]
