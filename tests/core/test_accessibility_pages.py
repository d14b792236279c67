"""The account forms say which fields must be filled (GB/T 37668-2019 / WCAG 3.3.2), a wrong login points both
fields to its error (the script that then focuses a form's first wrong field is on every page:
test_gaps_footer_scripts.py), and a later page of a list has its own title."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize(
    "path, note",
    [
        ("/accounts/login/", "用户名和密码均须填写。"),
        ("/accounts/register/", "以下各项均须填写。"),
    ],
)
def test_a_visitors_form_says_which_fields_must_be_filled(client, db, path, note):
    form = client.get(path).content.decode().split('<form method="post"')[1].split("</form>")[0]
    assert note in form


@pytest.mark.parametrize(
    "path, note",
    [
        ("/accounts/password/", "以下各项均须填写。"),
        ("/accounts/profile/", "姓名和电子邮箱须填写；当前密码仅在修改电子邮箱时填写。"),
    ],
)
def test_a_signed_in_users_form_says_which_fields_must_be_filled(login, enterprise, path, note):
    page = login(enterprise).get(path)
    assert page.status_code == 200
    assert note in page.content.decode()


def test_a_wrong_login_marks_both_fields_and_points_them_to_the_error(client, db):
    html = client.post("/accounts/login/", {"username": "nobody", "password": "wrong"}).content.decode()
    error = re.search(r'<div id="login-error" class="error" role="alert">(.*?)</div>', html)
    assert error and "用户名或密码错误" in error.group(1)
    for name in ("username", "password"):
        field = re.search(rf'<input id="id_{name}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in field and 'aria-describedby="login-error"' in field


def test_an_empty_login_form_is_not_marked_wrong(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert "aria-invalid" not in html and 'id="login-error"' not in html


def test_the_unread_count_in_the_header_says_what_it_counts_in_its_text(login, enterprise):
    from fazhi.core.services import notify

    notify(recipient=enterprise, title="新政策", body="请查看。", url="/policies/")
    header = login(enterprise).get("/").content.decode().split("</header>")[0]
    # aria-label on a plain span is not allowed (ARIA 1.2) and screen readers reading the page skip it.
    badge = re.search(r'<span class="badge">(.*?)</span></a>', header)
    assert badge and re.sub(r"<[^>]+>", "", badge.group(1)) == "（未读 1 条）"
    assert "aria-label" not in badge.group(0)


@pytest.mark.django_db
def test_a_later_page_of_a_list_has_its_own_title(login, clerk):
    """Page titles are unique (GB/T 37668 / WCAG 2.4.2): page 2 of a list says so, page 1 stays as it was."""
    from fazhi.core.services import notify

    for n in range(31):  # the inbox lists 30 a page
        notify(recipient=clerk, title=f"消息 {n}")
    client = login(clerk)
    first = re.search(r"<title>(.*?)</title>", client.get("/messages/").content.decode()).group(1)
    second = re.search(r"<title>(.*?)</title>", client.get("/messages/?page=2").content.decode()).group(1)
    assert second == f"第 2 页 · {first}" and not first.startswith("第")
