"""A double click on a form that creates something sends it once (static/js/submit-once.js)."""

from __future__ import annotations

import time

import pytest

from fazhi.review import services
from fazhi.review.models import Draft
from tests.browser.helpers import sign_in_with_session

pytestmark = pytest.mark.browser


@pytest.fixture
def slow_server(monkeypatch):
    """The server takes 0.8 s to register a draft, as on a slow connection: time for a second click."""
    original = services.create_draft

    def slow(**kwargs):
        time.sleep(0.8)
        return original(**kwargs)

    monkeypatch.setattr(services, "create_draft", slow)


def _click_register_twice(page, base: str, title: str) -> int:
    """Click 登记 on the new-draft form, and again 0.2 s later; the number of POST requests sent."""
    posts = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" and "/review/new/" in r.url else None)
    page.goto(f"{base}/review/new/")
    page.fill("#id_title", title)
    # Two clicks from the page itself (a person's second click, 0.2 s later), not waiting for the answer.
    page.eval_on_selector(
        "form.form button[type=submit]", "b => { b.click(); setTimeout(() => b.click(), 200); }"
    )
    for _ in range(50):  # the answer to the last request sent, whichever navigation that is
        if "/review/drafts/" in page.url:
            break
        page.wait_for_timeout(100)
    page.wait_for_load_state("networkidle")
    return len(posts)


def test_a_second_click_while_the_form_is_sent_sends_nothing(
    page, live_server, clerk, transactional_db, slow_server
):
    sign_in_with_session(page, live_server.url, clerk)
    assert _click_register_twice(page, live_server.url, "资金管理办法") == 1
    assert Draft.objects.filter(title="资金管理办法").count() == 1


def test_without_the_script_the_second_click_sends_the_form_again(
    page, live_server, clerk, transactional_db, slow_server
):
    """The check above can fail: with the script blocked, the browser posts the form twice."""
    page.route("**/submit-once.js", lambda route: route.abort())
    sign_in_with_session(page, live_server.url, clerk)
    assert _click_register_twice(page, live_server.url, "采购文件") == 2
    # The page shows the answer to the second request; the first one (abandoned by the browser) may still be
    # in the server's other thread on a loaded machine: give it a few seconds to finish.
    for _ in range(50):
        if Draft.objects.filter(title="采购文件").count() == 2:
            break
        time.sleep(0.1)
    assert Draft.objects.filter(title="采购文件").count() == 2


def test_the_clicked_button_is_still_sent_with_the_form(page, live_server, clerk, transactional_db):
    """Buttons such as 保存并签名确认 (name="sign") tell the server what to do: disabling must not drop them."""
    sign_in_with_session(page, live_server.url, clerk)
    page.goto(f"{live_server.url}/review/new/")
    page.fill("#id_title", "资金管理办法")
    page.eval_on_selector("form.form button[type=submit]", "b => { b.name = 'sign'; b.value = '1'; }")
    with page.expect_request(lambda r: r.method == "POST" and "/review/new/" in r.url) as sent:
        page.click("form.form button[type=submit]")
    assert "sign=1" in (sent.value.post_data or "")
