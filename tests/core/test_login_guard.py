"""登录失败处理 (GB/T 22239-2019 8.1.4.1 b): lockout per username and per address, across the login page,
the admin login and the API; the login log and its admin."""

from __future__ import annotations

import datetime as dt
import re
import threading
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from fazhi.core import login_guard
from fazhi.core.models import LoginAttempt, LoginThrottle
from tests.conftest import PASSWORD

LOCKED = re.compile(r"登录失败次数过多，该账号已暂时锁定，请于 \d\d:\d\d 后再试或联系系统管理员。")


def page_login(client: Client, username: str, password: str, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def admin_login(client: Client, username: str, password: str):
    return client.post("/admin/login/", {"username": username, "password": password, "next": "/admin/"})


def api_login(client: Client, username: str, password: str, **extra):
    return client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        **extra,
    )


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(client, clerk):
    for _ in range(4):
        r = page_login(client, "clerk", "wrong-1")
        assert "用户名或密码错误" in r.content.decode()
    fifth = page_login(client, "clerk", "wrong-1")
    assert LOCKED.search(fifth.content.decode())
    right = page_login(client, "clerk", PASSWORD)
    assert right.status_code == 200 and not logged_in(client)
    assert LOCKED.search(right.content.decode())


@pytest.mark.django_db
def test_the_message_names_the_minute_the_lock_ends(client, clerk):
    start = timezone.now()
    for _ in range(5):
        r = page_login(client, "clerk", "wrong-1")
    until = timezone.localtime(start + dt.timedelta(minutes=15))
    shown = re.search(r"请于 (\d\d:\d\d) 后", r.content.decode()).group(1)
    later = [(until + dt.timedelta(minutes=m)).strftime("%H:%M") for m in (0, 1)]
    assert shown in later


