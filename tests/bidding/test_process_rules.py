"""Process rules from the audit: names stay out of the report until released, the server alone picks
the draw seed, a tender needs three qualified bids, a failed score sheet keeps what was typed, and
the record closes once the winner is confirmed."""

import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.utils import timezone
from docx import Document

from fazhi.bidding import services
from fazhi.bidding.models import Bidder, Incident, Project, Score, Status
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.models import AuditEvent
from tests.bidding.helpers import add_experts, archive_all, score_all, sign_all

API = "/api/v1/bidding"


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


@pytest.fixture
def signed(drawn):
    project, committee = drawn
    score_all(project, committee)
    sign_all(committee)
    return project, committee


# --- finding 3: the report names nobody before the release time ------------------------------------


@pytest.mark.django_db
def test_the_report_shows_seats_not_names_before_the_release_time(
    login, supervisor, buyer, token_for, signed
):
    project, committee = signed
    Project.objects.filter(pk=project.pk).update(names_reveal_at=timezone.now() + dt.timedelta(hours=3))
    members = list(committee.members.select_related("expert", "site").order_by("seat"))
    for data in (
        login(supervisor).get(f"/bidding/projects/{project.pk}/report.docx").content,
        login(buyer).get(f"/bidding/projects/{project.pk}/report.docx").content,
        login(buyer).get(f"{API}/projects/{project.pk}/report.docx", headers=token_for(buyer)).content,
    ):
        text = docx_text(data)
        assert "（名单未到公开时间）" in text and f"席位 1（{members[0].site.name}）" in text
        for m in members:
            assert m.expert.name not in text
            assert m.expert.employer not in text
            assert m.user.username not in text  # the signing account would name the expert too
            assert m.sheet.sign_hash in text  # the signatures themselves are still there
    Project.objects.filter(pk=project.pk).update(names_reveal_at=timezone.now() - dt.timedelta(minutes=1))
    text = docx_text(login(supervisor).get(f"/bidding/projects/{project.pk}/report.docx").content)
    assert all(m.expert.name in text and m.expert.employer in text for m in members)
    assert f"席位 1：{members[0].expert.name}（{members[0].site.name}）" in text


