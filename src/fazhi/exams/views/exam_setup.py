"""考试设置 pages (考试管理员): a new exam and an exam's settings as a form (the blueprint as rows, each with the
number of questions the bank holds for it, updated by htmx, and the running total), publish, withdraw and
close early. The rules are the service's (services.exam_setup); this module reads the form."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core.errors import DomainError
from fazhi.core.permissions import role_required
from fazhi.exams import selectors
from fazhi.exams.models import CertificationStage, Exam, PartialCredit, QuestionType
from fazhi.exams.services import exam_format, exam_setup

ADMIN = selectors.ADMIN_ROLES
MAX_ROWS = 30  # blueprint rows on the form
BLANK_ROWS = 1  # empty rows offered below the filled ones
MAX_CANDIDATES = 2000  # accounts named on one exam
_SPLIT = re.compile(r"[\s,，、;；]+")
INPUT_TIME = "%Y-%m-%dT%H:%M"  # <input type="datetime-local">


@dataclass
class Row:
    """One blueprint row as typed (strings), with what the bank holds for it."""

    type: str = ""
    knowledge_point: str = ""
    count: str = ""
    points: str = ""
    available: int | None = None

    @property
    def blank(self) -> bool:
        return not (self.count.strip() or self.points.strip())

    @property
    def short(self) -> bool:
        """The bank holds fewer questions than the row asks for."""
        return self.available is not None and self.count.isdigit() and self.available < int(self.count)

    @property
    def subtotal(self) -> Decimal | None:
        """count × points, None when either cannot be read or the product is not a usable number
        (NaN, Infinity, or beyond Decimal's range: "1e999999999" overflowed into a 500)."""
        try:
            value = int(self.count) * Decimal(self.points)
        except (ValueError, ArithmeticError):
            return None
        return value if value.is_finite() and abs(value) <= MAX_SUBTOTAL else None


@dataclass
class Parsed:
    """The form read: `values` to show again (strings), `errors` per field, `data` for the service."""

    values: dict[str, Any]
    rows: list[Row]
    errors: dict[str, str] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)


