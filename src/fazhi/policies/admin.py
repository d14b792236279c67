"""惠企政策 admin: clerks edit policies; Excel template download, import (per-row errors) and export."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms as django_forms
from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from fazhi.core import jobs, uploads
from fazhi.core.admin_mixins import CheckedFileInput
from fazhi.core.downloads import download
from fazhi.core.errors import DomainError
from fazhi.policies import admin_thresholds as admin_thresholds  # registers the 企业划型标准 admin
from fazhi.policies import duplicates, excel, excel_job, forms, services
from fazhi.policies.index import INDEX
from fazhi.policies.models import EnterpriseProfile, Policy, PolicyAttachment, PolicySubscription
from fazhi.policies.services.values import _as_list
from fazhi.search import outbox

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_FIELDS = ("themes", "industries", "sizes", "regions", "support_types", "required_tags")
COMPUTED_FIELDS = ("status", "doc_agency_code", "doc_year", "doc_serial")  # derived on save


def _export(policies: Any) -> HttpResponse:
    name = f"惠企政策导出-{timezone.localdate():%Y%m%d}.xlsx"
    return download(excel.export(policies), name, XLSX, ascii_fallback="policies.xlsx")


class ListField(django_forms.CharField):
    """A list of words typed as text: 稳岗就业、房租减免 (、 ， , ； or new lines between them). A JSON list
    (["C", "H"]) is read too, as the field was once edited that way."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "、".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list):
            return value
        text = str(value or "").strip()
        if not text:
            return []
        if text.startswith("["):
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = None
            if not isinstance(parsed, list) or not all(isinstance(v, str) for v in parsed):
                raise django_forms.ValidationError("请填写文字列表，如 稳岗就业、房租减免。")
            return [v.strip() for v in parsed if v.strip()]
        if text.startswith(('"', "{")):
            raise django_forms.ValidationError("请填写文字列表，如 稳岗就业、房租减免。")
        return _as_list(re.sub(r"[\s;]+", "、", text))  # the Excel cells' rule, plus spaces

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(initial) != self.to_python(data)
        except django_forms.ValidationError:
            return True