@pytest.mark.django_db
def test_the_report_downloads_under_a_chinese_name(login, buyer, drawn):
    project, _ = drawn
    r = login(buyer).get(f"/bidding/projects/{project.pk}/report.docx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert f"filename*=UTF-8''{quote(f'评标报告-{project.code}.docx')}" in r["Content-Disposition"]


# --- finding 4: a refused score sheet keeps what the expert typed -----------------------------------


@pytest.mark.django_db
def test_a_score_sheet_with_one_bad_value_comes_back_with_everything_typed(login, drawn):
    project, committee = drawn
    member = committee.members.order_by("seat").first()
    bidders = list(project.bidders.order_by("pk"))
    criteria = list(project.criteria.order_by("order", "pk"))
    form = {}
    for i, b in enumerate(bidders):
        for j, c in enumerate(criteria):
            form[f"s-{b.pk}-{c.pk}"] = f"{5 + i + j}.5"
            if not c.objective:
                form[f"r-{b.pk}-{c.pk}"] = f"理由{b.pk}-{c.pk}：方案完整"
    bad = f"s-{bidders[2].pk}-{criteria[2].pk}"  # 资质证书 is worth 10 points
    form[bad] = "99"
    r = login(member.user).post(f"/bidding/projects/{project.pk}/score/", form)
    page = r.content.decode()
    assert r.status_code == 400
    assert "“丙电子有限公司·资质证书”的得分 99 超出范围（0—10.00 分）。" in page
    for name, value in form.items():
        assert f'name="{name}"' in page
        if name.startswith("s-"):
            assert f'name="{name}" type="number" inputmode="decimal" step="0.01" min="0"' in page
            assert f'value="{value}"' in page
        else:
            assert f">{value}</textarea>" in page
    assert not Score.objects.filter(sheet__member=member).exists()


# --- finding 7: the seed is the server's --------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_offers_no_seed_and_a_posted_seed_is_refused(login, buyer, project):
    client = login(buyer)
    page = client.get(f"/bidding/projects/{project.pk}/").content.decode()
    assert 'name="seed"' not in page and "随机种子由系统在抽取时生成" in page
    r = client.post(f"/bidding/projects/{project.pk}/draw/", {"seed": "12345"})
    assert r.status_code == 400 and "随机种子由系统在抽取时生成，不能指定" in r.content.decode()
    assert not project.committees.exists()
    r = client.post(f"/bidding/projects/{project.pk}/draw/", follow=True)
    draw = project.committees.get().draws.get()
    assert draw.seed != "12345" and draw.seed.isdigit()
    assert f"（种子 {draw.seed}）" in r.content.decode()
    assert AuditEvent.objects.filter(action="draw", after__seed=draw.seed).exists()


@pytest.mark.django_db
def test_the_api_refuses_a_seed_for_a_draw_or_a_replacement(client, buyer, token_for, project):
    headers = token_for(buyer)
    r = client.post(
        f"{API}/projects/{project.pk}/draw", {"seed": "5"}, content_type="application/json", headers=headers
    )
    assert r.status_code == 400 and "不能指定" in r.json()["detail"]
    assert not project.committees.exists()
    r = client.post(f"{API}/projects/{project.pk}/draw", {}, content_type="application/json", headers=headers)
    assert r.status_code == 201
    member = project.committees.get().members.order_by("seat").first()
    r = client.post(
        f"{API}/members/{member.pk}/replace",
        {"reason": "无法到场", "seed": "7"},
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 400 and "不能指定" in r.json()["detail"]
    member.refresh_from_db()
    assert member.active


# --- finding 8: a tender needs three qualified bidders -----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "label"), [("open_tender", "公开招标"), ("invited_tender", "邀请招标")])
def test_a_tender_with_fewer_than_three_bidders_cannot_be_drawn(
    login, buyer, make_project, pools, method, label
):
    add_experts(pools[0], 4)
    add_experts(pools[1], 3)
    project = make_project(method=method)
    services.add_bidder(project=project, actor=buyer, name="甲公司", bid_price="100")
    services.add_bidder(project=project, actor=buyer, name="乙公司", bid_price="110")
    r = login(buyer).post(f"/bidding/projects/{project.pk}/draw/")
    page = r.content.decode()
    assert r.status_code == 400
    assert f"不能抽取评标专家：{label}项目通过资格/符合性审查的投标人只有 2 家，不足 3 家，应予废标" in page
    assert "政府采购法第三十六条" in page
    assert not project.committees.exists()


@pytest.mark.django_db
def test_the_three_bid_minimum_does_not_apply_outside_tenders(buyer, make_project, pools):
    add_experts(pools[0], 4)
    add_experts(pools[1], 3)
    project = make_project(method="competitive_consultation")
    services.add_bidder(project=project, actor=buyer, name="甲公司", bid_price="100")
    assert services.draw_committee(project=project, actor=buyer).members.count() == 5


@pytest.mark.django_db
def test_an_open_tender_left_with_two_valid_bids_cannot_finish_or_recommend(login, buyer, drawn):
    project, committee = drawn
    services.set_bidder_validity(
        bidder=project.bidders.get(name="乙信息股份公司"), actor=buyer, valid=False, reason="资格证明不全"
    )
    score_all(project, committee)
    sign_all(committee)
    page = login(buyer).get(f"/bidding/projects/{project.pk}/").content.decode()
    assert "只有 2 家，不足 3 家，应予废标" in page and "不推荐中标候选人" in page
    assert " ★</td>" not in page  # no bidder is marked as a recommended candidate
    r = login(buyer).post(f"/bidding/projects/{project.pk}/finish/")
    assert r.status_code == 409
    assert "不能结束评标：公开招标项目通过资格/符合性审查的投标人只有 2 家" in r.content.decode()
    project.refresh_from_db()
    assert project.status == Status.EVALUATING


@pytest.mark.django_db
def test_the_winner_cannot_be_confirmed_when_fewer_than_three_bids_remain_valid(buyer, signed):
    project, _ = signed
    services.finish_evaluation(project=project, actor=buyer)
    archive_all(project, buyer)
    services.submit_report(project=project, actor=buyer)
    # A bid found invalid after the report (in the data, as no page allows it any more).
    Bidder.objects.filter(project=project, name="乙信息股份公司").update(valid=False)
    top = project.bidders.get(name="丙电子有限公司")
    with pytest.raises(Conflict, match="不能确定中标人：.*不足 3 家，应予废标"):
        services.confirm_winner(project=project, actor=buyer, bidder_id=top.pk)
    project.refresh_from_db()
    assert project.status == Status.REPORTED and project.winner is None


# --- LOW: no incident once the winner is confirmed ------------------------------------------------------


@pytest.mark.django_db
def test_no_incident_can_be_recorded_after_the_winner_is_confirmed(login, buyer, signed, sites):
    project, _ = signed
    result = services.finish_evaluation(project=project, actor=buyer)
    archive_all(project, buyer)
    services.submit_report(project=project, actor=buyer)
    services.confirm_winner(project=project, actor=buyer, bidder_id=result.lines[0].bidder.pk)
    r = login(buyer).post(
        f"/bidding/projects/{project.pk}/incident/",
        {
            "site_id": sites[0].pk,
            "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "description": "停电",
        },
    )
    assert r.status_code == 409
    assert "项目当前状态为“已确定中标人”，评标已结束，不能记录评标故障。" in r.content.decode()
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_no_incident_before_a_committee_exists(buyer, project, sites):
    with pytest.raises(Conflict, match="尚未组建评标委员会"):
        services.record_incident(
            project=project, actor=buyer, site_id=sites[0].pk, started_at=timezone.now(), description="停电"
        )
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_an_incident_cannot_start_long_before_the_committee_was_formed(buyer, drawn, sites):
    project, committee = drawn
    with pytest.raises(ValidationFailed, match="不能早于评标委员会组建时间"):
        services.record_incident(
            project=project,
            actor=buyer,
            site_id=sites[0].pk,
            started_at=dt.datetime(1969, 12, 31, 23, 59, tzinfo=dt.UTC),
            description="停电",
        )
    assert not Incident.objects.exists()
    ok = services.record_incident(
        project=project,
        actor=buyer,
        site_id=sites[0].pk,
        started_at=committee.formed_at - dt.timedelta(hours=2),
        description="前一晚网络中断",
    )
    assert ok.pk
