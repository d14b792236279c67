"""发文登记簿: entries checked as they are written, each entry's status beside the review ledger, the link a
publication makes, the Excel import (all rows or none) and export, and the 应审尽审率 that counts the register."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from fazhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from fazhi.core.models import AuditEvent
from fazhi.reports import figures as figs
from fazhi.review import services
from fazhi.review.models import DocTypeRule, Draft, IssuedDocument, RegisterSource
from fazhi.review.register import excel, selectors
from fazhi.review.register import services as register
from tests.days import Days, resolve, today

from .test_numbering import approved

pytestmark = pytest.mark.django_db

YEAR = today().year
EARLY = max(today() - dt.timedelta(days=3), dt.date(YEAR, 1, 1))  # a day of this year, not after today
NUMBER = f"阳财规〔{YEAR}〕7号"


def entry(user, **kw) -> IssuedDocument:
    values = {
        "title": "关于调整收费项目的通知",
        "unit": "综合科",
        "issued_on": EARLY,
        "doc_type": "normative",
        "doc_number": "",
        **kw,
    }
    return register.create_entry(user=user, **values)


def published(make_draft, clerk, reviewer, *, title: str = "资金管理办法", number: str = NUMBER) -> Draft:
    draft = approved(make_draft, clerk, reviewer, title=title)
    return services.transition(
        user=clerk, draft_id=draft.pk, action="publish", comment="印发", doc_number=number, signed_by="王局长"
    )


def xlsx(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = excel.SHEET
    ws.append(header or excel.COLUMNS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def status(e: IssuedDocument) -> str:
    e.refresh_from_db()
    return selectors.status_of(e, selectors.review_required_types())


# --- writing entries -----------------------------------------------------------------------------------


def test_a_reviewer_registers_a_document_and_the_audit_chain_records_who(reviewer):
    e = entry(reviewer, doc_number=f"阳财规[{YEAR}]第07号")
    assert e.doc_number == NUMBER  # normalised as at publication
    assert e.registered_by == reviewer and e.source == RegisterSource.MANUAL
    event = AuditEvent.objects.filter(object_type="review.IssuedDocument", object_id=str(e.pk)).get()
    assert event.action == "create" and event.actor == reviewer and "发文登记簿" in event.comment


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"doc_number": "阳财规2026年7号"}, "格式不正确"),
        ({"issued_on": Days(1)}, "晚于今天"),
        ({"issued_on": "下周一"}, "无法识别"),
        ({"issued_on": None}, "请填写印发日期"),
        ({"doc_type": "通知"}, "文书类型“通知”无效"),
        ({"title": "  "}, "请填写文件标题"),
        ({"unit": ""}, "请填写发文单位"),
        ({"title": "长" * 301}, "不能超过 300 个字"),
        ({"doc_type": "other", "exempt_reason": "内部事务性文件"}, "无须填写免审理由"),
        ({"doc_number": f"阳财规〔{YEAR + 1}〕1号"}, "晚于发布年度"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(reviewer, changes, message):
    changes = resolve(changes)
    before = (IssuedDocument.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationFailed) as exc:
        entry(reviewer, **changes)
    assert message in exc.value.message
    assert (IssuedDocument.objects.count(), AuditEvent.objects.count()) == before


def test_a_number_is_registered_once(reviewer):
    first = entry(reviewer, doc_number=NUMBER)
    with pytest.raises(Conflict) as exc:
        entry(reviewer, doc_number=NUMBER, title="另一份文件")
    assert "已在发文登记簿中登记" in exc.value.message and first.title in exc.value.message
    other = entry(reviewer, doc_number=f"阳财规〔{YEAR}〕8号", title="另一份文件")
    with pytest.raises(Conflict):
        register.update_entry(user=reviewer, entry_id=other.pk, doc_number=NUMBER)
    other.refresh_from_db()
    assert other.doc_number == f"阳财规〔{YEAR}〕8号"


@pytest.mark.parametrize("who", ["clerk", "director", "supervisor", "enterprise", "outsider"])
def test_only_reviewers_and_administrators_write(request, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        entry(user)
    assert not IssuedDocument.objects.exists()


def test_a_system_administrator_writes_too(sysadmin):
    assert entry(sysadmin).registered_by == sysadmin


def test_a_change_is_checked_like_a_new_entry_and_audited(reviewer):
    e = entry(reviewer)
    with pytest.raises(ValidationFailed):
        register.update_entry(user=reviewer, entry_id=e.pk, issued_on=today() + dt.timedelta(days=2))
    register.update_entry(user=reviewer, entry_id=e.pk, exempt_reason="内部事务性文件，不对外发布")
    assert status(e) == selectors.EXEMPT
    event = AuditEvent.objects.filter(object_type="review.IssuedDocument", action="update").get()
    assert (
        event.before["exempt_reason"] == "" and event.after["exempt_reason"] == "内部事务性文件，不对外发布"
    )
    assert event.actor == reviewer and "修改" in event.comment


# --- status beside the review ledger -------------------------------------------------------------------


def test_status_reviewed_missed_exempt_and_types_that_need_no_review(make_draft, clerk, reviewer):
    draft = approved(make_draft, clerk, reviewer, title="资金管理办法")
    reviewed = entry(reviewer, title="资金管理办法", unit="预算科", issued_on=today())
    missed = entry(reviewer, title="漏审的通知")
    exempt = entry(reviewer, title="会议纪要", doc_type="contract", exempt_reason="内部事务性文件")
    other = entry(reviewer, title="会议通知", doc_type="other")
    # Matched by its exact title and unit (it has no 文号), approved today: reviewed before it was issued.
    assert reviewed.draft == draft and status(reviewed) == selectors.REVIEWED
    assert status(missed) == selectors.MISSED
    assert status(exempt) == selectors.EXEMPT
    assert status(other) == selectors.NOT_REQUIRED
    found = selectors.summary(YEAR)
    assert (found.registered, found.needing_review, found.reviewed, found.missed, found.exempt) == (
        4,
        2,
        1,
        1,
        1,
    )
    assert [r.title for r in selectors.rows(selectors.parse_filters(status="漏审"))] == ["漏审的通知"]


def test_a_review_concluded_after_the_issue_day_does_not_cover_it(make_draft, clerk, reviewer):
    draft = approved(make_draft, clerk, reviewer, title="先发后审的办法")
    e = entry(reviewer, title="先发后审的办法", unit="预算科", issued_on=today() - dt.timedelta(days=1))
    assert e.draft == draft and status(e) == selectors.MISSED


def test_the_administrator_decides_which_types_need_review(reviewer):
    e = entry(reviewer, doc_type="other", title="会议通知")
    assert status(e) == selectors.NOT_REQUIRED
    DocTypeRule.objects.filter(doc_type="other").update(review_required=True)
    assert status(e) == selectors.MISSED
    DocTypeRule.objects.filter(doc_type="penalty").update(review_required=False)
    assert "penalty" not in selectors.review_required_types()


def test_a_document_linked_to_a_normative_draft_needs_review_whatever_its_type(make_draft, clerk, reviewer):
    draft = make_draft(title="类型登记为其他文书的办法")  # marked 行政规范性文件
    e = entry(reviewer, doc_type="other", title="类型登记为其他文书的办法", unit="预算科")
    assert e.draft == draft and status(e) == selectors.MISSED


def test_bad_filters_name_the_parameter():
    with pytest.raises(ValidationFailed, match="年份"):
        selectors.parse_filters(year="今年")
    with pytest.raises(ValidationFailed, match="状态"):
        selectors.parse_filters(status="待定")
    with pytest.raises(ValidationFailed, match="文书类型"):
        selectors.parse_filters(doc_type="通知")


# --- the link a publication makes ----------------------------------------------------------------------


def test_publishing_with_a_number_creates_the_entry_once(make_draft, clerk, reviewer):
    draft = published(make_draft, clerk, reviewer)
    e = IssuedDocument.objects.get(doc_number=NUMBER)
    assert (e.draft, e.source, e.issued_on, e.title) == (draft, RegisterSource.PUBLISH, today(), draft.title)
    assert status(e) == selectors.REVIEWED
    register.link_published(draft, user=clerk)  # idempotent
    assert IssuedDocument.objects.count() == 1


def test_publishing_links_the_entry_already_registered_under_its_number(make_draft, clerk, reviewer):
    e = entry(reviewer, doc_number=NUMBER, title="登记簿中的标题", issued_on=today())
    assert e.draft is None and status(e) == selectors.MISSED
    draft = published(make_draft, clerk, reviewer)
    assert IssuedDocument.objects.count() == 1
    e.refresh_from_db()
    assert e.draft == draft and e.title == "登记簿中的标题" and status(e) == selectors.REVIEWED


def test_a_corrected_number_moves_the_entry_with_it(make_draft, clerk, reviewer):
    draft = published(make_draft, clerk, reviewer)
    right = f"阳财规〔{YEAR}〕9号"
    services.correct_publication(
        user=clerk, draft_id=draft.pk, doc_number=right, signed_by="王局长", reason="录入错误"
    )
    assert list(IssuedDocument.objects.values_list("doc_number", "draft")) == [(right, draft.pk)]


def test_a_linked_draft_must_carry_the_same_number(make_draft, clerk, reviewer):
    draft = published(make_draft, clerk, reviewer)
    with pytest.raises(ValidationFailed, match="不一致"):
        entry(reviewer, doc_number=f"阳财规〔{YEAR}〕99号", draft_id=draft.pk)
    with pytest.raises(ValidationFailed, match="不存在"):
        entry(reviewer, draft_id=999999)


# --- Excel ---------------------------------------------------------------------------------------------


def test_the_template_reads_back_as_an_empty_register():
    wb = openpyxl.load_workbook(io.BytesIO(excel.template()))
    assert [c.value for c in wb[excel.SHEET][1]] == excel.COLUMNS
    with pytest.raises(ValidationFailed, match="没有可导入的行"):
        excel.read(excel.template())


def test_an_import_saves_every_row_links_drafts_and_can_be_repeated(make_draft, clerk, reviewer):
    draft = published(make_draft, clerk, reviewer)
    data = xlsx(
        [
            [NUMBER, draft.title, "预算科", today(), "行政规范性文件", ""],
            [f"阳财规〔{YEAR}〕10号", "漏审的通知", "综合科", EARLY.isoformat(), "normative", None],
            [None, "内部通知", "办公室", EARLY, "合同", "内部事务性文件"],
            [None, None, None, None, None, None],  # an empty row is skipped
        ]
    )
    result = excel.import_register(user=reviewer, data=data, name="发文登记.xlsx")
    # The published draft's own entry (created at publication) is updated, not duplicated.
    assert (result.created, result.updated, result.unchanged) == (2, 0, 1)
    assert result.missed == ["漏审的通知"]
    assert IssuedDocument.objects.get(doc_number=NUMBER).draft == draft
    again = excel.import_register(user=reviewer, data=data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert IssuedDocument.objects.count() == 3
    assert AuditEvent.objects.filter(object_type="review.IssuedDocument", action="import").count() == 2


def test_one_bad_row_imports_nothing_and_every_bad_row_is_named(reviewer):
    data = xlsx(
        [
            [f"阳财规〔{YEAR}〕1号", "好的一行", "综合科", EARLY, "行政规范性文件", ""],
            ["阳财规2026年1号", "文号写错", "综合科", EARLY, "行政规范性文件", ""],
            [f"阳财规〔{YEAR}〕1号", "文号重复", "综合科", EARLY, "行政规范性文件", ""],
            [None, "", "综合科", EARLY, "行政规范性文件", ""],
            [None, "未来的文件", "综合科", today() + dt.timedelta(days=5), "行政规范性文件", ""],
            [None, "类型不明", "综合科", EARLY, "通知", ""],
        ]
    )
    before = AuditEvent.objects.count()
    with pytest.raises(excel.ImportInvalid) as exc:
        excel.import_register(user=reviewer, data=data)
    rows = dict(exc.value.errors)
    assert sorted(rows) == [3, 4, 5, 6, 7]
    assert "格式不正确" in rows[3] and "与第2行重复" in rows[4] and "标题" in rows[5]
    assert "晚于今天" in rows[6] and "文书类型“通知”无效" in rows[7]
    assert "第3行" in exc.value.message
    assert not IssuedDocument.objects.exists() and AuditEvent.objects.count() == before


def test_a_file_without_the_heading_or_not_excel_is_refused(reviewer):
    with pytest.raises(ValidationFailed, match="缺少列"):
        excel.import_register(user=reviewer, data=xlsx([["x"]], header=["标题"]))
    with pytest.raises(ValidationFailed, match="CSV"):
        excel.import_register(user=reviewer, data="发文字号,文件标题\n".encode())
    with pytest.raises(PermissionDenied):
        excel.import_register(user=AnonymousUser(), data=xlsx([]))


def test_the_export_lists_the_status_and_imports_back(make_draft, clerk, reviewer):
    published(make_draft, clerk, reviewer)
    entry(reviewer, doc_number=f"阳财规〔{YEAR}〕11号", title='=HYPERLINK("x")')
    data = excel.export(selectors.rows())
    ws = openpyxl.load_workbook(io.BytesIO(data))[excel.SHEET]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][: len(excel.COLUMNS)] == excel.COLUMNS and values[0][6] == "状态"
    assert {r[6] for r in values[1:]} == {"已审查", "未审查（漏审）"}
    assert ws["B2"].data_type == "s" or ws["B3"].data_type == "s"  # the formula-looking title stays text
    result = excel.import_register(user=reviewer, data=data)
    assert (result.created, result.updated) == (0, 0)


# --- the 应审尽审率 ------------------------------------------------------------------------------------


def collect(year: int = YEAR, unit: str = "") -> dict[str, figs.Figure]:
    return figs.collect(figs.Context(year=year, unit=unit, today=today()), only=["review"]).by_key()


def test_without_register_entries_the_rate_counts_published_drafts_as_before(make_draft, clerk, reviewer):
    draft = approved(make_draft, clerk, reviewer)
    # Published before the register existed (a publication now registers it, with or without a 文号).
    Draft.objects.filter(pk=draft.pk).update(state="published", published_on=today())
    Draft.objects.create(
        title="未经审查公布",
        doc_type="normative",
        unit="法规科",
        drafter=clerk,
        state="published",
        published_on=EARLY,
    )
    assert not IssuedDocument.objects.exists()
    found = collect()
    rate = found["review.coverage_rate"]
    assert rate.value == 50.0 and rate.label == "应审尽审率（审查后公布 ÷ 公布）"
    assert rate.source_description == "合法性审查台账（送审文稿），按公布日期"
    assert found["review.missed"].value == 1
    assert [r["title"] for r in found["review.missed"].rows()] == ["未经审查公布"]


def test_the_register_shows_documents_issued_without_review(make_draft, clerk, reviewer):
    draft = published(make_draft, clerk, reviewer)  # its register entry is created: counted once
    entry(reviewer, title="漏审的通知", doc_number=f"阳财规〔{YEAR}〕12号")
    entry(reviewer, title="免审的合同", doc_type="contract", exempt_reason="标准合同文本")
    entry(reviewer, title="会议通知", doc_type="other")
    entry(reviewer, title="去年的文件", issued_on=dt.date(YEAR - 1, 6, 1))
    unregistered = Draft.objects.create(
        title="未登记的已审文稿",
        doc_type="contract",
        unit="法规科",
        drafter=clerk,
        state="published",
        published_on=today(),
        decided_at=timezone.now(),
        outcome="审查通过",
    )
    found = collect()
    rate = found["review.coverage_rate"]
    # The register's 2 documents needing review + the published draft no entry records; 2 of 3 covered.
    assert rate.basis_count == 3 and rate.value == round(200 / 3, 1)
    assert "发文登记簿" in rate.label and "发文登记簿" in rate.source_description
    rows = {r["title"]: r for r in rate.rows()}
    assert set(rows) == {draft.title, "漏审的通知", unregistered.title}
    assert rows["漏审的通知"]["review"] == "未审查（漏审）" and rows[draft.title]["review"] == "已审查"
    assert rows[unregistered.title]["source"].startswith("送审文稿")
    missed = found["review.missed"]
    assert missed.value == 1 and [r["title"] for r in missed.rows()] == ["漏审的通知"]
    # Last year's register entry alone: that year is counted from it.
    earlier = collect(year=YEAR - 1)
    assert earlier["review.coverage_rate"].value == 0.0 and earlier["review.missed"].value == 1


def test_the_rate_follows_the_unit(make_draft, clerk, reviewer):
    entry(reviewer, title="漏审的通知", unit="综合科")
    assert collect(unit="综合科")["review.coverage_rate"].value == 0.0
    # 预算科 has no register entry: its published drafts are counted as before (none here).
    assert collect(unit="预算科")["review.coverage_rate"].value is None


# --- demo --------------------------------------------------------------------------------------------------


def test_the_demo_registers_one_document_of_each_status_once():
    from fazhi.core.services import create_demo_accounts
    from fazhi.review.demo import setup_demo

    create_demo_accounts()
    out = io.StringIO()
    setup_demo(out)
    required = selectors.review_required_types()
    statuses = sorted(
        selectors.status_of(e, required) for e in IssuedDocument.objects.select_related("draft")
    )
    assert statuses == sorted(
        [selectors.REVIEWED, selectors.MISSED, selectors.EXEMPT, selectors.NOT_REQUIRED]
    )
    # The published demo draft carries its 文号: its entry was made by the publication.
    assert IssuedDocument.objects.get(draft__state="published").source == RegisterSource.PUBLISH
    setup_demo(out)
    assert IssuedDocument.objects.count() == 4
    assert collect()["review.missed"].value == 1


# --- audit fixes: one draft, one entry; corrections; unnumbered publications; imports; export ------------


def snapshot() -> tuple:
    """What a refused write must leave as it was: the entries with their links, the drafts' 文号, the audit."""
    rows = list(IssuedDocument.objects.order_by("pk").values_list(*register.FIELDS, "draft"))
    numbers = list(Draft.objects.order_by("pk").values_list("doc_number", flat=True))
    return IssuedDocument.objects.count(), AuditEvent.objects.count(), rows, numbers


