"""状态依据 in Chinese (audit H1) and one latest version per law (audit H4)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.test import Client

from fazhi.laws import basis, services
from fazhi.laws.models import Article, Law, LawVersion, Level, Status

from .conftest import LAWS, shared_records, write_jsonl

ENGLISH = ("repo", "NOT verified", "newer version", "known repeal", "maintainer", "effective")


def _no_english(text: str) -> None:
    for word in ENGLISH:
        assert word not in text, word


@pytest.mark.parametrize(
    ("note", "chinese"),
    [
        ("latest version in repo; repeal NOT verified", basis.UNVERIFIED),
        ("newer version of same name in repo", basis.SUPERSEDED),
        ("repo db.sqlite3 expired=1 with no newer version (maintainer-set)", basis.EXPIRED),
        (
            "known repeal: 《中华人民共和国增值税法》第三十八条, effective 2026-01-01",
            "依据《中华人民共和国增值税法》第三十八条的规定，自2026年1月1日起废止",
        ),
        ("经国务院决定废止（测试）", "经国务院决定废止（测试）"),  # an administrator's basis: kept
        ("", ""),
    ],
)
def test_the_source_notes_read_as_chinese(note, chinese):
    assert basis.public_basis(note) == chinese
    assert basis.public_basis(chinese) == chinese  # idempotent


def test_the_law_and_article_pages_and_the_api_show_a_chinese_basis(small_library):
    budget = Law.objects.get(title="中华人民共和国预算法")
    assert budget.versions.get().status_basis == basis.UNVERIFIED
    page = Client().get(f"/laws/{budget.pk}/").content.decode()
    assert f"状态依据：{basis.UNVERIFIED}" in page
    _no_english(page)
    article = Client().get(f"/laws/{budget.pk}/articles/10/").content.decode()
    assert basis.UNVERIFIED in article
    _no_english(article)
    transport = Law.objects.get(title="中华人民共和国道路运输条例")
    old = transport.versions.get(is_latest=False)
    old_page = Client().get(f"/laws/{transport.pk}/", {"version": old.pk}).content.decode()
    assert f"状态依据：{basis.SUPERSEDED}" in old_page
    api = Client().get(f"/api/v1/laws/{transport.pk}").json()
    assert {v["status_basis"] for v in api["versions"]} == {basis.UNVERIFIED, basis.SUPERSEDED}


def test_a_known_repeal_is_imported_in_chinese_with_its_citing_article(db, tmp_path):
    record = shared_records([(LAWS, "中华人民共和国预算法", 1)])[0]
    record = dict(
        record,
        id="repeal-test",
        status="已废止",
        status_basis="known repeal: 《中华人民共和国增值税法》第三十八条, effective 2026-01-01",
    )
    services.import_laws(path=write_jsonl(tmp_path / "r.jsonl", [record]))
    version = LawVersion.objects.get(external_id="repeal-test")
    assert version.status_basis == "依据《中华人民共和国增值税法》第三十八条的规定，自2026年1月1日起废止"


def _pair(tmp_path):
    """Two source records that map to one law (same title, level, region), both saying they are latest."""
    newer = shared_records([(LAWS, "中华人民共和国预算法", 1)])[0]
    older = dict(
        newer,
        id="older-copy",
        publish_date="2014-08-31",
        text=newer["text"].replace("第一条 为了", "第一条 为着"),
    )
    assert newer["is_latest"] and older["is_latest"]
    return newer, older


def test_two_records_of_one_law_leave_exactly_one_latest_version(db, tmp_path):
    from fazhi.search import build

    newer, older = _pair(tmp_path)
    # The older one comes second, so "last imported wins" would pick the wrong one.
    services.import_laws(path=write_jsonl(tmp_path / "pair.jsonl", [newer, older]))
    build.rebuild("laws")
    law = Law.objects.get(title="中华人民共和国预算法")
    assert law.versions.count() == 2
    latest = law.versions.get(is_latest=True)
    assert latest.external_id == newer["id"] and latest.status == Status.IN_FORCE
    other = law.versions.get(is_latest=False)
    assert (other.status, other.status_basis) == (Status.AMENDED, basis.SUPERSEDED)

    html = Client().get("/laws/").content.decode()
    assert "共 1 部" in html and html.count(f'href="/laws/{law.pk}/"') == 1
    results = Client().get("/api/v1/laws/search", {"q": "预算 公开", "limit": 50}).json()["results"]
    keys = [(r["law_id"], r["article_no"]) for r in results]
    assert keys and len(keys) == len(set(keys))  # every article once, not once per version

    # Importing again keeps it that way.
    services.import_laws(path=write_jsonl(tmp_path / "pair.jsonl", [newer, older]))
    assert law.versions.filter(is_latest=True).count() == 1


def test_the_list_counts_laws_even_if_a_law_has_two_latest_versions(small_library):
    budget = Law.objects.get(title="中华人民共和国预算法")
    version = budget.versions.get()
    LawVersion.objects.create(
        law=budget, publish_date=dt.date(2014, 8, 31), text=version.text, text_hash="x", is_latest=True
    )
    total = Law.objects.count()
    html = Client().get("/laws/").content.decode()
    assert f"共 {total} 部" in html
    assert html.count(f'href="/laws/{budget.pk}/"') == 1
    by_title = Client().get("/laws/", {"q": "预算法"}).content.decode()
    assert "共 2 部" in by_title  # 预算法 and 预算法实施条例, 预算法 once


def test_the_migration_translates_notes_and_repairs_two_latest_versions(db):
    from django.apps import apps

    from fazhi.laws.importer import articles_for
    from fazhi.search.models import OutboxEntry

    migration = importlib.import_module("fazhi.laws.migrations.0002_chinese_status_basis_one_latest_version")
    law = Law.objects.create(title="测试条例", norm_title="测试条例", level=Level.ADMIN_REGULATION)
    text = "# 测试条例\n\n第一条 为了测试，制定本条例。\n\n第二条 本条例自公布之日起施行。\n"
    old = LawVersion.objects.create(
        law=law,
        publish_date=dt.date(2018, 12, 12),
        text=text,
        text_hash="a",
        status_basis="latest version in repo; repeal NOT verified",
    )
    new = LawVersion.objects.create(
        law=law,
        publish_date=dt.date(2019, 1, 31),
        text=text,
        text_hash="b",
        status_basis="latest version in repo; repeal NOT verified",
    )
    Article.objects.bulk_create(articles_for(old) + articles_for(new))
    admin_law = Law.objects.create(title="管理员条例", norm_title="管理员条例", level=Level.ADMIN_REGULATION)
    admin = LawVersion.objects.create(
        law=admin_law, text=text, text_hash="c", status=Status.REPEALED, status_basis="国务院令第1号废止"
    )
    OutboxEntry.objects.all().delete()

    migration.forwards(apps, None)

    old.refresh_from_db()
    new.refresh_from_db()
    admin.refresh_from_db()
    assert (new.is_latest, new.status, new.status_basis) == (True, Status.IN_FORCE, basis.UNVERIFIED)
    assert (old.is_latest, old.status, old.status_basis) == (False, Status.AMENDED, basis.SUPERSEDED)
    assert (admin.is_latest, admin.status, admin.status_basis) == (True, Status.REPEALED, "国务院令第1号废止")
    queued = set(OutboxEntry.objects.filter(index="laws").values_list("object_id", flat=True))
    assert queued == {str(pk) for pk in old.articles.values_list("pk", flat=True)}
