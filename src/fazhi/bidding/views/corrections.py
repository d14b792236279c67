"""Project-page 更正 of recorded contract days, audio/video archives and 副场移交 (采购办, with a reason).

Each form shows the recorded values; a field left as shown is kept, so that a time shown to the minute does not
count as a change of its seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from fazhi.bidding import selectors, services
from fazhi.bidding.models import AvArchive, Correction, Handover, Project
from fazhi.bidding.services.common import is_manager, require_manager
from fazhi.bidding.views.common import local_input, post_choice, post_date, post_datetime, post_text


def corrections_context(project: Project, user: Any) -> dict[str, Any]:
    """The correction history the user may see, and whether they may correct the contract days."""
    return {
        "corrections": selectors.corrections(project, user),
        "contract_correctable": is_manager(user) and project.contract_signed_on is not None,
    }


def _changed_date(request: HttpRequest, name: str, label: str, current: dt.date | None) -> dt.date | None:
    """The posted date if it differs from `current`; None (keep) when left as shown or blank."""
    raw = post_text(request, name)
    if not raw or (current is not None and raw == current.isoformat()):
        return None
    return post_date(request, name, label)


def _changed_datetime(
    request: HttpRequest, name: str, label: str, current: dt.datetime | None
) -> dt.datetime | None:
    """The posted time if it differs from `current` as the form showed it (to the minute); None keeps it."""
    if current is not None and post_text(request, name) == local_input(current):
        return None
    return post_datetime(request, name, label)


def _done(correction: Correction) -> str:
    where = f"（{correction.site.name}）" if correction.site else ""
    fields = "、".join(c["label"] for c in correction.changes)
    return f"已更正{correction.get_subject_display()}{where}的{fields}，更正记录已保存。"


def _act_contract_correction(request: HttpRequest, project: Project) -> str:
    require_manager(request.user)  # before reading the form: a supervisor is refused whatever was posted
    correction = services.correct_contract(
        project=project,
        actor=request.user,
        reason=post_text(request, "reason"),
        signed_on=_changed_date(request, "signed_on", "合同签订日期", project.contract_signed_on),
        published_on=_changed_date(request, "published_on", "合同公告日期", project.contract_published_on),
    )
    return _done(correction)


def _act_av_archive_correction(request: HttpRequest, project: Project) -> str:
    require_manager(request.user)
    archive_id = post_choice(request, "archive_id", "请选择要更正的音视频存档。")
    archive = AvArchive.objects.filter(project=project, pk=archive_id).first()
    started, ended = (archive.started_at, archive.ended_at) if archive else (None, None)
    correction = services.correct_av_archive(
        project=project,
        actor=request.user,
        archive_id=archive_id,  # the service refuses an archive of another project
        reason=post_text(request, "reason"),
        reference=post_text(request, "reference"),
        started_at=_changed_datetime(request, "started_at", "录制开始时间", started),
        ended_at=_changed_datetime(request, "ended_at", "录制结束时间", ended),
    )
    return _done(correction)


def _act_handover_correction(request: HttpRequest, project: Project) -> str:
    require_manager(request.user)
    handover_id = post_choice(request, "handover_id", "请选择要更正的副场移交记录。")
    handover = Handover.objects.filter(project=project, pk=handover_id).first()
    day = handover.handed_over_on if handover else None
    correction = services.correct_handover(
        project=project,
        actor=request.user,
        handover_id=handover_id,  # the service refuses a handover of another project
        reason=post_text(request, "reason"),
        handed_over_on=_changed_date(request, "handed_over_on", "移交日期", day),
        contents=post_text(request, "contents"),
    )
    return _done(correction)


CORRECTION_ACTIONS: dict[str, Callable[[HttpRequest, Project], str]] = {
    "contract-correction": _act_contract_correction,
    "av-archive-correction": _act_av_archive_correction,
    "handover-correction": _act_handover_correction,
}