@pytest.mark.django_db
def test_the_lock_ends_after_fifteen_minutes(client, clerk):
    for _ in range(5):
        page_login(client, "clerk", "wrong-1")
    later = timezone.now() + dt.timedelta(minutes=15, seconds=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        r = page_login(client, "clerk", PASSWORD)
    assert r.status_code == 302 and logged_in(client)


@pytest.mark.django_db
def test_failures_spread_beyond_the_window_do_not_lock(client, clerk):
    now = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=now - dt.timedelta(minutes=16)):
        for _ in range(4):
            page_login(client, "clerk", "wrong-1")
    page_login(client, "clerk", "wrong-1")  # only one failure within the last 15 minutes
    assert page_login(client, "clerk", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_success_resets_the_count(client, clerk):
    for _ in range(4):
        page_login(client, "clerk", "wrong-1")
    assert page_login(client, "clerk", PASSWORD).status_code == 302
    other = Client()
    for _ in range(4):
        page_login(other, "clerk", "wrong-1")
    assert page_login(other, "clerk", PASSWORD).status_code == 302  # 4 + 4 failures, never 5 in a row


@pytest.mark.django_db
def test_failures_are_counted_across_page_admin_and_api(client, reviewer):
    page_login(client, "reviewer1", "wrong-1")
    page_login(client, "reviewer1", "wrong-1")
    admin_login(client, "reviewer1", "wrong-1")
    admin_login(client, "reviewer1", "wrong-1")
    assert api_login(client, "reviewer1", "wrong-1").status_code == 429  # the fifth failure locks at once
    r = api_login(client, "reviewer1", PASSWORD)
    assert r.status_code == 429
    assert LOCKED.fullmatch(r.json()["detail"]) and r.json()["code"] == "locked"
    assert LOCKED.search(admin_login(client, "reviewer1", PASSWORD).content.decode())
    assert not logged_in(client)


@pytest.mark.django_db
def test_the_admin_login_form_is_covered(client, reviewer):
    for _ in range(5):
        admin_login(client, "reviewer1", "wrong-1")
    r = admin_login(client, "reviewer1", PASSWORD)
    assert r.status_code == 200 and LOCKED.search(r.content.decode())
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_unknown_usernames_are_counted_and_answered_like_wrong_passwords(client, clerk):
    wrong_password = page_login(client, "clerk", "wrong-1").content.decode()
    unknown = page_login(client, "nobody-here", "wrong-1").content.decode()
    assert "用户名或密码错误，请重新输入。" in wrong_password and "用户名或密码错误，请重新输入。" in unknown
    assert api_login(client, "nobody-here", "x").json() == api_login(client, "clerk", "x").json()
    for _ in range(3):
        page_login(client, "nobody-here", "wrong-1")
    assert LOCKED.search(page_login(client, "nobody-here", "wrong-1").content.decode())


@pytest.mark.django_db
def test_the_username_count_ignores_case(client, clerk):
    for name in ("Clerk", "CLERK", "clerk", "cLerk", "clerK"):
        page_login(client, name, "wrong-1")
    assert LOCKED.search(page_login(client, "clerk", PASSWORD).content.decode())


@pytest.mark.django_db
def test_thirty_failures_from_one_address_lock_the_address(client, clerk, reviewer):
    for i in range(30):
        page_login(client, f"guess{i // 4}", "wrong-1")  # never 5 on one name
    r = page_login(client, "clerk", PASSWORD)
    assert "您所在网络地址的登录已暂时锁定" in r.content.decode() and not logged_in(client)
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    assert page_login(elsewhere, "clerk", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_successful_logins_do_not_use_up_the_address_budget(client, clerk, settings):
    settings.FAZHI_LOGIN_MAX_FAILURES_PER_IP = 3
    for _ in range(6):
        assert page_login(Client(), "clerk", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_x_forwarded_for_is_ignored_unless_the_proxy_is_trusted(clerk, settings):
    spoofed = {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    page_login(Client(), "clerk", "wrong-1", **spoofed)
    assert LoginAttempt.objects.get().ip == "127.0.0.1"
    settings.FAZHI_TRUSTED_PROXIES = ["127.0.0.0/8"]
    page_login(Client(), "clerk", "wrong-1", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert LoginAttempt.objects.order_by("-id").first().ip == "203.0.113.9"  # the address the proxy saw


@pytest.mark.django_db
def test_every_attempt_is_logged_with_channel_and_result(client, clerk):
    clerk.is_active = True
    page_login(client, "clerk", "wrong-1", HTTP_USER_AGENT="Mozilla/5.0 " + "x" * 500)
    api_login(client, "clerk", PASSWORD)
    admin_login(client, "nobody", "wrong-1")
    page_login(client, "u" * 400, "wrong-1")
    rows = list(LoginAttempt.objects.order_by("id"))
    assert [(r.channel, r.result) for r in rows] == [
        ("page", "bad_password"),
        ("api", "success"),
        ("admin", "bad_password"),
        ("page", "bad_password"),
    ]
    assert rows[0].user == clerk and rows[0].ip == "127.0.0.1" and len(rows[0].user_agent) == 300
    assert rows[2].user is None and rows[2].username == "nobody"
    assert len(rows[3].username) <= 150


@pytest.mark.django_db
def test_a_disabled_account_is_logged_as_such_and_told_so(client, clerk):
    clerk.is_active = False
    clerk.save()
    r = page_login(client, "clerk", PASSWORD)
    assert "该账号已停用，请联系系统管理员。" in r.content.decode()
    assert api_login(client, "clerk", PASSWORD).status_code == 403
    assert (
        "用户名或密码错误" in page_login(client, "clerk", "wrong-1").content.decode()
    )  # wrong password: no hint
    results = list(LoginAttempt.objects.order_by("id").values_list("result", flat=True))
    assert results == ["inactive", "inactive", "bad_password"]


@pytest.mark.django_db
def test_a_locked_attempt_is_logged(client, clerk):
    for _ in range(5):
        page_login(client, "clerk", "wrong-1")
    page_login(client, "clerk", PASSWORD)
    assert LoginAttempt.objects.order_by("-id").first().result == "locked"


# --- the admin ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_the_sysadmin_sees_the_login_log(login, sysadmin, reviewer, outsider, clerk):
    page_login(Client(), "clerk", "wrong-1")
    assert login(sysadmin).get("/admin/core/loginattempt/").status_code == 200
    assert login(sysadmin).get("/admin/core/loginattempt/?result__exact=bad_password").status_code == 200
    assert login(reviewer).get("/admin/core/loginattempt/").status_code == 403  # staff, not 系统管理员
    assert login(outsider).get("/admin/core/loginattempt/").status_code == 302
    assert login(reviewer).get("/admin/core/loginthrottle/").status_code == 403
    assert login(reviewer).get("/admin/core/enterpriseaccount/").status_code == 403
    assert "登录日志" not in login(reviewer).get("/admin/").content.decode()
    assert "登录日志" in login(sysadmin).get("/admin/").content.decode()


@pytest.mark.django_db
def test_the_login_log_cannot_be_added_changed_or_deleted(login, sysadmin, clerk):
    page_login(Client(), "clerk", "wrong-1")
    row = LoginAttempt.objects.get()
    c = login(sysadmin)
    assert c.get("/admin/core/loginattempt/add/").status_code == 403
    c.post(f"/admin/core/loginattempt/{row.pk}/change/", {"username": "changed"})
    c.post(f"/admin/core/loginattempt/{row.pk}/delete/", {"post": "yes"})
    c.post(
        "/admin/core/loginattempt/",
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    row.refresh_from_db()
    assert row.username == "clerk"


@pytest.mark.django_db
def test_the_sysadmin_unlocks_an_account_from_the_user_list(client, login, sysadmin, clerk):
    for _ in range(5):
        page_login(client, "clerk", "wrong-1")
    r = login(sysadmin).post(
        "/admin/core/user/", {"action": "unlock_login", "_selected_action": [clerk.pk]}, follow=True
    )
    assert "已解除 1 项登录锁定" in r.content.decode()
    assert page_login(client, "clerk", PASSWORD).status_code == 302
    from fazhi.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="unlock", object_id="user:clerk", actor=sysadmin).exists()


@pytest.mark.django_db
def test_the_sysadmin_unlocks_an_address_from_the_lock_list(login, sysadmin, clerk, settings):
    settings.FAZHI_LOGIN_MAX_FAILURES_PER_IP = 2
    blocked = Client(REMOTE_ADDR="192.0.2.7")
    page_login(blocked, "a", "x")
    page_login(blocked, "b", "x")
    row = LoginThrottle.objects.get(key="ip:192.0.2.7")
    c = login(sysadmin)
    listing = c.get("/admin/core/loginthrottle/?state=locked").content.decode()
    assert "ip:192.0.2.7" in listing and "锁定中" in listing
    c.post("/admin/core/loginthrottle/", {"action": "unlock", "_selected_action": [row.pk]})
    assert page_login(blocked, "clerk", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_only_a_sysadmin_may_unlock(reviewer):
    from fazhi.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        login_guard.unlock(actor=reviewer, keys=["user:clerk"])


@pytest.mark.django_db
def test_housekeeping_keeps_the_log_for_the_retention_period(clerk, settings):
    old = LoginAttempt.objects.create(
        at=timezone.now() - dt.timedelta(days=400), username="clerk", channel="page", result="success"
    )
    recent = LoginAttempt.objects.create(
        at=timezone.now() - dt.timedelta(days=200), username="clerk", channel="page", result="success"
    )
    login_guard.housekeeping()
    assert not LoginAttempt.objects.filter(pk=old.pk).exists()
    assert LoginAttempt.objects.filter(pk=recent.pk).exists()  # kept more than six months


# --- concurrency -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads sharing one SQLite test database")
def test_concurrent_guesses_get_no_more_than_five_password_checks(clerk):
    checks = []
    real_check = type(clerk).check_password

    def counting_check(self, raw):
        checks.append(raw)
        return real_check(self, raw)

    barrier = threading.Barrier(12)

    def guess(n: int) -> None:
        try:
            barrier.wait()
            page_login(Client(), "clerk", f"wrong-{n}")
        finally:
            connection.close()

    with mock.patch.object(type(clerk), "check_password", counting_check):
        threads = [threading.Thread(target=guess, args=(n,)) for n in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(checks) == 5
    results = list(LoginAttempt.objects.values_list("result", flat=True))
    assert results.count("bad_password") == 5 and results.count("locked") == 7
    assert page_login(Client(), "clerk", PASSWORD).status_code == 200  # still locked
