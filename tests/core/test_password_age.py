"""身份鉴别信息定期更换 (GB/T 22239-2019 8.1.4.1 a): a password older than FAZHI_PASSWORD_MAX_AGE_DAYS must be
changed before any other page opens, and the token endpoint refuses it; 0 turns the rule off."""

from __future__ import annotations

import datetime as dt
import importlib

from django.apps import apps
from django.utils import timezone

from fazhi.core.models import ApiToken, User
from tests.conftest import PASSWORD

NEW = "new-pass-2027"


def _age(user, days: int) -> None:
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=days))
    user.refresh_from_db()


def test_a_new_password_starts_the_clock(clerk):
    assert clerk.password_changed_at is not None
    assert timezone.now() - clerk.password_changed_at < dt.timedelta(minutes=5)


def test_an_old_password_must_be_changed_before_anything_else(clerk, login, settings):
    settings.FAZHI_PASSWORD_MAX_AGE_DAYS = 90
    _age(clerk, 89)
    client = login(clerk)
    assert client.get("/review/").status_code == 200
    _age(clerk, 91)
    refused = client.get("/review/")
    assert refused.status_code == 302 and refused["Location"] == "/accounts/password/"
    assert client.post("/messages/read-all/").status_code == 302  # a form elsewhere is not carried out
    page = client.get("/accounts/password/").content.decode()
    assert "已超过 90 天未更换" in page
    changed = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert changed.status_code == 302
    clerk.refresh_from_db()
    assert timezone.now() - clerk.password_changed_at < dt.timedelta(minutes=5)
    assert client.get("/review/").status_code == 200
    assert "前更换（每 90 天更换一次）" in client.get("/accounts/profile/").content.decode()


def test_signing_out_stays_possible_and_the_api_refuses_an_expired_password(clerk, login, client, settings):
    settings.FAZHI_PASSWORD_MAX_AGE_DAYS = 90
    _age(clerk, 120)
    assert login(clerk).post("/accounts/logout/").status_code == 302
    resp = client.post(
        "/api/v1/auth/token", {"username": "clerk", "password": PASSWORD}, content_type="application/json"
    )
    assert resp.status_code == 403 and resp.json()["code"] == "password_expired"
    assert "修改密码" in resp.json()["detail"]
    assert not ApiToken.objects.filter(user=clerk).exists()


def test_the_rule_can_be_turned_off(clerk, login, client, settings):
    settings.FAZHI_PASSWORD_MAX_AGE_DAYS = 0
    _age(clerk, 1000)
    assert login(clerk).get("/review/").status_code == 200
    resp = client.post(
        "/api/v1/auth/token", {"username": "clerk", "password": PASSWORD}, content_type="application/json"
    )
    assert resp.status_code == 200


def test_the_upgrade_counts_existing_passwords_from_that_day(clerk, settings):
    settings.FAZHI_PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=clerk.pk).update(
        password_changed_at=None, date_joined=timezone.now() - dt.timedelta(days=400)
    )
    importlib.import_module("fazhi.core.migrations.0005_user_password_changed_at").start_the_clock(apps, None)
    clerk.refresh_from_db()
    assert timezone.now() - clerk.password_changed_at < dt.timedelta(minutes=5)
