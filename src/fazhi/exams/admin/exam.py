"""学法考试 admin, exams: exam settings (checked as attempts.create_exam checks them) and attempts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from fazhi.core.errors import ValidationFailed
from fazhi.exams import models
from fazhi.exams.admin.permissions import EvidencePermissions, ExamAdminPermissions
from fazhi.exams.services import attempts, papers, prerequisites


class ExamForm(forms.ModelForm):
    class Meta:
        model = models.Exam
        fields = [
            "title", "description", "blueprint", "partial_credit", "time_limit_minutes", "pass_mark",
            "opens_at", "closes_at", "open_to_staff", "eligible_users", "is_published", "created_by",
            "certification_stage", "prerequisite",
        ]  # fmt: skip

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
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from None
        return data


@admin.register(models.Exam)
class ExamAdmin(ExamAdminPermissions, admin.ModelAdmin):  # type: ignore[misc]
    form = ExamForm
    list_display = [
        "title", "opens_at", "closes_at", "time_limit_minutes", "pass_mark", "certification_stage",
        "prerequisite", "is_published",
    ]  # fmt: skip
    list_select_related = ["prerequisite"]
    list_filter = ["certification_stage", "is_published"]
    filter_horizontal = ["eligible_users"]
    search_fields = ["title"]
    raw_id_fields = ["created_by"]  # not a drop-down of every account


@admin.register(models.Attempt)
class AttemptAdmin(EvidencePermissions, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ["exam", "user", "started_at", "submitted_at", "score", "passed", "auto_submitted"]
    list_select_related = ["exam", "user"]
    list_filter = ["exam", "passed", "auto_submitted"]
    search_fields = ["user__username", "user__display_name"]
    readonly_fields = [f.name for f in models.Attempt._meta.fields]
