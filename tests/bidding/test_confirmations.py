"""Before an action that cannot be undone (抽取, 补抽, 重新组建, 结束评标, 送交评标报告, 确定中标人, 认定无效, 签名,
and records that can neither be corrected nor deleted) the page asks first: the form, or its button, carries
data-confirm with a Chinese message saying what will happen, and the page loads the script that asks."""

import datetime as dt
import html
import re

import pytest
from django.utils import timezone

from fazhi.bidding import services
from tests.bidding.helpers import archive_all, score_all, sign_all

SCRIPT = "/static/js/confirm.js"


def confirm_of(page: str, project, action: str) -> str | None:
    """The data-confirm message of the form posting to `action` (None: the form asks nothing)."""
    tag = re.search(rf'<form[^>]*action="/bidding/projects/{project.pk}/{action}/"[^>]*>', page)
    assert tag, f"no form for {action}"
    message = re.search(r'data-confirm="([^"]*)"', tag.group(0))
    return html.unescape(message.group(1)) if message else None


def page_of(client, project) -> str:
    page = client.get(f"/bidding/projects/{project.pk}/").content.decode()
    assert SCRIPT in page
    return page


@pytest.mark.django_db
def test_the_draw_and_declaring_a_bid_invalid_ask_first_restoring_it_does_not(login, buyer, project):
    bidder = project.bidders.order_by("pk").first()
    services.set_bidder_validity(bidder=bidder, actor=buyer, valid=False, reason="未按要求提交投标保证金")
    page = page_of(login(buyer), project)
    assert "不能撤销或重新抽取" in confirm_of(page, project, "draw")
    # One validity form per bidder: the first bidder's is 恢复有效 (no question), the others' 认定无效.
    messages = [html.unescape(m) for m in re.findall(r'data-confirm="(确定认定[^"]*)"', page)]
    assert messages == [
        f"确定认定{b.name}的投标无效？无效投标不参加评分、不计入评标基准价。"
        for b in project.bidders.order_by("pk")[1:]
    ]


@pytest.mark.django_db
def test_replacing_a_member_and_the_records_that_cannot_be_corrected_ask_first(login, buyer, drawn, sites):
    project, committee = drawn
    page = page_of(login(buyer), project)
    seat = committee.members.order_by("seat").first().seat
    assert f'data-confirm="确定更换席位 {seat} 的委员并补抽？' in page
    assert "故障记录不能删除；超过 4 小时未恢复的，须重新组建评标委员会" in confirm_of(
        page, project, "incident"
    )
    assert "登记后不能修改或删除" in confirm_of(page, project, "identity-check")
    services.record_incident(
        project=project,
        actor=buyer,
        site_id=sites[1].pk,
        started_at=timezone.now() - dt.timedelta(hours=1),
        description="九江副场网络中断",
    )
    page = page_of(login(buyer), project)
    assert (
        confirm_of(page, project, "end-incident")
        == f"确定记录{sites[1].name}的故障恢复时间？记录后不能修改。"
    )


@pytest.mark.django_db
def test_re_forming_the_committee_asks_first(login, buyer, drawn, sites):
    project, _ = drawn
    start = timezone.now() - dt.timedelta(hours=6)
    services.record_incident(
        project=project, actor=buyer, site_id=sites[1].pk, started_at=start, description="九江副场网络中断"
    )
    page = page_of(login(buyer), project)
    assert confirm_of(page, project, "reform").startswith("确定重新组建评标委员会？原委员会将作废")


@pytest.mark.django_db
def test_finishing_submitting_and_confirming_the_winner_ask_first(login, buyer, drawn):
    project, committee = drawn
    score_all(project, committee)
    sign_all(committee)
    project.refresh_from_db()
    client = login(buyer)
    assert "评标结果将固定" in confirm_of(page_of(client, project), project, "finish")
    services.finish_evaluation(project=project, actor=buyer)
    archive_all(project, buyer)
    assert "不能撤回" in confirm_of(page_of(client, project), project, "submit-report")
    services.submit_report(project=project, actor=buyer)
    assert "确定后不能更改" in confirm_of(page_of(client, project), project, "winner")


@pytest.mark.django_db
def test_routine_and_correctable_forms_do_not_ask(login, buyer, project):
    page = page_of(login(buyer), project)
    assert confirm_of(page, project, "add-bidder") is None
    assert confirm_of(page, project, "bid-bond") is None


@pytest.mark.django_db
def test_signing_the_score_sheet_asks_first_and_saving_does_not(login, drawn):
    project, committee = drawn
    member = committee.members.filter(user__isnull=False).order_by("seat").first()
    page = login(member.user).get(f"/bidding/projects/{project.pk}/score/").content.decode()
    assert SCRIPT in page
    assert '<button type="submit" name="save" value="1" class="secondary">保存</button>' in page
    assert 'name="sign" value="1" data-confirm="确定签名确认评分表？签名后评分不可再修改。"' in page


@pytest.mark.django_db
def test_outsiders_see_none_of_these_forms(login, outsider, project):
    assert login(outsider).get(f"/bidding/projects/{project.pk}/").status_code == 403
