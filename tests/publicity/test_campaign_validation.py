"""宣传节点: month/day and the quiz link are validated in the admin; a bad row already stored cannot break
the home page, the column, the calendar or the reminders."""

from __future__ import annotations

import logging

import pytest

from fazhi.publicity import services
from fazhi.publicity.models import Campaign

ADD = "/admin/publicity/campaign/add/"


def _form(**kw: str) -> dict[str, str]:
    return {"name": "测试节点", "slug": "test-node", "month": "12", "day": "4", "is_active": "on", **kw}


@pytest.mark.parametrize(
    ("month", "day", "message"),
    [
        ("13", "", "月份须为 1–12。"),
        ("0", "", "月份须为 1–12。"),
        ("5", "99", "日须为 1–31，或留空表示整月。"),
        ("2", "30", "2月没有30日，请填写 1–29。"),
        ("4", "31", "4月没有31日，请填写 1–30。"),
    ],
)
def test_the_admin_refuses_a_month_or_day_that_does_not_exist(login, sysadmin, month, day, message):
    response = login(sysadmin).post(ADD, _form(month=month, day=day))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Campaign.objects.filter(slug="test-node").exists()
    assert f'value="{month}"' in response.content.decode()  # what was typed stays in the form


def test_february_29_is_accepted_and_falls_on_the_28th_in_common_years(login, sysadmin):
    assert login(sysadmin).post(ADD, _form(month="2", day="29")).status_code == 302
    campaign = Campaign.objects.get(slug="test-node")
    import datetime as dt

    assert campaign.occurrence(2027)[0] == dt.date(2027, 2, 28)
    assert campaign.occurrence(2028)[0] == dt.date(2028, 2, 29)


@pytest.mark.parametrize(("month", "day"), [(13, None), (0, None), (2, 30), (5, 99)])
def test_a_bad_row_already_stored_does_not_take_the_site_down(client, db, caplog, month, day):
    Campaign.objects.create(name="坏节点", slug="bad", month=month, day=day)
    Campaign.objects.create(name="国家宪法日", slug="constitution-day", month=12, day=4)
    with caplog.at_level(logging.ERROR):
        for url in ("/", "/publicity/", "/publicity/calendar/"):
            response = client.get(url)
            assert response.status_code == 200, url
        assert "国家宪法日" in client.get("/publicity/calendar/").content.decode()
        assert "坏节点" not in client.get("/publicity/calendar/").content.decode()
        assert client.get("/publicity/topics/bad/").status_code == 404
        assert client.get("/publicity/topics/constitution-day/").status_code == 200
        assert client.get("/api/v1/publicity/campaigns/upcoming").status_code == 200
        services.send_campaign_reminders()
    assert any("日期无效的宣传节点" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(document.domain)", " JavaScript:alert(1)", "//evil.example/x", "data:text/html,x"],
)
def test_the_quiz_link_must_be_a_site_path_or_an_http_address(login, sysadmin, url):
    response = login(sysadmin).post(ADD, _form(quiz_url=url))
    assert response.status_code == 200
    assert "链接须为本站页面路径" in response.content.decode()
    assert not Campaign.objects.filter(slug="test-node").exists()


@pytest.mark.parametrize("url", ["/exams/3/", "https://www.example.gov.cn/quiz"])
def test_site_paths_and_http_addresses_are_accepted_as_quiz_links(login, sysadmin, url):
    assert login(sysadmin).post(ADD, _form(quiz_url=url)).status_code == 302
    assert Campaign.objects.get(slug="test-node").quiz_url == url


def test_a_script_link_stored_earlier_is_not_put_on_the_topic_page(client, db):
    Campaign.objects.create(
        name="宪法日", slug="xss", month=12, day=4, quiz_url="javascript:alert(document.domain)"
    )
    html = client.get("/publicity/topics/xss/").content.decode()
    assert "javascript:" not in html
    assert 'href="/exams/"' in html  # the general quiz link is shown instead


def test_the_campaign_list_has_a_chinese_date_column(login, sysadmin):
    Campaign.objects.create(name="国家宪法日", slug="c", month=12, day=4)
    html = login(sysadmin).get("/admin/publicity/campaign/").content.decode()
    assert "When label" not in html
    assert "column-when" in html and ">日期</a>" in html
    assert "12月4日" in html
