"""In a real browser, 随机抽取评标专家 asks first (static/js/confirm.js): cancelling sends nothing and leaves
the button usable; accepting draws the committee."""

from __future__ import annotations

import pytest

from fazhi.bidding.models import Committee
from tests.bidding.conftest import make_project, pools, project, sites  # noqa: F401 (the bidding fixtures)
from tests.browser.helpers import sign_in_with_session

pytestmark = pytest.mark.browser


def test_the_draw_asks_first_and_cancelling_sends_nothing(page, live_server, buyer, project):  # noqa: F811
    sign_in_with_session(page, live_server.url, buyer)
    questions, posts = [], []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    answer = {"accept": False}

    def on_dialog(dialog):
        questions.append(dialog.message)
        dialog.accept() if answer["accept"] else dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(f"{live_server.url}/bidding/projects/{project.pk}/")
    button = page.get_by_role("button", name="随机抽取评标专家")
    button.click()
    page.wait_for_timeout(300)
    assert questions and questions[0].startswith("确定随机抽取评标专家？")
    assert posts == [] and button.is_enabled()  # submit-once did not disable the button of a cancelled form
    answer["accept"] = True
    with page.expect_navigation():
        button.click()
    assert len(questions) == 2 and len(posts) == 1
    assert Committee.objects.filter(project=project).count() == 1