def test_a_correction_to_a_number_another_document_holds_in_the_register_is_refused(
    make_draft, clerk, reviewer
):
    other_number = f"阳财规〔{YEAR}〕70号"
    other = entry(reviewer, doc_number=other_number, title="另一份无关的规范性文件")
    draft = published(make_draft, clerk, reviewer, number=f"阳财规〔{YEAR}〕1号")
    before = snapshot()
    with pytest.raises(Conflict) as exc:
        services.correct_publication(
            user=clerk, draft_id=draft.pk, doc_number=other_number, signed_by="王局长", reason="录入错误"
        )
    assert "已在发文登记簿中登记为另一份文件" in exc.value.message and other.title in exc.value.message
    assert snapshot() == before
    # A free number: the draft's own entry takes it; the unrelated entry is untouched and stays unlinked.
    free = f"阳财规〔{YEAR}〕71号"
    services.correct_publication(
        user=clerk, draft_id=draft.pk, doc_number=free, signed_by="王局长", reason="录入错误"
    )
    other.refresh_from_db()
    assert (other.doc_number, other.draft) == (other_number, None)
    assert list(IssuedDocument.objects.filter(draft=draft).values_list("doc_number", flat=True)) == [free]


def test_an_unlinked_entry_under_the_new_number_is_not_taken_over_either(make_draft, clerk, reviewer):
    draft = published(make_draft, clerk, reviewer)
    held = entry(reviewer, doc_number=f"阳财规〔{YEAR}〕9号", title="资金管理办法", unit="预算科")
    assert held.draft is None  # its draft is linked to its own entry already: not matched twice
    before = snapshot()
    with pytest.raises(Conflict, match="另一份文件"):
        services.correct_publication(
            user=clerk, draft_id=draft.pk, doc_number=held.doc_number, signed_by="王局长", reason="录入错误"
        )
    assert snapshot() == before


