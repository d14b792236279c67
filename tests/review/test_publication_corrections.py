"""更正发文字号/签发人: whoever may publish a draft corrects the 文号 or 签发人 registered at publication, with a
reason, checked as at publication; the history, the audit chain and the library's 来源说明 show it, and a
refused correction changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from fazhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fazhi.core.models import AuditEvent, Message
from fazhi.laws.models import LawVersion
from fazhi.review import library, numbering, services
from fazhi.review.models import Draft, State, Transition
from fazhi.review.register import services as register

from .test_numbering import approved, require_numbering

API = "/api/v1/review"
YEAR = timezone.localdate().year
NUMBER = f"阳财规〔{YEAR}〕1号"
RIGHT = f"阳财规〔{YEAR}〕2号"
REASON = "登记时录入错误，已按印发的正式文件核对。"


def published(make_draft, clerk, reviewer, *, title: str = "资金管理办法", number: str = NUMBER) -> Draft:
    draft = approved(make_draft, clerk, reviewer, title=title)
    return services.transition(
        user=clerk, draft_id=draft.pk, action="publish", comment="印发", doc_number=number, signed_by="王局长"
    )


@pytest.fixture
def draft(make_draft, clerk, reviewer) -> Draft:
    return published(make_draft, clerk, reviewer)


def correct(user, draft: Draft, **kw) -> Draft:
    values = {"doc_number": RIGHT, "signed_by": "王局长", "reason": REASON, **kw}
    return services.correct_publication(user=user, draft_id=draft.pk, **values)


def record_of(draft: Draft) -> tuple:
    """Everything a correction writes, to show that a refused one wrote none of it."""
    fresh = Draft.objects.get(pk=draft.pk)
    provenance = LawVersion.objects.filter(pk=fresh.law_version_id).values_list("provenance", flat=True)
    return (
        fresh.doc_number,
        fresh.signed_by,
        fresh.state,
        list(provenance),
        Transition.objects.filter(draft=fresh).count(),
        AuditEvent.objects.filter(action="correct").count(),
        Message.objects.count(),
    )


# Corrected


def test_the_drafter_corrects_the_number_and_every_record_follows(draft, clerk):
    version = LawVersion.objects.get(pk=draft.law_version_id)
    assert version.provenance.startswith(f"本文件（{NUMBER}）")

    corrected = correct(clerk, draft, doc_number=f"阳财规[{YEAR}]2号", signed_by="李 副局长")

    draft.refresh_from_db()
    assert (draft.doc_number, draft.signed_by, draft.state) == (RIGHT, "李 副局长", State.PUBLISHED)
    assert corrected.doc_number == RIGHT
    entry = Transition.objects.filter(draft=draft).order_by("-pk").first()
    assert (entry.action, entry.action_label, entry.actor) == ("correct_number", "更正文号", clerk)
    assert entry.from_state == entry.to_state == State.PUBLISHED
    assert entry.comment == (f"发文字号 {NUMBER} → {RIGHT}；签发人 王局长 → 李 副局长。更正理由：{REASON}")
    event = AuditEvent.objects.get(object_type="review.Draft", object_id=str(draft.pk), action="correct")
    assert event.before == {"doc_number": NUMBER, "signed_by": "王局长"}
    assert event.after == {"doc_number": RIGHT, "signed_by": "李 副局长", "reason": REASON}
    assert event.actor == clerk and REASON in event.comment
    version.refresh_from_db()
    assert version.provenance.startswith(f"本文件（{RIGHT}）经合法性审查（审查意见书")
    library_event = AuditEvent.objects.get(
        object_type="laws.LawVersion", object_id=str(version.pk), action="correct"
    )
    assert NUMBER in library_event.before["provenance"] and RIGHT in library_event.after["provenance"]
    assert not Message.objects.filter(recipient=clerk, title__contains="已更正").exists()  # their own


def test_the_leader_may_correct_too_and_the_drafter_is_told(draft, director, clerk):
    correct(director, draft)
    assert Draft.objects.get(pk=draft.pk).doc_number == RIGHT
    message = Message.objects.get(recipient=clerk, title__contains="已更正")
    assert RIGHT in message.body and REASON in message.body


@pytest.mark.parametrize("later", ["file", "expire"])
def test_a_filed_or_expired_document_may_still_be_corrected(draft, clerk, director, later):
    services.transition(
        user=clerk if later == "file" else director, draft_id=draft.pk, action=later, comment="依据"
    )
    state = Draft.objects.get(pk=draft.pk).state
    correct(clerk, draft)
    draft.refresh_from_db()
    assert draft.doc_number == RIGHT and draft.state == state
    assert LawVersion.objects.get(pk=draft.law_version_id).provenance.startswith(f"本文件（{RIGHT}）")


def test_correcting_only_the_signer_leaves_the_library_alone(draft, clerk):
    version = LawVersion.objects.get(pk=draft.law_version_id)
    correct(clerk, draft, doc_number=NUMBER, signed_by="李副局长")
    assert Draft.objects.get(pk=draft.pk).signed_by == "李副局长"
    assert LawVersion.objects.get(pk=version.pk).provenance == version.provenance
    assert not AuditEvent.objects.filter(object_type="laws.LawVersion", action="correct").exists()
    assert Transition.objects.filter(draft=draft).last().comment.startswith("签发人 王局长 → 李副局长。")


def test_a_number_may_be_cleared_where_the_type_does_not_require_one(draft, clerk):
    correct(clerk, draft, doc_number="", signed_by="")
    draft.refresh_from_db()
    assert (draft.doc_number, draft.signed_by) == ("", "")
    assert LawVersion.objects.get(pk=draft.law_version_id).provenance.startswith("本文件经合法性审查")


def test_a_document_the_library_could_not_take_gets_the_corrected_number_when_loaded_again(
    make_draft, clerk, reviewer, monkeypatch
):
    def broken(**kw):
        raise RuntimeError("disk full")

    monkeypatch.setattr("fazhi.laws.services.register_published_document", broken)
    draft = published(make_draft, clerk, reviewer)
    monkeypatch.undo()
    assert Draft.objects.get(pk=draft.pk).law_version_id is None
    correct(clerk, draft)
    draft = library.retry(user=reviewer, draft_id=draft.pk)
    assert LawVersion.objects.get(pk=draft.law_version_id).provenance.startswith(f"本文件（{RIGHT}）")


# Refused, and nothing changes


def test_a_draft_not_yet_published_cannot_be_corrected(make_draft, clerk, reviewer):
    draft = approved(make_draft, clerk, reviewer)
    before = record_of(draft)
    with pytest.raises(Conflict) as err:
        correct(clerk, draft)
    assert (
        err.value.status == 409 and "只有已发布" in err.value.message and "在发布时登记" in err.value.message
    )
    assert record_of(draft) == before


def test_who_may_not_publish_may_not_correct(
    draft, reviewer, supervisor, other_drafter, enterprise, outsider
):
    before = record_of(draft)
    for user in (reviewer, supervisor, other_drafter, enterprise, outsider):
        with pytest.raises(PermissionDenied) as err:
            correct(user, draft)
        assert "起草人本人或分管领导" in err.value.message
    assert record_of(draft) == before


def test_an_unknown_draft_is_not_found(db, clerk):
    with pytest.raises(NotFound):
        services.correct_publication(
            user=clerk, draft_id=999999, doc_number=RIGHT, signed_by="王", reason=REASON
        )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": "  "}, "请填写更正理由"),
        ({"reason": "理" * 501}, "更正理由不能超过 500 个字（当前 501 个字）"),
        ({"doc_number": "阳财规2号"}, "格式不正确"),
        ({"doc_number": f"阳财规〔{YEAR + 1}〕2号"}, f"晚于发布年度 {YEAR} 年"),
        ({"signed_by": "王" * 51}, "签发人姓名不能超过 50 个字"),
        (
            {"doc_number": f"阳财规({YEAR})01号", "signed_by": " 王局长 "},
            "无需更正",
        ),  # the same, once normalised
    ],
)
def test_bad_input_or_no_change_is_refused_with_the_reason(draft, clerk, fields, message):
    before = record_of(draft)
    with pytest.raises(ValidationFailed) as err:
        correct(clerk, draft, **fields)
    assert err.value.status == 400 and message in err.value.message
    assert record_of(draft) == before


def test_a_number_another_document_holds_is_refused(make_draft, clerk, reviewer, draft):
    other = published(make_draft, clerk, reviewer, title="乙办法", number=RIGHT)
    before = record_of(draft)
    with pytest.raises(Conflict) as err:
        correct(clerk, draft, doc_number=f"阳财规[{YEAR}]2号")
    assert err.value.status == 409 and f"发文字号“{RIGHT}”已被另一份文件使用" in err.value.message
    assert record_of(draft) == before and Draft.objects.get(pk=other.pk).doc_number == RIGHT


def test_a_number_taken_at_the_same_moment_is_refused_by_the_database(
    make_draft, clerk, reviewer, draft, monkeypatch
):
    published(make_draft, clerk, reviewer, title="乙办法", number=RIGHT)
    before = record_of(draft)
    monkeypatch.setattr(numbering, "check_unique", lambda draft, doc_number: None)  # the race: not seen yet
    monkeypatch.setattr(
        register, "check_correction", lambda draft, doc_number: None
    )  # nor its register entry
    with pytest.raises(Conflict) as err:
        correct(clerk, draft)
    assert "已被另一份文件使用" in err.value.message
    assert record_of(draft) == before


def test_a_required_number_or_signer_cannot_be_cleared(draft, clerk):
    require_numbering()
    before = record_of(draft)
    with pytest.raises(Conflict) as err:
        correct(clerk, draft, doc_number="")
    assert "更正后不能没有发文字号" in err.value.message
    with pytest.raises(Conflict) as err:
        correct(clerk, draft, doc_number=NUMBER, signed_by="")
    assert "更正后不能没有签发人" in err.value.message
    assert record_of(draft) == before
    correct(clerk, draft)  # a corrected number is still a number
    assert Draft.objects.get(pk=draft.pk).doc_number == RIGHT


# The API


def test_the_api_corrects_and_answers_the_draft(draft, clerk, token_for):
    url = f"{API}/drafts/{draft.pk}/correct-number"
    body = {"doc_number": RIGHT, "signed_by": "王局长", "reason": REASON}
    r = Client().post(url, body, content_type="application/json", headers=token_for(clerk))
    assert r.status_code == 200
    detail = r.json()
    assert (detail["id"], detail["doc_number"], detail["signed_by"]) == (draft.pk, RIGHT, "王局长")
    last = detail["history"][-1]
    assert (last["action"], last["action_label"], last["from"], last["to"]) == (
        "correct_number",
        "更正文号",
        "已发布",
        "已发布",
    )
    assert REASON in last["comment"] and last["actor"] == str(clerk)


def test_the_api_refuses_with_chinese_errors_and_changes_nothing(
    make_draft, clerk, reviewer, enterprise, outsider, draft, token_for
):
    published(make_draft, clerk, reviewer, title="乙办法", number=RIGHT)
    url = f"{API}/drafts/{draft.pk}/correct-number"
    body = {"doc_number": f"阳财规〔{YEAR}〕3号", "signed_by": "王局长", "reason": REASON}
    c = Client()
    before = record_of(draft)

    def post(user, **kw):
        return c.post(url, {**body, **kw}, content_type="application/json", headers=token_for(user))

    for user in (enterprise, outsider):
        r = post(user)
        assert r.status_code == 403 and r.json()["code"] == "forbidden" and r.json()["detail"]
    r = post(reviewer)
    assert r.status_code == 403 and "起草人本人或分管领导" in r.json()["detail"]
    r = post(clerk, reason="")
    assert r.status_code == 400 and r.json() == {"detail": r.json()["detail"], "code": "invalid"}
    assert "请填写更正理由" in r.json()["detail"]
    r = post(clerk, doc_number="三号文")
    assert r.status_code == 400 and "格式不正确" in r.json()["detail"]
    r = post(clerk, doc_number=RIGHT)
    assert (
        r.status_code == 409 and r.json()["code"] == "conflict" and "已被另一份文件使用" in r.json()["detail"]
    )
    r = post(clerk, doc_number=NUMBER)
    assert r.status_code == 400 and "无需更正" in r.json()["detail"]
    r = c.post(
        f"{API}/drafts/999999/correct-number", body, content_type="application/json", headers=token_for(clerk)
    )
    assert r.status_code == 404 and "不存在" in r.json()["detail"]
    assert Client().post(url, body, content_type="application/json").status_code == 401
    assert record_of(draft) == before


# The draft page


def test_the_page_offers_the_form_to_who_may_correct_only(
    draft, clerk, director, reviewer, supervisor, login
):
    url = f"/review/drafts/{draft.pk}/"
    page = login(clerk).get(url).content.decode()
    assert "更正发文字号/签发人" in page
    assert f'value="{NUMBER}"' in page and 'value="王局长"' in page and 'name="reason"' in page
    assert 'data-confirm="确定更正发文字号/签发人？' in page
    assert "更正发文字号/签发人" in login(director).get(url).content.decode()
    for user in (reviewer, supervisor):
        assert "更正发文字号/签发人" not in login(user).get(url).content.decode()


def test_the_page_form_corrects_and_the_history_shows_it(draft, clerk, login):
    form = {"form": "correct-number", "doc_number": RIGHT, "signed_by": "王局长", "reason": REASON}
    page = login(clerk).post(f"/review/drafts/{draft.pk}/correct-number/", form, follow=True).content.decode()
    assert "发文字号/签发人已更正。" in page
    assert "更正文号" in page and f"发文字号 {NUMBER} → {RIGHT}" in page and REASON in page
    assert "已发布（状态不变）" in page
    assert Draft.objects.get(pk=draft.pk).doc_number == RIGHT


def test_a_refused_page_form_says_why_and_keeps_what_was_typed(draft, clerk, login):
    before = record_of(draft)
    typed = f"阳财规〔{YEAR + 1}〕2号"
    form = {"form": "correct-number", "doc_number": typed, "signed_by": "李副局长", "reason": "重号"}
    page = login(clerk).post(f"/review/drafts/{draft.pk}/correct-number/", form, follow=True).content.decode()
    assert "晚于发布年度" in page
    assert f'value="{typed}"' in page and 'value="李副局长"' in page and ">重号</textarea>" in page
    assert '<details id="correct-number" open>' in page
    assert record_of(draft) == before


def test_outsiders_and_enterprise_users_are_refused_on_the_page(draft, enterprise, outsider, reviewer, login):
    before = record_of(draft)
    form = {"doc_number": RIGHT, "signed_by": "王局长", "reason": REASON}
    url = f"/review/drafts/{draft.pk}/correct-number/"
    for user in (enterprise, outsider):
        assert login(user).post(url, form).status_code == 403
    assert Client().post(url, form).status_code == 302  # to the login page
    page = login(reviewer).post(url, form, follow=True).content.decode()
    assert "起草人本人或分管领导" in page
    assert record_of(draft) == before


def test_the_api_refuses_a_number_another_document_holds_in_the_register(draft, clerk, reviewer, token_for):
    from fazhi.review.models import IssuedDocument

    other = register.create_entry(
        user=reviewer,
        doc_number=f"阳财规〔{YEAR}〕70号",
        title="另一份无关的规范性文件",
        unit="综合科",
        issued_on=timezone.localdate(),
        doc_type="normative",
    )
    own = IssuedDocument.objects.get(draft=draft)
    before = (
        record_of(draft),
        list(IssuedDocument.objects.order_by("pk").values_list("doc_number", "draft")),
    )
    url = f"{API}/drafts/{draft.pk}/correct-number"
    body = {"doc_number": other.doc_number, "signed_by": "王局长", "reason": REASON}
    r = Client().post(url, body, content_type="application/json", headers=token_for(clerk))
    assert (
        r.status_code == 409
        and "已在发文登记簿中登记为另一份文件《另一份无关的规范性文件》" in r.json()["detail"]
    )
    after = (record_of(draft), list(IssuedDocument.objects.order_by("pk").values_list("doc_number", "draft")))
    assert after == before
    r = Client().post(
        url, {**body, "doc_number": RIGHT}, content_type="application/json", headers=token_for(clerk)
    )
    assert r.status_code == 200
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.doc_number, own.draft_id) == (RIGHT, draft.pk)
    assert (other.doc_number, other.draft_id) == (f"阳财规〔{YEAR}〕70号", None)
