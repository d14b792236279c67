"""`fazhi import laws`: idempotent, versions on changed text, malformed lines reported, counts."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from fazhi.core.errors import ValidationFailed
from fazhi.core.models import AuditEvent
from fazhi.laws import bootstrap, services
from fazhi.laws.models import Article, Law, LawVersion, Level, Status

from .conftest import JUDICIAL, LAWS, LOCAL, shared_records, write_jsonl

SLICE = [
    (LAWS, "中华人民共和国预算法", 1),
    (LAWS, "中华人民共和国道路运输条例", 2),
    (LAWS, "中华人民共和国道路运输条例", 3),
    (LOCAL, "上海口岸服务条例", 1),
]


@pytest.fixture
def slice_file(tmp_path):
    return write_jsonl(tmp_path / "laws.jsonl", shared_records(SLICE))


def test_it_imports_laws_versions_and_articles(db, slice_file):
    report = services.import_laws(path=slice_file)
    assert (report.laws_created, report.versions_created, report.errors) == (3, 4, [])
    assert report.articles_created == Article.objects.count() > 100
    transport = Law.objects.get(title="中华人民共和国道路运输条例")
    assert transport.versions.count() == 2
    latest = transport.versions.get(is_latest=True)
    assert latest.status == Status.IN_FORCE
    older = transport.versions.get(is_latest=False)
    assert older.status == Status.AMENDED and older.status_basis
    local = Law.objects.get(title="上海口岸服务条例")
    assert (local.level, local.region) == (Level.LOCAL_REGULATION, "上海市")
    budget = Law.objects.get(title="中华人民共和国预算法")
    assert (budget.level, budget.short_name, budget.norm_title) == (Level.LAW, "预算法", "预算法")


def test_running_it_again_changes_nothing(db, slice_file):
    services.import_laws(path=slice_file)
    before = (Law.objects.count(), LawVersion.objects.count(), Article.objects.count())
    events = AuditEvent.objects.count()
    report = services.import_laws(path=slice_file)
    assert (report.laws_created, report.versions_created, report.articles_created) == (0, 0, 0)
    assert report.unchanged == 4
    assert (Law.objects.count(), LawVersion.objects.count(), Article.objects.count()) == before
    assert AuditEvent.objects.count() == events


def test_a_changed_text_becomes_a_new_version(db, tmp_path):
    record = shared_records([(LAWS, "中华人民共和国预算法", 1)])[0]
    services.import_laws(path=write_jsonl(tmp_path / "a.jsonl", [record]))
    changed = dict(record, text=record["text"].replace("第一条 为了", "第一条 为了更好地"))
    report = services.import_laws(path=write_jsonl(tmp_path / "b.jsonl", [changed]))
    assert report.versions_changed == 1
    versions = LawVersion.objects.filter(law__title="中华人民共和国预算法")
    assert versions.count() == 2
    new = versions.get(is_latest=True)
    assert new.external_id == record["id"]
    assert new.articles.get(number=1).text.startswith("为了更好地")
    old = versions.get(is_latest=False)
    assert old.status == Status.AMENDED and "取代" in old.status_basis


def test_a_malformed_line_is_reported_with_its_number_and_the_rest_imports(db, tmp_path):
    records = shared_records(
        [
            (LAWS, "中华人民共和国预算法", 1),
            (JUDICIAL, "最高人民法院关于审理民间借贷案件适用法律若干问题的规定", 1),
        ]
    )
    bad_level = dict(records[0], id="x1", title="坏记录", level="外星法")
    path = write_jsonl(
        tmp_path / "mixed.jsonl",
        [records[0]],
        extra_lines=[
            '{"id": "broken", "title": ',
            json.dumps(bad_level, ensure_ascii=False),
            json.dumps(records[1], ensure_ascii=False),
        ],
    )
    report = services.import_laws(path=path)
    assert report.errors == [
        "mixed.jsonl 第2行：JSON 格式错误（Expecting value）",
        "mixed.jsonl 第3行：未知的效力级别「外星法」",
    ]
    assert Law.objects.count() == 2
    summary = AuditEvent.objects.filter(action="import").latest("seq")
    assert summary.after["versions_created"] == 2 and summary.after["errors"] == 2


def test_the_command_prints_counts_and_rejected_lines(db, tmp_path):
    record = shared_records([(LAWS, "中华人民共和国预算法", 1)])[0]
    path = write_jsonl(tmp_path / "c.jsonl", [record], extra_lines=["not json"])
    out, err = io.StringIO(), io.StringIO()
    call_command("import_laws", str(path), stdout=out, stderr=err, verbosity=0)
    assert "新增法规 1 部、版本 1 个" in out.getvalue()
    assert "c.jsonl 第2行" in err.getvalue()


def test_a_missing_path_is_a_clear_error(db, tmp_path):
    with pytest.raises(ValidationFailed, match="找不到文件"):
        services.import_laws(path=tmp_path / "nope.jsonl")


def test_bootstrap_skips_an_existing_library(db, slice_file):
    services.import_laws(path=slice_file)
    out = io.StringIO()
    bootstrap.ensure_data(out)
    assert "跳过" in out.getvalue()
