"""法规库 admin (zh-hans): browse laws, versions and articles; add a law from text; correct a status.

Texts and statuses change only through fazhi.laws.services (parsing, indexing, audit with a reason),
so the generic change forms are read-only and the two write paths are custom admin views.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from fazhi.core.errors import DomainError
from fazhi.core.permissions import has_role
from fazhi.laws import services
from fazhi.laws.forms import AddLawForm, CorrectStatusForm
from fazhi.laws.models import Article, Law, LawVersion


def _editor(request: HttpRequest) -> bool:
    return has_role(request.user, *services.EDITOR_ROLES)


class EditorOnlyAdmin(admin.ModelAdmin):
    """Visible to the library's editors (系统管理员, 法制审核员); read-only in the generic forms."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _editor(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editor(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionInline(admin.TabularInline):
    model = LawVersion
    fields = ("publish_date", "status", "status_basis", "is_latest", "source", "correct_link")
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editor(request)

    @admin.display(description="操作")
    def correct_link(self, obj: LawVersion) -> str:
        return format_html(
            '<a href="{}">更正效力状态</a>', reverse("admin:laws_lawversion_correct", args=[obj.pk])
        )


@admin.register(Law)
class LawAdmin(EditorOnlyAdmin):
    list_display = ("title", "level", "region", "issuer", "updated_at")
    list_filter = ("level", "region", "versions__status")
    search_fields = ("title", "short_name", "issuer")
    readonly_fields = ("title", "short_name", "norm_title", "level", "issuer", "category", "region")
    inlines = [VersionInline]
    change_list_template = "admin/laws/law/change_list.html"

    def get_urls(self):  # noqa: ANN201
        custom = [path("add-text/", self.admin_site.admin_view(self.add_text_view), name="laws_law_add_text")]
        return custom + super().get_urls()

    def add_text_view(self, request: HttpRequest) -> HttpResponse:
        """录入法规: paste the text or upload .docx/.txt; parsed into a version with articles."""
        if not _editor(request):
            return TemplateResponse(
                request, "core/forbidden.html", {"roles": services.EDITOR_ROLES}, status=403
            )
        form = AddLawForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                text = data["text"]
                upload = data.get("upload")
                if upload:
                    text = services.text_from_upload(name=upload.name, data=upload.read())
                version = services.add_law_from_text(
                    user=request.user,
                    text=text,
                    title=data["title"],
                    level=data["level"],
                    issuer=data["issuer"],
                    region=data["region"],
                    status=data["status"],
                    status_basis=data["status_basis"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    f"已录入《{version.law.title}》，共 {version.articles.count()} 条，已加入检索索引。",
                )
                return HttpResponseRedirect(reverse("admin:laws_law_change", args=[version.law_id]))
        context = {
            **self.admin_site.each_context(request),
            "title": "从文本录入法规",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/laws/add_text.html", context)


@admin.register(LawVersion)
class LawVersionAdmin(EditorOnlyAdmin):
    list_display = ("law", "publish_date", "status", "is_latest", "source", "correct_link")
    list_filter = ("status", "is_latest", "source", "law__level")
    search_fields = ("law__title", "external_id")
    date_hierarchy = "publish_date"
    exclude = ("text",)
    readonly_fields = (
        "law",
        "external_id",
        "publish_date",
        "effective_date",
        "status",
        "status_basis",
        "is_latest",
        "version_index",
        "history",
        "text_hash",
        "source",
        "source_path",
        "provenance",
        "correct_link",
    )
    list_select_related = ("law",)

    def get_queryset(self, request: HttpRequest):  # noqa: ANN201
        return super().get_queryset(request).defer("text")

    @admin.display(description="操作")
    def correct_link(self, obj: LawVersion) -> str:
        return format_html(
            '<a href="{}">更正效力状态</a>', reverse("admin:laws_lawversion_correct", args=[obj.pk])
        )

    def get_urls(self):  # noqa: ANN201
        custom = [
            path(
                "<int:pk>/correct-status/",
                self.admin_site.admin_view(self.correct_view),
                name="laws_lawversion_correct",
            )
        ]
        return custom + super().get_urls()

    def correct_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """更正效力状态 with a required reason (recorded in the audit log)."""
        if not _editor(request):
            return TemplateResponse(
                request, "core/forbidden.html", {"roles": services.EDITOR_ROLES}, status=403
            )
        version = LawVersion.objects.select_related("law").defer("text").filter(pk=pk).first()
        if version is None:
            messages.error(request, "没有找到这个版本。")
            return HttpResponseRedirect(reverse("admin:laws_lawversion_changelist"))
        initial = {"status": version.status, "basis": version.status_basis}
        form = CorrectStatusForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.correct_status(
                    user=request.user,
                    version=version,
                    status=form.cleaned_data["status"],
                    basis=form.cleaned_data["basis"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "效力状态已更正，并已记入审计日志。")
                return HttpResponseRedirect(reverse("admin:laws_law_change", args=[version.law_id]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"更正效力状态：{version}",
            "form": form,
            "version": version,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/laws/correct_status.html", context)


@admin.register(Article)
class ArticleAdmin(EditorOnlyAdmin):
    list_display = ("law", "label", "chapter", "version")
    list_filter = ("law__level", "version__status", "version__is_latest")
    search_fields = ("law__title", "label")
    # The version's name shows its law's title; its full text is never needed in the list.
    list_select_related = ("law", "version__law")
    readonly_fields = (
        "law",
        "version",
        "number",
        "suffix",
        "label",
        "part",
        "chapter",
        "section",
        "ordinal",
        "text",
        "paragraphs",
    )
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest):  # noqa: ANN201
        # A version row carries the whole text of its law: each listed article would load it again.
        return super().get_queryset(request).select_related("law", "version__law").defer("version__text")
