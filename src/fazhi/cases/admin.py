"""以案释法 admin: Markdown editor with a safe preview; applied articles inline."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse_lazy
from django.utils import timezone

from fazhi.cases import services
from fazhi.cases.models import AppliedArticle, Case, CaseStatus
from fazhi.core.admin_mixins import BulkTransitionMixin
from fazhi.core.limits import length_problem
from fazhi.core.permissions import has_role

MARKDOWN_FIELDS = ("facts", "dispute", "decision", "analysis", "lessons")
TEMPORARY_SUFFIX = 1_000_000  # far above any real 之N


class EditorPermissions:
    """法规科 editors (and the system administrator) manage this model in the admin."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_role(request.user, *services.EDITOR_ROLES)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_role(request.user, *services.EDITOR_ROLES)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return has_role(request.user, *services.EDITOR_ROLES)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_role(request.user, *services.EDITOR_ROLES)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_role(request.user, *services.EDITOR_ROLES)


class CaseForm(forms.ModelForm):
    source_url = forms.URLField(label="来源网址", max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Case
        fields = (
            "title", "category", "tags", "summary", "source_issuer", "source_doc_number", "source_date",
            "source_url", "source_note", *MARKDOWN_FIELDS,
        )  # fmt: skip
        widgets = {
            name: forms.Textarea(
                attrs={
                    "class": "markdown-editor",
                    "rows": 10,
                    "data-preview-url": reverse_lazy("cases:markdown_preview"),
                }
            )
            for name in MARKDOWN_FIELDS
        }

    def clean_source_date(self) -> Any:
        when = self.cleaned_data.get("source_date")
        if when and when > timezone.localdate():
            raise forms.ValidationError(f"文书日期 {when} 晚于今天，请检查。")
        return when

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        # The long texts' limits of services.TEXT_LIMITS (the API and the pages go through the service).
        for name, (label, limit) in services.TEXT_LIMITS.items():
            problem = length_problem(data.get(name), label, limit) if name in self.fields else None
            if problem:
                self.add_error(name, problem + "。")
        # A published case stays readable: the rule publish_case checks holds for every later save too.
        if self.instance.pk and self.instance.status == CaseStatus.PUBLISHED:
            problem = services.publish_problem(facts=data.get("facts"), decision=data.get("decision"))
            if problem:
                raise forms.ValidationError(
                    "该案例已发布，已发布的案例须至少填写“基本案情”或“处理结果”。"
                    "如需清空，请先用“撤回所选案例为草稿”将其撤回。"
                )
        return data


def _deleted(form: forms.BaseForm) -> bool:
    """The row's 删除 box is ticked."""
    return bool(getattr(form, "cleaned_data", {}).get(forms.formsets.DELETION_FIELD_NAME))


class AppliedArticleFormSet(forms.BaseInlineFormSet):
    """One row per article: two rows citing the same 条 (or two versions of it) are refused."""

    def clean(self) -> None:
        super().clean()
        seen: set[tuple[int, int, int]] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or _deleted(form):
                continue
            article = form.cleaned_data.get("article")
            if article is None:
                continue
            key = (article.law_id, article.number, article.suffix)
            if key in seen:
                form.add_error("article", "该条文已添加，同一条文只能添加一次。")
            seen.add(key)

    def save(self, commit: bool = True) -> Any:
        if commit:
            # Rows are saved one by one: give the rows about to be deleted or changed a temporary key
            # first, so that moving an article from one row to another never meets the old row.
            moving = [
                form.instance.pk
                for form in self.initial_forms
                if form.instance.pk and (_deleted(form) or form.has_changed())
            ]
            if moving:
                AppliedArticle.objects.filter(pk__in=moving).update(suffix=F("pk") + TEMPORARY_SUFFIX)
        return super().save(commit)


class AppliedArticleForm(forms.ModelForm):
    class Meta:
        model = AppliedArticle
        fields = ("article", "note", "order")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["article"].required = True


class AppliedArticleInline(EditorPermissions, admin.TabularInline):  # type: ignore[misc]
    model = AppliedArticle
    form = AppliedArticleForm
    formset = AppliedArticleFormSet
    raw_id_fields = ("article",)
    extra = 1


@admin.register(Case)
class CaseAdmin(BulkTransitionMixin, EditorPermissions, admin.ModelAdmin):  # type: ignore[misc]
    transition_arg = "case_id"
    transition_noun = "个案例"
    form = CaseForm
    inlines = [AppliedArticleInline]
    list_display = ("title", "category", "source_doc_number", "source_date", "status", "published_at")
    list_filter = ("status", "category")
    search_fields = ("title", "tags", "source_doc_number", "source_issuer")
    actions = ["publish", "unpublish"]
    readonly_fields = ("status", "published_at")
    fieldsets = (
        (None, {"fields": ("title", "category", "tags", "summary", "status", "published_at")}),
        (
            "来源",
            {"fields": ("source_issuer", "source_doc_number", "source_date", "source_url", "source_note")},
        ),
        ("正文（Markdown，点击“预览”查看效果）", {"fields": MARKDOWN_FIELDS}),
    )

    class Media:
        js = ("cases/markdown-editor.js",)
        css = {"all": ("cases/markdown-editor.css",)}

    def save_model(self, request: HttpRequest, obj: Case, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        with transaction.atomic():
            services.case_changed(case=form.instance)

    @admin.action(description="发布所选案例")
    def publish(self, request: HttpRequest, queryset: Any) -> None:
        self._transition(request, queryset, services.publish_case, "发布")

    @admin.action(description="撤回所选案例为草稿")
    def unpublish(self, request: HttpRequest, queryset: Any) -> None:
        self._transition(request, queryset, services.unpublish_case, "撤回")
