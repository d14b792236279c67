"""学法考试 admin, question bank: questions with their case sub-questions, and knowledge points."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from fazhi.core.errors import ValidationFailed
from fazhi.core.limits import TextLimitsAdmin
from fazhi.exams import models
from fazhi.exams.admin.permissions import ExamAdminPermissions
from fazhi.exams.services import bank


def _question_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The form fields bank.clean_question checks (links such as law and articles are model objects here)."""
    keys = ("type", "stem", "options", "answer", "explanation", "difficulty", "source")
    return {k: data.get(k) for k in keys}


class QuestionForm(forms.ModelForm):
    class Meta:
        model = models.Question
        fields = [
            "type", "stem", "options", "answer", "explanation", "difficulty", "knowledge_points",
            "law", "articles", "parent", "position", "source", "is_active",
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("type"):
            # A 案例题's own 题干 and 解析 are held to the bank's limits too; its sub-questions are checked
            # in their rows (SubQuestionForm), so they are not looked for here.
            try:
                cleaned = bank.clean_question(
                    _question_fields(data), allow_case=True, sub_questions_apart=True
                )
            except ValidationFailed as exc:
                raise forms.ValidationError(exc.message) from None
            if data["type"] != models.QuestionType.CASE:
                data["options"], data["answer"] = cleaned["options"], cleaned["answer"]
        fp = models.bank.fingerprint(data.get("stem") or "", data.get("options") or {})
        dup = models.Question.objects.filter(parent__isnull=True, fingerprint=fp).exclude(pk=self.instance.pk)
        if not data.get("parent") and dup.exists():
            raise forms.ValidationError("题库中已有相同的试题（题干和选项相同）")
        return data


class SubQuestionForm(forms.ModelForm):
    """A case's sub-question, checked by the same rules as an imported one (bank.clean_question)."""

    class Meta:
        model = models.Question
        fields = ["type", "position", "stem", "options", "answer", "explanation"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            cleaned = bank.clean_question(_question_fields(data), allow_case=False)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from None
        data["options"], data["answer"] = cleaned["options"], cleaned["answer"]
        return data


class SubQuestionInline(ExamAdminPermissions, admin.StackedInline):  # type: ignore[misc]
    model = models.Question
    form = SubQuestionForm
    fk_name = "parent"
    extra = 0
    fields = ["type", "position", "stem", "options", "answer", "explanation"]
    verbose_name = "小题"
    verbose_name_plural = "案例小题"


@admin.register(models.Question)
class QuestionAdmin(ExamAdminPermissions, admin.ModelAdmin):  # type: ignore[misc]
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
class KnowledgePointAdmin(TextLimitsAdmin, ExamAdminPermissions, admin.ModelAdmin):  # type: ignore[misc]
    search_fields = ["name"]
    text_limits = {"description": ("说明", bank.MAX_POINT_DESCRIPTION)}
