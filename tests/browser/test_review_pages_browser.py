"""Review pages in Chromium: long unbroken names wrap inside the tables; the slow forms say they are working."""

from __future__ import annotations

import pytest

from fazhi.review import services
from fazhi.review.models import Draft, State
from tests.browser.helpers import sign_in_with_session
from tests.review.conftest import add_version

pytestmark = pytest.mark.browser


LONG_UNIT = "A" * 200  # a unit name without any space, as in the audit
LONG_TITLE = "Regulation" + "X" * 150


@pytest.fixture
def long_draft(clerk, reviewer, transactional_db):
    draft = services.create_draft(user=clerk, title=LONG_TITLE, doc_type="normative", unit=LONG_UNIT)
    add_version(draft, clerk, text="第一段\n" + "Z" * 300 + "\n第三段")
    Draft.objects.filter(pk=draft.pk).update(state=State.IN_REVIEW, reviewer=reviewer)
    return draft


@pytest.mark.parametrize("path", ["/review/", "/review/drafts/{id}/", "/review/ledger/"])
def test_a_long_unit_name_does_not_widen_the_page(page, live_server, reviewer, long_draft, path):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in_with_session(page, live_server.url, reviewer)
    page.goto(live_server.url + path.replace("{id}", str(long_draft.pk)))
    assert page.locator(f"text={LONG_UNIT[:20]}").count() >= 1  # the name is on the page
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths


def test_the_draft_table_keeps_its_header_column_readable(page, live_server, reviewer, long_draft):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in_with_session(page, live_server.url, reviewer)
    page.goto(f"{live_server.url}/review/drafts/{long_draft.pk}/")
    header = page.locator("table.review-info th", has_text="起草单位").bounding_box()
    assert header and header["width"] > 80  # not squeezed to one character per line


def test_the_precheck_form_says_it_is_working_and_cannot_be_sent_twice(page, live_server, clerk):
    sign_in_with_session(page, live_server.url, clerk)
    page.goto(f"{live_server.url}/review/precheck/")
    notice = page.locator("#precheck-form [data-busy-notice]")
    button = page.locator("#precheck-form button[type=submit]")
    assert notice.is_hidden()
    # Keep the form on the page (a listener added after the page's own cancels only the navigation), so
    # the state while the server works can be read without racing it.
    page.evaluate(
        "document.getElementById('precheck-form').addEventListener('submit', e => e.preventDefault())"
    )
    page.fill("#id_text", "申报企业须在本区纳税满三年方可享受房租补贴。")
    button.click()
    assert notice.is_visible() and "请勿关闭" in notice.inner_text()
    assert button.is_disabled() and button.inner_text() == "正在自查…"

    page.goto(f"{live_server.url}/review/precheck/")  # and the real submission still works
    page.fill("#id_text", "申报企业须在本区纳税满三年方可享受房租补贴。")
    page.locator("#precheck-form button[type=submit]").click()
    page.wait_for_selector("text=自查结果")


def test_the_upload_form_says_it_is_working_and_cannot_be_sent_twice(page, live_server, clerk, tmp_path):
    draft = services.create_draft(user=clerk, title="资金管理办法", doc_type="contract", unit="预算科")
    upload = tmp_path / "稿.txt"
    upload.write_text("第一条 甲方。\n第二条 乙方。", encoding="utf-8")
    sign_in_with_session(page, live_server.url, clerk)
    page.goto(f"{live_server.url}/review/drafts/{draft.pk}/")
    notice, button = page.locator("#upload [data-busy-notice]"), page.locator("#upload button[type=submit]")
    assert notice.is_hidden()
    page.evaluate("document.getElementById('upload').addEventListener('submit', e => e.preventDefault())")
    page.set_input_files("#u-file", str(upload))
    button.click()
    assert notice.is_visible() and "请勿关闭" in notice.inner_text()
    assert button.is_disabled() and button.inner_text() == "正在上传并预审…"
    assert not draft.versions.exists()  # nothing was sent


def test_on_a_phone_the_review_table_scrolls_instead_of_crushing_its_columns(
    page, live_server, reviewer, long_draft
):
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in_with_session(page, live_server.url, reviewer)
    page.goto(f"{live_server.url}/review/")
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths  # the page itself does not scroll sideways
    cell = page.locator("table.table td").first.bounding_box()
    assert cell and cell["width"] >= 70  # about 5 characters at least, not one per line
