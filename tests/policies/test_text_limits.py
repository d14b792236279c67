"""The policy's free texts have length limits (TextFields: named limits; other texts: their max_length, which
SQLite does not enforce). The Excel import names the row of an over-long text and imports nothing; a text of
exactly the limit is imported. The 划型标准 修改说明 and 依据 likewise."""

from __future__ import annotations

import pytest

from fazhi.core.errors import ValidationFailed
from fazhi.policies import excel, services
from fazhi.policies.models import Policy
from fazhi.policies.services.policy import TEXT_LIMITS
from fazhi.policies.services.thresholds import MAX_NOTE, threshold_problems
from fazhi.policies.size_thresholds import SizeThreshold
from tests.policies.test_excel import workbook


@pytest.mark.parametrize(
    "field,name,limit",
    [
        ("conditions_text", "申报条件", TEXT_LIMITS["conditions_text"]),
        ("apply_method", "申报方式与地点", TEXT_LIMITS["apply_method"]),
        ("issuer", "发文机关", 300),
        ("contact_phone", "咨询电话", 100),
    ],
)
def test_the_import_names_the_row_of_an_over_long_text_and_imports_nothing(sysadmin, field, name, limit):
    filler = "8" if field == "contact_phone" else "条"
    rows = [{"title": "合格的政策"}, {"title": "过长的政策", field: filler * (limit + 1)}]
    report = excel.import_rows(workbook(rows), actor=sysadmin)
    assert f"第3行：{name}不能超过 {limit:,} 个字（当前 {limit + 1:,} 个字）。" in report.errors
    assert not Policy.objects.exists()
    rows[1][field] = filler * limit
    report = excel.import_rows(workbook(rows), actor=sysadmin)
    assert report.errors == [] and report.created == 2
    assert getattr(Policy.objects.get(title="过长的政策"), field) == filler * limit


def test_an_over_long_full_text_is_refused_by_the_service(sysadmin):
    limit = TEXT_LIMITS["full_text"]
    with pytest.raises(ValidationFailed) as err:
        services.save_policy(actor=sysadmin, values={"title": "全文过长", "full_text": "文" * (limit + 1)})
    assert err.value.message == f"全文不能超过 {limit:,} 个字（当前 {limit + 1:,} 个字）。"
    assert not Policy.objects.exists()


def test_an_over_long_threshold_note_is_a_problem_at_its_field(db):
    row = SizeThreshold.objects.order_by("pk").first()
    assert row is not None
    values = {"source": row.source, "note": "改" * (MAX_NOTE + 1)}
    for name in ("employees", "revenue", "assets"):
        values[name] = getattr(row, name)
    problems = threshold_problems(industry=row.industry, band=row.band, values=values)
    assert ("note", f"修改说明不能超过 {MAX_NOTE:,} 个字（当前 {MAX_NOTE + 1:,} 个字）。") in problems
    values["note"] = "改" * MAX_NOTE
    problems = threshold_problems(industry=row.industry, band=row.band, values=values)
    assert not [p for p in problems if p[0] == "note"]


@pytest.mark.parametrize("field", ["themes", "regions"])
def test_list_items_too_long_or_too_many_are_refused(sysadmin, field):
    from fazhi.policies.services.policy import LIST_LABELS, MAX_LIST_ITEM, MAX_LIST_ITEMS

    label = LIST_LABELS[field]
    with pytest.raises(
        ValidationFailed,
        match=f"{label}“.*”不能超过 {MAX_LIST_ITEM} 个字（当前 {MAX_LIST_ITEM + 1} 个字），请分项填写或使用简称",
    ):
        services.save_policy(
            actor=sysadmin, values={"title": "条目过长", field: ["地" * (MAX_LIST_ITEM + 1)]}
        )
    many = [f"项{i}" for i in range(MAX_LIST_ITEMS + 1)]
    with pytest.raises(ValidationFailed, match=f"{label}最多 {MAX_LIST_ITEMS} 项"):
        services.save_policy(actor=sysadmin, values={"title": "条目过多", field: many})
    assert not Policy.objects.exists()
    services.save_policy(actor=sysadmin, values={"title": "条目刚好", field: ["地" * MAX_LIST_ITEM]})
    assert getattr(Policy.objects.get(title="条目刚好"), field) == ["地" * MAX_LIST_ITEM]
