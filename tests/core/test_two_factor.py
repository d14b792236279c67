"""两步验证: set up with a QR code and a first code, then every door that signs in asks for the code (login
page, API token; the admin's own form sends the user to the login page); a code works once, a recovery
code once, wrong codes are counted and lock, a lost phone is reset by the system administrator, and a role
can be made to require it."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from fazhi.core import roles, two_factor
from fazhi.core.models import AuditEvent, LoginAttempt, TwoFactor
from tests.conftest import PASSWORD


def code_at(secret: str, steps_from_now: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(timezone.now()) + steps_from_now)


SPENT: dict[str, str] = {}  # secret → the code that set it up


def set_up(client: Client) -> tuple[str, list[str]]:
    """Through the page: start, read the secret shown, answer with a code and the password."""
    page = client.post("/accounts/2fa/", {"action": "start"}).content.decode()
    assert "<svg" in page and "两步验证二维码" in page  # the QR code, inline
    secret = page.split('id="totp-secret">', 1)[1].split("<", 1)[0]
    SPENT[secret] = code_at(secret)
    resp = client.post("/accounts/2fa/", {"action": "enable", "code": SPENT[secret], "password": PASSWORD})
    assert resp.status_code == 200, resp.content.decode()
    codes = resp.context["codes"]
    assert len(codes) == 10 and "备用验证码（只显示这一次）" in resp.content.decode()
    return secret, codes


def sign_in(client: Client, username: str, password: str = PASSWORD, next_url: str = ""):
    return client.post("/accounts/login/", {"username": username, "password": password, "next": next_url})


def test_setting_up_needs_a_right_code_and_the_password(clerk, login):
    client = login(clerk)
    page = client.post("/accounts/2fa/", {"action": "start"}).content.decode()
    secret = page.split('id="totp-secret">', 1)[1].split("<", 1)[0]
    resp = client.post("/accounts/2fa/", {"action": "enable", "code": "000000", "password": PASSWORD})
    assert resp.status_code == 400 and "验证码不正确" in resp.content.decode()
    resp = client.post("/accounts/2fa/", {"action": "enable", "code": code_at(secret), "password": "wrong"})
    assert resp.status_code == 400 and "当前密码不正确。" in resp.content.decode()
    assert not two_factor.enabled(clerk)
    client.post("/accounts/2fa/", {"action": "enable", "code": code_at(secret), "password": PASSWORD})
    assert two_factor.enabled(clerk)
    row = TwoFactor.objects.get(user=clerk)
    assert row.secret == secret and len(row.recovery_hashes) == 10
    # Audited without the secret; the row itself never reaches the audit log.
    event = AuditEvent.objects.get(action="2fa_enable")
    assert secret not in str(event.after) and secret not in str(event.before)
    assert not AuditEvent.objects.filter(object_type="core.TwoFactor").exists()


def test_the_login_page_asks_for_the_code_after_the_password(clerk, login):
    secret, _ = set_up(login(clerk))
    client = Client()
    resp = sign_in(client, "clerk", next_url="/messages/")
    assert resp.status_code == 302 and resp["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session  # not signed in yet
    assert client.get("/messages/").status_code == 302  # the inbox still sends to the login page
    resp = client.post(
        "/accounts/login/code/", {"code": "123456" if code_at(secret) != "123456" else "654321"}
    )
    assert resp.status_code == 400 and "动态验证码不正确" in resp.content.decode()
    assert "_auth_user_id" not in client.session
    resp = client.post("/accounts/login/code/", {"code": code_at(secret, 1)})  # the current one set it up
    assert resp.status_code == 302 and resp["Location"] == "/messages/"
    assert client.get("/messages/").status_code == 200
    assert LoginAttempt.objects.filter(username="clerk", result="bad_otp").count() == 1


def test_a_code_works_once_and_a_recovery_code_once(clerk, login):
    secret, codes = set_up(login(clerk))
    # The code used to set up is spent: the same code cannot sign in.
    client = Client()
    sign_in(client, "clerk")
    assert client.post("/accounts/login/code/", {"code": SPENT[secret]}).status_code == 400
    assert (
        client.post("/accounts/login/code/", {"code": code_at(secret, 1)}).status_code == 302
    )  # clock drift
    for expected in (302, 400):
        other = Client()
        sign_in(other, "clerk")
        assert other.post("/accounts/login/code/", {"code": codes[3].upper()}).status_code == expected
    assert two_factor.recovery_left(clerk) == 9


def test_the_code_page_needs_the_password_first_and_expires(clerk, login):
    secret, _ = set_up(login(clerk))
    client = Client()
    resp = client.post("/accounts/login/code/", {"code": code_at(secret, 1)})
    assert resp.status_code == 302 and resp["Location"] == "/accounts/login/"
    sign_in(client, "clerk")
    session = client.session
    session["fazhi_2fa_pending"]["at"] -= 301
    session.save()
    resp = client.post("/accounts/login/code/", {"code": code_at(secret, 1)})
    assert resp["Location"] == "/accounts/login/" and "_auth_user_id" not in client.session


def test_wrong_codes_lock_and_a_right_password_does_not_reset_the_count(clerk, login, settings):
    secret, _ = set_up(login(clerk))
    settings.FAZHI_LOGIN_MAX_FAILURES_PER_USER = 3
    client = Client()
    for _ in range(3):
        sign_in(client, "clerk")  # a right password each round
        resp = client.post("/accounts/login/code/", {"code": "000000"})
    assert "动态验证码错误次数过多" in resp.content.decode()
    sign_in(client, "clerk")
    resp = client.post("/accounts/login/code/", {"code": code_at(secret, 1)})  # right, but locked
    assert resp.status_code == 400 and "错误次数过多" in resp.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_api_token_needs_the_code(clerk, login, client):
    secret, _ = set_up(login(clerk))
    body = {"username": "clerk", "password": PASSWORD}
    resp = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert resp.status_code == 401 and resp.json()["code"] == "otp_required"
    resp = client.post("/api/v1/auth/token", {**body, "otp": "000000"}, content_type="application/json")
    assert resp.status_code == 401 and resp.json()["code"] == "bad_otp"
    resp = client.post(
        "/api/v1/auth/token", {**body, "otp": code_at(secret, 1)}, content_type="application/json"
    )
    assert resp.status_code == 200 and resp.json()["token"]


def test_the_admin_login_form_sends_such_an_account_to_the_site_login(sysadmin, login):
    set_up(login(sysadmin))
    client = Client()
    resp = client.post("/admin/login/", {"username": "sysadmin", "password": PASSWORD, "next": "/admin/"})
    assert resp.status_code == 200 and "该账号已启用两步验证" in resp.content.decode()
    assert "_auth_user_id" not in client.session


def test_turning_it_off_needs_password_and_code_and_a_lost_phone_is_reset_by_the_admin(
    clerk, sysadmin, login
):
    client = login(clerk)
    secret, _ = set_up(client)
    resp = client.post("/accounts/2fa/", {"action": "disable", "password": PASSWORD, "code": "000000"})
    assert resp.status_code == 400 and two_factor.enabled(clerk)
    client.post("/accounts/2fa/", {"action": "disable", "password": PASSWORD, "code": code_at(secret, 1)})
    assert not two_factor.enabled(clerk)
    set_up(client)
    admin = login(sysadmin)
    resp = admin.post(
        "/admin/core/user/", {"action": "reset_two_factor", "_selected_action": [clerk.pk]}, follow=True
    )
    assert "已重置 1 个用户的两步验证" in resp.content.decode()
    assert not two_factor.enabled(clerk)
    assert AuditEvent.objects.filter(action="2fa_reset", actor=sysadmin).exists()


def test_another_staff_member_cannot_reset_it(clerk, reviewer, login):
    set_up(login(clerk))
    reviewer.is_staff = True
    reviewer.save()
    from django.contrib.auth.models import Permission

    reviewer.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    login(reviewer).post("/admin/core/user/", {"action": "reset_two_factor", "_selected_action": [clerk.pk]})
    assert two_factor.enabled(clerk)


def test_new_recovery_codes_replace_the_old_ones(clerk, login):
    client = login(clerk)
    secret, old = set_up(client)
    resp = client.post("/accounts/2fa/", {"action": "recovery", "code": code_at(secret, 1)})
    new = resp.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    with pytest.raises(Exception, match="动态验证码不正确"):
        two_factor.verify(user=clerk, code=old[0])
    two_factor.verify(user=clerk, code=new[0])


def test_a_required_role_must_set_it_up_before_anything_else(clerk, login, settings):
    settings.FAZHI_2FA_REQUIRED_ROLES = [roles.STAFF_MEMBER]
    client = login(clerk)
    assert two_factor.required(clerk)
    resp = client.get("/messages/")
    assert resp.status_code == 302 and resp["Location"] == "/accounts/2fa/"
    assert client.get("/accounts/2fa/").status_code == 200
    assert client.get("/accounts/logout/").status_code in (200, 302, 405)
    secret, _ = set_up(client)
    assert client.get("/messages/").status_code == 200
    resp = client.post(
        "/accounts/2fa/", {"action": "disable", "password": PASSWORD, "code": code_at(secret, 1)}
    )
    assert "不能关闭" in resp.content.decode() and two_factor.enabled(clerk)


def test_an_outsider_sees_no_settings_page(client):
    resp = client.get("/accounts/2fa/")
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


def test_codes_outside_the_drift_window_are_refused(clerk):
    secret = two_factor.start()
    two_factor.enable(user=clerk, secret=secret, code=code_at(secret), password=PASSWORD)
    later = pyotp.TOTP(secret).generate_otp(
        pyotp.TOTP(secret).timecode(timezone.now() + dt.timedelta(minutes=2))
    )
    with pytest.raises(Exception, match="动态验证码不正确"):
        two_factor.verify(user=clerk, code=later)
