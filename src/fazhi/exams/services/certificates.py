"""执法证: issuing (expiry from the certificate rule), status changes, expiry reminders, and 执法人员占比
(certified_share)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from fazhi.core import audit, roles
from fazhi.core.dates import cn_date
from fazhi.core.errors import ValidationFailed
from fazhi.core.limits import check_length
from fazhi.core.models import Message
from fazhi.core.services import store_messages, users_with_role
from fazhi.exams import selectors
from fazhi.exams.models import (
    CertificateRule,
    CertificateStatus,
    CertificateStatusChange,
    EnforcementCertificate,
    StaffProfile,
    TrainingRecord,
)
from fazhi.exams.services import certificate_basis

REMIND_DAYS = 60

# Statistics dates: the dashboard looks back 12 months and ahead 60 days from the date; these bounds keep
# that arithmetic inside the calendar and cover every date the bureau's records can hold.
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

MAX_NUMBER = 60  # EnforcementCertificate.number max_length
MAX_ISSUER = 200  # EnforcementCertificate.issuer max_length (SQLite does not enforce it)
MAX_NOTE = 500  # 备注 of a certificate
MAX_STATUS_REASON = 500  # 原因 of a status change (暂扣、注销…)
MAX_RULE_NOTE = 1000  # 说明 of the 执法证规则 (a TextField written in the admin): refused beyond it


def statistics_date(value: str | None) -> tuple[dt.date, str]:
    """The statistics date typed in a query string (full-width digits allowed): (the date, "") or, for
    a missing value, (today, ""), and for a bad one (today, the Chinese message saying what is wrong)."""
    if not value:
        return timezone.localdate(), ""
    text = unicodedata.normalize("NFKC", value).strip()
    shown = text if len(text) <= 20 else text[:20] + "…"
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        on = dt.date.fromisoformat(text)
    except ValueError:
        return timezone.localdate(), f"“{shown}”不是有效的日期，请按 年-月-日 填写，例如 2026-06-30"
    if not EARLIEST <= on <= LATEST:
        return timezone.localdate(), f"统计日期应在 {EARLIEST:%Y-%m-%d} 至 {LATEST:%Y-%m-%d} 之间"
    return on, ""


# --- issuing ----------------------------------------------------------------------------------------


def certificate_rule() -> CertificateRule:
    """The certificate rule in force: the administrator's row, else the shipped default (2 years)."""
    return CertificateRule.objects.filter(key="default").first() or CertificateRule()


def default_expiry(issued_on: dt.date, *, rule: CertificateRule | None = None) -> dt.date:
    """有效期至 for a certificate issued on the date: the day before the anniversary `validity_years` on
    (issued 2026-07-01, 2 years → 2028-06-30; issued on 29 February → the last day of February)."""
    years = (rule or certificate_rule()).validity_years
    if issued_on > LATEST:  # the anniversary could pass the calendar's last year (a 500 for 9999-12-31)
        raise ValidationFailed(f"发证日期 {issued_on:%Y-%m-%d} 不正确：应不晚于 {LATEST:%Y-%m-%d}")
    year = issued_on.year + years
    try:
        anniversary = issued_on.replace(year=year)
    except ValueError:  # 29 February in a common year
        anniversary = dt.date(year, 3, 1)
    return anniversary - dt.timedelta(days=1)


def expiry_explanation(issued_on: dt.date, *, rule: CertificateRule | None = None) -> str:
    """Which rule set a default expiry, in the words shown to the administrator."""
    rule = rule or certificate_rule()
    until = default_expiry(issued_on, rule=rule)
    return f"有效期至按执法证规则填写：发证之日起 {rule.validity_years} 年，至 {until:%Y-%m-%d}（依据：{rule.source}）"


