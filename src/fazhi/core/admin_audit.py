"""The audit log in the admin, in Chinese: each action code and object type shown with its Chinese name, and
filters that list the known names without a DISTINCT query over the whole (ever-growing) log."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from fazhi.core.models import AuditEvent

# The action codes services and signals write (core.audit.record); an unknown code is shown as written.
ACTION_LABELS = {
    "create": "新建",
    "update": "修改",
    "delete": "删除",
    "m2m_add": "添加关联",
    "m2m_remove": "移除关联",
    "m2m_clear": "清空关联",
    "transition": "状态变更",
    "submit": "提交",
    "start_review": "开始审查",
    "return": "退回修改",
    "approve": "审查通过",
    "reject": "不予通过",
    "publish": "发布",
    "file": "备案",
    "expire": "失效",
    "import": "导入",
    "record": "登记",
    "draw": "抽取专家",
    "sign": "签名",
    "correct": "更正",
    "remark": "备注",
    "rescore": "重新评分",
    "unlock": "解除锁定",
    "validity_evaluation": "有效期评估",
    "fair_competition_review": "公平竞争审查",
    "precheck_accept": "采纳预审发现",
    "precheck_dismiss": "排除预审发现",
    "library_retry": "重新载入法规库",
    "resize_profiles": "企业重新划型",
    "profile_update": "修改账号信息",
    "password_change": "修改密码",
    "2fa_enable": "开启两步验证",
    "2fa_disable": "关闭两步验证",
    "2fa_reset": "重置两步验证",
    "2fa_new_recovery_codes": "重新生成备用验证码",
    "2fa_recovery_used": "使用备用验证码",
}


def action_label(code: str) -> str:
    label = ACTION_LABELS.get(code)
    return f"{label}（{code}）" if label else code


def object_type_label(label: str) -> str:
    """“投标人（bidding.Bidder）” for "bidding.Bidder"; the label as written if no model has it any more."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    return f"{model._meta.verbose_name}（{label}）"


class ActionFilter(admin.SimpleListFilter):
    title = "操作"
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(code, label) for code, label in ACTION_LABELS.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        return queryset.filter(action=self.value()) if self.value() else queryset


class ObjectTypeFilter(admin.SimpleListFilter):
    title = "对象类型"
    parameter_name = "object_type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        models = [m for m in apps.get_models() if m._meta.app_label not in ("contenttypes", "sessions")]
        return sorted(
            ((m._meta.label, f"{m._meta.verbose_name}（{m._meta.label}）") for m in models),
            key=lambda x: x[1],
        )

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        return queryset.filter(object_type=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = (
        "seq",
        "at",
        "actor_name",
        "action_shown",
        "object_type_shown",
        "object_id",
        "object_repr",
        "ip",
    )
    # No date_hierarchy: its year/month links run a DISTINCT date query over the whole (ever-growing) log on
    # every page view; the "at" filter offers 今天/过去7天/本月/今年 without a query.
    list_filter = (ActionFilter, ObjectTypeFilter, "at")
    search_fields = ("object_id", "object_repr", "actor_name", "comment", "request_id")

    @admin.display(description="操作", ordering="action")
    def action_shown(self, obj: AuditEvent) -> str:
        return action_label(obj.action)

    @admin.display(description="对象类型", ordering="object_type")
    def object_type_shown(self, obj: AuditEvent) -> str:
        return object_type_label(obj.object_type)

    def has_add_permission(self, request):  # noqa: ANN001, ANN201
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

    def has_delete_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False