def test_a_number_added_by_correction_goes_to_the_entry_made_at_publication(make_draft, clerk, reviewer):
    draft = approved(make_draft, clerk, reviewer)
    services.transition(user=clerk, draft_id=draft.pk, action="publish", comment="印发")
    own = IssuedDocument.objects.get()
    assert (own.doc_number, own.draft, own.source) == ("", draft, RegisterSource.PUBLISH)
    services.correct_publication(
        user=clerk, draft_id=draft.pk, doc_number=NUMBER, signed_by="", reason="补登文号"
    )
    assert list(IssuedDocument.objects.values_list("pk", "doc_number", "draft")) == [
        (own.pk, NUMBER, draft.pk)
    ]
    found = selectors.summary(YEAR)
    assert (found.registered, found.needing_review, found.reviewed) == (1, 1, 1)
    # Cleared again (the type does not require a number): the same entry follows.
    services.correct_publication(
        user=clerk, draft_id=draft.pk, doc_number="", signed_by="", reason="文号作废"
    )
    assert list(IssuedDocument.objects.values_list("pk", "doc_number")) == [(own.pk, "")]


def test_a_draft_covers_one_register_entry(make_draft, clerk, reviewer):
    draft = published(make_draft, clerk, reviewer)
    own = IssuedDocument.objects.get(draft=draft)
    before = snapshot()
    with pytest.raises(Conflict) as exc:
        entry(reviewer, title="无关的通知", draft_id=draft.pk)
    assert (
        "已关联发文登记" in exc.value.message
        and own.title in exc.value.message
        and NUMBER in exc.value.message
    )
    assert snapshot() == before
    other = entry(reviewer, title="无关的通知")
    before = snapshot()
    with pytest.raises(Conflict, match="已关联发文登记"):
        register.update_entry(user=reviewer, entry_id=other.pk, draft_id=draft.pk)
    assert snapshot() == before
    # The entry's own link may be given again, and the 文号 check still applies.
    register.update_entry(user=reviewer, entry_id=own.pk, draft_id=draft.pk, title="资金管理办法（印发稿）")
    with pytest.raises(ValidationFailed, match="不一致"):
        register.update_entry(
            user=reviewer, entry_id=other.pk, doc_number=f"阳财规〔{YEAR}〕99号", draft_id=draft.pk
        )
    # Unlinked, the draft may be linked to the other entry.
    register.update_entry(user=reviewer, entry_id=own.pk, draft_id=None)
    register.update_entry(user=reviewer, entry_id=other.pk, draft_id=draft.pk)
    assert IssuedDocument.objects.get(draft=draft) == other


