"""In Chromium, the staff pages (合法性审查, 远程异地评标, 考试管理) by keyboard and on a phone (GB/T 37668-2019, which
follows WCAG 2.0): axe-core finds nothing serious at 1280 and 375 px; a table wider than the screen scrolls in a
box the keyboard reaches, that shows the focus ring and is named (each name its own); a form sent back with
errors puts the focus on its first wrong field (which names its error) or, when the refusal is about the whole
form, on the refusal; and a pre-check finding decided in place keeps the focus on its row."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fazhi.exams.models import Exam
from fazhi.review.models import PrecheckFinding
from tests.bidding.conftest import make_project, pools, project, sites  # noqa: F401 (the bidding fixtures)
from tests.browser.helpers import sign_in_with_session
from tests.browser.test_review_pages_browser import long_draft  # noqa: F401
from tests.exams.conftest import question_bank  # noqa: F401
from tests.exams.test_exam_setup import form

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 800}
WIDE = {"width": 1280, "height": 900}

# Each table in the page that is wider than its box: is its box focusable, and what is it called?
WIDE_TABLES_JS = """() => [...document.querySelectorAll('main table')]
    .filter(t => { const box = t.closest('.table-scroll') || t; return box.scrollWidth > box.clientWidth; })
    .map(t => { const box = t.closest('.table-scroll');
        return box ? {focusable: box.tabIndex === 0, role: box.getAttribute('role'),
                      name: box.getAttribute('aria-label')} : {focusable: false, role: null, name: null}; })"""


@pytest.fixture
def staff_pages(reviewer, buyer, long_draft, project):  # noqa: F811
    """(user, path) for a review queue, a draft, the 应审尽审 ledger and a bidding project."""
    return {
        "review-queue": (reviewer, "/review/"),
        "review-draft": (reviewer, f"/review/drafts/{long_draft.pk}/"),
        "review-ledger": (reviewer, "/review/ledger/"),
        "bidding-project": (buyer, f"/bidding/projects/{project.pk}/"),
    }


@pytest.mark.parametrize("screen", [WIDE, PHONE], ids=["1280", "375"])
@pytest.mark.parametrize("which", ["review-queue", "review-draft", "review-ledger", "bidding-project"])
def test_axe_finds_nothing_serious_on_the_staff_pages(
    page, live_server, axe_check, staff_pages, which, screen
):
    user, path = staff_pages[which]
    page.set_viewport_size(screen)
    sign_in_with_session(page, live_server.url, user)
    page.goto(live_server.url + path)
    assert axe_check(page) == []


@pytest.mark.parametrize("which", ["review-draft", "review-ledger", "bidding-project"])
def test_on_a_phone_a_wide_table_scrolls_in_a_named_box_the_keyboard_reaches(
    page, live_server, staff_pages, which
):
    user, path = staff_pages[which]
    page.set_viewport_size(PHONE)
    sign_in_with_session(page, live_server.url, user)
    page.goto(live_server.url + path)
    wide = page.evaluate(WIDE_TABLES_JS)
    assert wide, "no table is wider than a phone's screen here"
    for table in wide:
        assert table["focusable"] and table["role"] == "region" and table["name"], table
    names = [t["name"] for t in wide]
    assert len(set(names)) == len(names), names  # two boxes with one name cannot be told apart
    box = page.locator("main .table-scroll[role=region]").first
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("b => b.scrollLeft > 0", arg=box.element_handle())


def test_on_a_wide_screen_a_table_that_fits_is_no_extra_tab_stop(page, live_server, staff_pages):
    user, path = staff_pages["review-ledger"]
    sign_in_with_session(page, live_server.url, user)
    page.goto(live_server.url + path)
    assert page.evaluate(WIDE_TABLES_JS) == []
    assert page.locator("main .table-scroll[tabindex]").count() == 0
    page.set_viewport_size(PHONE)  # the window narrows: now the table scrolls, and its box takes the focus
    page.wait_for_selector("main .table-scroll[role=region][tabindex='0']")


def test_the_exam_form_sent_back_puts_the_focus_on_the_first_wrong_field(
    page,
    live_server,
    examadmin,
    question_bank,  # noqa: F811
):
    sign_in_with_session(page, live_server.url, examadmin)
    page.goto(f"{live_server.url}/exams/manage/new/")
    values = form(pass_mark="八")
    for name in ("title", "time_limit_minutes", "total_points", "pass_mark", "opens_at", "closes_at"):
        page.fill(f"#f-{name}", values[name])
    page.locator("main form button[value=save]:not(.sr-only)").click()
    expect(page.locator("#e-pass_mark")).to_be_visible()
    assert not Exam.objects.exists()
    focused = page.evaluate(
        """() => { const e = document.activeElement;
            return {id: e.id, invalid: e.getAttribute('aria-invalid'),
                    said: (e.getAttribute('aria-describedby') || '').split(' ')
                          .map(id => document.getElementById(id)?.textContent || '').join(' ')}; }"""
    )
    assert focused["id"] == "f-pass_mark" and focused["invalid"] == "true"
    assert "及格分" in focused["said"]


def test_a_refusal_of_the_whole_bidding_form_takes_the_focus(page, live_server, buyer, sites):  # noqa: F811
    sign_in_with_session(page, live_server.url, buyer)
    page.goto(f"{live_server.url}/bidding/projects/new/")
    for field, value in {"#f-code": "HY-2026-001", "#f-name": "办公设备采购", "#f-purchaser": "区财政局",
                         "#f-budget": "十万元", "#f-start": "2030-01-10T09:00",
                         "#f-reveal": "2030-01-10T12:00"}.items():  # fmt: skip
        page.fill(field, value)
    page.get_by_role("button", name="保存项目").click()
    refusal = page.locator("main [data-form-error]")
    expect(refusal).to_be_visible()
    assert refusal.evaluate("e => e === document.activeElement")
    assert refusal.get_attribute("role") == "alert" and refusal.inner_text().strip()


def test_a_table_box_reached_by_the_keyboard_shows_the_focus_ring(page, live_server, staff_pages):
    user, path = staff_pages["review-ledger"]
    page.set_viewport_size(PHONE)
    sign_in_with_session(page, live_server.url, user)
    page.goto(live_server.url + path)
    box = page.locator("main .table-scroll[role=region]").first
    box.wait_for()
    page.evaluate(
        """b => { const before = document.createElement('button'); before.id = 'before-box';
                  before.textContent = '前'; b.before(before); }""",
        box.element_handle(),
    )
    page.locator("#before-box").focus()
    page.keyboard.press("Tab")
    assert box.evaluate("b => b === document.activeElement")
    shadow = box.evaluate("b => getComputedStyle(b).boxShadow")
    assert "rgb(31, 35, 40)" in shadow, shadow


def test_after_a_precheck_finding_is_decided_in_place_the_focus_stays_on_its_row(
    page,
    live_server,
    reviewer,
    long_draft,  # noqa: F811
):
    version = long_draft.versions.latest("number")
    finding = PrecheckFinding.objects.create(
        version=version, rule_id="FC-9-LOCAL", family="FC", severity="高", paragraph=1,
        message="以本地注册、纳税作为申请条件", basis="《公平竞争审查条例》第九条",
    )  # fmt: skip
    sign_in_with_session(page, live_server.url, reviewer)
    page.goto(f"{live_server.url}/review/drafts/{long_draft.pk}/")
    row = page.locator(f"#pf-{finding.pk}")
    row.get_by_role("button", name="采纳为审查意见").focus()
    with page.expect_response(lambda r: "/precheck/" in r.url and r.request.method == "POST"):
        page.keyboard.press("Enter")
    decided = row.get_by_role("status")
    expect(decided).to_be_focused()  # not lost to the top of the page with the button that was removed
    assert decided.inner_text().strip() == PrecheckFinding.objects.get(pk=finding.pk).get_decision_display()
