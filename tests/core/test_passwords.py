"""口令复杂度, 修改密码, 找回密码 and API-token lifetime."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import password_validation
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from fazhi.core.models import ApiToken, AuditEvent, LoginAttempt
from tests.conftest import PASSWORD

NEW = "new-pass-2027"


# --- 口令复杂度 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["abcdefgh", "12345678", "短1a", "!!!!!!!!", "密码密码密码密码1"])
def test_weak_passwords_are_refused_in_chinese(password):
    with pytest.raises(ValidationError) as caught:
        password_validation.validate_password(password)
    messages = " ".join(caught.value.messages)
    assert re.search(r"[\u4e00-\u9fff]", messages)
    assert "Password" not in messages and "password" not in messages


def test_the_letters_and_digits_rule_has_its_own_message():
    with pytest.raises(ValidationError) as caught:
        password_validation.validate_password("abcdefghij")
    assert "密码须同时包含字母和数字。" in caught.value.messages


@pytest.mark.parametrize("password", ["fazhi-demo-2026", "Ledger2026x", "test-pass-2026"])
def test_good_passwords_pass(password):
    password_validation.validate_password(password)


# --- 修改密码 -----------------------------------------------------------------------------------


def _change(client: Client, old: str = PASSWORD, new: str = NEW, again: str | None = None):
    return client.post(
        "/accounts/password/", {"old_password": old, "new_password1": new, "new_password2": again or new}
    )


@pytest.mark.django_db
def test_the_header_links_to_the_password_page(login, clerk, client):
    page = login(clerk).get("/").content.decode()
    assert 'href="/accounts/password/"' in page and "修改密码" in page
    assert 'href="/accounts/password/"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client):
    r = client.get("/accounts/password/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    assert _change(client).status_code == 302


@pytest.mark.django_db
def test_changing_the_password_keeps_this_session_and_revokes_api_tokens(login, clerk, token_for):
    headers = token_for(clerk)
    c = login(clerk)
    other_device = Client()
    other_device.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    page = c.get("/accounts/password/").content.decode()
    assert "API 访问令牌将全部作废" in page
    r = _change(c)
    assert r.status_code == 302 and r["Location"] == "/accounts/password/done/"
    assert "已全部作废" in c.get(r["Location"]).content.decode()
    assert c.get("/messages/").status_code == 200  # still logged in here
    assert other_device.get("/messages/").status_code == 302  # logged out elsewhere
    assert not ApiToken.objects.filter(user=clerk, revoked=False).exists()
    assert Client().get("/api/v1/review/drafts", headers=headers).status_code == 401
    clerk.refresh_from_db()
    assert clerk.check_password(NEW)
    assert AuditEvent.objects.filter(action="password_change", object_id=str(clerk.pk)).exists()


@pytest.mark.django_db
def test_a_wrong_old_password_changes_nothing_and_counts_as_a_failure(login, clerk, token_for):
    token_for(clerk)
    c = login(clerk)
    r = _change(c, old="not-it-1")
    assert r.status_code == 200 and "原密码不正确，请重新输入。" in r.content.decode()
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)
    assert ApiToken.objects.filter(user=clerk, revoked=False).exists()
    attempt = LoginAttempt.objects.get()
    assert (attempt.channel, attempt.result) == ("password_change", "bad_password")
    for _ in range(4):
        r = _change(c, old="not-it-1")
    assert "该账号已暂时锁定" in r.content.decode()
    assert "该账号已暂时锁定" in _change(c, old=PASSWORD).content.decode()  # no guessing here either
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)


@pytest.mark.django_db
def test_a_weak_or_mismatched_new_password_is_refused(login, clerk):
    c = login(clerk)
    weak = _change(c, new="abcdefghij").content.decode()
    assert "密码须同时包含字母和数字。" in weak
    mismatch = _change(c, new=NEW, again="other-pass-2027").content.decode()
    assert "两次输入的新密码不一致" in mismatch
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)


@pytest.mark.django_db
def test_a_password_set_in_the_admin_revokes_the_tokens_too(login, sysadmin, clerk, token_for):
    token_for(clerk)
    login(sysadmin).post(
        f"/admin/core/user/{clerk.pk}/password/",
        {"password1": NEW, "password2": NEW, "usable_password": "true"},
    )
    clerk.refresh_from_db()
    assert clerk.check_password(NEW)
    assert not ApiToken.objects.filter(user=clerk, revoked=False).exists()


# --- 找回密码 -----------------------------------------------------------------------------------


def _reset_link(message) -> str:
    return re.search(r"http://\S+/accounts/password/reset/\S+/\S+/", message.body).group(0)


@pytest.mark.django_db
def test_the_same_answer_whether_or_not_the_address_is_registered(client, clerk):
    clerk.email = "clerk@example.com"
    clerk.save()
    known = client.post("/accounts/password/reset/", {"email": "CLERK@example.com"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["clerk@example.com"]
    assert "重设密码" in mail.outbox[0].subject
    assert "1 小时" in mail.outbox[0].body


@pytest.mark.django_db
def test_the_reset_link_sets_a_new_password_and_lifts_the_lock(client, clerk, token_for):
    clerk.email = "clerk@example.com"
    clerk.save()
    token_for(clerk)
    for _ in range(5):
        client.post("/accounts/login/", {"username": "clerk", "password": "wrong-1"})
    client.post("/accounts/password/reset/", {"email": "clerk@example.com"})
    link = _reset_link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + link, follow=True)
    assert "设置新密码" in form.content.decode()
    weak = client.post(
        form.request["PATH_INFO"], {"new_password1": "abcdefghij", "new_password2": "abcdefghij"}
    )
    assert "密码须同时包含字母和数字。" in weak.content.decode()
    done = client.post(form.request["PATH_INFO"], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/done/"
    assert not ApiToken.objects.filter(user=clerk, revoked=False).exists()
    assert Client().post("/accounts/login/", {"username": "clerk", "password": NEW}).status_code == 302
    assert AuditEvent.objects.filter(action="password_change", object_id=str(clerk.pk)).exists()
    again = client.get("/" + link, follow=True).content.decode()
    assert "该重设链接无效或已过期" in again  # used once


@pytest.mark.django_db
def test_reset_requests_are_limited_per_address(client, clerk, settings):
    settings.FAZHI_PASSWORD_RESETS_PER_IP_HOUR = 3
    clerk.email = "clerk@example.com"
    clerk.save()
    for _ in range(3):
        assert client.post("/accounts/password/reset/", {"email": "clerk@example.com"}).status_code == 302
    r = client.post("/accounts/password/reset/", {"email": "clerk@example.com"})
    assert r.status_code == 200 and "找回密码的请求过于频繁" in r.content.decode()
    assert len(mail.outbox) == 3
    assert (
        Client(REMOTE_ADDR="10.9.8.7")
        .post("/accounts/password/reset/", {"email": "clerk@example.com"})
        .status_code
        == 302
    )


@pytest.mark.django_db
def test_the_login_page_links_to_reset_and_registration(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password/reset/"' in page and 'href="/accounts/register/"' in page
    assert "企业注册" in page


# --- API 令牌有效期 ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_token_reply_says_when_it_expires(client, clerk):
    body = client.post(
        "/api/v1/auth/token", {"username": "clerk", "password": PASSWORD}, content_type="application/json"
    ).json()
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert dt.timedelta(days=29, hours=23) < expires - timezone.now() <= dt.timedelta(days=30)


@pytest.mark.django_db
def test_an_expired_token_gets_a_chinese_401(client, clerk, token_for):
    headers = token_for(clerk)
    assert client.get("/api/v1/review/drafts", headers=headers).status_code == 200
    ApiToken.objects.filter(user=clerk).update(created_at=timezone.now() - dt.timedelta(days=30, seconds=1))
    r = client.get("/api/v1/review/drafts", headers=headers)
    assert r.status_code == 401
    assert r.json() == {
        "detail": "访问令牌已过期（有效期 30 天），请重新调用 POST /api/v1/auth/token 获取新令牌。",
        "code": "token_expired",
    }


@pytest.mark.django_db
def test_the_token_lifetime_is_a_setting(client, clerk, token_for, settings):
    settings.FAZHI_TOKEN_DAYS = 7
    headers = token_for(clerk)
    ApiToken.objects.filter(user=clerk).update(created_at=timezone.now() - dt.timedelta(days=8))
    assert "有效期 7 天" in client.get("/api/v1/review/drafts", headers=headers).json()["detail"]


@pytest.mark.django_db
def test_an_expired_token_on_a_public_endpoint_is_just_a_visitor(client, clerk, token_for):
    headers = token_for(clerk)
    ApiToken.objects.filter(user=clerk).update(created_at=timezone.now() - dt.timedelta(days=31))
    assert client.get("/api/v1/laws/search", {"q": "预算"}, headers=headers).status_code == 200


@pytest.mark.django_db
def test_a_deactivated_users_token_stops_working(client, clerk, token_for):
    headers = token_for(clerk)
    clerk.is_active = False
    clerk.save()
    r = client.get("/api/v1/review/drafts", headers=headers)
    assert r.status_code == 401 and r.json()["detail"] == "未登录或令牌无效，请先获取访问令牌。"
