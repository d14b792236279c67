"""考试先后顺序: the general-law exam (公共法律知识考试) is taken after the specialised-law exam (专业法律知识考试).

Two settings on an exam, both off for exams that had none: `prerequisite` names the exam a candidate must
have passed first; an exam marked as the general-law exam without one requires a pass in any exam marked
as a specialised-law exam. A candidate who already has a paper keeps it; the rule only stops a new start.
"""

from __future__ import annotations

from typing import Any

from fazhi.core.errors import ValidationFailed
from fazhi.exams.models import Attempt, CertificationStage, Exam

SHOWN_EXAMS = 3  # specialised-law exams named in the message, the most recent first


def _passed(user: Any, exams: Any) -> bool:
    return Attempt.objects.filter(
        user_id=user.pk, exam__in=exams, submitted_at__isnull=False, passed=True
    ).exists()


def unmet_prerequisite(*, user: Any, exam: Exam) -> str:
    """The Chinese message naming the exam to pass first, or "" when the candidate may start this one."""
    if exam.prerequisite_id:
        first = exam.prerequisite
        assert first is not None
        if _passed(user, [first.pk]):
            return ""
        return f"须先通过“{first.title}”才能开始本场考试（本场考试设定的先决考试）。"
    if exam.certification_stage != CertificationStage.GENERAL:
        return ""
    specialised = Exam.objects.filter(certification_stage=CertificationStage.SPECIALISED).exclude(pk=exam.pk)
    if _passed(user, specialised):
        return ""
    titles = [f"“{t}”" for t in specialised.order_by("-opens_at", "-pk").values_list("title", flat=True)]
    if not titles:
        return (
            "本场考试为公共法律知识考试，须先通过专业法律知识考试；系统中还没有标记为专业法律知识考试的考试，"
            "请联系考试管理员。"
        )
    named = "、".join(titles[:SHOWN_EXAMS]) + ("等" if len(titles) > SHOWN_EXAMS else "")
    return f"本场考试为公共法律知识考试，须先通过专业法律知识考试（{named}）才能开始。"


def check_prerequisite(*, exam: Exam | None, prerequisite: Exam | None) -> None:
    """The rules for an exam's prerequisite (shared by create_exam and the admin form): not the exam
    itself, and no chain of prerequisites that leads back to it."""
    if prerequisite is None:
        return
    if exam is not None and exam.pk is not None and prerequisite.pk == exam.pk:
        raise ValidationFailed("须先通过的考试不能是本场考试自身")
    seen = {prerequisite.pk}
    step: Exam | None = prerequisite
    chain = [prerequisite.title]
    while step is not None and step.prerequisite_id:
        step = Exam.objects.filter(pk=step.prerequisite_id).first()
        if step is None:
            break
        chain.append(step.title)
        if exam is not None and step.pk == exam.pk:
            raise ValidationFailed(
                "须先通过的考试形成了循环："
                + " → ".join(f"“{t}”" for t in [exam.title, *chain])
                + "，考生将无法参加其中任何一场"
            )
        if step.pk in seen:  # a loop among other exams (not created by this form): stop walking it
            break
        seen.add(step.pk)
