"""政策体检 page, found in the browser audit: every profile error sits at its field and is found in one
submission, messages are specific, and the count of failing policies is what the section lists."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from fazhi.policies.models import EnterpriseProfile
from fazhi.search import build

PROFILE = {
    "name": "某餐饮公司",
    "industry": "catering",
    "region": "北京市朝阳区",
    "employees": 45,
    "revenue": 800,
}


def _field_error(page: str, name: str) -> str:
    found = re.search(rf'id="id_{name}_error">([^<]*)<', page)
    return found.group(1) if found else ""


def test_a_future_founding_date_is_the_fields_error_reported_with_the_others(login, enterprise):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    resp = login(enterprise).post(
        "/policies/match/", {**PROFILE, "employees": -3, "established_on": tomorrow.isoformat()}
    )
    page = resp.content.decode()
    assert resp.status_code == 200 and not EnterpriseProfile.objects.exists()
    # Both mistakes at once, each at its own field (not one after the other across two submissions).
    assert _field_error(page, "established_on") == "成立日期不能晚于今天。"
    assert "从业人员须为" in _field_error(page, "employees")
    assert re.search(r'<input[^>]*name="established_on"[^>]*aria-invalid="true"', page)
    assert f'value="{tomorrow.isoformat()}"' in page  # what was typed is kept


def test_a_founding_date_before_1900_and_a_mismatched_section_are_field_errors(client, db):
    page = client.post(
        "/policies/match/", {**PROFILE, "established_on": "1800-01-01", "industry_section": "C"}
    ).content.decode()
    assert _field_error(page, "established_on") == "成立日期不能早于1900年，请核对。"
    assert _field_error(page, "industry_section") == "行业门类“C”与所选划型行业不符，可选：H 住宿和餐饮业。"
    assert re.search(r'<select[^>]*name="industry_section"[^>]*aria-invalid="true"', page)


def test_missing_name_and_industry_say_what_to_fill_in(client, db):
    page = client.post("/policies/match/", {**PROFILE, "name": "  ", "industry": ""}).content.decode()
    assert _field_error(page, "name") == "请填写企业名称。"
    assert _field_error(page, "industry") == "请选择所属行业。"
    assert "这个字段是必填项" not in page and "This field is required" not in page


def test_the_failed_heading_counts_reposts_once_like_the_list_under_it(login, enterprise, make_policy):
    for days in (1, 2, 3):  # three copies of one notice for manufacturers only: one failing entry
        make_policy(
            title="制造业技改补贴的通知",
            industries="C",
            level="国家",
            published_date=(dt.date(2026, 1, 10) - dt.timedelta(days=days)).isoformat(),
        )
    make_policy(title="小微企业专享贷款", sizes="微型", level="国家")
    make_policy(title="关于支持餐饮企业稳岗的通知", industries="H", level="国家")
    build.rebuild("policies")
    client = login(enterprise)
    assert client.post("/policies/match/", PROFILE).status_code == 302
    page = client.get("/policies/match/").content.decode()
    failed = page[page.index("不符合条件的政策（") :]
    listed = failed.split("<ul>", 1)[1].split("</ul>", 1)[0].count("<li>")
    assert listed == 2 and "另有 2 件内容相同或相近的转载" in failed
    assert "不符合条件的政策（2）" in page  # not 4: the copies are not counted as separate policies
