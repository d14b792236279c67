"""A case's 适用条文 quote the text the law's page shows: when a newer text of the law is entered ahead of its
施行日期 (尚未生效), the case keeps quoting the text in force — the one its link opens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from fazhi.cases import services
from fazhi.laws.models import Article, LawVersion, Status

from .conftest import ART20

COMING = "（尚未施行的新文本）采购人不得以不合理的条件对供应商实行差别待遇。"


@pytest.fixture
def coming_text(procurement_law):
    """A newer version of 政府采购法实施条例, latest but not yet in force, whose 第二十条 reads otherwise."""
    current = procurement_law.versions.get(is_latest=True)
    current.is_latest = False
    current.save(update_fields=["is_latest"])
    coming = LawVersion.objects.create(
        law=procurement_law, publish_date=dt.date(2026, 12, 1), effective_date=dt.date(2027, 3, 1),
        status=Status.NOT_YET_IN_FORCE, is_latest=True, version_index=3, text="新版", text_hash="coming",
    )  # fmt: skip
    Article.objects.create(
        version=coming, law=procurement_law, number=20, label="第20条", ordinal=20, text=COMING
    )
    return current, coming


def test_a_new_case_applies_the_article_in_force(coming_text):
    current, _ = coming_text
    article = services.resolve_article(law="政府采购法实施条例", article="第二十条")
    assert article.version_id == current.pk and article.text == ART20


def test_the_case_page_and_the_api_quote_the_text_in_force(make_case, procurement_law):
    case = make_case()  # applied while the current text was the latest
    current = procurement_law.versions.get(is_latest=True)
    current.is_latest = False
    current.save(update_fields=["is_latest"])
    coming = LawVersion.objects.create(
        law=procurement_law, publish_date=dt.date(2026, 12, 1), status=Status.NOT_YET_IN_FORCE,
        is_latest=True, version_index=3, text="新版", text_hash="coming",
    )  # fmt: skip
    Article.objects.create(
        version=coming, law=procurement_law, number=20, label="第20条", ordinal=20, text=COMING
    )
    page = Client().get(case.get_absolute_url()).content.decode()
    assert "以特定行政区域或者特定行业的业绩" in page
    assert COMING not in page
    api = Client().get(f"/api/v1/cases/{case.pk}").json()
    assert api["articles"][0]["text"] == ART20
    assert api["articles"][0]["url"] == f"/laws/{procurement_law.pk}/articles/20/"
