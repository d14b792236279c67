"""学法考试 admin (zh-hans): question bank, exams, competitions, staff registry, certificates, training."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from fazhi.core.errors import ValidationFailed
from fazhi.exams import models
from fazhi.exams.services import bank, papers


class QuestionForm(forms.ModelForm):
    class Meta:
        model = models.Question
        fields = [
            "type", "stem", "options", "answer", "explanation", "difficulty", "knowledge_points",
            "law", "articles", "parent", "position", "source", "is_active",
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("type") and data.get("type") != models.QuestionType.CASE:
            try:
                cleaned = bank.clean_question({**data, "knowledge_points": []}, allow_case=True)
            except ValidationFailed as exc:
                raise forms.ValidationError(exc.message) from None
            data["options"], data["answer"] = cleaned["options"], cleaned["answer"]
        fp = models.bank.fingerprint(data.get("stem") or "", data.get("options") or {})
        dup = models.Question.objects.filter(parent__isnull=True, fingerprint=fp).exclude(pk=self.instance.pk)
        if not data.get("parent") and dup.exists():
            raise forms.ValidationError("题库中已有相同的试题（题干和选项相同）")
        return data


class SubQuestionInline(admin.StackedInline):
    model = models.Question
    fk_name = "parent"
    extra = 0
    fields = ["type", "position", "stem", "options", "answer", "explanation"]
    verbose_name = "小题"
    verbose_name_plural = "案例小题"


@admin.register(models.Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionForm
    list_display = ["id", "type", "short_stem", "difficulty", "source", "is_active"]
    list_filter = ["type", "is_active", "difficulty", "knowledge_points"]
    search_fields = ["stem", "source"]
    filter_horizontal = ["knowledge_points"]
    raw_id_fields = ["law", "articles", "parent"]
    inlines = [SubQuestionInline]

    def get_queryset(self, request: Any) -> Any:
        return super().get_queryset(request).filter(parent__isnull=True)

    @admin.display(description="题干")
    def short_stem(self, obj: models.Question) -> str:
        return obj.stem[:60]


@admin.register(models.KnowledgePoint)
class KnowledgePointAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class ExamForm(forms.ModelForm):
    class Meta:
        model = models.Exam
        fields = [
            "title", "description", "blueprint", "partial_credit", "time_limit_minutes", "pass_mark",
            "opens_at", "closes_at", "open_to_staff", "eligible_users", "is_published", "created_by",
        ]  # fmt: skip

    def clean_blueprint(self) -> list[dict[str, Any]]:
        try:
            rows = papers.validate_blueprint(self.cleaned_data.get("blueprint"))
            papers.check_blueprint_feasible(rows)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from None
        return rows


@admin.register(models.Exam)
class ExamAdmin(admin.ModelAdmin):
    form = ExamForm
    list_display = ["title", "opens_at", "closes_at", "time_limit_minutes", "pass_mark", "is_published"]
    filter_horizontal = ["eligible_users"]
    search_fields = ["title"]


@admin.register(models.Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["exam", "user", "started_at", "submitted_at", "score", "passed", "auto_submitted"]
    list_filter = ["exam", "passed", "auto_submitted"]
    search_fields = ["user__username", "user__display_name"]
    readonly_fields = [f.name for f in models.Attempt._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class RoundInline(admin.TabularInline):
    model = models.CompetitionRound
    extra = 1


@admin.register(models.Competition)
class CompetitionAdmin(admin.ModelAdmin):
    list_display = ["title", "audience", "question_count", "time_limit_seconds", "is_published"]
    inlines = [RoundInline]


@admin.register(models.CompetitionEntry)
class CompetitionEntryAdmin(admin.ModelAdmin):
    list_display = ["round", "user", "correct_count", "duration_seconds", "scored", "finished_at"]
    list_filter = ["round", "scored"]

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(models.StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "department", "post", "enforcement_post", "post_since", "is_active"]
    list_filter = ["department", "enforcement_post", "is_active"]
    search_fields = ["user__username", "user__display_name", "department"]
    raw_id_fields = ["user"]


@admin.register(models.EnforcementCertificate)
class EnforcementCertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "holder", "issued_on", "expires_on", "status", "status_changed_on"]
    list_filter = ["status"]
    search_fields = ["number", "holder__username", "holder__display_name"]
    raw_id_fields = ["holder"]


@admin.register(models.TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):
    list_display = ["date", "user", "topic", "hours", "organizer"]
    search_fields = ["topic", "user__username", "user__display_name"]
    raw_id_fields = ["user"]
