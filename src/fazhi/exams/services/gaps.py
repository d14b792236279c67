"""应考尽考: the staff in enforcement posts who hold no valid enforcement certificate on a date, with how
far each has come in the certification exams, and the Excel export of that list.

The people are exactly the uncertified staff behind 执法人员占比 (certificates.people_behind). The
certification exams are the exams marked 专业法律知识考试 or 公共法律知识考试 (Exam.certification_stage);
an attempt counts as sat when handed in on or before the date, and as passed when it also passed.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from fazhi.exams import selectors
from fazhi.exams.models import (
    Attempt,
    CertificateStatus,
    CertificationStage,
    EnforcementCertificate,
    Exam,
    StaffProfile,
)
from fazhi.exams.services import certificates

# The next step for a person, decided by the first row that applies (shown on the page as the rule).
NEXT_STEPS = [
    ("suspended", "参加复训，合格后恢复执法证", "执法证被暂扣"),
    ("specialised", "参加专业法律知识考试", "尚未通过专业法律知识考试"),
    ("general", "参加公共法律知识考试", "已通过专业法律知识考试，尚未通过公共法律知识考试"),
    ("certificate", "两门考试均已通过，办理发证或换证", "两门考试均已通过"),
]
STEP_TEXT = {key: text for key, text, _when in NEXT_STEPS}


@dataclass
class ExamProgress:
    """One person's record in one kind of certification exam, up to the date."""

    sat: int = 0  # handed-in attempts
    passed: int = 0

    @property
    def label(self) -> str:
        if self.passed:
            return "已通过"
        if self.sat:
            return f"未通过（参加 {self.sat} 次）"
        return "未参加"


@dataclass
class Gap:
    """A person in an enforcement post without a valid certificate on the date."""

    profile: StaffProfile
    certificate: EnforcementCertificate | None
    certificate_state: str  # 无执法证 / 已过期 / 暂扣 / 注销
    certificate_detail: str
    specialised: ExamProgress
    general: ExamProgress
    last_attempt: Attempt | None
    next_step: str  # a key of NEXT_STEPS

    @property
    def next_step_text(self) -> str:
        return STEP_TEXT[self.next_step]


@dataclass
class GapList:
    on: dt.date
    department: str
    enforcement_staff: int
    people: list[Gap]
    specialised_exams: list[Exam] = field(default_factory=list)
    general_exams: list[Exam] = field(default_factory=list)

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(key, next step, number of people) in the order of NEXT_STEPS."""
        return [(key, text, sum(g.next_step == key for g in self.people)) for key, text, _when in NEXT_STEPS]

    @property
    def never_sat(self) -> int:
        return sum(not g.specialised.sat and not g.general.sat for g in self.people)


def certification_gaps(*, on: dt.date | None = None, department: str = "") -> GapList:
    """应考尽考 list for the date (default today), for one department or the whole bureau."""
    on = on or timezone.localdate()
    department = (department or "").strip()
    enforcement = certificates.people_behind(kind="enforcement", department=department, on=on)
    staff = certificates.people_behind(kind="uncertified", department=department, on=on)
    ids = [s.user_id for s in staff]
    exams = list(Exam.objects.exclude(certification_stage="").order_by("-opens_at", "-pk"))
    latest_cert = _latest_certificates(ids, on)
    progress, last = _exam_progress(ids, on)
    people = []
    for s in staff:
        cert = latest_cert.get(s.user_id)
        state, detail, suspended = _describe(cert, on)
        specialised = progress.get((s.user_id, CertificationStage.SPECIALISED), ExamProgress())
        general = progress.get((s.user_id, CertificationStage.GENERAL), ExamProgress())
        if suspended:
            step = "suspended"
        elif not specialised.passed:
            step = "specialised"
        elif not general.passed:
            step = "general"
        else:
            step = "certificate"
        people.append(Gap(s, cert, state, detail, specialised, general, last.get(s.user_id), step))
    return GapList(
        on=on,
        department=department,
        enforcement_staff=len(enforcement),
        people=people,
        specialised_exams=[e for e in exams if e.certification_stage == CertificationStage.SPECIALISED],
        general_exams=[e for e in exams if e.certification_stage == CertificationStage.GENERAL],
    )


def _latest_certificates(user_ids: list[int], on: dt.date) -> dict[int, EnforcementCertificate]:
    """Each person's most recently issued certificate (issued on or before the date), with its history."""
    found: dict[int, EnforcementCertificate] = {}
    certs = (
        EnforcementCertificate.objects.filter(holder_id__in=user_ids, issued_on__lte=on)
        .prefetch_related("status_changes")
        .order_by("issued_on", "pk")
    )
    for cert in certs:
        found[cert.holder_id] = cert
    return found


def _describe(cert: EnforcementCertificate | None, on: dt.date) -> tuple[str, str, bool]:
    """(state, detail, suspended) of a person's latest certificate on the date."""
    if cert is None:
        return "无执法证", "", False
    if cert.expires_on < on:
        return "已过期", f"执法证 {cert.number}，有效期至 {cert.expires_on:%Y-%m-%d}", False
    # Within its period, a certificate that does not count is suspended or revoked on the date.
    status, entry = certificates.status_in_force(cert, on)
    since = entry.effective_on if entry is not None else cert.status_changed_on
    reason = f"：{entry.reason}" if entry is not None and entry.reason else ""
    detail = f"执法证 {cert.number}" + (f"，自 {since:%Y-%m-%d} 起" if since else "") + reason
    return CertificateStatus(status).label, detail, status == CertificateStatus.SUSPENDED


