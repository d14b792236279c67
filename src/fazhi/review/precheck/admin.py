"""预审规则 in the admin: switch a rule off or change its severity (audited as every fazhi model write)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from fazhi.review.precheck.models import RuleSetting
from fazhi.review.precheck.ruleset import all_rules, rule_by_id


def _rule_choices() -> list[tuple[str, str]]:
    return [(r.id, f"{r.id} {r.title}（默认{r.severity}）") for r in all_rules()]


class RuleSettingForm(forms.ModelForm):
    rule_id = forms.ChoiceField(label="规则", choices=_rule_choices)

    class Meta:
        model = RuleSetting
        fields = ["rule_id", "enabled", "severity", "note"]


@admin.register(RuleSetting)
class RuleSettingAdmin(admin.ModelAdmin):
    form = RuleSettingForm
    list_display = (
        "rule_id",
        "rule_title",
        "enabled",
        "severity",
        "default_severity",
        "updated_by",
        "updated_at",
    )
    list_select_related = ("updated_by",)
    list_filter = ("enabled", "severity")
    list_editable = ("enabled", "severity")
    search_fields = ("rule_id", "note")
    readonly_fields = ("updated_by", "updated_at")

    @admin.display(description="规则名称")
    def rule_title(self, obj: RuleSetting) -> str:
        rule = rule_by_id(obj.rule_id)
        return rule.title if rule else "（规则文件中已无此规则）"

    @admin.display(description="默认严重程度")
    def default_severity(self, obj: RuleSetting) -> str:
        rule = rule_by_id(obj.rule_id)
        return rule.severity if rule else ""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
