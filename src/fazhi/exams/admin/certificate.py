"""学法考试 admin, 执法证: certificates and their rule, training records (the staff registry: admin.staff)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from fazhi.core import audit
from fazhi.core.errors import ValidationFailed
from fazhi.core.limits import TextLimitsAdmin
from fazhi.exams import models
from fazhi.exams.admin.permissions import ExamAdminPermissions, _exam_admin
from fazhi.exams.services import certificate_basis, certificates, retraining


class CertificateForm(forms.ModelForm):
    """执法证. A status change follows the rules of certificates.set_status: a date, and a reason for
    暂扣/注销 (the date decides from which month 执法人员占比 counts the holder differently). A new
    certificate needs the holder's passed certification exams or a stated reason, as issue_certificate."""

    waiver_reason = forms.CharField(
        label="未在本平台考试合格的发证依据",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="仅新发证件：持证人未在本平台通过专业法律知识考试和公共法律知识考试时必填"
        "（如在其他机关组织的执法资格考试中合格，写明考试机关、时间、成绩或原证号），记入证件和审计日志。",
    )

    status_reason = forms.CharField(
        label="状态变更原因",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="改为暂扣或注销时必填，记入审计日志。",
    )

    class Meta:
        model = models.EnforcementCertificate
        fields = [
            "holder",
            "number",
            "issued_on",
            "expires_on",
            "status",
            "status_changed_on",
            "issuer",
            "note",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        expires = self.fields["expires_on"]
        expires.required = False
        rule = certificates.certificate_rule()
        expires.help_text = (
            f"留空则按执法证规则填写：发证之日起 {rule.validity_years} 年（有效期至满该年数的前一日）。"
        )

    def status_changing(self) -> bool:
        if self.instance.pk is None:
            return self.cleaned_data.get("status") != models.CertificateStatus.VALID or bool(
                self.cleaned_data.get("status_changed_on")
            )
        return bool({"status", "status_changed_on"} & set(self.changed_data))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        issued, expires = data.get("issued_on"), data.get("expires_on")
        self.expiry_rule = ""
        if issued and not expires and "expires_on" not in self.errors:
            # No expiry typed: the certificate rule sets it, and the administrator is told which rule fired.
            try:
                data["expires_on"] = expires = certificates.default_expiry(issued)
            except ValidationFailed as exc:
                self.add_error("issued_on", exc.message)
                return data
            self.instance.expires_on = expires
            self.expiry_rule = certificates.expiry_explanation(issued)
        if issued and expires:
            try:
                certificates.check_dates(issued_on=issued, expires_on=expires)
            except ValidationFailed as exc:
                self.add_error("expires_on", exc.message)
        self.waived = False
        if self.instance.pk is None and issued and data.get("holder"):
            try:
                self.instance.basis, self.waived = certificate_basis.certificate_basis(
                    holder=data["holder"], issued_on=issued, waiver_reason=data.get("waiver_reason") or ""
                )
            except ValidationFailed as exc:
                self.add_error("waiver_reason", exc.message)
        if data.get("status") and self.status_changing():
            on = data.get("status_changed_on")
            if on is None:
                self.add_error("status_changed_on", "状态变更时须填写状态变更日期（自该日起按新状态统计）。")
                return data
            try:
                certificates.check_status_change(
                    status=data["status"], on=on, comment=data.get("status_reason") or "", issued_on=issued
                )
            except ValidationFailed as exc:
                raise forms.ValidationError(exc.message) from None
        return data


@admin.register(models.EnforcementCertificate)
class EnforcementCertificateAdmin(TextLimitsAdmin, ExamAdminPermissions, admin.ModelAdmin):  # type: ignore[misc]
    form = CertificateForm
    text_limits = {"note": ("备注", certificates.MAX_NOTE)}  # as issue_certificate
    readonly_fields = ["basis", "status_history"]
    list_display = ["number", "holder", "issued_on", "expires_on", "status", "status_changed_on"]
    list_select_related = ["holder"]
    list_filter = ["status"]
    search_fields = ["number", "holder__username", "holder__display_name"]
    raw_id_fields = ["holder"]

    @admin.display(description="状态变更记录")
    def status_history(self, obj: Any) -> str:
        """The history, read-only: an entry is added by changing 状态 and 状态变更日期 above."""
        if obj is None or obj.pk is None:
            return "—"
        rows = [
            (c.effective_on.isoformat(), c.get_status_display(), c.reason or "—", str(c.recorded_by or "—"))
            for c in obj.status_changes.select_related("recorded_by").order_by("effective_on", "pk")
        ]
        if not rows:
            return "自发证之日起有效，无变更记录"
        return format_html(
            "<table><thead><tr><th>生效日期</th><th>状态</th><th>原因</th><th>登记人</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Other fields save as usual; a status change goes through certificates.set_status (audited)."""
        if getattr(form, "expiry_rule", ""):
            messages.info(request, form.expiry_rule)
        if not change and getattr(form, "waived", False):
            with transaction.atomic():
                self._save_certificate(request, obj, form, change)
                audit.record(
                    action="transition",
                    obj=obj,
                    actor=request.user,
                    comment="未在本平台通过执法资格考试，凭其他依据发证："
                    + (form.cleaned_data.get("waiver_reason") or "").strip(),
                    after={"basis": obj.basis},
                )
            return
        self._save_certificate(request, obj, form, change)

    def _save_certificate(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not form.status_changing():
            super().save_model(request, obj, form, change)
            return
        status, on = obj.status, obj.status_changed_on
        old = models.EnforcementCertificate.objects.filter(pk=obj.pk).first() if change else None
        obj.status = old.status if old else models.CertificateStatus.VALID
        obj.status_changed_on = old.status_changed_on if old else None
        super().save_model(request, obj, form, change)
        certificates.set_status(
            certificate=obj,
            status=status,
            on=on,
            comment=form.cleaned_data.get("status_reason") or "",
            by=request.user,
        )


@admin.register(models.CertificateRule)
class CertificateRuleAdmin(TextLimitsAdmin, ExamAdminPermissions, admin.ModelAdmin):  # type: ignore[misc]
    """执法证规则: one row, corrected here; it is never deleted (without it the shipped default applies)."""

    list_display = ["__str__", "source", "updated_at"]
    fields = ["validity_years", "source", "note"]
    text_limits = {"note": ("说明", certificates.MAX_RULE_NOTE)}

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _exam_admin(request) and not models.CertificateRule.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TrainingForm(forms.ModelForm):
    """培训记录. A retraining result is checked by the rules of retraining.record_training and, once saved,
    suspends or restores the person's certificates; a recorded result is not edited afterwards."""

    class Meta:
        model = models.TrainingRecord
        fields = ["user", "date", "hours", "topic", "organizer", "kind", "result"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        record = self.instance if self.instance.pk else None
        # Once a result is recorded, the person, date, type and result are read-only (not in the form).
        locked = record is not None and bool(record.result)
        try:
            data["hours"] = retraining.check_training(
                user=record.user if locked and record else data.get("user"),
                date=record.date if locked and record else data.get("date"),
                hours=data.get("hours"),
                topic=data.get("topic") or "",
                kind=record.kind if locked and record else data.get("kind") or "",
                result="" if locked else data.get("result") or "",
                record=record,
            )
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from None
        return data


@admin.register(models.TrainingRecord)
class TrainingRecordAdmin(ExamAdminPermissions, admin.ModelAdmin):  # type: ignore[misc]
    form = TrainingForm
    list_display = ["date", "user", "topic", "hours", "kind", "result", "organizer"]
    list_select_related = ["user"]
    list_filter = ["kind", "result"]
    search_fields = ["topic", "user__username", "user__display_name"]
    raw_id_fields = ["user"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A recorded result suspended or restored certificates: it stays as recorded (enter a new record).
        if obj is not None and obj.result:
            return ["user", "date", "kind", "result"]
        return []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _exam_admin(request) and not (obj is not None and obj.result)

    def get_actions(self, request: HttpRequest) -> Any:
        # Bulk delete would skip the per-record check above.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """A new record, or a result added to a retraining, goes through the retraining service."""
        result = form.cleaned_data.get("result") or ""
        if not change:
            outcome = retraining.record_training(
                user=obj.user, date=obj.date, hours=obj.hours, topic=obj.topic, organizer=obj.organizer,
                kind=obj.kind, result=result, by=request.user,
            )  # fmt: skip
            obj.pk = outcome.record.pk
        elif "result" in form.changed_data and result:
            obj.result = ""
            super().save_model(request, obj, form, change)
            outcome = retraining.set_result(record=obj, result=result, by=request.user)
        else:
            super().save_model(request, obj, form, change)
            return
        for line in outcome.messages():
            messages.info(request, line)
