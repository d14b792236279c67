"""Numbers that do not fit the columns are refused with a Chinese message (Excel, profile page, API)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from fazhi.core.errors import ValidationFailed
from fazhi.policies import excel, forms, services
from fazhi.policies.models import EnterpriseProfile, Policy
from tests.policies.test_excel import workbook

PROFILE = {"name": "某科技公司", "industry": "software", "employees": 40, "revenue": 600}
MAX_AMOUNT = "999999999999.99"  # max_digits=14, decimal_places=2


# --- Excel rows / clean_policy_values ----------------------------------------------------------
def test_an_oversized_amount_from_excel_is_a_row_error_and_nothing_is_saved(sysadmin):
    report = excel.import_rows(
        workbook([{"title": "正常的一行"}, {"title": "金额过大", "support_amount": 12345678901234567}]),
        actor=sysadmin,
    )
    assert report.errors == [f"第3行：支持金额须为不超过 {MAX_AMOUNT} 的数。"]
    assert Policy.objects.count() == 0


def test_the_admin_import_page_shows_the_oversized_amount(login, sysadmin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("p.xlsx", workbook([{"title": "x", "support_amount": "12345678901234567"}]))
    resp = login(sysadmin).post("/admin/policies/policy/excel/import/", {"file": upload}, follow=True)
    assert resp.redirect_chain[-1][0].startswith("/jobs/")  # the import ran as a 后台任务; its page reports
    assert f"第2行：支持金额须为不超过 {MAX_AMOUNT} 的数。" in resp.content.decode()
    assert not Policy.objects.exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"support_cap": "1000000000000"}, f"最高限额须为不超过 {MAX_AMOUNT} 的数。"),
        ({"revenue_max": "1e15"}, f"营业收入上限须为不超过 {MAX_AMOUNT} 的数。"),
        ({"support_ratio": "10000"}, "支持比例须为不超过 9999.99 的数。"),
        ({"support_ratio": "500"}, "支持比例不能超过100%。"),
        ({"support_amount": "1.234"}, "支持金额“1.234”最多保留2位小数。"),
        ({"support_amount": "NaN"}, "支持金额“NaN”不是数字。"),
        ({"support_amount": "Infinity"}, "支持金额“Infinity”不是数字。"),
        ({"employees_min": 10**20}, "从业人员下限须为 0 到 10000000 之间的整数。"),
        ({"employees_max": "3000000000"}, "从业人员上限须为 0 到 10000000 之间的整数。"),
        ({"employees_max": "12.5"}, "从业人员上限须为整数（填写的是 12.5）。"),
        ({"min_years_established": "99999999999"}, "成立年限须为 0 到 200 之间的整数。"),
    ],
)
def test_numbers_must_fit_the_model_fields(sysadmin, values, message):
    with pytest.raises(ValidationFailed) as caught:
        services.clean_policy_values({"title": "x", **values})
    assert caught.value.message == message
    report = excel.import_rows(workbook([{"title": "x", **values}]), actor=sysadmin)
    assert report.errors == [f"第2行：{message}"]
    assert not Policy.objects.exists()


def test_the_limits_come_from_the_model_field(monkeypatch):
    field = Policy._meta.get_field("support_amount")
    monkeypatch.setattr(field, "max_digits", 6)
    with pytest.raises(ValidationFailed, match="支持金额须为不超过 9999.99 的数"):
        services.clean_policy_values({"title": "x", "support_amount": "10000"})


def test_numbers_that_fit_are_kept(sysadmin):
    values = services.clean_policy_values(
        {
            "title": "x",
            "support_amount": MAX_AMOUNT,
            "support_ratio": "100",
            "employees_max": "10000000",
            "min_years_established": 3.0,  # Excel keeps whole numbers as floats
        }
    )
    assert values["support_amount"] == Decimal(MAX_AMOUNT) and values["support_ratio"] == 100
    assert values["employees_max"] == 10_000_000 and values["min_years_established"] == 3


# --- enterprise profile: page ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("revenue", "999999999999999999", f"上年营业收入（万元）须为不超过 {MAX_AMOUNT} 的数。"),
        ("total_assets", "123456789012345.5", f"资产总额（万元）须为不超过 {MAX_AMOUNT} 的数。"),
        ("revenue", "12.345", "上年营业收入（万元）最多保留2位小数。"),
        ("employees", "99999999999999999999999", "从业人员须为 0 到 10000000 之间的整数。"),
        ("employees", "3000000000", "从业人员须为 0 到 10000000 之间的整数。"),
    ],
)
def test_the_profile_page_refuses_numbers_that_do_not_fit(login, enterprise, field, value, message):
    client = login(enterprise)
    resp = client.post("/policies/match/", {**PROFILE, field: value})
    assert resp.status_code == 200
    assert message in resp.content.decode()
    assert not EnterpriseProfile.objects.exists()
    assert client.get("/policies/match/").status_code == 200


def test_a_refused_number_leaves_the_saved_profile_alone(login, enterprise):
    client = login(enterprise)
    assert client.post("/policies/match/", PROFILE).status_code == 302
    resp = client.post("/policies/match/", {**PROFILE, "revenue": "999999999999999999"})
    assert resp.status_code == 200
    assert EnterpriseProfile.objects.get(owner=enterprise).revenue == Decimal("600")
    assert client.get("/policies/match/").status_code == 200


# --- enterprise profile: API and service -------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("revenue", "123456789012345.5", f"营业收入（万元）须为不超过 {MAX_AMOUNT} 的数。"),
        ("total_assets", "1E+20", f"资产总额（万元）须为不超过 {MAX_AMOUNT} 的数。"),
        ("employees", 10**19, "从业人员须为 0 到 10000000 之间的整数。"),
        ("employees", 3_000_000_000, "从业人员须为 0 到 10000000 之间的整数。"),
    ],
)
def test_the_profile_api_refuses_numbers_that_do_not_fit(
    client, token_for, enterprise, field, value, message
):
    resp = client.put(
        "/api/v1/policies/profile",
        {**PROFILE, field: value},
        content_type="application/json",
        headers=token_for(enterprise),
    )
    assert resp.status_code == 400
    assert resp.json()["detail"] == message
    assert not EnterpriseProfile.objects.exists()
    match = client.post(
        "/api/v1/policies/match", {"profile": {**PROFILE, field: value}}, content_type="application/json"
    )
    assert match.status_code == 400 and match.json()["detail"] == message


def test_clean_profile_keeps_numbers_that_fit(db):
    values = services.clean_profile({**PROFILE, "employees": "10000000", "revenue": MAX_AMOUNT})
    assert values["employees"] == 10_000_000 and values["revenue"] == Decimal(MAX_AMOUNT)


# --- the 成立日期 date input -------------------------------------------------------------------
def test_the_established_date_is_rendered_as_an_iso_date_under_zh_hans():
    form = forms.ProfileForm(initial={"established_on": dt.date(2023, 12, 6)})
    with translation.override("zh-hans"):
        html = str(form["established_on"])
    assert 'type="date"' in html and 'value="2023-12-06"' in html


def test_the_match_page_shows_the_saved_date_for_a_chinese_browser(login, enterprise):
    client = login(enterprise)
    assert client.post("/policies/match/", {**PROFILE, "established_on": "2023-12-06"}).status_code == 302
    page = client.get("/policies/match/", headers={"Accept-Language": "zh-CN"}).content.decode()
    assert 'value="2023-12-06"' in page