def issue_certificate(
    *,
    holder: Any,
    number: str,
    issued_on: dt.date,
    expires_on: dt.date | None = None,
    issuer: str = "",
    note: str = "",
    waiver_reason: str = "",
    by: Any = None,
) -> EnforcementCertificate:
    """Issue a 执法证; without an expiry date it runs for the years of the certificate rule.

    The holder must have passed both certification exams by the date of issue, or `waiver_reason` must say
    on what else the certificate rests (certificate_basis); either is recorded as the certificate's basis."""
    number = (number or "").strip()
    if not number:
        raise ValidationFailed("请填写证件编号")
    check_length(number, "证件编号", MAX_NUMBER)
    issuer, note = (issuer or "").strip(), (note or "").strip()
    check_length(issuer, "发证机关", MAX_ISSUER)
    check_length(note, "备注", MAX_NOTE)
    if holder is None or not getattr(holder, "pk", None):
        raise ValidationFailed("请指定持证人")
    if expires_on is None:
        expires_on = default_expiry(issued_on)
    check_dates(issued_on=issued_on, expires_on=expires_on)
    basis, waived = certificate_basis.certificate_basis(
        holder=holder, issued_on=issued_on, waiver_reason=waiver_reason
    )
    with transaction.atomic():
        if EnforcementCertificate.objects.select_for_update().filter(number=number).exists():
            raise ValidationFailed(f"证件编号 {number} 已存在，请核对后重新填写")
        cert = EnforcementCertificate.objects.create(
            holder=holder,
            number=number,
            issued_on=issued_on,
            expires_on=expires_on,
            issuer=issuer,
            note=note,
            basis=basis,
        )
        if waived:
            audit.record(
                action="transition",
                obj=cert,
                actor=by,
                comment=f"未在本平台通过执法资格考试，凭其他依据发证：{waiver_reason.strip()}",
                after={"basis": basis},
            )
        return cert


# --- status -----------------------------------------------------------------------------------------


def check_status_change(*, status: str, on: dt.date, comment: str, issued_on: dt.date | None = None) -> None:
    """The rules for a status change (shared by set_status and the admin form)."""
    if status not in CertificateStatus.values:
        raise ValidationFailed(f"证件状态“{status}”无效")
    if status in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED) and not comment.strip():
        raise ValidationFailed("暂扣或注销执法证须填写原因")
    check_length(comment.strip(), "状态变更原因", MAX_STATUS_REASON)
    if issued_on is not None and on < issued_on:
        raise ValidationFailed(f"状态变更日期 {on:%Y-%m-%d} 不能早于发证日期 {issued_on:%Y-%m-%d}")


def check_dates(*, issued_on: dt.date, expires_on: dt.date) -> None:
    if issued_on > LATEST:
        raise ValidationFailed(f"发证日期 {issued_on:%Y-%m-%d} 不正确：应不晚于 {LATEST:%Y-%m-%d}")
    if expires_on < issued_on:
        raise ValidationFailed(f"有效期至 {expires_on.isoformat()} 不能早于发证日期 {issued_on.isoformat()}")


def set_status(
    *,
    certificate: EnforcementCertificate,
    status: str,
    on: dt.date | None = None,
    comment: str = "",
    by: Any = None,
    training: TrainingRecord | None = None,
) -> None:
    """Change a certificate's status (暂扣/注销/有效/过期) from a given date: a history entry (with the
    retraining result that caused it, if any), the certificate's current status (the latest entry by
    date) and an audit record."""
    on = on or timezone.localdate()
    check_status_change(status=status, on=on, comment=comment, issued_on=certificate.issued_on)
    before = certificate.status
    with transaction.atomic():
        CertificateStatusChange.objects.create(
            certificate=certificate,
            status=status,
            effective_on=on,
            reason=comment,
            recorded_by=by if getattr(by, "pk", None) else None,
            training=training,
        )
        # A change entered late for an earlier date does not override a later one already recorded.
        latest = certificate.status_changes.order_by("-effective_on", "-pk").first()
        assert latest is not None
        certificate.status = latest.status
        certificate.status_changed_on = latest.effective_on
        certificate.save(update_fields=["status", "status_changed_on"])
        audit.record(
            action="transition",
            obj=certificate,
            actor=by,
            comment=comment or f"状态改为{CertificateStatus(status).label}",
            before={"status": before},
            after={"status": certificate.status, "changed": status, "effective_on": on.isoformat()},
        )


def status_on(certificate: EnforcementCertificate, on: dt.date) -> str:
    """The certificate's status on a date, from its history (有效 before the first recorded change)."""
    entry = certificate.status_changes.filter(effective_on__lte=on).order_by("-effective_on", "-pk").first()
    return _status_then(
        status=certificate.status,
        changed_on=certificate.status_changed_on,
        entry_status=entry.status if entry is not None else None,
        has_history=entry is not None or certificate.status_changes.exists(),
        on=on,
    )


