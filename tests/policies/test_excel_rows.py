"""Excel import: the template's example row, duplicate 外部编号, and the facets_extracted flag on a round trip."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from fazhi.policies import excel
from fazhi.policies.models import Policy
from tests.policies.test_excel import workbook


def test_the_unchanged_template_imports_nothing(sysadmin):
    report = excel.import_rows(excel.template(), actor=sysadmin)
    assert (report.created, report.updated, report.errors) == (0, 0, [])
    assert report.skipped == ["第2行：示例行，已跳过。"]
    assert not Policy.objects.exists()


def test_the_template_example_row_is_marked(db):
    ws = load_workbook(io.BytesIO(excel.template())).active
    assert ws["A2"].value == excel.EXAMPLE_ID and ws["B2"].value.startswith("（示例）")


def test_the_example_row_is_skipped_next_to_real_rows(sysadmin):
    data = workbook(
        [
            {"external_id": excel.EXAMPLE_ID, "title": "（示例）关于支持小微企业稳岗的通知"},
            {"title": "（示例）旧模板的示例行，没有外部编号"},
            {"title": "真实政策"},
        ]
    )
    report = excel.import_rows(data, actor=sysadmin)
    assert report.skipped == ["第2行：示例行，已跳过。", "第3行：示例行，已跳过。"]
    assert (report.created, report.errors) == (1, [])
    assert list(Policy.objects.values_list("title", flat=True)) == ["真实政策"]


def test_the_admin_reports_the_skipped_example_row(login, sysadmin):
    client = login(sysadmin)
    upload = SimpleUploadedFile("模板.xlsx", excel.template())
    resp = client.post("/admin/policies/policy/excel/import/", {"file": upload}, follow=True)
    page = resp.content.decode()
    assert "导入完成：新增 0 条，更新 0 条。" in page and "第2行：示例行，已跳过。" in page
    assert not Policy.objects.exists()


def test_a_duplicate_external_id_is_an_error_and_nothing_is_saved(sysadmin):
    data = workbook(
        [
            {"external_id": "dup-1", "title": "第一份"},
            {"external_id": "other", "title": "另一份"},
            {"external_id": "dup-1", "title": "第二份"},
        ]
    )
    report = excel.import_rows(data, actor=sysadmin)
    assert report.errors == ["第4行：外部编号 dup-1 与第2行重复。"]
    assert not Policy.objects.exists()


def test_a_numeric_external_id_is_compared_as_typed(sysadmin):
    report = excel.import_rows(
        workbook([{"external_id": 12, "title": "甲"}, {"external_id": 12.0, "title": "乙"}]), actor=sysadmin
    )
    assert report.errors == ["第3行：外部编号 12 与第2行重复。"]


def test_an_overlong_external_id_is_an_error(sysadmin):
    report = excel.import_rows(workbook([{"external_id": "x" * 65, "title": "甲"}]), actor=sysadmin)
    assert report.errors == ["第2行：外部编号不能超过 64 个字（当前 65 个字）。"]
    assert not Policy.objects.exists()


def _extracted(make_policy, **values):
    policy = make_policy(**values)
    Policy.objects.filter(pk=policy.pk).update(facets_extracted=True)
    return policy


def test_export_then_import_keeps_facets_extracted(sysadmin, make_policy):
    _extracted(
        make_policy,
        external_id="doc-1",
        title="关于减免小微企业房租的通知",
        issuer="北京市人民政府办公厅",
        doc_number="京政办发〔2020〕7号",
        level="省",
        themes="房租减免",
        industries="H、F",
        sizes="小型、微型",
        regions="北京市",
        support_types="租金减免",
        support_amount="12.5",
        employees_max="300",
        published_date="2020-02-05",
        effective_to="2020-06-30",
        apply_end="2020-04-30",
        contact_phone="010-12345678",
        full_text="对承租国有房产的中小微企业，免收2月份房租。",
    )
    _extracted(make_policy, external_id="doc-2", title="援企稳岗补贴实施办法", themes="稳岗就业")
    make_policy(external_id="doc-3", title="人工录入的政策", themes="金融支持")
    before = {p.external_id: p for p in Policy.objects.all()}

    report = excel.import_rows(excel.export(Policy.objects.order_by("pk")), actor=sysadmin)

    assert (report.created, report.updated, report.errors) == (0, 3, [])
    after = {p.external_id: p for p in Policy.objects.all()}
    assert {k: p.facets_extracted for k, p in after.items()} == {"doc-1": True, "doc-2": True, "doc-3": False}
    for key in ("doc-1", "doc-2"):
        for name in ("themes", "industries", "sizes", "regions", "support_types", "issuer", "level"):
            assert getattr(after[key], name) == getattr(before[key], name), (key, name)
    assert after["doc-1"].support_amount == before["doc-1"].support_amount


def test_a_row_that_changes_the_facets_clears_facets_extracted(sysadmin, make_policy):
    _extracted(make_policy, external_id="doc-1", title="甲", themes="房租减免", industries="H")
    _extracted(make_policy, external_id="doc-2", title="乙", themes="稳岗就业")
    wb = load_workbook(io.BytesIO(excel.export(Policy.objects.order_by("pk"))))
    ws = wb.active
    themes_col = [h for h, _ in excel.COLUMNS].index("主题（、分隔）") + 1
    ws.cell(row=2, column=themes_col, value="房租减免、金融支持")  # doc-1 reviewed and corrected
    ws.cell(row=3, column=2, value="乙（修订）")  # doc-2: only the title changed
    buf = io.BytesIO()
    wb.save(buf)

    report = excel.import_rows(buf.getvalue(), actor=sysadmin)

    assert (report.updated, report.errors) == (2, [])
    flags = dict(Policy.objects.values_list("external_id", "facets_extracted"))
    assert flags == {"doc-1": False, "doc-2": True}
    assert Policy.objects.get(external_id="doc-1").themes == ["房租减免", "金融支持"]


def test_policies_without_an_external_id_round_trip_without_duplicates(sysadmin, make_policy):
    make_policy(title="人工录入的政策甲", themes="金融支持")
    make_policy(title="人工录入的政策乙")
    wb = load_workbook(io.BytesIO(excel.export(Policy.objects.order_by("pk"))))
    ws = wb.active
    ws.cell(row=2, column=2, value="人工录入的政策甲（修订）")
    buf = io.BytesIO()
    wb.save(buf)

    report = excel.import_rows(buf.getvalue(), actor=sysadmin)

    assert (report.created, report.updated, report.errors) == (0, 2, [])
    assert sorted(Policy.objects.values_list("title", flat=True)) == [
        "人工录入的政策乙",
        "人工录入的政策甲（修订）",
    ]


def test_a_row_with_a_record_number_can_give_the_policy_an_external_id(sysadmin, make_policy):
    policy = make_policy(title="甲")
    report = excel.import_rows(
        workbook([{"pk": policy.pk, "external_id": "new-1", "title": "甲"}]), actor=sysadmin
    )
    assert (report.updated, report.errors) == (1, [])
    assert Policy.objects.get().external_id == "new-1"


def test_bad_record_numbers_are_row_errors_and_nothing_is_saved(sysadmin, make_policy):
    first = make_policy(title="甲", external_id="a-1")
    second = make_policy(title="乙", external_id="b-1")
    data = workbook(
        [
            {"pk": first.pk, "title": "甲（改）"},
            {"pk": "abc", "title": "丙"},
            {"pk": 99999, "title": "丁"},
            {"pk": first.pk, "title": "甲（再改）"},
            {"pk": second.pk, "external_id": "a-1", "title": "乙"},
        ]
    )
    report = excel.import_rows(data, actor=sysadmin)
    assert report.errors == [
        "第3行：系统编号“abc”无效：应为导出文件中的数字，新增政策请留空。",
        "第4行：系统编号 99999 的政策不存在（可能已被删除）；作为新政策导入请清空系统编号。",
        f"第5行：与第2行是同一条政策（系统编号 {first.pk}），请合并为一行。",
        f"第6行：外部编号 a-1 已被系统编号 {first.pk} 的政策使用。",
    ]
    assert sorted(Policy.objects.values_list("title", flat=True)) == ["乙", "甲"]


@pytest.mark.parametrize("record", ["²", "１２", "123456789012345678901234"])
def test_unicode_digits_and_huge_record_numbers_are_row_errors_not_crashes(sysadmin, record):
    report = excel.import_rows(workbook([{"pk": record, "title": "丙"}]), actor=sysadmin)
    assert report.errors == [f"第2行：系统编号“{record[:20]}”无效：应为导出文件中的数字，新增政策请留空。"]
    assert not Policy.objects.exists()


def test_a_row_by_external_id_and_a_row_by_record_number_for_one_policy_are_refused(sysadmin, make_policy):
    policy = make_policy(title="甲", external_id="a-1")
    data = workbook([{"pk": policy.pk, "title": "甲（改）"}, {"external_id": "a-1", "title": "甲（又改）"}])
    report = excel.import_rows(data, actor=sysadmin)
    assert report.errors == [f"第3行：与第2行是同一条政策（系统编号 {policy.pk}），请合并为一行。"]
    assert Policy.objects.get().title == "甲"


def test_a_workbook_without_the_record_number_column_still_imports(sysadmin):
    wb = load_workbook(io.BytesIO(workbook([{"title": "旧模板填写的政策"}])))
    ws = wb.active
    ws.delete_cols(len(excel.COLUMNS))
    assert excel.ID_HEADER not in [c.value for c in ws[1]]
    buf = io.BytesIO()
    wb.save(buf)
    report = excel.import_rows(buf.getvalue(), actor=sysadmin)
    assert (report.created, report.errors) == (1, [])


def test_a_row_reports_every_bad_value_at_once(sysadmin):
    data = workbook(
        [
            {"title": "甲", "published_date": "2026-02-30", "level": "县"},
            {"title": "乙", "support_amount": "十万", "employees_min": "abc", "contact_phone": "abc"},
            {
                "title": "丙",
                "required_tags": "不存在标签",
                "status_override": "已废止",
                "status_reason": "被新办法取代",
            },
        ]
    )
    report = excel.import_rows(data, actor=sysadmin)
    assert len(report.errors) == 3
    first, second, third = report.errors
    assert first.startswith("第2行：") and "层级“县”无效" in first and "发布日期" in first
    assert "支持金额" in second and "从业人员下限" in second and "咨询电话“abc”中没有电话号码" in second
    assert "企业标签“不存在标签”无效" in third and "状态说明" not in third
    assert not Policy.objects.exists()
