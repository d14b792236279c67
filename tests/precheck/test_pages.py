"""起草自查 page and the admin's rule settings."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.models import AuditEvent
from fazhi.review.precheck.models import RuleSetting
from tests.precheck.test_docx import make_docx

URL = "/review/precheck/"


def test_the_page_shows_the_form_to_a_drafter(login, clerk):
    resp = login(clerk).get(URL)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "起草自查" in html and 'for="id_text"' in html and 'for="id_file"' in html


def test_anonymous_users_are_sent_to_login(client):
    resp = client.get(URL)
    assert resp.status_code == 302
    assert "login" in resp["Location"]


def test_it_refuses_an_outsider(login, outsider, enterprise):
    assert login(outsider).get(URL).status_code == 403
    assert login(enterprise).post(URL, {"text": "投标人注册资本不低于一千万元。"}).status_code == 403


def test_pasted_text_comes_back_highlighted_with_messages(login, reviewer, law_library):
    text = "依据《中华人民共和国预算法》第十四条，制定本办法。\n申报企业须在本区纳税满三年方可享受房租补贴。"
    resp = login(reviewer).post(URL, {"text": text, "doc_type": "行政规范性文件"})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert '<mark class="sev-高"' in html
    assert "本区纳税满三年" in html
    assert "公平竞争审查条例第九条" in html
    assert 'href="/laws/' in html  # the resolved citation is a link
    assert 'id="f-1"' in html


def test_an_uploaded_docx_is_checked(login, clerk):
    upload = SimpleUploadedFile("草案.docx", make_docx())
    resp = login(clerk).post(URL, {"doc_type": "政府采购文件", "file": upload})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "售后服务网点" in html and '<mark class="sev-高"' in html
    assert "政府采购法实施条例》第二十条" in html


def test_empty_input_shows_a_chinese_error_not_a_500(login, clerk):
    resp = login(clerk).post(URL, {"text": "  ", "doc_type": "行政规范性文件"})
    assert resp.status_code == 400
    assert "不能为空" in resp.content.decode()


def test_the_admin_can_change_a_rule_and_the_change_is_audited(login, sysadmin):
    client = login(sysadmin)
    assert client.get("/admin/precheck/rulesetting/").status_code == 200
    resp = client.post(
        "/admin/precheck/rulesetting/add/",
        {"rule_id": "PROC-SME", "enabled": "", "severity": "低", "note": "本区暂不适用"},
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    setting = RuleSetting.objects.get(rule_id="PROC-SME")
    assert setting.enabled is False and setting.updated_by == sysadmin
    assert AuditEvent.objects.filter(object_type__icontains="rulesetting").exists()


def test_the_admin_offers_only_known_rules(login, sysadmin):
    resp = login(sysadmin).post("/admin/precheck/rulesetting/add/", {"rule_id": "NO-SUCH", "enabled": "on"})
    assert resp.status_code == 200
    assert not RuleSetting.objects.exists()


def test_pasted_text_and_an_uploaded_file_together_are_refused_and_the_text_is_kept(login, clerk):
    upload = SimpleUploadedFile("草案.docx", make_docx())
    resp = login(clerk).post(
        URL, {"doc_type": "政府采购文件", "text": "申报企业须在本区纳税满三年。", "file": upload}
    )
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "只能二选一" in html
    assert ">申报企业须在本区纳税满三年。</textarea>" in html  # what was typed stays in the box
    assert "自查结果" not in html and "售后服务网点" not in html  # neither was checked
    assert '<option value="政府采购文件" selected>' in html


def test_blank_text_beside_an_uploaded_file_is_not_a_conflict(login, clerk):
    upload = SimpleUploadedFile("草案.docx", make_docx())
    resp = login(clerk).post(URL, {"doc_type": "政府采购文件", "text": "  \r\n", "file": upload})
    assert resp.status_code == 200 and "售后服务网点" in resp.content.decode()


def test_an_unknown_document_type_is_refused_with_the_choices(login, clerk):
    resp = login(clerk).post(URL, {"doc_type": "不存在的类型", "text": "申报企业须在本区纳税满三年。"})
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "文书类型“不存在的类型”无效" in html
    assert "可选：行政规范性文件、政府采购文件、重大行政决策、合同、行政处罚决定书、其他文书" in html
    assert "自查结果" not in html


def test_the_form_says_it_is_working_and_disables_its_button(login, clerk):
    html = login(clerk).get(URL).content.decode()
    assert 'data-busy="正在自查…"' in html
    assert 'role="status" hidden data-busy-notice' in html and "请勿关闭或刷新本页" in html
    assert "button.disabled = true" in html