def _exam_progress(
    user_ids: list[int], on: dt.date
) -> tuple[dict[tuple[int, str], ExamProgress], dict[int, Attempt]]:
    """Per (person, stage) the attempts handed in and passed by the date, and each person's latest attempt
    at a certification exam started by the date."""
    progress: dict[tuple[int, str], ExamProgress] = {}
    last: dict[int, Attempt] = {}
    attempts = (
        Attempt.objects.filter(user_id__in=user_ids, started_at__date__lte=on)
        .exclude(exam__certification_stage="")
        .select_related("exam")
        .order_by("started_at", "pk")
    )
    for a in attempts:
        last[a.user_id] = a
        if a.submitted_at is None or timezone.localdate(a.submitted_at) > on:
            continue
        p = progress.setdefault((a.user_id, a.exam.certification_stage), ExamProgress())
        p.sat += 1
        p.passed += bool(a.passed)
    return progress, last


def attempt_summary(attempt: Attempt | None, on: dt.date) -> str:
    """A person's latest attempt in words: exam, date, score and result (as it stood on the date)."""
    if attempt is None:
        return "无"
    started = timezone.localtime(attempt.started_at)
    head = f"{attempt.exam.title}（{started:%Y-%m-%d}）"
    if attempt.submitted_at is None or timezone.localdate(attempt.submitted_at) > on:
        return f"{head}：作答中"
    result = "及格" if attempt.passed else "不及格"
    return f"{head}：{attempt.score} / {attempt.total_points} 分，{result}"


HEADERS = [
    "姓名", "账号", "科室/单位", "岗位", "执法证情况", "说明", "专业法律知识考试", "公共法律知识考试",
    "最近一次执法资格考试", "下一步",
]  # fmt: skip


def export_filename(gaps: GapList) -> str:
    return f"certification-gaps-{gaps.on:%Y-%m-%d}.xlsx"


def export_xlsx(gaps: GapList) -> bytes:
    """The list as a workbook (sheet 应考尽考名单), the date and department in its first row."""
    from openpyxl import Workbook

    from fazhi.core.spreadsheets import safe_row, sheet_text

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_text("应考尽考名单", title=True)
    scope = gaps.department or "全局"
    ws.append(safe_row(ws, [f"{scope} 未持有效执法证的执法岗位人员（统计日期 {gaps.on:%Y-%m-%d}）"]))
    ws.append(HEADERS)
    for g in gaps.people:
        user = g.profile.user
        ws.append(
            safe_row(
                ws,
                [
                    getattr(user, "display_name", "") or user.username,
                    user.username,
                    selectors.department_then(g.profile),
                    g.profile.post,
                    g.certificate_state,
                    g.certificate_detail,
                    g.specialised.label,
                    g.general.label,
                    attempt_summary(g.last_attempt, gaps.on),
                    g.next_step_text,
                ],
            )
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def as_dict(gaps: GapList) -> dict[str, Any]:
    """The list for the API."""
    return {
        "on": gaps.on,
        "department": gaps.department,
        "enforcement_staff": gaps.enforcement_staff,
        "uncertified": len(gaps.people),
        "never_sat": gaps.never_sat,
        "next_steps": [{"key": k, "text": t, "people": n} for k, t, n in gaps.counts],
        "exams": {
            "specialised": [{"exam_id": e.pk, "title": e.title} for e in gaps.specialised_exams],
            "general": [{"exam_id": e.pk, "title": e.title} for e in gaps.general_exams],
        },
        "people": [_person(g, gaps.on) for g in gaps.people],
    }


def _person(g: Gap, on: dt.date) -> dict[str, Any]:
    user, a = g.profile.user, g.last_attempt
    handed_in = a is not None and a.submitted_at is not None and timezone.localdate(a.submitted_at) <= on
    return {
        "user_id": user.pk,
        "username": user.username,
        "name": getattr(user, "display_name", "") or user.username,
        "department": selectors.department_then(g.profile),
        "post": g.profile.post,
        "certificate": {
            "state": g.certificate_state,
            "detail": g.certificate_detail,
            "number": g.certificate.number if g.certificate else None,
            "expires_on": g.certificate.expires_on if g.certificate else None,
        },
        "specialised": {
            "sat": g.specialised.sat,
            "passed": g.specialised.passed,
            "label": g.specialised.label,
        },
        "general": {"sat": g.general.sat, "passed": g.general.passed, "label": g.general.label},
        "last_attempt": None
        if a is None
        else {
            "exam_id": a.exam_id,
            "exam_title": a.exam.title,
            "stage": a.exam.certification_stage,
            "started_at": a.started_at,
            "submitted": handed_in,
            "score": float(a.score) if handed_in and a.score is not None else None,
            "passed": a.passed if handed_in else None,
        },
        "next_step": g.next_step,
        "next_step_text": g.next_step_text,
    }
