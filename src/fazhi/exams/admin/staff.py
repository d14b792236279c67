"""学法考试 admin, 人员登记: the staff registry, with its 法律专业资格 inline and its history of 在岗 and
执法岗位 (services.staff)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from fazhi.core.errors import ValidationFailed
from fazhi.exams import models
from fazhi.exams.admin.permissions import ExamAdminPermissions
from fazhi.exams.admin.qualification import QualificationInline
from fazhi.exams.services import staff


class StaffProfileForm(forms.ModelForm):
    """人员登记. 在岗, 执法岗位 and 科室/单位 are kept with their history (services.staff): a new person's record
    starts on the 生效日期 (left empty: the date of the current post, else today); a change of any of them (a
    transfer, for the department) takes effect on the 生效日期 typed with it; a 生效日期 typed alone records
    the state shown above from that date (a change entered late). A department name written wrong, or a
    department renamed, is corrected with 更正科室名称 instead: no transfer, the history bears the new name.
    执法人员占比 for each past month counts the state in force at its end."""

    change_on = forms.DateField(
        label="生效日期",
        required=False,
        widget=AdminDateWidget,
        help_text="新登记：自该日起计入统计，留空则为任现岗位日期，未填任现岗位日期的为今天。"
        "修改“在岗”“执法岗位”或调动“科室/单位”时必填：自该日起按新状态统计（不能晚于今天，也不能早于该人员登记的起始日期）。",
    )
    department_correction = forms.BooleanField(
        label="更正科室名称",
        required=False,
        help_text="科室/单位登记有误或科室更名时勾选：以新名称替换原名称（变更记录一并更正），不作为调动，无需生效日期。"
        "调动到其他科室请不要勾选，并填写生效日期。",
    )
    change_reason = forms.CharField(
        label="变更原因",
        required=False,
        max_length=staff.MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如调入、调离、退休、转任执法岗位，记入变更记录和审计日志。",
    )

    class Meta:
        model = models.StaffProfile
        fields = ["user", "department", "post", "post_since", "enforcement_post", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[
                "post_since"
            ].help_text = "仅作记录：已登记人员按下方的变更记录统计，修改本项不改变统计；在岗或执法岗位的变化请连同生效日期登记。"

    def correcting(self) -> bool:
        """Whether the department's name is corrected (no transfer)."""
        return bool(self.cleaned_data.get("department_correction")) and "department" in self.changed_data

    def transferring(self) -> bool:
        """Whether the department changes as a transfer (a history entry from the 生效日期)."""
        return "department" in self.changed_data and not self.cleaned_data.get("department_correction")

    def post_changing(self) -> bool:
        """Whether a saved person gets a history entry: 在岗 or 执法岗位 changed, a transfer to another
        department, or a 生效日期 given."""
        flags = {"is_active", "enforcement_post"} & set(self.changed_data)
        return bool(flags) or self.transferring() or self.cleaned_data.get("change_on") is not None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        on, reason = data.get("change_on"), (data.get("change_reason") or "").strip()
        if self.instance.pk is None:
            self.start_on = on or data.get("post_since") or timezone.localdate()
            try:
                staff.check_start(on=self.start_on)
            except ValidationFailed as exc:
                self.add_error(
                    "change_on", exc.message + ("" if on else "（未填写生效日期，按任现岗位日期）")
                )
            return data
        if data.get("department_correction") and "department" not in self.changed_data:
            self.add_error("department_correction", "科室/单位没有修改，无需更正；请取消勾选“更正科室名称”")
            return data
        if not self.post_changing():
            if reason and not self.correcting():
                self.add_error(
                    "change_reason",
                    "在岗、执法岗位、科室和生效日期都没有改变，没有可记入的变更；请清空变更原因",
                )
            return data
        if on is None:
            self.add_error(
                "change_on",
                "修改在岗、执法岗位或调动科室时须填写生效日期（自该日起按新状态统计）；"
                "科室名称登记有误或科室更名的，请勾选“更正科室名称”。",
            )
            return data
        profile = models.StaffProfile.objects.select_related("user").get(pk=self.instance.pk)
        if self.correcting():
            profile.department = data["department"]  # checked as it will stand after the correction
        try:
            staff.check_change(
                profile=profile,
                is_active=bool(data.get("is_active")),
                enforcement_post=bool(data.get("enforcement_post")),
                on=on,
                department=data.get("department") if self.transferring() else None,
            )
        except ValidationFailed as exc:
            self.add_error("change_on", exc.message)
        return data


