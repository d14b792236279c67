"""企业注册: an enterprise creates its own 企业用户 account and lands on 政策体检 with its name filled in."""

from __future__ import annotations

import pytest
from django.test import Client

from fazhi.core import credit_code, roles
from fazhi.core.models import EnterpriseAccount, User

CODE = credit_code.make("91110105", "MA01ABCD")
OTHER_CODE = credit_code.make("91110105", "MA01WXY9")


def form(**changes) -> dict[str, str]:
    data = {
        "username": "lvye",
        "password1": "green-leaf-2026",
        "password2": "green-leaf-2026",
        "enterprise_name": "北京绿叶科技有限公司",
        "credit_code": CODE,
        "contact": "王芳",
        "mobile": "13800138000",
        "email": "wangfang@lvye.example.com",
    }
    data.update(changes)
    return data


def register(client: Client, **changes):
    return client.post("/accounts/register/", form(**changes))


@pytest.mark.django_db
def test_an_enterprise_registers_and_lands_on_the_policy_check_with_its_name_filled(client):
    r = register(client, credit_code=" ".join([CODE[:4], CODE[4:10], CODE[10:].lower()]))
    assert r.status_code == 302 and r["Location"] == "/policies/match/"
    user = User.objects.get(username="lvye")
    assert user.is_active and not user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [roles.ENTERPRISE]
    assert user.email == "wangfang@lvye.example.com" and user.phone == "13800138000"
    assert user.check_password("green-leaf-2026")
    account = EnterpriseAccount.objects.get(user=user)
    assert (
        account.credit_code == CODE and account.name == "北京绿叶科技有限公司" and account.contact == "王芳"
    )
    page = client.get("/policies/match/").content.decode()  # logged in as the new account
    assert 'value="北京绿叶科技有限公司"' in page and f'value="{CODE}"' in page
    assert "注册成功" in page


@pytest.mark.django_db
def test_a_saved_profile_wins_over_the_registration_record(client):
    register(client)
    client.post(
        "/policies/match/",
        {"name": "绿叶科技（已更名）", "credit_code": CODE, "industry": "catering"},
    )
    assert 'value="绿叶科技（已更名）"' in client.get("/policies/match/").content.decode()


@pytest.mark.django_db
def test_a_second_account_for_the_same_credit_code_is_refused(client):
    register(client)
    again = register(Client(), username="lvye2", credit_code=CODE.lower())
    text = again.content.decode()
    assert again.status_code == 409
    assert "该统一社会信用代码已注册过企业账号" in text and "找回密码" in text
    assert not User.objects.filter(username="lvye2").exists()


@pytest.mark.django_db
def test_usernames_are_unique_without_regard_to_case(client, clerk):
    r = register(client, username="CLERK")
    assert r.status_code == 400 and "用户名“CLERK”已被使用" in r.content.decode()
    assert not EnterpriseAccount.objects.exists()


@pytest.mark.django_db
def test_the_service_itself_refuses_a_case_variant(client):
    from fazhi.core import accounts
    from fazhi.core.errors import Conflict

    register(client)
    with pytest.raises(Conflict):
        accounts.register_enterprise(
            username="LVYE", password="green-leaf-2026", enterprise_name="另一家", code=OTHER_CODE,
            contact="李四", mobile="13900139000", email="li@example.com",
        )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"credit_code": CODE[:17] + ("0" if CODE[17] != "0" else "1")}, "统一社会信用代码校验位错误"),
        ({"credit_code": "123"}, "统一社会信用代码应为18位"),
        ({"mobile": "1380013800"}, "手机号应为 11 位中国大陆手机号码"),
        ({"mobile": "12800138000"}, "手机号应为 11 位中国大陆手机号码"),
        ({"email": "not-an-address"}, "电子邮箱格式不正确"),
        ({"email": ""}, "请填写电子邮箱。"),
        ({"password1": "abcdefghij", "password2": "abcdefghij"}, "密码须同时包含字母和数字。"),
        ({"password1": "short1", "password2": "short1"}, "密码太短：至少需要 8 个字符"),
        ({"password2": "green-leaf-2027"}, "两次输入的密码不一致"),
        ({"username": "有 空格"}, "用户名只能包含"),
        ({"enterprise_name": ""}, "请填写企业名称。"),
    ],
)
def test_bad_input_is_named_and_changes_nothing(client, changes, message):
    r = register(client, **changes)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not User.objects.exists() and not EnterpriseAccount.objects.exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_mobile_number_is_normalised():
    from fazhi.core.accounts import mobile_problem, normalize_mobile

    assert normalize_mobile("+86 138-0013-8000") == "13800138000"
    assert normalize_mobile("１３８００１３８０００") == "13800138000"
    assert mobile_problem("+86 138-0013-8000") == ""


