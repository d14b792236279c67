"""数据看板与年度报告 admin: 单位名称对照 (a unit recorded under another name; audited like every fazhi model)."""

from __future__ import annotations

from django.contrib import admin

from fazhi.reports.models import UnitAlias


@admin.register(UnitAlias)
class UnitAliasAdmin(admin.ModelAdmin):
    list_display = ("name", "same_as", "reason")
    search_fields = ("name", "same_as")
