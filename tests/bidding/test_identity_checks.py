"""身份核验: 采购办 records each sitting member's identity check at the member's own site (who, how, when,
result, note); with the rule `identity_check_required` on, a member not checked or not passed can neither
score nor sign. The rule ships off: every scoring test of the app scores without a check."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fazhi.bidding import services
from fazhi.bidding.models import IdentityCheck, Rule, Score
from fazhi.bidding.services.identity import identity_required
from fazhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from fazhi.core.models import AuditEvent
from tests.bidding.helpers import score_all, sign_all

API = "/api/v1/bidding"
HIDDEN = "（名单未到公开时间）"


def require_checks():
    Rule.objects.create(
        key="identity_check_required",
        title="评分前须通过身份核验",
        value={"required": True},
        source="发改办法规〔2025〕807号及本地远程异地评标规则",
    )


def check(project, actor, member, result="passed", **kw):
    return services.record_identity_check(
        project=project,
        actor=actor,
        member_id=member.pk,
        method=kw.pop("method", "face"),
        result=result,
        **kw,
    )


def first_member(committee, site=None):
    members = committee.members.filter(active=True).select_related("site", "expert").order_by("seat")
    return members.filter(site=site).first() if site else members.first()


def entries(project):
    return [
        {"bidder_id": b.pk, "criterion_id": c.pk, "points": "5"}
        for b in project.bidders.all()
        for c in project.criteria.all()
    ]


def events(project):
    return AuditEvent.objects.filter(
        object_type="bidding.Project", object_id=str(project.pk), comment__startswith="身份核验"
    )


# --- recording ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_check_records_who_checked_at_the_members_site_how_and_when(buyer, drawn, sites):
    project, committee = drawn
    member = first_member(committee, sites[1])  # a 九江 (副场) seat
    at = timezone.now()  # after the draw: a seat is checked once drawn
    done = check(project, buyer, member, method="id_card", checked_at=at, note="身份证原件核对一致")
    assert (done.site, done.checked_by, done.checked_at, done.passed) == (sites[1], buyer, at, True)
    assert done.get_method_display() == "证件核验" and done.note == "身份证原件核对一致"
    event = events(project).get()
    assert event.action == "record" and event.actor == buyer
    assert event.after["site"] == sites[1].name and event.after["result"] == "passed"
    assert event.comment == f"身份核验通过：席位 {member.seat}（{sites[1].name}，证件核验）"


@pytest.mark.django_db
def test_a_failed_check_may_be_redone_and_the_latest_counts_but_a_passed_one_is_not_repeated(buyer, drawn):
    project, committee = drawn
    member = first_member(committee)
    check(project, buyer, member, result="failed", note="人脸比对不一致")
    check(project, buyer, member, method="face_and_id_card")
    with pytest.raises(Conflict, match=f"席位 {member.seat}已于 .* 核验通过，无需重复登记"):
        check(project, buyer, member)
    assert [c.result for c in IdentityCheck.objects.filter(member=member)] == ["failed", "passed"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"result": "failed"}, "核验不通过，请在说明中写明原因"),
        ({"method": "fingerprint"}, "请选择核验方式（人脸识别、证件核验、人脸识别\\+证件核验）"),
        ({"result": "ok"}, "请选择核验结果（通过或不通过）"),
        ({"note": "长" * 301}, "核验说明不能超过 300 个字"),
        ({"checked_at": timezone.now() + dt.timedelta(hours=1)}, "核验时间不能晚于当前时间"),
        ({"checked_at": timezone.now() - dt.timedelta(days=2)}, "核验时间不能早于评标委员会组建时间"),
    ],
)
def test_bad_input_is_refused_and_records_nothing(buyer, drawn, change, message):
    project, committee = drawn
    kw = {"result": "passed", "method": "face", "note": "", **change}
    member = first_member(committee)
    with pytest.raises(ValidationFailed, match=message):
        services.record_identity_check(project=project, actor=buyer, member_id=member.pk, **kw)
    assert not IdentityCheck.objects.exists() and not events(project).exists()


@pytest.mark.django_db
def test_only_sitting_members_of_this_project_are_checked(buyer, drawn, make_project):
    project, committee = drawn
    replaced = first_member(committee)
    services.replace_member(member=replaced, actor=buyer, reason="临时有事")
    with pytest.raises(ValidationFailed, match=f"席位 {replaced.seat}已不是本项目当前评标委员会的成员"):
        check(project, buyer, replaced)
    other = make_project()
    with pytest.raises(Conflict, match="只有在抽取专家后、评标结束前才能登记身份核验"):
        check(other, buyer, first_member(committee))
    with pytest.raises(ValidationFailed, match="所选委员不是本项目评标委员会的成员"):
        services.record_identity_check(
            project=project, actor=buyer, member_id=10**6, method="face", result="passed"
        )
    assert not IdentityCheck.objects.exists()


@pytest.mark.django_db
def test_no_check_after_the_member_signed_or_the_evaluation_ended(buyer, drawn):
    project, committee = drawn
    score_all(project, committee)
    sign_all(committee)
    with pytest.raises(Conflict, match="已签名确认评分表，身份核验应在评分前完成"):
        check(project, buyer, first_member(committee))
    services.finish_evaluation(project=project, actor=buyer)
    with pytest.raises(Conflict, match="项目当前状态为“评标结束”"):
        check(project, buyer, first_member(committee))
    assert not IdentityCheck.objects.exists()


@pytest.mark.django_db
def test_only_procurement_staff_record_checks(supervisor, outsider, drawn):
    project, committee = drawn
    member = first_member(committee)
    for user in (supervisor, outsider, member.user):
        with pytest.raises(PermissionDenied, match="只有采购办经办人员"):
            check(project, user, member)
    assert not IdentityCheck.objects.exists()


# --- the rule: no scoring or signing without a passed check ------------------------------------------


@pytest.mark.django_db
def test_the_rule_ships_off_so_members_score_without_a_check(drawn):
    project, committee = drawn
    assert identity_required() is False
    score_all(project, committee)
    sign_all(committee)
    assert not committee.members.filter(active=True, sheet__signed_at__isnull=True).exists()


@pytest.mark.django_db
def test_with_the_rule_on_a_member_without_a_check_can_neither_score_nor_sign(drawn, sites):
    project, committee = drawn
    require_checks()
    member = first_member(committee, sites[1])
    name = member.expert.name
    with pytest.raises(Conflict) as refused:
        services.save_scores(member=member, actor=member.user, entries=entries(project))
    assert refused.value.message.startswith(f"席位 {member.seat} {name}尚未在{sites[1].name}完成身份核验")
    assert "不能评分或签名" in refused.value.message and "发改办法规〔2025〕807号" in refused.value.message
    with pytest.raises(Conflict, match="尚未在九江市公共资源交易中心完成身份核验"):
        services.sign_sheet(member=member, actor=member.user)
    assert not Score.objects.exists()


@pytest.mark.django_db
def test_with_the_rule_on_a_failed_check_refuses_until_a_recheck_passes(buyer, drawn, sites):
    project, committee = drawn
    require_checks()
    member = first_member(committee, sites[0])
    check(project, buyer, member, result="failed", note="人脸比对不一致")
    with pytest.raises(Conflict) as refused:
        services.save_scores(member=member, actor=member.user, entries=entries(project))
    message = refused.value.message
    assert f"{member.expert.name}在{sites[0].name}的身份核验未通过（人脸识别" in message
    assert "人脸比对不一致" in message and "或由采购办更换该委员" in message
    assert not Score.objects.exists()
    check(project, buyer, member, method="id_card")
    services.save_scores(member=member, actor=member.user, entries=entries(project))
    assert Score.objects.filter(sheet__member=member).count() == len(entries(project))


@pytest.mark.django_db
def test_with_the_rule_on_the_score_page_and_the_api_give_the_refusal(client, login, token_for, drawn, sites):
    project, committee = drawn
    require_checks()
    member = first_member(committee, sites[1])
    r = login(member.user).post(f"/bidding/projects/{project.pk}/score/", {})
    assert r.status_code == 400 and f"尚未在{sites[1].name}完成身份核验" in r.content.decode()
    r = client.post(f"{API}/members/{member.pk}/sign", headers=token_for(member.user))
    assert r.status_code == 409 and member.expert.name in r.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["yes", 1, None])
def test_the_rule_must_be_true_or_false(bad):
    with pytest.raises(ValidationError, match="“required”应为 true"):
        Rule(key="identity_check_required", title="核验", source="测试", value={"required": bad}).full_clean()


# --- the page -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_buyer_records_a_check_on_the_project_page(login, buyer, drawn, sites):
    project, committee = drawn
    member = first_member(committee, sites[1])
    client = login(buyer)
    url = f"/bidding/projects/{project.pk}/"
    page = client.get(url).content.decode()
    assert "身份核验" in page and "未核验" in page and 'name="method"' in page
    assert (
        f">席位 {member.seat}（{sites[1].name}）</option>" in page
    )  # the seat alone: names not released yet
    r = client.post(
        f"{url}identity-check/",
        {"member_id": member.pk, "method": "face", "result": "passed", "checked_at": "", "note": ""},
        follow=True,
    )
    page = r.content.decode()
    assert f"已登记席位 {member.seat}（{sites[1].name}）的身份核验：通过。" in page
    assert f'<option value="{member.pk}"' not in page  # passed: no longer offered for a check
    assert IdentityCheck.objects.get().checked_by == buyer


@pytest.mark.django_db
def test_a_bad_check_on_the_page_gets_a_message_and_keeps_the_input(login, buyer, drawn):
    project, committee = drawn
    member = first_member(committee)
    r = login(buyer).post(
        f"/bidding/projects/{project.pk}/identity-check/",
        {
            "member_id": member.pk,
            "method": "face",
            "result": "failed",
            "note": "",
            "checked_at": "2026-02-30T09:00",
        },
    )
    assert r.status_code == 400 and "核验时间“2026-02-30T09:00”不是有效的日期时间" in r.content.decode()
    assert 'value="2026-02-30T09:00"' in r.content.decode()
    assert not IdentityCheck.objects.exists()


@pytest.mark.django_db
def test_outsiders_supervisors_and_experts_are_refused_on_the_page(
    client, login, outsider, supervisor, drawn
):
    project, committee = drawn
    member = first_member(committee)
    url = f"/bidding/projects/{project.pk}/identity-check/"
    form = {"member_id": member.pk, "method": "face", "result": "passed"}
    for user in (outsider, supervisor, member.user):
        assert login(user).post(url, form).status_code == 403
    r = client.post(url, form)
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    page = login(supervisor).get(f"/bidding/projects/{project.pk}/").content.decode()
    assert "身份核验" in page and 'name="method"' not in page  # reads, no form
    page = login(member.user).get(f"/bidding/projects/{project.pk}/").content.decode()
    assert "远程异地评标记录" not in page  # the other members' checks are not for an expert
    assert not IdentityCheck.objects.exists()


# --- the API --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_records_and_lists_checks_with_names_hidden_until_release(client, buyer, token_for, drawn):
    project, committee = drawn
    member = first_member(committee)
    headers = token_for(buyer)
    base = f"{API}/projects/{project.pk}/identity-checks"
    r = client.post(
        base,
        {"member_id": member.pk, "method": "face", "result": "failed", "note": "照片不符"},
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 201
    body = r.json()
    assert body["seat"] == member.seat and body["site"] == member.site.name and body["committee"] == 1
    assert (body["result_label"], body["method_label"], body["checked_by"]) == (
        "不通过",
        "人脸识别",
        "buyer1",
    )
    assert body["name"] == HIDDEN  # the fixture releases the names tomorrow
    r = client.post(
        base,
        {"member_id": member.pk, "method": "face", "result": "failed"},
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 400 and "写明原因" in r.json()["detail"]
    assert [c["note"] for c in client.get(base, headers=headers).json()] == ["照片不符"]


@pytest.mark.django_db
def test_the_api_refuses_outsiders_supervisors_experts_and_anonymous(
    client, outsider, supervisor, token_for, drawn
):
    project, committee = drawn
    member = first_member(committee)
    base = f"{API}/projects/{project.pk}/identity-checks"
    form = {"member_id": member.pk, "method": "face", "result": "passed"}
    assert client.get(base).status_code == 401
    assert client.post(base, form, content_type="application/json").status_code == 401
    for user in (outsider, supervisor, member.user):
        r = client.post(base, form, content_type="application/json", headers=token_for(user))
        assert r.status_code == 403
    assert client.get(base, headers=token_for(outsider)).status_code == 403
    assert client.get(base, headers=token_for(member.user)).status_code == 403
    assert client.get(base, headers=token_for(supervisor)).json() == []
    assert not IdentityCheck.objects.exists()
