"""公平竞争审查: the drafting unit reviews a policy measure against the standards before it is issued.

DOMAIN.md (公平竞争审查条例, 2024): a measure touching market activity is not issued without the review
(Art 18); one that restricts competition may still be issued only under an Art 12 exception: the reason it
falls under one of the article's four grounds, why there is no alternative less harmful to fair competition,
and "合理的实施期限或者终止条件" — a term (an end date, reminded before it passes) or an end condition, at
least one (the article's own words, checked against the 条例's text in the law library; "对实现政策目的不可
或缺" was the test of the earlier 实施细则 and is not asked). A measure that
fails the standards is revised, so the conclusions recorded here are 不涉及, 符合 or 适用例外. The review is
the drafter's (起草单位自我审查); the legality reviewer sees it on the draft. What blocks publication is in
`selectors.fair_competition_problem`; reminders before an exception's term ends are in `reminders`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.core import audit, roles
from fazhi.core.dates import cn_date
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.limits import check_length
from fazhi.review import selectors, services
from fazhi.review.models import Draft, ExceptionGround, FairCompetitionReview, FairConclusion, State

OPEN_STATES = (State.DRAFTING, State.RETURNED, State.SUBMITTED, State.IN_REVIEW, State.APPROVED)
MAX_TEXT = 5000


def _choice(value: str, choices: list[tuple[str, str]], what: str) -> str:
    value = (value or "").strip()
    for code, label in choices:
        if value in (code, label):
            return code
    names = "、".join(label for _, label in choices)
    raise ValidationFailed(f"{what}“{value}”无效，可选：{names}。")


def _text(value: str, what: str, missing: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(missing)
    return check_length(value, what, MAX_TEXT)


def can_record(user: Any, draft: Draft) -> bool:
    return draft.state in OPEN_STATES and services._acts_as(user, draft, {roles.DRAFTER})


def record(
    *,
    user: Any,
    draft_id: int,
    conclusion: str,
    reviewed_on: dt.date | None,
    summary: str,
    exception_ground: str = "",
    necessity: str = "",
    alternatives: str = "",
    ends_on: dt.date | None = None,
    end_condition: str = "",
) -> FairCompetitionReview:
    """Record the review of the draft's latest version; the conclusion also says whether the draft is a
    measure on market activity (and so whether publication needs it)."""
    code = _choice(conclusion, FairConclusion.choices, "审查结论")
    if reviewed_on is None:
        raise ValidationFailed("请填写审查日期。")
    if reviewed_on > selectors.today():
        raise ValidationFailed("审查日期不能晚于今天。")
    summary = _text(summary, "审查情况", "请填写审查情况（对照审查标准逐项审查的情况，不涉及的说明理由）。")
    exception: dict[str, Any] = {}
    if code == FairConclusion.EXCEPTION:
        if not (exception_ground or "").strip():
            raise ValidationFailed("适用例外规定的，请选择《公平竞争审查条例》第十二条规定的例外情形。")
        exception = {
            "exception_ground": _choice(exception_ground, ExceptionGround.choices, "例外情形"),
            "necessity": _text(
                necessity, "适用例外情形的理由", "适用例外规定的，请说明该措施属于所选例外情形的理由。"
            ),
            "alternatives": _text(
                alternatives, "替代方案说明", "适用例外规定的，请说明没有对公平竞争影响更小的替代方案。"
            ),
        }
        condition = (end_condition or "").strip()
        if ends_on is None and not condition:
            raise ValidationFailed(
                "适用例外规定的，须确定合理的实施期限或者终止条件（《公平竞争审查条例》第十二条），至少填写一项。"
            )
        if ends_on is not None and ends_on <= reviewed_on:
            raise ValidationFailed(
                f"例外实施期限（{cn_date(ends_on)}）应晚于审查日期（{cn_date(reviewed_on)}）。"
            )
        if condition:
            exception["end_condition"] = _text(condition, "终止条件", "")
        exception["ends_on"] = ends_on
    elif (
        (exception_ground or "").strip()
        or (necessity or "").strip()
        or (alternatives or "").strip()
        or ends_on
        or (end_condition or "").strip()
    ):
        raise ValidationFailed(
            "只有审查结论为“适用例外规定”时，才填写例外情形、理由、替代方案和实施期限或终止条件。"
        )
    with transaction.atomic():
        draft = services._lock(draft_id)
        services._require_owner_drafter(user, draft, "登记公平竞争审查")
        if draft.state not in OPEN_STATES:
            raise Conflict(f"文稿当前状态为“{draft.get_state_display()}”，不能再登记公平竞争审查。")
        registered = timezone.localdate(draft.created_at)
        earliest = registered - dt.timedelta(days=services.PROCEDURE_LOOKBACK_DAYS)
        if reviewed_on < earliest:
            raise ValidationFailed(
                f"审查日期（{cn_date(reviewed_on)}）早于文稿登记日期（{cn_date(registered)}）一年以上，请核对日期。"
            )
        latest = selectors.latest_version(draft)
        if latest is None:
            raise Conflict("该文稿尚未上传任何版本，请先上传文稿再进行公平竞争审查。")
        grounds = selectors.market_grounds(draft) if code == FairConclusion.NOT_INVOLVED else []
        if grounds:
            raise ValidationFailed(
                f"{'；'.join(grounds)}，审查结论不能为“不涉及”，请对照审查标准逐项审查后选择“符合审查标准”或“适用例外规定”。"
            )
        item = FairCompetitionReview.objects.create(
            draft=draft,
            version_number=latest.number,
            conclusion=code,
            reviewed_on=reviewed_on,
            summary=summary,
            recorded_by=user,
            **exception,
        )
        before = draft.affects_market
        draft.affects_market = code != FairConclusion.NOT_INVOLVED
        draft.save(update_fields=["affects_market", "updated_at"])
        audit.record(
            action="fair_competition_review",
            obj=draft,
            comment=f"公平竞争审查（第{latest.number}稿）：{item.get_conclusion_display()}",
            before={"affects_market": before},
            after={"affects_market": draft.affects_market, "conclusion": item.get_conclusion_display()},
            actor=user,
        )
    return item
