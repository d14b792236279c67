"""The law list and pages with odd parameters: never a 500, a Chinese message, the bad filter ignored."""

from __future__ import annotations

import pytest
from django.test import Client

from fazhi.laws.models import Law

HUGE = "99999999999999999999"


@pytest.mark.parametrize("year", ["0", "10000", "²", HUGE, "٢٠١٨", "20１8", "-1", "abc"])
def test_an_odd_year_is_ignored_with_a_chinese_message(small_library, year):
    response = Client().get("/laws/", {"year": year})
    html = response.content.decode()
    assert response.status_code == 200
    assert "年份" in html and "无效" in html and "四位数字" in html
    # The filter is ignored: every law is listed.
    assert f"共 {Law.objects.count()} 部" in html


def test_a_good_year_still_filters_without_a_message(small_library):
    html = Client().get("/laws/", {"year": "2018"}).content.decode()
    assert "中华人民共和国预算法" in html and "上海口岸服务条例" not in html
    assert "无效" not in html


@pytest.mark.parametrize("param", ["level", "status"])
def test_an_unknown_level_or_status_is_ignored_with_a_chinese_message(small_library, param):
    response = Client().get("/laws/", {param: "foo"})
    html = response.content.decode()
    assert response.status_code == 200
    label = {"level": "效力级别", "status": "效力状态"}[param]
    assert f"{label}“foo”无效" in html
    assert f"共 {Law.objects.count()} 部" in html


def test_a_bad_filter_does_not_drop_the_good_ones(small_library):
    html = Client().get("/laws/", {"level": "foo", "year": "2018"}).content.decode()
    assert "效力级别“foo”无效" in html
    assert "中华人民共和国预算法" in html and "上海口岸服务条例" not in html


def test_chinese_labels_are_accepted_as_filter_values(small_library):
    html = Client().get("/laws/", {"level": "地方性法规", "status": "有效"}).content.decode()
    assert "无效" not in html
    assert "上海口岸服务条例" in html and "中华人民共和国预算法" not in html


@pytest.mark.parametrize("value", ["²", HUGE, "-1", "1e3"])
def test_odd_version_ids_are_a_404_not_a_500(small_library, value):
    transport = Law.objects.get(title="中华人民共和国道路运输条例")
    for url, params in (
        (f"/laws/{transport.pk}/", {"version": value}),
        (f"/laws/{transport.pk}/articles/1/", {"version": value}),
    ):
        assert Client().get(url, params).status_code == 404, (url, value)
    diff = Client().get(f"/laws/{transport.pk}/diff", {"a": value})
    assert diff.status_code == 404 and "这部法规没有所选的版本" in diff.content.decode()


def test_huge_ids_in_the_path_are_a_404_not_a_500(small_library):
    budget = Law.objects.get(title="中华人民共和国预算法")
    assert Client().get(f"/laws/{HUGE}/").status_code == 404
    assert Client().get(f"/laws/{HUGE}/diff").status_code == 404
    assert Client().get(f"/laws/{budget.pk}/articles/{HUGE}/").status_code == 404
    assert Client().get(f"/laws/{budget.pk}/articles/1-{HUGE}/").status_code == 404
    api = Client().get(f"/api/v1/laws/{HUGE}")
    assert api.status_code in (404, 422) and api.status_code != 500


def test_an_odd_law_filter_in_the_search_is_refused_in_chinese(small_library):
    response = Client().get("/api/v1/laws/search", {"q": "预算", "law": "²"})
    assert response.status_code == 400
    assert "law" in response.json()["detail"] and "数字" in response.json()["detail"]
