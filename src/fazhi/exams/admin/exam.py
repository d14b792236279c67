"""学法考试 admin, exams: exam settings (checked as attempts.create_exam checks them), the format rule of the
certification exams (执法资格考试规则) and attempts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.html import format_html

from fazhi.core.errors import ValidationFailed
from fazhi.core.limits import TextLimitsAdmin
from fazhi.exams import models
from fazhi.exams.admin.permissions import EvidencePermissions, ExamAdminPermissions, _exam_admin
from fazhi.exams.services import attempts, exam_format, exam_setup, papers, prerequisites


class ExamForm(forms.ModelForm):
    class Meta:
        model = models.Exam
        fields = [
            "title", "description", "blueprint", "partial_credit", "time_limit_minutes", "pass_mark",
            "opens_at", "closes_at", "open_to_staff", "eligible_users", "is_published", "created_by",
            "certification_stage", "prerequisite",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and "certification_stage" in self.fields:
            stage = self.fields["certification_stage"]
            stage.help_text = format_html(
                "{} 新建执法资格考试时可按执法资格考试规则（{}）预填组卷规则、及格分和考试时长："
                '<a href="?certification_stage=specialised">专业法律知识考试</a> · '
                '<a href="?certification_stage=general">公共法律知识考试</a>',
                stage.help_text,
                exam_format.certification_exam_rule(),
            )

    def clean_blueprint(self) -> list[dict[str, Any]]:
        try:
            rows = papers.validate_blueprint(self.cleaned_data.get("blueprint"))
            papers.check_blueprint_feasible(rows)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from None
        return rows

    def clean_prerequisite(self) -> Any:
        prerequisite = self.cleaned_data.get("prerequisite")
        try:
            prerequisites.check_prerequisite(exam=self.instance, prerequisite=prerequisite)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from None
        return prerequisite

    def _format_changed(self, data: dict[str, Any]) -> bool:
        """A new exam, or one whose stored format or publication differs from what was sent."""
        old = self.instance
        if old.pk is None:
            return True
        return (
            data["blueprint"] != old.blueprint
            or Decimal(str(data["pass_mark"])) != old.pass_mark
            or int(data["time_limit_minutes"]) != old.time_limit_minutes
            or (data.get("certification_stage") or "") != old.certification_stage
            or bool(data.get("is_published")) != old.is_published
        )

    def clean(self) -> dict[str, Any]:
        """The same settings rules as attempts.create_exam (window, time limit, pass mark, candidates)."""
        data = super().clean() or {}
        needed = ("blueprint", "opens_at", "closes_at", "time_limit_minutes", "pass_mark", "partial_credit")
        if any(data.get(name) in (None, "") for name in needed):
            return data  # the field itself already reports what is missing or wrong
        try:
            attempts.check_exam_settings(
                rows=data["blueprint"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                time_limit_minutes=data["time_limit_minutes"],
                pass_mark=data["pass_mark"],
                partial_credit=data["partial_credit"],
                open_to_staff=bool(data.get("open_to_staff")),
                has_candidates=bool(data.get("eligible_users")),
            )
            # An exam published before the rule changed stays editable as long as its format is left alone.
            if self._format_changed(data):
                exam_format.check_certification_format(
                    stage=data.get("certification_stage") or "",
                    is_published=bool(data.get("is_published")),
                    rows=data["blueprint"],
                    pass_mark=data["pass_mark"],
                    time_limit_minutes=data["time_limit_minutes"],
                )
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from None
        return data


@admin.register(models.Exam)
class ExamAdmin(TextLimitsAdmin, ExamAdminPermissions, admin.ModelAdmin):  # type: ignore[misc]
    form = ExamForm
    text_limits = {"description": ("考试说明", exam_setup.MAX_DESCRIPTION)}  # as the exam form's
    list_display = [
        "title", "opens_at", "closes_at", "time_limit_minutes", "pass_mark", "certification_stage",
        "prerequisite", "is_published",
    ]  # fmt: skip
    list_select_related = ["prerequisite"]
    list_filter = ["certification_stage", "is_published"]
    filter_horizontal = ["eligible_users"]
    search_fields = ["title"]
    raw_id_fields = ["created_by"]  # not a drop-down of every account

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """?certification_stage=specialised|general on the add page: blueprint, pass mark and time limit from
        the 执法资格考试规则, and a note saying so."""
        initial = super().get_changeform_initial_data(request)
        if exam_format.is_certification_exam(str(initial.get("certification_stage") or "")):
            rule = exam_format.certification_exam_rule()
            initial.update(exam_format.prefill(rule))
            messages.info(
                request, f"已按执法资格考试规则预填组卷规则、及格分和考试时长：{rule}（依据：{rule.source}）"
            )
        return initial


class CertificationExamRuleForm(forms.ModelForm):
    class Meta:
        model = models.CertificationExamRule
        fields = [
            "pass_mark", "time_limit_minutes", "single_count", "single_points", "multiple_count",
            "multiple_points", "judge_count", "judge_points", "case_count", "case_points", "source", "note",
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        types = [qtype for qtype, _label, _c, _p in models.CertificationExamRule().rows()]
        try:
            exam_format.check_rule(
                counts={t: data.get(f"{t}_count") for t in types},
                points={t: data.get(f"{t}_points") for t in types},
                pass_mark=data.get("pass_mark"),
                time_limit_minutes=data.get("time_limit_minutes"),
            )
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from None
        return data


@admin.register(models.CertificationExamRule)
class CertificationExamRuleAdmin(TextLimitsAdmin, ExamAdminPermissions, admin.ModelAdmin):  # type: ignore[misc]
    """执法资格考试规则: one row, corrected here; never deleted (without it the shipped defaults apply). A change
    applies to certification exams published (or whose format is changed) afterwards."""

    form = CertificationExamRuleForm
    list_display = ["__str__", "source", "updated_at"]
    text_limits = {"note": ("说明", exam_format.MAX_RULE_NOTE)}

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _exam_admin(request) and not models.CertificationExamRule.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.Attempt)
class AttemptAdmin(EvidencePermissions, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ["exam", "user", "started_at", "submitted_at", "score", "passed", "auto_submitted"]
    list_select_related = ["exam", "user"]
    list_filter = ["exam", "passed", "auto_submitted"]
    search_fields = ["user__username", "user__display_name"]
    readonly_fields = [f.name for f in models.Attempt._meta.fields]
