"""学法考试与执法资格 figures: exams held, pass rates, training, and 执法人员占比 month by month.

执法人员占比 = certified enforcement staff ÷ staff in enforcement posts, computed by the exams app
(`services.certificates.certified_share`) on each month's last day. The unit filter matches the
staff registry's department exactly (fazhi.reports.units). Lists behind these figures name staff: personal columns are marked.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial
from typing import Any

from fazhi.reports.figures import (
    Column,
    Context,
    Figure,
    Rows,
    counted,
    figure,
    iso,
    listing,
    person,
    rate,
    unit_names,
)

Departments = (
    frozenset[str] | None
)  # the recorded department names of the chosen unit; None: the whole bureau

SECTION = "学法考试与执法资格"

EXAM_COLUMNS = [
    Column("title", "考试"),
    Column("opens", "开放时间"),
    Column("closes", "截止时间"),
    Column("submitted", "交卷人数"),
    Column("passed", "及格人数"),
]
ATTEMPT_COLUMNS = [
    Column("exam", "考试"),
    Column("user", "考生", personal="name"),
    Column("username", "账号", personal="id"),
    Column("department", "科室/单位"),
    Column("submitted", "交卷时间"),
    Column("score", "得分"),
    Column("passed", "是否及格"),
]
STAFF_COLUMNS = [
    Column("user", "姓名", personal="name"),
    Column("username", "账号", personal="id"),
    Column("department", "科室/单位"),
    Column("post", "岗位"),
    Column("certificate", "执法证编号", personal="id"),
    Column("certified", "持有效执法证"),
]
CERT_COLUMNS = [
    Column("holder", "持证人", personal="name"),
    Column("number", "证件编号", personal="id"),
    Column("department", "科室/单位"),
    Column("expires", "有效期至"),
    Column("status", "状态"),
]
QUALIFICATION_COLUMNS = [
    Column("user", "姓名", personal="name"),
    Column("department", "科室/单位"),
    Column("kind", "资格类型"),
    Column("number", "证书编号/聘任文号", personal="id"),
    Column("obtained", "取得日期"),
    Column("expires", "有效期至"),
]
TRAINING_COLUMNS = [
    Column("user", "人员", personal="name"),
    Column("department", "科室/单位"),
    Column("date", "培训日期"),
    Column("topic", "培训主题"),
    Column("hours", "学时"),
]


def _department(user: Any) -> str:
    """As the exams pages show it (fazhi.exams.selectors.department_of): the staff registry's department,
    else the account's own field."""
    from fazhi.exams.selectors import department_of

    return department_of(user)


def month_ends(ctx: Context) -> list[dt.date]:
    """Each month's last day in the year, the running month ending today; none after today."""
    out = []
    for m in range(1, 13):
        first = dt.date(ctx.year, m, 1)
        if first > ctx.today:
            break
        nxt = dt.date(ctx.year + (m == 12), m % 12 + 1, 1)
        out.append(min(nxt - dt.timedelta(days=1), ctx.today))
    return out


def _departments(ctx: Context) -> Departments:
    """The recorded department names of the chosen unit: in today's registry and in its dated history (a
    department everyone has left since still counts its people for the months they were in it)."""
    from fazhi.exams.models import StaffPostChange, StaffProfile

    if not ctx.unit_filter:
        return None
    return frozenset(unit_names(ctx, StaffProfile, "department")) | frozenset(
        unit_names(ctx, StaffPostChange, "department")
    )


def _share(on: dt.date, unit: Departments) -> tuple[int, int]:
    """(certified, enforcement staff) on the date, for the unit's departments or the whole bureau."""
    from fazhi.exams.services import certificates

    rows, total = certificates.certified_share(on)
    if unit is None:
        return total.certified, total.enforcement_staff
    chosen = [r for r in rows if r.department in unit]
    return sum(r.certified for r in chosen), sum(r.enforcement_staff for r in chosen)


def _staff_rows(on: dt.date, unit: Departments, kind: str) -> Rows:
    from fazhi.exams import selectors
    from fazhi.exams.models import EnforcementCertificate
    from fazhi.exams.services import certificates

    staff = certificates.people_behind(kind=kind, on=on)  # each with department_then: where on the date
    if unit is not None:
        staff = [s for s in staff if selectors.department_then(s) in unit]
    certified = {s.user_id for s in certificates.people_behind(kind="certified", on=on)}
    numbers: dict[int, str] = {}
    for holder, number in (
        # Certificates current on the date (one revoked since then was still the one held then).
        EnforcementCertificate.objects.filter(
            holder_id__in=[s.user_id for s in staff], issued_on__lte=on, expires_on__gte=on
        )
        .order_by("issued_on")
        .values_list("holder_id", "number")
    ):
        numbers[holder] = number
    return [
        {
            "user": person(s.user),
            "username": s.user.username,
            "department": selectors.department_then(s),
            "post": s.post,
            "certificate": numbers.get(s.user_id, "") if s.user_id in certified else "",
            "certified": "是" if s.user_id in certified else "否",
        }
        for s in staff
    ]


