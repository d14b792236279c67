"""政策体检 and the policy list in Chromium: check boxes sit by their labels, a phone sees results first."""

from __future__ import annotations

import pytest

from fazhi.core import roles
from fazhi.core.services import ensure_user
from fazhi.policies import services
from fazhi.search import build
from tests.browser.helpers import sign_in_with_password
from tests.browser.test_portal_browser import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def enterprise_site(transactional_db):
    admin = ensure_user(
        username="clerk", display_name="政策科", role_names=[roles.STAFF_MEMBER], password=PASSWORD
    )
    for i in range(8):
        services.save_policy(
            actor=admin,
            values={
                "title": f"稳岗补贴实施办法第{i}号",
                "themes": ["稳岗就业"],
                "full_text": "对稳岗企业给予补贴。",
            },
        )
    build.rebuild("policies")
    return ensure_user(
        username="firm", display_name="某企业", role_names=[roles.ENTERPRISE], password=PASSWORD
    )


@pytest.mark.parametrize("width", [1366, 375])
def test_every_check_box_on_the_match_page_sits_next_to_its_label(page, live_server, enterprise_site, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_with_password(page, live_server.url, "firm", PASSWORD)
    page.goto(f"{live_server.url}/policies/match/")
    boxes = page.locator("form input[type=checkbox]")
    assert boxes.count() >= 5
    for i in range(boxes.count()):
        box = boxes.nth(i)
        label = page.locator(f"label[for='{box.get_attribute('id')}']")
        if not label.count():
            label = box.locator("xpath=ancestor::label[1]")
        b, t = box.bounding_box(), label.bounding_box()
        assert b and t, box.get_attribute("id")
        # Same line, and the box is at the label's left edge (not 300 px away).
        assert abs((b["y"] + b["height"] / 2) - (t["y"] + t["height"] / 2)) < 14, box.get_attribute("id")
        assert -4 <= b["x"] - t["x"] <= 40 or 0 <= t["x"] - (b["x"] + b["width"]) <= 40, box.get_attribute(
            "id"
        )


def test_on_a_phone_the_results_come_before_the_filters(page, live_server, enterprise_site):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/policies/?q=稳岗补贴")
    first = page.locator("ol.results li").first.bounding_box()
    facets = page.locator("aside.facets").bounding_box()
    assert first and facets and first["y"] < facets["y"] and first["y"] < 800
    page.get_by_role("link", name="按发文机关、层级、主题等筛选 ↓").click()
    assert page.locator("aside.facets h2").is_visible()


def test_the_excel_import_says_it_is_working_and_cannot_be_sent_twice(
    page, live_server, enterprise_site, tmp_path
):
    from fazhi.policies import excel

    upload = tmp_path / "政策.xlsx"
    upload.write_bytes(excel.template())
    ensure_user(username="keeper", display_name="系统管理员", role_names=[roles.SYSADMIN], password=PASSWORD)
    sign_in_with_password(page, live_server.url, "keeper", PASSWORD)
    page.goto(f"{live_server.url}/admin/policies/policy/excel/import/")
    busy, button = page.locator("#excel-import-busy"), page.locator("#excel-import input[type=submit]")
    assert busy.is_hidden()
    # Keep the form on the page (a listener added after the page's own cancels the navigation only), so
    # the state while the server works can be read without racing it.
    page.evaluate(
        "document.getElementById('excel-import').addEventListener('submit', e => e.preventDefault())"
    )
    page.set_input_files("input[type=file]", str(upload))
    button.click()
    assert busy.is_visible() and "请勿关闭" in busy.inner_text()
    assert button.is_disabled() and button.get_attribute("value") == "正在导入…"

    page.goto(f"{live_server.url}/admin/policies/policy/excel/import/")  # and the real submission still works
    page.set_input_files("input[type=file]", str(upload))
    page.locator("#excel-import input[type=submit]").click()
    page.wait_for_selector("text=示例行")  # the template's example row is reported as skipped
