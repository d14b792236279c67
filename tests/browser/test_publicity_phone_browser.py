"""In Chromium on a phone (390 px): the 普法责任清单 and a topic's activity table scroll sideways in their own
box, which the keyboard can reach (a table of plain text has nothing else to focus), and the page does not."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.publicity.models import (
    Activity,
    ActivityForm,
    Campaign,
    ItemStatus,
    ResponsibilityItem,
    ResponsibilityList,
)

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def lists(transactional_db):
    lst = ResponsibilityList.objects.create(year=2026, department="政府采购监督管理科")
    campaign = Campaign.objects.create(name="国家宪法日", slug="constitution-day", month=12, day=4)
    for i in range(3):
        item = ResponsibilityItem.objects.create(
            responsibility_list=lst,
            law_title=f"中华人民共和国政府采购法实施条例（第{i + 1}项）",
            audiences="采购人、采购代理机构、供应商及评审专家",
            planned_activity="政府采购法规专题培训与现场咨询",
            planned_date=dt.date(2026, 3 + i, 1),
            status=ItemStatus.IN_PROGRESS,
        )
        Activity.objects.create(
            title=f"政府采购法规专题培训（第{i + 1}场）",
            department="政府采购监督管理科",
            date=dt.date(2026, 3, 20 + i),
            place="区财政局三楼会议室",
            form=ActivityForm.TRAINING,
            audience_count=86,
            item=item,
            campaign=campaign,
        )
    return lst, campaign


@pytest.mark.parametrize("which", ["list", "topic"])
def test_a_wide_table_scrolls_in_a_box_the_keyboard_reaches(page, live_server, lists, axe_check, which):
    lst, campaign = lists
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + (lst.get_absolute_url() if which == "list" else campaign.get_absolute_url()))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = page.locator(".table-scroll")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # the table is wider than the phone
    box.focus()
    assert page.evaluate("document.activeElement.classList.contains('table-scroll')")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('.table-scroll').scrollLeft > 0")
    assert axe_check(page) == []
