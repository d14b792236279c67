"""In Chromium on a phone (390 px): the law list fits the screen (its table scrolls inside its own box), the
filters follow the results behind a 跳到筛选 link, the header links and the search form's controls are
finger-sized, and the keyboard focus ring shows on white and on the red header."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.laws.models import Law, LawVersion, Level

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def library(transactional_db):
    for i in range(12):
        law = Law.objects.create(
            title=f"三门峡市城市市容和环境卫生管理条例实施细则（第{i}次修正）",
            norm_title=f"三门峡市城市市容和环境卫生管理条例实施细则{i}",
            level=Level.LOCAL_REGULATION,
            issuer="三门峡市人民代表大会常务委员会（河南省人民代表大会常务委员会批准）",
            region="河南省",
        )
        LawVersion.objects.create(law=law, publish_date=dt.date(2020, 1, 1 + i), text="x", text_hash=f"{i}")


def widths(page) -> list[int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def test_the_law_list_fits_a_phone_and_its_table_scrolls_in_its_own_box(
    page, live_server, library, axe_check
):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/laws/?q=三门峡")
    page_width, screen = widths(page)
    assert page_width <= screen
    box = page.locator(".table-scroll")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # the table scrolls sideways, not the page
    status = page.get_by_role("columnheader", name="效力状态")
    status.scroll_into_view_if_needed()
    assert status.is_visible()
    assert axe_check(page) == []


def test_on_a_phone_the_filters_follow_the_results_behind_a_link(page, live_server, library):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/laws/")
    table = page.locator("table.table").bounding_box()
    facets = page.locator("aside.facets").bounding_box()
    assert table and facets and table["y"] < facets["y"]
    assert facets["width"] <= PHONE["width"]
    page.get_by_role("link", name="按效力级别、效力状态、制定机关、年份筛选 ↓").click()
    assert page.locator("aside.facets h2").is_visible()


def test_header_links_and_search_controls_are_finger_sized_on_a_phone_only(page, live_server, library):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/laws/search?q=条例")
    heights = page.evaluate(
        "sel => Array.from(document.querySelectorAll(sel)).map(e => e.getBoundingClientRect().height)",
        ".main-nav a, .search-box select, .search-box button",
    )
    assert heights and min(heights) >= 40, heights
    assert widths(page)[0] <= PHONE["width"]
    page.set_viewport_size({"width": 1280, "height": 900})
    desktop = page.evaluate(
        "Math.max(...Array.from(document.querySelectorAll('.main-nav a')).map(e => e.getBoundingClientRect().height))"
    )
    assert desktop < 32  # the desktop header keeps its look


def test_the_focus_ring_is_dark_on_white_and_white_on_the_red_header(page, live_server, library):
    page.goto(f"{live_server.url}/laws/")
    page.keyboard.press("Tab")  # 跳到主要内容
    page.keyboard.press("Tab")  # the site name, on the red header
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [s.outlineColor, s.boxShadow]; }"
    )
    assert ring[0] == "rgb(255, 255, 255)" and "rgb(31, 35, 40)" in ring[1], ring
    page.locator("#law-q").focus()
    field = page.evaluate("() => getComputedStyle(document.activeElement).boxShadow")
    assert "rgb(31, 35, 40)" in field
