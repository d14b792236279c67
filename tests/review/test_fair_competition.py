"""公平竞争审查: the drafter's record, what publication needs, the Art 12 exception and its reminder."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from fazhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from fazhi.core.models import AuditEvent, Message
from fazhi.review import fair_competition, opinions, reminders, services
from fazhi.review.models import Draft, FairCompetitionReview, State

from .conftest import add_version

TODAY = timezone.localdate
EXCEPTION = {
    "conclusion": "适用例外规定",
    "exception_ground": "public_interest",
    "necessity": "为救灾物资储备所必需，其他方式无法及时保障",
    "alternatives": "已比较公开招标等方式，均无法满足时限要求",
}


def _market_draft(make_draft, state: str = "drafting") -> Draft:
    draft = make_draft(state=state, normative=False, title="关于支持小微企业稳岗的若干措施")
    Draft.objects.filter(pk=draft.pk).update(affects_market=True)
    draft.refresh_from_db()
    return draft


def _approve(draft: Draft, clerk, reviewer) -> None:
    services.transition(user=clerk, draft_id=draft.pk, action="submit")
    services.transition(user=reviewer, draft_id=draft.pk, action="start_review")
    services.transition(user=reviewer, draft_id=draft.pk, action="approve", comment="同意")


def test_a_market_measure_is_not_published_without_the_review(make_draft, clerk, reviewer):
    draft = _market_draft(make_draft)
    _approve(draft, clerk, reviewer)
    with pytest.raises(Conflict) as err:
        services.transition(user=clerk, draft_id=draft.pk, action="publish")
    assert err.value.status == 409
    assert "未经公平竞争审查不得发布" in err.value.message and "第十八条" in err.value.message
    assert Draft.objects.get(pk=draft.pk).state == State.APPROVED
    fair_competition.record(
        user=clerk,
        draft_id=draft.pk,
        conclusion="compliant",
        reviewed_on=TODAY(),
        summary="逐项对照审查，未发现问题",
    )
    assert services.transition(user=clerk, draft_id=draft.pk, action="publish").state == State.PUBLISHED


def test_a_review_of_an_earlier_version_is_not_enough(make_draft, clerk, reviewer):
    draft = _market_draft(make_draft)
    fair_competition.record(
        user=clerk, draft_id=draft.pk, conclusion="符合公平竞争审查标准", reviewed_on=TODAY(), summary="符合"
    )
    add_version(draft, clerk, text="修改稿：申请企业须在本区注册。")
    _approve(draft, clerk, reviewer)
    with pytest.raises(Conflict) as err:
        services.transition(user=clerk, draft_id=draft.pk, action="publish")
    assert "针对的是第1稿，文稿已修改为第2稿" in err.value.message
    fair_competition.record(
        user=clerk, draft_id=draft.pk, conclusion="符合公平竞争审查标准", reviewed_on=TODAY(), summary="复审"
    )
    assert services.transition(user=clerk, draft_id=draft.pk, action="publish").state == State.PUBLISHED


def test_not_involved_clears_the_requirement_and_other_drafts_are_unaffected(make_draft, clerk, reviewer):
    draft = _market_draft(make_draft)
    fair_competition.record(
        user=clerk,
        draft_id=draft.pk,
        conclusion="not_involved",
        reviewed_on=TODAY(),
        summary="仅规定内部资金拨付流程，不涉及经营主体",
    )
    draft.refresh_from_db()
    assert draft.affects_market is False
    event = AuditEvent.objects.filter(action="fair_competition_review").get()
    assert event.before == {"affects_market": True} and event.after["affects_market"] is False
    _approve(draft, clerk, reviewer)
    assert services.transition(user=clerk, draft_id=draft.pk, action="publish").state == State.PUBLISHED
    plain = make_draft(normative=False)
    _approve(plain, clerk, reviewer)
    assert services.transition(user=clerk, draft_id=plain.pk, action="publish").state == State.PUBLISHED


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"exception_ground": ""}, "请选择《公平竞争审查条例》第十二条规定的例外情形"),
        ({"exception_ground": "经济发展"}, "例外情形“经济发展”无效"),
        ({"necessity": " "}, "属于所选例外情形的理由"),
        ({"alternatives": ""}, "没有对公平竞争影响更小的替代方案"),
        ({"ends_on": None}, "须确定合理的实施期限或者终止条件"),
        ({"ends_on": None, "end_condition": "  "}, "至少填写一项"),
        ({"end_condition": "长" * 5001}, "终止条件不能超过 5,000 个字（当前 5,001 个字）"),
        ({"ends_on": "today"}, "应晚于审查日期"),
    ],
)
def test_an_exception_needs_its_ground_reasons_and_term(make_draft, clerk, change, expected):
    draft = _market_draft(make_draft)
    args = {**EXCEPTION, "ends_on": TODAY() + dt.timedelta(days=365), **change}
    if args["ends_on"] == "today":
        args["ends_on"] = TODAY()
    with pytest.raises(ValidationFailed) as err:
        fair_competition.record(user=clerk, draft_id=draft.pk, reviewed_on=TODAY(), summary="审查", **args)
    assert expected in err.value.message
    assert not FairCompetitionReview.objects.exists()


def test_an_exception_may_end_on_a_condition_instead_of_a_date(make_draft, clerk):
    # 公平竞争审查条例第十二条: "能够确定合理的实施期限或者终止条件" — either is enough.
    draft = _market_draft(make_draft)
    condition = "救灾应急响应终止之日起停止执行"
    item = fair_competition.record(
        user=clerk,
        draft_id=draft.pk,
        reviewed_on=TODAY(),
        summary="审查",
        end_condition=condition,
        **EXCEPTION,
    )
    assert (item.ends_on, item.end_condition) == (None, condition)
    both = fair_competition.record(
        user=clerk,
        draft_id=draft.pk,
        reviewed_on=TODAY(),
        summary="复审",
        ends_on=TODAY() + dt.timedelta(days=90),
        end_condition=condition,
        **EXCEPTION,
    )
    assert both.ends_on == TODAY() + dt.timedelta(days=90) and both.end_condition == condition
    # A condition has no day to remind of: only the dated exception is reminded before its term ends.
    assert [r.pk for r in FairCompetitionReview.objects.filter(ends_on__isnull=False)] == [both.pk]


def test_refusals_change_nothing(make_draft, clerk, other_drafter, reviewer, outsider):
    draft = _market_draft(make_draft)
    ok = {"draft_id": draft.pk, "conclusion": "compliant", "reviewed_on": TODAY(), "summary": "符合"}
    for person in (other_drafter, reviewer, outsider):
        with pytest.raises(PermissionDenied):
            fair_competition.record(user=person, **ok)
    with pytest.raises(ValidationFailed) as err:
        fair_competition.record(user=clerk, **{**ok, "reviewed_on": TODAY() + dt.timedelta(days=1)})
    assert "不能晚于今天" in err.value.message
    with pytest.raises(ValidationFailed) as err:
        fair_competition.record(user=clerk, **{**ok, "conclusion": "不符合"})
    assert "审查结论“不符合”无效" in err.value.message
    with pytest.raises(ValidationFailed) as err:
        fair_competition.record(user=clerk, **{**ok, "necessity": "多余"})
    assert "只有审查结论为“适用例外规定”时" in err.value.message
    with pytest.raises(ValidationFailed) as err:
        fair_competition.record(user=clerk, **{**ok, "end_condition": "疫情结束"})
    assert "实施期限或终止条件" in err.value.message
    with pytest.raises(ValidationFailed):
        fair_competition.record(user=clerk, **{**ok, "summary": ""})
    published = _market_draft(make_draft, state=State.PUBLISHED)
    with pytest.raises(Conflict) as err:
        fair_competition.record(user=clerk, **{**ok, "draft_id": published.pk})
    assert "不能再登记公平竞争审查" in err.value.message
    assert not FairCompetitionReview.objects.exists()
    assert Draft.objects.get(pk=draft.pk).affects_market is True


def test_the_api_and_the_creation_flag(clerk, reviewer, outsider, token_for):
    client = Client()
    r = client.post(
        "/api/v1/review/drafts",
        json.dumps({"title": "稳岗奖补办法", "doc_type": "其他文书", "affects_market": True}),
        content_type="application/json",
        headers=token_for(clerk),
    )
    assert r.status_code == 201, r.content
    draft_id = r.json()["id"]
    assert Draft.objects.get(pk=draft_id).affects_market is True
    add_version(Draft.objects.get(pk=draft_id), clerk)
    url = f"/api/v1/review/drafts/{draft_id}/fair-competition"
    body = {**EXCEPTION, "reviewed_on": TODAY().isoformat(), "summary": "审查", "ends_on": "2027-12-31"}
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 401
    r = client.post(url, json.dumps(body), content_type="application/json", headers=token_for(outsider))
    assert r.status_code == 403 and r.json()["detail"]
    r = client.post(url, json.dumps(body), content_type="application/json", headers=token_for(reviewer))
    assert r.status_code == 403
    r = client.post(
        url, json.dumps({**body, "ends_on": None}), content_type="application/json", headers=token_for(clerk)
    )
    assert r.status_code == 400 and "实施期限或者终止条件" in r.json()["detail"]
    assert not FairCompetitionReview.objects.exists()
    r = client.post(url, json.dumps(body), content_type="application/json", headers=token_for(clerk))
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["conclusion"] == "适用例外规定" and out["version"] == 1 and out["ends_on"] == "2027-12-31"
    assert out["exception_ground"] == "实现节约能源、保护环境、救灾救助等社会公共利益"
    detail = client.get(f"/api/v1/review/drafts/{draft_id}", headers=token_for(reviewer)).json()
    assert detail["affects_market"] is True and detail["fair_competition_problem"] == ""
    assert detail["fair_competition_reviews"][0]["necessity"] == EXCEPTION["necessity"]
    assert detail["fair_competition_reviews"][0]["end_condition"] == ""
    by_condition = {**body, "ends_on": None, "end_condition": "应急响应终止时停止执行"}
    r = client.post(url, json.dumps(by_condition), content_type="application/json", headers=token_for(clerk))
    assert (
        r.status_code == 201
        and r.json()["end_condition"] == "应急响应终止时停止执行"
        and r.json()["ends_on"] is None
    )


def test_the_page_form(make_draft, clerk, reviewer, outsider, login):
    draft = _market_draft(make_draft)
    page = login(clerk).get(f"/review/drafts/{draft.pk}/").content.decode()
    assert "未经公平竞争审查不得发布" in page and f"/review/drafts/{draft.pk}/fair-competition/" in page
    assert (
        f"/review/drafts/{draft.pk}/fair-competition/"
        not in login(reviewer).get(f"/review/drafts/{draft.pk}/").content.decode()
    )
    url = f"/review/drafts/{draft.pk}/fair-competition/"
    assert login(outsider).post(url, {"conclusion": "compliant"}).status_code == 403
    client = login(clerk)
    typed = {"conclusion": "exception", "reviewed_on": TODAY().isoformat(), "summary": "对照审查标准逐项审查"}
    client.post(url, {**typed, "ends_on": "明年"})
    page = client.get(f"/review/drafts/{draft.pk}/").content.decode()
    assert "请按 年-月-日 填写实施期限" in page and "对照审查标准逐项审查" in page
    r = client.post(url, typed)
    page = client.get(r["Location"]).content.decode()
    assert "请选择《公平竞争审查条例》第十二条规定的例外情形" in page
    assert not FairCompetitionReview.objects.exists()
    condition = {**typed, **EXCEPTION, "conclusion": "exception", "end_condition": "应急响应终止时停止执行"}
    client.post(url, condition)
    page = client.get(f"/review/drafts/{draft.pk}/").content.decode()
    assert "终止条件：应急响应终止时停止执行" in page and "理由：" + EXCEPTION["necessity"] in page
    assert 'name="end_condition"' in page and "实施期限和终止条件至少填写一项" in page
    FairCompetitionReview.objects.all().delete()
    client.post(url, {**typed, "conclusion": "compliant"})
    page = client.get(f"/review/drafts/{draft.pk}/").content.decode()
    assert "符合公平竞争审查标准" in page and "已对第1稿进行公平竞争审查" in page
    assert FairCompetitionReview.objects.count() == 1


def test_the_page_creation_form_sets_the_flag(clerk, login):
    r = login(clerk).post(
        "/review/new/",
        {"title": "政府采购意向公开办法", "doc_type": "procurement", "unit": "采购办", "affects_market": "1"},
    )
    assert r.status_code == 302
    assert Draft.objects.get(title="政府采购意向公开办法").affects_market is True


def test_a_reminder_before_an_exception_ends_once(make_draft, clerk, reviewer):
    draft = _market_draft(make_draft)
    fair_competition.record(
        user=clerk,
        draft_id=draft.pk,
        reviewed_on=TODAY(),
        summary="审查",
        ends_on=TODAY() + dt.timedelta(days=20),
        **EXCEPTION,
    )
    later = _market_draft(make_draft)
    fair_competition.record(
        user=clerk,
        draft_id=later.pk,
        reviewed_on=TODAY(),
        summary="审查",
        ends_on=TODAY() + dt.timedelta(days=200),
        **EXCEPTION,
    )
    Draft.objects.filter(pk__in=[draft.pk, later.pk]).update(state=State.PUBLISHED)
    reminders.send_reminders()
    reminders.send_reminders()
    sent = Message.objects.filter(title__startswith="公平竞争审查例外期限提醒")
    assert sorted(m.recipient_id for m in sent) == sorted([clerk.pk, reviewer.pk])
    assert all(draft.title in m.title and "剩余 20 日" in m.body for m in sent)
    reminders.send_reminders(TODAY() + dt.timedelta(days=21))
    assert (
        Message.objects.filter(title__startswith="公平竞争审查例外期限提醒", body__contains="已于").count()
        == 2
    )


def test_the_annual_figures_count_each_reviewed_measure_once(make_draft, clerk):
    from fazhi.reports import figures as figs

    compliant = _market_draft(make_draft)
    excepted = _market_draft(make_draft)
    not_involved = _market_draft(make_draft)
    for draft, conclusion in (
        (compliant, "compliant"),
        (compliant, "compliant"),
        (not_involved, "not_involved"),
    ):
        fair_competition.record(
            user=clerk, draft_id=draft.pk, conclusion=conclusion, reviewed_on=TODAY(), summary="审查"
        )
    fair_competition.record(
        user=clerk,
        draft_id=excepted.pk,
        reviewed_on=TODAY(),
        summary="审查",
        ends_on=TODAY() + dt.timedelta(days=365),
        **EXCEPTION,
    )
    found = figs.collect(figs.Context(year=TODAY().year, today=TODAY())).by_key()
    assert found["review.fair_competition"].value == 2
    assert len(found["review.fair_competition"].rows()) == 2
    assert found["review.fair_competition_exception"].value == 1
    assert (
        figs.collect(figs.Context(year=TODAY().year - 1, today=TODAY()))
        .by_key()["review.fair_competition"]
        .value
        == 0
    )


def test_a_procurement_document_needs_a_review_that_does_not_say_not_involved(clerk, reviewer):
    draft = services.create_draft(
        user=clerk, title="区财政局办公设备采购项目采购文件", doc_type="procurement", unit="采购办"
    )
    add_version(draft, clerk, text="第一条 本项目采用公开招标方式采购办公设备。")
    assert draft.affects_market is False  # the drafter did not tick it: the document type decides
    _approve(draft, clerk, reviewer)
    with pytest.raises(Conflict) as err:
        services.transition(user=clerk, draft_id=draft.pk, action="publish")
    assert "政府采购文件涉及供应商参与政府采购活动" in err.value.message and "第十八条" in err.value.message
    with pytest.raises(ValidationFailed) as bad:
        fair_competition.record(
            user=clerk, draft_id=draft.pk, conclusion="not_involved", reviewed_on=TODAY(), summary="不涉及"
        )
    assert "审查结论不能为“不涉及”" in bad.value.message
    assert not FairCompetitionReview.objects.filter(draft=draft).exists()
    assert not AuditEvent.objects.filter(action="fair_competition_review").exists()
    fair_competition.record(
        user=clerk, draft_id=draft.pk, conclusion="compliant", reviewed_on=TODAY(), summary="逐项对照审查"
    )
    assert services.transition(user=clerk, draft_id=draft.pk, action="publish").state == State.PUBLISHED


def _draft_with_fair_finding(clerk, reviewer) -> tuple[Draft, int]:
    draft = services.create_draft(
        user=clerk, title="关于支持企业发展的若干措施", doc_type="other", unit="企业科"
    )
    version = add_version(draft, clerk, text="第三条 申请奖补的企业须在本区注册登记并在本区缴纳税收。")
    services.run_precheck(version)
    finding = version.precheck_findings.get(family="FC")
    services.transition(user=clerk, draft_id=draft.pk, action="submit")
    services.transition(user=reviewer, draft_id=draft.pk, action="start_review")
    return draft, finding.pk


def test_an_undismissed_fair_competition_finding_makes_the_review_required(clerk, reviewer):
    draft, finding_id = _draft_with_fair_finding(clerk, reviewer)
    opinions.accept_precheck(user=reviewer, draft_id=draft.pk, finding_id=finding_id)
    services.transition(user=reviewer, draft_id=draft.pk, action="approve", comment="同意")
    with pytest.raises(Conflict) as err:
        services.transition(user=clerk, draft_id=draft.pk, action="publish")
    assert "预审发现第1稿第1段涉及公平竞争审查标准且未被排除" in err.value.message
    detail = Client()
    detail.force_login(clerk)
    assert "预审发现第1稿第1段" in detail.get(f"/review/drafts/{draft.pk}/").content.decode()
    with pytest.raises(ValidationFailed):
        fair_competition.record(
            user=clerk, draft_id=draft.pk, conclusion="not_involved", reviewed_on=TODAY(), summary="不涉及"
        )
    fair_competition.record(
        user=clerk,
        draft_id=draft.pk,
        conclusion="compliant",
        reviewed_on=TODAY(),
        summary="已删除本地纳税条件",
    )
    assert services.transition(user=clerk, draft_id=draft.pk, action="publish").state == State.PUBLISHED


def test_a_dismissed_finding_does_not_require_the_review(clerk, reviewer):
    draft, finding_id = _draft_with_fair_finding(clerk, reviewer)
    opinions.dismiss_precheck(
        user=reviewer, draft_id=draft.pk, finding_id=finding_id, reason="系引述上位法原文"
    )
    services.transition(user=reviewer, draft_id=draft.pk, action="approve", comment="同意")
    assert services.transition(user=clerk, draft_id=draft.pk, action="publish").state == State.PUBLISHED
