"""In Chromium, the public and enterprise pages by keyboard and on narrow screens (GB/T 37668-2019, which follows
WCAG 2.0): the focus follows the order the page is shown in on a phone and at 200 % zoom (results before the
filters that follow them, a law's table of contents before its text), a date field's calendar button shows the
focus ring, a form sent back with errors puts the focus on the first wrong field (which names its error), the
disclosure's tables scroll in boxes the keyboard reaches, the home page reflows at 320 px, and a 后台任务 page
that updates itself keeps the focus where it was."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from fazhi.core import roles
from fazhi.core.models import Job
from fazhi.core.services import ensure_user
from fazhi.laws.models import Article, Law, LawVersion, Level, Status
from tests.browser.helpers import sign_in_with_password
from tests.browser.test_laws_phone_browser import library  # noqa: F401
from tests.browser.test_performance_charts_browser import YEAR, overspent  # noqa: F401
from tests.browser.test_portal_browser import portal  # noqa: F401

pytestmark = pytest.mark.browser
PASSWORD = "browser-pass-2026"
PHONE = {"width": 390, "height": 844}
ZOOMED = {"width": 640, "height": 450}  # a 1280 × 900 window at 200 % zoom

# Where each focus stop is: inside the filters or not, and how far down the page it is drawn.
STOP_JS = """() => { const e = document.activeElement; const r = e.getBoundingClientRect();
    return {facets: !!e.closest('.facets'), main: !!e.closest('main'), top: r.top + scrollY}; }"""


def focus_stops(page, start: str, count: int) -> list[dict]:
    page.locator(start).focus()
    stops = []
    for _ in range(count):
        page.keyboard.press("Tab")
        stop = page.evaluate(STOP_JS)
        if not stop["main"]:
            break
        stops.append(stop)
    return stops


@pytest.mark.usefixtures("library", "portal")
@pytest.mark.parametrize("screen", [PHONE, ZOOMED], ids=["phone", "zoom-200"])
@pytest.mark.parametrize(
    "path, start",
    [("/laws/", "#law-q"), ("/cases/", "#case-q"), ("/policies/", "#policy-q")],
    ids=["laws", "cases", "policies"],
)
def test_the_keyboard_reaches_the_results_before_the_filters_shown_below_them(
    page, live_server, screen, path, start
):
    page.set_viewport_size(screen)
    page.goto(live_server.url + path)
    stops = focus_stops(page, start, 80)
    flags = [s["facets"] for s in stops]
    assert False in flags and True in flags, flags
    first_filter = flags.index(True)
    assert not any(f is False for f in flags[first_filter:]), flags  # never back up to the results
    tops = [s["top"] for s in stops]
    assert tops == sorted(tops), tops  # the focus only moves down the page


@pytest.mark.usefixtures("library", "portal")
@pytest.mark.parametrize("path", ["/laws/", "/cases/"])
def test_on_a_wide_screen_the_filters_stay_in_the_left_column(page, live_server, path):
    page.goto(live_server.url + path)
    facets = page.locator(".layout > .facets").bounding_box()
    results = page.locator(".layout > section").bounding_box()
    assert facets and results and facets["x"] + facets["width"] <= results["x"]
    assert abs(facets["y"] - results["y"]) < 2


@pytest.fixture
def chaptered_law(transactional_db):
    law = Law.objects.create(title="某某管理条例", norm_title="某某管理条例", level=Level.ADMIN_REGULATION)
    version = LawVersion.objects.create(
        law=law,
        publish_date=dt.date(2020, 1, 1),
        status=Status.IN_FORCE,
        is_latest=True,
        text="全文",
        text_hash="t",
    )
    chapters = ["第一章 总则", "第二章 管理", "第三章 附则"]
    for n in range(1, 31):
        Article.objects.create(
            version=version, law=law, number=n, label=f"第{n}条", ordinal=n,
            chapter=chapters[(n - 1) // 10], text=f"第{n}条的内容，" + "条文文字" * 20 + "。",
        )  # fmt: skip
    return law


@pytest.mark.parametrize("screen", [PHONE, ZOOMED], ids=["phone", "zoom-200"])
def test_a_laws_table_of_contents_comes_before_its_text_as_the_keyboard_meets_it(
    page, live_server, chaptered_law, screen
):
    page.set_viewport_size(screen)
    page.goto(f"{live_server.url}/laws/{chaptered_law.pk}/")
    toc = page.get_by_role("navigation", name="目录").bounding_box()
    text = page.locator("article.article-text").bounding_box()
    assert toc and text and toc["y"] < text["y"]


def test_a_date_fields_calendar_button_shows_the_focus_ring(page, live_server, transactional_db):
    page.goto(live_server.url + "/accounts/login/")
    page.evaluate(
        """() => document.querySelector('main form').insertAdjacentHTML('afterbegin',
            '<p><label for="d">日期</label><input id="d" type="date"></p>')"""
    )
    page.locator("#d").focus()  # the first part (年)
    for _ in range(3):  # 月, 日, then the calendar button inside the field
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "d"
        shadow = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
        assert "rgb(31, 35, 40)" in shadow, shadow


def test_a_failed_registration_puts_the_focus_on_the_first_wrong_field(page, live_server, transactional_db):
    page.goto(live_server.url + "/accounts/register/")
    page.get_by_label("用户名").fill("kongbai")
    page.get_by_role("button", name="注册").click()
    expect(page.locator("#id_password1_error")).to_be_visible()
    focused = page.evaluate(
        """() => { const e = document.activeElement;
            return {id: e.id, invalid: e.getAttribute('aria-invalid'),
                    said: (e.getAttribute('aria-describedby') || '').split(' ')
                          .map(id => document.getElementById(id)?.textContent || '').join(' ')}; }"""
    )
    assert focused["id"] == "id_password1" and focused["invalid"] == "true"
    assert "请填写密码" in focused["said"]


def test_a_wrong_password_marks_both_fields_and_names_the_error(page, live_server, transactional_db):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("nobody")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码错误")
    assert page.evaluate("document.activeElement.id") == "id_username"
    for field in ("#id_username", "#id_password"):
        assert page.locator(field).get_attribute("aria-invalid") == "true"
        described = page.locator(field).get_attribute("aria-describedby")
        assert described and "用户名或密码错误" in page.locator(f"#{described}").inner_text()


@pytest.mark.usefixtures("overspent")
def test_the_disclosure_tables_scroll_in_boxes_the_keyboard_reaches_on_a_phone(page, live_server, axe_check):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/performance/disclosure/jyj/{YEAR}/")
    tables = page.locator("main table")
    assert tables.count() == 3
    for i in range(tables.count()):
        box = tables.nth(i).locator("xpath=..")
        assert box.get_attribute("role") == "region" and box.get_attribute("tabindex") == "0"
        assert box.get_attribute("aria-label")
    wide = page.locator(".table-scroll").nth(2)  # 指标完成情况及得分: nine columns
    assert wide.evaluate("b => b.scrollWidth > b.clientWidth")
    wide.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("b => b.scrollLeft > 0", arg=wide.element_handle())
    assert page.evaluate("[document.documentElement.scrollWidth, innerWidth]")[0] <= PHONE["width"]
    # The chart's text alternative points to its table wherever the table is drawn (beside it or below it).
    caption = page.locator(".perf-chart caption").inner_text()
    assert caption in page.locator("#perf-chart").get_attribute("aria-label")
    assert axe_check(page) == []


def test_the_home_page_reflows_at_320_px(page, live_server, transactional_db):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + "/")
    assert page.evaluate("[document.documentElement.scrollWidth, innerWidth]") == [320, 320]


def test_a_job_page_that_updates_itself_keeps_the_focus_on_its_link(page, live_server, transactional_db):
    user = ensure_user(
        username="jobfocus", display_name="政策科", role_names=[roles.DRAFTER], password=PASSWORD
    )
    job = Job.objects.create(kind="t.browser", title="测试导入", created_by=user, file_name="政策.xlsx")
    sign_in_with_password(page, live_server.url, "jobfocus", PASSWORD)
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    link = page.locator("#job-status").get_by_role("link", name="我的后台任务")
    link.focus()
    for _ in range(2):  # two updates of the progress
        with page.expect_response(lambda r: r.url.endswith(f"/jobs/{job.pk}/")):
            pass
    page.wait_for_timeout(100)  # htmx settles the new content
    assert page.evaluate("document.activeElement.textContent") == "我的后台任务"
