"""An imported case record's 标题 and 来源网址 are kept whole: over their limits the record is refused with
the Chinese message (listed, not imported), never cut; at the limits they are kept as given."""

from __future__ import annotations

import pytest

from fazhi.cases.importer import import_records, parse_record
from fazhi.cases.models import Case
from fazhi.core.errors import ValidationFailed

TITLE_LIMIT = Case._meta.get_field("title").max_length
URL_LIMIT = Case._meta.get_field("source_url").max_length
BASE = "https://example.gov.cn/case/"


def _record(**changes):
    return {
        "kind": "procurement_typical_case",
        "url": BASE + "1",
        "excerpt": "【基本案情】\n某事。",
    } | changes


def test_the_limits_are_the_fields():
    assert (TITLE_LIMIT, URL_LIMIT) == (300, 500)


def test_an_over_long_title_is_refused_not_cut():
    with pytest.raises(ValidationFailed) as err:
        parse_record(_record(title="标" * (TITLE_LIMIT + 1)))
    assert err.value.message == (
        f"案例记录 {BASE}1 的标题不能超过 {TITLE_LIMIT} 个字（当前 {TITLE_LIMIT + 1} 个字），未导入。"
    )
    assert parse_record(_record(title="标" * TITLE_LIMIT))["title"] == "标" * TITLE_LIMIT


def test_an_over_long_url_is_refused_not_cut():
    long_url = BASE + "a" * (URL_LIMIT + 1 - len(BASE))
    with pytest.raises(ValidationFailed) as err:
        parse_record(_record(url=long_url))
    assert (
        err.value.message
        == f"案例记录的来源网址不能超过 {URL_LIMIT} 个字（当前 {URL_LIMIT + 1} 个字），未导入。"
    )
    at_limit = BASE + "a" * (URL_LIMIT - len(BASE))
    assert parse_record(_record(url=at_limit))["source_url"] == at_limit


@pytest.mark.django_db
def test_an_import_lists_the_refused_record_and_imports_the_others():
    result = import_records(
        [_record(title="标" * (TITLE_LIMIT + 1)), _record(url=BASE + "2", title="另一案例")]
    )
    assert result.skipped == 1
    assert any("标题不能超过" in message for message in result.unresolved)
    assert list(Case.objects.values_list("title", flat=True)) == ["另一案例"]
