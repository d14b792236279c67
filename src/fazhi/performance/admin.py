"""预算绩效 admin: units and their member accounts, projects, disclosure and 报送人大 records, the scoring rules."""

from django.contrib import admin

from fazhi.core.limits import TextLimitsAdmin
from fazhi.performance.models import (
    BudgetUnit,
    CongressSubmission,
    Indicator,
    KeyEvaluation,
    PerformanceTarget,
    Project,
    Publication,
    Remark,
    ScoringConfig,
    SelfEvaluation,
)
from fazhi.performance.services import bureau, common, disclosure

# The limits of the services that write these texts (a record corrected here is held to them too).
REVIEW_COMMENT = ("审核意见", common.REVIEW_COMMENT_LIMIT)


@admin.register(BudgetUnit)
class BudgetUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_active")
    search_fields = ("name", "code")
    filter_horizontal = ("members",)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "year", "code", "budget_full_year", "executed")
    list_select_related = ("unit",)
    list_filter = ("year", "unit")
    search_fields = ("name", "code")


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(PerformanceTarget)
class PerformanceTargetAdmin(TextLimitsAdmin, admin.ModelAdmin):
    text_limits = {
        "annual_goal": ("年度总体目标", common.ANNUAL_GOAL_LIMIT),
        "review_comment": REVIEW_COMMENT,
    }
    list_display = ("project", "status", "submitted_at", "reviewed_at", "published_at")
    list_select_related = ("project",)
    fields = (
        "project",
        "annual_goal",
        "status",
        "review_comment",
        "submitted_at",
        "reviewed_at",
        "reviewed_by",
        "published_at",
    )
    raw_id_fields = ("project", "reviewed_by")
    list_filter = ("status", "project__year")
    inlines = [IndicatorInline]


@admin.register(SelfEvaluation)
class SelfEvaluationAdmin(TextLimitsAdmin, admin.ModelAdmin):
    text_limits = {
        "achievement": ("年度总体目标实际完成情况", common.ACHIEVEMENT_LIMIT),
        "review_comment": REVIEW_COMMENT,
    }
    list_display = ("project", "status", "total_score", "grade", "execution_rate")
    list_select_related = ("project",)
    fields = (
        "project",
        "achievement",
        "execution_rate",
        "weight_execution",
        "execution_score",
        "execution_rule",
        "total_score",
        "grade",
        "grade_rule",
        "status",
        "review_comment",
        "submitted_at",
        "reviewed_at",
        "reviewed_by",
        "published_at",
        "scored_at",
    )
    raw_id_fields = ("project", "reviewed_by")
    list_filter = ("status", "grade", "project__year")
    readonly_fields = (
        "execution_rate",
        "weight_execution",
        "execution_score",
        "execution_rule",
        "total_score",
        "grade",
        "grade_rule",
    )


@admin.register(KeyEvaluation)
class KeyEvaluationAdmin(TextLimitsAdmin, admin.ModelAdmin):
    text_limits = {
        "findings": ("主要发现的问题", common.LONG_TEXT_LIMIT),
        "recommendations": ("整改建议", common.LONG_TEXT_LIMIT),
    }
    list_display = ("project", "evaluator", "score", "grade", "is_final", "published_at")
    list_select_related = ("project",)
    raw_id_fields = ("project", "created_by")
    list_filter = ("is_final", "grade")


@admin.register(Publication)
class PublicationAdmin(TextLimitsAdmin, admin.ModelAdmin):
    text_limits = {"note": ("公开说明", disclosure.NOTE_LIMIT)}
    list_display = (
        "unit",
        "year",
        "budget_approved_on",
        "published_on",
        "final_accounts_approved_on",
        "final_accounts_published_on",
    )
    list_select_related = ("unit",)
    raw_id_fields = ("published_by", "final_accounts_published_by")
    list_filter = ("year",)


@admin.register(CongressSubmission)
class CongressSubmissionAdmin(TextLimitsAdmin, admin.ModelAdmin):
    text_limits = {"note": ("报送说明", disclosure.NOTE_LIMIT)}
    list_display = ("unit", "year", "submitted_on", "recorded_by", "recorded_at")
    list_select_related = ("unit", "recorded_by")
    raw_id_fields = ("recorded_by",)
    list_filter = ("year",)


@admin.register(Remark)
class RemarkAdmin(TextLimitsAdmin, admin.ModelAdmin):
    """Remarks are evidence: shown, never changed here."""

    text_limits = {"body": ("留言内容", bureau.REMARK_LIMIT)}

    list_display = ("unit", "project", "author", "created_at")
    list_select_related = ("unit", "project", "author")
    raw_id_fields = ("project", "author")

    def has_change_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False


SCORING_BASIS_LIMIT = 2000  # 依据 of a 评分规则 (ScoringConfig.basis, a TextField written only here)


@admin.register(ScoringConfig)
class ScoringConfigAdmin(TextLimitsAdmin, admin.ModelAdmin):
    text_limits = {"basis": ("依据", SCORING_BASIS_LIMIT)}
    list_display = ("name", "is_current", "weight_output", "weight_benefit", "weight_satisfaction",
                    "weight_execution", "grade_excellent_min", "grade_good_min", "grade_fair_min",
                    "shortfall_mode", "disclosure_days", "disclosure_rolls_forward")  # fmt: skip