@admin.register(models.StaffProfile)
class StaffProfileAdmin(ExamAdminPermissions, admin.ModelAdmin):  # type: ignore[misc]
    form = StaffProfileForm
    fields = [
        "user", "department", "department_correction", "post", "post_since", "enforcement_post", "is_active",
        "change_on", "change_reason", "post_history",
    ]  # fmt: skip
    readonly_fields = ["post_history"]
    list_display = ["user", "department", "post", "enforcement_post", "post_since", "is_active"]
    list_select_related = ["user"]
    list_filter = ["department", "enforcement_post", "is_active"]
    search_fields = ["user__username", "user__display_name", "department"]
    raw_id_fields = ["user"]
    inlines = [QualificationInline]

    @admin.display(description="在岗、执法岗位与科室变更记录")
    def post_history(self, obj: Any) -> str:
        """The history, read-only: an entry is added by changing 在岗, 执法岗位 or 科室/单位 above with a
        生效日期."""
        if obj is None or obj.pk is None:
            return "—"
        rows = [
            (
                c.effective_on.isoformat(),
                c.department or obj.department,
                c.state_label,
                c.reason or "—",
                str(c.recorded_by or "—"),
            )
            for c in obj.post_changes.select_related("recorded_by").order_by("effective_on", "pk")
        ]
        if not rows:
            start = staff.record_start(obj)
            return f"无变更记录：按目前的登记自 {start:%Y-%m-%d} 起计"
        return format_html(
            '<table><thead><tr><th scope="col">生效日期</th><th scope="col">科室/单位</th>'
            '<th scope="col">状态</th><th scope="col">原因</th><th scope="col">登记人</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Other fields save as usual; a new person's first entry, a change of 在岗, 执法岗位 or 科室/单位 and a
        corrected department name go through services.staff (dated, audited)."""
        reason = form.cleaned_data.get("change_reason") or ""
        if not change:
            super().save_model(request, obj, form, change)
            staff.record_registration(profile=obj, on=form.start_on, reason=reason, by=request.user)
            return
        correcting, transferring = form.correcting(), form.transferring()
        if not form.post_changing() and not correcting:
            super().save_model(request, obj, form, change)
            return
        wanted = {"is_active": obj.is_active, "enforcement_post": obj.enforcement_post}
        department = obj.department
        old = models.StaffProfile.objects.get(pk=obj.pk)
        obj.is_active, obj.enforcement_post, obj.department = (
            old.is_active,
            old.enforcement_post,
            old.department,
        )
        super().save_model(request, obj, form, change)
        if correcting:
            staff.correct_department(profile=obj, department=department, reason=reason, by=request.user)
            if not form.post_changing():
                return
        on = form.cleaned_data["change_on"]
        entry = staff.change_post_status(
            profile=obj,
            on=on,
            reason=reason,
            by=request.user,
            department=department if transferring else None,
            **wanted,
        )
        now_state = (obj.is_active, obj.enforcement_post, obj.department)
        if now_state != (entry.is_active, entry.enforcement_post, entry.department):
            now = models.state_label(is_active=obj.is_active, enforcement_post=obj.enforcement_post)
            messages.warning(
                request,
                f"已登记自 {on:%Y-%m-%d} 起{entry.department}·{entry.state_label}；该日之后另有变更记录，"
                f"目前的状态仍为“{obj.department}·{now}”。",
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Qualifications added here are recorded as entered by the administrator."""
        for qualification in formset.save(commit=False):
            if qualification.pk is None:
                qualification.recorded_by = request.user
            qualification.save()
        for gone in formset.deleted_objects:
            gone.delete()
        formset.save_m2m()