def _attempt_rows(attempts: list[Any]) -> Rows:
    return [
        {
            "exam": a.exam.title,
            "user": person(a.user),
            "username": a.user.username,
            "department": getattr(a, "department_then", "") or _department(a.user),  # on the day
            "submitted": iso(a.submitted_at),
            "score": f"{a.score:g}" if a.score is not None else "",
            "passed": {True: "及格", False: "不及格", None: ""}[a.passed],
        }
        for a in attempts
    ]


def _training_rows(trainings: list[Any]) -> Rows:
    return [
        {
            "user": person(t.user),
            "department": getattr(t, "department_then", "") or _department(t.user),  # on the day
            "date": iso(t.date),
            "topic": t.topic,
            "hours": f"{t.hours:g}",
        }
        for t in trainings
    ]


def _certificate_rows(certs: list[Any]) -> Rows:
    return [
        {
            "holder": person(c.holder),
            "number": c.number,
            "department": _department(c.holder),
            "expires": iso(c.expires_on),
            "status": c.get_status_display(),
        }
        for c in certs
    ]


def _valid_qualifications(on: dt.date, unit: Departments) -> Any:
    """The exams app's valid qualifications, of the staff in the unit's departments (any of its names) on
    the date: where each person was then, by the registry's dated history (read once, in the same query;
    each row carries `department_then`)."""
    from fazhi.exams import selectors

    return selectors.valid_qualifications(on, units=unit)


def _qualification_rows(on: dt.date, unit: Departments, kind: str = "") -> Rows:
    items = _valid_qualifications(on, unit).select_related("profile__user")
    if kind:
        items = items.filter(kind=kind)
    return [
        {
            "user": person(q.profile.user),
            "department": q.department_then,
            "kind": q.get_kind_display(),
            "number": q.number,
            "obtained": iso(q.obtained_on),
            "expires": iso(q.expires_on) if q.expires_on else "长期",
        }
        for q in items
    ]


def _qualifications(ctx: Context) -> list[Figure]:
    """法律专业人员 on the last day of the year (or today): people holding a valid qualification, and each kind."""
    from fazhi.exams import selectors
    from fazhi.exams.models import QualificationKind

    on, unit = ctx.year_end, _departments(ctx)
    by_kind = dict.fromkeys(QualificationKind.values, 0)
    people: set[int] = set()
    for kind, profile_id in _valid_qualifications(on, unit).values_list("kind", "profile_id"):
        by_kind[kind] += 1
        people.add(profile_id)
    counts = selectors.QualificationCounts(on=on, by_kind=by_kind, people=len(people))
    how = "法律专业资格登记：在岗人员持有效的法律职业资格、公职律师证、法律顾问聘任等"
    out = [
        figure(
            "exams.legal_specialists",
            f"法律专业人员（{iso(on)}）",
            counts.people,
            "人",
            counts.total,
            how,
            section=SECTION,
            columns=QUALIFICATION_COLUMNS,
            records=partial(_qualification_rows, on, unit),
        )
    ]
    for kind, name, n in counts.labelled():
        out.append(
            figure(
                f"exams.qualifications.{kind}",
                name if kind != "other" else "其他法律专业资格",
                n,
                "人次",
                n,
                f"{how}，资格类型为{name}",
                section=SECTION,
                columns=QUALIFICATION_COLUMNS,
                records=partial(_qualification_rows, on, unit, kind),
                chart="法律专业资格（按类型，人次）",
            )
        )
    return out


