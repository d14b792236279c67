"""学法考试 admin, competitions: competitions with their rounds, and the entries (read-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fazhi.core.limits import TextLimitsAdmin
from fazhi.exams import models
from fazhi.exams.admin.permissions import EvidencePermissions, ExamAdminPermissions
from fazhi.exams.services import competitions


class RoundInline(ExamAdminPermissions, admin.TabularInline):  # type: ignore[misc]
    model = models.CompetitionRound
    extra = 1


@admin.register(models.Competition)
class CompetitionAdmin(TextLimitsAdmin, ExamAdminPermissions, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ["title", "audience", "question_count", "time_limit_seconds", "is_published"]
    text_limits = {"description": ("说明", competitions.MAX_DESCRIPTION)}
    inlines = [RoundInline]


class RoundFilter(admin.SimpleListFilter):
    """轮次 filter whose choices are read with their competitions in one query (the default filter reads
    each round's competition separately to label it)."""

    title = "轮次"
    parameter_name = "round"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        rounds = models.CompetitionRound.objects.select_related("competition").order_by(
            "competition", "number"
        )
        return [(str(r.pk), str(r)) for r in rounds]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        value = self.value()
        return queryset.filter(round_id=value) if value and value.isdigit() else queryset


@admin.register(models.CompetitionEntry)
class CompetitionEntryAdmin(EvidencePermissions, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ["round", "user", "correct_count", "duration_seconds", "scored", "finished_at"]
    list_select_related = ["round__competition", "user"]  # a round is shown with its competition's title
    list_filter = [RoundFilter, "scored"]
