"""Results and item analysis (correct rate, discrimination index) and the Excel export.

Item analysis counts each candidate's answer to a question once, in one of three outcomes: 答对 (full
points), 部分得分 (some but not all points: a multiple-choice answer with correct options missing, under
the exam's partial-credit rule) and 答错 (no points, unanswered included). The correct rate is the share
fully correct.

The discrimination index (区分度) is Kelley's upper-lower index: D = p(upper 27 %) − p(lower 27 %), the
share fully correct among the highest-scoring 27 % of the handed-in papers minus that among the lowest
27 % (T. L. Kelley, "The selection of upper and lower groups for the validation of test items", Journal
of Educational Psychology 30, 1939). It is not computed ("无法计算", None in the data) for fewer than
MIN_CANDIDATES handed-in papers: with one paper both groups are the same person and D would read 0.0,
and below ten papers each group has fewer than three people, so D only moves in steps of a third or more.
The 0.2 review threshold shown with it is Ebel's (R. L. Ebel, Essentials of Educational Measurement).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Max, Min, Q, QuerySet, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from fazhi.exams.models import Answer, Attempt, Exam, Question
from fazhi.exams.selectors import department_at, department_shown

UPPER_LOWER_SHARE = 0.27  # Kelley's upper/lower 27% groups
MIN_CANDIDATES = 10  # handed-in papers needed for the discrimination index: groups of at least 3
NOT_COMPUTED = "无法计算"


def discrimination_method() -> str:
    """How 区分度 is computed and when it is not, in the words shown with the results."""
    return (
        f"区分度 = 高分组（得分前 27%）完全答对率 − 低分组（后 27%）完全答对率（Kelley 上下 27% 分组法）；"
        f"交卷不足 {MIN_CANDIDATES} 人时分组过小，显示“{NOT_COMPUTED}”。低于 0.2 的题目建议复核（Ebel 标准）。"
    )


@dataclass
class QuestionStat:
    question_id: int
    type: str
    stem: str
    answered: int
    correct: int  # 答对: full points
    correct_rate: float | None
    discrimination: float | None  # None: 无法计算 (see discrimination_note)
    partial: int = 0  # 部分得分: some but not all points
    wrong: int = 0  # 答错: no points, unanswered included
    discrimination_note: str = ""  # why the index was not computed, "" when it was

    @property
    def discrimination_shown(self) -> float | str:
        return self.discrimination if self.discrimination is not None else NOT_COMPUTED


DEPARTMENT_HEADER = "部门（考试当日）"
DEPARTMENT_NOTE = (
    "部门为考生考试当日（交卷之日，未交卷的为开考之日）在人员登记中的科室/单位；"
    "此后调动的，括号内注明现科室，如“综合科（现：法规科）”；已不在岗的注明“（现已不在岗）”。"
)


def with_departments(attempts: QuerySet[Attempt]) -> QuerySet[Attempt]:
    """The attempts, each with `department_then`: the candidate's department on the day of the sitting (the
    day the paper was handed in, or started for one not handed in), by the staff registry's dated history,
    read in the same query (selectors.department_at). Show it with department_shown."""
    return attempts.annotate(
        sat_on=TruncDate(Coalesce("submitted_at", "started_at")),
        department_then=department_at("user", "sat_on"),
    )


def department_of_attempt(attempt: Attempt) -> str:
    """The department of an attempt of with_departments, as the results page and the export show it."""
    return department_shown(getattr(attempt, "department_then", ""), attempt.user)


def submitted_attempts(exam: Exam, *, departments: bool = False) -> list[Attempt]:
    """The handed-in attempts, best first; with `departments`, each with its `department_then`
    (with_departments)."""
    qs = Attempt.objects.filter(exam=exam, submitted_at__isnull=False)
    if departments:
        qs = with_departments(qs.select_related("user__staff_profile"))
    return list(qs.select_related("user").order_by("-score", "submitted_at"))


def question_stats(exam: Exam) -> list[QuestionStat]:
    """Per question: how many candidates had it, how many earned full, partial and no points, the share
    fully correct, and D = p(upper 27%) − p(lower 27%) when there are enough papers (MIN_CANDIDATES)."""
    attempts = submitted_attempts(exam)
    if not attempts:
        return []
    enough = len(attempts) >= MIN_CANDIDATES
    k = max(1, round(len(attempts) * UPPER_LOWER_SHARE))
    upper = {a.pk for a in attempts[:k]} if enough else set()
    lower = {a.pk for a in attempts[-k:]} if enough else set()
    tally: dict[int, dict[str, int]] = {}
    rows = Answer.objects.filter(attempt__in=[a.pk for a in attempts]).values_list(
        "attempt_id", "question_id", "is_correct", "score"
    )
    for attempt_id, qid, ok, score in rows:
        t = tally.setdefault(qid, {"n": 0, "c": 0, "p": 0, "un": 0, "uc": 0, "ln": 0, "lc": 0})
        t["n"] += 1
        t["c"] += bool(ok)
        t["p"] += not ok and bool(score)
        if attempt_id in upper:
            t["un"] += 1
            t["uc"] += bool(ok)
        if attempt_id in lower:
            t["ln"] += 1
            t["lc"] += bool(ok)
    questions = Question.objects.in_bulk(list(tally))
    out = []
    for qid, t in tally.items():
        q = questions[qid]
        disc, note = None, ""
        if not enough:
            note = f"交卷 {len(attempts)} 人，少于 {MIN_CANDIDATES} 人"
        elif t["un"] and t["ln"]:
            disc = round(t["uc"] / t["un"] - t["lc"] / t["ln"], 3)
        else:
            note = "高分组或低分组中无人抽到本题"
        out.append(
            QuestionStat(
                question_id=qid,
                type=q.get_type_display(),
                stem=q.stem,
                answered=t["n"],
                correct=t["c"],
                correct_rate=round(t["c"] / t["n"], 3) if t["n"] else None,
                discrimination=disc,
                partial=t["p"],
                wrong=t["n"] - t["c"] - t["p"],
                discrimination_note=note,
            )
        )
    out.sort(key=lambda s: (s.correct_rate if s.correct_rate is not None else 2, s.question_id))
    return out


def summaries(exams: list[Exam]) -> dict[int, dict[str, Any]]:
    """Each exam's figures (started, submitted, passed, pass rate, average, highest and lowest score of the
    submitted attempts, a missing score counting 0), one query for them all."""
    submitted = Q(attempts__submitted_at__isnull=False)
    score = Coalesce("attempts__score", Value(Decimal(0)))
    rows = (
        Exam.objects.filter(pk__in=[e.pk for e in exams])
        .annotate(
            n_started=Count("attempts"),
            n_submitted=Count("attempts", filter=submitted),
            n_passed=Count("attempts", filter=submitted & Q(attempts__passed=True)),
            avg_score=Avg(score, filter=submitted),
            max_score=Max(score, filter=submitted),
            min_score=Min(score, filter=submitted),
        )
        .values_list("pk", "n_started", "n_submitted", "n_passed", "avg_score", "max_score", "min_score")
    )
    return {
        pk: {
            "started": started,
            "submitted": done,
            "passed": passed,
            "pass_rate": round(passed / done, 3) if done else None,
            "average": round(float(avg), 2) if done else None,
            "highest": float(high) if done else None,
            "lowest": float(low) if done else None,
        }
        for pk, started, done, passed, avg, high, low in rows
    }


def summary(exam: Exam) -> dict[str, Any]:
    return summaries([exam])[exam.pk]


def export_xlsx(exam: Exam) -> bytes:
    """Workbook with the results sheet (成绩) and the item analysis (试题分析)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    from fazhi.core.spreadsheets import safe_row, sheet_text

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_text("成绩", title=True)
    ws.append(
        [
            "账号",
            "姓名",
            DEPARTMENT_HEADER,
            "开始时间",
            "交卷时间",
            "超时自动交卷",
            "得分",
            "总分",
            "是否及格",
        ]
    )
    ws["C1"].comment = Comment(DEPARTMENT_NOTE, "fazhi")
    attempts = with_departments(
        Attempt.objects.filter(exam=exam).select_related("user", "user__staff_profile")
    )
    for a in attempts.order_by("user__username"):
        ws.append(
            safe_row(
                ws,
                [
                    a.user.username,
                    a.user.display_name,
                    department_of_attempt(a),
                    timezone.localtime(a.started_at).strftime("%Y-%m-%d %H:%M:%S"),
                    timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M:%S")
                    if a.submitted_at
                    else "未交卷",
                    "是" if a.auto_submitted else "否",
                    float(a.score) if a.score is not None else None,
                    float(a.total_points),
                    {True: "及格", False: "不及格", None: ""}[a.passed],
                ],
            )
        )
    ws2 = wb.create_sheet(sheet_text("试题分析", title=True))
    ws2.append(
        [
            "试题ID",
            "题型",
            "题干",
            "作答人数",
            "答对人数",
            "部分得分人数",
            "答错人数",
            "正确率",
            "区分度",
            "说明",
        ]
    )
    for s in question_stats(exam):
        ws2.append(
            safe_row(
                ws2,
                [
                    s.question_id,
                    s.type,
                    s.stem[:200],
                    s.answered,
                    s.correct,
                    s.partial,
                    s.wrong,
                    s.correct_rate,
                    s.discrimination_shown,
                    s.discrimination_note,
                ],
            )
        )
    ws2.append([])
    ws2.append(safe_row(ws2, [discrimination_method()]))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
