"""Project-page parts of 远程异地评标记录: 身份核验, 音视频存档 and 副场移交 (采购办 record, 监督方 read)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from fazhi.bidding import selectors, services
from fazhi.bidding.models import IdentityMethod, IdentityResult, Project
from fazhi.bidding.services.archives import ARCHIVE_STATES, archive_required, archive_rows
from fazhi.bidding.services.common import require_manager
from fazhi.bidding.services.handovers import handover_due
from fazhi.bidding.services.identity import CHECK_STATES, identity_required, latest_checks
from fazhi.bidding.views.common import post_choice, post_date, post_datetime, post_text


def _seat_label(row: selectors.MemberRow) -> str:
    """席位 3 张三（九江市公共资源交易中心）; the seat and site alone while the names are not released."""
    name = "" if row.name == selectors.HIDDEN_NAME else f" {row.name}"
    return f"席位 {row.seat}{name}（{row.site}）"


def remote_context(project: Project, user: Any) -> dict[str, Any]:
    """身份核验 of the sitting committee and 音视频存档 per site, for 采购办 and 监督方."""
    committee = project.committees.filter(active=True).first()
    checks = latest_checks(project)
    identity = []
    if committee is not None:
        identity = [(r, checks.get(r.id)) for r in selectors.committee_rows(committee, user) if r.active]
    archives = archive_rows(project)
    return {
        "identity": identity,
        # Seats that may still be checked (not signed, no passing check yet), labelled for the form.
        "identity_pending": [
            (r, c, _seat_label(r)) for r, c in identity if not r.signed and not (c and c.passed)
        ],
        "identity_required": identity_required(),
        "identity_open": project.status in CHECK_STATES,
        "identity_methods": IdentityMethod.choices,
        "identity_results": IdentityResult.choices,
        "archives": archives,
        "archive_pending": [site for site, archive in archives if archive is None],
        "archive_open": project.status in ARCHIVE_STATES,
        "archive_required": archive_required(),
    }


def _act_identity_check(request: HttpRequest, project: Project) -> str:
    require_manager(request.user)  # before reading the form: a supervisor is refused whatever was posted
    check = services.record_identity_check(
        project=project,
        actor=request.user,
        member_id=post_choice(request, "member_id", "请选择要核验身份的委员。"),
        method=post_text(request, "method"),
        result=post_text(request, "result"),
        note=post_text(request, "note"),
        checked_at=post_datetime(request, "checked_at", "核验时间", required=False),
    )
    return f"已登记席位 {check.member.seat}（{check.site.name}）的身份核验：{check.get_result_display()}。"


def _act_av_archive(request: HttpRequest, project: Project) -> str:
    require_manager(request.user)
    archive = services.record_av_archive(
        project=project,
        actor=request.user,
        site_id=post_choice(request, "site_id", "请选择存档的场地。"),
        reference=post_text(request, "reference"),
        started_at=post_datetime(request, "started_at", "录制开始时间"),  # type: ignore[arg-type]
        ended_at=post_datetime(request, "ended_at", "录制结束时间"),  # type: ignore[arg-type]
    )
    return f"已登记{archive.site.name}的音视频存档。"


def _act_handover(request: HttpRequest, project: Project) -> str:
    require_manager(request.user)
    handover = services.record_handover(
        project=project,
        actor=request.user,
        site_id=post_choice(request, "site_id", "请选择移交资料的副场。"),
        handed_over_on=post_date(request, "handed_over_on", "移交日期"),
        contents=post_text(request, "contents"),
    )
    row = next(r for r in handover_due(project) if r.site.pk == handover.site_id)
    late = f"（已超过期限 {row.due:%Y-%m-%d}）" if row.overdue else ""
    return f"已登记{handover.site.name}的资料移交{late}。"


REMOTE_ACTIONS: dict[str, Callable[[HttpRequest, Project], str]] = {
    "identity-check": _act_identity_check,
    "av-archive": _act_av_archive,
    "handover": _act_handover,
}
