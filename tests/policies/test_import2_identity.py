"""Excel import identity: rows without 外部编号 are found again by 文号 or 标题 + 发文机关 + 发布日期, so one
file imported twice updates instead of duplicating; ambiguous rows are refused, all or nothing."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from fazhi.core.models import AuditEvent
from fazhi.policies import excel
from fazhi.policies.models import Policy
from fazhi.search.models import OutboxEntry
from tests.policies.test_excel import workbook

ROWS = [
    {"external_id": "ext-1", "title": "稳岗补贴", "issuer": "区人社局", "published_date": "2026-01-05"},
    {
        "doc_number": "区财发〔2026〕3号",
        "title": "房租减免办法",
        "issuer": "区财政局",
        "published_date": "2026-02-01",
    },
    {"title": "贷款贴息通知", "issuer": "区金融办", "published_date": "2026-03-01", "themes": "金融支持"},
]


def titles() -> list[str]:
    return sorted(Policy.objects.values_list("title", flat=True))


def test_importing_the_same_file_twice_creates_each_policy_once(sysadmin):
    data = workbook(ROWS)

    first = excel.import_rows(data, actor=sysadmin)
    second = excel.import_rows(data, actor=sysadmin)

    assert (first.created, first.updated, first.errors) == (3, 0, [])
    assert (second.created, second.updated, second.unchanged, second.errors) == (0, 3, 3, [])
    assert second.matched == {"record": 0, "external_id": 1, "doc_number": 1, "title": 1}
    assert titles() == ["房租减免办法", "稳岗补贴", "贷款贴息通知"]


def test_a_re_import_with_changed_values_updates_the_policy_found_by_doc_number_or_title(sysadmin):
    excel.import_rows(workbook(ROWS), actor=sysadmin)
    before = dict(Policy.objects.values_list("title", "pk"))
    changed = [
        {**ROWS[0], "support_standard": "每人1000元"},
        # the 文号 written with other brackets and spaces is the same 文号
        {**ROWS[1], "doc_number": "区财发 [2026] 3号", "title": "房租减免办法（修订）"},
        {**ROWS[2], "themes": "金融支持、稳岗就业"},
    ]

    report = excel.import_rows(workbook(changed), actor=sysadmin)

    assert (report.created, report.updated, report.unchanged) == (0, 3, 0)
    assert Policy.objects.get(pk=before["房租减免办法"]).title == "房租减免办法（修订）"
    assert Policy.objects.get(pk=before["贷款贴息通知"]).themes == ["金融支持", "稳岗就业"]
    assert Policy.objects.get(pk=before["稳岗补贴"]).support_standard == "每人1000元"
    assert Policy.objects.count() == 3


def test_a_row_that_gains_a_doc_number_updates_the_policy_it_was_imported_as(sysadmin):
    excel.import_rows(workbook([ROWS[2]]), actor=sysadmin)
    pk = Policy.objects.get().pk

    report = excel.import_rows(workbook([{**ROWS[2], "doc_number": "区金发〔2026〕1号"}]), actor=sysadmin)

    assert (report.created, report.updated, report.matched["title"]) == (0, 1, 1)
    assert Policy.objects.get().pk == pk and Policy.objects.get().doc_number == "区金发〔2026〕1号"


def test_policies_with_an_external_id_are_never_matched_by_doc_number(sysadmin, make_policy):
    make_policy(external_id="src-1", title="共享数据中的政策", doc_number="区财发〔2026〕3号")

    report = excel.import_rows(workbook([ROWS[1]]), actor=sysadmin)

    assert (report.created, report.updated) == (1, 0)
    assert Policy.objects.get(external_id="src-1").title == "共享数据中的政策"


def test_a_row_matching_several_policies_is_an_error_and_nothing_is_saved(sysadmin, make_policy):
    a = make_policy(title="重复录入的政策", doc_number="区财发〔2025〕9号")
    b = make_policy(title="重复录入的政策（副本）", doc_number="区财发〔2025〕9号")
    data = workbook([{"title": "新政策"}, {"title": "重复录入的政策", "doc_number": "区财发〔2025〕9号"}])

    report = excel.import_rows(data, actor=sysadmin)

    assert report.errors == [
        f"第3行：文号 区财发〔2025〕9号与多条已有政策相同（系统编号 {a.pk}、{b.pk}），无法确定更新哪一条："
        "请在本行填写系统编号（可先导出，从导出文件中复制），或先删除重复的政策。"
    ]
    assert titles() == ["重复录入的政策", "重复录入的政策（副本）"]


def test_two_rows_the_next_import_could_not_tell_apart_are_refused(sysadmin):
    data = workbook(
        [
            ROWS[1],
            {**ROWS[1], "title": "另一标题"},  # same 文号
            ROWS[2],
            {**ROWS[2], "themes": "稳岗就业"},  # same 标题 + 发文机关 + 发布日期, no 文号
            {**ROWS[2], "doc_number": "区金发〔2026〕2号"},  # same key as row 4, which has no 文号
            {**ROWS[1], "doc_number": "区财发〔2026〕4号"},  # same key as row 2 but both have a 文号: fine
        ]
    )

    report = excel.import_rows(data, actor=sysadmin)

    clash = "标题、发文机关和发布日期与第4行相同，且未填写文号或外部编号，再次导入时无法区分：请合并为一行，或填写文号、外部编号。"
    assert report.errors == [
        "第3行：文号 区财发〔2026〕3号 与第2行重复，请合并为一行。",
        f"第5行：{clash}",
        f"第6行：{clash}",
    ]
    assert not Policy.objects.exists()


def test_a_row_matching_a_policy_already_updated_by_its_record_number_is_refused(sysadmin, make_policy):
    policy = make_policy(title="房租减免办法", doc_number="区财发〔2026〕3号")
    data = workbook([{"pk": policy.pk, "title": "房租减免办法（改）"}, ROWS[1]])

    report = excel.import_rows(data, actor=sysadmin)

    assert report.errors == [f"第3行：与第2行是同一条政策（系统编号 {policy.pk}），请合并为一行。"]
    assert Policy.objects.get().title == "房租减免办法"


def test_an_export_of_policies_without_external_id_still_round_trips(sysadmin):
    excel.import_rows(workbook(ROWS), actor=sysadmin)
    exported = excel.export(Policy.objects.order_by("pk"))

    report = excel.import_rows(exported, actor=sysadmin)

    assert (report.created, report.updated, report.matched["record"]) == (0, 3, 3)
    assert Policy.objects.count() == 3


def test_the_template_and_the_result_explain_the_identity_rule(sysadmin):
    help_rows = list(load_workbook(io.BytesIO(excel.template()))["填写说明"].iter_rows(values_only=True))
    assert ("重复导入", excel.IDENTITY_RULE) in help_rows
    assert "按文号" in excel.IDENTITY_RULE and "标题＋发文机关＋发布日期" in excel.IDENTITY_RULE

    excel.import_rows(workbook(ROWS), actor=sysadmin)
    report = excel.import_rows(workbook(ROWS), actor=sysadmin)
    assert report.summary == (
        "导入完成：新增 0 条，更新 3 条。更新的政策中按外部编号 1 条，按文号 1 条，"
        "按标题＋发文机关＋发布日期 1 条；其中 3 条内容未变。"
    )


def test_one_audit_event_and_one_outbox_batch_per_import(sysadmin):
    events = AuditEvent.objects.count()
    OutboxEntry.objects.all().delete()
    excel.import_rows(workbook(ROWS), actor=sysadmin)
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "import" and event.actor == sysadmin
    assert sorted(event.after["created"]) == sorted(Policy.objects.values_list("pk", flat=True))
    queued = sorted(int(i) for i in OutboxEntry.objects.values_list("object_id", flat=True))
    assert queued == sorted(event.after["created"])

    excel.import_rows(workbook([{**ROWS[2], "themes": "稳岗就业"}, ROWS[1]]), actor=sysadmin)
    event = AuditEvent.objects.order_by("-seq").first()
    changed = Policy.objects.get(title="贷款贴息通知").pk
    assert event.after["updated"] == {str(changed): ["themes"]} and event.after["unchanged"] == 1