def _local_input(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime(INPUT_TIME) if value else ""


def _rows_from(post: Any) -> list[Row]:
    try:
        n = min(int(post.get("row_count", "0")), MAX_ROWS)
    except ValueError:
        n = 0
    rows = []
    for i in range(max(n, 0)):
        rows.append(
            Row(
                type=post.get(f"row-{i}-type", "").strip(),
                knowledge_point=post.get(f"row-{i}-knowledge_point", "").strip(),
                count=post.get(f"row-{i}-count", "").strip(),
                points=post.get(f"row-{i}-points", "").strip(),
            )
        )
    return rows


def _with_available(rows: list[Row]) -> list[Row]:
    for row in rows:
        row.available = exam_setup.available(qtype=row.type, knowledge_point=row.knowledge_point)
    return rows


MAX_SUBTOTAL = (
    Decimal(10) ** 9
)  # far above any paper (a row holds at most 500 questions of at most 100 points)


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def total_context(rows: list[Row], declared: str) -> dict[str, Any]:
    """The running total of count × points (rows that cannot be read left out) against the declared total."""
    subtotals = [r.subtotal for r in rows if not r.blank]
    total = sum((s for s in subtotals if s is not None), Decimal("0"))
    try:
        matches: bool | None = Decimal(declared.strip()) == total if declared.strip() else None
    except InvalidOperation:
        matches = False
    return {"total": _number(total), "total_readable": None not in subtotals, "declared": declared.strip(),
            "matches": matches}  # fmt: skip


def _aware(text: str) -> dt.datetime | None:
    try:
        naive = dt.datetime.strptime(text.strip(), INPUT_TIME)
    except ValueError:
        return None
    return timezone.make_aware(naive)


def _keep_seconds(typed: dt.datetime, stored: dt.datetime | None) -> dt.datetime:
    """The form shows times to the minute: an unchanged minute keeps the stored time exactly."""
    if stored is not None and typed == stored.replace(second=0, microsecond=0):
        return stored
    return typed


def _candidates(text: str) -> tuple[list[Any], str]:
    names = [n for n in dict.fromkeys(_SPLIT.split(text or "")) if n]
    if len(names) > MAX_CANDIDATES:
        return [], f"指定考生最多 {MAX_CANDIDATES} 人"
    users = list(get_user_model().objects.filter(username__in=names, is_active=True))
    unknown = [n for n in names if n not in {u.username for u in users}]
    if unknown:
        shown = "、".join(n[:30] for n in unknown[:5]) + ("等" if len(unknown) > 5 else "")
        return [], f"找不到账号（或已停用）：{shown}，请核对后重新填写"
    return users, ""


def read_form(post: Any, exam: Exam | None) -> Parsed:
    """Read and check the form field by field; a started exam's locked fields come from the exam unless sent."""
    started = exam is not None and exam.attempts.exists()
    keys = ["title", "description", "certification_stage", "prerequisite", "partial_credit", "time_limit_minutes",
            "pass_mark", "total_points", "opens_at", "closes_at", "candidates"]  # fmt: skip
    values = {k: post.get(k, "") for k in keys}
    values["open_to_staff"] = post.get("open_to_staff") == "1"
    rows = _rows_from(post)
    p = Parsed(values=values, rows=rows)
    # A started exam's locked fields are shown disabled, so the browser does not send them: keep the exam's.
    old = exam if started else None
    if old is not None and all(r.blank for r in rows):
        p.rows = rows = [
            Row(r["type"], r["knowledge_point"], str(r["count"]), str(r["points"])) for r in old.blueprint
        ]
    d = p.data
    d["title"] = values["title"].strip()
    if not d["title"]:
        p.errors["title"] = "请填写考试名称"
    d["description"] = values["description"].strip()
    problem = exam_setup.description_problem(d["description"])
    if problem:
        p.errors["description"] = problem
    kept = old is not None and "certification_stage" not in post
    d["certification_stage"] = old.certification_stage if kept and old else values["certification_stage"]
    if d["certification_stage"] not in CertificationStage.values:
        p.errors["certification_stage"] = "请选择考试类别"
    d["prerequisite"] = None
    if old is not None and "prerequisite" not in post:
        d["prerequisite"] = old.prerequisite
    elif values["prerequisite"]:
        chosen = values["prerequisite"]
        d["prerequisite"] = Exam.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        if d["prerequisite"] is None:
            p.errors["prerequisite"] = "须先通过的考试不存在，请重新选择"
    kept = old is not None and "partial_credit" not in post
    d["partial_credit"] = old.partial_credit if kept and old else values["partial_credit"]
    if d["partial_credit"] not in PartialCredit.values:
        p.errors["partial_credit"] = "请选择多选题计分规则"
    for name, label, kind in [("time_limit_minutes", "考试时长", int), ("pass_mark", "及格分", Decimal),
                              ("total_points", "总分", Decimal)]:  # fmt: skip
        text = values[name].strip()
        if old is not None and name not in post:
            d[name] = getattr(old, name)
            continue
        try:
            d[name] = kind(text)
            if kind is Decimal and not d[name].is_finite():
                raise InvalidOperation
        except (ValueError, InvalidOperation):
            p.errors[name] = f"请填写{label}（数字）" if not text else f"{label}“{text[:20]}”不是有效的数字"
    for name, label in [("opens_at", "开放时间"), ("closes_at", "截止时间")]:
        if old is not None and name not in post:
            d[name] = getattr(old, name)
            continue
        when = _aware(values[name])
        if when is None:
            p.errors[name] = f"请按“年-月-日 时:分”填写{label}"
        else:
            d[name] = _keep_seconds(when, getattr(exam, name) if exam else None)
    d["open_to_staff"] = values["open_to_staff"]
    d["eligible_users"], message = _candidates(values["candidates"])
    if message:
        p.errors["candidates"] = message
    d["blueprint"] = [
        {"type": r.type, "knowledge_point": r.knowledge_point, "count": r.count, "points": r.points}
        for r in rows
        if not r.blank
    ]
    return p


def _values_of(exam: Exam) -> tuple[dict[str, Any], list[Row]]:
    values = {
        "title": exam.title,
        "description": exam.description,
        "certification_stage": exam.certification_stage,
        "prerequisite": str(exam.prerequisite_id or ""),
        "partial_credit": exam.partial_credit,
        "time_limit_minutes": str(exam.time_limit_minutes),
        "pass_mark": _number(exam.pass_mark),
        "total_points": _number(exam.total_points),
        "opens_at": _local_input(exam.opens_at),
        "closes_at": _local_input(exam.closes_at),
        "open_to_staff": exam.open_to_staff,
        "candidates": "\n".join(exam.eligible_users.order_by("username").values_list("username", flat=True)),
    }
    rows = [
        Row(r["type"], r["knowledge_point"], str(r["count"]), _number(Decimal(str(r["points"]))))
        for r in exam.blueprint
    ]
    return values, rows


def _new_values(stage: str) -> tuple[dict[str, Any], list[Row]]:
    values: dict[str, Any] = {"certification_stage": "", "partial_credit": PartialCredit.NONE,
                              "time_limit_minutes": "120", "open_to_staff": True}  # fmt: skip
    rows = [Row(type=QuestionType.SINGLE)]
    if exam_format.is_certification_exam(stage):
        pre = exam_format.prefill()
        values["certification_stage"] = stage
        values["time_limit_minutes"] = str(pre["time_limit_minutes"])
        values["pass_mark"] = _number(pre["pass_mark"])
        rows = [Row(r["type"], "", str(r["count"]), _number(Decimal(r["points"]))) for r in pre["blueprint"]]
        values["total_points"] = _number(sum((Decimal(r.points) * int(r.count) for r in rows), Decimal("0")))
    return values, rows


def _render(request: HttpRequest, exam: Exam | None, values: dict[str, Any], rows: list[Row], *,
            errors: dict[str, str] | None = None, error: str = "", status: int = 200) -> HttpResponse:  # fmt: skip
    started = exam.attempts.count() if exam is not None else 0
    if not started:
        rows = (
            rows + [Row(type=QuestionType.SINGLE) for _ in range(BLANK_ROWS)]
            if len(rows) < MAX_ROWS
            else rows
        )
    others = Exam.objects.order_by("-opens_at", "-pk")
    if exam is not None:
        others = others.exclude(pk=exam.pk)
    return render(
        request,
        "exams/exam_form.html",
        {
            "exam": exam,
            "values": values,
            "rows": _with_available(rows),
            "row_count": len(rows),
            **total_context(rows, str(values.get("total_points") or "")),
            "errors": errors or {},
            "error": error,
            "started": started,
            "locked": exam_setup.LOCKED_WHEN_STARTED.values() if started else [],
            "stages": CertificationStage.choices,
            "credits": PartialCredit.choices,
            "types": QuestionType.choices,
            "knowledge_points": exam_setup.knowledge_points(),
            "others": others.values_list("pk", "title"),
            "rule": exam_format.certification_exam_rule(),
            "status": exam_setup.status(exam) if exam else "新建",
        },
        status=status,
    )


def _save(request: HttpRequest, exam: Exam | None) -> HttpResponse:
    parsed = read_form(request.POST, exam)
    if request.POST.get("action") == "add_row":
        return _render(request, exam, parsed.values, parsed.rows + [Row(type=QuestionType.SINGLE)])
    if parsed.errors:
        return _render(request, exam, parsed.values, parsed.rows, errors=parsed.errors,
                       error="请修改标出的项目后再保存；未保存任何内容。", status=400)  # fmt: skip
    try:
        if exam is None:
            exam = exam_setup.create_exam(by=request.user, **parsed.data)
            messages.success(request, f"已新建考试“{exam.title}”（未发布）。核对无误后请点“发布”。")
        else:
            exam_setup.update_exam(exam=exam, by=request.user, **parsed.data)
            messages.success(request, f"已保存考试“{exam.title}”的设置。")
    except DomainError as exc:
        if exam is not None:
            exam.refresh_from_db()
        return _render(request, exam, parsed.values, parsed.rows, error=exc.message + "。未保存任何内容。",
                       status=exc.status)  # fmt: skip
    return redirect("exams:exam_edit", exam_id=exam.pk)


@role_required(*ADMIN)
def exam_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save(request, None)
    values, rows = _new_values(request.GET.get("certification_stage", ""))
    return _render(request, None, values, rows)


@role_required(*ADMIN)
def exam_edit(request: HttpRequest, exam_id: int) -> HttpResponse:
    exam = get_object_or_404(Exam, pk=exam_id)
    if request.method == "POST":
        return _save(request, exam)
    values, rows = _values_of(exam)
    return _render(request, exam, values, rows)


@role_required(*ADMIN)
@require_POST
def blueprint_preview(request: HttpRequest) -> HttpResponse:
    """htmx: each row's available count (swapped out of band next to the row) and the running total."""
    rows = _with_available(_rows_from(request.POST))
    context = total_context(rows, request.POST.get("total_points", ""))
    return render(request, "exams/_blueprint_preview.html", {"rows": rows, **context})


@role_required(*ADMIN)
@require_POST
def exam_action(request: HttpRequest, exam_id: int, action: str) -> HttpResponse:
    """发布 / 撤回发布 / 提前截止 (each asked to confirm on the page; the service decides if it is allowed)."""
    exam = get_object_or_404(Exam, pk=exam_id)
    act = {"publish": (exam_setup.publish_exam, "已发布"), "withdraw": (exam_setup.withdraw_exam, "已撤回发布"),
           "close": (exam_setup.close_exam, "已提前截止，不能再开考；已开考的考生按各自的截止时间作答")}  # fmt: skip
    if action not in act:
        return HttpResponse("未知操作", status=404)
    run, done = act[action]
    try:
        run(exam=exam, by=request.user)
    except DomainError as exc:
        messages.error(request, f"“{exam.title}”：{exc.message}")
    else:
        messages.success(request, f"“{exam.title}”{done}。")
    return redirect("exams:manage")
