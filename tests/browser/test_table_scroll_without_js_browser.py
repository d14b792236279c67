"""Wide tables on a phone (375 px) with JavaScript turned off: the server renders each table's scroll box
focusable and named ({% table_scroll %}), so Tab reaches the box and the arrow keys scroll its hidden columns
without any script (GB/T 37668-2019 / WCAG 2.1.1) — on public pages (法规库, 预算绩效公开) and staff pages
(应审尽审台账, a bidding project). With JavaScript a box whose table fits gives its tab stop up, and gets it back
when the window narrows."""

from __future__ import annotations

import time

import pytest

from tests.bidding.conftest import make_project, pools, project, sites  # noqa: F401 (the bidding fixtures)
from tests.browser.helpers import sign_in_with_session
from tests.browser.test_laws_phone_browser import library  # noqa: F401
from tests.browser.test_performance_charts_browser import YEAR, overspent  # noqa: F401
from tests.browser.test_review_pages_browser import long_draft  # noqa: F401
from tests.browser.test_staff_accessibility_browser import WIDE_TABLES_JS

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 800}
WIDE = {"width": 1280, "height": 900}
FOCUSED_BOX_JS = """() => { const e = document.activeElement;
    return e.classList.contains('table-scroll') ? {name: e.getAttribute('aria-label'), role: e.getAttribute('role'),
        scrolls: e.scrollWidth > e.clientWidth, inMain: !!e.closest('main')} : null; }"""


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


# The pages with a table wider than a phone: (the fixtures they need, who signs in, the path).
PAGES = {
    "laws": (["library"], None, lambda f: "/laws/?q=三门峡"),
    "disclosure": (["overspent"], None, lambda f: f"/performance/disclosure/jyj/{YEAR}/"),
    "review-ledger": (["long_draft"], "reviewer", lambda f: "/review/ledger/"),
    "bidding-project": (["project"], "buyer", lambda f: f"/bidding/projects/{f['project'].pk}/"),
}


@pytest.fixture
def pages(request):
    """pages(which) → (user or None, path); only that page's fixtures are made."""

    def _page(which: str):
        needs, user, path = PAGES[which]
        made = {name: request.getfixturevalue(name) for name in needs}
        return (request.getfixturevalue(user) if user else None), path(made)

    return _page


def tab_to_a_box(page, presses: int = 250) -> dict | None:
    """Press Tab from the top of the page until the focus is on a table's scroll box."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        box = page.evaluate(FOCUSED_BOX_JS)
        if box:
            return box
    return None


def scrolled(page, seconds: float = 10) -> bool:
    """Has the focused box scrolled sideways? Polled from here: wait_for_function runs its checks in the page,
    which cannot run them without JavaScript."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if page.evaluate("document.activeElement.scrollLeft > 0"):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("which", list(PAGES))
def test_without_javascript_tab_reaches_a_wide_tables_box_on_a_phone(no_js_page, live_server, pages, which):
    user, path = pages(which)
    if user:
        sign_in_with_session(no_js_page, live_server.url, user)
    no_js_page.goto(live_server.url + path)
    no_script = no_js_page.evaluate("document.querySelector('main .table-scroll').dataset.name") is None
    assert no_script  # table-scroll.js keeps each box's name in data-name
    wide = no_js_page.evaluate(WIDE_TABLES_JS)
    assert wide, "no table is wider than a phone's screen here"
    for table in wide:  # every box that scrolls is focusable and named, without the script
        assert table["focusable"] and table["role"] == "region" and table["name"], table
    box = tab_to_a_box(no_js_page)
    assert box and box["inMain"] and box["role"] == "region" and box["name"], box
    if not box["scrolls"]:  # a narrow table came first (a tab stop too without the script): on to the next
        box = tab_to_a_box(no_js_page)
        assert box and box["scrolls"], box
    no_js_page.keyboard.press("ArrowRight")
    assert scrolled(no_js_page)
    assert no_js_page.evaluate("[document.documentElement.scrollWidth, innerWidth]")[0] <= PHONE["width"]


def test_with_javascript_a_table_that_fits_gives_up_its_tab_stop_until_the_window_narrows(
    page, live_server, pages
):
    user, path = pages("bidding-project")
    sign_in_with_session(page, live_server.url, user)
    page.set_viewport_size(WIDE)
    page.goto(live_server.url + path)
    boxes = page.locator("main .table-scroll")
    fits = page.evaluate(
        "() => [...document.querySelectorAll('main .table-scroll')].filter(b => b.scrollWidth <= b.clientWidth).length"
    )
    assert fits and page.locator("main .table-scroll[tabindex]").count() == boxes.count() - fits
    first = boxes.first
    assert first.get_attribute("data-name") == "项目信息" and first.get_attribute("aria-label") is None
    page.set_viewport_size(PHONE)
    page.wait_for_function("b => b.getAttribute('tabindex') === '0'", arg=first.element_handle())
    assert first.get_attribute("aria-label") == "项目信息（可左右滚动）"
    assert first.get_attribute("role") == "region"
