"""账号信息 (/accounts/profile/): a logged-in user edits their own 姓名 and 电子邮箱; a new address needs the
current password (counted by the login guard), every change is audited and the old address is told."""

from __future__ import annotations

import pytest
from django.core import mail

from fazhi.core import accounts
from fazhi.core.errors import ValidationFailed
from fazhi.core.models import AuditEvent, LoginAttempt, User
from tests.conftest import PASSWORD

URL = "/accounts/profile/"


@pytest.fixture
def mailbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return mail.outbox


@pytest.fixture
def wang(enterprise):
    enterprise.email = "old@lvye.example.com"
    enterprise.display_name = "王芳"
    enterprise.save()
    return enterprise


def test_the_page_needs_a_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post(URL, {"display_name": "x", "email": "a@b.cn"}).status_code == 302


def test_the_page_shows_the_current_values_and_is_linked_from_the_header(login, wang):
    page = login(wang).get(URL).content.decode()
    assert 'value="old@lvye.example.com"' in page and 'value="王芳"' in page
    assert 'href="/accounts/profile/"' in login(wang).get("/").content.decode()


def test_a_new_name_is_saved_without_a_password_and_audited(login, wang):
    client = login(wang)
    response = client.post(URL, {"display_name": " 王芳芳 ", "email": "old@lvye.example.com"})
    assert response.status_code == 302
    wang.refresh_from_db()
    assert wang.display_name == "王芳芳" and wang.email == "old@lvye.example.com"
    event = AuditEvent.objects.filter(action="profile_update").get()
    assert event.actor == wang and event.object_id == str(wang.pk)
    assert event.before == {"display_name": "王芳"} and event.after == {"display_name": "王芳芳"}
    assert "已保存：姓名" in client.get(URL).content.decode()


def test_a_new_address_needs_the_current_password(login, wang, mailbox):
    client = login(wang)
    response = client.post(URL, {"display_name": "王芳", "email": "new@lvye.example.com"})
    assert response.status_code == 400
    assert "修改电子邮箱需要输入当前密码" in response.content.decode()
    wrong = client.post(
        URL, {"display_name": "王芳", "email": "new@lvye.example.com", "current_password": "nope"}
    )
    assert wrong.status_code == 400 and "当前密码不正确" in wrong.content.decode()
    wang.refresh_from_db()
    assert (
        wang.email == "old@lvye.example.com"
        and not AuditEvent.objects.filter(action="profile_update").exists()
    )
    assert LoginAttempt.objects.get().channel == "profile"  # the guess was counted like any other
    assert mailbox == []


def test_a_new_address_with_the_password_is_saved_and_the_old_one_is_told(login, wang, mailbox):
    client = login(wang)
    response = client.post(
        URL, {"display_name": "王芳", "email": "New@LVYE.example.com", "current_password": PASSWORD}
    )
    assert response.status_code == 302
    wang.refresh_from_db()
    assert wang.email == "New@lvye.example.com"  # the domain part is case-insensitive: stored in lower case
    event = AuditEvent.objects.get(action="profile_update")
    assert event.before == {"email": "old@lvye.example.com"} and event.after == {
        "email": "New@lvye.example.com"
    }
    assert [m.to for m in mailbox] == [["old@lvye.example.com"]]
    assert "New@lvye.example.com" in mailbox[0].body


def test_password_guesses_here_lock_like_anywhere_else(login, wang, settings):
    settings.FAZHI_LOGIN_MAX_FAILURES_PER_USER = 2
    client = login(wang)
    for _ in range(2):
        client.post(URL, {"display_name": "王芳", "email": "x@y.cn", "current_password": "guess"})
    locked = client.post(URL, {"display_name": "王芳", "email": "x@y.cn", "current_password": PASSWORD})
    assert locked.status_code == 400 and "该账号已暂时锁定" in locked.content.decode()
    wang.refresh_from_db()
    assert wang.email == "old@lvye.example.com"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"display_name": "", "email": "old@lvye.example.com"}, "请填写姓名"),
        (
            {"display_name": "王" * 101, "email": "old@lvye.example.com"},
            "姓名不能超过 100 个字（当前 101 个字）",
        ),
        ({"display_name": "王芳", "email": ""}, "请填写电子邮箱"),
        ({"display_name": "王芳", "email": "not-an-address"}, "电子邮箱格式不正确"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(login, wang, data, message):
    response = login(wang).post(URL, data)
    assert response.status_code == 400 and message in response.content.decode()
    wang.refresh_from_db()
    assert (wang.display_name, wang.email) == ("王芳", "old@lvye.example.com")
    assert not AuditEvent.objects.filter(action="profile_update").exists()


def test_an_address_another_account_uses_is_accepted(login, wang, clerk):
    # Registration allows it and 找回密码 mails every account of an address: a shared mailbox is legitimate.
    clerk.email = "shared@example.gov.cn"
    clerk.save()
    client = login(wang)
    response = client.post(
        URL, {"display_name": "王芳", "email": "shared@example.gov.cn", "current_password": PASSWORD}
    )
    assert response.status_code == 302
    assert User.objects.filter(email="shared@example.gov.cn").count() == 2


def test_the_service_refuses_a_control_character_in_the_name(wang):
    with pytest.raises(ValidationFailed, match="控制字符"):
        accounts.update_profile(user=wang, display_name="王\n芳", email="old@lvye.example.com")
    assert accounts.update_profile(user=wang, display_name="王芳", email="old@lvye.example.com") == []


def test_the_subscription_page_links_to_the_account_page(login, wang):
    page = login(wang).get("/policies/match/").content.decode()
    assert 'href="/accounts/profile/"' in page and "发送到 old@lvye.example.com" in page