class PolicyAdminForm(django_forms.ModelForm):
    """The admin applies the Excel import's rules (services.clean_policy_values) and keeps its normalised
    values: 行业 names become 门类 codes, a manual status needs a reason, end dates follow start dates…"""

    source_url = Policy._meta.get_field("source_url").formfield(assume_scheme="https")
    themes = ListField(label="主题", required=False, help_text="多个用“、”分隔，如 稳岗就业、房租减免")
    industries = ListField(
        label="适用行业（门类代码）",
        required=False,
        help_text="门类字母或名称，如 C、住宿和餐饮业；空表示不限",
    )
    sizes = ListField(label="适用企业规模", required=False, help_text="大型、中型、小型、微型；空表示不限")
    regions = ListField(label="适用地区", required=False, help_text="空表示不限，如 湖北省武汉市汉阳区")
    support_types = ListField(label="支持方式", required=False, help_text="如 资金奖补、税费减免")
    required_tags = ListField(label="须具备的企业标签", required=False, help_text="如 高新技术企业、专精特新")

    class Meta:
        model = Policy
        fields = [
            f.name
            for f in Policy._meta.concrete_fields
            if f.editable and not f.primary_key and f.name not in COMPUTED_FIELDS
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for name in LIST_FIELDS:
            value = data.get(name)
            if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                self.add_error(name, "请填写文字列表，如 稳岗就业、房租减免。")
        # A policy cannot interpret itself, nor the policy that interprets it (the page would name it twice).
        target = data.get("interpretation_of")
        if (
            target is not None
            and self.instance.pk
            and self.instance.pk in (target.pk, target.interpretation_of_id)
        ):
            self.add_error(
                "interpretation_of", "不能把政策设为解读自身，或解读“解读本政策”的文件，请核对编号。"
            )
        if self.errors:
            return data
        try:
            cleaned = services.clean_policy_values(data)
        except DomainError as exc:
            raise django_forms.ValidationError(exc.message, code=exc.code) from exc
        for name, value in cleaned.items():
            if name in data:
                data[name] = value
        return data


class AttachmentForm(django_forms.ModelForm):
    class Meta:
        model = PolicyAttachment
        fields = ("title", "file")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = CheckedFileInput()  # the stored file links to /policies/attachments/<id>/, not /media/
        if self.instance.pk:
            widget.checked_url = self.instance.get_absolute_url()
        self.fields["file"].widget = widget

    def clean_file(self) -> Any:
        return uploads.in_form(uploads.check_material, self.cleaned_data.get("file"), label="附件")


class AttachmentInline(admin.TabularInline):
    model = PolicyAttachment
    form = AttachmentForm
    extra = 0


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    form = PolicyAdminForm
    list_display = ("title", "issuer", "doc_number", "level", "status", "published_date", "apply_end")
    list_filter = ("status", "level", "facets_extracted", "conditions_verified")
    search_fields = ("title", "issuer", "doc_number", "external_id")
    readonly_fields = (*COMPUTED_FIELDS, "duplicate_of", "created_at", "updated_at")
    raw_id_fields = ("interpretation_of",)
    inlines = [AttachmentInline]
    actions = ["export_selected"]
    change_list_template = "admin/policies/policy/change_list.html"
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "external_id",
                    "issuer",
                    "doc_number",
                    "doc_agency_code",
                    "doc_year",
                    "doc_serial",
                    "level",
                )
            },
        ),
        (
            "日期与效力",
            {
                "fields": (
                    "written_date",
                    "published_date",
                    "effective_from",
                    "effective_to",
                    "status",
                    "status_override",
                    "status_reason",
                )
            },
        ),
        (
            "分类",
            {"fields": ("themes", "industries", "sizes", "regions", "support_types", "facets_extracted")},
        ),
        (
            "政策要点",
            {
                "fields": (
                    "beneficiaries",
                    "conditions_text",
                    "support_standard",
                    "support_amount",
                    "support_ratio",
                    "support_cap",
                    "apply_start",
                    "apply_end",
                    "apply_method",
                    "contact_phone",
                )
            },
        ),
        (
            "结构化申报条件",
            {
                "fields": (
                    "conditions_verified",
                    "min_years_established",
                    "required_tags",
                    "employees_min",
                    "employees_max",
                    "revenue_min",
                    "revenue_max",
                )
            },
        ),
        (
            "正文与解读",
            {"fields": ("full_text", "duplicate_of", "interpretation", "interpretation_of", "source_url")},
        ),
    )

    def save_model(self, request: HttpRequest, obj: Policy, form: Any, change: bool) -> None:
        if obj.doc_number:
            from fazhi.policies import extract

            _, obj.doc_agency_code, obj.doc_year, obj.doc_serial = extract.parse_doc_number(obj.doc_number)
        # An edit of what the importer identified is a correction: the policy is no longer "automatically
        # identified" (and `fazhi import policies --reextract` keeps it), unless the box itself was changed.
        # (Values are compared: the form reports its list fields as changed on every save.)
        before = Policy.objects.filter(pk=obj.pk).first() if change else None
        if (
            before is not None
            and before.facets_extracted == obj.facets_extracted
            and any(getattr(before, k) != getattr(obj, k) for k in services.EXTRACTED_FIELDS)
        ):
            obj.facets_extracted = False
        # Likewise an edit of the eligibility conditions sets them: 政策体检 then calls a full match 符合.
        if (
            before is not None
            and before.conditions_verified == obj.conditions_verified
            and any(getattr(before, k) != getattr(obj, k) for k in services.CONDITION_FIELDS)
        ):
            obj.conditions_verified = True
        obj.status = obj.current_status()
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            duplicates.refresh([obj.pk])  # a changed text may join, leave or split a group of reposts
            outbox.enqueue(INDEX, obj.pk)

    def delete_model(self, request: HttpRequest, obj: Policy) -> None:
        pk = obj.pk
        with transaction.atomic():
            others = duplicates.others_in_groups([(pk, obj.duplicate_of_id)])
            super().delete_model(request, obj)
            if others:  # the group's oldest record may be the one deleted: the next one takes its place
                duplicates.refresh(others, deleted=True)
            outbox.enqueue(INDEX, pk, delete=True)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        rows = list(queryset.values_list("pk", "duplicate_of"))
        pks = [pk for pk, _ in rows]
        with transaction.atomic():
            others = duplicates.others_in_groups(rows)
            super().delete_queryset(request, queryset)
            if others:
                duplicates.refresh(others, deleted=True)
            for pk in pks:
                outbox.enqueue(INDEX, pk, delete=True)

    def get_urls(self) -> list:
        own = [
            path(
                "excel/template/",
                self.admin_site.admin_view(self.excel_template),
                name="policies_excel_template",
            ),
            path(
                "excel/import/", self.admin_site.admin_view(self.excel_import), name="policies_excel_import"
            ),
            path(
                "excel/export/", self.admin_site.admin_view(self.excel_export), name="policies_excel_export"
            ),
        ]
        return own + super().get_urls()

    def _can_import(self, request: HttpRequest) -> bool:
        """Importing adds and updates policies: both permissions are needed."""
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        extra_context = {**(extra_context or {}), "can_import_excel": self._can_import(request)}
        return super().changelist_view(request, extra_context)

    def _forbidden(self, request: HttpRequest, message: str) -> HttpResponse:
        return render(request, "core/forbidden.html", {"message": message}, status=403)

    def excel_template(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            return self._forbidden(request, "您没有查看惠企政策的权限。")
        return download(excel.template(), "惠企政策导入模板.xlsx", XLSX, ascii_fallback="policies.xlsx")

    def excel_export(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            return self._forbidden(request, "您没有查看惠企政策的权限。")
        return _export(Policy.objects.order_by("pk").iterator())

    @admin.action(description="导出所选政策为 Excel")
    def export_selected(self, request: HttpRequest, queryset: Any) -> HttpResponse:
        return _export(queryset.order_by("pk"))

    def excel_import(self, request: HttpRequest) -> HttpResponse:
        """Save the file and start the import as a 后台任务; its page shows the progress and the result."""
        if not self._can_import(request):
            return self._forbidden(request, "导入会新增和修改惠企政策，您没有相应权限。")
        form = forms.ExcelUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                job = jobs.start(excel_job.NAME, actor=request.user, upload=form.cleaned_data["file"])
            except DomainError as exc:
                form.add_error("file", exc.message)
            else:
                return redirect("core:job", job.pk)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": "从 Excel 导入惠企政策",
            "identity_rule": excel.IDENTITY_RULE,
            "max_rows": excel.MAX_ROWS,
            "opts": self.model._meta,
        }
        return render(request, "admin/policies/policy/excel_import.html", context)


@admin.register(EnterpriseProfile)
class EnterpriseProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "industry", "size", "region", "owner")
    search_fields = ("name", "credit_code")
    readonly_fields = ("size",)


@admin.register(PolicySubscription)
class PolicySubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "subscribed_to", "match_profile", "active", "created_at", "last_checked_at")
    list_filter = ("active", "match_profile")
    readonly_fields = ("token",)

    @admin.display(description="订阅内容")
    def subscribed_to(self, obj: PolicySubscription) -> str:
        return obj.summary
