"""An article of an older version: 上一条/下一条 stay in that version, and the page says which version it is
and links to the same article's current wording (or says the current version no longer has it)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from fazhi.core.numerals import article_label
from fazhi.laws.models import Article, Law, LawVersion, Status


def version(law, numbers, *, latest, status, published, effective=None):
    v = LawVersion.objects.create(
        law=law,
        is_latest=latest,
        status=status,
        publish_date=published,
        effective_date=effective,
        text=f"{published}",
        text_hash=f"{published}",
    )
    for ordinal, n in enumerate(numbers, start=1):
        Article.objects.create(
            version=v, law=law, number=n, label=article_label(n), ordinal=ordinal, text=f"{published} 第{n}条"
        )
    return v


@pytest.fixture
def transport(db):
    law = Law.objects.create(
        title="中华人民共和国道路运输条例", norm_title="道路运输条例", level="administrative_regulation"
    )
    old = version(
        law, [8, 9, 10, 11], latest=False, status=Status.AMENDED, published=dt.date(2019, 3, 2),
        effective=dt.date(2019, 3, 2),
    )  # fmt: skip
    current = version(law, [8, 9, 10], latest=True, status=Status.IN_FORCE, published=dt.date(2023, 7, 20))
    return law, old, current


def test_prev_and_next_of_an_old_version_stay_in_that_version(transport):
    law, old, _ = transport
    html = Client().get(f"/laws/{law.pk}/articles/9/", {"version": old.pk}).content.decode()
    assert f'href="/laws/{law.pk}/articles/8/?version={old.pk}" rel="prev"' in html
    assert f'href="/laws/{law.pk}/articles/10/?version={old.pk}" rel="next"' in html
    assert f'href="/laws/{law.pk}/?version={old.pk}#art-9"' in html  # the breadcrumb too


def test_an_old_version_says_so_and_links_to_the_current_wording(transport):
    law, old, _ = transport
    html = Client().get(f"/laws/{law.pk}/articles/9/", {"version": old.pk}).content.decode()
    assert "此为历史版本（2019年3月2日施行）" in html
    assert f'<a href="/laws/{law.pk}/articles/9/">查看现行版本第九条</a>' in html


def test_an_article_the_current_version_dropped_is_said_to_be_gone(transport):
    law, old, _ = transport
    html = Client().get(f"/laws/{law.pk}/articles/11/", {"version": old.pk}).content.decode()
    assert "现行版本中已没有第十一条" in html and f'href="/laws/{law.pk}/"' in html
    assert "查看现行版本第十一条" not in html


def test_a_version_without_a_commencement_date_gives_its_publication_date(transport):
    law, old, _ = transport
    LawVersion.objects.filter(pk=old.pk).update(effective_date=None)
    html = Client().get(f"/laws/{law.pk}/articles/9/", {"version": old.pk}).content.decode()
    assert "此为历史版本（2019年3月2日公布）" in html


def test_the_current_version_has_no_note_and_plain_links(transport):
    law, _, current = transport
    for params in ({}, {"version": current.pk}):
        html = Client().get(f"/laws/{law.pk}/articles/9/", params).content.decode()
        assert "此为历史版本" not in html
        assert f'href="/laws/{law.pk}/articles/8/" rel="prev"' in html
        assert f'href="/laws/{law.pk}/articles/10/" rel="next"' in html
