"""The project page's actions: each takes the POST, calls one service and returns the message shown after the
redirect; a domain error shows the page again with the message and what was typed (views.projects)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from fazhi.bidding import services
from fazhi.bidding.models import Bidder, CommitteeMember, Incident, Participation, Project
from fazhi.bidding.services.conflicts import member_conflicts
from fazhi.bidding.services.contracts import contract_deadline
from fazhi.bidding.services.draw import SEED_REFUSED
from fazhi.bidding.views.common import post_choice, post_date, post_datetime, post_text
from fazhi.bidding.views.corrections import CORRECTION_ACTIONS
from fazhi.bidding.views.remote import REMOTE_ACTIONS
from fazhi.core.errors import ValidationFailed


def _act_add_bidder(request: HttpRequest, project: Project) -> str:
    bidder = services.add_bidder(
        project=project,
        actor=request.user,
        name=post_text(request, "name"),
        bid_price=post_text(request, "bid_price"),
        credit_code=post_text(request, "credit_code"),
        sme_declaration=bool(request.POST.get("sme_declaration")),
        sme_size=post_text(request, "sme_size"),
        participation=post_text(request, "participation") or Participation.INDEPENDENT,
        small_share_pct=post_text(request, "small_share_pct") or "0",
        document=request.FILES.get("document"),
        declared_employees=post_text(request, "declared_employees"),
        declared_revenue=post_text(request, "declared_revenue"),
        declared_assets=post_text(request, "declared_assets"),
    )
    conflicts = [m for m, _ in member_conflicts(project)]
    extra = f"注意：{len(conflicts)} 名委员与新投标人存在回避情形，须更换。" if conflicts else ""
    return f"已登记投标人“{bidder.name}”。{extra}"


def _act_bid_bond(request: HttpRequest, project: Project) -> str:
    project = services.set_bid_bond(
        project=project, actor=request.user, bid_bond=post_text(request, "bid_bond")
    )
    if project.bid_bond is None:
        return "已清除投标保证金（不收取）。"
    return f"投标保证金已设为 {project.bid_bond:,.2f} 元。"


def _act_validity(request: HttpRequest, project: Project) -> str:
    bidder_id = post_choice(request, "bidder_id", "请选择要审查的投标人。")
    bidder = Bidder.objects.filter(project=project, pk=bidder_id).first()
    if bidder is None:
        raise ValidationFailed("投标人不存在。")
    valid = post_text(request, "valid") == "1"
    services.set_bidder_validity(
        bidder=bidder, actor=request.user, valid=valid, reason=post_text(request, "reason")
    )
    return f"已更新“{bidder.name}”的审查结论。"


def _act_draw(request: HttpRequest, project: Project) -> str:
    if post_text(request, "seed"):
        raise ValidationFailed(SEED_REFUSED)
    committee = services.draw_committee(project=project, actor=request.user)
    seed = committee.draws.values_list("seed", flat=True).first()
    return f"已随机抽取 {committee.members.count()} 名委员（种子 {seed}），已通知专家。"


def _act_replace(request: HttpRequest, project: Project) -> str:
    if post_text(request, "seed"):
        raise ValidationFailed(SEED_REFUSED)
    member = CommitteeMember.objects.filter(
        committee__project=project, pk=post_choice(request, "member_id", "请选择要更换的委员。")
    ).first()
    if member is None:
        raise ValidationFailed("委员不存在。")
    new = services.replace_member(member=member, actor=request.user, reason=post_text(request, "reason"))
    return f"席位 {new.seat} 已补抽完成。"


def _act_representative(request: HttpRequest, project: Project) -> str:
    member = CommitteeMember.objects.filter(
        committee__project=project, pk=post_choice(request, "member_id", "请选择采购人代表席位。")
    ).first()
    if member is None:
        raise ValidationFailed("席位不存在。")
    services.assign_representative(
        member=member,
        actor=request.user,
        name=post_text(request, "name"),
        username=post_text(request, "username"),
    )
    return f"席位 {member.seat} 的采购人代表已指定。"


def _act_incident(request: HttpRequest, project: Project) -> str:
    services.record_incident(
        project=project,
        actor=request.user,
        site_id=post_choice(request, "site_id", "请选择发生故障的场地。"),
        started_at=post_datetime(request, "started_at", "故障开始时间"),  # type: ignore[arg-type]
        ended_at=post_datetime(request, "ended_at", "恢复时间", required=False),
        description=post_text(request, "description"),
    )
    return "已记录故障。"


def _act_end_incident(request: HttpRequest, project: Project) -> str:
    incident_id = post_choice(request, "incident_id", "请选择故障记录。")
    incident = Incident.objects.filter(project=project, pk=incident_id).first()
    if incident is None:
        raise ValidationFailed("故障记录不存在。")
    services.end_incident(
        incident=incident,
        actor=request.user,
        ended_at=post_datetime(request, "ended_at", "恢复时间"),  # type: ignore[arg-type]
    )
    return "已记录恢复时间。"


def _act_reform(request: HttpRequest, project: Project) -> str:
    committee = services.reform_committee(
        project=project, actor=request.user, reason=post_text(request, "reason")
    )
    return f"已重新组建第 {committee.number} 届评标委员会，原委员会及其评分记录保留。"


def _act_finish(request: HttpRequest, project: Project) -> str:
    services.finish_evaluation(project=project, actor=request.user)
    return "评标已结束，结果已固定。"


def _act_submit(request: HttpRequest, project: Project) -> str:
    services.submit_report(project=project, actor=request.user)
    return "评标报告已送交采购人。"


def _act_winner(request: HttpRequest, project: Project) -> str:
    services.confirm_winner(
        project=project,
        actor=request.user,
        bidder_id=post_choice(request, "bidder_id", "请从推荐的中标候选人中选择中标人。"),
        reason=post_text(request, "reason"),
    )
    return "已确定中标人。"


def _act_contract_signed(request: HttpRequest, project: Project) -> str:
    project = services.record_contract_signed(
        project=project, actor=request.user, signed_on=post_date(request, "signed_on", "合同签订日期")
    )
    return f"已登记合同签订日期，请于 {contract_deadline(project).publish_due:%Y-%m-%d} 前公告合同。"


def _act_contract_published(request: HttpRequest, project: Project) -> str:
    services.record_contract_published(
        project=project, actor=request.user, published_on=post_date(request, "published_on", "合同公告日期")
    )
    return "已登记合同公告日期。"


ACTIONS: dict[str, Callable[[HttpRequest, Project], str]] = {
    "add-bidder": _act_add_bidder,
    "bid-bond": _act_bid_bond,
    "validity": _act_validity,
    "draw": _act_draw,
    "replace": _act_replace,
    "representative": _act_representative,
    "incident": _act_incident,
    "end-incident": _act_end_incident,
    "reform": _act_reform,
    "finish": _act_finish,
    "submit-report": _act_submit,
    "winner": _act_winner,
    "contract-signed": _act_contract_signed,
    "contract-published": _act_contract_published,
    **REMOTE_ACTIONS,
    **CORRECTION_ACTIONS,
}
