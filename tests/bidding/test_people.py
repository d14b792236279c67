"""Purchasers, purchaser representatives, expert accounts and bid documents."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fazhi.bidding import services
from fazhi.bidding.models import MemberKind, Project
from fazhi.core.errors import PermissionDenied, ValidationFailed
from fazhi.core.services import ensure_user
from tests.bidding.helpers import add_experts, begin_evaluation, sign_all


@pytest.fixture
def purchaser(db):
    return ensure_user(username="jiaoyuju", display_name="区教育局经办人", role_names=[])


@pytest.mark.django_db
def test_the_purchaser_sees_names_only_after_the_reveal_time_and_the_report_only_once_sent(
    login, buyer, purchaser, make_project, pools
):
    add_experts(pools[0], 4)
    add_experts(pools[1], 3)
    project = make_project(purchaser_username="jiaoyuju", method="competitive_consultation")
    assert project.purchaser_user == purchaser
    services.add_bidder(project=project, actor=buyer, name="甲公司", bid_price="100")
    Project.objects.filter(pk=project.pk).update(names_reveal_at=timezone.now() + dt.timedelta(hours=1))
    committee = services.draw_committee(project=project, actor=buyer)
    client = login(purchaser)
    names = [m.expert.name for m in committee.members.all()]
    page = client.get(f"/bidding/projects/{project.pk}/").content.decode()
    assert "（名单未到公开时间）" in page and not any(n in page for n in names)
    Project.objects.filter(pk=project.pk).update(names_reveal_at=timezone.now() - dt.timedelta(minutes=1))
    page = client.get(f"/bidding/projects/{project.pk}/").content.decode()
    assert all(n in page for n in names)
    assert "评标结果" not in page  # interim results are not the purchaser's
    assert client.get(f"/bidding/projects/{project.pk}/report.docx").status_code == 403
    # The purchaser cannot run staff actions.
    assert client.post(f"/bidding/projects/{project.pk}/finish/").status_code == 403


@pytest.mark.django_db
def test_a_named_purchaser_account_must_exist(make_project):
    with pytest.raises(ValidationFailed, match="采购人账号“nobody”不存在"):
        make_project(purchaser_username="nobody")


@pytest.mark.django_db
def test_a_purchaser_representative_takes_a_seat_and_scores(buyer, purchaser, make_project, pools, sites):
    host, jj = sites
    add_experts(pools[0], 4)
    add_experts(pools[1], 3)
    project = make_project(
        method="competitive_consultation",  # one bidder is enough outside 招标 (no three-bid minimum)
        purchaser_rep_count=1,
        quotas=[
            {"site_id": host.pk, "specialty": "信息技术", "count": 2},
            {"site_id": jj.pk, "specialty": "信息技术", "count": 2},
        ],
    )
    services.add_bidder(project=project, actor=buyer, name="甲公司", bid_price="100")
    committee = services.draw_committee(project=project, actor=buyer)
    rep = committee.members.get(kind=MemberKind.PURCHASER_REP)
    assert rep.site_id == host.pk and committee.members.count() == 5
    with pytest.raises(ValidationFailed, match="不存在"):
        services.assign_representative(member=rep, actor=buyer, name="赵代表", username="ghost")
    with pytest.raises(PermissionDenied):
        services.assign_representative(member=rep, actor=purchaser, name="赵代表", username="jiaoyuju")
    services.assign_representative(member=rep, actor=buyer, name="赵代表", username="jiaoyuju")
    for m in committee.members.filter(kind=MemberKind.EXPERT):
        m.user = ensure_user(username=f"e{m.pk}", display_name="专家", role_names=[])
        m.save()
    bidder = project.bidders.get()
    begin_evaluation(project)  # the evaluation has begun: the seats may score
    for m in committee.members.all():
        services.save_scores(
            member=m,
            actor=m.user,
            entries=[
                {"bidder_id": bidder.pk, "criterion_id": c.pk, "points": "8" if c.objective else "10"}
                for c in project.criteria.all()
            ],
        )
    sign_all(committee)
    result = services.finish_evaluation(project=project, actor=buyer)
    assert result.complete and result.lines[0].total == 30 + 10 + 10 + 8


@pytest.mark.django_db
def test_an_expert_account_created_after_the_draw_can_score_the_seat(login, buyer, drawn):
    project, committee = drawn
    member = committee.members.order_by("seat").first()
    expert = member.expert
    old_user = expert.user
    expert.user = None
    expert.save()
    member.user = None
    member.save()
    old_user.delete()
    r = login(buyer).post(
        f"/bidding/pools/{expert.pool_id}/",
        {"form": "account", "expert_id": expert.pk, "username": "zhuanjia01", "password": "pass-2026-x"},
        follow=True,
    )
    assert "已为" in r.content.decode()
    member.refresh_from_db()
    assert member.user.username == "zhuanjia01"
    assert login(member.user).get(f"/bidding/projects/{project.pk}/score/").status_code == 200


@pytest.mark.django_db
def test_a_bid_document_must_really_be_a_pdf_or_docx(buyer, project):
    fake = SimpleUploadedFile("bid.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationFailed, match="PDF 或 Word"):
        services.add_bidder(project=project, actor=buyer, name="丁公司", bid_price="1", document=fake)
    real = SimpleUploadedFile("bid.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n", content_type="application/pdf")
    bidder = services.add_bidder(project=project, actor=buyer, name="丁公司", bid_price="1", document=real)
    assert bidder.document.name.endswith(".pdf")


@pytest.mark.django_db
def test_an_sme_size_without_the_declaration_is_refused(buyer, project):
    with pytest.raises(ValidationFailed, match="须同时提交中小企业声明函"):
        services.add_bidder(project=project, actor=buyer, name="戊公司", bid_price="1", sme_size="micro")


@pytest.mark.django_db
def test_a_bidder_credit_code_is_checked_in_full_and_a_bad_one_adds_nothing(buyer, project):
    before = project.bidders.count()
    with pytest.raises(ValidationFailed, match="第18位应为“8”"):
        services.add_bidder(
            project=project, actor=buyer, name="己公司", bid_price="1", credit_code="91420100MA4K1A2B83"
        )
    with pytest.raises(ValidationFailed, match="第17位应为“8”"):
        services.add_bidder(
            project=project, actor=buyer, name="己公司", bid_price="1", credit_code="91420100MA4K1A2B38"
        )
    assert project.bidders.count() == before
    bidder = services.add_bidder(
        project=project, actor=buyer, name="己公司", bid_price="1", credit_code=" 91420100ma4k1a2b88 "
    )
    assert bidder.credit_code == "91420100MA4K1A2B88"


@pytest.mark.django_db
def test_the_expert_admin_refuses_a_relation_with_a_bad_credit_code(pools):
    from fazhi.bidding.admin import ExpertRelationForm
    from fazhi.bidding.models import Expert

    add_experts(pools[0], 1)
    expert = Expert.objects.first()

    def form(code: str) -> ExpertRelationForm:
        data = {"expert": expert.pk, "organisation": "甲公司", "credit_code": code, "ground": "director"}
        return ExpertRelationForm(data=data)

    bad = form("91420100MA4K1A2B83")
    assert not bad.is_valid() and "第18位应为“8”" in str(bad.errors["credit_code"])
    good = form("91420100ma4k1a2b88")
    assert good.is_valid(), good.errors
    assert good.cleaned_data["credit_code"] == "91420100MA4K1A2B88"


@pytest.mark.django_db
def test_a_bid_document_is_served_to_those_who_see_the_project_and_to_nobody_else(
    buyer, supervisor, enterprise, project, make_project, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    real = SimpleUploadedFile("bid.html", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n", content_type="text/html")
    bidder = services.add_bidder(project=project, actor=buyer, name="丁公司", bid_price="1", document=real)
    url = f"/bidding/projects/{project.pk}/bidders/{bidder.pk}/document/"
    page = login(buyer).get(f"/bidding/projects/{project.pk}/").content.decode()
    assert f'href="{url}"' in page and "/media/" not in page
    for user in (buyer, supervisor):
        response = login(user).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in response["Content-Disposition"] and ".pdf" in response["Content-Disposition"]
    assert login(enterprise).get(url).status_code == 403
    other = make_project(code="OTHER-1")
    assert login(buyer).get(f"/bidding/projects/{other.pk}/bidders/{bidder.pk}/document/").status_code == 404
    assert login(buyer).get(f"/media/{bidder.document.name}").status_code == 404