def test_automatic_matching_does_not_link_a_draft_twice(make_draft, clerk, reviewer):
    draft = approved(make_draft, clerk, reviewer, title="资金管理办法")
    first = entry(reviewer, title="资金管理办法", unit="预算科", issued_on=today())
    second = entry(reviewer, title="资金管理办法", unit="预算科", issued_on=EARLY)
    assert first.draft == draft and second.draft is None


def test_publishing_without_a_number_registers_the_document(make_draft, clerk, reviewer):
    draft = approved(make_draft, clerk, reviewer)
    services.transition(user=clerk, draft_id=draft.pk, action="publish", comment="印发")
    e = IssuedDocument.objects.get()
    assert (e.doc_number, e.draft, e.source, e.issued_on) == ("", draft, RegisterSource.PUBLISH, today())
    assert status(e) == selectors.REVIEWED
    register.link_published(draft, user=clerk)  # idempotent
    assert IssuedDocument.objects.count() == 1


def test_publishing_without_a_number_links_one_entry_registered_by_hand(make_draft, clerk, reviewer):
    draft = approved(make_draft, clerk, reviewer)
    first = entry(reviewer, title=draft.title, unit="预算科", issued_on=today())
    second = entry(reviewer, title=draft.title, unit="预算科", issued_on=EARLY)
    assert (first.draft, second.draft) == (draft, None)
    register.update_entry(user=reviewer, entry_id=first.pk, draft_id=None)
    services.transition(user=clerk, draft_id=draft.pk, action="publish", comment="印发")
    assert IssuedDocument.objects.count() == 2  # none created
    assert list(IssuedDocument.objects.filter(draft=draft).values_list("pk", flat=True)) == [first.pk]


