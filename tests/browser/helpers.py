"""Signing in from a browser test: through the login form (as a user would) or by reusing a Django session."""

from __future__ import annotations

from django.test import Client


def sign_in_with_password(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")


def sign_in_with_session(page, base: str, user) -> None:
    """Reuse a Django session in the browser instead of typing the password."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