def status_in_force(
    certificate: EnforcementCertificate, on: dt.date
) -> tuple[str, CertificateStatusChange | None]:
    """The status on a date and the history entry it comes from, read from the certificate's history
    (prefetch `status_changes` to read many certificates at once)."""
    history = sorted(certificate.status_changes.all(), key=lambda c: (c.effective_on, c.pk))
    entry = next((c for c in reversed(history) if c.effective_on <= on), None)
    status = _status_then(
        status=certificate.status,
        changed_on=certificate.status_changed_on,
        entry_status=entry.status if entry is not None else None,
        has_history=bool(history),
        on=on,
    )
    return status, entry


def _status_then(
    *, status: str, changed_on: dt.date | None, entry_status: str | None, has_history: bool, on: dt.date
) -> str:
    """The status on `on`. With a history: its latest entry up to that date, 有效 before the first. Without
    one (rows written outside set_status): the certificate's own status from its status date, or on every
    date when it has none (nobody knows from when; not counting it never overstates the share)."""
    if has_history:
        return entry_status or str(CertificateStatus.VALID)
    if status == CertificateStatus.VALID or changed_on is None or changed_on <= on:
        return status
    return str(CertificateStatus.VALID)


def expire_certificates(today: dt.date | None = None) -> int:
    """Mark valid certificates past their expiry date as 过期."""
    today = today or timezone.localdate()
    n = 0
    for cert in EnforcementCertificate.objects.filter(status=CertificateStatus.VALID, expires_on__lt=today):
        set_status(
            certificate=cert,
            status=CertificateStatus.EXPIRED,
            # An old row may have an expiry before its issue date (the admin once accepted that).
            on=max(cert.expires_on, cert.issued_on),
            comment="有效期届满，自动标记为过期",
        )
        n += 1
    return n


def send_expiry_reminders(today: dt.date | None = None) -> int:
    """Notify holders (and 考试管理员) of valid certificates expiring within 60 days; once per certificate and date."""
    today = today or timezone.localdate()
    expire_certificates(today)
    due = EnforcementCertificate.objects.filter(
        status=CertificateStatus.VALID,
        expires_on__gte=today,
        expires_on__lte=today + dt.timedelta(days=REMIND_DAYS),
    ).select_related("holder")
    admins = list(users_with_role(roles.EXAM_ADMIN))
    outbox: list[Message] = []
    for cert in due:
        days = (cert.expires_on - today).days
        title = f"执法证 {cert.number} 将于 {cn_date(cert.expires_on)} 到期（还有 {days} 天）"
        body = f"持证人：{cert.holder}。请及时参加培训和换证考试，逾期证件将失效。"
        key = f"exams.cert-expiry:{cert.pk}:{cert.expires_on.isoformat()}"
        # The holder's link is to his own records; the administrators' to the certificate dashboard.
        for person, url in [(cert.holder, "/exams/me/"), *((a, "/exams/certificates/") for a in admins)]:
            outbox.append(
                Message(
                    recipient=person, title=title[:300], body=body, url=url, category="执法证", dedupe_key=key
                )
            )
    # Written in bulk, each (person, certificate, expiry date) once however often the job runs.
    return len(store_messages(outbox))


def run_daily() -> None:
    send_expiry_reminders()


# --- 执法人员占比 ------------------------------------------------------------------------------------


def _enforcement_staff(on: dt.date, department: str | None = None) -> Any:
    """The staff in an enforcement post and in post on the date, by the registry's dated history
    (selectors.staff_in_post): a person who left later still counts, one who joined later does not."""
    qs = selectors.staff_in_post(on, enforcement_post=True)
    if department:
        qs = qs.filter(department_then=department)  # where the person was on the date
    return qs


def _with_status_history(certificates: Any, on: dt.date) -> Any:
    """The certificates, each annotated with what `_status_on` needs: its latest status-history entry up to
    the date (`status_then`) and whether it has a history at all."""
    status_then = (
        CertificateStatusChange.objects.filter(certificate=OuterRef("pk"), effective_on__lte=on)
        .order_by("-effective_on", "-pk")
        .values("status")[:1]
    )
    return certificates.annotate(
        status_then=Subquery(status_then),
        has_history=Exists(CertificateStatusChange.objects.filter(certificate=OuterRef("pk"))),
    )


def _status_on(certificate: EnforcementCertificate, on: dt.date) -> str:
    """The status a certificate of `_with_status_history` had on the date: 暂扣 or 注销 as its history says,
    else 过期 once past its expiry date and 有效 up to it (the daily job's 过期 entry is dated on the last
    day of validity)."""
    then = _status_then(
        status=certificate.status,
        changed_on=certificate.status_changed_on,
        entry_status=certificate.status_then,  # type: ignore[attr-defined]
        has_history=certificate.has_history,  # type: ignore[attr-defined]
        on=on,
    )
    if then in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED):
        return then
    return str(CertificateStatus.EXPIRED if certificate.expires_on < on else CertificateStatus.VALID)


