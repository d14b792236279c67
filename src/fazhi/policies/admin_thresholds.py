"""企业划型标准 admin (imported by fazhi.policies.admin): staff holding the "change" permission of the table
correct a band's floors and source; the 48 rows are fixed (no adding or deleting)."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import admin, messages
from django.http import HttpRequest

from fazhi.policies import services, sizing
from fazhi.policies.models import SizeThreshold
from fazhi.policies.services.values import MAX_EMPLOYEES

RULE = (
    "所填指标均达到下限即属于该档（且），任一指标低于下限即归入下一档（或）；留空的指标该行业不使用。"
    "保存后，该行业已保存的企业画像按新标准重新划型，修改记入审计日志。"
)


class SizeThresholdForm(django_forms.ModelForm):
    # No minimum on the fields themselves: a negative floor gets the service's message, which names the band.
    employees = django_forms.IntegerField(label="从业人员下限（人）", required=False, max_value=MAX_EMPLOYEES)
    revenue = django_forms.DecimalField(
        label="营业收入下限（万元）", required=False, max_digits=14, decimal_places=2
    )
    assets = django_forms.DecimalField(
        label="资产总额下限（万元）", required=False, max_digits=14, decimal_places=2
    )

    class Meta:
        model = SizeThreshold
        fields = ("employees", "revenue", "assets", "source", "note")
        error_messages = {
            "source": {"required": "请填写依据，如 工信部联企业〔2011〕300号《中小企业划型标准规定》第四条。"}
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        problems = services.threshold_problems(
            industry=self.instance.industry, band=self.instance.band, values=data
        )
        for field, message in problems:
            self.add_error(field, message)
        return data


class IndustryFilter(admin.SimpleListFilter):
    title = "划型行业"
    parameter_name = "industry"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(key, ind.name.split("（")[0]) for key, ind in sizing.industries().items()]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(industry=self.value()) if self.value() else queryset


@admin.register(SizeThreshold)
class SizeThresholdAdmin(admin.ModelAdmin):
    form = SizeThresholdForm
    list_display = ("industry_name", "band", "employees", "revenue", "assets", "source", "updated_at")
    list_filter = (IndustryFilter, "band")
    readonly_fields = ("industry_name", "band", "updated_at")
    fieldsets = (
        (None, {"fields": ("industry_name", "band")}),
        ("下限", {"fields": ("employees", "revenue", "assets"), "description": RULE}),
        (None, {"fields": ("source", "note", "updated_at")}),
    )

    @admin.display(description="划型行业", ordering="industry")
    def industry_name(self, obj: SizeThreshold) -> str:
        shipped = sizing.industries().get(obj.industry)
        return shipped.name if shipped else obj.industry

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: SizeThreshold, form: Any, change: bool) -> None:
        saved = services.save_threshold(actor=request.user, threshold_id=obj.pk, values=form.cleaned_data)
        if saved.resized:
            self.message_user(
                request, f"已按修改后的标准重新划型 {saved.resized} 家企业的企业画像。", messages.INFO
            )
