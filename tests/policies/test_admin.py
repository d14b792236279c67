"""The policy admin applies the Excel import's rules and the Excel views check the model permissions."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.policies.models import Policy
from tests.policies.test_excel import workbook

ADD_URL = "/admin/policies/policy/add/"


def admin_data(**overrides: str) -> dict[str, str]:
    """A complete POST for the policy change form (blank optional fields, no attachments)."""
    data = {name: "" for name in ("external_id", "issuer", "doc_number", "level", "status_override")}
    data.update({name: "" for name in ("written_date", "published_date", "effective_from", "effective_to")})
    data.update({name: "" for name in ("beneficiaries", "conditions_text", "support_standard")})
    data.update({name: "" for name in ("support_amount", "support_ratio", "support_cap")})
    data.update({name: "" for name in ("apply_start", "apply_end", "apply_method", "contact_phone")})
    data.update({name: "" for name in ("min_years_established", "employees_min", "employees_max")})
    data.update({name: "" for name in ("revenue_min", "revenue_max", "full_text", "interpretation")})
    data.update({"interpretation_of": "", "source_url": "", "status_reason": ""})
    data.update({name: "[]" for name in ("themes", "industries", "sizes", "regions", "support_types")})
    data.update(
        {
            "title": "稳岗补贴",
            "required_tags": "[]",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0",
            "attachments-MAX_NUM_FORMS": "1000",
        }
    )
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"status_override": "repealed", "status_reason": ""}, "人工设定状态时须填写状态说明。"),
        ({"effective_from": "2026-12-01", "effective_to": "2026-01-01"}, "有效期的开始日期晚于结束日期。"),
        ({"apply_start": "2026-12-31", "apply_end": "2026-01-01"}, "申报期的开始日期晚于结束日期。"),
        ({"industries": '["Z", "制造业"]'}, "行业“Z”不是国民经济行业分类门类（如 C 或 制造业）。"),
        ({"sizes": '["巨型"]'}, "企业规模“巨型”无效，应为：大型、中型、小型、微型。"),
        ({"support_types": '["乱写"]'}, "支持方式“乱写”无效"),
        ({"support_ratio": "500"}, "支持比例不能超过100%。"),
        ({"employees_min": "200", "employees_max": "10"}, "从业人员下限大于上限。"),
        ({"themes": '"稳岗"'}, "请填写文字列表"),
    ],
)
def test_the_admin_refuses_what_the_excel_import_refuses(login, sysadmin, overrides, message):
    resp = login(sysadmin).post(ADD_URL, admin_data(**overrides))
    assert resp.status_code == 200
    assert message in resp.content.decode()
    assert not Policy.objects.exists()


def test_an_admin_edit_with_a_bad_value_leaves_the_policy_unchanged(login, sysadmin, make_policy):
    policy = make_policy(title="稳岗补贴", support_ratio="50")
    resp = login(sysadmin).post(
        f"/admin/policies/policy/{policy.pk}/change/",
        admin_data(support_ratio="500", status_override="repealed"),
    )
    assert resp.status_code == 200
    assert "人工设定状态时须填写状态说明。" in resp.content.decode()
    policy.refresh_from_db()
    assert (policy.support_ratio, policy.status_override, policy.status) == (50, "", "valid")


def test_the_admin_saves_normalised_values_and_a_reasoned_status(login, sysadmin):
    resp = login(sysadmin).post(
        ADD_URL,
        admin_data(
            title="  稳岗补贴  ",
            industries='["制造业", "h"]',
            sizes='["小型"]',
            status_override="repealed",
            status_reason="已被2026年新办法替代",
            doc_number="区财发〔2026〕3号",
        ),
    )
    assert resp.status_code == 302, resp.content.decode()
    policy = Policy.objects.get()
    assert policy.title == "稳岗补贴" and policy.industries == ["C", "H"] and policy.sizes == ["小型"]
    assert (policy.status, policy.status_reason) == ("repealed", "已被2026年新办法替代")
    assert (policy.doc_year, policy.doc_serial) == (2026, 3)


# --- Excel views: model permissions --------------------------------------------------------------
EXCEL_VIEWS = ("/admin/policies/policy/excel/template/", "/admin/policies/policy/excel/export/")


def test_a_staff_user_without_policy_permissions_cannot_use_the_excel_views(login, reviewer, make_policy):
    make_policy(title="内部政策")
    client = login(reviewer)
    assert client.get("/admin/policies/policy/").status_code == 403
    for url in EXCEL_VIEWS:
        resp = client.get(url)
        assert resp.status_code == 403, url
        assert "您没有查看惠企政策的权限。" in resp.content.decode()
    upload = SimpleUploadedFile("p.xlsx", workbook([{"title": "偷偷导入"}]))
    resp = client.post("/admin/policies/policy/excel/import/", {"file": upload})
    assert resp.status_code == 403
    assert "导入会新增和修改惠企政策，您没有相应权限。" in resp.content.decode()
    assert list(Policy.objects.values_list("title", flat=True)) == ["内部政策"]


def test_view_permission_allows_export_but_not_import(login, reviewer, make_policy):
    make_policy(title="公开政策")
    reviewer.user_permissions.add(Permission.objects.get(codename="view_policy"))
    client = login(reviewer)
    for url in EXCEL_VIEWS:
        assert client.get(url).status_code == 200, url
    page = client.get("/admin/policies/policy/").content.decode()
    assert "下载 Excel 模板" in page and "从 Excel 导入" not in page
    assert client.get("/admin/policies/policy/excel/import/").status_code == 403
    reviewer.user_permissions.add(Permission.objects.get(codename="add_policy"))
    assert login(reviewer).get("/admin/policies/policy/excel/import/").status_code == 403  # no change
    reviewer.user_permissions.add(Permission.objects.get(codename="change_policy"))
    client = login(reviewer)
    assert client.get("/admin/policies/policy/excel/import/").status_code == 200
    assert "从 Excel 导入" in client.get("/admin/policies/policy/").content.decode()


def test_the_superuser_downloads_the_export(login, sysadmin, make_policy):
    from openpyxl import load_workbook

    make_policy(title="出口退税", external_id="x-1")
    resp = login(sysadmin).get("/admin/policies/policy/excel/export/")
    assert resp.status_code == 200
    rows = list(load_workbook(io.BytesIO(resp.content)).active.iter_rows(values_only=True))
    assert rows[1][:2] == ("x-1", "出口退税")


def _change(login, sysadmin, policy, **overrides):
    data = admin_data(title=policy.title, themes='["稳岗就业"]', facets_extracted="on")
    data.update(overrides)
    return login(sysadmin).post(f"/admin/policies/policy/{policy.pk}/change/", data)


def test_an_admin_correction_of_an_identified_field_clears_facets_extracted(login, sysadmin, make_policy):
    corrected = make_policy(title="稳岗补贴", themes="稳岗就业")
    retitled = make_policy(title="房租减免", themes="稳岗就业")
    Policy.objects.update(facets_extracted=True)

    assert _change(login, sysadmin, corrected, issuer="武汉市财政局").status_code == 302
    assert _change(login, sysadmin, retitled, title="房租减免（修订）").status_code == 302

    assert Policy.objects.get(pk=corrected.pk).facets_extracted is False
    assert Policy.objects.get(pk=retitled.pk).facets_extracted is True  # the title is not identified data


def test_a_policy_attachment_must_be_a_document_not_a_web_page(login, sysadmin, make_policy):
    policy = make_policy(title="稳岗补贴", themes="稳岗就业")
    page = SimpleUploadedFile(
        "evil.html", b"<html><script>alert(1)</script></html>", content_type="text/html"
    )
    data = admin_data(title=policy.title, themes='["稳岗就业"]')
    data.update({"attachments-TOTAL_FORMS": "1", "attachments-0-title": "申报表", "attachments-0-file": page})
    resp = login(sysadmin).post(f"/admin/policies/policy/{policy.pk}/change/", data)
    assert resp.status_code == 200
    assert "附件“evil.html”不是 PDF、Word（.docx）、Excel（.xlsx）或图片文件。" in resp.content.decode()
    assert not policy.attachments.exists()

    pdf = SimpleUploadedFile("申报表.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n", content_type="application/pdf")
    data.update({"attachments-0-file": pdf})
    assert login(sysadmin).post(f"/admin/policies/policy/{policy.pk}/change/", data).status_code == 302
    assert policy.attachments.get().title == "申报表"


def test_list_fields_are_typed_as_words_not_json(login, sysadmin, make_policy):
    policy = make_policy(title="稳岗补贴", themes="稳岗就业、房租减免", industries="C")
    client = login(sysadmin)
    form = client.get(f"/admin/policies/policy/{policy.pk}/change/").content.decode()
    assert 'value="稳岗就业、房租减免"' in form
    resp = client.post(
        f"/admin/policies/policy/{policy.pk}/change/",
        admin_data(
            title="稳岗补贴", themes="稳岗就业，金融支持", industries="C 住宿和餐饮业", sizes="小型\n微型"
        ),
    )
    assert resp.status_code == 302
    policy.refresh_from_db()
    assert (policy.themes, policy.industries, policy.sizes) == (
        ["稳岗就业", "金融支持"],
        ["C", "H"],
        ["小型", "微型"],
    )
