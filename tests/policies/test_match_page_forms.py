"""The 政策体检 page's form: one credit code per enterprise, errors tied to their fields for screen readers,
and the subscription's e-mail notes."""

from __future__ import annotations

import re

import pytest

from fazhi.core import roles
from fazhi.core.errors import Conflict
from fazhi.core.models import EnterpriseAccount
from fazhi.core.services import ensure_user
from fazhi.policies import services
from fazhi.policies.models import EnterpriseProfile, PolicySubscription

CODE = "91110108MA0000A190"  # constructed, valid under GB 32100
PROFILE = {
    "name": "某科技公司",
    "industry": "software",
    "employees": 40,
    "revenue": 600,
    "region": "北京市海淀区",
}


@pytest.fixture
def rival(db):
    """A second enterprise account."""
    return ensure_user(
        username="rival", display_name="rival", role_names=[roles.ENTERPRISE], password="x1y2z3w4v5"
    )


def test_a_code_on_another_enterprises_profile_is_refused_by_the_service(enterprise, rival):
    services.save_profile(actor=enterprise, data={**PROFILE, "credit_code": CODE})
    with pytest.raises(Conflict, match="该统一社会信用代码已由另一企业账号登记"):
        services.save_profile(actor=rival, data={**PROFILE, "name": "冒用公司", "credit_code": CODE})
    assert not EnterpriseProfile.objects.filter(owner=rival).exists()
    # The owner saves it again, and an empty code is no one's.
    services.save_profile(actor=enterprise, data={**PROFILE, "credit_code": CODE, "employees": 41})
    services.save_profile(actor=rival, data={**PROFILE, "credit_code": ""})


def test_a_code_registered_by_another_account_is_refused_on_the_page_at_the_field(login, enterprise, rival):
    EnterpriseAccount.objects.create(
        user=rival, name="某科技公司", credit_code=CODE, contact="李", mobile="13800138000"
    )
    resp = login(enterprise).post("/policies/match/", {**PROFILE, "credit_code": CODE})
    page = resp.content.decode()
    assert resp.status_code == 200 and not EnterpriseProfile.objects.exists()
    assert 'id="id_credit_code_error"' in page and "该统一社会信用代码已由另一企业账号登记" in page
    assert re.search(r'<input[^>]*name="credit_code"[^>]*aria-invalid="true"', page)


def test_a_wrong_check_digit_is_the_fields_error_and_every_described_element_exists(login, enterprise, db):
    page = login(enterprise).post(
        "/policies/match/", {**PROFILE, "name": "", "credit_code": "91110108MA0000A19A"}
    )
    text = page.content.decode()
    assert re.search(r'<input[^>]*name="credit_code"[^>]*aria-invalid="true"', text)
    assert 'id="id_credit_code_error"' in text and "校验位错误" in text
    assert (
        'flash-error" role="alert">'
        not in text.split("<form", 1)[1].split("</form>")[0].split('<div class="field">')[0]
    )
    for ref in re.findall(r'aria-describedby="([^"]+)"', text):
        for target in ref.split():
            assert f'id="{target}"' in text, target


def test_the_trial_page_describes_only_existing_elements(client, db):
    text = client.post("/policies/match/", {**PROFILE, "region": "北"}).content.decode()
    refs = [t for ref in re.findall(r'aria-describedby="([^"]+)"', text) for t in ref.split()]
    assert "id_region_helptext" in refs and "id_region_error" in refs
    for target in refs:
        assert f'id="{target}"' in text, target


def test_subscribing_without_an_address_links_to_the_account_page_and_says_mail_is_not_sent(
    login, enterprise
):
    client = login(enterprise)
    resp = client.post("/policies/subscribe/", {"themes": "稳岗就业", "email": "on"}, follow=True)
    page = resp.content.decode()
    assert '请在<a href="/accounts/profile/">账号信息</a>中登记邮箱' in page
    assert "（/accounts/profile/）" not in page
    assert PolicySubscription.objects.filter(user=enterprise, email=True).exists()
    assert "（含邮件提醒）" not in page and "已选邮件提醒，但账号未登记电子邮箱" in page
    enterprise.email = "boss@example.com"
    enterprise.save()
    assert "（含邮件提醒）" in client.get("/policies/match/").content.decode()