def test_a_draft_linked_before_publication_keeps_its_entry_and_takes_the_number(make_draft, clerk, reviewer):
    draft = approved(make_draft, clerk, reviewer)
    own = entry(reviewer, title=draft.title, unit="预算科", issued_on=today())
    assert own.draft == draft
    published_draft = services.transition(
        user=clerk, draft_id=draft.pk, action="publish", comment="印发", doc_number=NUMBER, signed_by="王局长"
    )
    assert published_draft.doc_number == NUMBER
    assert list(IssuedDocument.objects.values_list("pk", "doc_number", "draft")) == [
        (own.pk, NUMBER, draft.pk)
    ]


def test_the_register_the_ledger_page_and_the_report_count_the_same(make_draft, clerk, reviewer, login):
    numbered = published(make_draft, clerk, reviewer, title="有文号的办法")
    unnumbered = approved(make_draft, clerk, reviewer, title="无文号的办法")
    services.transition(user=clerk, draft_id=unnumbered.pk, action="publish", comment="印发")
    entry(reviewer, title="漏审的通知", doc_number=f"阳财规〔{YEAR}〕12号")
    entry(reviewer, title="漏审的无文号通知")
    entry(reviewer, title="免审的合同", doc_type="contract", exempt_reason="标准合同文本")
    entry(reviewer, title="会议通知", doc_type="other")
    assert IssuedDocument.objects.filter(draft__in=[numbered, unnumbered]).count() == 2
    found = selectors.summary(YEAR)
    assert (found.needing_review, found.reviewed, found.missed) == (4, 2, 2) and found.rate == 50.0
    figures = collect()
    rate = figures["review.coverage_rate"]
    assert (rate.basis_count, rate.value) == (found.needing_review, found.rate)
    assert figures["review.missed"].value == found.missed
    html = login(reviewer).get(f"/review/ledger/?year={YEAR}").content.decode()
    assert f"应经合法性审查的文件 {rate.basis_count} 件，印发前经审查通过 2 件" in html
    assert f"漏审 {found.missed} 件" in html
    page = login(reviewer).get(f"/review/register/?year={YEAR}").content.decode()
    assert f"其中应经合法性审查 {rate.basis_count} 件：印发前审查通过 2 件" in page
    assert f"应审尽审率 {rate.value}%" in page
    body = login(reviewer).get(f"/api/v1/review/register?year={YEAR}").json()["summary"]
    assert (body["needing_review"], body["reviewed"], body["rate"]) == (4, 2, 50.0)


