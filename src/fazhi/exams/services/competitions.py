"""法律竞赛: rounds of N random questions in shuffled order; first finished entry per account per round is scored."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.core import roles
from fazhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fazhi.exams.models import Audience, CompetitionEntry, CompetitionRound, Question
from fazhi.exams.services.practice import answerable_questions

MAX_DESCRIPTION = 2000  # 说明 of a 法律竞赛 (a TextField written in the admin), as an exam's 说明
GRACE_SECONDS = 5  # network latency allowance on the time limit
# Reading a question and ticking an answer takes a person at least this long; a round handed in
# faster than this per question was answered by a script (the audit ranked 10 questions in 0.23 s),
# so such a submission is refused and the entry stays open to be handed in properly.
MIN_SECONDS_PER_QUESTION = 2


def can_enter(user: Any, round_: CompetitionRound) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if round_.competition.audience == Audience.STAFF:
        return bool(user.has_role(roles.STAFF_MEMBER))
    return True


def _round(round_id: int) -> CompetitionRound:
    r = CompetitionRound.objects.select_related("competition").filter(
        pk=round_id, competition__is_published=True
    )
    found = r.first()
    if found is None:
        raise NotFound("竞赛轮次不存在")
    return found


def start_entry(*, user: Any, round_id: int, now: dt.datetime | None = None) -> CompetitionEntry:
    """Draw the caller's questions for a round (or return the unfinished entry they already have)."""
    now = now or timezone.now()
    r = _round(round_id)
    if not can_enter(user, r):
        raise PermissionDenied(
            "本竞赛仅面向本局工作人员" if r.competition.audience == Audience.STAFF else "请先登录"
        )
    if now < r.opens_at:
        raise Conflict("本轮竞赛尚未开始")
    if now >= r.closes_at:
        raise Conflict("本轮竞赛已结束")
    open_entry = _open_entry(r, user)
    if open_entry is not None:
        return open_entry
    comp = r.competition
    ids = list(answerable_questions(point_id=comp.knowledge_point_id).values_list("id", flat=True))
    if len(ids) < comp.question_count:
        raise ValidationFailed(f"题库可用试题只有 {len(ids)} 道，本竞赛每轮需要 {comp.question_count} 道")
    picks = random.SystemRandom().sample(ids, comp.question_count)  # sample order is already shuffled
    scored = not CompetitionEntry.objects.filter(round=r, user=user, scored=True).exists()
    # A double click (or a resent request) starts the round twice at once: both find no open entry.
    # The database keeps one open entry per account and round (exams_entry_one_open), so the second
    # insert fails and that request answers with the entry the first one opened, the counted one
    # included, instead of a second, uncounted paper.
    for counted in (scored, False):
        try:
            with transaction.atomic():
                return CompetitionEntry.objects.create(
                    round=r, user=user, question_ids=picks, started_at=now, scored=counted
                )
        except IntegrityError:
            open_entry = _open_entry(r, user)
            if open_entry is not None:
                return open_entry
            # Otherwise the counted entry was handed in meanwhile: this one is practice.
    raise Conflict("本轮竞赛的作答正在创建，请刷新页面后继续。")


def _open_entry(round_: CompetitionRound, user: Any) -> CompetitionEntry | None:
    """The caller's entry of this round that is not handed in yet (at most one, see the model)."""
    return CompetitionEntry.objects.filter(round=round_, user=user, finished_at__isnull=True).first()


def finish_entry(
    *, user: Any, entry_id: int, answers: dict[int, list[str]], now: dt.datetime | None = None
) -> CompetitionEntry:
    """Score an entry: correct count, then time used. Past the round's time limit nothing counts."""
    now = now or timezone.now()
    with transaction.atomic():
        entry = (
            CompetitionEntry.objects.select_for_update()
            .select_related("round__competition")
            .filter(pk=entry_id)
            .first()
        )
        if entry is None or entry.user_id != user.pk:
            raise NotFound("参赛记录不存在")
        if entry.finished_at is not None:
            raise Conflict("本次作答已提交")
        limit = entry.round.competition.time_limit_seconds
        used = (now - entry.started_at).total_seconds()
        # Never above the round's own limit, so that a round configured very short stays playable.
        fastest = min(MIN_SECONDS_PER_QUESTION * len(entry.question_ids), limit)
        if used < fastest:
            raise Conflict(
                f"提交过快：本轮 {len(entry.question_ids)} 道题至少需要 {fastest} 秒作答，"
                f"请检查答案后再提交（已用 {max(0.0, used):.0f} 秒）。"
            )
        keys = dict(Question.objects.filter(pk__in=entry.question_ids).values_list("id", "answer"))
        clean = {str(q): sorted({a.upper() for a in answers.get(q, [])}) for q in entry.question_ids}
        late = used > limit + GRACE_SECONDS
        entry.answers = clean
        entry.correct_count = (
            0 if late else sum(1 for q in entry.question_ids if clean[str(q)] == sorted(keys[q]))
        )
        entry.duration_seconds = round(min(used, float(limit)), 2)
        entry.finished_at = now
        entry.save()
    return entry


def leaderboard(round_: CompetitionRound, limit: int = 100) -> list[CompetitionEntry]:
    return list(
        CompetitionEntry.objects.filter(round=round_, scored=True, finished_at__isnull=False)
        .select_related("user")
        .order_by("-correct_count", "duration_seconds", "finished_at")[:limit]
    )


def ranked(entries: list[CompetitionEntry]) -> list[tuple[int, CompetitionEntry]]:
    """(名次, entry) for a leaderboard: the same number right in the same time is the same place
    (并列), and the next place skips as many (1, 1, 3). Everyone who runs out of time has the
    round's limit as time used, so such ties are common."""
    out: list[tuple[int, CompetitionEntry]] = []
    for i, e in enumerate(entries, start=1):
        previous = out[-1] if out else None
        same = previous is not None and (previous[1].correct_count, previous[1].duration_seconds) == (
            e.correct_count,
            e.duration_seconds,
        )
        out.append((previous[0] if previous is not None and same else i, e))
    return out