def _certified_user_ids(on: dt.date) -> set[int]:
    """Holders of a certificate in force on the date: issued and not expired, and neither suspended nor
    revoked on that date according to its status history (a suspension counts from its date and ends
    when the certificate is restored; before its first recorded change a certificate counts as valid).

    A certificate without history that is suspended or revoked without a status date counts as not valid
    on every date: only rows from before the history existed lack the date, nobody knows from when the
    suspension applies, and not counting them never overstates the share of certified staff.
    """
    held = _with_status_history(
        EnforcementCertificate.objects.filter(issued_on__lte=on, expires_on__gte=on), on
    ).only("holder_id", "status", "status_changed_on", "expires_on")
    return {c.holder_id for c in held if _status_on(c, on) == CertificateStatus.VALID}


@dataclass(frozen=True)
class CertificateThen:
    """A person's certificate as a list of a date shows it: the one in force that day, else the latest one
    issued by then, with the status it had that day."""

    certificate: EnforcementCertificate
    status: str

    @property
    def status_label(self) -> str:
        return str(CertificateStatus(self.status).label)


def certificates_on(holders: list[int], on: dt.date) -> dict[int, CertificateThen]:
    """Each holder's certificate on the date (CertificateThen); a certificate issued after the date is not
    shown on that date's list, and a holder with none issued by then has no entry."""
    found: dict[int, CertificateThen] = {}
    certificates = _with_status_history(
        EnforcementCertificate.objects.filter(holder__in=holders, issued_on__lte=on), on
    ).order_by("issued_on", "pk")
    for c in certificates:
        status = _status_on(c, on)
        held = found.get(c.holder_id)
        # A later certificate replaces the one kept unless that one is in force and the later one is not.
        if held is None or not (held.status == CertificateStatus.VALID != status):
            found[c.holder_id] = CertificateThen(c, status)
    return found


@dataclass
class ShareRow:
    department: str
    enforcement_staff: int
    certified: int

    @property
    def share(self) -> float | None:
        return round(self.certified / self.enforcement_staff, 4) if self.enforcement_staff else None


def certified_share(on: dt.date | None = None) -> tuple[list[ShareRow], ShareRow]:
    """执法人员占比 = certified staff ÷ staff in enforcement posts, by department and in total, on the date:
    the people in post and in an enforcement post that day, and the status their certificates had then."""
    on = on or timezone.localdate()
    certified = _certified_user_ids(on)
    rows: dict[str, ShareRow] = {}
    for dept, user_id in _enforcement_staff(on).values_list("department_then", "user_id"):
        row = rows.setdefault(dept, ShareRow(dept, 0, 0))
        row.enforcement_staff += 1
        row.certified += user_id in certified
    ordered = sorted(rows.values(), key=lambda r: r.department)
    total = ShareRow("合计", sum(r.enforcement_staff for r in ordered), sum(r.certified for r in ordered))
    return ordered, total


def certified_share_series(months: int = 12, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The total share at the end of each of the last `months` months (the last point is today), each
    counting the people in post on that day (certified_share)."""
    today = today or timezone.localdate()
    points = []
    y, m = today.year, today.month
    for _ in range(months):
        if y < dt.MINYEAR:  # the calendar starts at year 1: no earlier months to show
            break
        on = min(today, dt.date(y, m, calendar.monthrange(y, m)[1]))
        _rows, total = certified_share(on)
        points.append({"date": on.isoformat(), "label": f"{y:04d}-{m:02d}", "share": total.share,
                       "certified": total.certified, "enforcement_staff": total.enforcement_staff})  # fmt: skip
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return list(reversed(points))


def people_behind(*, kind: str, department: str = "", on: dt.date | None = None) -> list[StaffProfile]:
    """The staff behind a number: kind = enforcement (all), certified, or uncertified."""
    if kind not in ("enforcement", "certified", "uncertified"):
        raise ValidationFailed("名单类型无效：请从执法人员占比页面上的数字或“未持证名单”链接进入")
    on = on or timezone.localdate()
    certified = _certified_user_ids(on)
    staff = list(_enforcement_staff(on, department or None).select_related("user"))
    if kind == "certified":
        return [s for s in staff if s.user_id in certified]
    if kind == "uncertified":
        return [s for s in staff if s.user_id not in certified]
    return staff
