"""统一编号 at publication: the 发文字号 and 签发人, checked, unique, required by the type's switch, shown in the
draft, the API, the library and the 应审尽审 ledger (where a normative document without one reads 未编号)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from fazhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from fazhi.core.models import AuditEvent
from fazhi.laws.models import LawVersion
from fazhi.review import ledger, numbering, services
from fazhi.review.models import DocTypeRule, Draft, State, Transition

API = "/api/v1/review"
YEAR = timezone.localdate().year
NUMBER = f"阳财规〔{YEAR}〕1号"


def approved(make_draft, clerk, reviewer, *, title: str = "资金管理办法", normative: bool = True) -> Draft:
    draft = make_draft(title=title, normative=normative)
    services.transition(user=clerk, draft_id=draft.pk, action="submit")
    services.transition(user=reviewer, draft_id=draft.pk, action="start_review")
    return services.transition(user=reviewer, draft_id=draft.pk, action="approve", comment="同意")


def require_numbering(doc_type: str = "normative") -> None:
    DocTypeRule.objects.update_or_create(doc_type=doc_type, defaults={"numbering_required": True})


def assert_not_published(draft: Draft) -> None:
    draft.refresh_from_db()
    assert draft.state == State.APPROVED and draft.published_on is None
    assert (draft.doc_number, draft.signed_by) == ("", "")
    assert not Transition.objects.filter(draft=draft, action="publish").exists()


# The form of a 文号


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("阳财规〔2026〕1号", "阳财规〔2026〕1号"),
        ("阳财规[2026]1号", "阳财规〔2026〕1号"),
        ("阳财规(2026)12号", "阳财规〔2026〕12号"),
        ("阳财规（2026）第01号", "阳财规〔2026〕1号"),
        (" 阳财规 〔2025〕 3 号 ", "阳财规〔2025〕3号"),
        ("", ""),
    ],
)
def test_a_well_formed_number_is_stored_normalised(typed, stored):
    assert numbering.clean_doc_number(typed, published_on=dt.date(2026, 3, 5)) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("阳财规<2026>1号", "格式不正确"),
        ("阳财规{2026}1号", "格式不正确"),
        ("阳财规2026年1号", "格式不正确"),
        ("〔2026〕1号", "格式不正确"),
        ("阳财规〔26〕1号", "格式不正确"),
        ("阳财规〔2027〕1号", "晚于发布年度 2026 年"),
        ("阳财规〔1026〕1号", "年份 1026 不合理"),
        ("阳财规〔2026〕0号", "序号应为正整数"),
    ],
)
def test_a_malformed_number_is_refused_with_the_reason(typed, message):
    with pytest.raises(ValidationFailed) as err:
        numbering.clean_doc_number(typed, published_on=dt.date(2026, 3, 5))
    assert message in err.value.message


# Publication


def test_publication_records_the_number_and_the_signer(make_draft, clerk, reviewer):
    draft = approved(make_draft, clerk, reviewer)
    draft = services.transition(
        user=clerk,
        draft_id=draft.pk,
        action="publish",
        comment="印发",
        doc_number=f"阳财规[{YEAR}]1号",
        signed_by=" 王  局长 ",
    )
    assert (draft.state, draft.doc_number, draft.signed_by) == (State.PUBLISHED, NUMBER, "王 局长")
    event = AuditEvent.objects.filter(
        object_type="review.Draft", object_id=str(draft.pk), action="transition"
    )
    after = event.order_by("-seq").first().after
    assert (after["action"], after["doc_number"], after["signed_by"]) == ("publish", NUMBER, "王 局长")
    assert after["published_on"] == after["effective_on"] == str(timezone.localdate())
    provenance = LawVersion.objects.get(pk=draft.law_version_id).provenance
    assert provenance.startswith(f"本文件（{NUMBER}）经合法性审查（审查意见书")


def test_a_number_already_used_is_refused_and_nothing_changes(make_draft, clerk, reviewer):
    first = approved(make_draft, clerk, reviewer, title="甲办法")
    services.transition(user=clerk, draft_id=first.pk, action="publish", doc_number=NUMBER, signed_by="王")
    second = approved(make_draft, clerk, reviewer, title="乙办法")
    with pytest.raises(Conflict) as err:
        services.transition(
            user=clerk, draft_id=second.pk, action="publish", doc_number=f"阳财规({YEAR})1号", signed_by="王"
        )
    assert err.value.status == 409 and f"发文字号“{NUMBER}”已被另一份文件使用" in err.value.message
    assert_not_published(second)
    assert LawVersion.objects.count() == 1


def test_the_database_keeps_numbers_unique_but_allows_many_unnumbered(make_draft):
    a, b, c = (make_draft(title=t) for t in ("甲", "乙", "丙"))
    Draft.objects.filter(pk=a.pk).update(doc_number=NUMBER)
    assert Draft.objects.filter(doc_number="").count() == 2  # 未编号 drafts never collide
    with pytest.raises(IntegrityError), transaction.atomic():
        Draft.objects.filter(pk=b.pk).update(doc_number=NUMBER)


def test_a_bad_number_leaves_the_draft_unpublished(make_draft, clerk, reviewer):
    draft = approved(make_draft, clerk, reviewer)
    with pytest.raises(ValidationFailed) as err:
        services.transition(
            user=clerk, draft_id=draft.pk, action="publish", doc_number=f"阳财规〔{YEAR + 1}〕1号"
        )
    assert "晚于发布年度" in err.value.message
    assert_not_published(draft)


def test_numbers_are_only_given_with_the_publication(make_draft, clerk):
    draft = make_draft()
    with pytest.raises(ValidationFailed) as err:
        services.transition(user=clerk, draft_id=draft.pk, action="submit", doc_number=NUMBER)
    assert "只在发布时登记" in err.value.message


def test_when_the_type_requires_numbering_a_normative_document_needs_both(make_draft, clerk, reviewer):
    require_numbering()
    draft = approved(make_draft, clerk, reviewer)
    with pytest.raises(Conflict) as err:
        services.transition(user=clerk, draft_id=draft.pk, action="publish", comment="印发")
    assert err.value.status == 409 and "尚缺：发文字号、签发人" in err.value.message
    with pytest.raises(Conflict) as err:
        services.transition(user=clerk, draft_id=draft.pk, action="publish", doc_number=NUMBER)
    assert "尚缺：签发人" in err.value.message and "发文字号" not in err.value.message.split("尚缺")[1]
    assert_not_published(draft)
    draft = services.transition(
        user=clerk, draft_id=draft.pk, action="publish", doc_number=NUMBER, signed_by="王局长"
    )
    assert draft.state == State.PUBLISHED and draft.doc_number == NUMBER


def test_the_switch_concerns_normative_documents_only(make_draft, clerk, reviewer):
    require_numbering("contract")
    draft = approved(make_draft, clerk, reviewer, normative=False)
    assert services.transition(user=clerk, draft_id=draft.pk, action="publish").state == State.PUBLISHED


def test_with_the_switch_off_publication_works_as_before(make_draft, clerk, reviewer):
    assert not DocTypeRule.objects.filter(numbering_required=True).exists()  # the default
    draft = approved(make_draft, clerk, reviewer)
    draft = services.transition(user=clerk, draft_id=draft.pk, action="publish", comment="印发")
    assert draft.state == State.PUBLISHED and (draft.doc_number, draft.signed_by) == ("", "")
    assert LawVersion.objects.get(pk=draft.law_version_id).provenance.startswith("本文件经合法性审查")


def test_who_may_not_publish_cannot_number_either(make_draft, clerk, reviewer, outsider, other_drafter):
    draft = approved(make_draft, clerk, reviewer)
    for user in (outsider, reviewer, other_drafter):
        with pytest.raises(PermissionDenied):
            services.transition(
                user=user, draft_id=draft.pk, action="publish", doc_number=NUMBER, signed_by="王"
            )
    assert_not_published(draft)


# Over HTTP


def test_the_api_takes_the_optional_fields_and_shows_them(make_draft, clerk, reviewer, outsider, token_for):
    draft = approved(make_draft, clerk, reviewer)
    url = f"{API}/drafts/{draft.pk}/transitions"
    body = {"action": "publish", "comment": "印发", "doc_number": f"阳财规[{YEAR}]1号", "signed_by": "王局长"}
    c = Client()
    r = c.post(url, body, content_type="application/json", headers=token_for(outsider))
    assert r.status_code == 403
    r = c.post(
        url, {**body, "doc_number": "阳财规1号"}, content_type="application/json", headers=token_for(clerk)
    )
    assert r.status_code == 400 and "格式不正确" in r.json()["detail"]
    assert_not_published(draft)
    r = c.post(url, body, content_type="application/json", headers=token_for(clerk))
    assert r.status_code == 200 and r.json()["state_code"] == State.PUBLISHED
    detail = c.get(f"{API}/drafts/{draft.pk}", headers=token_for(clerk)).json()
    assert (detail["doc_number"], detail["signed_by"]) == (NUMBER, "王局长")
    assert detail["effective_on"] == str(timezone.localdate())

    other = approved(make_draft, clerk, reviewer, title="另一办法")
    r = c.post(
        f"{API}/drafts/{other.pk}/transitions",
        body,
        content_type="application/json",
        headers=token_for(clerk),
    )
    assert r.status_code == 409 and "已被另一份文件使用" in r.json()["detail"]


def test_the_switch_refuses_an_api_publication_without_the_fields(make_draft, clerk, reviewer, token_for):
    require_numbering()
    draft = approved(make_draft, clerk, reviewer)
    r = Client().post(
        f"{API}/drafts/{draft.pk}/transitions",
        {"action": "publish"},
        content_type="application/json",
        headers=token_for(clerk),
    )
    assert r.status_code == 409 and "发文字号、签发人" in r.json()["detail"]


def test_the_page_form_publishes_with_the_number(make_draft, clerk, reviewer, outsider, login):
    draft = approved(make_draft, clerk, reviewer)
    url = f"/review/drafts/{draft.pk}/transition/"
    form = {
        "action": "publish",
        "form": "transition",
        "doc_number": "阳财规〔1800〕1号",
        "signed_by": "王局长",
    }
    assert login(outsider).post(url, form).status_code == 403
    page = login(clerk).post(url, form, follow=True).content.decode()
    assert "年份 1800 不合理" in page and 'value="阳财规〔1800〕1号"' in page  # kept to correct
    assert_not_published(draft)
    page = login(clerk).post(url, {**form, "doc_number": NUMBER}, follow=True).content.decode()
    assert NUMBER in page and "王局长" in page
    assert Draft.objects.get(pk=draft.pk).doc_number == NUMBER


def test_the_page_marks_the_fields_required_when_the_switch_is_on(make_draft, clerk, reviewer, login):
    draft = approved(make_draft, clerk, reviewer)
    assert "发文字号（可选）" in login(clerk).get(f"/review/drafts/{draft.pk}/").content.decode()
    require_numbering()
    assert "发文字号（必填）" in login(clerk).get(f"/review/drafts/{draft.pk}/").content.decode()


# The 应审尽审 ledger


@pytest.fixture
def two_published(make_draft, clerk, reviewer):
    numbered = approved(make_draft, clerk, reviewer, title="甲办法")
    services.transition(
        user=clerk, draft_id=numbered.pk, action="publish", doc_number=NUMBER, signed_by="王局长"
    )
    unnumbered = approved(make_draft, clerk, reviewer, title="乙办法")
    services.transition(user=clerk, draft_id=unnumbered.pk, action="publish")
    make_draft(title="丙办法")  # not published: no marker
    return numbered, unnumbered


def test_the_ledger_shows_the_number_and_marks_the_unnumbered(two_published, supervisor, login, token_for):
    rows = {r.title: r for r in ledger.rows()}
    assert (rows["甲办法"].doc_number, rows["甲办法"].signed_by, rows["甲办法"].unnumbered) == (
        NUMBER,
        "王局长",
        False,
    )
    assert rows["乙办法"].unnumbered and not rows["丙办法"].unnumbered

    html = login(supervisor).get("/review/ledger/").content.decode()
    assert NUMBER in html and "王局长" in html and html.count("未编号") == 1

    items = Client().get(f"{API}/ledger", headers=token_for(supervisor)).json()["items"]
    by_title = {i["title"]: i for i in items}
    assert by_title["甲办法"]["doc_number"] == NUMBER and by_title["乙办法"]["unnumbered"] is True

    r = Client().get(f"{API}/ledger.xlsx", headers=token_for(supervisor))
    sheet = openpyxl.load_workbook(io.BytesIO(r.content))["台账"]
    header = [cell.value for cell in sheet[1]]
    number_col, signer_col = header.index("发文字号") + 1, header.index("签发人") + 1
    cells = {
        sheet.cell(row, 2).value: (sheet.cell(row, number_col).value, sheet.cell(row, signer_col).value)
        for row in range(2, sheet.max_row + 1)
    }
    assert cells["甲办法"] == (NUMBER, "王局长") and cells["乙办法"][0] == "未编号"
    assert cells["丙办法"][0] in ("", None)