def test_an_import_does_not_overwrite_a_reviewed_document_with_another(make_draft, clerk, reviewer):
    draft = published(make_draft, clerk, reviewer)
    data = xlsx(
        [
            [f"阳财规〔{YEAR}〕10号", "新的通知", "综合科", EARLY, "行政规范性文件", ""],
            [NUMBER, "另一份文件", "办公室", EARLY, "合同", ""],
        ]
    )
    before = snapshot()
    with pytest.raises(excel.ImportInvalid) as exc:
        excel.import_register(user=reviewer, data=data)
    assert [n for n, _ in exc.value.errors] == [3]
    assert (
        f"第3行：发文字号“{NUMBER}”已登记为《{draft.title}》并关联审查记录，与本行标题" in exc.value.message
    )
    assert "请核对" in exc.value.message
    assert snapshot() == before
    # The same title with a corrected unit updates it, and the result says which entry.
    result = excel.import_register(
        user=reviewer, data=xlsx([[NUMBER, draft.title, "法规科", today(), "行政规范性文件", ""]])
    )
    assert result.updated == 1 and result.updated_items == [f"{NUMBER}《{draft.title}》"]
    assert f"更新 1 件（{NUMBER}《{draft.title}》）" in result.message
    assert IssuedDocument.objects.get(doc_number=NUMBER).draft == draft


def test_the_export_writes_dates_as_date_cells(make_draft, clerk, reviewer):
    published(make_draft, clerk, reviewer)
    ws = openpyxl.load_workbook(io.BytesIO(excel.export(selectors.rows())))[excel.SHEET]
    header = [c.value for c in ws[1]]
    issued, decided, registered = (
        ws.cell(2, header.index(name) + 1) for name in ("印发日期", "审查结论日期", "登记时间")
    )
    assert issued.is_date and issued.value.date() == today() and issued.number_format == "yyyy-mm-dd"
    assert decided.is_date and decided.number_format == "yyyy-mm-dd"
    assert registered.is_date and registered.number_format == "yyyy-mm-dd hh:mm"
    assert (
        ws.cell(2, header.index("状态") + 1).number_format == "General"
    )  # the date format does not carry on