@pytest.mark.django_db
def test_ten_registrations_per_address_and_hour(settings):
    settings.FAZHI_REGISTRATIONS_PER_IP_HOUR = 2
    same = "198.51.100.20"
    for i in range(2):
        code = credit_code.make("91110105", f"MA01T7T{i}")
        assert register(Client(REMOTE_ADDR=same), username=f"firm{i}", credit_code=code).status_code == 302
    third = register(Client(REMOTE_ADDR=same), username="firm9", credit_code=OTHER_CODE)
    assert third.status_code == 429
    assert "同一网络地址每小时最多注册 2 个账号" in third.content.decode()
    assert not User.objects.filter(username="firm9").exists()
    assert (
        register(Client(REMOTE_ADDR="198.51.100.21"), username="firm9", credit_code=OTHER_CODE).status_code
        == 302
    )


def test_the_default_is_ten_per_hour():
    from django.conf import settings

    assert settings.FAZHI_REGISTRATIONS_PER_IP_HOUR == 10


@pytest.mark.django_db
def test_a_refused_registration_is_not_counted(settings):
    settings.FAZHI_REGISTRATIONS_PER_IP_HOUR = 2
    assert register(Client(), username="first").status_code == 302
    assert register(Client(), username="second", credit_code=CODE).status_code == 409  # code taken
    assert register(Client(), username="third", credit_code=OTHER_CODE).status_code == 302


@pytest.mark.django_db
def test_a_logged_in_user_is_not_offered_the_form(login, enterprise):
    r = login(enterprise).get("/accounts/register/")
    assert r.status_code == 302 and not EnterpriseAccount.objects.exists()


@pytest.mark.django_db
def test_the_form_page_is_public_and_in_chinese(client):
    page = client.get("/accounts/register/").content.decode()
    for label in ("用户名", "企业名称", "统一社会信用代码", "联系人", "手机号", "电子邮箱"):
        assert label in page


@pytest.mark.django_db
def test_a_code_already_on_another_enterprises_profile_is_refused(client, enterprise):
    from fazhi.policies.models import EnterpriseProfile

    EnterpriseProfile.objects.create(
        owner=enterprise, name="某餐饮公司", credit_code=CODE, industry="catering"
    )
    resp = register(client)
    assert resp.status_code == 409
    assert "该统一社会信用代码已由另一企业账号登记" in resp.content.decode()
    assert not User.objects.filter(username="lvye").exists() and not EnterpriseAccount.objects.exists()


@pytest.mark.django_db
def test_every_element_a_field_is_described_by_exists_and_a_bad_code_marks_its_field(client):
    import re

    text = register(client, username="", credit_code=CODE[:-1] + "0").content.decode()
    refs = [t for ref in re.findall(r'aria-describedby="([^"]+)"', text) for t in ref.split()]
    assert {"id_username_helptext", "id_username_error", "id_credit_code_error"} <= set(refs)
    for target in refs:
        assert f'id="{target}"' in text, target
    assert re.search(r'<input[^>]*name="credit_code"[^>]*aria-invalid="true"', text)
