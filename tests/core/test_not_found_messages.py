"""A 404 page says what the view said was missing (in Chinese, never a technical or English message) and,
for an article that does not exist, links back to its law; the API keeps its JSON 404."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.laws.test_queries_pages import make_law


@pytest.fixture(params=["debug", "production"])
def mode(request, settings):
    """Both ways a 404 is answered: the middleware (DEBUG on, as `make run`) and handler404 (DEBUG off)."""
    settings.DEBUG = request.param == "debug"
    settings.FAZHI_TECHNICAL_ERRORS = False
    return request.param


def test_a_missing_article_says_so_and_links_back_to_its_law(db, mode):
    law = make_law("中华人民共和国劳动合同法", range(1, 5))
    response = Client().get(f"/laws/{law.pk}/articles/99/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "这部法规的当前版本中没有这一条" in page
    assert f'<a href="/laws/{law.pk}/">返回《中华人民共和国劳动合同法》</a>' in page
    assert "您访问的页面不存在或已被移除" not in page


def test_a_missing_version_links_back_to_the_law_and_a_missing_law_to_the_library(db, mode):
    law = make_law("中华人民共和国预算法", range(1, 3))
    version = Client().get(f"/laws/{law.pk}/articles/1/", {"version": "999999"}).content.decode()
    assert "这部法规没有所选的版本" in version and f'href="/laws/{law.pk}/"' in version
    gone = Client().get("/laws/999999/articles/1/").content.decode()
    assert "没有找到这部法规" in gone and '<a href="/laws/">返回法规库</a>' in gone


@pytest.mark.urls("tests.core.urls_not_found")
def test_a_chinese_message_is_shown_an_english_or_technical_one_is_not(db, mode):
    chinese = Client().get("/nf/chinese/")
    assert chinese.status_code == 404 and "这份材料已归档，不再公开。" in chinese.content.decode()
    for path in ("/nf/english/", "/nf/mixed/"):
        response = Client().get(path)
        page = response.content.decode()
        assert response.status_code == 404, path
        assert "matches the given query" not in page and "Traceback" not in page and "Draft" not in page
        assert "您访问的页面不存在或已被移除" in page


@pytest.mark.urls("tests.core.urls_not_found")
def test_a_link_off_the_site_is_never_offered(db, mode):
    page = Client().get("/nf/outside/").content.decode()
    assert "没有这一项。" in page and "example.com" not in page


@pytest.mark.urls("tests.core.urls_not_found")
def test_the_api_keeps_its_json_404(db, mode):
    unknown = Client().get("/api/v1/no-such-endpoint")
    assert unknown.status_code == 404 and unknown.json()["detail"].startswith("接口不存在")


def test_an_unknown_address_still_gets_the_general_page(db, mode):
    page = Client().get("/no-such-page/").content.decode()
    assert "页面不存在" in page and "您访问的页面不存在或已被移除" in page
