"""A non-staff account at the admin's login: refused, logged as 无管理后台权限 (not 成功), and — the right
password being no guess — never counted toward a lock of the real user."""

from __future__ import annotations

from django.test import Client

from fazhi.core import login_guard
from fazhi.core.models import LoginAttempt, LoginThrottle
from tests.conftest import PASSWORD


def admin_login(client: Client, username: str, password: str):
    return client.post("/admin/login/", {"username": username, "password": password, "next": "/admin/"})


def test_an_enterprise_user_at_the_admin_is_refused_and_logged_as_such(client, enterprise):
    response = admin_login(client, "enterprise1", PASSWORD)
    assert response.status_code == 200  # the login form again, not a redirect into the admin
    assert login_guard.NO_ADMIN in response.content.decode()
    assert "_auth_user_id" not in client.session
    attempt = LoginAttempt.objects.get()
    assert (attempt.result, attempt.channel, attempt.user) == ("no_admin", "admin", enterprise)
    assert attempt.get_result_display() == "无管理后台权限"


def test_refusals_at_the_admin_do_not_lock_the_user_out_of_the_site(client, enterprise, settings):
    for _ in range(settings.FAZHI_LOGIN_MAX_FAILURES_PER_USER + 2):
        assert login_guard.NO_ADMIN in admin_login(client, "enterprise1", PASSWORD).content.decode()
    assert (
        not LoginThrottle.objects.filter(key__in=["user:enterprise1", "ip:127.0.0.1"])
        .exclude(times=[])
        .exists()
    )
    response = client.post("/accounts/login/", {"username": "enterprise1", "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(enterprise.pk)


def test_a_wrong_password_at_the_admin_still_counts(client, enterprise, settings):
    settings.FAZHI_LOGIN_MAX_FAILURES_PER_USER = 3
    for _ in range(3):
        admin_login(client, "enterprise1", "wrong-1")
    assert list(LoginAttempt.objects.values_list("result", flat=True)) == ["bad_password"] * 3
    locked = admin_login(client, "enterprise1", PASSWORD).content.decode()
    assert "该账号已暂时锁定" in locked and login_guard.NO_ADMIN not in locked


def test_earlier_failures_stay_counted_after_a_refusal(client, enterprise, settings):
    # The refusal proves the password but logs nobody in: it is not a success that wipes the count.
    settings.FAZHI_LOGIN_MAX_FAILURES_PER_USER = 3
    admin_login(client, "enterprise1", "wrong-1")
    admin_login(client, "enterprise1", "wrong-2")
    admin_login(client, "enterprise1", PASSWORD)
    assert len(LoginThrottle.objects.get(key="user:enterprise1").times) == 2


def test_the_site_login_of_the_same_user_is_a_success(client, enterprise):
    client.post("/accounts/login/", {"username": "enterprise1", "password": PASSWORD})
    assert LoginAttempt.objects.get().result == "success"


def test_staff_still_log_in_to_the_admin(client, reviewer):
    response = admin_login(client, "reviewer1", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert LoginAttempt.objects.get().result == "success"
