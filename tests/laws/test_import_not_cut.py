"""A law record of the library's import whose texts are over their columns (标题 300, 简称 200, 制定机关 200,
分类 100, 来源路径 300 characters) is refused and listed with its line, never cut (a cut title would also
merge two laws into one); at the limits the texts are kept whole."""

from __future__ import annotations

import json

import pytest

from fazhi.laws import services
from fazhi.laws.models import Law, LawVersion

pytestmark = pytest.mark.django_db


def _record(n: int, **changes) -> dict:
    return {
        "id": f"limits-{n}",
        "title": f"测试条例{n}",
        "level": "行政法规",
        "status": "有效",
        "text": "# 测试条例\n\n第一条 为了测试，制定本条例。\n\n第二条 本条例自公布之日起施行。",
    } | changes


def _import(tmp_path, records):
    path = tmp_path / "laws.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return services.import_laws(path=path)


@pytest.mark.parametrize(
    ("key", "label", "limit"),
    [("title", "标题", 300), ("name", "简称", 200), ("issuer", "制定机关", 200), ("category", "分类", 100)],
)
def test_an_over_long_law_text_is_refused_with_its_line(tmp_path, key, label, limit):
    report = _import(tmp_path, [_record(1, **{key: "长" * (limit + 1)}), _record(2)])
    assert report.errors == [f"laws.jsonl 第1行：{label}不能超过 {limit} 个字（当前 {limit + 1} 个字）"]
    assert list(Law.objects.values_list("title", flat=True)) == ["测试条例2"]


def test_an_over_long_source_path_is_refused(tmp_path):
    report = _import(tmp_path, [_record(1, source_path="p" * 301)])
    assert len(report.errors) == 1 and "不能超过 300 个字（当前 301 个字）" in report.errors[0]
    assert not Law.objects.exists()


def test_texts_at_their_limits_are_kept_whole(tmp_path):
    record = _record(
        1, title="长" * 300, name="简" * 200, issuer="机" * 200, category="类" * 100, source_path="p" * 300
    )
    report = _import(tmp_path, [record])
    assert report.errors == []
    law = Law.objects.get()
    assert (law.title, law.short_name, law.issuer, law.category) == (
        "长" * 300,
        "简" * 200,
        "机" * 200,
        "类" * 100,
    )
    assert LawVersion.objects.get(law=law).source_path == "p" * 300