def figures(ctx: Context) -> list[Figure]:
    from django.db.models.functions import TruncDate

    from fazhi.exams.models import Attempt, CertificateStatus, EnforcementCertificate, Exam, TrainingRecord
    from fazhi.exams.selectors import department_at

    y, unit = ctx.year, _departments(ctx)
    exams = list(Exam.objects.filter(is_published=True, opens_at__year=y).order_by("opens_at", "pk"))
    attempts_qs = (
        Attempt.objects.filter(exam__in=[e.pk for e in exams], submitted_at__isnull=False)
        .select_related("exam", "user", "user__staff_profile")
        .order_by("exam__opens_at", "pk")
    )
    trainings_qs = TrainingRecord.objects.filter(date__year=y).select_related("user", "user__staff_profile")
    certs_qs = EnforcementCertificate.objects.filter(
        expires_on__year=y + 1, status=CertificateStatus.VALID
    ).select_related("holder", "holder__staff_profile")
    # An exam taken or a training attended counts in the department the person was in that day (the
    # registry's dated history), as 执法人员占比 counts each month-end; a certificate expiring next year counts
    # in today's (it is a list of what is current).
    attempts_qs = attempts_qs.annotate(
        submitted_on=TruncDate("submitted_at"), department_then=department_at("user", "submitted_on")
    )
    trainings_qs = trainings_qs.annotate(department_then=department_at("user", "date"))
    if unit is not None:
        attempts_qs = attempts_qs.filter(department_then__in=unit)
        trainings_qs = trainings_qs.filter(department_then__in=unit)
        certs_qs = certs_qs.filter(holder__staff_profile__department__in=unit)
    attempts = list(attempts_qs)
    passed = [a for a in attempts if a.passed]
    trainings = list(trainings_qs.order_by("date", "pk"))
    hours = sum((t.hours for t in trainings), Decimal("0"))
    certs_next = list(certs_qs.order_by("expires_on", "pk"))

    def exam_rows(items: list[Any]) -> Rows:
        return [
            {
                "title": e.title,
                "opens": iso(e.opens_at),
                "closes": iso(e.closes_at),
                "submitted": sum(1 for a in attempts if a.exam_id == e.pk),
                "passed": sum(1 for a in passed if a.exam_id == e.pk),
            }
            for e in items
        ]

    listed = partial(listing, section=SECTION)
    count = partial(counted, section=SECTION)
    attempt = partial(
        count, unit="人次", columns=ATTEMPT_COLUMNS, rows=_attempt_rows, chart="学法考试（人次）"
    )
    out = [
        count(
            "exams.held",
            "组织学法考试",
            exams,
            "场",
            "学法考试，按开放时间（已发布的考试）",
            columns=EXAM_COLUMNS,
            rows=exam_rows,
            note="考试不分单位；交卷与及格人数按所选单位",
        ),
        attempt(
            "exams.attempts", "参加考试（已交卷）", attempts, how="学法考试作答记录，本年度考试中已交卷的"
        ),
        attempt("exams.passed", "考试及格", passed, how="学法考试作答记录，本年度考试中已交卷且及格的"),
        listed(
            "exams.pass_rate",
            "考试及格率",
            rate(len(passed), len(attempts)),
            "%",
            attempts,
            "学法考试作答记录，及格人次 ÷ 交卷人次",
            columns=ATTEMPT_COLUMNS,
            rows=_attempt_rows,
        ),
        count(
            "exams.trainings",
            "参加法治培训",
            trainings,
            "人次",
            f"培训记录，按培训日期，共 {hours.normalize():f} 学时",
            columns=TRAINING_COLUMNS,
            rows=_training_rows,
        ),
    ]

    on_staff = partial(figure, section=SECTION, columns=STAFF_COLUMNS)
    ends = month_ends(ctx)
    # The monthly series is not compared; a comparison needs only the year-end share below.
    monthly = [] if ctx.comparing else ends
    for on in monthly:
        certified, staff = _share(on, unit)
        out.append(
            on_staff(
                f"exams.share.{on:%m}",
                f"{on.month}月末执法人员占比"
                if (on + dt.timedelta(days=1)).month != on.month
                else f"{on.month}月{on.day}日执法人员占比",
                rate(certified, staff),
                "%",
                staff,
                f"人员登记与执法证，{iso(on)}：持有效执法证 {certified} 人 ÷ 执法岗位 {staff} 人",
                records=partial(_staff_rows, on, unit, "enforcement"),
                chart="执法人员占比（按月，%）",
                chart_kind="line",
                comparable=False,  # a month's series; the year-end share below is compared
            )
        )
    if ends:
        last = ends[-1]
        certified, staff = _share(last, unit)
        out += [
            on_staff(
                "exams.share",
                f"执法人员占比（{iso(last)}）",
                rate(certified, staff),
                "%",
                staff,
                "人员登记与执法证：持有效执法证的执法岗位人员 ÷ 执法岗位人员",
                records=partial(_staff_rows, last, unit, "enforcement"),
            ),
            on_staff(
                "exams.certified",
                f"持有效执法证的执法岗位人员（{iso(last)}）",
                certified,
                "人",
                certified,
                "人员登记与执法证",
                records=partial(_staff_rows, last, unit, "certified"),
            ),
            on_staff(
                "exams.uncertified",
                f"未持有效执法证的执法岗位人员（{iso(last)}）",
                staff - certified,
                "人",
                staff - certified,
                "人员登记与执法证",
                records=partial(_staff_rows, last, unit, "uncertified"),
            ),
        ]
    out.append(
        count(
            "exams.certificates_expiring_next",
            f"{y + 1}年到期的执法证",
            certs_next,
            "本",
            f"执法证登记，有效期至{y + 1}年且当前有效",
            columns=CERT_COLUMNS,
            rows=_certificate_rows,
            comparable=False,
        )
    )
    return out + _qualifications(ctx)
